// The server's workspaces: one WorkspaceSession per governance root, the buffers and file events routed to them,
// debounced and cancellable validation runs, and the publishing of diagnostics for every file that has findings
// (open or not), clearing the files that no longer have any.

import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, RelPath } from '../engine/types';
import { defaultUserSettingsPath, findRoot } from '../node/discovery';
import { WorkspaceSession, type FileEvent, type SessionOptions } from '../node/session';
import { awaitingCount, forgetOpened } from './flywheel';
import {
  DEFAULT_SETTINGS,
  DIAGNOSTIC_SOURCE,
  FOLDER_SETTINGS,
  type FlywheelSettings,
  type FolderSettings,
  type ServerState,
  type StatusParams,
} from './protocol';
import { sameFindings, toDiagnostic, uriOf } from './toDiagnostic';

export interface Publisher {
  diagnostics(uri: string, diagnostics: Diagnostic[]): void;
  status(status: StatusParams): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface Entry {
  session: WorkspaceSession;
  /** The options it was opened with (the folder's settings): a new configuration with the same ones keeps it. */
  options: SessionOptions;
  /** Published diagnostics by the engine's file name: the URI, the findings they show (in document order) and how
   * many more the file has (over `maxDiagnosticsPerFile`). */
  published: Map<string, { uri: string; findings: Finding[]; hidden: number }>;
}

/** A file located in a session: the session's entry and the root-relative path. */
export interface Located {
  entry: Entry;
  rel: RelPath;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Workspaces {
  /** Proposals awaiting the current person (git's or GitHub's identity), over every root; recounted after `.governance/` changes. */
  private awaiting: number | undefined;
  private entries: Entry[] = [];
  private settings: FlywheelSettings = { ...DEFAULT_SETTINGS };
  private folderSettings: ReadonlyMap<string, Partial<FolderSettings>> = new Map();
  private trusted = true;
  private folders: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private cancelRequested = false;
  private state: ServerState = 'starting';
  private lastMessage: string | undefined;
  private lastDuration: number | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly out: Publisher) {}

  get all(): readonly Entry[] {
    return this.entries;
  }

  get currentSettings(): FlywheelSettings {
    return this.settings;
  }

  /** Whether these settings differ from the current ones in anything the sessions use. */
  differs(
    settings: Partial<FlywheelSettings>,
    perFolder: ReadonlyMap<string, Partial<FolderSettings>> = new Map(),
  ): boolean {
    const next: FlywheelSettings = { ...DEFAULT_SETTINGS, ...stripUndefined(settings) };
    if ((Object.keys(DEFAULT_SETTINGS) as (keyof FlywheelSettings)[]).some((k) => next[k] !== this.settings[k]))
      return true;
    const folders = new Set([...perFolder.keys(), ...this.folderSettings.keys()]);
    return [...folders].some((f) =>
      FOLDER_SETTINGS.some((k) => this.forFolder(f, next, perFolder)[k] !== this.forFolder(f)[k]),
    );
  }

  /** A folder's own settings: its resource-scoped values over the window's. */
  private forFolder(
    folder: string,
    settings: FlywheelSettings = this.settings,
    perFolder: ReadonlyMap<string, Partial<FolderSettings>> = this.folderSettings,
  ): FlywheelSettings {
    return { ...settings, ...stripUndefined(perFolder.get(folder) ?? {}) };
  }

  /**
   * (Re)create the sessions for the workspace folders, each with its own settings (`perFolder`: the resource-scoped
   * ones, by folder path). A session whose root and options are unchanged is kept; the diagnostics of sessions that
   * go away are cleared. A folder with `flywheel.enable` false gets no session.
   */
  configure(
    folders: readonly string[],
    settings: Partial<FlywheelSettings>,
    trusted: boolean,
    perFolder: ReadonlyMap<string, Partial<FolderSettings>> = new Map(),
  ): void {
    this.awaiting = undefined;
    this.settings = { ...DEFAULT_SETTINGS, ...stripUndefined(settings) };
    this.folderSettings = new Map(perFolder);
    this.trusted = trusted;
    this.folders = [...folders];
    const previous = new Map(this.entries.map((e) => [sessionKey(e.session.root, e.options), e]));
    this.entries = [];
    const roots = new Set<string>();
    for (const folder of this.folders) {
      if (!this.forFolder(folder).enable) continue;
      const root = findRoot(folder);
      if (roots.has(root)) continue;
      roots.add(root);
      const options = this.sessionOptions(folder);
      const kept = previous.get(sessionKey(root, options));
      if (kept) {
        previous.delete(sessionKey(root, options));
        this.entries.push(kept);
        continue;
      }
      try {
        const t0 = performance.now();
        const session = new WorkspaceSession(root, options);
        const { files, governance } = session.size;
        this.out.log(
          'info',
          `Opened ${root}: ${files} files, ${governance} governance files, listed in ${Math.round(performance.now() - t0)} ms${this.trusted ? '' : ' (restricted mode: listed without git)'}.`,
        );
        this.entries.push({ session, options, published: new Map() });
      } catch (err) {
        this.out.log('error', `Cannot open the workspace ${root}: ${errorText(err)}`);
      }
    }
    for (const e of previous.values()) for (const { uri } of e.published.values()) this.out.diagnostics(uri, []);
    const allOff = this.folders.length ? this.folders.every((f) => !this.forFolder(f).enable) : !this.settings.enable;
    if (allOff) {
      this.state = 'disabled';
      this.lastMessage = 'flywheel.enable is false';
      this.sendStatus();
      return;
    }
    this.state = 'checking';
    this.lastMessage = undefined;
    this.sendStatus();
    this.schedule(0);
  }

  /** The default policy path is the governance root's; a relative path the user set is relative to the workspace
   * folder (the root may be above it). */
  private sessionOptions(folder: string): SessionOptions {
    const s = this.forFolder(folder);
    const opts: SessionOptions = {};
    if (s.policyPath && s.policyPath !== DEFAULT_SETTINGS.policyPath)
      opts.policyPath = path.isAbsolute(s.policyPath) ? s.policyPath : path.join(folder, s.policyPath);
    if (s.managedSettingsPath) opts.managedSettingsPath = s.managedSettingsPath;
    opts.userSettingsPath = s.userSettings ? defaultUserSettingsPath() : null;
    // Untrusted workspaces are listed without git: a repository's git config can run programs (core.fsmonitor).
    if (!this.trusted) opts.git = false;
    return opts;
  }

  /** The session whose root holds an absolute path (the innermost one), with the root-relative path. */
  locate(abs: string): Located | undefined {
    let best: Located | undefined;
    for (const entry of this.entries) {
      const rel = entry.session.relative(abs);
      if (rel === undefined) continue;
      if (!best || entry.session.root.length > best.entry.session.root.length) best = { entry, rel };
    }
    return best;
  }

  open(abs: string, text: string, version: number): void {
    const hit = this.locate(abs);
    if (!hit) return;
    hit.entry.session.open(hit.rel, text, version);
    this.changed();
  }

  change(abs: string, text: string, version: number): void {
    const hit = this.locate(abs);
    if (!hit) return;
    hit.entry.session.change(hit.rel, text, version);
    this.changed();
  }

  close(abs: string): void {
    const hit = this.locate(abs);
    if (!hit) return;
    hit.entry.session.close(hit.rel);
    this.changed();
  }

  filesChanged(events: readonly FileEvent[]): void {
    if (!events.length) return;
    if (events.some((e) => /[/\\]\.governance[/\\]/.test(e.path))) {
      this.awaiting = undefined;
      forgetOpened();
    }
    for (const entry of this.entries) {
      try {
        entry.session.filesChanged(events);
      } catch (err) {
        this.out.log('error', `Re-listing ${entry.session.root} failed: ${errorText(err)}`);
      }
    }
    this.changed();
  }

  /** The acting person changed (a GitHub sign-in granted or dropped): recount what awaits them. */
  identityChanged(): void {
    this.awaiting = undefined;
    this.sendStatus();
  }

  /** Forget caches, re-list and re-check everything; resolves when the run is done. */
  async revalidate(): Promise<StatusParams> {
    this.awaiting = undefined;
    for (const e of this.entries) e.session.invalidateAll();
    this.state = 'checking';
    this.sendStatus();
    this.changed();
    await this.idle();
    return this.status();
  }

  /** Resolves when no run is pending or in progress. */
  idle(): Promise<void> {
    if (!this.running && !this.timer && !this.entries.some((e) => e.session.isDirty)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Something changed. An isolated change is checked at once; a change that arrives while a run is queued or in
   * progress (a burst of keystrokes) cancels the run and waits `debounceMs` after the latest change.
   */
  private changed(): void {
    if (this.running) {
      this.cancelRequested = true;
      return;
    }
    this.schedule(this.timer ? this.settings.debounceMs : 0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runAll().finally(() => {
        this.running = undefined;
        if (this.entries.some((e) => e.session.isDirty)) this.schedule(this.settings.debounceMs);
        else for (const w of this.waiters.splice(0)) w();
      });
    }, delay);
  }

  private async runAll(): Promise<void> {
    this.cancelRequested = false;
    const t0 = performance.now();
    let failed: string | undefined;
    for (const entry of this.entries) {
      if (!entry.session.isDirty) continue;
      try {
        const outcome = await entry.session.run({ isCancelled: () => this.cancelRequested, pause });
        if (outcome.cancelled) return;
        const p0 = performance.now();
        this.publish(entry, outcome.changedFiles);
        if (outcome.durationMs > 250 || outcome.ran.length > 20) {
          const slowest = outcome.ruleMs
            .slice(0, 3)
            .map(([id, ms]) => `${id} ${Math.round(ms)} ms`)
            .join(', ');
          this.out.log(
            'info',
            `Checked ${entry.session.root}: ${outcome.ran.length} rules in ${Math.round(outcome.durationMs)} ms (slowest: ${slowest}); published ${outcome.changedFiles.size} files in ${Math.round(performance.now() - p0)} ms.`,
          );
        }
      } catch (err) {
        failed = `Checking ${entry.session.root} failed: ${errorText(err)}`;
        this.out.log('error', failed);
      }
    }
    this.lastDuration = performance.now() - t0;
    this.state = failed ? 'error' : 'ready';
    this.lastMessage = failed;
    this.sendStatus();
  }

  /**
   * Publish the diagnostics of the files whose findings may have changed (`'all'`: every file). Work is proportional
   * to what changed: only the findings of those files are looked at, each file's findings are compared field by field
   * with the ones last published (sameFinding: what the diagnostic shows, not the fixes, which code actions read
   * from the current findings), and diagnostics are built and sent only for the files that differ.
   */
  private publish(entry: Entry, files: ReadonlySet<string> | 'all'): void {
    const { session } = entry;
    const targets = files === 'all' ? undefined : files;
    const byFile = new Map<string, Finding[]>();
    for (const f of session.findings()) {
      if (targets && !targets.has(f.file)) continue;
      let list = byFile.get(f.file);
      if (!list) byFile.set(f.file, (list = []));
      list.push(f);
    }
    const all = targets ?? new Set([...byFile.keys(), ...entry.published.keys()]);
    for (const file of all) {
      const findings = byFile.get(file) ?? [];
      const before = entry.published.get(file);
      if (findings.length === 0) {
        if (before) {
          entry.published.delete(file);
          this.out.diagnostics(before.uri, []);
        }
        continue;
      }
      const uri = before?.uri ?? uriOf(session.root, file);
      if (!uri) continue;
      const { shown, hidden } = limitFindings(findings, this.settings.maxDiagnosticsPerFile);
      if (before && before.hidden === hidden && sameFindings(before.findings, shown)) {
        before.findings = shown;
        continue;
      }
      entry.published.set(file, { uri, findings: shown, hidden });
      const diagnostics = shown.map((f) => toDiagnostic(f, session.root));
      if (hidden) diagnostics.push(limitDiagnostic(hidden, findings.length));
      this.out.diagnostics(uri, diagnostics);
    }
  }

  status(): StatusParams {
    let errors = 0;
    let warnings = 0;
    let infos = 0;
    let files = 0;
    for (const e of this.entries) {
      const seen = new Set<string>();
      for (const f of e.session.findings()) {
        seen.add(f.file);
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
        else infos++;
      }
      files += seen.size;
    }
    const s: StatusParams = {
      state: this.state,
      errors,
      warnings,
      infos,
      filesWithFindings: files,
      proposalsAwaiting: (this.awaiting ??= this.entries.reduce((n, e) => n + awaitingCount(e.session.root), 0)),
      roots: this.entries.map((e) => e.session.root),
    };
    if (this.lastDuration !== undefined) s.durationMs = Math.round(this.lastDuration);
    if (this.lastMessage) s.message = this.lastMessage;
    return s;
  }

  private sendStatus(): void {
    this.out.status(this.status());
  }
}

const SEVERITY_ORDER = ['error', 'warning', 'info'] as const;

/**
 * The findings of a file to publish, in document order: all of them, or when there are more than `max` (0: no
 * limit), the first `max - 1` by severity (errors, then warnings, then infos, each in document order, as VS Code
 * picks when it keeps 1,000 of a file's diagnostics), leaving room for the diagnostic that says how many more there
 * are. Sending what the editor would drop costs every keystroke time on both sides (a 2,000-rule CODEOWNERS can
 * have 1,500 findings: over a megabyte of JSON).
 */
export function limitFindings(findings: Finding[], max: number): { shown: Finding[]; hidden: number } {
  findings.sort(compareFindings);
  if (!(max > 0) || findings.length <= max) return { shown: findings, hidden: 0 };
  const keep = Math.max(1, Math.floor(max) - 1);
  const shown: Finding[] = [];
  for (const severity of SEVERITY_ORDER) {
    for (const f of findings) {
      if (f.severity !== severity) continue;
      shown.push(f);
      if (shown.length === keep) break;
    }
    if (shown.length === keep) break;
  }
  shown.sort(compareFindings);
  return { shown, hidden: findings.length - shown.length };
}

/** The diagnostic that closes a limited list (first line of the file). */
export function limitDiagnostic(hidden: number, total: number): Diagnostic {
  const zero = { line: 0, character: 0 };
  return {
    range: { start: zero, end: zero },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `${hidden} more of the ${total} problems in this file are not shown (setting flywheel.maxDiagnosticsPerFile; errors are shown first). The CLI lists them all: \`npx governance-flywheel check\`.`,
  };
}

/** Diagnostics in document order (line, character, rule id). */
function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** Sessions with the same root and options are the same session. */
function sessionKey(root: string, options: SessionOptions): string {
  return JSON.stringify([root, options]);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
