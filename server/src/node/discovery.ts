// Workspace discovery over the file system: find the root, list its files (git ls-files in a git work tree, else a
// walk that honours .gitignore), classify governance files, and serve reads from the disk. Open buffers are laid over
// a NodeSnapshot by LiveSnapshot (live-snapshot.ts), the one overlay.

import { spawnSync } from 'node:child_process';
import { signerOf } from './flywheel';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { Snapshot } from '../engine/host';
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
  problems: { path: RelPath; message: string }[];
}

function gitList(root: string): Listing | undefined {
  const run = (args: string[]) =>
    spawnSync('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: root,
      encoding: 'buffer',
      maxBuffer: 1024 * 1024 * 1024,
      windowsHide: true,
    });
  const inside = run(['rev-parse', '--is-inside-work-tree']);
  if (inside.status !== 0 || inside.stdout.toString().trim() !== 'true') return undefined;
  // One pass: tracked (H), deleted in the work tree (R) and untracked-but-not-ignored (?) files, tagged.
  const listed = run(['ls-files', '-z', '-t', '--cached', '--deleted', '--others', '--exclude-standard']);
  if (listed.status !== 0) return undefined;
  const tracked = new Set<string>();
  const others: string[] = [];
  const gone = new Set<string>();
  for (const entry of listed.stdout.toString('utf8').split('\0')) {
    if (entry.length < 3) continue;
    const tag = entry[0];
    const file = entry.slice(2);
    if (tag === '?') others.push(file);
    else if (tag === 'R') gone.add(file);
    else tracked.add(file);
  }
  for (const f of gone) tracked.delete(f);
  if (!others.length) return { files: [...tracked], tracked, problems: [] };
  const all = new Set(tracked);
  for (const f of others) all.add(f);
  return { files: [...all], tracked, problems: [] };
}

function walkList(root: string): Listing {
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
        if (!ignored(relPath, true)) stack.push({ dir: path.join(dir, e.name), rel: relPath, ignores: here });
      } else if (!ignored(relPath, false)) {
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
  private readonly readCache = new Map<string, ReadResult>();
  private readonly versionCache = new Map<string, string>();
  private readonly signers = new Map<string, string | null | undefined>();
  private readonly kindCache = new Map<string, GovernanceFile[]>();

  constructor(
    readonly root: string,
    listing: Listing,
    options: WorkspaceOptions,
  ) {
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const extra = [...(options.alsoList ?? [])];
    // Every listed file tracked (the usual git case): one set for both, not two copies of 50,000 paths.
    const same = listing.tracked !== undefined && extra.length === 0 && listing.tracked.size === listing.files.length;
    const all = same ? listing.tracked! : new Set(listing.files);
    for (const p of extra) if (!all.has(p) && fs.existsSync(path.join(root, p))) all.add(p);
    this.files = [...all].sort();
    this.fileSet = all;
    this.tracked = listing.tracked ?? (options.tracked ? new Set(options.tracked) : undefined);
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
    // One file with two names: a symlinked convention file (CLAUDE.md → AGENTS.md).
    const absOf = new Map(out.map((g) => [g, joinRel(this.root, g.path)]));
    const isLink = linkProbe([...absOf.values()]);
    for (const g of out) {
      const abs = absOf.get(g)!;
      if (!isLink(abs)) continue;
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
    return this.readAbsolute(joinRel(this.root, rel));
  }

  readAbsolute(abs: string): ReadResult {
    const hit = this.readCache.get(abs);
    if (hit) return hit;
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

/**
 * Read a regular file with the fewest system calls: open (non-blocking, so a FIFO never hangs the open), fstat of
 * the open file, one read, close; a read of thousands of records spends most of its time in these. Undefined when
 * the path is anything but a regular file of at most `maxBytes` (or cannot be opened): `readFileSafe`'s slow path
 * then says why, as it always did.
 */
function readRegularFile(abs: string, maxBytes: number): Buffer | undefined {
  if (O_NONBLOCK === undefined) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    // Size 0 may be a file whose size the system does not know (/proc): readFileSync reads those to their end.
    if (!st.isFile() || st.size > maxBytes || st.size === 0) return undefined;
    // As readFileSync: read up to the size fstat gave, stopping early at the end of the file.
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const got = fs.readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    return n === st.size ? buf : buf.subarray(0, n);
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

/** Read a file without ever throwing: directories, binaries, huge and unreadable files become reasons. */
export function readFileSafe(abs: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  const fast = readRegularFile(abs, maxBytes);
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
  const probe = buf.subarray(0, 8192);
  if (probe.includes(0)) {
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
  if (useGit !== false) listing = gitList(abs);
  if (!listing) {
    if (useGit === true) throw new Error(`${abs}: not a git work tree`);
    listing = walkList(abs);
  }
  return new NodeSnapshot(abs, listing, options);
}

/** Re-list the files of a workspace, keeping its options (for file creations, deletions, renames). */
export function listFiles(root: string, git: boolean | 'auto' = 'auto'): Listing {
  return (git !== false && gitList(root)) || walkList(root);
}

export type { Listing };
