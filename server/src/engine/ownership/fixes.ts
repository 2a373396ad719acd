// Text edits the ownership rules offer: append lines to the CODEOWNERS file the platform reads (or create one),
// delete a line, replace a token.

import { appendLinesEdit, eolOf, FILE_START } from '../text';
import type { Report } from '../rule';
import type { FileEdit, Fix, Range } from '../types';
import { type CodeownersAnalysis } from './analysis';
import { defaultCodeownersPath } from './messages';
import type { CodeownersRule } from './parse';

export const NEW_FILE_HEADER = [
  '# CODEOWNERS: who must review changes to which paths. The last matching line wins.',
  '# https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners',
];

/** The file a finding about "the CODEOWNERS file" goes on: the one the platform reads, or where one would go. */
export function codeownersFile(a: CodeownersAnalysis): string {
  return a.choice.path ?? defaultCodeownersPath(a.choice.dialect);
}

/** The pattern a CODEOWNERS line starts with (up to the first blank that is not escaped). */
export function linePattern(line: string): string {
  const m = /^\s*((?:\\.|[^\s\\])+)/.exec(line);
  return m ? m[1]! : '';
}

/** The section lines appended at the end of the file land in: the last section header's (0 when there is none). */
function tailSection(a: CodeownersAnalysis): number {
  let best = 0;
  let bestLine = -1;
  for (const s of a.parsed.sections)
    for (const h of s.headers) if (h.line > bestLine) [best, bestLine] = [s.index, h.line];
  return best;
}

/** The first section header's line (GitLab), or -1 when the file has none. */
function firstHeaderLine(a: CodeownersAnalysis): number {
  let first = -1;
  for (const s of a.parsed.sections) for (const h of s.headers) if (first < 0 || h.line < first) first = h.line;
  return first;
}

/**
 * Append lines to the CODEOWNERS file, or create it when there is none. Undefined when it cannot be edited.
 * A fix never creates a finding of its own: an existing line of the same section with the same pattern as an appended
 * line would become a duplicate (owners/duplicate-pattern), so it is deleted in the same edit. That changes nothing
 * else: the appended line matches exactly the paths that line matched and, being last, overrides it on every one.
 * `alsoDelete`: rule indices the appended lines would leave deciding nothing (`deadAfterAppend`), deleted likewise.
 * GitLab: when the last section is optional (`^[Name]`), a line there would require nobody's approval, so the lines go
 * at the end of the default section instead (before the first section header), where approval is required.
 */
export function appendFix(
  a: CodeownersAnalysis,
  title: string,
  lines: string[],
  isPreferred = true,
  alsoDelete: readonly number[] = [],
): Fix | undefined {
  if (!lines.length) return undefined;
  let edit: FileEdit;
  if (a.choice.path) {
    if (!a.read?.ok) return undefined;
    const tail = tailSection(a);
    const optionalTail = a.parsed.sections[tail]?.optional === true;
    const section = optionalTail ? 0 : tail;
    // The line the appended lines go before (the end of the text, or the first section header).
    const at = optionalTail ? firstHeaderLine(a) : a.lines.lineCount;
    const patterns = new Set(lines.filter((l) => !l.startsWith('#')).map(linePattern));
    const doomed = a.parsed.rules
      .filter(
        (r) =>
          (!r.skipped && !r.negated && r.section === section && patterns.has(r.pattern.text)) ||
          alsoDelete.includes(r.index),
      )
      .map((r) => r.line)
      .filter((l) => l < at);
    if (optionalTail) {
      // One edit from the first deleted line (or the header) to the header: the kept lines, then the new ones.
      const drop = new Set(doomed);
      const first = Math.min(at, ...doomed);
      const from = a.lines.lineStarts[first]!;
      const to = a.lines.lineStarts[at]!;
      let kept = '';
      for (let l = first; l < at; l++) {
        if (drop.has(l)) continue;
        kept += a.text.slice(a.lines.lineStarts[l], a.lines.lineStarts[l + 1]);
      }
      const eol = eolOf(a.text);
      edit = { file: a.choice.path, range: a.lines.range(from, to), newText: kept + lines.join(eol) + eol };
    } else if (!doomed.length) edit = { file: a.choice.path, ...appendLinesEdit(a.text, lines) };
    else {
      // One edit from the first deleted line to the end: the kept lines, then the appended ones.
      const drop = new Set(doomed);
      const first = Math.min(...doomed);
      const from = a.lines.lineStarts[first]!;
      let rest = '';
      for (let l = first; l < a.lines.lineCount; l++) {
        if (drop.has(l)) continue;
        const start = a.lines.lineStarts[l]!;
        const end = l + 1 < a.lines.lineCount ? a.lines.lineStarts[l + 1]! : a.text.length;
        rest += a.text.slice(start, end);
      }
      const eol = eolOf(a.text);
      const newText = rest + (rest && !rest.endsWith('\n') ? eol : '') + lines.join(eol) + eol;
      edit = { file: a.choice.path, range: a.lines.range(from, a.text.length), newText };
    }
  } else {
    const file = defaultCodeownersPath(a.choice.dialect);
    // A new file that does not own itself would be owners/self-unprotected at once: give it the first line's owners.
    const owning = lines.find((l) => !l.startsWith('#') && l.trim().split(/\s+/).length > 1);
    const self = lines.some((l) => linePattern(l) === `/${file}`);
    const all = owning && !self ? [...lines, `/${file} ${owning.trim().split(/\s+/).slice(1).join(' ')}`] : lines;
    edit = { file, range: FILE_START, newText: [...NEW_FILE_HEADER, '', ...all].join('\n') + '\n', create: true };
  }
  return { title, edits: [edit], kind: 'quickfix', ...(isPreferred ? { isPreferred } : {}) };
}

/** Delete a whole CODEOWNERS line (with its line break). */
/**
 * The reports a rule makes about CODEOWNERS lines, kept across versions of the file. Parsed rules are immutable, and a
 * line that kept its text, number and rule index keeps its rule object (parseCodeowners with the previous version),
 * so a report made from that object and an unchanged `key` (whatever else the report says) is still right, and
 * reporting the same object again lets the engine reuse its finding. Never for the last line: its delete-line fix
 * ends at the end of the text, which moves when lines are added below it.
 */
export class LineReports<K> {
  private readonly kept = new WeakMap<CodeownersRule, { file: string; key: K; report: Report }>();
  constructor(private readonly same: (a: K, b: K) => boolean) {}

  get(a: CodeownersAnalysis, rule: CodeownersRule, key: K, make: () => Report): Report {
    const file = a.choice.path ?? '';
    const last = rule.line + 1 >= a.lines.lineCount;
    const k = this.kept.get(rule);
    if (k && !last && k.file === file && this.same(k.key, key)) return k.report;
    const report = make();
    if (!last) this.kept.set(rule, { file, key, report });
    return report;
  }
}

export function deleteLineFix(a: CodeownersAnalysis, rule: CodeownersRule, title: string): Fix | undefined {
  if (!a.choice.path || !a.read?.ok) return undefined;
  const start = a.lines.lineStarts[rule.line]!;
  const next = rule.line + 1 < a.lines.lineCount ? a.lines.lineStarts[rule.line + 1]! : a.text.length;
  return { title, edits: [{ file: a.choice.path, range: a.lines.range(start, next), newText: '' }], kind: 'quickfix' };
}

export function replaceFix(a: CodeownersAnalysis, range: Range, newText: string, title: string): Fix | undefined {
  if (!a.choice.path || !a.read?.ok) return undefined;
  return { title, edits: [{ file: a.choice.path, range, newText }], kind: 'quickfix', isPreferred: true };
}

/**
 * Give the paths one line decides for more owners by editing that line: its owners, then the missing ones. For a line
 * that already has the pattern a fix would append (appending would override it, and leave a duplicate pattern).
 */
export function addOwnersFix(
  a: CodeownersAnalysis,
  rule: CodeownersRule,
  add: readonly string[],
  title: string,
): Fix | undefined {
  if (!a.choice.path || !a.read?.ok) return undefined;
  const have = new Set(rule.effectiveOwners.map((o) => o.toLowerCase()));
  const missing = add.filter((o) => !have.has(o.toLowerCase()));
  const owners = [...rule.effectiveOwners, ...missing].join(' ');
  const range: Range = rule.owners.length
    ? { start: rule.owners[0]!.range.start, end: rule.owners[rule.owners.length - 1]!.range.end }
    : { start: rule.pattern.range.end, end: rule.pattern.range.end };
  return {
    title,
    edits: [{ file: a.choice.path, range, newText: rule.owners.length ? owners : ` ${owners}` }],
    kind: 'quickfix',
    isPreferred: true,
  };
}

/**
 * Replace a line's pattern (`range`) with `pattern` without leaving two lines with the same pattern in one section
 * (owners/duplicate-pattern): earlier such lines are deleted, since the edited line overrides them wherever they match;
 * when a later line already has the pattern, it overrides the edited line everywhere, so the line is deleted instead.
 * Either way the file resolves as the plain replacement would.
 */
export function replacePatternFix(
  a: CodeownersAnalysis,
  rule: CodeownersRule | undefined,
  range: Range,
  pattern: string,
  title: string,
): Fix | undefined {
  const plain = replaceFix(a, range, pattern, title);
  if (!plain || !rule) return plain;
  const same = a.parsed.rules.filter(
    (r) =>
      r !== rule &&
      !r.skipped &&
      r.negated === rule.negated &&
      r.section === rule.section &&
      r.pattern.text === pattern,
  );
  if (!same.length) return plain;
  const later = same.find((r) => r.index > rule.index);
  if (later) {
    const del = deleteLineFix(
      a,
      rule,
      `Delete line ${rule.line + 1} (line ${later.line + 1} already has \`${pattern}\`)`,
    );
    return del ? { ...del, isPreferred: true } : undefined;
  }
  const edits = [...plain.edits];
  for (const r of same) {
    const d = deleteLineFix(a, r, title);
    if (d) edits.push(...d.edits);
  }
  return { ...plain, edits };
}
