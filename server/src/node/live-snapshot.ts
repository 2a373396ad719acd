// The session's view of the disk: reads cached until a watcher event says a file changed (DiskCache), and the
// snapshot of one run (LiveSnapshot: the listing, the open buffers frozen at its creation, disk reads through the
// cache). The one overlay of unsaved buffers: the session's, and `withBuffers` for a NodeSnapshot (tests, benches).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Snapshot } from '../engine/host';
import type { FileKind, GovernanceFile, ReadResult, RelPath } from '../engine/types';
import { readFileSafe, type NodeSnapshot } from './discovery';

/** An open editor buffer. */
export interface OverlayEntry {
  text: string;
  version: number;
}

/** Reads from disk, cached until a watcher event says the file changed. Shared by the session's snapshots. */
export class DiskCache {
  private readonly reads = new Map<string, ReadResult>();
  private readonly versions = new Map<string, string>();
  constructor(private readonly maxBytes: number) {}

  read(abs: string): ReadResult {
    let r = this.reads.get(abs);
    if (!r) {
      r = readFileSafe(abs, this.maxBytes);
      this.reads.set(abs, r);
    }
    return r;
  }

  version(abs: string): string {
    let v = this.versions.get(abs);
    if (v === undefined) {
      try {
        const st = fs.statSync(abs);
        v = `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        v = 'missing';
      }
      this.versions.set(abs, v);
    }
    return v;
  }

  forget(abs: string): void {
    this.reads.delete(abs);
    this.versions.delete(abs);
  }

  clear(): void {
    this.reads.clear();
    this.versions.clear();
  }
}

/**
 * The engine's view of the workspace at one moment: the listing of a NodeSnapshot, the open buffers (frozen at
 * creation, so a run sees one consistent state), and disk reads through the session's cache. Absolute reads of
 * files inside the root see the buffers too, so an unsaved edit of the policy is checked as typed.
 */
export class LiveSnapshot implements Snapshot {
  constructor(
    private readonly base: NodeSnapshot,
    private readonly overlay: ReadonlyMap<RelPath, OverlayEntry>,
    private readonly disk: DiskCache,
    private readonly maxBytes: number,
  ) {}

  get root(): string {
    return this.base.root;
  }
  get files(): readonly RelPath[] {
    return this.base.files;
  }
  get fileSet(): ReadonlySet<RelPath> {
    return this.base.fileSet;
  }
  get tracked(): ReadonlySet<RelPath> | undefined {
    return this.base.tracked;
  }
  get filesVersion(): string {
    return this.base.filesVersion;
  }
  get governance(): readonly GovernanceFile[] {
    return this.base.governance;
  }
  get managedSettingsPath(): string | undefined {
    return this.base.managedSettingsPath;
  }
  get userSettingsPath(): string | undefined {
    return this.base.userSettingsPath;
  }
  get discoveryProblems(): readonly { path: RelPath; message: string }[] {
    return this.base.discoveryProblems;
  }

  byKind(...kinds: FileKind[]): GovernanceFile[] {
    return this.base.byKind(...kinds);
  }

  read(rel: RelPath): ReadResult {
    const o = this.overlay.get(rel);
    if (o) return this.fromOverlay(o);
    return this.disk.read(absoluteOf(this.root, rel));
  }

  readAbsolute(abs: string): ReadResult {
    const rel = relativeTo(this.root, abs);
    const o = rel === undefined ? undefined : this.overlay.get(rel);
    if (o) return this.fromOverlay(o);
    return this.disk.read(abs);
  }

  version(rel: RelPath): string {
    const o = this.overlay.get(rel);
    if (o) return `o${o.version}:${o.text.length}`;
    return this.disk.version(absoluteOf(this.root, rel));
  }

  exists(rel: RelPath): boolean {
    return this.overlay.has(rel) || this.base.exists(rel);
  }

  resolvePackageFile(spec: string): string | undefined {
    return this.base.resolvePackageFile(spec);
  }

  listAbsolute(dir: string): string[] | undefined {
    return this.base.listAbsolute(dir);
  }

  private fromOverlay(o: OverlayEntry): ReadResult {
    const size = Buffer.byteLength(o.text);
    if (size > this.maxBytes) {
      return {
        ok: false,
        reason: 'too-large',
        size,
        message: `the buffer is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(this.maxBytes / 1024 / 1024).toFixed(1)} MB limit; it was not read`,
      };
    }
    const bom = o.text.startsWith('\uFEFF');
    return { ok: true, text: bom ? o.text.slice(1) : o.text, size, ...(bom ? { bom: true } : {}) };
  }
}

/** A NodeSnapshot with these unsaved buffers laid over it (disk reads cached for this snapshot). */
export function withBuffers(base: NodeSnapshot, buffers: ReadonlyMap<RelPath, OverlayEntry>): LiveSnapshot {
  return new LiveSnapshot(base, new Map(buffers), new DiskCache(base.maxBytes), base.maxBytes);
}

/**
 * The absolute path of a root-relative path from the listing (normalised, `/`-separated): with `/` separators a
 * concatenation, which path.join's normalising made a visible part of every run (rules ask the version of each of
 * hundreds of convention files per run).
 */
function absoluteOf(root: string, rel: RelPath): string {
  return path.sep === '/' ? (root.endsWith('/') ? root + rel : root + '/' + rel) : path.join(root, rel);
}

/** `abs` relative to `root` with `/` separators, or undefined when it is outside the root. */
export function relativeTo(root: string, abs: string): RelPath | undefined {
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
