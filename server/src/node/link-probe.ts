// Which of many paths are symbolic links, asked of the file system cheaply: a folder that holds many of the paths
// (10,000 signal records in .governance/signals/) is listed once with its entries' types instead of lstat-ing each
// file; paths in folders that hold few of them are lstat-ed as before.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders holding at least this many of the paths are listed once. */
const LIST_FROM = 16;

/**
 * A function telling whether an absolute path (one of `paths`) is a symlink: true, false, or undefined when it does
 * not exist (or cannot be looked at).
 */
export function linkProbe(paths: readonly string[]): (abs: string) => boolean | undefined {
  const perDir = new Map<string, number>();
  for (const p of paths) {
    const d = path.dirname(p);
    perDir.set(d, (perDir.get(d) ?? 0) + 1);
  }
  const listed = new Map<string, Map<string, boolean> | null>();
  return (abs) => {
    const dir = path.dirname(abs);
    if ((perDir.get(dir) ?? 0) >= LIST_FROM) {
      let entries = listed.get(dir);
      if (entries === undefined) {
        try {
          entries = new Map(
            fs.readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e.isSymbolicLink()] as const),
          );
        } catch {
          entries = null;
        }
        listed.set(dir, entries);
      }
      if (entries) return entries.get(path.basename(abs));
    }
    try {
      return fs.lstatSync(abs).isSymbolicLink();
    } catch {
      return undefined;
    }
  };
}
