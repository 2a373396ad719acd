// A read-only in-memory Snapshot: a file list and the texts of some of its files. For benchmarks and tests that
// check a repository's real file list without its files on disk (the real-world corpora, generated repositories).

import type { Snapshot } from './host';
import { classify } from './kinds';
import type { FileKind, GovernanceFile, ReadResult } from './types';

const MISSING: ReadResult = { ok: false, reason: 'missing', message: 'the file does not exist' };

export function memorySnapshot(root: string, files: readonly string[], contents: Record<string, string>): Snapshot {
  const all = [...new Set([...files, ...Object.keys(contents)])].sort();
  const fileSet = new Set(all);
  const governance: GovernanceFile[] = [];
  for (const p of all) {
    const kind = classify(p);
    if (kind) governance.push({ path: p, kind, tracked: true });
  }
  return {
    root,
    files: all,
    fileSet,
    tracked: fileSet,
    filesVersion: String(all.length),
    governance,
    byKind: (...kinds: FileKind[]) => governance.filter((g) => kinds.includes(g.kind)),
    read: (p) => (p in contents ? { ok: true, text: contents[p]!, size: Buffer.byteLength(contents[p]!) } : MISSING),
    readAbsolute: () => MISSING,
    version: (p) => (p in contents ? 'v1' : 'missing'),
    exists: (p) => fileSet.has(p),
    discoveryProblems: [],
  };
}
