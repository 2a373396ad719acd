// Writing user files without ever losing data: write to a temporary file beside the target, then rename it over
// the target (atomic on the same file system). Optionally refuse when the target changed since it was read.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class ConflictError extends Error {}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Write `text` to `file` atomically. With `expectSha256`, refuse (ConflictError) when the file's current content
 * does not hash to it — it changed underneath us. With `root`, refuse any path outside that folder.
 */
export function writeFileAtomic(
  file: string,
  text: string,
  options: { expectSha256?: string | null; root?: string } = {},
): void {
  const abs = path.resolve(file);
  if (options.root) {
    const rel = path.relative(path.resolve(options.root), abs);
    if (rel.startsWith('..') || path.isAbsolute(rel))
      throw new Error(`${abs}: refusing to write outside the workspace ${options.root}`);
  }
  if (options.expectSha256 !== undefined) {
    let current: Buffer | undefined;
    try {
      current = fs.readFileSync(abs);
    } catch {
      current = undefined;
    }
    const actual = current === undefined ? null : sha256(current);
    if (actual !== options.expectSha256) throw new ConflictError(`${abs} changed since it was read; not overwritten`);
  }
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(abs).mode;
  } catch {
    mode = undefined;
  }
  try {
    fs.writeFileSync(tmp, text, mode !== undefined ? { mode } : {});
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
