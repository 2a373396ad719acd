// `flywheel owners <path…> | --unowned | --coverage [--root DIR] [--format text|json]`
// Who owns a path (existing or not), which CODEOWNERS line decides and which earlier lines it overrides; the
// unowned tracked files; coverage per directory. Same engine and memoised analyses as the language server.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache } from '../engine/cache';
import { codeownersAnalysis, type CodeownersAnalysis } from '../engine/ownership/analysis';
import { repoOwnership } from '../engine/ownership/repo-ownership';
import { normalizePath, ownersOf, type OwnerResult } from '../engine/ownership/query';
import { loadPolicy } from '../engine/policy/load';
import { findRoot, NodeSnapshot, openWorkspace } from '../node/discovery';
import { checkOwnersOnline } from '../node/github-owners';
import { trackedListing } from '../node/tracked-files';
import { forEachPath, RecordWriter, Resolver, type OwnerRecord } from './owners-stream';
import { EXIT_FINDINGS, EXIT_OK, paint, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel owners <path…> [options]
       flywheel owners --all [options]
       flywheel owners --stdin [-z] [options]
       flywheel owners --unowned [options]
       flywheel owners --coverage [--depth N] [options]
       flywheel owners --online [--repo OWNER/NAME] [options]

Who owns each path — the owners, the CODEOWNERS line that decides and the earlier lines it overrides — read exactly as
the platform reads it (GitHub, GitLab or Bitbucket). Paths need not exist.

Options:
  --root DIR             the repository root (default: the git root or .governance/ folder above the current folder);
                         with --root, paths are relative to DIR, else to the current folder
  --all                  every tracked file (git's index, in git's order) and its owners, one line each, written
                         as git lists them
  --stdin                the paths to explain are read from standard input, one per line (as \`git ls-files\` writes)
  -z                     with --stdin: the paths are separated by NUL bytes (\`git ls-files -z\`), not newlines
  --explain              with --all, --stdin and --unowned: also the lines each deciding line overrides
  --unowned              list the tracked files that have no owner (exit 1 when there are any)
  --coverage             the share of tracked files with an owner, per directory (exit 1 below ownership.minCoverage)
  --depth N              directory depth of the --coverage table (default: 1)
  --online               opt-in: check every owner through the GitHub API (exists, visible, write access) with the
                         token in GITHUB_TOKEN or GH_TOKEN (exit 1 when one fails); never done without this flag
  --repo OWNER/NAME      the GitHub repository for --online (default: from the \`origin\` remote)
  --api URL              the GitHub API for --online (default: https://api.github.com)
  --policy FILE          the policy file (default: <root>/.governance/policy.json, else the baseline)
  --format text|json|jsonl
                         output format (default: text); json is a stable contract (version 1); jsonl (with --all,
                         --stdin and --unowned): one JSON object per line, {"path","owners","line","pattern"}
  -h, --help             this help
`;

interface Json {
  version: 1;
  codeowners: string | null;
  dialect: string;
}

function resultJson(r: OwnerResult): Record<string, unknown> {
  const o: Record<string, unknown> = {
    path: r.path,
    owners: r.owners,
    line: r.line,
    pattern: r.pattern,
    overridden: r.overridden,
  };
  if (r.section !== undefined) o.section = r.section;
  if (r.decidedBy) o.decidedBy = r.decidedBy;
  if (r.optional) o.optional = true;
  if (r.symlinkTo !== undefined) o.symlinkTo = r.symlinkTo;
  return o;
}

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  root: { type: 'string' },
  all: { type: 'boolean', default: false },
  stdin: { type: 'boolean', default: false },
  z: { type: 'boolean', short: 'z', default: false },
  explain: { type: 'boolean', default: false },
  unowned: { type: 'boolean', default: false },
  coverage: { type: 'boolean', default: false },
  depth: { type: 'string' },
  online: { type: 'boolean', default: false },
  repo: { type: 'string' },
  api: { type: 'string' },
  policy: { type: 'string' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.format;
  const streams = values.all || values.stdin || values.unowned;
  if (format !== 'text' && format !== 'json' && !(format === 'jsonl' && streams)) {
    throw new UsageError(
      `--format must be text or json${streams ? ' or jsonl' : ' (jsonl: with --all, --stdin or --unowned)'} (got "${format}")`,
    );
  }
  const modes = [
    positionals.length > 0,
    values.all,
    values.stdin,
    values.unowned,
    values.coverage,
    values.online,
  ].filter(Boolean).length;
  if (modes === 0)
    throw new UsageError('give one or more paths, --all, --stdin, --unowned, --coverage or --online (see --help)');
  if (modes > 1) throw new UsageError('paths, --all, --stdin, --unowned, --coverage and --online cannot be combined');
  if (values.z && !values.stdin) throw new UsageError('-z goes with --stdin');
  if (values.explain && !streams)
    throw new UsageError('--explain goes with --all, --stdin or --unowned (paths are always explained)');
  if (values.stdin && !io.stdin) throw new UsageError('--stdin: no standard input');
  let depth = 1;
  if (values.depth !== undefined) {
    if (!/^[1-9]\d*$/.test(values.depth))
      throw new UsageError(`--depth takes a whole number ≥ 1 (got "${values.depth}")`);
    depth = Number(values.depth);
  }

  const root = values.root !== undefined ? path.resolve(io.cwd, values.root) : findRoot(io.cwd);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory())
    throw new UsageError(`--root ${values.root}: not a folder`);
  // --all, --unowned, --stdin in a git work tree: only the CODEOWNERS candidates are listed here (the tracked files
  // are streamed from git below, never indexed whole); elsewhere, and for the other modes, the whole workspace.
  const candidates = streams ? trackedListing(root) : undefined;
  const snapshot = candidates
    ? new NodeSnapshot(
        root,
        { files: candidates.files, tracked: new Set(candidates.tracked), problems: [] },
        { managedSettingsPath: null },
      )
    : openWorkspace(root, { managedSettingsPath: null });
  const policy = loadPolicy(snapshot, values.policy ? { policyPath: path.resolve(io.cwd, values.policy) } : {});
  const cache = new AnalysisCache();
  const a = codeownersAnalysis(snapshot, cache, policy);
  const head: Json = { version: 1, codeowners: a.choice.path, dialect: a.choice.dialect };
  const c = paint(io.color);
  const where = a.choice.path ? `${a.choice.path} (${a.choice.dialect})` : `no CODEOWNERS file (${a.choice.dialect})`;
  const note =
    a.ignoredWhole === 'too-large'
      ? `${a.choice.path} is 3 MB or more: the platform ignores all of it`
      : a.ignoredWhole === 'unreadable'
        ? `${a.choice.path} cannot be read`
        : undefined;

  const relative = (p: string) => {
    if (values.root !== undefined) return normalizePath(p);
    const r = path.relative(root, path.resolve(io.cwd, p));
    if (r.startsWith('..') || path.isAbsolute(r)) throw new UsageError(`${p} is outside the repository root ${root}`);
    return normalizePath(r.split(path.sep).join('/'));
  };

  if (streams) {
    if (note) io.err(c.yellow(`warning: ${note}\n`));
    // The JSON contract's results carry the overridden lines: computed for json, else only with --explain.
    const explain = values.explain || format === 'json';
    const resolver = new Resolver(a);
    const writer = new RecordWriter(io, format, head as unknown as Record<string, unknown>, (r) =>
      values.unowned ? unownedLine(r, c) : ownerLine(r, c, values.explain),
    );
    if (values.stdin) {
      await forEachPath(io.stdin!, values.z, (p) => writer.write(resolver.resolve(relative(p), explain)));
      writer.end();
      return EXIT_OK;
    }
    let n: number;
    let unownedCount = 0;
    if (candidates) {
      // Streamed from git: a file is resolved (and written) as soon as git has listed it.
      n = await candidates.stream((p) => {
        if (values.all) writer.write(resolver.resolve(p, explain));
        else if (!resolver.owned(p)) {
          unownedCount++;
          writer.write(resolver.resolve(p, explain));
        }
      });
    } else {
      const repo = repoOwnership(snapshot, cache, policy);
      n = repo.files.paths.length;
      unownedCount = repo.unownedCount;
      for (let i = 0; i < n; i++) if (values.all || !repo.owned[i]) writer.write(resolver.tracked(repo, i, explain));
    }
    writer.end();
    if (values.all) return EXIT_OK;
    if (format === 'text') io.err(`${unownedCount} of ${n} tracked files have no owner — ${where}\n`);
    return unownedCount ? EXIT_FINDINGS : EXIT_OK;
  }

  if (positionals.length) {
    const rel = positionals.map(relative);
    const results = ownersOf(snapshot, cache, policy, rel);
    if (format === 'json') {
      io.out(JSON.stringify({ ...head, results: results.map(resultJson) }, null, 2) + '\n');
      return EXIT_OK;
    }
    if (note) io.err(c.yellow(`warning: ${note}\n`));
    for (const r of results) io.out(describe(r, a.choice.path, c) + '\n');
    return EXIT_OK;
  }

  if (values.online) return online(a, root, values, format, io, head);

  const repo = repoOwnership(snapshot, cache, policy);
  // --coverage
  const total = repo.files.paths.length;
  const owned = total - repo.unownedCount;
  const dirs = new Map<string, { files: number; owned: number }>();
  repo.files.paths.forEach((p, i) => {
    const segs = p.split('/');
    const d = segs.length === 1 ? '(root)' : segs.slice(0, Math.min(depth, segs.length - 1)).join('/') + '/';
    const e = dirs.get(d) ?? { files: 0, owned: 0 };
    e.files++;
    if (repo.owned[i]) e.owned++;
    dirs.set(d, e);
  });
  const rows = [...dirs.entries()]
    .map(([dir, e]) => ({
      dir,
      files: e.files,
      owned: e.owned,
      unowned: e.files - e.owned,
      fraction: e.files ? e.owned / e.files : 1,
    }))
    .sort((x, y) => y.unowned - x.unowned || (x.dir < y.dir ? -1 : 1));
  const fraction = total ? owned / total : 1;
  const min = policy.ownership.minCoverage;
  if (format === 'json') {
    io.out(
      JSON.stringify(
        {
          ...head,
          coverage: { owned, total, fraction: round(fraction), ...(min !== undefined ? { minCoverage: min } : {}) },
          directories: rows.map((r) => ({ dir: r.dir, files: r.files, owned: r.owned, fraction: round(r.fraction) })),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    if (note) io.err(c.yellow(`warning: ${note}\n`));
    io.out(
      `${c.bold('Coverage')}: ${owned} of ${total} tracked files have an owner (${pct(fraction)})${min !== undefined ? `; the policy requires ${pct(min)}` : ''} — ${where}\n\n`,
    );
    const w = Math.max(9, ...rows.map((r) => r.dir.length));
    io.out(
      `${'directory'.padEnd(w)}  ${'files'.padStart(7)}  ${'owned'.padStart(7)}  ${'unowned'.padStart(7)}  ${'coverage'.padStart(8)}\n`,
    );
    for (const r of rows) {
      const cov = pct(r.fraction).padStart(8);
      io.out(
        `${r.dir.padEnd(w)}  ${String(r.files).padStart(7)}  ${String(r.owned).padStart(7)}  ${String(r.unowned).padStart(7)}  ${r.unowned ? c.yellow(cov) : cov}\n`,
      );
    }
  }
  return min !== undefined && fraction < min ? EXIT_FINDINGS : EXIT_OK;
}

/** `--online`: every owner of the CODEOWNERS file, checked through the GitHub API. */
async function online(
  a: CodeownersAnalysis,
  root: string,
  values: { repo?: string | undefined; api?: string | undefined },
  format: string,
  io: CliIO,
  head: Json,
): Promise<number> {
  if (a.choice.dialect !== 'github')
    throw new UsageError(
      `--online checks owners on GitHub; this repository's CODEOWNERS dialect is ${a.choice.dialect}`,
    );
  if (!a.choice.path) throw new UsageError('there is no CODEOWNERS file to check');
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token)
    throw new UsageError("--online needs a token in GITHUB_TOKEN or GH_TOKEN (read access to the org's teams)");
  const repo = values.repo ?? originRepo(root);
  if (!repo || !/^[^/\s]+\/[^/\s]+$/.test(repo))
    throw new UsageError('--online needs the GitHub repository: --repo OWNER/NAME (no GitHub `origin` remote found)');
  const owners: string[] = [];
  for (const r of a.parsed.rules)
    if (!r.skipped) for (const o of r.owners) if (o.kind !== 'invalid') owners.push(o.text);
  const results = await checkOwnersOnline(owners, { repo, token, ...(values.api ? { apiUrl: values.api } : {}) });
  const failed = results.filter((r) => r.status === 'unknown' || r.status === 'no-write-access');
  if (format === 'json') io.out(JSON.stringify({ ...head, repo, online: results }, null, 2) + '\n');
  else {
    const c = paint(io.color);
    for (const r of results)
      io.out(`${r.owner.padEnd(32)} ${r.status === 'ok' ? r.status : c.yellow(r.status)}  ${c.dim(r.message)}\n`);
    io.err(`${failed.length} of ${results.length} owners fail GitHub's requirements (${repo})\n`);
  }
  return failed.length ? EXIT_FINDINGS : EXIT_OK;
}

/** `owner/name` from the `origin` remote when it points at GitHub. */
function originRepo(root: string): string | undefined {
  const r = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8', windowsHide: true });
  if (r.status !== 0) return undefined;
  const m = /github[^/:]*[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\s*$/.exec(r.stdout);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** `--all`, `--stdin`: the path and its owners, as other CODEOWNERS tools print them; the line with --explain. */
function ownerLine(r: OwnerRecord, c: ReturnType<typeof paint>, explain: boolean): string {
  const owners = r.owners.length ? r.owners.join(' ') : c.yellow('(no owner)');
  if (!explain) return `${r.path}  ${owners}`;
  const how =
    r.line === null
      ? 'no line matches'
      : `line ${r.line} \`${r.pattern}\`${r.section !== undefined ? ` [${r.section}]` : ''}`;
  const over = r.overridden?.length ? `, overriding ${r.overridden.join(', ')}` : '';
  const opt = r.optional ? ', optional section: no approval required' : '';
  return `${r.path}  ${owners}  ${c.dim(`(${how}${over}${opt})`)}`;
}

/** `--unowned`: the path, and the line that un-owns it when one does. */
function unownedLine(r: OwnerRecord, c: ReturnType<typeof paint>): string {
  if (r.optional)
    return `${r.path}${c.dim(`  (owned only in optional section [${r.section ?? ''}] by line ${r.line} \`${r.pattern}\`: no approval required)`)}`;
  return `${r.path}${r.line !== null ? c.dim(`  (un-owned by line ${r.line} \`${r.pattern}\`)`) : ''}`;
}

function describe(r: OwnerResult, file: string | null, c: ReturnType<typeof paint>): string {
  const owners = r.owners.length ? r.owners.join(' ') : c.yellow('no owner');
  let how: string;
  if (r.line === null) how = file ? 'no CODEOWNERS line matches' : 'there is no CODEOWNERS file';
  else {
    how = `${file}:${r.line} \`${r.pattern}\`${r.section !== undefined ? ` [${r.section}]` : ''}${r.owners.length ? '' : ' un-owns it'}`;
    if (r.optional) how += ' (optional section: owners listed, but no approval is required)';
    if (r.overridden.length) how += `, overriding line${r.overridden.length > 1 ? 's' : ''} ${r.overridden.join(', ')}`;
    const others = (r.decidedBy ?? []).filter((d) => d.line !== r.line);
    if (others.length)
      how += `; with ${others.map((d) => `line ${d.line} \`${d.pattern}\` ${d.section ? `[${d.section}]` : '(default section)'}`).join(', ')}`;
  }
  const name = r.symlinkTo !== undefined ? `${r.path} → ${r.symlinkTo}` : r.path;
  const link =
    r.symlinkTo !== undefined
      ? `\n  ${c.dim(`a symlink: a change to its text is a change to ${r.symlinkTo}, so that file's ownership (below) is what counts`)}`
      : '';
  return `${c.bold(name)}  ${owners}${link}\n  ${c.dim(how)}`;
}

function pct(x: number): string {
  const v = Math.floor(x * 1000) / 10;
  return `${v}%`;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
