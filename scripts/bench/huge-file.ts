// One huge convention file: a 7 MB AGENTS.md. Files far beyond any agent's context are scanned (imports, links,
// scripts, secrets and prohibited text by pattern), not parsed as Markdown (conventions/parse.ts MAX_PARSE_BYTES), and
// get a size finding; no single file may cost more than about a second. Two contents: unique generated prose (no
// two paragraphs alike, so no cache keyed by text helps: lib/huge-text.ts) and a real 145 KB AGENTS.md from the
// corpus, repeated. And a unique 1 MB file, the largest that is still parsed. Figures: the full check of a
// repository holding only that file (cold, after a warm-up on a small copy), its CPU time, and the heap it leaves.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { checkFolder } from '../../server/src/cli/check';
import { MAX_PARSE_BYTES } from '../../server/src/engine/conventions/parse';
import { uniqueProse } from './lib/huge-text';

const HERE = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const REAL = path.join(HERE, '../../test/fixtures/realworld-repos/mcp-inspector/files/AGENTS.md');

function repoWith(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-huge-'));
  fs.writeFileSync(path.join(dir, 'AGENTS.md'), text);
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "scripts": { "test": "node --test", "build": "tsc" } }\n');
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.writeFileSync(path.join(dir, 'docs', 'guide.md'), '# Guide\n');
  return dir;
}

function repeated(bytes: number): string {
  const src = fs.readFileSync(REAL, 'utf8');
  return src.repeat(Math.ceil(bytes / src.length)).slice(0, bytes);
}

function measure(r: Reporter, label: string, text: string): void {
  const dir = repoWith(text);
  try {
    const before = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const { findings } = checkFolder(dir, { managed: null });
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    r.figure(`check: a repository with one ${label}`, Math.round(ms), 'ms');
    r.figure('  CPU time', Math.round((cpu.user + cpu.system) / 1000), 'ms', { max: 1000 });
    r.figure('  heap growth', Math.round((process.memoryUsage().heapUsed - before) / 1024 / 1024), 'MB');
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    r.note(`findings: ${[...counts].map(([id, n]) => `${id} ×${n}`).join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function (r: Reporter): Promise<void> {
  const small = repoWith(uniqueProse(200 * 1024, 7));
  checkFolder(small, { managed: null });
  fs.rmSync(small, { recursive: true, force: true });
  const MB7 = 7 * 1024 * 1024;
  measure(r, '7 MB AGENTS.md of unique prose (huge-file)', uniqueProse(MB7, 1));
  measure(r, '7 MB AGENTS.md (a real 145 KB file, repeated)', repeated(MB7));
  measure(
    r,
    `${MAX_PARSE_BYTES / 1024 / 1024} MB AGENTS.md of unique prose (the largest parsed)`,
    uniqueProse(MAX_PARSE_BYTES, 2),
  );
  await Promise.resolve();
}
