// The one adapter from the engine's findings to LSP diagnostics (like unified-language-server's
// vfileMessageToDiagnostic): rule id → `code`, its doc page → `codeDescription`, related locations →
// `relatedInformation`, a small finding id → `data` (read back by ./codeActions.ts, which takes the fixes from the
// session's current findings by that id).

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { BoundedMap } from '../engine/cache';
import { docsUrl } from '../engine/rule';
import type { Finding, Range, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE } from './protocol';

/**
 * What a diagnostic carries in `data`, only when its finding has fixes: the finding's identity (findingId). Code actions
 * take the fixes from the session's current findings of the document by the rule id (`code`), range, message and this
 * id, so fixes never travel with the diagnostics and a diagnostic from an older run never offers edits computed for
 * older text. Nothing else rides along: on a large CODEOWNERS every byte of a diagnostic is sent again for each
 * keystroke that changes one of its findings.
 */
export interface DiagnosticData {
  id: string;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/**
 * Whether two findings publish the same diagnostic: everything it shows (rule, severity, range, message, related
 * locations), not the fixes (code actions read those from the current findings). Field by field, allocation-free:
 * comparing a 1,500-finding CODEOWNERS after each keystroke must cost far less than serialising it.
 */
export function sameFinding(a: Finding, b: Finding): boolean {
  if (a === b) return true;
  if (a.ruleId !== b.ruleId || a.severity !== b.severity || a.messageId !== b.messageId || a.file !== b.file)
    return false;
  if (!sameRange(a.range, b.range) || a.message !== b.message) return false;
  const ra = a.related ?? [];
  const rb = b.related ?? [];
  if (ra.length !== rb.length) return false;
  for (let i = 0; i < ra.length; i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x.file !== y.file || x.message !== y.message || !sameRange(x.range, y.range)) return false;
  }
  return true;
}

export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameFinding(a[i]!, b[i]!)) return false;
  return true;
}

/** What identifies a finding for `data.id`: the fields sameFinding compares. */
function findingKey(f: Finding): string {
  const r = f.range;
  let k = `${f.ruleId}\u0001${f.severity}\u0001${f.file}\u0001${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\u0001${f.messageId ?? ''}\u0001${f.message}`;
  for (const x of f.related ?? [])
    k += `\u0002${x.file}\u0001${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character}\u0001${x.message}`;
  return k;
}

const ids = new WeakMap<Finding, string>();

/** A short id of a finding (FNV-1a of its key, base 36): what `data.id` carries. */
export function findingId(f: Finding): string {
  const known = ids.get(f);
  if (known !== undefined) return known;
  const k = findingKey(f);
  let h = 0x811c9dc5;
  for (let i = 0; i < k.length; i++) {
    h ^= k.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const id = (h >>> 0).toString(36);
  ids.set(f, id);
  return id;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The absolute path of a finding's file: root-relative paths join the root; `.` is the root itself; names that
 * are not paths (the embedded baseline, `flywheel:baseline`) have none. */
export function absolutePathOf(root: string, file: string): string | undefined {
  if (file === '.' || file === '') return root;
  if (path.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file)) return path.normalize(file);
  if (/^[a-z][a-z0-9+.-]+:/i.test(file)) return undefined;
  return path.join(root, ...file.split('/'));
}

/** The URI of a finding's file, or undefined when it names no file on disk. */
export function uriOf(root: string, file: string): string | undefined {
  const key = root + '\u0000' + file;
  const known = uris.get(key);
  if (known !== undefined || uris.has(key)) return known;
  const abs = absolutePathOf(root, file);
  const uri = abs === undefined ? undefined : pathToFileURL(abs).href;
  uris.set(key, uri);
  return uri;
}

/** uriOf's answers: pathToFileURL was most of the cost of turning a thousand related locations into diagnostics. */
const uris = new BoundedMap<string, string | undefined>(50_000);

/** The absolute path of a `file:` URI, or undefined for other schemes and malformed URIs. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** The diagnostic made from each finding, per root: findings are immutable and kept across runs while unchanged. */
const made = new WeakMap<Finding, { root: string; diagnostic: Diagnostic }>();

export function toDiagnostic(finding: Finding, root: string): Diagnostic {
  const known = made.get(finding);
  if (known && known.root === root) return known.diagnostic;
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
  };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const uri = uriOf(root, r.file);
    if (uri) related.push({ location: { uri, range: r.range }, message: r.message });
  }
  if (related.length) diagnostic.relatedInformation = related;
  if (finding.fixes?.length) diagnostic.data = { id: findingId(finding) } satisfies DiagnosticData;
  made.set(finding, { root, diagnostic });
  return diagnostic;
}

/** The rule id (`code`) and finding id (`data.id`, absent when the finding had no fixes when it was published) of one
 * of our diagnostics that the client sends back in a code-action request, read defensively; undefined for other
 * sources' diagnostics. */
export function dataOf(diagnostic: Diagnostic): { ruleId: string; id?: string } | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') return undefined;
  const d = diagnostic.data as Partial<DiagnosticData> | undefined;
  return { ruleId: diagnostic.code, ...(d && typeof d.id === 'string' ? { id: d.id } : {}) };
}
