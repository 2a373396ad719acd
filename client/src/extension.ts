// The VS Code extension: thin. It starts the language server (out/server.cjs), registers the commands, and shows
// the status; every check happens in the server. `activate` returns an API the editor tests use to wait for the
// server instead of sleeping.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { ServerController } from './client';
import { registerCommands } from './commands';
import { CaptureActions, GovernanceTree, ProposalPage } from './flywheel';
import { GitHubIdentity } from './identity';
import { Log } from './log';
import { SECTION } from './settings';
import { StatusItem } from './status';

export interface FlywheelApi {
  readonly client: LanguageClient | undefined;
  readonly latestStatus: StatusParams | undefined;
  readonly onDidChangeStatus: vscode.Event<StatusParams>;
}

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FlywheelApi> {
  const log = new Log('Governance Flywheel');
  const status = new StatusItem();
  controller = new ServerController(context, log, status);
  const identity = new GitHubIdentity(context.globalState, () => controller?.languageClient, log);
  const ctx = { controller, log, identity };
  context.subscriptions.push(log, status, controller, identity, ...registerCommands(ctx));
  // A (re)started server knows only git's identity: tell it the GitHub login the person granted, if any.
  context.subscriptions.push(controller.onDidStart(() => void identity.restore()));

  // The Governance view, the capture code actions; both refresh when .governance/ changes on disk (a checkout, a pull).
  const tree = new GovernanceTree(() => controller?.languageClient);
  const watcher = vscode.workspace.createFileSystemWatcher('**/.governance/**');
  const refresh = () => tree.refresh();
  context.subscriptions.push(
    vscode.window.createTreeView('flywheel.governance', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new CaptureActions(), {
      providedCodeActionKinds: CaptureActions.kinds,
    }),
    watcher,
    watcher.onDidCreate(refresh),
    watcher.onDidChange(refresh),
    watcher.onDidDelete(refresh),
    controller.onDidChangeStatus(() => ProposalPage.refreshAll()),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // The other flywheel.* settings reach the running server through workspace/didChangeConfiguration.
      if (e.affectsConfiguration(`${SECTION}.enable`)) await controller!.restart();
    }),
    // Restricted mode: the server lists files without git and ignores workspace-level paths; with trust granted
    // it restarts in full mode.
    vscode.workspace.onDidGrantWorkspaceTrust(() => controller!.restart()),
  );

  try {
    await controller.start();
  } catch (err) {
    log.error('Activation failed', err);
    void vscode.window.showErrorMessage(
      `Governance Flywheel failed to start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const c = controller;
  return {
    get client() {
      return c.languageClient;
    },
    get latestStatus() {
      return c.latestStatus;
    },
    onDidChangeStatus: c.onDidChangeStatus,
  };
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
}
