// A long-lived workspace session for the language server: the open buffers (an overlay over the disk), the file
// listing, one AnalysisCache kept across runs, and the findings of every rule from the last run. A run re-checks only
// the rules whose `meta.dependsOn` covers what changed since the previous run and keeps the other rules' findings;
// a change of the policy re-checks everything. No LSP types here: the server (server/src/lsp) adapts the results.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Snapshot } from '../engine/host';
import { AnalysisCache, check } from '../engine/index';
import { classify } from '../engine/kinds';
import { loadPolicy, policyPostValidatorCount } from '../engine/policy/load';
import type { ResolvedPolicy } from '../engine/policy/types';
import type { Rule, RuleMeta } from '../engine/rule';
import { RULES } from '../engine/rules/index';
import { parseSuppressions, SUPPRESSIBLE_KINDS } from '../engine/suppress';
import type { Finding, ReadResult, RelPath } from '../engine/types';
import { DEFAULT_MAX_FILE_BYTES, listFiles, NodeSnapshot, type Listing, type WorkspaceOptions } from './discovery';
import { DiskCache, LiveSnapshot, relativeTo, type OverlayEntry } from './live-snapshot';
import { recordReads, replay, type SnapshotRead } from './read-record';

export interface SessionOptions {
  /** The team policy, root-relative or absolute. Default `.governance/policy.json`. */
  policyPath?: string;
  /** The machine's managed settings file; `null` = none; undefined = the OS path. */
  managedSettingsPath?: string | null;
  /** The user's Claude settings file, only when the user opted in. */
  userSettingsPath?: string | null;
  /** List files with git: 'auto' (default) when the root is a git work tree; false in untrusted workspaces. */
  git?: boolean | 'auto';
  maxFileBytes?: number;
  /** Rules to run instead of the registry (tests). */
  rules?: readonly Rule[];
}

type Tag = NonNullable<RuleMeta['dependsOn']>[number] | 'content';

/** What changed since the last completed run. */
interface Dirty {
  all: boolean;
  tags: Set<Tag>;
  /** Rules named explicitly (a suppression comment naming them changed). */
  rules: Set<string>;
  /** Root-relative paths whose content changed. */
  paths: Set<RelPath>;
}

export interface RunOutcome {
  cancelled: boolean;
  /** Ids of the rules that ran (empty when cancelled). */
  ran: string[];
  /** Files that had or have findings of the rules that ran: the only ones whose findings may differ. */
  changedFiles: Set<string>;
  durationMs: number;
  /** Milliseconds per rule that ran, slowest first. */
  ruleMs: [string, number][];
}

export interface FileEvent {
  /** Absolute path, native separators. */
  path: string;
  type: 'created' | 'changed' | 'deleted';
}

function emptyDirty(all = false): Dirty {
  return { all, tags: new Set(), rules: new Set(), paths: new Set() };
}

export class WorkspaceSession {
  readonly root: string;
  readonly cache = new AnalysisCache();
  private readonly options: SessionOptions;
  private readonly rules: readonly Rule[];
  private readonly maxBytes: number;
  private readonly disk: DiskCache;
  private readonly overlay = new Map<RelPath, OverlayEntry>();
  private listing: Listing;
  private listed: Set<RelPath>;
  private base: NodeSnapshot;
  private policy: ResolvedPolicy | undefined;
  /** The last loaded policy and the reads it was made from (none when it read something a replay cannot check). */
  private policyMemo: { policy: ResolvedPolicy; validators: number; reads?: SnapshotRead[] } | undefined;
  private readonly findingsByRule = new Map<string, Finding[]>();
  /** Suppression comments of each suppressible file at the last run, as a comparable key. */
  private readonly suppressionKeys = new Map<RelPath, { key: string; rules: string[] }>();
  private dirty: Dirty = emptyDirty(true);
  private generation = 0;

  constructor(root: string, options: SessionOptions = {}) {
    this.root = path.resolve(root);
    this.options = options;
    this.rules = options.rules ?? RULES;
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.disk = new DiskCache(this.maxBytes);
    this.listing = listFiles(this.root, options.git ?? 'auto');
    this.listed = new Set(this.listing.files);
    this.base = this.makeBase();
  }

  /** How many files and governance files the workspace has now. */
  get size(): { files: number; governance: number } {
    return { files: this.base.files.length, governance: this.base.governance.length };
  }

  /** Increases with every change the session learns of; a run started before a change is stale. */
  get changeGeneration(): number {
    return this.generation;
  }

  /** Whether anything changed since the last completed run. */
  get isDirty(): boolean {
    const d = this.dirty;
    return d.all || d.tags.size > 0 || d.rules.size > 0 || d.paths.size > 0;
  }

  private makeBase(): NodeSnapshot {
    const opts: WorkspaceOptions = {
      alsoList: [...this.overlay.keys()],
      maxFileBytes: this.maxBytes,
      managedSettingsPath:
        this.options.managedSettingsPath === undefined ? undefined : this.options.managedSettingsPath,
      userSettingsPath: this.options.userSettingsPath ?? null,
    };
    if (opts.managedSettingsPath === undefined) delete opts.managedSettingsPath;
    return new NodeSnapshot(this.root, this.listing, opts);
  }

  /** The current state as an engine Snapshot (buffers frozen now). */
  snapshot(): Snapshot {
    return new LiveSnapshot(this.base, new Map(this.overlay), this.disk, this.maxBytes);
  }

  /** The policy of the last run, or loaded now when there was none yet. */
  currentPolicy(): ResolvedPolicy {
    this.policy ??= this.loadPolicy(this.snapshot());
    return this.policy;
  }

  /**
   * Load the policy, or return the last one when every read it was made from gives the same answer now (the team
   * file, its floors, the npm packages they name: open buffers and disk alike). A run after a keystroke elsewhere
   * then costs those reads, not the parse, schema validation and merge.
   */
  private loadPolicy(snapshot: Snapshot): ResolvedPolicy {
    const memo = this.policyMemo;
    if (
      memo &&
      memo.validators === policyPostValidatorCount() &&
      memo.reads !== undefined &&
      memo.reads.every((r) => replay(snapshot, r) === r.result)
    ) {
      return memo.policy;
    }
    const reads: SnapshotRead[] = [];
    const recorder = recordReads(snapshot, reads);
    const policy = loadPolicy(
      recorder.snapshot,
      this.options.policyPath ? { policyPath: this.options.policyPath } : {},
    );
    this.policyMemo = { policy, validators: policyPostValidatorCount(), ...(recorder.replayable() ? { reads } : {}) };
    return policy;
  }

  /** The root-relative path of an absolute one, or undefined outside the root. */
  relative(abs: string): RelPath | undefined {
    return relativeTo(this.root, abs);
  }

  /** The open buffer's version, if the file is open. */
  bufferVersion(rel: RelPath): number | undefined {
    return this.overlay.get(rel)?.version;
  }

  // ---- changes -------------------------------------------------------------------------------------------------

  private touch(rel: RelPath, content: boolean, listed: boolean): void {
    this.generation++;
    const kind = classify(rel);
    if (kind) this.dirty.tags.add(kind);
    this.dirty.tags.add('content');
    if (content) this.dirty.paths.add(rel);
    if (listed) this.dirty.tags.add('files');
    const abs = path.join(this.root, rel);
    if (this.base.managedSettingsPath && path.resolve(this.base.managedSettingsPath) === abs)
      this.dirty.tags.add('managed');
    if (this.base.userSettingsPath && path.resolve(this.base.userSettingsPath) === abs) this.dirty.tags.add('user');
  }

  /** An editor opened a buffer (it may differ from the disk). */
  open(rel: RelPath, text: string, version: number): void {
    const prev = this.overlay.get(rel);
    this.overlay.set(rel, { text, version });
    // A file the listing leaves out (git-ignored, like CLAUDE.local.md) is checked while it is open.
    const unlisted = !this.base.fileSet.has(rel);
    const newlyListed = unlisted && fs.existsSync(path.join(this.root, rel));
    if (newlyListed) this.base = this.makeBase();
    const seen = prev ? prev.text : this.disk.read(path.join(this.root, rel));
    const same = typeof seen === 'string' ? seen === text : sameAsDisk(seen, text);
    if (same && !newlyListed) return;
    // A buffer of a file that is not on disk (not saved yet) makes it exist for the rules (Snapshot.exists): the
    // rules that depend on which files exist run again, as they do when it is closed.
    this.touch(rel, true, unlisted && !prev);
  }

  /** A buffer changed (the whole new text). */
  change(rel: RelPath, text: string, version: number): void {
    const prev = this.overlay.get(rel);
    this.overlay.set(rel, { text, version });
    if (prev?.text === text) return;
    this.touch(rel, true, false);
  }

  /** A buffer closed: the disk content counts again. */
  close(rel: RelPath): void {
    const prev = this.overlay.get(rel);
    if (!prev) return;
    this.overlay.delete(rel);
    const abs = path.join(this.root, rel);
    this.disk.forget(abs);
    const listedOnlyBecauseOpen = !this.listed.has(rel);
    if (listedOnlyBecauseOpen) this.base = this.makeBase();
    if (!listedOnlyBecauseOpen && sameAsDisk(this.disk.read(abs), prev.text)) return;
    this.touch(rel, true, listedOnlyBecauseOpen);
  }

  /** File-system events from the watcher. Creations and deletions re-list the workspace. */
  filesChanged(events: readonly FileEvent[]): void {
    let relist = false;
    for (const e of events) {
      this.disk.forget(path.resolve(e.path));
      const rel = this.relative(path.resolve(e.path));
      if (rel === undefined) {
        // Outside the root: the machine's managed settings, the user's settings, an org floor.
        this.generation++;
        const abs = path.resolve(e.path);
        if (this.base.managedSettingsPath && path.resolve(this.base.managedSettingsPath) === abs)
          this.dirty.tags.add('managed');
        else if (this.base.userSettingsPath && path.resolve(this.base.userSettingsPath) === abs)
          this.dirty.tags.add('user');
        else this.dirty.tags.add('content');
        continue;
      }
      if (rel === '.git' || rel.startsWith('.git/')) continue;
      // A change of a governance file the listing lacks is a creation the watcher coalesced into a change.
      const created =
        e.type === 'created' || (e.type === 'changed' && !this.listed.has(rel) && classify(rel) !== undefined);
      if (!created && e.type === 'changed') {
        if (this.overlay.has(rel)) continue; // the buffer wins; its own changes come as didChange
        this.touch(rel, true, false);
      } else {
        relist = true;
        this.touch(rel, true, true);
      }
    }
    if (relist) {
      this.relist();
    }
  }

  /** Forget everything cached and re-check every rule at the next run (the "re-check" command). */
  invalidateAll(): void {
    this.generation++;
    this.disk.clear();
    this.cache.clear();
    this.policyMemo = undefined;
    this.relist();
    this.dirty = emptyDirty(true);
  }

  private relist(): void {
    this.listing = listFiles(this.root, this.options.git ?? 'auto');
    this.listed = new Set(this.listing.files);
    this.base = this.makeBase();
  }

  // ---- runs ----------------------------------------------------------------------------------------------------

  private needs(rule: Rule, d: Dirty): boolean {
    if (d.all || d.rules.has(rule.meta.id)) return true;
    const deps = rule.meta.dependsOn;
    if (deps === undefined) return d.tags.size > 0;
    return deps.some((t) => d.tags.has(t));
  }

  /**
   * Re-check what changed. Between rules it awaits `pause` (so new messages are read) and stops early when
   * `isCancelled` says so; a stopped run keeps nothing and leaves its changes for the next run. A full run (the
   * first, or after a policy change) is never stopped: on a large workspace it would start over on every keystroke
   * and never finish while someone types; the changes made meanwhile are checked by the next run.
   */
  async run(opts: { isCancelled?: () => boolean; pause?: () => Promise<void> } = {}): Promise<RunOutcome> {
    const t0 = performance.now();
    const dirty = this.dirty;
    this.dirty = emptyDirty();
    const restore = () => {
      const now = this.dirty;
      this.dirty = {
        all: dirty.all || now.all,
        tags: new Set([...dirty.tags, ...now.tags]),
        rules: new Set([...dirty.rules, ...now.rules]),
        paths: new Set([...dirty.paths, ...now.paths]),
      };
    };
    try {
      const snapshot = this.snapshot();
      const policy = this.loadPolicy(snapshot);
      if (!this.policy || policy.version !== this.policy.version) dirty.all = true;
      const suppressionKeys = this.suppressionChanges(snapshot, dirty);

      const selected = this.rules.filter((r) => this.needs(r, dirty));
      const cancellable = !dirty.all;
      const isCancelled = () => cancellable && opts.isCancelled?.() === true;
      const results = new Map<string, Finding[]>();
      const ruleMs: [string, number][] = [];
      for (const rule of selected) {
        if (isCancelled()) {
          restore();
          return { cancelled: true, ran: [], changedFiles: new Set(), durationMs: performance.now() - t0, ruleMs: [] };
        }
        const r0 = performance.now();
        results.set(rule.meta.id, check(snapshot, policy, this.cache, { rules: [rule] }));
        ruleMs.push([rule.meta.id, performance.now() - r0]);
        if (opts.pause) await opts.pause();
      }
      if (isCancelled()) {
        restore();
        return { cancelled: true, ran: [], changedFiles: new Set(), durationMs: performance.now() - t0, ruleMs: [] };
      }
      this.policy = policy;
      const changedFiles = new Set<string>();
      for (const [id, found] of results) {
        for (const f of this.findingsByRule.get(id) ?? []) changedFiles.add(f.file);
        for (const f of found) changedFiles.add(f.file);
        this.findingsByRule.set(id, found);
      }
      for (const [rel, key] of suppressionKeys) this.suppressionKeys.set(rel, key);
      ruleMs.sort((a, b) => b[1] - a[1]);
      return { cancelled: false, ran: [...results.keys()], changedFiles, durationMs: performance.now() - t0, ruleMs };
    } catch (err) {
      restore();
      throw err;
    }
  }

  /** For changed files that can hold suppression comments: when their suppressions changed, the rules they name
   * (before or after) re-run, since a kept finding may now be suppressed or no longer be. */
  private suppressionChanges(snapshot: Snapshot, dirty: Dirty): Map<RelPath, { key: string; rules: string[] }> {
    const out = new Map<RelPath, { key: string; rules: string[] }>();
    const paths = dirty.all ? snapshot.governance.map((g) => g.path) : [...dirty.paths];
    for (const rel of paths) {
      const kind = classify(rel);
      if (!kind || !SUPPRESSIBLE_KINDS.has(kind)) continue;
      const r = snapshot.read(rel);
      const list = r.ok ? parseSuppressions(r.text) : [];
      const key = JSON.stringify(list.map((s) => [s.line, s.ruleIds, s.reason]));
      const rules = [...new Set(list.flatMap((s) => s.ruleIds))];
      const prev = this.suppressionKeys.get(rel);
      if ((prev?.key ?? '[]') !== key) {
        for (const id of [...(prev?.rules ?? []), ...rules]) dirty.rules.add(id);
        dirty.rules.add('workspace/suppression');
      }
      out.set(rel, { key, rules });
    }
    return out;
  }

  /** Every finding of the last completed run. */
  findings(): Finding[] {
    const all: Finding[] = [];
    for (const list of this.findingsByRule.values()) all.push(...list);
    return all;
  }

  /** The findings of the last completed run in one file (the engine's file name). */
  findingsOf(file: string): Finding[] {
    const out: Finding[] = [];
    for (const list of this.findingsByRule.values()) for (const f of list) if (f.file === file) out.push(f);
    return out;
  }

  /** The findings of the last completed run, grouped by file (root-relative, or absolute outside the root). */
  findingsByFile(): Map<string, Finding[]> {
    const by = new Map<string, Finding[]>();
    for (const f of this.findings()) {
      let list = by.get(f.file);
      if (!list) by.set(f.file, (list = []));
      list.push(f);
    }
    for (const list of by.values()) {
      list.sort(
        (a, b) =>
          a.range.start.line - b.range.start.line ||
          a.range.start.character - b.range.start.character ||
          (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
      );
    }
    return by;
  }
}

function sameAsDisk(r: ReadResult, text: string): boolean {
  return r.ok && r.text === text.replace(/^\uFEFF/, '');
}
