// The flywheel's effects: git identity, signature checks (git verify-commit with an allowed-signers file — the
// crypto is ssh-keygen's, not ours), and writes that never lose data: new records are created exclusively (never
// overwriting), changed files are written atomically (temp file in the same folder, fsync, rename, fsync of the
// folder), and nothing is written outside the repository or through a symlink that leaves it.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class RefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function git(root: string, args: string[], env?: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', windowsHide: true, env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The acting person's email as git records it: GIT_AUTHOR_EMAIL, else `git config user.email`. */
export function gitEmail(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const e = env.GIT_AUTHOR_EMAIL?.trim();
  if (e) return e;
  const r = git(root, ['config', 'user.email'], env);
  const v = r.status === 0 ? r.stdout.trim() : '';
  return v || undefined;
}

/**
 * The root-relative path made absolute, after refusing (`outside-root`) absolute paths, `..` escapes and paths whose
 * existing part resolves (through symlinks) outside the root. For an existing symlink inside the root, the real file
 * is returned (so a rename replaces the file, not the link).
 */
export function resolveInside(root: string, rel: string): string {
  const norm = rel.replace(/\\/g, '/');
  if (!norm || path.isAbsolute(norm) || /^[A-Za-z]:/.test(norm) || norm.split('/').includes('..')) {
    throw new RefusedError('outside-root', `${rel}: the path leaves the repository; refusing to write it`);
  }
  const realRoot = fs.realpathSync(root);
  const abs = path.join(realRoot, norm);
  // The deepest existing ancestor (or the file itself) must resolve inside the root.
  let probe = abs;
  for (;;) {
    let real: string | undefined;
    try {
      real = fs.realpathSync(probe);
    } catch {
      real = undefined;
    }
    if (real !== undefined) {
      const r = path.relative(realRoot, real);
      if (r.startsWith('..') || path.isAbsolute(r)) {
        throw new RefusedError('outside-root', `${rel}: goes through a symlink out of the repository (${real}); refusing to write it`);
      }
      return probe === abs ? real : path.join(real, path.relative(probe, abs));
    }
    let isLink = false;
    try {
      isLink = fs.lstatSync(probe).isSymbolicLink();
    } catch {
      isLink = false;
    }
    if (isLink) throw new RefusedError('outside-root', `${rel}: goes through a dangling symlink; refusing to write it`);
    const up = path.dirname(probe);
    if (up === probe) return abs;
    probe = up;
  }
}

/** The text of a root-relative file, or null when it does not exist. */
export function readInside(root: string, rel: string): string | null {
  const abs = resolveInside(root, rel);
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Create a new file that must not exist yet (O_EXCL), durably. Returns false when it already exists. */
export function createExclusive(root: string, rel: string, text: string): boolean {
  const abs = resolveInside(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  let fd: number;
  try {
    fd = fs.openSync(abs, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fsyncDir(path.dirname(abs));
  return true;
}

/**
 * Replace (or create) a file atomically: a temporary file beside it, fsync, rename over it, fsync the folder. A reader
 * (or a `kill -9`) sees the old content or the new, never a torn file. `expect` = the content it must still have
 * (null: must not exist), else RefusedError('stale-target').
 */
export function writeAtomic(root: string, rel: string, text: string, expect?: string | null): void {
  const abs = resolveInside(root, rel);
  if (expect !== undefined) {
    let cur: string | null;
    try {
      cur = fs.readFileSync(abs, 'utf8');
    } catch {
      cur = null;
    }
    if (cur !== expect) throw new RefusedError('stale-target', `${rel} changed while it was being written; not overwritten`);
  }
  const dir = path.dirname(abs);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(abs).mode;
  } catch {
    mode = undefined;
  }
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/**
 * Who signed the commit that added `rel`: the principal (email) of its SSH signature as verified by git against the
 * allowed-signers file `allowedSigners` (absolute). null: that commit is unsigned, or its signature does not verify
 * for any principal the file lists; undefined: it cannot be told (not a git repository, or the file is not committed).
 */
export function signerOf(root: string, rel: string, allowedSigners: string): string | null | undefined {
  const added = git(root, ['log', '--diff-filter=A', '--format=%H', '-1', '--', rel]);
  const commit = added.status === 0 ? added.stdout.trim() : '';
  if (!commit) return undefined;
  const v = git(root, ['-c', `gpg.ssh.allowedSignersFile=${allowedSigners}`, '-c', 'gpg.format=ssh', 'verify-commit', '--raw', commit]);
  if (v.status !== 0) return null;
  // ssh-keygen -Y verify: `Good "git" signature for alice@acme.example with ED25519 key SHA256:…`
  const m = /Good "git" signature for (\S+) with /.exec(v.stderr + v.stdout);
  return m ? m[1]! : null;
}
