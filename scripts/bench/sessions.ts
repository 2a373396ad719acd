// Session signals (`npm run bench -- sessions`): a generated Claude Code transcript of BENCH_SESSION_MB (default 500)
// MiB, built from the lines the real Claude Code wrote in test/fixtures/sessions/ (bookkeeping lines and tool results
// padded to 60 KB as real ones reach, tool calls, failing results, a person's corrections), streamed by the scanner.
// Figures: wall time and throughput; the growth of the resident set while scanning (bounded memory: the target is
// that it stays under 150 MiB whatever the size); how long a cancelled scan takes to stop. The file is deleted after.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { scanSessions, ScanCancelled } from '../../server/src/node/transcripts/scan';

const ROOT = '/home/dev/shop';
const FIXTURE = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..',
  '..',
  'test',
  'fixtures',
  'sessions',
  'home',
  '.claude',
  'projects',
  '-home-dev-shop',
  '1cb354f3-d6fb-410e-b7f5-798e4da74691.jsonl',
);

function generate(file: string, mib: number): number {
  const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
  const pad = 'x'.repeat(60_000);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let n = 0;
  try {
    for (let block = 0; written < mib * 1024 * 1024; block++) {
      const out: string[] = [];
      for (const l of lines) {
        const o = JSON.parse(l) as Record<string, unknown>;
        if (o.type !== 'user' && o.type !== 'assistant') out.push(JSON.stringify({ ...o, padding: pad }));
        else if (o.type === 'user') {
          // Real tool results carry the whole output in toolUseResult: every user line is parsed, and large.
          out.push(
            JSON.stringify({ ...o, toolUseResult: { stdout: pad } }).replace(
              /toolu_oracle_(\d+)/g,
              `toolu_b${block}_$1`,
            ),
          );
        } else out.push(l.replace(/toolu_oracle_(\d+)/g, `toolu_b${block}_$1`));
      }
      if (block % 10 === 0) {
        const text = `no, use pnpm for package ${block % 50}`;
        const message = { role: 'user', content: [{ type: 'text', text }] };
        out.push(JSON.stringify({ type: 'user', isSidechain: false, cwd: ROOT, message }));
      }
      const chunk = out.join('\n') + '\n';
      fs.writeSync(fd, chunk);
      written += Buffer.byteLength(chunk);
      n += out.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

export default async function (r: Reporter): Promise<void> {
  const mib = Number(process.env.BENCH_SESSION_MB ?? 500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-bench-sessions-'));
  try {
    const file = path.join(dir, '0bench00-0000-4000-8000-000000000000.jsonl');
    const lines = generate(file, mib);
    const size = fs.statSync(file).size;
    r.note(`generated transcript: ${(size / 1024 / 1024).toFixed(0)} MiB, ${lines} lines`);
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const t0 = performance.now();
    const res = await scanSessions({ root: ROOT, home: dir, env: {}, transcripts: dir });
    const ms = performance.now() - t0;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    r.figure(`scan a ${(size / 1024 / 1024).toFixed(0)} MiB Claude Code transcript`, ms / 1000, 's');
    r.figure('throughput', size / 1024 / 1024 / (ms / 1000), 'MiB/s');
    r.figure('resident set growth while scanning', (peak - rss0) / 1024 / 1024, 'MiB', { max: 150 });
    r.note(
      `${res.candidates.length} candidates; top: ×${res.candidates[0]?.occurrences ?? 0} ${res.candidates[0]?.summary ?? ''}`,
    );
    // Cancel a second scan a quarter of the way through; how long from abort() to the scan's rejection.
    const ac = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      ac.abort();
    }, ms / 4);
    let stopped = false;
    try {
      await scanSessions({ root: ROOT, home: dir, env: {}, transcripts: dir, signal: ac.signal });
    } catch (err) {
      stopped = err instanceof ScanCancelled;
    }
    if (stopped) r.figure('a cancelled scan stops within', performance.now() - abortedAt, 'ms', { max: 100 });
    else r.note('the scan ended before it could be cancelled');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
