// The tracked files of a git work tree, streamed: `git ls-files -z` (git's index, in git's order) read as git writes
// it, each path handed over as soon as it is complete. Neither the list nor git's output is ever held whole, so
// `flywheel owners --all | --unowned` runs in the same memory at 500 files and at 500,000, and resolves the first
// files while git is still writing the last. No `--others` (a walk of the whole work tree, most of the time of a
// listing at 50,000 files) and no `--deleted` (an lstat per file): the index is what "tracked" means.
//
// In the plain case — `.git/` a folder at the root, the index in a format read here exactly, nothing in the
// environment or the repository's config that moves the work tree or the index — the index file is read directly
// (`trackedListing`): the same names in the same order as `git ls-files -z`, without starting git twice (and loading
// Node's child-process and stream machinery): a third of the wall time of `owners --unowned` on 5,000 files. Anything
// else (a split or sparse index, a linked work tree or submodule, a subfolder as root, GIT_DIR and friends, an
// untracked CODEOWNERS candidate whose ignore rules only git can judge, a file that does not parse) asks git.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BITBUCKET_CODEOWNERS_LOCATIONS, CODEOWNERS_LOCATIONS, GITLAB_CODEOWNERS_LOCATIONS } from '../engine/kinds';
import { PathSplitter } from './path-splitter';

/** Where any platform reads a CODEOWNERS file (GitHub, GitLab, Bitbucket), root-relative. */
const CODEOWNERS_CANDIDATES = [
  ...new Set<string>([...CODEOWNERS_LOCATIONS, ...GITLAB_CODEOWNERS_LOCATIONS, ...BITBUCKET_CODEOWNERS_LOCATIONS]),
];

/**
 * The CODEOWNERS files at the platforms' locations that the workspace listing would show (tracked and present, or
 * untracked and not ignored), or undefined when `root` is not inside a git work tree (or git cannot run). One small
 * git call restricted to those paths: nothing else of the work tree is read.
 */
export function codeownersCandidates(root: string): { files: string[]; tracked: string[] } | undefined {
  const r = spawnSync(
    'git',
    [
      '-c',
      'core.quotePath=false',
      'ls-files',
      '-z',
      '-t',
      '--cached',
      '--others',
      '--exclude-standard',
      '--',
      ...CODEOWNERS_CANDIDATES.map((p) => `:(literal)${p}`),
    ],
    { cwd: root, encoding: 'utf8', windowsHide: true },
  );
  if (r.error || r.status !== 0) return undefined;
  const tracked: string[] = [];
  const others: string[] = [];
  for (const entry of r.stdout.split('\0')) {
    if (entry.length < 3) continue;
    const file = entry.slice(2);
    if (entry[0] === '?') others.push(file);
    // Deleted from the work tree (what `--deleted` tells, at the price of an lstat of every tracked file); a
    // skip-worktree entry (`S`, sparse checkout) counts as present, as `--deleted` never reports it.
    else if (entry[0] === 'S' || present(path.join(root, file))) tracked.push(file);
  }
  return { files: [...tracked, ...others], tracked };
}

/**
 * Whether a tracked path is in the work tree: lstat, as the workspace listing, so a symlink counts even when its
 * target is missing (existsSync follows it and would drop a dangling one that the listing keeps).
 */
function present(abs: string): boolean {
  try {
    return fs.lstatSync(abs, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // EACCES and the like: as existsSync
  }
}

/** The CODEOWNERS candidates (as `codeownersCandidates`) and the tracked files (as `streamTrackedFiles`). */
export interface TrackedListing {
  files: string[];
  tracked: string[];
  /** Calls `each` with every tracked path, in git's order; resolves with the number of paths. */
  stream(each: (path: string) => void): Promise<number>;
  /** Where the listing comes from: the index file read here, or git. */
  source: 'index' | 'git';
}

/**
 * The listing of a git work tree (`root` its top level, or a folder inside it), or undefined when `root` is not in
 * one. From the index file when `readGitIndex` can read it exactly, else from git.
 */
export function trackedListing(root: string): TrackedListing | undefined {
  const index = readGitIndex(root);
  if (index !== undefined) {
    const c = candidatesFromIndex(root, index);
    if (c) {
      return {
        ...c,
        source: 'index',
        stream: (each) => {
          try {
            return Promise.resolve(index.forEach(each));
          } catch (err) {
            return Promise.reject(err);
          }
        },
      };
    }
  }
  const c = codeownersCandidates(root);
  return c && { ...c, source: 'git', stream: (each) => streamTrackedFiles(root, each) };
}

/** The entries of git's index, in its order (the order of `git ls-files`), read from `.git/index`. */
export interface GitIndex {
  readonly count: number;
  /** Calls `each` with every entry's name (one call per entry: an unmerged path once per stage, as git lists it). */
  forEach(each: (path: string) => void): number;
  /**
   * The entries named as one of the `prefixes` given to `parseGitIndex`, or below one (`p/…`), in index order,
   * with whether git lists them as skip-worktree (`S` in `git ls-files -t`; an unmerged entry is `M` whatever its bit).
   */
  readonly matches: readonly { name: string; skipWorktree: boolean }[];
}

/** Environment variables of git's that do not change which index or work tree `git ls-files` reads. */
const HARMLESS_GIT_ENV =
  /^GIT_(?:AUTHOR_|COMMITTER_|SSL_|HTTP_|TRACE|SSH|ASKPASS$|TERMINAL_PROMPT$|EDITOR$|SEQUENCE_EDITOR$|PAGER$|PROTOCOL_FROM_USER$|FLUSH$|MERGE_|LFS_)/;

/**
 * The index of the git work tree whose top level is `root`, when reading it here gives exactly what `git ls-files -z`
 * would print: `root/.git` is a folder that git accepts as a repository owned by this user, no environment variable
 * or config entry points git at another index or work tree (GIT_DIR, GIT_INDEX_FILE, core.worktree, includes,
 * repository extensions such as SHA-256 objects or per-worktree config), and the file is an index of version 2, 3 or
 * 4 whose entries and extensions parse to its last byte, with no extension git requires to understand (a split or
 * sparse index). No index file yet (`git init` only): no entries. Undefined in every other case: ask git.
 */
export function readGitIndex(root: string): GitIndex | undefined {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  for (const k of Object.keys(process.env)) if (k.startsWith('GIT_') && !HARMLESS_GIT_ENV.test(k)) return undefined;
  const gitDir = path.join(root, '.git');
  try {
    const uid = process.getuid();
    // git refuses a repository another user owns (safe.directory): let git say so.
    if (fs.statSync(root).uid !== uid) return undefined;
    const st = fs.statSync(gitDir);
    if (!st.isDirectory() || st.uid !== uid) return undefined;
    if (!fs.statSync(path.join(gitDir, 'objects')).isDirectory()) return undefined;
    if (!fs.statSync(path.join(gitDir, 'refs')).isDirectory()) return undefined;
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'latin1');
    if (!/^(?:ref: refs\/\S+|[0-9a-f]{40})\s*$/.test(head)) return undefined;
  } catch {
    return undefined;
  }
  let config = '';
  try {
    config = fs.readFileSync(path.join(gitDir, 'config'), 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  if (/worktree|include|extensions|bare\s*=\s*(?:true|yes|on|1)\b/i.test(config)) return undefined;
  const version = /^\s*repositoryformatversion\s*=\s*(\S+)/im.exec(config)?.[1];
  if (version !== undefined && version !== '0' && version !== '1') return undefined;
  let fd: number;
  try {
    fd = fs.openSync(path.join(gitDir, 'index'), 'r');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? EMPTY_INDEX : undefined;
  }
  // Read in windows, never whole: at 50,000 files the index is 5 MB, a tenth of the process's memory. Kept open
  // until the names are listed (read again then, from the same file even if git has since replaced it).
  try {
    const size = fs.fstatSync(fd).size;
    return parseGitIndex(
      {
        size,
        read: (into, at, len, position) => fs.readSync(fd, into, at, len, position),
        close: () => fs.closeSync(fd),
      },
      CODEOWNERS_CANDIDATES,
    );
  } catch {
    fs.closeSync(fd);
    return undefined;
  }
}

/** Bytes of an index file: its size, and a read of `len` bytes at `position` into `into` at `at`. */
export interface IndexSource {
  size: number;
  read(into: Buffer, at: number, len: number, position: number): number;
  /** Called once the file is read for the last time (after the names are listed, or when it does not parse). */
  close?(): void;
}

const EMPTY_INDEX: GitIndex = { count: 0, forEach: () => 0, matches: [] };

/** SHA-1: the hash after every entry's stat data, and the file's checksum at its end. */
const HASH = 20;

/** Bytes read at a time (a window of the file; longer entries widen it). */
const WINDOW = 256 * 1024;

/**
 * An index file's entries, or undefined when it is not one this reader handles exactly (format: git's
 * Documentation/gitformat-index.txt). `prefixes`: the names whose entries `matches` lists (ASCII). The file is read
 * through a window twice: once to check it whole (entries and extensions) and collect the matches, once more when
 * the names are listed.
 */
export function parseGitIndex(file: Buffer | IndexSource, prefixes: readonly string[] = []): GitIndex | undefined {
  const src: IndexSource = Buffer.isBuffer(file)
    ? { size: file.length, read: (into, at, len, position) => file.copy(into, at, position, position + len) }
    : file;
  const size = src.size;
  const limit = size - HASH;
  if (limit < 12) return undefined;
  let win = Buffer.allocUnsafe(Math.min(WINDOW, size));
  /** The file offset of win[0], and how many bytes of win hold the file. */
  let base = 0;
  let have = 0;
  /** Makes the window hold the file's bytes [at, at + need) (not past the checksum); false when the file ends first. */
  const ensure = (at: number, need: number): boolean => {
    if (at + need > limit) return false;
    if (at >= base && at + need <= base + have) return true;
    if (need > win.length) win = Buffer.allocUnsafe(Math.max(need, win.length * 2));
    base = at;
    have = 0;
    const want = Math.min(win.length, size - at);
    while (have < want) {
      const n = src.read(win, have, want - have, at + have);
      if (n <= 0) break;
      have += n;
    }
    return at + need <= base + have;
  };
  /** The offset of the NUL ending the name that starts at `at`, or -1 when the file ends first. */
  const nulFrom = (at: number): number => {
    let need = 256;
    for (;;) {
      if (!ensure(at, Math.min(need, limit - at))) return -1;
      const i = win.indexOf(0, at - base);
      if (i >= 0 && i < have) return base + i;
      if (base + have >= limit) return -1;
      need = Math.max(need * 2, have - (at - base) + 1);
    }
  };
  if (!ensure(0, 12) || win.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = win.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = win.readUInt32BE(8);
  const wanted = prefixes.map((p) => Buffer.from(p, 'latin1'));
  const firstBytes = new Set(wanted.map((w) => w[0]));
  const matches: { name: string; skipWorktree: boolean }[] = [];
  // Version 4 compresses each name against the one before it: names are rebuilt in a scratch buffer.
  let scratch = Buffer.allocUnsafe(version === 4 ? 4096 : 0);
  /** Walks every entry; the offset after the last, or -1 when an entry does not parse. */
  const walk = (each?: (path: string) => void): number => {
    let at = 12;
    let prevLen = 0;
    for (let i = 0; i < count; i++) {
      // 40 bytes of stat data (the mode at 24), the object hash, 2 bytes of flags, 2 more when extended.
      if (!ensure(at, 65) && !ensure(at, 63)) return -1;
      let o = at - base;
      // The mode's type bits: a regular file, a symbolic link or a submodule; a folder is a sparse index's entry.
      const type = win[o + 26]! >> 4;
      if (type !== 0o10 && type !== 0o12 && type !== 0o16) return -1;
      const flags = (win[o + 60]! << 8) | win[o + 61]!;
      let nameAt = at + 62;
      let skip = false;
      if (flags & 0x4000) {
        if (version < 3 || !ensure(at, 65)) return -1;
        o = at - base;
        const ext = (win[o + 62]! << 8) | win[o + 63]!;
        // Only intent-to-add (0x2000) and skip-worktree (0x4000) are defined; git refuses any other bit.
        if (ext & ~0x6000) return -1;
        skip = (ext & 0x4000) !== 0 && (flags & 0x3000) === 0;
        nameAt += 2;
      }
      let name: Buffer;
      let start: number;
      let end: number;
      if (version === 4) {
        // git's varint (varint.c): 7 bits a byte, most significant first, each continuation adding one.
        if (!ensure(nameAt, 1)) return -1;
        let c = win[nameAt++ - base]!;
        let strip = c & 127;
        while (c & 128) {
          if (strip > 0xffffff || !ensure(nameAt, 1)) return -1;
          c = win[nameAt++ - base]!;
          strip = ((strip + 1) << 7) | (c & 127);
        }
        const stop = nulFrom(nameAt);
        if (stop < 0 || strip > prevLen) return -1;
        const keep = prevLen - strip;
        const len = keep + (stop - nameAt);
        if (len === 0) return -1;
        if (len > scratch.length) {
          const bigger = Buffer.allocUnsafe(Math.max(len, scratch.length * 2));
          scratch.copy(bigger, 0, 0, keep);
          scratch = bigger;
        }
        win.copy(scratch, keep, nameAt - base, stop - base);
        prevLen = len;
        name = scratch;
        start = 0;
        end = len;
        at = stop + 1;
      } else {
        const stored = flags & 0xfff;
        const stop = stored < 0xfff ? (ensure(nameAt, stored + 1) ? nameAt + stored : -1) : nulFrom(nameAt);
        if (stop <= nameAt || win[stop - base] !== 0) return -1;
        name = win;
        start = nameAt - base;
        end = stop - base;
        // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
        at += (stop - at + 8) & ~7;
      }
      if (each) {
        each(name.toString('utf8', start, end));
        continue;
      }
      if (firstBytes.has(name[start])) {
        for (const w of wanted) {
          const n = w.length;
          if (end - start < n || name.compare(w, 0, n, start, start + n) !== 0) continue;
          if (end - start === n || name[start + n] === 0x2f) {
            matches.push({ name: name.toString('utf8', start, end), skipWorktree: skip });
            break;
          }
        }
      }
    }
    return at;
  };
  let done = false;
  const close = () => {
    if (!done) src.close?.();
    done = true;
  };
  const end = walk();
  if (end < 0) return void close();
  // Extensions: a signature and a length each, up to the checksum. An optional one starts with A–Z; any other
  // (`link`: a split index, `sdir`: a sparse index) changes what the entries mean.
  let at = end;
  while (at < limit) {
    if (!ensure(at, 8)) return void close();
    const first = win[at - base]!;
    if (first < 0x41 || first > 0x5a) return void close();
    at += 8 + win.readUInt32BE(at - base + 4);
  }
  if (at !== limit) return void close();
  return {
    count,
    matches,
    forEach(each) {
      try {
        if (walk(each) < 0) throw new Error('git index: changed while read');
      } finally {
        close();
      }
      return count;
    },
  };
}

/**
 * `codeownersCandidates` from the index: a tracked candidate (an entry named as one, or below one, as git's
 * pathspec matches) counts unless deleted from the work tree; undefined when a candidate is on disk but not an entry
 * of the index (untracked: whether it is ignored is for git to say), or is a folder.
 */
function candidatesFromIndex(root: string, index: GitIndex): { files: string[]; tracked: string[] } | undefined {
  const exact = new Set(index.matches.map((m) => m.name));
  for (const c of CODEOWNERS_CANDIDATES) {
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(path.join(root, c));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
    }
    // On disk and not an entry of the index, or a folder (whose files git would list): git decides.
    if (st && (!exact.has(c) || st.isDirectory())) return undefined;
  }
  const tracked: string[] = [];
  for (const m of index.matches) if (m.skipWorktree || present(path.join(root, m.name))) tracked.push(m.name);
  return { files: tracked, tracked };
}

/**
 * Calls `each` with every path of `git ls-files -z` run in `root`, in git's order, as the output arrives. Resolves
 * with the number of paths; rejects when git fails (its message). The caller knows `root` is in a git work tree.
 */
export function streamTrackedFiles(root: string, each: (path: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['-c', 'core.quotePath=false', 'ls-files', '-z'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const paths = new PathSplitter(0, each);
    let failed: Error | undefined;
    let stderr = '';
    git.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        paths.push(chunk);
      } catch (err) {
        // The consumer failed (its output went away, …): stop git and report the consumer's error.
        failed = err as Error;
        git.kill();
      }
    });
    git.stderr.setEncoding('utf8');
    git.stderr.on('data', (s: string) => {
      if (stderr.length < 4096) stderr += s;
    });
    git.on('error', (err) => {
      failed ??= err;
    });
    git.on('close', (code) => {
      if (failed) return reject(failed);
      if (code !== 0) return reject(new Error(`git ls-files failed: ${stderr.trim() || `exit ${code}`}`));
      // git ends every path with NUL; a remainder would be a path cut short: handed over as it is.
      try {
        paths.end();
      } catch (err) {
        return reject(err);
      }
      resolve(paths.count);
    });
  });
}
