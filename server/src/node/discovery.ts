// Workspace discovery over the file system: find the root, list its files (git ls-files in a git work tree, else a
// walk that honours .gitignore), classify governance files, and serve reads from the disk. Open buffers are laid over
// a NodeSnapshot by LiveSnapshot (live-snapshot.ts), the one overlay.

import { spawn, spawnSync } from 'node:child_process';
import { signerOf } from './flywheel';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { Snapshot } from '../engine/host';
import { isLedgerFile } from '../engine/flywheel/ledger-files';
import { classify } from '../engine/kinds';
import type { FileKind, GovernanceFile, ReadResult, RelPath } from '../engine/types';
import { linkProbe } from './link-probe';

/** Base names of governance files, for spotting a folder that stands where a file belongs. */
const GOVERNANCE_NAMES = new Set([
  'CODEOWNERS',
  'CLAUDE.md',
  'CLAUDE.local.md',
  'AGENTS.md',
  'GEMINI.md',
  '.cursorrules',
  '.mcp.json',
  'mcp.json',
  'settings.json',
  'settings.local.json',
  'copilot-instructions.md',
  'policy.json',
  'managed-settings.json',
]);

/** Files larger than this are not read (a finding says so). */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface WorkspaceOptions {
  /** Use git to list files: 'auto' (default) = when the root is inside a git work tree. */
  git?: boolean | 'auto';
  /** The machine's Claude Code managed settings file; `null` = none (tests, CI). Default: the OS path. */
  managedSettingsPath?: string | null;
  /** The user's Claude settings file, only when the user opted in. */
  userSettingsPath?: string | null;
  /** Paths listed besides the listing when they exist on disk (the open buffers: an open ignored file is checked). */
  alsoList?: Iterable<RelPath>;
  maxFileBytes?: number;
  /** Files git tracks, for workspaces listed without git (fixtures). */
  tracked?: readonly RelPath[];
  /**
   * List only these folders (root-relative, no trailing `/`) and what is under them: a flywheel verb that reads only
   * `.governance/signals/` does not walk a 50,000-file work tree. Reads and `exists` still reach every file.
   */
  only?: readonly RelPath[];
}

/** The OS path of Claude Code's managed settings file (see shared reference, formats §1). */
export function defaultManagedSettingsPath(): string {
  if (process.env.FLYWHEEL_MANAGED_SETTINGS) return process.env.FLYWHEEL_MANAGED_SETTINGS;
  switch (process.platform) {
    case 'darwin':
      return '/Library/Application Support/ClaudeCode/managed-settings.json';
    case 'win32':
      return 'C:\\Program Files\\ClaudeCode\\managed-settings.json';
    default:
      return '/etc/claude-code/managed-settings.json';
  }
}

/** The user's Claude Code settings file. */
export function defaultUserSettingsPath(): string {
  return path.join(os.homedir(), '.claude', 'settings.json');
}

/**
 * The governance root for a folder: the folder itself when it holds `.git` or `.governance/`, else the nearest
 * ancestor that holds either, else the folder.
 */
export function findRoot(dir: string): string {
  const start = path.resolve(dir);
  let cur = start;
  for (;;) {
    if (fs.existsSync(path.join(cur, '.git')) || isDir(path.join(cur, '.governance'))) return cur;
    const parent = path.dirname(cur);
    if (parent === cur) return start;
    cur = parent;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

interface Listing {
  files: RelPath[];
  tracked?: Set<RelPath>;
  /**
   * The tracked files whose index entry is not a regular file: symlinks (mode 120000) and submodules (160000). Set
   * when git listed the files: a tracked file's type is then the index's, without asking the file system for each.
   */
  notRegular?: Set<RelPath>;
  /** Symlinks among notRegular (mode 120000). */
  links?: Set<RelPath>;
  problems: { path: RelPath; message: string }[];
}

const GIT_OPTIONS = ['-c', 'core.quotePath=false', '--literal-pathspecs'];

function gitSync(root: string, args: string[]) {
  return spawnSync('git', [...GIT_OPTIONS, ...args], {
    cwd: root,
    encoding: 'buffer',
    maxBuffer: 1024 * 1024 * 1024,
    windowsHide: true,
  });
}

function insideWorkTree(root: string): boolean {
  const inside = gitSync(root, ['rev-parse', '--is-inside-work-tree']);
  return inside.status === 0 && inside.stdout.toString().trim() === 'true';
}

/**
 * `git ls-files` arguments: `tracked` the index's entries (`-s`: with mode, object and stage), `changes` the tracked
 * files deleted or modified in the work tree and the untracked ones not ignored (the slow part: every file is looked
 * at, every folder read), in `only`. A modified file may have changed type (a file replaced by a symlink, not yet
 * staged): those are asked of the file system, the others keep the index's type.
 */
function lsFilesArgs(what: { tracked: boolean; changes: boolean }, only?: readonly RelPath[]): string[] {
  const args = ['ls-files', '-z', '-t'];
  if (what.tracked) args.push('-s', '--cached');
  if (what.changes) args.push('--deleted', '--modified', '--others', '--exclude-standard');
  return only ? [...args, '--', ...only] : args;
}

function gitList(root: string, only?: readonly RelPath[]): Listing | undefined {
  if (!insideWorkTree(root)) return undefined;
  // An empty scope lists nothing (a pathspec list cannot say so).
  if (only && !only.length) return listing(root, parseLsFiles(Buffer.alloc(0), true));
  // One pass: tracked (H), deleted (R) or modified (C) in the work tree and untracked-but-not-ignored (?) files,
  // tagged; the tracked ones with their index entry, whose mode says which are symlinks.
  const listed = gitSync(root, lsFilesArgs({ tracked: true, changes: true }, only));
  if (listed.status !== 0) return undefined;
  return listing(root, parseLsFiles(listed.stdout, true));
}

interface LsFiles {
  tracked: Set<RelPath>;
  notRegular: Set<RelPath>;
  links: Set<RelPath>;
  gone: RelPath[];
  /** Tracked files whose work-tree copy differs from the index (content, mode or type). */
  modified: RelPath[];
  others: RelPath[];
}

/** `git ls-files -z -t` output (`staged`: with `-s`), sorted out by tag. */
function parseLsFiles(stdout: Buffer, staged: boolean): LsFiles {
  const out: LsFiles = {
    tracked: new Set(),
    notRegular: new Set(),
    links: new Set(),
    gone: [],
    modified: [],
    others: [],
  };
  for (const entry of stdout.toString('utf8').split('\0')) {
    if (entry.length < 3) continue;
    const tag = entry[0];
    // `-s`: `H 100644 <object> 0\t<path>`, the path after the first tab; else `R <path>`, `? <path>`.
    const file = staged && tag !== '?' ? entry.slice(entry.indexOf('\t') + 1) : entry.slice(2);
    if (tag === '?') out.others.push(file);
    else if (tag === 'R') out.gone.push(file);
    else if (tag === 'C') out.modified.push(file);
    else {
      out.tracked.add(file);
      // Regular files are 100644 or 100755; anything else (120000 symlink, 160000 submodule) is noted.
      if (staged && !entry.startsWith('100', 2)) {
        out.notRegular.add(file);
        if (entry.startsWith('120000', 2)) out.links.add(file);
      }
    }
  }
  return out;
}

/**
 * The listing: the tracked files less those deleted from the work tree, and the untracked ones. A modified file's
 * type is the work tree's (one lstat each; git listed it as modified because its type or content changed).
 */
function listing(root: string, ls: LsFiles, changes: LsFiles = ls): Listing {
  const { tracked, notRegular, links } = ls;
  for (const f of changes.gone) {
    tracked.delete(f);
    notRegular.delete(f);
    links.delete(f);
  }
  for (const f of changes.modified) {
    if (!tracked.has(f)) continue;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(joinRel(root, f));
    } catch {
      continue; // gone since git looked: read() reports it
    }
    if (st.isFile()) notRegular.delete(f);
    else notRegular.add(f);
    if (st.isSymbolicLink()) links.add(f);
    else links.delete(f);
  }
  if (!changes.others.length) return { files: [...tracked], tracked, notRegular, links, problems: [] };
  const all = new Set(tracked);
  for (const f of changes.others) all.add(f);
  return { files: [...all], tracked, notRegular, links, problems: [] };
}

/** Whether `rel` is one of the folders of `only`, under one, or (`descend`) a folder above one. */
function inScope(only: readonly RelPath[], rel: RelPath, descend: boolean): boolean {
  return only.some((o) => rel === o || rel.startsWith(o + '/') || (descend && o.startsWith(rel + '/')));
}

function walkList(root: string, only?: readonly RelPath[]): Listing {
  const files: RelPath[] = [];
  const problems: { path: RelPath; message: string }[] = [];
  const stack: { dir: string; rel: string; ignores: { base: string; ig: Ignore }[] }[] = [
    { dir: root, rel: '', ignores: [] },
  ];
  while (stack.length) {
    const { dir, rel, ignores } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: rel || '.', message: `cannot list folder: ${(err as Error).message}` });
      continue;
    }
    let here = ignores;
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      try {
        here = [...ignores, { base: rel, ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        /* an unreadable .gitignore ignores nothing */
      }
    }
    const ignored = (relPath: string, isDirectory: boolean) =>
      here.some(({ base, ig }) => {
        const sub = base ? relPath.slice(base.length + 1) : relPath;
        return ig.ignores(isDirectory ? sub + '/' : sub);
      });
    for (const e of entries) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      // Directories are descended; symlinks are never followed (git does not either), so no loop is possible.
      if (e.isDirectory()) {
        if (only && !inScope(only, relPath, true)) continue;
        if (!ignored(relPath, true)) stack.push({ dir: path.join(dir, e.name), rel: relPath, ignores: here });
      } else if (!ignored(relPath, false) && (!only || inScope(only, relPath, false))) {
        files.push(relPath);
      }
    }
  }
  return { files, problems };
}

/** A Snapshot over the file system. Create a new one whenever the file list changes. */
export class NodeSnapshot implements Snapshot {
  readonly files: readonly RelPath[];
  readonly fileSet: ReadonlySet<RelPath>;
  readonly tracked?: ReadonlySet<RelPath>;
  private filesHash: string | undefined;
  readonly governance: readonly GovernanceFile[];
  readonly managedSettingsPath?: string;
  readonly userSettingsPath?: string;
  readonly discoveryProblems: readonly { path: RelPath; message: string }[];
  readonly maxBytes: number;
  /** Reads by root-relative path (the listing's own strings: a lookup hashes no new string), and by absolute path
   * for readAbsolute. */
  private readonly relCache: Map<RelPath, ReadResult>;
  private readonly readCache = new Map<string, ReadResult>();
  private readonly versionCache = new Map<string, string>();
  private readonly signers = new Map<string, string | null | undefined>();
  private readonly kindCache = new Map<string, GovernanceFile[]>();
  /** Tracked files that are not regular files in the index (from git's listing), and the symlinks among them. */
  private readonly notRegular?: ReadonlySet<RelPath>;
  private readonly links?: ReadonlySet<RelPath>;

  /** `read`: files already read (by openWorkspaceAsync while git listed the rest), by root-relative path; the
   * snapshot keeps the map. */
  constructor(
    readonly root: string,
    listing: Listing,
    options: WorkspaceOptions,
    read?: Map<RelPath, ReadResult>,
  ) {
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.relCache = read ?? new Map();
    const extra = [...(options.alsoList ?? [])];
    // Every listed file tracked (the usual git case): one set for both, not two copies of 50,000 paths.
    const same = listing.tracked !== undefined && extra.length === 0 && listing.tracked.size === listing.files.length;
    const all = same ? listing.tracked! : new Set(listing.files);
    for (const p of extra) if (!all.has(p) && fs.existsSync(path.join(root, p))) all.add(p);
    this.files = [...all].sort();
    this.fileSet = all;
    this.tracked = listing.tracked ?? (options.tracked ? new Set(options.tracked) : undefined);
    if (listing.tracked && listing.notRegular && listing.links) {
      this.notRegular = listing.notRegular;
      this.links = listing.links;
    }
    if (options.managedSettingsPath !== null) {
      this.managedSettingsPath = options.managedSettingsPath ?? defaultManagedSettingsPath();
    }
    if (options.userSettingsPath) this.userSettingsPath = options.userSettingsPath;
    this.discoveryProblems = listing.problems;
    this.governance = this.classifyAll();
    if (listing.tracked) {
      // Only for workspaces listed with git (never in Restricted Mode, which lists without running git).
      this.signerOf = (rel: RelPath, allowedSigners: RelPath) => {
        const key = rel + '\0' + allowedSigners;
        if (!this.signers.has(key))
          this.signers.set(key, signerOf(this.root, rel, path.join(this.root, allowedSigners)));
        return this.signers.get(key);
      };
    }
  }

  readonly signerOf?: (rel: RelPath, allowedSigners: RelPath) => string | null | undefined;

  /** A hash of the listed paths, made on first use: a run that never asks (`flywheel owners`) never loads
   * node:crypto for it. Hashed path by path: joining them first would hold a second copy of the whole list. */
  get filesVersion(): string {
    if (this.filesHash === undefined) {
      const hash = createHash('sha1');
      this.files.forEach((f, i) => hash.update(i ? '\0' + f : f));
      this.filesHash = hash.digest('hex').slice(0, 16);
    }
    return this.filesHash;
  }

  private classifyAll(): GovernanceFile[] {
    const out: GovernanceFile[] = [];
    const byPath = new Map<string, GovernanceFile>();
    for (const p of this.files) {
      const kind = classify(p);
      if (kind) {
        const g: GovernanceFile = { path: p, kind };
        if (this.tracked) g.tracked = this.tracked.has(p);
        out.push(g);
        byPath.set(p, g);
      }
      // A folder where a governance file belongs (a directory named CODEOWNERS): listed so that reading it is
      // reported, not silently skipped.
      // The folder's name first, its path only when the name is a governance one (few strings per listed file).
      for (let start = 0, i = p.indexOf('/'); i !== -1; start = i + 1, i = p.indexOf('/', i + 1)) {
        if (!GOVERNANCE_NAMES.has(p.slice(start, i))) continue;
        const dir = p.slice(0, i);
        if (byPath.has(dir)) continue;
        const dirKind = classify(dir);
        if (!dirKind) continue;
        const g: GovernanceFile = { path: dir, kind: dirKind };
        out.push(g);
        byPath.set(dir, g);
      }
    }
    // One file with two names: a symlinked convention file (CLAUDE.md → AGENTS.md). A tracked file is a symlink when
    // git's index says so (mode 120000; git looked at each file for the listing already); the others (untracked, or
    // listed without git) are asked of the file system, as are tracked ones git listed as modified (listing()): a
    // file replaced by a symlink and not yet staged is seen as the symlink it is.
    const { links, tracked } = this;
    const known = (p: RelPath) => links !== undefined && tracked!.has(p);
    const absOf = out.map((g) => joinRel(this.root, g.path)); // each path joined once
    const probe = linkProbe(absOf.filter((_, i) => !known(out[i]!.path)));
    for (const [i, g] of out.entries()) {
      const abs = absOf[i]!;
      if (known(g.path) ? !links!.has(g.path) : !probe(abs)) continue;
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch {
        continue; // a dangling link or a loop: read() reports it
      }
      const rootReal = safeRealpath(this.root);
      const rel = path.relative(rootReal, real).split(path.sep).join('/');
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      g.symlinkTo = rel;
      const target = byPath.get(rel);
      if (target) target.aliases = [...(target.aliases ?? []), g.path];
    }
    return out;
  }

  byKind(...kinds: FileKind[]): GovernanceFile[] {
    // Rules ask for the same kinds many times per run; the governance list of a snapshot never changes.
    const key = kinds.join('\0');
    let list = this.kindCache.get(key);
    if (!list) this.kindCache.set(key, (list = this.governance.filter((g) => kinds.includes(g.kind))));
    return list.slice();
  }

  read(rel: RelPath): ReadResult {
    const hit = this.relCache.get(rel);
    if (hit) return hit;
    const abs = joinRel(this.root, rel);
    // Read by readAbsolute already: the same answer.
    const known = this.readCache.get(abs);
    if (known) {
      this.relCache.set(rel, known);
      return known;
    }
    // A tracked file git lists as a regular file is read without first asking its type (no fstat).
    const regular = this.notRegular !== undefined && this.tracked!.has(rel) && !this.notRegular.has(rel);
    const r = readFileSafe(abs, this.maxBytes, regular);
    this.relCache.set(rel, r);
    return r;
  }

  readAbsolute(abs: string): ReadResult {
    const hit = this.readCache.get(abs);
    if (hit) return hit;
    // A file under the root read by read() already (a path in its clean form): the same answer.
    const prefix = this.root.endsWith('/') ? this.root : this.root + '/';
    if (path.sep === '/' && abs.startsWith(prefix)) {
      const known = this.relCache.get(abs.slice(prefix.length));
      if (known) return known;
    }
    const r = readFileSafe(abs, this.maxBytes);
    this.readCache.set(abs, r);
    return r;
  }

  version(rel: RelPath): string {
    let v = this.versionCache.get(rel);
    if (v === undefined) {
      try {
        const st = fs.statSync(path.join(this.root, rel));
        v = `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        v = 'missing';
      }
      this.versionCache.set(rel, v);
    }
    return v;
  }

  listAbsolute(dir: string): string[] | undefined {
    try {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name);
    } catch {
      return undefined;
    }
  }

  exists(rel: RelPath): boolean {
    return (
      this.fileSet.has(rel) || this.folders().has(rel.replace(/\/+$/, '')) || fs.existsSync(path.join(this.root, rel))
    );
  }

  private folderSet?: Set<RelPath>;

  /** The folders that hold listed files: they exist for the repository even where the work tree lacks them (a
   * sparse checkout, skip-worktree entries). */
  private folders(): Set<RelPath> {
    if (!this.folderSet) {
      const set = new Set<RelPath>();
      for (const f of this.files) {
        for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
          const dir = f.slice(0, i);
          if (set.has(dir)) break;
          set.add(dir);
        }
      }
      this.folderSet = set;
    }
    return this.folderSet;
  }

  resolvePackageFile(spec: string): string | undefined {
    try {
      return createRequire(path.join(this.root, 'package.json')).resolve(spec);
    } catch {
      return undefined;
    }
  }
}

/** A path the listing could hold: no empty, `.` or `..` segment, no leading or trailing `/`. */
const CLEAN_REL = /^(?!\.\.?(?:\/|$))[^/]+(?:\/(?!\.\.?(?:\/|$))[^/]+)*$/;

/**
 * `path.join(root, rel)` for a root from path.resolve: a concatenation when `rel` is already normalised with `/`
 * separators (every listed path), whose normalising was a visible part of reading thousands of records.
 */
function joinRel(root: string, rel: RelPath): string {
  if (path.sep !== '/' || !CLEAN_REL.test(rel)) return path.join(root, rel);
  return root.endsWith('/') ? root + rel : root + '/' + rel;
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** A symlink whose target does not exist: unreadable (reported), not missing (silent). */
function danglingLink(abs: string): ReadResult | undefined {
  try {
    if (!fs.lstatSync(abs).isSymbolicLink()) return undefined;
    return {
      ok: false,
      reason: 'unreadable',
      message: `it is a symlink to \`${fs.readlinkSync(abs)}\`, which does not exist (a dangling link)`,
    };
  } catch {
    return undefined;
  }
}

/** Opening never waits on a FIFO (POSIX); undefined where the flag does not exist (Windows). */
const O_NONBLOCK: number | undefined = fs.constants.O_NONBLOCK;

/** One buffer for the reads of small files: a record is decoded from it, so no Buffer is made per file. */
const SCRATCH = Buffer.allocUnsafe(64 * 1024);

/**
 * Read a regular file with the fewest system calls: open (non-blocking, so a FIFO never hangs the open), fstat of
 * the open file, one read, close; a read of thousands of records spends most of its time in these. `regular`: the
 * caller knows the path for a regular file (git's index says so): no fstat, one read into SCRATCH, and the size is
 * asked only when the file fills it. Undefined when the path is anything but a regular file of at most `maxBytes`
 * (or cannot be opened, or is empty): `readFileSafe`'s slow path then says why, as it always did. The Buffer
 * returned may be SCRATCH itself: decode it before the next read.
 */
function readRegularFile(abs: string, maxBytes: number, regular: boolean): Buffer | undefined {
  if (O_NONBLOCK === undefined) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    let head = 0;
    if (regular) {
      // A folder where the index has a file fails here (EISDIR), an empty file reads 0: both take the slow path.
      head = fs.readSync(fd, SCRATCH, 0, SCRATCH.length, null);
      if (head === 0) return undefined;
      if (head < SCRATCH.length) return head > maxBytes ? undefined : SCRATCH.subarray(0, head);
    }
    const st = fs.fstatSync(fd);
    // Size 0 may be a file whose size the system does not know (/proc): readFileSync reads those to their end.
    if (!st.isFile() || st.size > maxBytes || st.size === 0) return undefined;
    // As readFileSync: read up to the size fstat gave, stopping early at the end of the file.
    const buf =
      st.size <= SCRATCH.length && !head ? SCRATCH.subarray(0, st.size) : Buffer.allocUnsafe(Math.max(st.size, head));
    let n = 0;
    if (head) {
      SCRATCH.copy(buf, 0, 0, head);
      n = head;
    }
    while (n < st.size) {
      const got = fs.readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    return n === buf.length ? buf : buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing to do: the read is what mattered
    }
  }
}

/**
 * Read a file without ever throwing: directories, binaries, huge and unreadable files become reasons. `regular`: git
 * lists it as a regular file (see readRegularFile).
 */
export function readFileSafe(abs: string, maxBytes = DEFAULT_MAX_FILE_BYTES, regular = false): ReadResult {
  const fast = readRegularFile(abs, maxBytes, regular);
  if (fast) return decode(fast);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return danglingLink(abs) ?? { ok: false, reason: 'missing', message: 'the file does not exist' };
    if (code === 'ELOOP') return { ok: false, reason: 'unreadable', message: 'the path is a symlink loop' };
    return { ok: false, reason: 'unreadable', message: (err as Error).message };
  }
  if (st.isDirectory()) return { ok: false, reason: 'directory', message: 'the path is a folder, not a file' };
  if (!st.isFile()) return { ok: false, reason: 'unreadable', message: 'the path is not a regular file' };
  if (st.size > maxBytes) {
    return {
      ok: false,
      reason: 'too-large',
      size: st.size,
      message: `the file is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit; it was not read`,
    };
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: (err as Error).message };
  }
  return decode(buf);
}

/** One decoder for every read (a decode without `stream` starts afresh); it throws on invalid UTF-8. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decode(buf: Buffer): ReadResult {
  // The first 8 KB (most records are smaller: no view of them is made).
  if ((buf.length <= 8192 ? buf : buf.subarray(0, 8192)).includes(0)) {
    return { ok: false, reason: 'binary', size: buf.length, message: 'the file is binary (it holds NUL bytes)' };
  }
  let bom = false;
  let body = buf;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    bom = true;
    body = buf.subarray(3);
  }
  try {
    const text = STRICT_UTF8.decode(body);
    return bom ? { ok: true, text, size: buf.length, bom } : { ok: true, text, size: buf.length };
  } catch {
    const text = new TextDecoder('utf-8').decode(body);
    const at = text.indexOf('\uFFFD');
    const before = text.slice(0, Math.max(at, 0));
    const line = before.split('\n').length - 1;
    const character = at - (before.lastIndexOf('\n') + 1);
    return { ok: true, text, size: buf.length, invalidUtf8: { line, character }, ...(bom ? { bom } : {}) };
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Open a workspace: find its files and governance files. `dir` is taken as the root as given. */
export function openWorkspace(root: string, options: WorkspaceOptions = {}): NodeSnapshot {
  const abs = path.resolve(root);
  const useGit = options.git ?? 'auto';
  let listing: Listing | undefined;
  if (useGit !== false) listing = gitList(abs, options.only);
  return listing ? new NodeSnapshot(abs, listing, options) : walkWorkspace(abs, options);
}

/** The output of a git command run without waiting for it; undefined when it fails. */
function gitAsync(root: string, args: string[]): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let child;
    try {
      child = spawn('git', [...GIT_OPTIONS, ...args], {
        cwd: root,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      resolve(undefined);
      return;
    }
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks) : undefined));
  });
}

/**
 * openWorkspace for a run that reads every flywheel record (`flywheel check`): in a git work tree, git's walk of the
 * work tree for untracked files (the slow half of the listing: every folder is read) runs in a second process while
 * this one reads the tracked records under `.governance/`. The snapshot is the one openWorkspace would make, with
 * those reads already in its cache.
 */
export async function openWorkspaceAsync(root: string, options: WorkspaceOptions = {}): Promise<NodeSnapshot> {
  const abs = path.resolve(root);
  if (options.git === false || (options.only && !options.only.length)) return openWorkspace(root, options);
  // When git cannot list: the walk straight away (openWorkspace would ask git again, and list again).
  if (!insideWorkTree(abs)) return walkWorkspace(abs, options);
  const changes = gitAsync(abs, lsFilesArgs({ tracked: false, changes: true }, options.only));
  const listed = gitSync(abs, lsFilesArgs({ tracked: true, changes: false }, options.only));
  if (listed.status !== 0) {
    await changes;
    return walkWorkspace(abs, options);
  }
  const ls = parseLsFiles(listed.stdout, true);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read = new Map<RelPath, ReadResult>();
  for (const p of ls.tracked) {
    if (!p.startsWith('.governance/')) continue;
    const kind = classify(p);
    // The records (signals, proposals, ledger events): thousands of small files the flywheel's rules read. One
    // deleted from the work tree reads as missing, and the listing then leaves it out.
    const record = kind === 'governance-signal' || kind === 'governance-proposal' || isLedgerFile(p);
    if (!record) continue;
    read.set(p, readFileSafe(joinRel(abs, p), maxBytes, !ls.notRegular.has(p)));
  }
  const out = await changes;
  if (out === undefined) return walkWorkspace(abs, options);
  return new NodeSnapshot(abs, listing(abs, ls, parseLsFiles(out, false)), options, read);
}

/** openWorkspace's fallback when git cannot list `abs`: the walk, or an error when git was required. */
function walkWorkspace(abs: string, options: WorkspaceOptions): NodeSnapshot {
  if (options.git === true) throw new Error(`${abs}: not a git work tree`);
  return new NodeSnapshot(abs, walkList(abs, options.only), options);
}

/** Re-list the files of a workspace, keeping its options (for file creations, deletions, renames). */
export function listFiles(root: string, git: boolean | 'auto' = 'auto'): Listing {
  return (git !== false && gitList(root)) || walkList(root);
}

export type { Listing };
