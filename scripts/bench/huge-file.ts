// One huge convention file: a 7 MB AGENTS.md (a real 145 KB AGENTS.md from the corpus, repeated). Files far beyond
// any agent's context are scanned (imports, links, secrets by pattern), not parsed as Markdown (conventions/parse.ts
// MAX_PARSE_BYTES), and get a size finding; no single file may cost more than about a second. Figures: the full
// check of a repository holding only that file
// (cold, first run in this process after a warm-up on a small copy) and the heap it leaves.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { checkFolder } from '../../server/src/cli/check';

const HERE = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const REAL = path.join(HERE, '../../test/fixtures/realworld-repos/mcp-inspector/files/AGENTS.md');

function repoWith(bytes: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-huge-'));
  const src = fs.readFileSync(REAL, 'utf8');
  fs.writeFileSync(path.join(dir, 'AGENTS.md'), src.repeat(Math.ceil(bytes / src.length)).slice(0, bytes));
  return dir;
}

export default async function (r: Reporter): Promise<void> {
  const small = repoWith(200 * 1024);
  checkFolder(small, { managed: null });
  fs.rmSync(small, { recursive: true, force: true });
  const dir = repoWith(7 * 1024 * 1024);
  try {
    const before = process.memoryUsage().heapUsed;
    const t = performance.now();
    const { findings } = checkFolder(dir, { managed: null });
    const ms = performance.now() - t;
    r.figure('check: a repository with one 7 MB AGENTS.md', Math.round(ms), 'ms', { max: 1000 });
    r.figure('  heap growth', Math.round((process.memoryUsage().heapUsed - before) / 1024 / 1024), 'MB');
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    r.note(`findings: ${[...counts].map(([id, n]) => `${id} ×${n}`).join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await Promise.resolve();
}
