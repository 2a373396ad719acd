// Language server: the built server (out/server.cjs) over stdio, driven like an editor (test/lsp/harness.ts).
// - keystroke to diagnostics: 200 edits, one at a time, of a 2,000-line CLAUDE.md and of a 2,000-rule CODEOWNERS
//   (in a generated 5,000-file repository, read as GitHub's and then as GitLab's), each sent as VS Code sends a
//   keystroke (one ranged didChange) and timed from it to the server's status notification that follows the run
//   (sent after the run's diagnostics are published);
// - time to first full workspace diagnostics on the generated 50,000-file repository (spawn, initialize, list the
//   files, check every rule, publish), and the server's memory (RSS) after it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { Harness, ensureBuilt } from '../../test/lsp/harness';
import { generateRepo } from './lib/generate-repo';

const EDITS = 200;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** A 2,000-line CLAUDE.md: sections, rules, commands, links and imports, like a large real one. */
function claudeMd(dir: string): string {
  const lines = ['# Monorepo conventions', ''];
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  for (let i = 0; lines.length < 2_000; i++) {
    if (i % 100 === 0) lines.push('', `## Area ${i / 100}`, '');
    else if (i % 150 === 7) {
      fs.writeFileSync(path.join(dir, `docs/area${i}.md`), `# Area ${i}\n`);
      lines.push(`- See @docs/area${i}.md for area ${i}.`);
    } else if (i % 61 === 0) lines.push('', '```sh', `pnpm --filter pkg-${i} test`, '```', '');
    else lines.push(`- Rule ${i}: keep \`pkg-${i}\` free of cycles; see [the guide](docs/guide.md).`);
  }
  fs.writeFileSync(path.join(dir, 'docs/guide.md'), '# Guide\n');
  return lines.slice(0, 2_000).join('\n') + '\n';
}

/** Time `EDITS` edits of one open file: each edit applied to the previous text, timed until the run is done. */
async function keystrokes(
  h: Harness,
  rel: string,
  text: string,
  edit: (text: string, i: number) => string,
): Promise<number[]> {
  h.open(rel, text);
  const times: number[] = [];
  let current = text;
  for (let i = 0; i < EDITS; i++) {
    current = edit(current, i);
    const seen = h.statuses.length;
    const t0 = performance.now();
    h.type(rel, current);
    await h.waitForReady(seen);
    times.push(performance.now() - t0);
  }
  return times;
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export default async function (r: Reporter): Promise<void> {
  await ensureBuilt();
  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'flywheel-bench-lsp-'));
  try {
    // 1. A 2,000-line CLAUDE.md.
    const a = path.join(tmp, 'claude');
    fs.mkdirSync(path.join(a, '.github'), { recursive: true });
    fs.mkdirSync(path.join(a, '.governance'), { recursive: true });
    fs.writeFileSync(path.join(a, '.github/CODEOWNERS'), '* @acme/web\n/.governance/ @acme/platform\n');
    fs.writeFileSync(path.join(a, '.governance/policy.json'), JSON.stringify({ extends: 'flywheel:baseline' }) + '\n');
    const md = claudeMd(a);
    fs.writeFileSync(path.join(a, 'CLAUDE.md'), md);
    let h = await Harness.start({ root: a });
    await h.waitForReady();
    const mdTimes = await keystrokes(h, 'CLAUDE.md', md, (text, i) => {
      const lines = text.split('\n');
      const n = 200 + ((i * 37) % 1_700);
      lines[n] = lines[n] + (i % 2 ? 'x' : ' ');
      return lines.join('\n');
    });
    await h.stop();
    r.figure('keystroke → diagnostics, 2,000-line CLAUDE.md, p50', percentile(mdTimes, 50), 'ms');
    r.figure('keystroke → diagnostics, 2,000-line CLAUDE.md, p95', percentile(mdTimes, 95), 'ms', { max: 50 });

    // 2. A 2,000-rule CODEOWNERS in a 5,000-file repository: typing in an owner of a rule in the middle, with the
    // file read by GitHub (.github/CODEOWNERS), then by GitLab (.gitlab/CODEOWNERS, two sections added): sections,
    // per-section deciding rules and default owners take another path through the parse and the resolution.
    const b = generateRepo(path.join(tmp, 'codeowners'), { files: 5_000, rules: 2_000, seed: 3 }).dir;
    const co = fs.readFileSync(path.join(b, '.github/CODEOWNERS'), 'utf8');
    const glLines = co.split('\n');
    glLines.splice(1_500, 0, '[Platform] @acme/platform');
    glLines.splice(500, 0, '^[Docs][2] @acme/docs');
    const typeInOwners = (text: string, i: number) => {
      const lines = text.split('\n');
      const n = 1_000 + (i % 20);
      lines[n] = lines[n] + (i % 2 ? 'x' : ' ');
      return lines.join('\n');
    };
    for (const [dialect, rel, text] of [
      ['', '.github/CODEOWNERS', co],
      ['GitLab ', '.gitlab/CODEOWNERS', glLines.join('\n')],
    ] as const) {
      if (rel.startsWith('.gitlab/')) {
        fs.mkdirSync(path.join(b, '.gitlab'));
        fs.writeFileSync(path.join(b, rel), text);
        fs.rmSync(path.join(b, '.github/CODEOWNERS'));
      }
      h = await Harness.start({ root: b });
      await h.waitForReady();
      const times = await keystrokes(h, rel, text, typeInOwners);
      await h.stop();
      r.figure(
        `keystroke → diagnostics, 2,000-rule ${dialect}CODEOWNERS (5,000 files), p50`,
        percentile(times, 50),
        'ms',
      );
      r.figure(
        `keystroke → diagnostics, 2,000-rule ${dialect}CODEOWNERS (5,000 files), p95`,
        percentile(times, 95),
        'ms',
        { max: 50 },
      );
    }

    // 3. The 50,000-file repository: first full workspace diagnostics, and memory after.
    const c = generateRepo(path.join(tmp, 'big'), { files: 50_000, rules: 2_000, seed: 1 }).dir;
    const t0 = performance.now();
    h = await Harness.start({ root: c });
    const status = await h.waitForReady();
    const first = performance.now() - t0;
    const mem = rssMb(h.child.pid!);
    const files = h.diagnostics.size;
    await h.stop();
    r.figure('first full workspace diagnostics, 50,000 files (spawn to published)', first, 'ms', { max: 3_000 });
    r.figure('server memory (RSS) after it', mem.rss, 'MB', { max: 300 });
    r.figure('server peak memory (VmHWM)', mem.peak, 'MB');
    r.note(
      `50,000-file repository: ${status.errors} errors, ${status.warnings} warnings in ${files} files; the server's own run took ${status.durationMs} ms`,
    );
    for (const line of h.logs.filter((l) => /^(Opened|Checked) /.test(l)))
      r.note(`server: ${line.replace(c, '<repo>')}`);
    r.note(`${os.cpus().length} CPUs; other processes on the machine add noise to the latencies`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
