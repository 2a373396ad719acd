// A levelled output channel (VS Code's LogOutputChannel) that shows itself on errors, like rust-analyzer's Log.

import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(message: string): void {
    this.channel.trace(message);
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  /** Errors are logged and the channel is shown (without taking the focus). */
  error(message: string, err?: unknown): void {
    this.channel.error(
      err === undefined ? message : `${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    this.channel.show(true);
  }

  show(): void {
    this.channel.show();
  }

  dispose(): void {
    this.channel.dispose();
  }
}
