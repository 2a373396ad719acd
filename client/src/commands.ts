// The command registry (after rust-analyzer's): each command has an `enabled` implementation, used while the
// language server runs, and optionally a `disabled` one; without it the command explains that the server is not
// running and offers to restart it. Every id is in ./commandIds.ts and package.json.

import * as vscode from 'vscode';
import { EffectivePolicyRequest, OwnersRequest, RevalidateRequest, RulesRequest } from '../../server/src/lsp/protocol';
import type { ServerController } from './client';
import { COMMAND_TITLES, type CommandId } from './commandIds';
import type { Log } from './log';
import { readSettings, SECTION } from './settings';

export interface Ctx {
  controller: ServerController;
  log: Log;
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
};

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
