// The status bar item: findings in governance files, proposals awaiting the user, and the server's state.

import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('flywheel.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Governance Flywheel';
    this.stopped('starting');
    this.item.show();
  }

  /** The server reported its status. */
  update(s: StatusParams): void {
    const parts: string[] = [];
    if (s.state === 'checking') parts.push('$(sync~spin)');
    else if (s.state === 'error') parts.push('$(error)');
    else parts.push('$(shield)');
    parts.push('Flywheel');
    if (s.state !== 'disabled') {
      if (s.errors) parts.push(`$(error) ${s.errors}`);
      if (s.warnings) parts.push(`$(warning) ${s.warnings}`);
      if (!s.errors && !s.warnings && s.state === 'ready') parts.push('$(check)');
    }
    if (s.proposalsAwaiting) parts.push(`$(git-pull-request) ${s.proposalsAwaiting}`);
    this.item.text = parts.join(' ');
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Governance Flywheel** — ${s.state}${s.message ? `: ${escape(s.message)}` : ''}\n\n`);
    tip.appendMarkdown(`${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos in ${s.filesWithFindings} files`);
    if (s.durationMs !== undefined) tip.appendMarkdown(` (checked in ${s.durationMs} ms)`);
    if (s.proposalsAwaiting) tip.appendMarkdown(`\n\n${s.proposalsAwaiting} proposals await your ratification`);
    tip.appendMarkdown('\n\nClick to open the Problems panel.');
    this.item.tooltip = tip;
    this.item.command = s.state === 'error' ? 'flywheel.showOutput' : 'workbench.actions.view.problems';
    this.item.backgroundColor =
      s.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  /** The server is not running: starting, stopped after a crash, disabled, or waiting for workspace trust. */
  stopped(reason: 'starting' | 'stopped' | 'disabled'): void {
    const icon = reason === 'starting' ? '$(sync~spin)' : reason === 'disabled' ? '$(circle-slash)' : '$(error)';
    this.item.text = `${icon} Flywheel`;
    this.item.tooltip =
      reason === 'starting'
        ? 'Governance Flywheel is starting'
        : reason === 'disabled'
          ? 'Governance Flywheel is disabled (flywheel.enable)'
          : 'The Governance Flywheel server stopped. Click to restart it.';
    this.item.command = reason === 'stopped' ? 'flywheel.restart' : 'flywheel.showOutput';
    this.item.backgroundColor =
      reason === 'stopped' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|]/g, (c) => '\\' + c);
}
