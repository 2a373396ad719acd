// The `flywheel/*` requests: the flywheel as an editor sees it. Reads come from the engine's state of the workspace
// on disk (`.governance/`); every write is the flywheel service's (server/src/node/flywheel-service/), which the CLI
// verbs (`flywheel ratify|reject|apply|propose`, `signal add`, `signals scan --accept`) call too, so an editor and
// the CLI make the same checks, write the same records and refuse with the same codes. The identity is git's
// (user.email or GIT_AUTHOR_EMAIL) mapped through flywheel.people — or, once the person granted it in the editor
// (`flywheel/setIdentity`), their GitHub sign-in's login, mapped through the same policy.
//
// Dismissed session candidates are personal, like the transcripts they come from: kept by fingerprint in
// `$XDG_STATE_HOME/governance-flywheel/dismissed/<hash of the root>.json` (default `~/.local/state/…`), never in
// the repository.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisCache, BoundedMap } from '../engine/cache';
import { ChangeError, contentHash, unifiedDiff } from '../engine/flywheel/change';
import { actorName, isAuthor, isOwner, type Actor } from '../engine/flywheel/identity';
import type { Route } from '../engine/flywheel/policy';
import { proposalChanges, type ProposalRecord } from '../engine/flywheel/proposal';
import { reportHtml, reportMarkdown } from '../engine/flywheel/report';
import { ownersForTargets } from '../engine/flywheel/routing';
import { SignalError, type SignalInput } from '../engine/flywheel/signal';
import { backedStatus, recurrence } from '../engine/flywheel/state';
import { gitEmail, readInside, RefusedError } from '../node/flywheel';
import { draftOf, signalWriterFor } from '../node/flywheel-service/accept';
import { applyProposal } from '../node/flywheel-service/apply';
import { captureSignal } from '../node/flywheel-service/capture';
import {
  currentActor,
  openRoot,
  UsageError,
  type FlywheelCtx as Ctx,
  type IdentityClaim,
} from '../node/flywheel-service/context';
import { decide } from '../node/flywheel-service/decide';
import { propose, type ProposeOptions } from '../node/flywheel-service/propose';
import { buildReport } from '../node/flywheel-service/report';
import { scanSessions } from '../node/transcripts/scan';
import type { ProposalActions } from './codeActions';
import { PROPOSAL_ACTION_KIND } from './protocol';
import type {
  CandidateActionParams,
  CandidateActionResult,
  CaptureSignalParams,
  CaptureSignalResult,
  DecideParams,
  DecideResult,
  DraftProposalParams,
  DraftProposalResult,
  FlywheelError,
  Identity,
  ListProposalsResult,
  ListSignalsResult,
  Permission,
  ProposalDetails,
  ProposalInfo,
  ReportResult,
  SessionCandidatesResult,
} from './protocol';

const STATUS_ORDER = ['proposed', 'ratified', 'draft', 'applied', 'rejected', 'superseded'];

/** The GitHub sign-in the person granted in this editor (`flywheel/setIdentity`); undefined: git's identity. */
let claim: IdentityClaim | undefined;

/** Act as this GitHub login from now on (undefined: back to git's identity). */
export function setIdentityClaim(login: string | undefined): void {
  const l = login?.trim().replace(/^@/, '');
  claim = l && /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(l) ? { source: 'github', login: l } : undefined;
  opened.clear();
}

export function identityClaim(): IdentityClaim | undefined {
  return claim;
}

function uriOf(root: string, rel: string): string {
  return pathToFileURL(path.join(root, rel)).href;
}

function errorOf(err: unknown): FlywheelError {
  if (err instanceof RefusedError) return { code: err.code, message: err.message };
  if (err instanceof UsageError || err instanceof SignalError) return { code: 'usage', message: err.message };
  if (err instanceof TypeError && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    return { code: 'usage', message: err.message };
  return { code: 'error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * One analysis cache per workspace root, kept across requests: records whose text has not changed are not parsed (or
 * their chains verified) again. The cache is keyed by the records' texts, so an edit on disk, a pull or another
 * branch is always seen.
 */
const caches = new BoundedMap<string, AnalysisCache>(8);

/** Open the workspace afresh: every write, and every answer that is not one of a view refresh's reads. */
function open(root: string): Ctx {
  opened.delete(root);
  let cache = caches.get(root);
  if (!cache) caches.set(root, (cache = new AnalysisCache()));
  return openRoot(root, claim, cache);
}

/**
 * The read-only answers of one view refresh (proposals, signal groups, the status bar's count, a proposal's page, the
 * report) share one opened workspace for a moment: the three requests of a refresh arrive together, and each open
 * lists and reads every record. A write through this server, a file event under `.governance/` (a save, a pull,
 * another branch) and a change of identity forget it at once; otherwise it lives {@link SHARED_MS} ms.
 */
const SHARED_MS = 2000;
const opened = new BoundedMap<string, { ctx: Ctx; at: number; claim: IdentityClaim | undefined }>(8);
function read(root: string): Ctx {
  const o = opened.get(root);
  if (o && o.claim === claim && performance.now() - o.at < SHARED_MS) return o.ctx;
  const ctx = open(root);
  opened.set(root, { ctx, at: performance.now(), claim });
  return ctx;
}

/** Forget the shared workspaces: all of them (a file event under `.governance/`), or one root's (a write there). */
export function forgetOpened(root?: string): void {
  if (root === undefined) opened.clear();
  else opened.delete(root);
}

/** The current person, or undefined when there is no identity here (no GitHub sign-in, no git email). */
function me(ctx: Ctx): Actor | undefined {
  try {
    return currentActor(ctx);
  } catch {
    return undefined;
  }
}

function identity(a: Actor | undefined): Identity {
  if (!a) return { source: 'none' };
  return { email: a.email, ...(a.handle ? { handle: a.handle } : {}), source: a.via ?? 'git' };
}

function ownersOf(ctx: Ctx, p: ProposalRecord): string[] {
  return ownersForTargets(ctx.snapshot, ctx.cache, ctx.policy, ctx.fp, p.route, p.targets);
}

/** What `actor` may do with a proposal — the checks of `flywheel ratify|reject|apply`, without writing. */
export function permissions(ctx: Ctx, p: ProposalRecord, actor: Actor | undefined): ProposalDetails['may'] {
  const no = (reason: string): Permission => ({ allowed: false, reason });
  if (!actor) {
    const r = no(
      'git has no identity here: set `git config user.email` to the email flywheel.people maps to your handle',
    );
    return { ratify: r, reject: r, apply: r };
  }
  const who = actorName(actor);
  const owners = ownersOf(ctx, p);
  const decide = (verb: 'ratify' | 'reject'): Permission => {
    if (p.status !== 'proposed')
      return no(
        `${p.id} is ${p.status}: only a proposed proposal can be ${verb === 'ratify' ? 'ratified' : 'rejected'}`,
      );
    if (isAuthor(actor, p.author, p.authorEmail))
      return no(`${who} drafted it: the author never ${verb === 'ratify' ? 'ratifies' : 'rejects'} their own proposal`);
    if (!isOwner(actor, owners, ctx.fp)) {
      return no(
        `${who} is not an owner of ${p.target}${owners.length ? `: ${owners.join(' ')} may ${verb} it` : ' (it has no owner)'}`,
      );
    }
    if (verb === 'ratify') {
      for (const t of p.targets) {
        const drafted = p.sha256[t];
        if (drafted !== undefined && drafted !== contentHash(readInside(ctx.root, t))) {
          return no(`${t} changed since it was drafted: draft a new proposal against the current file`);
        }
      }
    }
    return { allowed: true, reason: `${who} is an owner of ${p.target}` };
  };
  let apply: Permission;
  if (p.status === 'applied') apply = no(`${p.id} is applied already`);
  else if (p.status !== 'ratified') apply = no(`${p.id} is ${p.status}: only a ratified proposal is applied`);
  else if (backedStatus(ctx.st, p.id) !== 'ratified')
    apply = no(`${p.id} is ratified in its file but not in the ledger`);
  else apply = { allowed: true, reason: `ratified: ${who} may apply it` };
  return { ratify: decide('ratify'), reject: decide('reject'), apply };
}

function info(ctx: Ctx, e: { path: string; proposal: ProposalRecord }, actor: Actor | undefined): ProposalInfo {
  const p = e.proposal;
  const owners = ownersOf(ctx, p);
  const awaitingMe =
    !!actor && p.status === 'proposed' && !isAuthor(actor, p.author, p.authorEmail) && isOwner(actor, owners, ctx.fp);
  return {
    id: p.id,
    status: p.status,
    route: p.route,
    target: p.target,
    targets: p.targets,
    owners,
    author: p.author,
    created: p.created,
    signals: p.signals,
    ...(p.title ? { title: p.title } : {}),
    ledgerStatus: backedStatus(ctx.st, p.id) ?? null,
    uri: uriOf(ctx.root, e.path),
    awaitingMe,
  };
}

export function listProposals(root: string): ListProposalsResult {
  const ctx = read(root);
  const actor = me(ctx);
  const proposals = ctx.st.proposals.map((e) => info(ctx, e, actor));
  const rank = (p: ProposalInfo) => (p.awaitingMe ? -1 : STATUS_ORDER.indexOf(p.status));
  proposals.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));
  return { root, me: identity(actor), proposals, awaitingMe: proposals.filter((p) => p.awaitingMe).length };
}

/** Proposals awaiting the current person (the status bar's count); 0 when anything is missing. */
export function awaitingCount(root: string): number {
  try {
    if (!fs.existsSync(path.join(root, '.governance', 'proposals')) || (!claim && !gitEmail(root))) return 0;
    return listProposals(root).awaitingMe;
  } catch {
    return 0;
  }
}

export function listSignals(root: string): ListSignalsResult {
  const ctx = read(root);
  const byKind: Record<string, number> = {};
  for (const s of ctx.st.signals) byKind[s.signal.kind] = (byKind[s.signal.kind] ?? 0) + 1;
  const pathOf = new Map(ctx.st.signals.map((s) => [s.signal.id, s.path]));
  const groups = [...ctx.st.groups.values()]
    .flatMap((g) => {
      const first = g[0];
      if (!first) return [];
      const proposals = [...new Set(g.flatMap((s) => ctx.st.proposalsOfSignal.get(s.id) ?? []))].sort();
      return [
        {
          id: first.id,
          kind: first.kind,
          summary: first.summary,
          count: g.length,
          signals: g.map((s) => s.id),
          proposals,
          ...(first.rootCause ? { rootCause: first.rootCause } : {}),
          ...(first.fingerprint ? { fingerprint: first.fingerprint } : {}),
          uri: uriOf(root, pathOf.get(first.id) ?? ''),
        },
      ];
    })
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  return { root, groups, byKind, invalid: ctx.st.invalid.length };
}

export function proposalDetails(root: string, id: string): ProposalDetails {
  const ctx = read(root);
  const actor = me(ctx);
  const empty: ProposalDetails = {
    rationale: '',
    signals: [],
    owners: [],
    diff: '',
    history: [],
    ledgerProblems: [],
    me: identity(actor),
    may: permissions(ctx, { id, status: 'draft' } as ProposalRecord, undefined),
  };
  const e = ctx.st.proposalById.get(id);
  if (!e) return { ...empty, error: { code: 'not-found', message: `no proposal ${id} in .governance/proposals/` } };
  const p = e.proposal;
  let diff = '';
  let diffProblem: string | undefined;
  try {
    diff = proposalChanges(p, (t) => readInside(ctx.root, t))
      .map(unifiedDiff)
      .join('');
  } catch (err) {
    diffProblem = err instanceof ChangeError || err instanceof RefusedError ? err.message : String(err);
  }
  const pathOf = new Map(ctx.st.signals.map((s) => [s.signal.id, s.path]));
  const chain = ctx.st.chains.get(p.id);
  return {
    proposal: info(ctx, e, actor),
    rationale: e.body.trim(),
    signals: p.signals.map((sid) => {
      const s = ctx.st.signalById.get(sid);
      const file = pathOf.get(sid);
      return s
        ? {
            id: sid,
            kind: s.kind,
            summary: s.summary,
            count: recurrence(ctx.st, s),
            ...(file ? { uri: uriOf(root, file) } : {}),
          }
        : { id: sid, kind: '', summary: '(missing signal)', count: 0 };
    }),
    owners: ownersOf(ctx, p),
    diff,
    ...(diffProblem ? { diffProblem } : {}),
    history: (chain?.events ?? []).map((ev) => ({
      action: ev.action,
      actor: ev.actor.handle ?? ev.actor.email,
      time: ev.time,
      ...(ev.reason ? { reason: ev.reason } : {}),
    })),
    ledgerProblems: (chain?.problems ?? []).map((x) => x.message),
    me: identity(actor),
    may: permissions(ctx, p, actor),
  };
}

export function captureSignalIn(root: string, params: CaptureSignalParams): CaptureSignalResult {
  try {
    const ctx = open(root);
    const actor = currentActor(ctx);
    const input: SignalInput = { kind: params.kind, summary: params.summary };
    if (params.details !== undefined) input.details = params.details;
    if (params.rootCause !== undefined) input.rootCause = params.rootCause;
    if (params.suggest !== undefined) input.suggest = params.suggest;
    if (params.agent !== undefined) input.agent = params.agent;
    if (params.files?.length) input.files = params.files;
    input.source = params.source ?? 'editor';
    if (params.incident) input.incident = params.incident;
    const made = captureSignal(ctx.root, input, actor);
    return { id: made.signal.id, path: made.path, uri: uriOf(root, made.path), redacted: made.redactions };
  } catch (err) {
    return { error: errorOf(err), redacted: [] };
  }
}

/** Run a service write; its JSON answer, or its refusal. */
function write(
  root: string,
  body: (ctx: Ctx) => { json: Record<string, unknown> },
): {
  json?: Record<string, unknown>;
  error?: FlywheelError;
} {
  try {
    return { json: body(open(root)).json };
  } catch (err) {
    return { error: errorOf(err) };
  }
}

export async function decideIn(root: string, params: DecideParams): Promise<DecideResult> {
  await Promise.resolve();
  if (params.id.startsWith('-'))
    return { error: { code: 'usage', message: 'a proposal id never starts with a dash' }, changed: false };
  if (params.action === 'reject' && !params.reason?.trim())
    return { error: { code: 'usage', message: '--reason TEXT is required' }, changed: false };
  const r = write(root, (ctx) =>
    params.action === 'apply'
      ? applyProposal(ctx, params.id)
      : decide(
          ctx,
          params.id,
          params.action === 'ratify' ? 'ratified' : 'rejected',
          params.action === 'reject' ? params.reason!.trim() : undefined,
        ),
  );
  if (r.error) return { error: r.error, changed: false };
  const json = r.json ?? {};
  return {
    proposal: json.proposal as Record<string, unknown>,
    changed: json.changed !== false,
    ...(Array.isArray(json.written) ? { written: json.written as string[] } : {}),
  };
}

export async function draftProposalIn(root: string, params: DraftProposalParams): Promise<DraftProposalResult> {
  await Promise.resolve();
  if (params.signals.some((x) => x.startsWith('-')))
    return { error: { code: 'usage', message: 'a signal id never starts with a dash' }, proposals: [] };
  const o: ProposeOptions = { signals: params.signals, draft: params.draft === true };
  if (params.route) o.route = params.route as Route;
  if (params.target) o.target = params.target;
  if (params.section) o.section = params.section;
  if (params.text !== undefined) o.text = params.text;
  if (params.deny?.length) o.deny = params.deny;
  if (params.json)
    o.json = { path: params.json.path.filter(Boolean), value: params.json.value, arrayInsert: true, unique: true };
  const r = write(root, (ctx) => propose(ctx, o));
  if (r.error) return { error: r.error, proposals: [] };
  const list = (r.json?.proposals ?? []) as {
    id: string;
    status: string;
    route: string;
    target: string;
    owners: string[];
    diff: string;
    path: string;
  }[];
  return {
    proposals: list.map((p) => ({
      id: p.id,
      status: p.status,
      route: p.route,
      target: p.target,
      owners: p.owners,
      diff: p.diff,
      uri: uriOf(root, p.path),
    })),
  };
}

// ---- Session candidates ----

function stateFile(root: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || path.join(env.HOME ?? os.homedir(), '.local', 'state');
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return path.join(base, 'governance-flywheel', 'dismissed', `${key}.json`);
}

export function dismissedOf(root: string, env: NodeJS.ProcessEnv = process.env): Set<string> {
  try {
    const v = JSON.parse(fs.readFileSync(stateFile(root, env), 'utf8')) as { fingerprints?: unknown };
    return new Set(
      Array.isArray(v.fingerprints) ? v.fingerprints.filter((x): x is string => typeof x === 'string') : [],
    );
  } catch {
    return new Set();
  }
}

function saveDismissed(root: string, set: Set<string>, env: NodeJS.ProcessEnv = process.env): void {
  const file = stateFile(root, env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ root, fingerprints: [...set].sort() }, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

export async function sessionCandidates(
  root: string,
  enabled: boolean,
  signal?: AbortSignal,
): Promise<SessionCandidatesResult> {
  if (!enabled) return { enabled: false, candidates: [], dismissed: 0, notes: [] };
  const env = process.env;
  const r = await scanSessions({ root, home: env.HOME ?? os.homedir(), env, ...(signal ? { signal } : {}) });
  const dismissed = dismissedOf(root);
  let acceptedBy = new Map<string, number>();
  try {
    const ctx = read(root);
    acceptedBy = new Map(
      [...ctx.st.groups.values()].flatMap((g) => (g[0]?.fingerprint ? [[g[0].fingerprint, g.length] as const] : [])),
    );
  } catch {
    // No readable workspace state: nothing accepted yet.
  }
  const shown = r.candidates.filter((c) => !dismissed.has(c.fingerprint));
  return {
    enabled: true,
    candidates: shown.map((c) => ({
      kind: c.kind,
      summary: c.summary,
      evidence: c.evidence,
      agent: c.agent,
      session: c.session,
      fingerprint: c.fingerprint,
      count: c.count,
      heuristic: c.heuristic,
      why: c.why,
      accepted: acceptedBy.get(c.fingerprint) ?? 0,
    })),
    dismissed: r.candidates.length - shown.length,
    notes: r.notes,
  };
}

export async function candidateAction(
  root: string,
  params: CandidateActionParams,
  enabled: boolean,
): Promise<CandidateActionResult> {
  const fps = params.fingerprints.filter((f) => /^[0-9a-f]{6,64}$/.test(f));
  if (params.action === 'dismiss') {
    const set = dismissedOf(root);
    for (const f of fps) set.add(f);
    saveDismissed(root, set);
    return { accepted: [], dismissed: fps };
  }
  if (!enabled)
    return {
      error: { code: 'disabled', message: 'flywheel.sessionSignals is off: agent sessions are not read' },
      accepted: [],
      dismissed: [],
    };
  try {
    const r = await scanSessions({ root, home: process.env.HOME ?? os.homedir(), env: process.env });
    const writer = signalWriterFor(root, claim);
    if (!writer) throw new Error('no signal store');
    const accepted: CandidateActionResult['accepted'] = [];
    for (const fp of fps) {
      const c = r.candidates.find((x) => x.fingerprint === fp || x.fingerprint.startsWith(fp));
      if (!c) throw new RefusedError('not-found', `no candidate has the fingerprint "${fp}" now (scan again)`);
      const written = writer(draftOf(c));
      accepted.push({ fingerprint: c.fingerprint, path: written, uri: uriOf(root, written) });
    }
    return { accepted, dismissed: [] };
  } catch (err) {
    return { error: errorOf(err), accepted: [], dismissed: [] };
  }
}

/**
 * The `ProposalActions` seam: a fix to a file that needs its owners' ratification becomes a "Propose: …" action.
 * Its command (`flywheel.proposeFix`, in the client) captures the finding as a signal and drafts a proposal to the
 * file's owners through `flywheel/captureSignal` and `flywheel/draftProposal`; nothing is edited directly. A fix
 * that adds permission rules to a JSON file (the Managed source) is a managed-deny proposal of those rules; a fix
 * to Markdown files is a convention proposal of its text. A fix that names its proposal (`fix.proposal`: the
 * registry change request of `mcp/unregistered-server`) is that route, target and JSON edit. Any other fix:
 * undefined (the caller keeps its default).
 */
export const proposalActionFor: ProposalActions = ({ root, finding, fix, diagnostic }) => {
  const text = fix.edits
    .map((e) => e.newText)
    .join('')
    .trim();
  const files = [...new Set(fix.edits.map((e) => e.file))];
  let route:
    { route: string; deny?: string[]; target?: string; text?: string; json?: DraftProposalParams['json'] } | undefined;
  if (fix.proposal)
    route = {
      route: fix.proposal.route,
      target: fix.proposal.target,
      ...(fix.proposal.json ? { json: fix.proposal.json } : {}),
    };
  else if (files.length && files.every((f) => /\.(md|mdc)$/i.test(f)) && text)
    route = { route: 'convention', target: files[0]!, text };
  else if (files.some((f) => /\.json$/i.test(f))) {
    const deny = [...text.matchAll(/"([A-Z][A-Za-z]*(?:\([^"]*\))?|mcp__[^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((r) => /\(|^mcp__/.test(r));
    if (deny.length) route = { route: 'managed-deny', deny: [...new Set(deny)] };
  }
  if (!route) return undefined;
  const title = `Propose: ${fix.title} (for the owners to ratify)`;
  const arg = {
    uri: uriOf(root, finding.file),
    file: finding.file,
    line: finding.range.start.line + 1,
    ruleId: finding.ruleId,
    message: finding.message,
    title: fix.title,
    ...route,
  };
  return {
    title,
    kind: PROPOSAL_ACTION_KIND,
    diagnostics: [diagnostic],
    command: { title, command: 'flywheel.proposeFix', arguments: [arg] },
  };
};

export function reportIn(root: string): ReportResult {
  const r = buildReport(read(root));
  return { html: reportHtml(r), markdown: reportMarkdown(r) };
}
