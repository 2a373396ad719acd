// Inline suppressions in Markdown and CODEOWNERS files:
//   <!-- flywheel-disable-next-line conventions/secret -- a documented example key -->
//   # flywheel-disable-next-line owners/no-match, owners/shadowed-rule -- kept for the release branch
// The reason after ` -- ` is mandatory; a suppression without one suppresses nothing and is itself a finding
// (`workspace/suppression`).

import type { AnalysisCache } from './cache';
import type { Snapshot } from './host';
import type { ResolvedPolicy } from './policy/types';
import type { FileKind, Finding, Range } from './types';

export const SUPPRESSIBLE_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'codeowners',
  'pr-template',
  'claude-md',
  'claude-local-md',
  'claude-rules',
  'agents-md',
  'gemini-md',
  'cursorrules',
  'cursor-mdc',
  'copilot-instructions',
  'copilot-scoped-instructions',
  'governance-proposal',
]);

export interface Suppression {
  /** 0-based line of the comment. */
  line: number;
  ruleIds: string[];
  reason: string;
  range: Range;
}

const DIRECTIVE = /flywheel-disable-next-line\b(.*)$/;

/** Every suppression comment of a file's text. */
export function parseSuppressions(text: string): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('flywheel-disable-next-line')) return out;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const m = DIRECTIVE.exec(raw);
    if (!m) continue;
    const trimmedStart = raw.trimStart();
    if (!trimmedStart.startsWith('#') && !trimmedStart.startsWith('<!--')) continue;
    let rest = m[1]!.replace(/-->\s*$/, '').trim();
    let reason = '';
    // ' -- ' splits the rules from the reason; with no rule named, the trimmed rest starts with '-- '.
    const sep = rest.startsWith('-- ') ? -1 : rest.indexOf(' -- ');
    if (rest.startsWith('-- ')) {
      reason = rest.slice(3).trim();
      rest = '';
    } else if (sep !== -1) {
      reason = rest.slice(sep + 4).trim();
      rest = rest.slice(0, sep);
    } else if (rest.endsWith(' --') || rest === '--') {
      rest = rest.replace(/\s*--$/, '');
    }
    const ruleIds = rest
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const start = raw.indexOf('flywheel-disable-next-line');
    out.push({
      line: i,
      ruleIds,
      reason,
      range: { start: { line: i, character: start }, end: { line: i, character: raw.length } },
    });
  }
  return out;
}

export function suppressionsOf(snapshot: Snapshot, cache: AnalysisCache, path: string): Suppression[] {
  return cache.memo(
    `suppressions:${path}`,
    () => snapshot.version(path),
    () => {
      const r = snapshot.read(path);
      return r.ok ? parseSuppressions(r.text) : [];
    },
  );
}

export function applySuppressions(
  snapshot: Snapshot,
  findings: Finding[],
  _policy: ResolvedPolicy,
  cache: AnalysisCache,
): Finding[] {
  const kinds = new Map(snapshot.governance.map((g) => [g.path, g.kind]));
  const byFile = new Map<string, Map<number, Set<string>>>();
  const lookup = (file: string): Map<number, Set<string>> | undefined => {
    const kind = kinds.get(file);
    if (!kind || !SUPPRESSIBLE_KINDS.has(kind)) return undefined;
    let map = byFile.get(file);
    if (!map) {
      map = new Map();
      for (const s of suppressionsOf(snapshot, cache, file)) {
        if (!s.reason) continue;
        map.set(s.line + 1, new Set(s.ruleIds));
      }
      byFile.set(file, map);
    }
    return map;
  };
  return findings.filter((f) => {
    if (f.ruleId === 'workspace/suppression') return true;
    const map = lookup(f.file);
    if (!map || map.size === 0) return true;
    return !map.get(f.range.start.line)?.has(f.ruleId);
  });
}
