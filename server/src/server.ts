// The language server: wiring only. The engine does the checking (server/src/engine), the session keeps the
// workspace state (server/src/node/session.ts), and server/src/lsp/ adapts both to the protocol.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { effectiveSeverity, RULES } from './engine/index';
import { docsUrl } from './engine/rule';
import { POLICY_SECTIONS } from './engine/surfaces';
import { codeActionsFor, directProposal } from './lsp/codeActions';
import { completionsAt } from './lsp/completion';
import { hoverAt } from './lsp/hover';
import { documentLinks } from './lsp/links';
import {
  candidateAction,
  captureSignalIn,
  decideIn,
  draftProposalIn,
  forgetOpened,
  listProposals,
  listSignals,
  proposalActionFor,
  proposalDetails,
  reportIn,
  sessionCandidates,
  setIdentityClaim,
} from './lsp/flywheel';
import {
  CandidateActionRequest,
  CaptureSignalRequest,
  DecideRequest,
  DEFAULT_SETTINGS,
  DraftProposalRequest,
  EffectivePolicyRequest,
  ListProposalsRequest,
  ListSignalsRequest,
  ProposalDetailsRequest,
  ReportRequest,
  SessionCandidatesRequest,
  OwnersRequest,
  PROPOSAL_ACTION_KIND,
  RevalidateRequest,
  RulesRequest,
  SetIdentityNotification,
  StatusNotification,
  type CandidateActionParams,
  type SetIdentityParams,
  type CandidateActionResult,
  type CaptureSignalParams,
  type CaptureSignalResult,
  type DecideParams,
  type DecideResult,
  type DraftProposalParams,
  type DraftProposalResult,
  type FlywheelParams,
  type ListProposalsResult,
  type ListSignalsResult,
  type ProposalDetails,
  type ProposalDetailsParams,
  type ReportResult,
  type SessionCandidatesResult,
  type EffectivePolicyParams,
  type EffectivePolicyResult,
  type FlywheelSettings,
  type FolderSettings,
  type InitializationOptions,
  type OwnersParams,
  type OwnersResult,
  type RuleInfo,
  type StatusParams,
} from './lsp/protocol';
import { ownersOfFile } from './lsp/surfaces';
import { pathOfUri } from './lsp/toDiagnostic';
import { errorText, Workspaces } from './lsp/workspaces';

const connection = createConnection(ProposedFeatures.all);

// stdout is the protocol channel: everything printed goes to the client's output channel instead.
console.log = (...args: unknown[]) => connection.console.log(format(...args));
console.info = (...args: unknown[]) => connection.console.info(format(...args));
console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
console.error = (...args: unknown[]) => connection.console.error(format(...args));
process.on('uncaughtException', (err) => connection.console.error(`Uncaught exception: ${errorText(err)}`));
process.on('unhandledRejection', (err) => connection.console.error(`Unhandled rejection: ${errorText(err)}`));

const documents = new TextDocuments(TextDocument);
const workspaces = new Workspaces({
  diagnostics: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
  // Method names, not the protocol module's message types: those come from a newer vscode-jsonrpc than this
  // server library's, so TypeScript sees two unrelated classes. The params are typed by protocol.ts all the same.
  status: (status: StatusParams) => void connection.sendNotification(StatusNotification.method, status),
  log: (level, message) => connection.console[level](message),
});

let capabilities: ClientCapabilities = {};
let folders: string[] = [];
let init: InitializationOptions = { trusted: true };

connection.onInitialize((params): InitializeResult => {
  capabilities = params.capabilities;
  init = { trusted: true, ...((params.initializationOptions as InitializationOptions | undefined) ?? {}) };
  const fromFolders = (params.workspaceFolders ?? []).map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p);
  const fromRoot = params.rootUri ? pathOfUri(params.rootUri) : (params.rootPath ?? undefined);
  folders = fromFolders.length ? fromFolders : fromRoot ? [fromRoot] : [];
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, PROPOSAL_ACTION_KIND] },
      hoverProvider: true,
      documentLinkProvider: { resolveProvider: false },
      completionProvider: { triggerCharacters: ['@', '"', '('] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'Governance Flywheel' },
  };
});

connection.onInitialized(async () => {
  const dynamicWatch = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  if (dynamicWatch) {
    // Every file: creations, deletions and renames change the file list (ownership coverage); content changes of
    // governance files, the policy and the Managed source change findings.
    const watchers: { globPattern: string | { baseUri: string; pattern: string }; kind?: number }[] = [
      { globPattern: '**/*' },
    ];
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
  } else {
    connection.console.warn(
      'The client cannot watch files for the server: files changed outside the editor are seen after "Flywheel: Re-check the Workspace".',
    );
  }
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'flywheel' });
  }
  if (capabilities.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
      const removed = new Set(e.removed.map((f) => pathOfUri(f.uri)));
      folders = [
        ...folders.filter((f) => !removed.has(f)),
        ...e.added.map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p),
      ];
      await configure();
    });
  }
  await configure();
  watchOutsideFiles();
  for (const doc of documents.all()) {
    const abs = pathOfUri(doc.uri);
    if (abs) workspaces.open(abs, doc.getText(), doc.version);
  }
});

/** The machine's managed settings and the user's settings live outside the workspace: watch them too, when the
 * client can watch a folder outside it (relative patterns). */
function watchOutsideFiles(): void {
  const watch = capabilities.workspace?.didChangeWatchedFiles;
  if (!watch?.dynamicRegistration || !watch.relativePatternSupport) return;
  const files = new Set<string>();
  for (const e of workspaces.all) {
    const snap = e.session.snapshot();
    for (const f of [snap.managedSettingsPath, snap.userSettingsPath]) if (f && !e.session.relative(f)) files.add(f);
  }
  if (!files.size) return;
  const watchers = [...files].map((f) => ({
    globPattern: { baseUri: pathToFileURL(path.dirname(f)).href, pattern: path.basename(f) },
  }));
  void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
}

interface Settings {
  settings: Partial<FlywheelSettings>;
  /** Each folder's resource-scoped settings (FOLDER_SETTINGS), by folder path. */
  perFolder: Map<string, Partial<FolderSettings>>;
}

/**
 * The settings: pulled from the client when it supports `workspace/configuration` (the window's, then each folder's
 * with its `scopeUri`: `flywheel.enable` and `flywheel.policyPath` may differ per folder of a multi-root workspace),
 * else the initialization options and what the client pushes.
 */
async function readSettings(pushed?: unknown): Promise<Settings> {
  let settings: Partial<FlywheelSettings> = { ...DEFAULT_SETTINGS, ...(init.settings ?? {}) };
  const perFolder = new Map<string, Partial<FolderSettings>>();
  if (capabilities.workspace?.configuration) {
    try {
      const items = [
        { section: 'flywheel' },
        ...folders.map((f) => ({ section: 'flywheel', scopeUri: pathToFileURL(f).href })),
      ];
      const pulled = (await connection.workspace.getConfiguration(items)) as unknown[];
      const [windowValues, ...folderValues] = Array.isArray(pulled) ? pulled : [];
      if (isSettingsObject(windowValues)) settings = { ...settings, ...windowValues };
      folders.forEach((f, i) => {
        const v = folderValues[i];
        if (!isSettingsObject(v)) return;
        const own: Partial<FolderSettings> = {};
        if (typeof v.enable === 'boolean') own.enable = v.enable;
        if (typeof v.policyPath === 'string') own.policyPath = v.policyPath;
        perFolder.set(f, own);
      });
    } catch (err) {
      connection.console.warn(`Cannot read the flywheel settings: ${errorText(err)}`);
    }
  } else if (pushed && typeof pushed === 'object' && 'flywheel' in pushed) {
    settings = { ...settings, ...((pushed as { flywheel: Partial<FlywheelSettings> }).flywheel ?? {}) };
  }
  return { settings, perFolder };
}

function isSettingsObject(v: unknown): v is Partial<FlywheelSettings> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

async function configure(): Promise<void> {
  const { settings, perFolder } = await readSettings();
  workspaces.configure(folders, settings, init.trusted, perFolder);
}

connection.onDidChangeConfiguration(async (change) => {
  // VS Code's client also sends this right after the server registers for it: re-open only on a real change, and
  // only the folders whose settings changed (the others keep their sessions).
  const { settings, perFolder } = await readSettings(change.settings);
  if (workspaces.differs(settings, perFolder)) workspaces.configure(folders, settings, init.trusted, perFolder);
});

documents.onDidOpen((e) => {
  const abs = pathOfUri(e.document.uri);
  if (abs) workspaces.open(abs, e.document.getText(), e.document.version);
});
documents.onDidChangeContent((e) => {
  const abs = pathOfUri(e.document.uri);
  if (abs) workspaces.change(abs, e.document.getText(), e.document.version);
});
documents.onDidClose((e) => {
  const abs = pathOfUri(e.document.uri);
  if (abs) workspaces.close(abs);
});

connection.onDidChangeWatchedFiles((params) => {
  const type = {
    [FileChangeType.Created]: 'created',
    [FileChangeType.Changed]: 'changed',
    [FileChangeType.Deleted]: 'deleted',
  } as const;
  const events = params.changes
    .map((c) => ({ path: pathOfUri(c.uri), type: type[c.type] ?? 'changed' }))
    .filter((e): e is { path: string; type: 'created' | 'changed' | 'deleted' } => !!e.path);
  workspaces.filesChanged(events);
});
connection.onCodeAction((params) => {
  const abs = pathOfUri(params.textDocument.uri);
  const hit = abs ? workspaces.locate(abs) : undefined;
  if (!hit) return [];
  const { session } = hit.entry;
  const we = capabilities.workspace?.workspaceEdit;
  const versionOf = (p: string): number | null => {
    const h = workspaces.locate(p);
    return (h && h.entry.session.bufferVersion(h.rel)) ?? null;
  };
  const editCaps = {
    documentChanges: we?.documentChanges === true,
    createFiles: we?.resourceOperations?.includes('create') === true,
  };
  // Fixes that need the owners' ratification become flywheel proposals when the flywheel can route them.
  const direct = directProposal({ versionOf, capabilities: editCaps });
  return codeActionsFor({
    root: session.root,
    diagnostics: params.context.diagnostics,
    ...(params.context.only ? { only: params.context.only } : {}),
    current: session.findingsOf(hit.rel),
    proposals: (x) => proposalActionFor(x) ?? direct(x),
    versionOf,
    capabilities: editCaps,
  });
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  const abs = pathOfUri(params.textDocument.uri);
  if (!doc || !abs) return null;
  return hoverAt(workspaces.locate(abs), doc.getText(), params.position);
});

connection.onDocumentLinks((params) => {
  const doc = documents.get(params.textDocument.uri);
  const abs = pathOfUri(params.textDocument.uri);
  if (!doc || !abs) return [];
  return documentLinks(workspaces.locate(abs), doc.getText());
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  const abs = pathOfUri(params.textDocument.uri);
  if (!doc || !abs) return [];
  return completionsAt(workspaces.locate(abs), doc.getText(), params.position);
});

connection.onRequest(RevalidateRequest.method, (): Promise<StatusParams> => workspaces.revalidate());

connection.onRequest(OwnersRequest.method, (params: OwnersParams): OwnersResult => {
  const abs = pathOfUri(params.uri);
  return ownersOfFile(abs ? workspaces.locate(abs) : undefined);
});

connection.onRequest(EffectivePolicyRequest.method, (params: EffectivePolicyParams): EffectivePolicyResult => {
  const entry = entryFor(params.uri);
  if (!entry) return { sources: [], json: '{}' };
  const p = entry.session.currentPolicy();
  const merged = { rules: p.rules, ...Object.fromEntries(POLICY_SECTIONS.map((k) => [k, p[k]])) };
  return { root: entry.session.root, sources: p.sources, json: JSON.stringify(merged, null, 2) + '\n' };
});

connection.onRequest(RulesRequest.method, (params: EffectivePolicyParams): RuleInfo[] => {
  const entry = entryFor(params.uri);
  const policy = entry?.session.currentPolicy();
  return RULES.map((r) => ({
    id: r.meta.id,
    surface: r.meta.surface,
    description: r.meta.description,
    severity: policy ? effectiveSeverity(r, policy) : r.meta.defaultSeverity,
    docsUrl: docsUrl(r.meta.id),
  }));
});

// ---- The flywheel (`flywheel/*`, see ./lsp/flywheel.ts). ----

function flywheelRoot(uri: string | undefined): string | undefined {
  return entryFor(uri)?.session.root;
}

const NO_ROOT = { code: 'no-workspace', message: 'no governance root is open' };

connection.onNotification(SetIdentityNotification.method, (params: SetIdentityParams) => {
  setIdentityClaim(typeof params?.github === 'string' ? params.github : undefined);
  workspaces.identityChanged();
});

connection.onRequest(CaptureSignalRequest.method, (params: CaptureSignalParams): CaptureSignalResult => {
  const root = flywheelRoot(params.uri);
  const r = root ? captureSignalIn(root, params) : { error: NO_ROOT, redacted: [] };
  forgetOpened(root);
  if (!r.error) void workspaces.revalidate();
  return r;
});

connection.onRequest(ListSignalsRequest.method, (params: FlywheelParams): ListSignalsResult => {
  const root = flywheelRoot(params.uri);
  return root ? listSignals(root) : { groups: [], byKind: {}, invalid: 0 };
});

connection.onRequest(ListProposalsRequest.method, (params: FlywheelParams): ListProposalsResult => {
  const root = flywheelRoot(params.uri);
  return root ? listProposals(root) : { me: { source: 'none' }, proposals: [], awaitingMe: 0 };
});

connection.onRequest(ProposalDetailsRequest.method, (params: ProposalDetailsParams): ProposalDetails => {
  const root = flywheelRoot(params.uri);
  if (root) return proposalDetails(root, params.id);
  const no = { allowed: false, reason: NO_ROOT.message };
  return {
    error: NO_ROOT,
    rationale: '',
    signals: [],
    owners: [],
    diff: '',
    history: [],
    ledgerProblems: [],
    me: { source: 'none' },
    may: { ratify: no, reject: no, apply: no },
  };
});

connection.onRequest(DecideRequest.method, async (params: DecideParams): Promise<DecideResult> => {
  const root = flywheelRoot(params.uri);
  const r = root ? await decideIn(root, params) : { error: NO_ROOT, changed: false };
  forgetOpened(root);
  if (!r.error) void workspaces.revalidate();
  return r;
});

connection.onRequest(DraftProposalRequest.method, async (params: DraftProposalParams): Promise<DraftProposalResult> => {
  const root = flywheelRoot(params.uri);
  const r = root ? await draftProposalIn(root, params) : { error: NO_ROOT, proposals: [] };
  forgetOpened(root);
  if (!r.error) void workspaces.revalidate();
  return r;
});

connection.onRequest(ReportRequest.method, (params: FlywheelParams): ReportResult => {
  const root = flywheelRoot(params.uri);
  return root ? reportIn(root) : { html: '', markdown: '' };
});

async function sessionSignalsOn(): Promise<boolean> {
  return (await readSettings()).settings.sessionSignals !== 'off';
}

connection.onRequest(
  SessionCandidatesRequest.method,
  async (params: FlywheelParams, token): Promise<SessionCandidatesResult> => {
    const root = flywheelRoot(params.uri);
    if (!root) return { enabled: false, candidates: [], dismissed: 0, notes: [] };
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    try {
      return await sessionCandidates(root, await sessionSignalsOn(), abort.signal);
    } catch (err) {
      return { enabled: true, candidates: [], dismissed: 0, notes: [errorText(err)] };
    }
  },
);

connection.onRequest(
  CandidateActionRequest.method,
  async (params: CandidateActionParams): Promise<CandidateActionResult> => {
    const root = flywheelRoot(params.uri);
    const r = root
      ? await candidateAction(root, params, await sessionSignalsOn())
      : { error: NO_ROOT, accepted: [], dismissed: [] };
    forgetOpened(root);
    return r;
  },
);

function entryFor(uri: string | undefined) {
  const abs = uri ? pathOfUri(uri) : undefined;
  return (abs ? workspaces.locate(abs)?.entry : undefined) ?? workspaces.all[0];
}

documents.listen(connection);
connection.listen();
