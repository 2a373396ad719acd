// `flywheel owners --all | --stdin | --unowned`: one record per file, written as it is resolved, so memory does not
// grow with the result. The records share their owner lists (one array per CODEOWNERS line, not one per file), and
// the lines a file's deciding line overrides are computed only when asked (`--explain`, and the JSON contract,
// whose results carry them).

import { explainPath, type CodeownersAnalysis } from '../engine/ownership/analysis';
import { decidingOf, type RepoOwnership } from '../engine/ownership/repo-ownership';
import { isOwned } from '../engine/ownership/matcher';
import { PathSplitter } from '../node/path-splitter';
import type { CliIO } from './io';

export type StreamFormat = 'text' | 'json' | 'jsonl';

export interface OwnerRecord {
  path: string;
  owners: readonly string[];
  line: number | null;
  pattern: string | null;
  overridden?: number[];
  section?: string;
  decidedBy?: { line: number; pattern: string; section: string }[];
  /** GitLab: the owners are only those of optional sections (`^[Name]`), so no approval is required. */
  optional?: true;
}

/** Output in chunks of about 64 kB: one write per line costs a system call per line on a pipe. */
export class ChunkedOut {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly io: CliIO) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 65536) this.flush();
  }
  flush(): void {
    if (!this.buf.length) return;
    this.io.out(this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
}

/** Resolves one path at a time, with the per-line values (owners, pattern text) computed once per line. */
export class Resolver {
  private readonly patterns = new Map<number, string>();
  constructor(private readonly a: CodeownersAnalysis) {}

  private pattern(i: number): string {
    let p = this.patterns.get(i);
    if (p === undefined) {
      const r = this.a.parsed.rules[i]!;
      p = (r.negated ? '!' : '') + r.pattern.text;
      this.patterns.set(i, p);
    }
    return p;
  }

  /** The record of a path from its deciding rules (ascending) and, for several (GitLab sections), their owners. */
  private record(
    path: string,
    deciding: ArrayLike<number>,
    owners: readonly string[] | undefined,
    explain: boolean,
    optional = false,
  ): OwnerRecord {
    const rules = this.a.parsed.rules;
    const last = deciding.length ? deciding[deciding.length - 1]! : -1;
    const rule = last >= 0 ? rules[last] : undefined;
    const rec: OwnerRecord = {
      path,
      owners: owners ?? rule?.effectiveOwners ?? [],
      line: rule ? rule.line + 1 : null,
      pattern: rule ? this.pattern(last) : null,
    };
    if (explain) rec.overridden = explainPath(this.a, path).overridden.map((r) => r.line + 1);
    if (rule && rule.section > 0) rec.section = this.a.parsed.sections[rule.section]!.name;
    if (optional) rec.optional = true;
    if (deciding.length > 1) {
      rec.decidedBy = Array.from(deciding, (i) => {
        const r = rules[i]!;
        return { line: r.line + 1, pattern: r.pattern.text, section: this.a.parsed.sections[r.section]!.name };
      });
    }
    return rec;
  }

  /** Any path, tracked or not (paths in git's order are the fast case: see `decidingRuleInOrder`). */
  resolve(path: string, explain: boolean): OwnerRecord {
    if (this.a.choice.dialect !== 'gitlab')
      return this.record(path, single(this.a.matcher.decidingRuleInOrder(path)), undefined, explain);
    const r = this.a.matcher.resolve(path);
    return this.record(path, r.deciding, r.owners, explain, r.optional);
  }

  /** Whether a path has an owner whose approval is required (as `repoOwnership` counts it), without a record. */
  owned(path: string): boolean {
    if (this.a.choice.dialect !== 'gitlab') {
      const d = this.a.matcher.decidingRuleInOrder(path);
      return d >= 0 && this.a.parsed.rules[d]!.effectiveOwners.length > 0;
    }
    return isOwned(this.a.matcher.resolve(path));
  }

  /** Tracked file i, from the repository's resolution (no matching again, except GitLab's owner union). */
  tracked(repo: RepoOwnership, i: number, explain: boolean): OwnerRecord {
    const path = repo.files.paths[i]!;
    const deciding = decidingOf(repo, i);
    if (deciding.length > 1) {
      const r = this.a.matcher.resolve(path);
      return this.record(path, deciding, r.owners, explain, r.optional);
    }
    const rule = deciding.length ? this.a.parsed.rules[deciding[0]!] : undefined;
    const optional =
      rule !== undefined && rule.effectiveOwners.length > 0 && this.a.parsed.sections[rule.section]?.optional === true;
    return this.record(path, deciding, undefined, explain, optional);
  }
}

const ONE: number[] = [0];
function single(d: number): ArrayLike<number> {
  if (d < 0) return [];
  ONE[0] = d;
  return ONE;
}

/** Writes records as text, JSON lines, or the `owners --format json` contract (streamed, byte for byte the same). */
export class RecordWriter {
  private count = 0;
  private readonly out: ChunkedOut;
  constructor(
    io: CliIO,
    private readonly format: StreamFormat,
    head: Record<string, unknown>,
    private readonly text: (r: OwnerRecord) => string,
  ) {
    this.out = new ChunkedOut(io);
    if (format === 'json') {
      // JSON.stringify(head, null, 2) without its closing brace, then the results array.
      const h = JSON.stringify(head, null, 2);
      this.out.write(h.slice(0, h.lastIndexOf('\n')) + ',\n  "results": [');
    }
  }

  write(r: OwnerRecord): void {
    if (this.format === 'text') this.out.write(this.text(r) + '\n');
    else if (this.format === 'jsonl') this.out.write(JSON.stringify(contract(r)) + '\n');
    else {
      const body = JSON.stringify(contract(r), null, 2).replace(/\n/g, '\n    ');
      this.out.write(`${this.count ? ',' : ''}\n    ${body}`);
    }
    this.count++;
  }

  end(): number {
    if (this.format === 'json') this.out.write(this.count ? '\n  ]\n}\n' : ']\n}\n');
    this.out.flush();
    return this.count;
  }
}

/** The key order of the JSON contract (version 1): path, owners, line, pattern, overridden, section, decidedBy,
 * optional (only when true). */
function contract(r: OwnerRecord): Record<string, unknown> {
  const o: Record<string, unknown> = { path: r.path, owners: r.owners, line: r.line, pattern: r.pattern };
  if (r.overridden) o.overridden = r.overridden;
  if (r.section !== undefined) o.section = r.section;
  if (r.decidedBy) o.decidedBy = r.decidedBy;
  if (r.optional) o.optional = true;
  return o;
}

/**
 * Paths from a stream, separated by newlines (a trailing `\r` dropped) or, with `nul`, by NUL bytes as `git ls-files
 * -z` writes them; each path is handed over as soon as it is complete. Empty entries are skipped.
 */
export async function forEachPath(
  input: AsyncIterable<Buffer | string>,
  nul: boolean,
  each: (p: string) => void,
): Promise<void> {
  const paths = new PathSplitter(nul ? 0 : 0x0a, (s) => {
    if (!nul && s.endsWith('\r')) s = s.slice(0, -1);
    if (s) each(s);
  });
  for await (const chunk of input) paths.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  paths.end();
}
