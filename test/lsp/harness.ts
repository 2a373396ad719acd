// Drives the BUILT language server (out/server.cjs) over stdio with a protocol connection, as an editor would
// (after unified-language-server's tests). Waits on notifications, never on timers: `waitForDiagnostics` resolves
// when the latest diagnostics of a file satisfy a predicate. A guard rejects a wait that never ends, naming what
// it waited for, so a broken server fails the test instead of hanging it.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type RegistrationParams,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { FlywheelSettings, InitializationOptions, StatusParams } from '../../server/src/lsp/protocol';
import { REPO_ROOT } from '../helpers';

export const SERVER = path.join(REPO_ROOT, 'out', 'server.cjs');

/** Build out/server.cjs when it is missing or older than the sources (`npm test` builds first anyway). */
export async function ensureBuilt(): Promise<void> {
  const newest = newestMtime(path.join(REPO_ROOT, 'server', 'src'));
  if (fs.existsSync(SERVER) && fs.statSync(SERVER).mtimeMs >= newest) return;
  const esbuild = await import('esbuild');
  // The same options as esbuild.mjs's server entry.
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'server', 'src', 'server.ts')],
    outfile: SERVER,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    mainFields: ['module', 'main'],
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function uriOf(root: string, rel: string): string {
  return pathToFileURL(path.join(root, rel)).href;
}

export interface StartOptions {
  root: string;
  settings?: Partial<FlywheelSettings>;
  trusted?: boolean;
  /** Client capabilities to leave out (to test fallbacks). */
  noDocumentChanges?: boolean;
  env?: Record<string, string>;
  /** More workspace folders after `root` (a multi-root workspace). */
  folders?: string[];
  /** Answer `workspace/configuration` (the client then declares the capability); default: the client has none. */
  configuration?: (items: { section?: string; scopeUri?: string }[]) => unknown[];
}

const GUARD_MS = 60_000;

export class Harness {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** The URI of every textDocument/publishDiagnostics notification, in order (to see what was re-sent). */
  readonly publishes: string[] = [];
  readonly statuses: StatusParams[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly logs: string[] = [];
  private readonly listeners = new Set<() => void>();
  private versions = new Map<string, number>();
  /** The text of each open document as last sent. */
  private texts = new Map<string, string>();
  private exited: Promise<number | null>;

  private constructor(
    readonly root: string,
    readonly conn: ProtocolConnection,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publishes.push(p.uri);
      this.notify();
    });
    conn.onNotification('flywheel/status', (s: StatusParams) => {
      this.statuses.push(s);
      this.notify();
    });
    conn.onNotification('window/logMessage', (m: { message: string }) => {
      this.logs.push(m.message);
    });
    conn.onRequest(RegistrationRequest.method, (p: RegistrationParams) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('workspace/configuration', () => [null]);
  }

  static async start(opts: StartOptions): Promise<Harness> {
    await ensureBuilt();
    const child = spawn(process.execPath, [SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FLYWHEEL_MANAGED_SETTINGS: path.join(opts.root, '.no-managed-settings.json'),
        ...(opts.env ?? {}),
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const h = new Harness(opts.root, conn, child);
    const answer = opts.configuration;
    if (answer)
      conn.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) =>
        answer(p.items),
      );
    conn.listen();
    const initializationOptions: InitializationOptions = {
      trusted: opts.trusted ?? true,
      settings: opts.settings ?? {},
    };
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(opts.root).href,
      workspaceFolders: [opts.root, ...(opts.folders ?? [])].map((f) => ({
        uri: pathToFileURL(f).href,
        name: path.basename(f),
      })),
      initializationOptions,
      capabilities: {
        workspace: {
          workspaceEdit: opts.noDocumentChanges ? {} : { documentChanges: true, resourceOperations: ['create'] },
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
          workspaceFolders: true,
          ...(answer ? { configuration: true } : {}),
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          hover: { contentFormat: ['markdown'] },
        },
      },
    });
    void conn.sendNotification(InitializedNotification.type, {});
    void stderr;
    return h;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolve when `test()` returns a value other than undefined/false, re-testing on every notification. */
  waitFor<T>(what: string, test: () => T | undefined | false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let v: T | undefined | false;
        try {
          v = test();
        } catch (err) {
          cleanup();
          reject(err);
          return;
        }
        if (v !== undefined && v !== false) {
          cleanup();
          resolve(v);
        }
      };
      const guard = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `waited too long for ${what}; diagnostics for: ${[...this.diagnostics.keys()].map((u) => path.relative(this.root, new URL(u).pathname)).join(', ')}`,
          ),
        );
      }, GUARD_MS);
      const cleanup = () => {
        clearTimeout(guard);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The latest diagnostics of a root-relative file once they satisfy `test`. */
  waitForDiagnostics(
    rel: string,
    test: (d: Diagnostic[]) => boolean,
    what = `diagnostics of ${rel}`,
  ): Promise<Diagnostic[]> {
    const uri = uriOf(this.root, rel);
    return this.waitFor(what, () => {
      const d = this.diagnostics.get(uri) ?? [];
      return test(d) ? d : undefined;
    });
  }

  /** The first status with state 'ready' after `after` statuses were received. */
  waitForReady(after = 0): Promise<StatusParams> {
    return this.waitFor('a ready status', () => this.statuses.slice(after).find((s) => s.state === 'ready'));
  }

  codes(rel: string): string[] {
    return (this.diagnostics.get(uriOf(this.root, rel)) ?? []).map((d) => String(d.code));
  }

  open(rel: string, text?: string, languageId = 'plaintext'): string {
    const uri = uriOf(this.root, rel);
    const content = text ?? fs.readFileSync(path.join(this.root, rel), 'utf8');
    this.versions.set(uri, 1);
    this.texts.set(uri, content);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text: content },
    });
    return uri;
  }

  /** Replace the whole text of an open document. */
  change(rel: string, text: string): number {
    const uri = uriOf(this.root, rel);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /**
   * Change an open document to `text` the way VS Code sends a keystroke: one ranged change (the span between the
   * common prefix and suffix of the old and new text), not the whole text. Needs the text the document has now
   * (from `open` or an earlier `change`/`type`).
   */
  type(rel: string, text: string): number {
    const uri = uriOf(this.root, rel);
    const old = this.texts.get(uri);
    if (old === undefined) throw new Error(`type(): ${rel} is not open with a known text`);
    let pre = 0;
    const max = Math.min(old.length, text.length);
    while (pre < max && old.charCodeAt(pre) === text.charCodeAt(pre)) pre++;
    let suf = 0;
    while (suf < max - pre && old.charCodeAt(old.length - 1 - suf) === text.charCodeAt(text.length - 1 - suf)) suf++;
    const at = (offset: number) => {
      const before = old.slice(0, offset);
      const line = before.split('\n').length - 1;
      return { line, character: offset - (before.lastIndexOf('\n') + 1) };
    };
    const range = { start: at(pre), end: at(old.length - suf) };
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text: text.slice(pre, text.length - suf) }],
    });
    return version;
  }

  close(rel: string): void {
    void this.conn.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri: uriOf(this.root, rel) },
    });
  }

  /** Write (or delete, when `text` is null) a file on disk and tell the server, as the editor's watcher would. */
  writeFile(rel: string, text: string | Buffer | null): void {
    const abs = path.join(this.root, rel);
    const existed = fs.existsSync(abs);
    if (text === null) fs.rmSync(abs, { force: true });
    else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
    const type = text === null ? FileChangeType.Deleted : existed ? FileChangeType.Changed : FileChangeType.Created;
    void this.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(this.root, rel), type }],
    });
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest(ShutdownRequest.type);
      void this.conn.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}

/** A temporary copy of a fixture workspace. */
export function copyFixture(src: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'flywheel-lsp-'));
  fs.cpSync(src, dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
