// Signals: what an agent session taught us, captured as one Markdown file with YAML frontmatter under
// `.governance/signals/<id>.md` (one file each, so two branches that capture signals merge without a conflict).
//
//   ---
//   id: S-20261206T031307Z-9f2c41ab
//   kind: failure                  # context-gap | instruction-gap | workflow-pattern | failure
//   summary: Agent introduced a risky schema migration
//   rootCause: The instructions did not require a rollback plan
//   suggest: "- Schema migrations include a rollback plan."   # optional: the change to make
//   agent: claude                  # claude | copilot | cursor | gemini | codex | other
//   files: [services/billing/migrations/0042.sql:12]
//   source: manual                 # or the session it came from (session:<agent>:<id>)
//   capturedBy: "@alice"           # the handle, or the email when it maps to none
//   captured: 2026-12-06T03:13:07Z
//   severity: high                 # incidents only (a failure with severity, owner and root cause)
//   incidentOwner: "@alice"
//   fingerprint: 3f0c9a1e5b7d2c44   # a session candidate's fingerprint (the same lesson, whoever met it)
//   ---
//   The details, free Markdown.
//
// This module is the record format other parts build on (session mining creates signals through `createSignal`).

import { findSecrets } from '../conventions/secrets';
import { parseFrontmatter, renderFrontmatter, str, strList } from './frontmatter';
import { newId, safeId } from './ids';

export const SIGNAL_DIR = '.governance/signals';
export const SIGNAL_KINDS = ['context-gap', 'instruction-gap', 'workflow-pattern', 'failure'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export const AGENTS = ['claude', 'copilot', 'cursor', 'gemini', 'codex', 'other'] as const;
export type Agent = (typeof AGENTS)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof SEVERITIES)[number];

export interface FileRef {
  path: string;
  line?: number;
}

export interface Signal {
  id: string;
  kind: SignalKind;
  summary: string;
  details?: string;
  rootCause?: string;
  /** The suggested change, free text (e.g. the rule to add). */
  suggest?: string;
  agent: Agent;
  files: FileRef[];
  /** `manual`, or the session it came from. */
  source: string;
  capturedBy: string;
  /** ISO 8601 UTC. */
  captured: string;
  /** Incidents: a failure with a severity, an incident owner and a root cause. */
  incident?: { severity: IncidentSeverity; owner: string };
  /** Accepted from agent sessions: the candidate's fingerprint, so recurrence across people is counted. */
  fingerprint?: string;
}

export interface SignalInput {
  kind: string;
  summary: string;
  details?: string;
  rootCause?: string;
  suggest?: string;
  agent?: string;
  files?: (string | FileRef)[];
  source?: string;
  incident?: { severity: string; owner: string };
  fingerprint?: string;
}

const FINGERPRINT_RE = /^[0-9a-f]{8,64}$/;

export class SignalError extends Error {}

/** `path` or `path:LINE` → a FileRef (forward slashes, no leading `./`). */
export function parseFileRef(s: string): FileRef {
  const m = /^(.*?):(\d+)$/.exec(s);
  const p = (m ? m[1]! : s).replace(/\\/g, '/').replace(/^\.\//, '');
  return m ? { path: p, line: Number(m[2]) } : { path: p };
}

export function fileRefText(f: FileRef): string {
  return f.line !== undefined ? `${f.path}:${f.line}` : f.path;
}

export interface Redaction {
  field: string;
  kind: string;
}

function redact(text: string, field: string, out: Redaction[]): string {
  const hits = findSecrets(text);
  if (!hits.length) return text;
  let r = '';
  let at = 0;
  for (const h of [...hits].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    r += text.slice(at, h.start) + `[REDACTED ${h.kind}]`;
    at = h.end;
    out.push({ field, kind: h.kind });
  }
  return r + text.slice(at);
}

/**
 * A new signal from what a person (or a session miner) captured: validated, secrets redacted (each reported in
 * `redactions`), with a fresh id. Throws SignalError on input that cannot make a signal.
 */
export function createSignal(
  input: SignalInput,
  ctx: { now: Date; capturedBy: string; random?: string },
): { signal: Signal; path: string; text: string; redactions: Redaction[] } {
  if (!(SIGNAL_KINDS as readonly string[]).includes(input.kind)) {
    throw new SignalError(`kind must be one of ${SIGNAL_KINDS.join(', ')} (got "${input.kind}")`);
  }
  const agent = input.agent ?? 'other';
  if (!(AGENTS as readonly string[]).includes(agent))
    throw new SignalError(`agent must be one of ${AGENTS.join(', ')} (got "${agent}")`);
  const redactions: Redaction[] = [];
  const summary = redact(input.summary.replace(/\s+/g, ' ').trim(), 'summary', redactions);
  if (!summary) throw new SignalError('the summary is empty');
  const opt = (v: string | undefined, field: string) =>
    v !== undefined && v.trim() ? redact(v.trim(), field, redactions) : undefined;
  const signal: Signal = {
    id: newId('S', ctx.now, ctx.random),
    kind: input.kind as SignalKind,
    summary,
    agent: agent as Agent,
    files: (input.files ?? []).map((f) => (typeof f === 'string' ? parseFileRef(f) : f)),
    source: input.source ?? 'manual',
    capturedBy: ctx.capturedBy,
    captured: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const details = opt(input.details, 'details');
  const rootCause = opt(input.rootCause, 'rootCause');
  const suggest = opt(input.suggest, 'suggest');
  if (details !== undefined) signal.details = details;
  if (rootCause !== undefined) signal.rootCause = rootCause;
  if (suggest !== undefined) signal.suggest = suggest;
  if (input.incident) {
    if (signal.kind !== 'failure') throw new SignalError('an incident is a failure: use --kind failure');
    if (!(SEVERITIES as readonly string[]).includes(input.incident.severity)) {
      throw new SignalError(`severity must be one of ${SEVERITIES.join(', ')} (got "${input.incident.severity}")`);
    }
    if (!/^@\S+$|^\S+@\S+$/.test(input.incident.owner))
      throw new SignalError(`the incident owner must be a handle (@name) or an email (got "${input.incident.owner}")`);
    if (!signal.rootCause) throw new SignalError('an incident needs a root cause (--root-cause)');
    signal.incident = { severity: input.incident.severity as IncidentSeverity, owner: input.incident.owner };
  }
  if (input.fingerprint !== undefined) {
    if (!FINGERPRINT_RE.test(input.fingerprint))
      throw new SignalError(`a fingerprint is 8 to 64 hex digits (got "${input.fingerprint}")`);
    signal.fingerprint = input.fingerprint;
  }
  for (const f of signal.files) {
    if (!f.path || f.path.startsWith('/') || /^[A-Za-z]:/.test(f.path) || f.path.split('/').includes('..')) {
      throw new SignalError(`related file ${f.path || '(empty)'} must be a path inside the repository`);
    }
  }
  return { signal, path: signalPath(signal.id), text: renderSignal(signal), redactions };
}

export function signalPath(id: string): string {
  return `${SIGNAL_DIR}/${id}.md`;
}

export function renderSignal(s: Signal): string {
  const data: Record<string, unknown> = {
    id: s.id,
    kind: s.kind,
    summary: s.summary,
    rootCause: s.rootCause,
    suggest: s.suggest,
    agent: s.agent,
    files: s.files.length ? s.files.map(fileRefText) : undefined,
    source: s.source,
    capturedBy: s.capturedBy,
    captured: s.captured,
    severity: s.incident?.severity,
    incidentOwner: s.incident?.owner,
    fingerprint: s.fingerprint,
  };
  return renderFrontmatter(data, s.details ? `${s.details}\n` : '');
}

export type SignalParse = { ok: true; signal: Signal } | { ok: false; message: string; line: number };

/** Parse a signal file; never throws. A problem is reported with its 1-based line. */
export function parseSignal(text: string): SignalParse {
  const p = parseFrontmatter(text);
  if (!p.ok) return p;
  const d = p.data;
  const id = str(d.id);
  if (!id || !safeId(id)) return { ok: false, message: 'the signal has no valid `id`', line: 2 };
  const kind = str(d.kind);
  if (!kind || !(SIGNAL_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, message: `\`kind\` must be one of ${SIGNAL_KINDS.join(', ')}`, line: 2 };
  }
  const summary = str(d.summary);
  if (!summary?.trim()) return { ok: false, message: 'the signal has no `summary`', line: 2 };
  const agent = str(d.agent) ?? 'other';
  const captured = str(d.captured);
  if (!captured || Number.isNaN(Date.parse(captured)))
    return { ok: false, message: '`captured` must be an ISO 8601 time', line: 2 };
  const signal: Signal = {
    id,
    kind: kind as SignalKind,
    summary: summary.trim(),
    agent: ((AGENTS as readonly string[]).includes(agent) ? agent : 'other') as Agent,
    files: strList(d.files).map(parseFileRef),
    source: str(d.source) ?? 'manual',
    capturedBy: str(d.capturedBy) ?? '',
    captured,
  };
  const rc = str(d.rootCause);
  const sg = str(d.suggest);
  const details = p.body.trim();
  if (rc) signal.rootCause = rc;
  if (sg) signal.suggest = sg;
  if (details) signal.details = details;
  const sev = str(d.severity);
  const owner = str(d.incidentOwner);
  if (sev && owner && (SEVERITIES as readonly string[]).includes(sev))
    signal.incident = { severity: sev as IncidentSeverity, owner };
  const fp = str(d.fingerprint);
  if (fp && FINGERPRINT_RE.test(fp)) signal.fingerprint = fp;
  return { ok: true, signal };
}

/**
 * Near-duplicates share this key: same kind, same related files, same root cause (case, spacing, punctuation aside).
 * Signals accepted from agent sessions group by their fingerprint: the same lesson met by different people.
 */
export function groupKey(s: Signal): string {
  if (s.fingerprint) return `fingerprint|${s.fingerprint}`;
  const norm = (t: string | undefined) =>
    (t ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const files = [...new Set(s.files.map((f) => f.path))].sort().join(',');
  return `${s.kind}|${files}|${norm(s.rootCause ?? s.summary)}`;
}
