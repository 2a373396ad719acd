// Who the person is for the flywheel: git's identity by default (the server reads it), or — when the person grants
// it with "Flywheel: Use My GitHub Identity" — the GitHub account of VS Code's GitHub authentication session. Only
// the login travels to the server (`flywheel/setIdentity`), never the token; the server maps it through the
// policy's flywheel.people and records `actor.via: "github"` in the ledger events it writes. The choice is kept per
// machine (global state) and restored silently when the editor starts: no sign-in prompt unless the person asks.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SetIdentityNotification } from '../../server/src/lsp/protocol';
import type { Log } from './log';

const KEY = 'flywheel.identity';
const PROVIDER = 'github';
const SCOPES = ['read:user'];

export class GitHubIdentity implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private login: string | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly client: () => LanguageClient | undefined,
    private readonly log: Log,
  ) {
    this.subscription = vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === PROVIDER && this.granted) void this.restore();
    });
  }

  /** Whether the person chose their GitHub identity (kept across restarts). */
  get granted(): boolean {
    return this.state.get<string>(KEY) === 'github';
  }

  /** "Flywheel: Use My GitHub Identity": sign in (VS Code asks the person), then act as that login. */
  async use(): Promise<string | undefined> {
    let session: vscode.AuthenticationSession | undefined;
    try {
      session = await vscode.authentication.getSession(PROVIDER, SCOPES, { createIfNone: true });
    } catch (err) {
      this.log.warn(`GitHub sign-in: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    await this.state.update(KEY, 'github');
    this.send(session.account.label);
    void vscode.window.showInformationMessage(
      `Flywheel: acting as @${session.account.label} (your GitHub sign-in), mapped through flywheel.people.`,
    );
    return session.account.label;
  }

  /** "Flywheel: Use My Git Identity": back to git's identity (user.email). */
  async useGit(): Promise<void> {
    await this.state.update(KEY, 'git');
    this.send(undefined);
    void vscode.window.showInformationMessage("Flywheel: acting as git's identity (user.email).");
  }

  /** After the server (re)starts or the sessions change: tell it the granted login, without prompting. */
  async restore(): Promise<void> {
    if (!this.granted) return;
    let session: vscode.AuthenticationSession | undefined;
    try {
      session = await vscode.authentication.getSession(PROVIDER, SCOPES, { silent: true });
    } catch {
      session = undefined;
    }
    if (!session) this.log.info("No GitHub session (signed out?): acting as git's identity.");
    this.send(session?.account.label);
  }

  private send(login: string | undefined): void {
    this.login = login;
    const c = this.client();
    if (!c) return;
    void c.sendNotification(SetIdentityNotification.type, login ? { github: login } : {});
  }

  /** The login the server was last told (undefined: git's identity). */
  get current(): string | undefined {
    return this.login;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
