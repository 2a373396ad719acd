// The typed protocol between the VS Code client and the language server: the custom requests and notifications,
// the settings, and the initialization options. The client imports this module (esbuild bundles it into both).
// Only `vscode-languageserver-protocol` types here, never `vscode`.

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** `Diagnostic.source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'flywheel';

/**
 * The code-action kind of fixes that need an owner's ratification (`Fix.kind === 'proposal'`): instead of
 * editing the file, they draft a proposal for the file's owners. A sub-kind of `quickfix`, so editors show them in
 * the quick-fix menu. The flywheel supplies the action (see `ProposalActions` in ./codeActions.ts).
 */
export const PROPOSAL_ACTION_KIND = 'quickfix.flywheel.proposal';

/** Settings under `flywheel.*` (see package.json `contributes.configuration`). */
export interface FlywheelSettings {
  enable: boolean;
  /** The team policy, relative to the workspace folder or absolute. */
  policyPath: string;
  /** The machine's Claude Code managed settings file; empty = the OS location. */
  managedSettingsPath: string;
  /** Read the user's own Claude settings (~/.claude/settings.json) as the User scope. Opt-in. */
  userSettings: boolean;
  /** Wait this long after a change when more changes are arriving (a burst of keystrokes). */
  debounceMs: number;
  /** Publish at most this many diagnostics per file (errors first), the last one saying how many more there are.
   * VS Code shows at most 1,000 per file whatever a server sends; 0 = no limit. */
  maxDiagnosticsPerFile: number;
  /** Read this workspace's agent session logs (on this machine) for candidate signals. */
  sessionSignals: 'on' | 'off';
}

export const DEFAULT_SETTINGS: FlywheelSettings = {
  enable: true,
  policyPath: '.governance/policy.json',
  managedSettingsPath: '',
  userSettings: false,
  debounceMs: 150,
  maxDiagnosticsPerFile: 1000,
  sessionSignals: 'on',
};

/** The settings that may differ per workspace folder (`"scope": "resource"` in package.json): pulled per folder. */
export const FOLDER_SETTINGS = ['enable', 'policyPath'] as const satisfies readonly (keyof FlywheelSettings)[];
export type FolderSettings = Pick<FlywheelSettings, (typeof FOLDER_SETTINGS)[number]>;

export interface InitializationOptions {
  /** VS Code's workspace trust. Untrusted: files are listed without git and workspace-level paths are ignored. */
  trusted: boolean;
  settings?: Partial<FlywheelSettings>;
}

export type ServerState = 'starting' | 'checking' | 'ready' | 'disabled' | 'error';

export interface StatusParams {
  state: ServerState;
  /** Counts over every governance file of every workspace folder. */
  errors: number;
  warnings: number;
  infos: number;
  filesWithFindings: number;
  /** Draft proposals awaiting the user's ratification (0 until the flywheel lands). */
  proposalsAwaiting: number;
  /** The last run's duration. */
  durationMs?: number;
  /** A one-line explanation for 'error' and 'disabled'. */
  message?: string;
  /** The governance roots being checked (absolute paths). */
  roots: string[];
}

/** Server → client, after every completed run and on state changes. */
export namespace StatusNotification {
  export const method = 'flywheel/status' as const;
  export const type = new NotificationType<StatusParams>(method);
}

/** Client → server: forget caches and re-check every folder. Resolves with the status after the run. */
export namespace RevalidateRequest {
  export const method = 'flywheel/revalidate' as const;
  export const type = new RequestType0<StatusParams, void>(method);
}

export interface LocationLink {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface OwnersParams {
  uri: string;
}

export interface OwnersResult {
  /** False when the ownership surface is not available or the file is outside every root. */
  available: boolean;
  path?: string;
  owners: string[];
  /** The CODEOWNERS line that decides, when one matches. */
  decidedBy?: LocationLink & { text: string };
  message?: string;
}

/** Client → server: who owns a file, and which CODEOWNERS line decides. */
export namespace OwnersRequest {
  export const method = 'flywheel/owners' as const;
  export const type = new RequestType<OwnersParams, OwnersResult, void>(method);
}

export interface EffectivePolicyParams {
  /** A file in the workspace folder whose policy is wanted; the first folder when absent. */
  uri?: string;
}

export interface EffectivePolicyResult {
  root?: string;
  /** The sources merged into it, team policy first. */
  sources: { kind: string; path: string }[];
  /** The merged policy, as pretty JSON. */
  json: string;
}

/** Client → server: the merged policy (team policy over its org floors and the baseline). */
export namespace EffectivePolicyRequest {
  export const method = 'flywheel/effectivePolicy' as const;
  export const type = new RequestType<EffectivePolicyParams, EffectivePolicyResult, void>(method);
}

export interface RuleInfo {
  id: string;
  surface: string;
  description: string;
  severity: string;
  docsUrl: string;
}

/** Client → server: every registered rule with its effective severity and doc page. */
export namespace RulesRequest {
  export const method = 'flywheel/rules' as const;
  export const type = new RequestType<EffectivePolicyParams, RuleInfo[], void>(method);
}

// ---- The flywheel (`flywheel/*`): every decision is the engine's; an editor only shows the answers and asks. ----

/** Which workspace: the governance root holding `uri` (the first root when absent). */
export interface FlywheelParams {
  uri?: string;
}

/** A refusal, as the CLI's JSON error: `code` (not-owner, self-ratification, stale-target, usage, …) and a sentence. */
export interface FlywheelError {
  code: string;
  message: string;
}

export interface CaptureSignalParams extends FlywheelParams {
  kind: string;
  summary: string;
  details?: string;
  rootCause?: string;
  suggest?: string;
  agent?: string;
  /** Root-relative `path` or `path:LINE`. */
  files?: string[];
  source?: string;
  /** An incident: a failure with a severity, an owner and a root cause. */
  incident?: { severity: string; owner: string };
}

export interface CaptureSignalResult {
  error?: FlywheelError;
  id?: string;
  path?: string;
  uri?: string;
  /** The secrets removed before saving (field and kind), for the redaction notice. */
  redacted: { field: string; kind: string }[];
}

/** Client → server: capture a signal (`.governance/signals/<id>.md` and its ledger event). */
export namespace CaptureSignalRequest {
  export const method = 'flywheel/captureSignal' as const;
  export const type = new RequestType<CaptureSignalParams, CaptureSignalResult, void>(method);
}

export interface SignalGroupInfo {
  /** The group's first signal. */
  id: string;
  kind: string;
  summary: string;
  /** Recurrence: the signals in the group (the same lesson met again, by anyone). */
  count: number;
  signals: string[];
  proposals: string[];
  rootCause?: string;
  fingerprint?: string;
  uri: string;
}

export interface ListSignalsResult {
  root?: string;
  /** Most frequent first. */
  groups: SignalGroupInfo[];
  /** Signals per kind. */
  byKind: Record<string, number>;
  /** Records that could not be read (the flywheel/invalid-record rule reports them). */
  invalid: number;
}

/** Client → server: the signals, near-duplicates grouped and counted. */
export namespace ListSignalsRequest {
  export const method = 'flywheel/listSignals' as const;
  export const type = new RequestType<FlywheelParams, ListSignalsResult, void>(method);
}

export interface ProposalInfo {
  id: string;
  status: string;
  route: string;
  target: string;
  targets: string[];
  owners: string[];
  author: string;
  created: string;
  signals: string[];
  title?: string;
  /** The status the ledger backs (null: no events). */
  ledgerStatus: string | null;
  uri: string;
  /** Proposed, and the current person is an owner who may ratify it. */
  awaitingMe: boolean;
}

export interface Identity {
  email?: string;
  handle?: string;
  /**
   * Where it came from: git's identity (user.email / GIT_AUTHOR_EMAIL) mapped through flywheel.people, or the
   * GitHub sign-in the person granted in the editor (`flywheel/setIdentity`), its login mapped through the same policy.
   */
  source: 'git' | 'github' | 'none';
}

export interface ListProposalsResult {
  root?: string;
  me: Identity;
  /** Awaiting me first, then by status (proposed, ratified, draft, applied, rejected, superseded), oldest first. */
  proposals: ProposalInfo[];
  awaitingMe: number;
}

/** Client → server: the proposals, those awaiting the current person first. */
export namespace ListProposalsRequest {
  export const method = 'flywheel/listProposals' as const;
  export const type = new RequestType<FlywheelParams, ListProposalsResult, void>(method);
}

export interface Permission {
  allowed: boolean;
  /** Why (allowed or not), one sentence. */
  reason: string;
}

export interface ProposalDetailsParams extends FlywheelParams {
  id: string;
}

export interface ProposalDetails {
  error?: FlywheelError;
  proposal?: ProposalInfo;
  /** The proposal's Markdown body: the rationale. */
  rationale: string;
  signals: { id: string; kind: string; summary: string; count: number; uri?: string }[];
  /** Owners of the target as routed now. */
  owners: string[];
  /** The unified diff of the change against the targets as they are now ('' when it cannot be computed). */
  diff: string;
  diffProblem?: string;
  history: { action: string; actor: string; time: string; reason?: string }[];
  ledgerProblems: string[];
  me: Identity;
  may: { ratify: Permission; reject: Permission; apply: Permission };
}

/** Client → server: a proposal as a page: rationale, signals, target, owners, diff, history, and what I may do. */
export namespace ProposalDetailsRequest {
  export const method = 'flywheel/proposalDetails' as const;
  export const type = new RequestType<ProposalDetailsParams, ProposalDetails, void>(method);
}

export interface DecideParams extends FlywheelParams {
  id: string;
  action: 'ratify' | 'reject' | 'apply';
  /** Reject: why (recorded in the proposal and the ledger). */
  reason?: string;
}

export interface DecideResult {
  error?: FlywheelError;
  /** The proposal after the action (the CLI's JSON). */
  proposal?: Record<string, unknown>;
  changed: boolean;
  /** Apply: the files written (root-relative). */
  written?: string[];
}

/** Client → server: ratify, reject or apply, exactly as `flywheel ratify|reject|apply` (same checks, same ledger). */
export namespace DecideRequest {
  export const method = 'flywheel/decide' as const;
  export const type = new RequestType<DecideParams, DecideResult, void>(method);
}

export interface DraftProposalParams extends FlywheelParams {
  signals: string[];
  route?: string;
  target?: string;
  section?: string;
  text?: string;
  deny?: string[];
  /** hook/registry: the JSON edit (`--json-path`, `--json-value`; appended when the path is a list). */
  json?: { path: string[]; value: unknown; arrayInsert?: boolean };
  draft?: boolean;
}

export interface DraftProposalResult {
  error?: FlywheelError;
  proposals: {
    id: string;
    status: string;
    route: string;
    target: string;
    owners: string[];
    diff: string;
    uri: string;
  }[];
}

/** Client → server: draft proposals from signals, as `flywheel propose`. */
export namespace DraftProposalRequest {
  export const method = 'flywheel/draftProposal' as const;
  export const type = new RequestType<DraftProposalParams, DraftProposalResult, void>(method);
}

export interface SessionCandidateInfo {
  kind: string;
  summary: string;
  evidence: { file: string; line: number; excerpt: string }[];
  agent: string;
  session: string;
  fingerprint: string;
  /** Sessions it recurred in. */
  count: number;
  heuristic: string;
  why: string;
  /** Signals in the repository with this fingerprint (recurrence across the team). */
  accepted: number;
}

export interface SessionCandidatesResult {
  /** False when `flywheel.sessionSignals` is off: nothing was read. */
  enabled: boolean;
  candidates: SessionCandidateInfo[];
  /** Candidates left out because this person dismissed them. */
  dismissed: number;
  notes: string[];
}

/** Client → server: candidate signals from this workspace's agent sessions (read locally, never copied). */
export namespace SessionCandidatesRequest {
  export const method = 'flywheel/sessionCandidates' as const;
  export const type = new RequestType<FlywheelParams, SessionCandidatesResult, void>(method);
}

export interface CandidateActionParams extends FlywheelParams {
  fingerprints: string[];
  action: 'accept' | 'dismiss';
}

export interface CandidateActionResult {
  error?: FlywheelError;
  /** accept: the signals written. */
  accepted: { fingerprint: string; path: string; uri: string }[];
  /** dismiss: the fingerprints now dismissed (remembered per person, outside the repository). */
  dismissed: string[];
}

/** Client → server: accept session candidates as signals, or dismiss them (remembered by fingerprint). */
export namespace CandidateActionRequest {
  export const method = 'flywheel/candidateAction' as const;
  export const type = new RequestType<CandidateActionParams, CandidateActionResult, void>(method);
}

export interface SetIdentityParams {
  /** The GitHub login of the editor's GitHub authentication session; absent: act as git's identity again. */
  github?: string;
}

/**
 * Client → server: the person granted their GitHub sign-in (or signed out). From now on the flywheel acts as that
 * login, mapped through flywheel.people, and records `actor.via: "github"` in the ledger events it writes.
 */
export namespace SetIdentityNotification {
  export const method = 'flywheel/setIdentity' as const;
  export const type = new NotificationType<SetIdentityParams>(method);
}

export interface ReportResult {
  /** One offline HTML page (inline SVG charts, no script, no remote content). */
  html: string;
  markdown: string;
}

/** Client → server: the flywheel report (`flywheel report`). */
export namespace ReportRequest {
  export const method = 'flywheel/report' as const;
  export const type = new RequestType<FlywheelParams, ReportResult, void>(method);
}
