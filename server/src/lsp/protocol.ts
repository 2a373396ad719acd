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
}

export const DEFAULT_SETTINGS: FlywheelSettings = {
  enable: true,
  policyPath: '.governance/policy.json',
  managedSettingsPath: '',
  userSettings: false,
  debounceMs: 150,
  maxDiagnosticsPerFile: 1000,
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
