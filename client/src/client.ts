// The LanguageClient and its life cycle: start, stop, restart, an error handler that restarts a crashed server a
// few times and then says so, and the status notifications.

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { StatusNotification, type InitializationOptions, type StatusParams } from '../../server/src/lsp/protocol';
import type { Log } from './log';
import { enabledInSomeFolder, readSettings } from './settings';
import type { StatusItem } from './status';

const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** Restart a crashed server up to MAX_RESTARTS times in RESTART_WINDOW_MS, then stop and tell the user. */
class RestartingErrorHandler implements ErrorHandler {
  private readonly restarts: number[] = [];
  constructor(private readonly log: Log) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.error('Language server connection error', error);
    return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length && now - this.restarts[0]! > RESTART_WINDOW_MS) this.restarts.shift();
    if (this.restarts.length <= MAX_RESTARTS) {
      this.log.warn(`The language server stopped; restarting it (${this.restarts.length}/${MAX_RESTARTS}).`);
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The Governance Flywheel server stopped ${this.restarts.length} times in 3 minutes and will not be restarted. See the output for the cause; run "Flywheel: Restart the Language Server" to try again.`;
    this.log.error(message);
    return { action: CloseAction.DoNotRestart, message };
  }
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private lastStatus: StatusParams | undefined;
  private statusSubscription: vscode.Disposable | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  /** Fires on every status notification of the server (tests wait on it instead of sleeping). */
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly startEmitter = new vscode.EventEmitter<void>();
  /** Fires when a language server has started (again). */
  readonly onDidStart = this.startEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly status: StatusItem,
  ) {}

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  get latestStatus(): StatusParams | undefined {
    return this.lastStatus;
  }

  async start(): Promise<void> {
    if (this.client) return;
    const settings = readSettings();
    // flywheel.enable is per folder: the server runs when some folder has it on (and skips the others).
    if (!enabledInSomeFolder()) {
      this.status.stopped('disabled');
      this.log.info('Disabled by flywheel.enable; not starting the server.');
      return;
    }
    const module = this.context.asAbsolutePath('out/server.cjs');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const initializationOptions: InitializationOptions = { trusted: vscode.workspace.isTrusted, settings };
    const clientOptions: LanguageClientOptions = {
      // Every file: any file's hover shows its owners; the server decides which files it checks.
      documentSelector: [{ scheme: 'file' }],
      initializationOptions,
      outputChannel: this.log.channel,
      errorHandler: new RestartingErrorHandler(this.log),
      initializationFailedHandler: (error) => {
        this.log.error('The language server failed to initialize', error);
        void vscode.window
          .showErrorMessage(
            'Governance Flywheel could not start its language server; see the output for the cause.',
            'Show Output',
          )
          .then((pick) => {
            if (pick) this.log.show();
          });
        return false;
      },
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient('flywheel', 'Governance Flywheel', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) this.status.stopped('stopped');
      if (e.newState === State.Starting) this.status.stopped('starting');
    });
    this.status.stopped('starting');
    try {
      await client.start();
    } catch (err) {
      this.log.error('Starting the language server failed', err);
      this.status.stopped('stopped');
      return;
    }
    this.statusSubscription = client.onNotification(StatusNotification.type, (s) => {
      this.lastStatus = s;
      this.status.update(s);
      this.statusEmitter.fire(s);
    });
    this.log.info(`Language server started (${vscode.workspace.isTrusted ? 'trusted' : 'restricted mode'} workspace).`);
    this.startEmitter.fire();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.lastStatus = undefined;
    this.statusSubscription?.dispose();
    this.statusSubscription = undefined;
    if (!client) return;
    try {
      if (client.isRunning()) await client.stop(5000);
      else await client.dispose(5000);
    } catch (err) {
      this.log.warn(`Stopping the language server: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async restart(): Promise<void> {
    this.log.info('Restarting the language server.');
    await this.stop();
    await this.start();
  }

  dispose(): void {
    void this.stop();
    this.statusEmitter.dispose();
    this.startEmitter.dispose();
  }
}
