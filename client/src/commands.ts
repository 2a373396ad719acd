// The command registry (after rust-analyzer's): each command has an `enabled` implementation, used while the
// language server runs, and optionally a `disabled` one; without it the command explains that the server is not
// running and offers to restart it. Every id is in ./commandIds.ts and package.json.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  EffectivePolicyRequest,
  ListProposalsRequest,
  OwnersRequest,
  ReportRequest,
  RevalidateRequest,
  RulesRequest,
} from '../../server/src/lsp/protocol';
import type { ServerController } from './client';
import { COMMAND_TITLES, type CommandId } from './commandIds';
import {
  candidateAction,
  captureSignal,
  decide,
  draftFromSignal,
  GovernanceTree,
  ProposalPage,
  proposeFix,
  type CaptureContext,
} from './flywheel';
import type { GitHubIdentity } from './identity';
import type { Log } from './log';
import { readSettings, SECTION } from './settings';

export interface Ctx {
  controller: ServerController;
  log: Log;
  identity: GitHubIdentity;
}

type Cmd = (...args: unknown[]) => unknown;

interface CommandFactory {
  enabled: (ctx: Ctx) => Cmd;
  disabled?: (ctx: Ctx) => Cmd;
}

const RULES_INDEX_URL = 'https://github.com/governance-flywheel/governance-flywheel/blob/main/docs/rules/README.md';
const POLICY_SKELETON = `{
  // The team policy. It may only tighten the org floor it extends (or the embedded baseline).
  "extends": "flywheel:baseline",
  "rules": {}
}
`;

const restart: CommandFactory['enabled'] = (ctx) => async () => {
  await ctx.controller.restart();
};

const showOutput: CommandFactory['enabled'] = (ctx) => () => ctx.log.show();

function activeUri(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri;
}

export const COMMANDS: Record<CommandId, CommandFactory> = {
  'flywheel.restart': { enabled: restart, disabled: restart },

  'flywheel.showOutput': { enabled: showOutput, disabled: showOutput },

  'flywheel.revalidate': {
    enabled: (ctx) => async () => {
      const client = ctx.controller.languageClient!;
      const status = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Flywheel: re-checking the workspace' },
        () => client.sendRequest(RevalidateRequest.type),
      );
      void vscode.window.showInformationMessage(
        `Governance Flywheel: ${status.errors} errors, ${status.warnings} warnings in ${status.filesWithFindings} files.`,
      );
      return status;
    },
  },

  'flywheel.showOwners': {
    enabled: (ctx) => async () => {
      const uri = activeUri();
      if (!uri) {
        void vscode.window.showInformationMessage(
          'Open a file first: this shows who owns it and which CODEOWNERS line decides.',
        );
        return undefined;
      }
      const client = ctx.controller.languageClient!;
      const result = await client.sendRequest(OwnersRequest.type, { uri: client.code2ProtocolConverter.asUri(uri) });
      if (!result.available) {
        void vscode.window.showInformationMessage(result.message ?? 'No ownership information for this file.');
        return result;
      }
      const who = result.owners.length ? result.owners.join(', ') : 'nobody (no CODEOWNERS line matches)';
      const line = result.decidedBy
        ? ` — CODEOWNERS line ${result.decidedBy.range.start.line + 1}: ${result.decidedBy.text}`
        : '';
      const open = result.decidedBy ? 'Open the CODEOWNERS Line' : undefined;
      const pick = await vscode.window.showInformationMessage(
        `${result.path ?? ''} is owned by ${who}${line}`,
        ...(open ? [open] : []),
      );
      if (pick && result.decidedBy) {
        const target = client.protocol2CodeConverter.asUri(result.decidedBy.uri);
        const r = result.decidedBy.range;
        await vscode.window.showTextDocument(target, {
          selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
        });
      }
      return result;
    },
  },

  'flywheel.showEffectivePolicy': {
    enabled: (ctx) => async () => {
      const client = ctx.controller.languageClient!;
      const uri = activeUri();
      const result = await client.sendRequest(
        EffectivePolicyRequest.type,
        uri ? { uri: client.code2ProtocolConverter.asUri(uri) } : {},
      );
      const header = `// The effective policy${result.root ? ` of ${result.root}` : ''}: ${result.sources.map((s) => `${s.path} (${s.kind})`).join(' over ')}\n`;
      const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: header + result.json });
      await vscode.window.showTextDocument(doc, { preview: true });
      return result;
    },
  },

  'flywheel.openRuleDocs': {
    enabled: (ctx) => async () => {
      const client = ctx.controller.languageClient!;
      const uri = activeUri();
      const rules = await client.sendRequest(
        RulesRequest.type,
        uri ? { uri: client.code2ProtocolConverter.asUri(uri) } : {},
      );
      const pick = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: r.id, description: r.severity, detail: r.description, url: r.docsUrl })),
        { title: 'Governance Flywheel rules', placeHolder: 'Open the documentation of a rule', matchOnDetail: true },
      );
      if (pick) await vscode.env.openExternal(vscode.Uri.parse(pick.url));
      return pick?.label;
    },
    disabled: () => async () => {
      await vscode.env.openExternal(vscode.Uri.parse(RULES_INDEX_URL));
    },
  },

  'flywheel.openPolicy': {
    enabled: () => openPolicy,
    disabled: () => openPolicy,
  },

  'flywheel.captureSignal': { enabled: (ctx) => (preset?: unknown) => captureSignal(clientOf(ctx), presetOf(preset)) },
  'flywheel.logIncident': {
    enabled: (ctx) => (preset?: unknown) => captureSignal(clientOf(ctx), { ...presetOf(preset), incident: true }),
  },
  'flywheel.draftProposalFromSignal': {
    enabled: (ctx) => (arg?: unknown, text?: unknown, deny?: unknown) =>
      draftFromSignal(
        clientOf(ctx),
        signalIdOf(arg),
        typeof text === 'string' ? text : undefined,
        Array.isArray(deny) ? deny.filter((d): d is string => typeof d === 'string') : undefined,
      ),
  },
  'flywheel.openProposal': {
    enabled: (ctx) => async (arg?: unknown) => {
      const id = typeof arg === 'string' ? arg : await pickAny(ctx);
      return id ? ProposalPage.show(clientOf(ctx), id) : undefined;
    },
  },
  'flywheel.ratifyProposal': {
    enabled: (ctx) => (arg?: unknown) => decide(clientOf(ctx), 'ratify', proposalIdOf(arg)),
  },
  'flywheel.rejectProposal': {
    enabled: (ctx) => (arg?: unknown) => decide(clientOf(ctx), 'reject', proposalIdOf(arg)),
  },
  'flywheel.applyProposal': { enabled: (ctx) => (arg?: unknown) => decide(clientOf(ctx), 'apply', proposalIdOf(arg)) },
  'flywheel.useGitHubIdentity': { enabled: (ctx) => () => ctx.identity.use() },
  'flywheel.useGitIdentity': { enabled: (ctx) => () => ctx.identity.useGit() },
  'flywheel.proposeFix': { enabled: (ctx) => (arg?: unknown) => proposeFix(clientOf(ctx), arg) },
  'flywheel.acceptCandidate': { enabled: (ctx) => (arg?: unknown) => candidateAction(clientOf(ctx), 'accept', arg) },
  'flywheel.dismissCandidate': { enabled: (ctx) => (arg?: unknown) => candidateAction(clientOf(ctx), 'dismiss', arg) },
  'flywheel.showReport': {
    enabled: (ctx) => async () => {
      const c = ctx.controller.languageClient!;
      const r = await c.sendRequest(ReportRequest.type, {});
      const panel = vscode.window.createWebviewPanel('flywheel.report', 'Flywheel Report', vscode.ViewColumn.Active, {
        enableScripts: false,
        localResourceRoots: [],
      });
      panel.webview.html = r.html;
      return panel;
    },
  },
  'flywheel.showGovernance': {
    enabled: () => showGovernance,
    disabled: () => showGovernance,
  },
  'flywheel.refreshGovernance': {
    enabled: () => () => GovernanceTree.current?.refresh(),
    disabled: () => () => GovernanceTree.current?.refresh(),
  },
};

async function showGovernance(): Promise<void> {
  await vscode.commands.executeCommand('flywheel.governance.focus');
  GovernanceTree.current?.refresh();
}

function clientOf(ctx: Ctx): () => LanguageClient | undefined {
  return () => ctx.controller.languageClient;
}

function presetOf(arg: unknown): CaptureContext & { kind?: string } {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const out: CaptureContext & { kind?: string } = {};
  for (const k of ['file', 'summary', 'agent', 'kind'] as const) if (typeof a[k] === 'string') out[k] = a[k];
  return out;
}

/** A tree item's node, a proposal id, or nothing (then the command asks). */
function proposalIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'p' in arg) return (arg as { p: { id: string } }).p.id;
  return undefined;
}

function signalIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'g' in arg) return (arg as { g: { id: string } }).g.id;
  return undefined;
}

async function pickAny(ctx: Ctx): Promise<string | undefined> {
  const c = ctx.controller.languageClient!;
  const list = await c.sendRequest(ListProposalsRequest.type, {});
  const pick = await vscode.window.showQuickPick(
    list.proposals.map((p) => ({
      label: p.id,
      description: `${p.status}${p.awaitingMe ? ' · awaiting you' : ''}`,
      detail: `${p.route} → ${p.target}`,
    })),
    { title: 'Open Proposal' },
  );
  return pick?.label;
}

async function openPolicy(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage(
      'Open a folder first: the policy lives in it, at .governance/policy.json.',
    );
    return;
  }
  const configured = readSettings().policyPath || '.governance/policy.json';
  const uri = /^([A-Za-z]:)?[\\/]/.test(configured)
    ? vscode.Uri.file(configured)
    : vscode.Uri.joinPath(folder.uri, configured);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    const create = 'Create It';
    const pick = await vscode.window.showInformationMessage(
      `There is no policy at ${configured}, so the embedded baseline policy applies. Create a team policy that extends it?`,
      create,
    );
    if (pick !== create) return;
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { ignoreIfExists: true, contents: new TextEncoder().encode(POLICY_SKELETON) });
    await vscode.workspace.applyEdit(edit);
  }
  await vscode.window.showTextDocument(uri);
}

/** The answer of a command that needs the server while it is not running. */
function notRunning(ctx: Ctx, id: CommandId): Cmd {
  return async () => {
    const disabled = !readSettings().enable;
    const what = `"Flywheel: ${COMMAND_TITLES[id]}" needs the Governance Flywheel language server`;
    if (disabled) {
      const enable = 'Enable';
      const pick = await vscode.window.showWarningMessage(
        `${what}, which is disabled by the setting flywheel.enable.`,
        enable,
      );
      if (pick === enable)
        await vscode.workspace.getConfiguration(SECTION).update('enable', true, vscode.ConfigurationTarget.Workspace);
      return undefined;
    }
    const restartLabel = 'Restart the Server';
    const output = 'Show Output';
    const pick = await vscode.window.showWarningMessage(`${what}, which is not running.`, restartLabel, output);
    if (pick === restartLabel) await ctx.controller.restart();
    if (pick === output) ctx.log.show();
    return undefined;
  };
}

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return (Object.keys(COMMANDS) as CommandId[]).map((id) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => {
      const factory = COMMANDS[id];
      const cmd = ctx.controller.running
        ? factory.enabled(ctx)
        : factory.disabled
          ? factory.disabled(ctx)
          : notRunning(ctx, id);
      return cmd(...args);
    }),
  );
}
