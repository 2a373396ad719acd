// The one adapter from the engine's findings to LSP diagnostics (like unified-language-server's
// vfileMessageToDiagnostic): rule id → `code`, its doc page → `codeDescription`, related locations →
// `relatedInformation`, the fixes → `data` (read back by ./codeActions.ts).

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import { docsUrl } from '../engine/rule';
import type { Finding, Fix, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE } from './protocol';

/** What a diagnostic carries in `data`. */
export interface DiagnosticData {
  ruleId: string;
  messageId?: string;
  /** The finding's file as the engine names it (root-relative, or absolute outside the root). */
  file: string;
  fixes?: Fix[];
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
  const abs = absolutePathOf(root, file);
  return abs === undefined ? undefined : pathToFileURL(abs).href;
}

/** The absolute path of a `file:` URI, or undefined for other schemes and malformed URIs. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function toDiagnostic(finding: Finding, root: string): Diagnostic {
  const data: DiagnosticData = { ruleId: finding.ruleId, file: finding.file };
  if (finding.messageId) data.messageId = finding.messageId;
  if (finding.fixes?.length) data.fixes = finding.fixes;
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
    data,
  };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const uri = uriOf(root, r.file);
    if (uri) related.push({ location: { uri, range: r.range }, message: r.message });
  }
  if (related.length) diagnostic.relatedInformation = related;
  return diagnostic;
}

/** Read `data` back from a diagnostic the client returns (in a code-action request), defensively. */
export function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const d = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (!d || typeof d.ruleId !== 'string' || typeof d.file !== 'string') return undefined;
  return {
    ruleId: d.ruleId,
    file: d.file,
    ...(typeof d.messageId === 'string' ? { messageId: d.messageId } : {}),
    ...(Array.isArray(d.fixes) ? { fixes: d.fixes.filter(isFix) } : {}),
  };
}

function isFix(x: unknown): x is Fix {
  const f = x as Fix;
  return !!f && typeof f.title === 'string' && Array.isArray(f.edits) && f.edits.every((e) => e && typeof e.file === 'string' && typeof e.newText === 'string' && !!e.range);
}
