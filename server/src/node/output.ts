// `--output FILE`: a report written where the user said, and nowhere else. Only a regular file is written or
// replaced — never a device (`/dev/full` stays a device), a FIFO (no hang waiting for a reader), a folder or a
// symbolic link (not followed, not replaced); the parent folder must exist (no silent mkdir) and be on a real file
// system (not /proc or /sys, where writes hang or mean something else). The write is atomic: a temporary file
// beside the target, created exclusively, then renamed over it.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why an output path is refused: one line, for the CLI's error boundary. */
export class OutputError extends Error {
  override name = 'OutputError';
}

// statfs(2) magic numbers of pseudo file systems: procfs, sysfs, debugfs, tracefs, securityfs, cgroup, cgroup2,
// devpts, bpf, configfs, pstore.
const PSEUDO_FS = new Set([
  0x9fa0, 0x62656572, 0x64626720, 0x74726163, 0x73636673, 0x27e0eb, 0x63677270, 0x1cd1, 0xcafe4a11, 0x62656570,
  0x6165676c,
]);

function kind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link (not followed; give the file it points to)';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  return code ?? (err instanceof Error ? err.message : String(err));
}

/** Check that `file` may be written as a report; returns its absolute path. Throws OutputError. */
export function checkOutputPath(file: string, cwd: string): string {
  if (file === '') throw new OutputError('--output needs a file name');
  const abs = path.resolve(cwd, file);
  if (file.endsWith('/') || file.endsWith(path.sep))
    throw new OutputError(`--output ${file}: names a folder; give a file`);
  const dir = path.dirname(abs);
  let parent: fs.Stats;
  try {
    parent = fs.statSync(dir);
  } catch {
    throw new OutputError(`--output ${file}: the folder ${dir} does not exist (it is not created)`);
  }
  if (!parent.isDirectory()) throw new OutputError(`--output ${file}: ${dir} is not a folder`);
  try {
    const type = fs.statfsSync(dir).type;
    if (PSEUDO_FS.has(type))
      throw new OutputError(`--output ${file}: ${dir} is on a pseudo file system, not a place for a report`);
  } catch (err) {
    if (err instanceof OutputError) throw err;
    // statfs unavailable: the checks below still hold
  }
  let target: fs.Stats | undefined;
  try {
    target = fs.lstatSync(abs);
  } catch {
    target = undefined;
  }
  if (target && !target.isFile())
    throw new OutputError(`--output ${file}: is ${kind(target)}; only a regular file is written`);
  return abs;
}

/** Write a report to `file` (relative to `cwd`) as checkOutputPath allows, atomically. Throws OutputError. */
export function writeOutput(file: string, text: string, cwd: string): void {
  const abs = checkOutputPath(file, cwd);
  const dir = path.dirname(abs);
  let mode = 0o666;
  try {
    mode = fs.lstatSync(abs).mode & 0o777;
  } catch {
    // a new file: the default mode, less the umask
  }
  const tmp = path.join(dir, `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // 'wx': O_CREAT|O_EXCL — never opens an existing file, device or FIFO, never follows a symbolic link.
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    // The target may have changed since the check: only a regular file (or nothing) is replaced.
    const now = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (now && !now.isFile())
      throw new OutputError(`--output ${file}: is ${kind(now)}; only a regular file is written`);
    fs.renameSync(tmp, abs);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if (err instanceof OutputError) throw err;
    throw new OutputError(`--output ${file}: cannot write: ${reason(err)}`);
  }
}
