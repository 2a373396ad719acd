// `npm run bench -- peers`: the `flywheel` CLI against the other CODEOWNERS tools, process against process, on the
// generated repositories (50,000 files × 2,000 rules, 5,000 × 2,000) and the two real ones of
// ../shared/realworld/codeowners/ (esphome, DataDog integrations-extras), laid out as git repositories of empty files.
//
// Peers: @snyk/github-codeowners (npm; installed into a temporary folder by this script, else the devDependency), and
// hmarr/codeowners (Go) when its binary is given in HMARR_CODEOWNERS, or built here (`go build`) from a checkout of its
// source named by HMARR_SRC when a Go toolchain is present. Every tool runs without NODE_EXTRA_CA_CERTS (loading the
// extra certificates costs every Node process ~70 ms of CPU at start, and none of the tools makes a request); set
// BENCH_KEEP_CA_CERTS=1 to keep the environment as it is. Runs
// alternate between the tools (A B C, B C A, …) so load on a shared machine hits them alike; each figure is the median
// of BENCH_RUNS runs (default 9); RSS is the peak resident set (/usr/bin/time). The table is written into
// docs/performance.md between its `peers` markers. Ratios measured in one run are what compare; absolute times
// depend on the machine's load.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { generateRepo } from './lib/generate-repo';

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..', '..');
const CLI = path.join(ROOT, 'out', 'cli.cjs');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 9) || 9);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const KEEP_CA = process.env.BENCH_KEEP_CA_CERTS === '1';
/** The environment of every measured process. */
const ENV: NodeJS.ProcessEnv = { ...process.env };
if (!KEEP_CA) delete ENV.NODE_EXTRA_CA_CERTS;

interface Run {
  ms: number;
  cpuMs?: number;
  rssMb?: number;
  status: number | null;
  stdout: string;
}

interface Tool {
  name: string;
  /** The command for a mode, or undefined when the tool has no such mode (or is too slow for this repository). */
  cmd(mode: Mode, repo: Repo): string[] | undefined;
  timeoutMs: number;
}

type Mode = 'unowned' | 'all';

interface Repo {
  name: string;
  dir: string;
  files: number;
  rules: number;
}

function run(cmd: string[], cwd: string, timeoutMs: number): Run {
  const out = path.join(os.tmpdir(), `flywheel-peers-time-${process.pid}`);
  const argv = TIME ? [TIME, '-o', out, '-f', '%e %U %S %M', ...cmd] : cmd;
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    env: ENV,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  const res: Run = { ms, status: r.error ? null : r.status, stdout: r.stdout ?? '' };
  if (TIME && fs.existsSync(out)) {
    const line = fs.readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, sys, kb] = line.split(' ').map(Number);
    if (user !== undefined && sys !== undefined && kb !== undefined && !Number.isNaN(kb)) {
      res.cpuMs = (user + sys) * 1000;
      res.rssMb = kb / 1024;
    }
    fs.rmSync(out, { force: true });
  }
  return res;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A git repository of empty files from a corpus entry (its files.txt and CODEOWNERS at the recorded path). */
function realRepo(corpus: string, name: string, into: string): Repo | undefined {
  const src = path.join(corpus, name);
  if (!fs.existsSync(path.join(src, 'files.txt'))) return undefined;
  const where = /^path: (\S+)/m.exec(fs.readFileSync(path.join(src, 'SOURCE.txt'), 'utf8'))?.[1];
  if (!where) return undefined;
  const files = fs.readFileSync(path.join(src, 'files.txt'), 'utf8').split('\n').filter(Boolean);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(into, f)), { recursive: true });
    fs.writeFileSync(path.join(into, f), '');
  }
  fs.mkdirSync(path.dirname(path.join(into, where)), { recursive: true });
  fs.copyFileSync(path.join(src, 'CODEOWNERS'), path.join(into, where));
  const rules = fs
    .readFileSync(path.join(src, 'CODEOWNERS'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#')).length;
  return { name: name.split('__')[1] ?? name, dir: into, files: files.length, rules };
}

function gitAdd(dir: string): void {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
}

/** @snyk/github-codeowners: installed fresh into a temporary folder, else the devDependency. */
function snykCli(tmp: string, r: Reporter): string | undefined {
  const prefix = path.join(tmp, 'snyk');
  const inst = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--silent', '--prefix', prefix, '@snyk/github-codeowners'],
    {
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  const installed = path.join(prefix, 'node_modules', '@snyk', 'github-codeowners', 'dist', 'cli.js');
  if (inst.status === 0 && fs.existsSync(installed)) return installed;
  r.note(
    `npm install @snyk/github-codeowners into ${prefix} failed (${(inst.stderr || inst.error?.message || '').trim().split('\n')[0]}); using the devDependency`,
  );
  try {
    const req = createRequire(path.join(ROOT, 'package.json'));
    return path.join(path.dirname(req.resolve('@snyk/github-codeowners/package.json')), 'dist', 'cli.js');
  } catch {
    return undefined;
  }
}

/**
 * hmarr/codeowners: the binary named by HMARR_CODEOWNERS, else built from the checkout named by HMARR_SRC with the Go
 * toolchain (`go build ./cmd/codeowners`; its module dependency must be reachable: the proxy, or a `replace`). Its
 * usage line is checked.
 */
function hmarrBin(r: Reporter, tmp: string): string | undefined {
  let bin = process.env.HMARR_CODEOWNERS;
  const src = process.env.HMARR_SRC;
  if (!bin && src) {
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (go.status !== 0) {
      r.note(`hmarr/codeowners: HMARR_SRC is set but there is no Go toolchain (\`go version\` failed); not measured`);
      return undefined;
    }
    bin = path.join(tmp, 'hmarr-codeowners');
    const b = spawnSync('go', ['build', '-o', bin, './cmd/codeowners'], {
      cwd: src,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (b.status !== 0) {
      r.note(
        `hmarr/codeowners: \`go build\` in ${src} failed (${(b.stderr || '').trim().split('\n').pop()}); not measured`,
      );
      return undefined;
    }
    r.note(`hmarr/codeowners: built from ${src} with ${go.stdout.trim()}`);
  }
  if (!bin) {
    r.note(
      'hmarr/codeowners: not measured — set HMARR_CODEOWNERS to its `codeowners` binary, or HMARR_SRC to a checkout of its source (with Go installed)',
    );
    return undefined;
  }
  const h = spawnSync(bin, ['--help'], { encoding: 'utf8' });
  if (!/usage: codeowners/.test(`${h.stdout}${h.stderr}`)) {
    r.note(`hmarr/codeowners: ${bin} does not look like it (no "usage: codeowners"); not measured`);
    return undefined;
  }
  return bin;
}

/** The unowned paths a tool printed, normalised (hmarr prints `path   (unowned)`, snyk `path`, ours `path`). */
function unownedSet(tool: string, stdout: string): string[] {
  const lines = stdout.split('\n').filter(Boolean);
  const paths =
    tool === 'hmarr'
      ? lines.map((l) => l.replace(/\s+\(unowned\)$/, '').replace(/^\.\//, ''))
      : lines.map((l) => l.replace(/ {2}\(un-owned by line \d+ .*\)$/, ''));
  return paths.map((p) => p.trimEnd()).sort();
}

interface Row {
  repo: Repo;
  mode: Mode | 'start';
  tool: string;
  ms: number;
  cpuMs: number | undefined;
  rssMb: number | undefined;
  ok: boolean;
}

export default async function (r: Reporter): Promise<void> {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-peers-'));
  try {
    const repos: Repo[] = [];
    for (const [name, files, rules, seed] of [
      ['generated 50k × 2k', 50_000, 2_000, 1],
      ['generated 5k × 2k', 5_000, 2_000, 2],
    ] as const) {
      const g = generateRepo(path.join(tmp, `gen-${files}`), { files, rules, seed });
      gitAdd(g.dir);
      repos.push({ name, dir: g.dir, files: g.files.length, rules });
    }
    const corpus = path.join(ROOT, '..', 'shared', 'realworld', 'codeowners');
    for (const name of ['esphome__esphome', 'DataDog__integrations-extras']) {
      const repo = fs.existsSync(corpus) ? realRepo(corpus, name, path.join(tmp, name)) : undefined;
      if (!repo) {
        r.note(`real repository ${name} not found under ${corpus}; skipped`);
        continue;
      }
      gitAdd(repo.dir);
      repos.push(repo);
    }

    const tools: Tool[] = [
      {
        name: 'flywheel',
        cmd: (m) => [process.execPath, CLI, 'owners', m === 'unowned' ? '--unowned' : '--all'],
        timeoutMs: 120_000,
      },
    ];
    const hmarr = hmarrBin(r, tmp);
    if (hmarr)
      tools.push({ name: 'hmarr', cmd: (m) => (m === 'unowned' ? [hmarr, '-u'] : [hmarr]), timeoutMs: 120_000 });
    const snyk = snykCli(tmp, r);
    // The npm peer takes minutes at 50k files: measured where it finishes in reasonable time.
    if (snyk) {
      tools.push({
        name: 'snyk',
        cmd: (m, repo) =>
          repo.files > 10_000
            ? undefined
            : [process.execPath, snyk, 'audit', '-d', '.', ...(m === 'unowned' ? ['-u'] : [])],
        timeoutMs: 300_000,
      });
    }
    r.note(
      `${RUNS} alternating runs per figure; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs at the start; NODE_EXTRA_CA_CERTS ${KEEP_CA ? 'kept' : 'removed'}`,
    );

    const rows: Row[] = [];
    // Start-up: `node -e 0` and `flywheel --version` / `--help`, alternating.
    {
      const startTools: [string, string[]][] = [
        ['node -e 0', [process.execPath, '-e', '0']],
        ['flywheel --version', [process.execPath, CLI, '--version']],
        ['flywheel --help', [process.execPath, CLI, '--help']],
      ];
      const times = new Map<string, Run[]>(startTools.map(([n]) => [n, []]));
      for (let k = 0; k < RUNS * 2; k++) {
        for (let j = 0; j < startTools.length; j++) {
          const [n, cmd] = startTools[(j + k) % startTools.length]!;
          times.get(n)!.push(run(cmd, ROOT, 30_000));
        }
      }
      const none: Repo = { name: '(start-up)', dir: ROOT, files: 0, rules: 0 };
      for (const [n, rs] of times) rows.push(summarise(none, 'start', n, rs));
      const base = rows.find((x) => x.tool === 'node -e 0')!;
      const v = rows.find((x) => x.tool === 'flywheel --version')!;
      r.figure('flywheel --version minus node -e 0 (median wall, same run)', v.ms - base.ms, 'ms', { max: 15 });
      if (v.cpuMs !== undefined && base.cpuMs !== undefined) {
        r.figure('flywheel --version minus node -e 0 (median CPU, same run)', v.cpuMs - base.cpuMs, 'ms');
      }
    }

    for (const repo of repos) {
      for (const mode of ['unowned', 'all'] as Mode[]) {
        const active = tools.filter((t) => t.cmd(mode, repo));
        const results = new Map<string, Run[]>(active.map((t) => [t.name, []]));
        for (let k = 0; k < RUNS; k++) {
          for (let j = 0; j < active.length; j++) {
            const t = active[(j + k) % active.length]!;
            // The slow peer: fewer runs (its median is still a median; at 100× slower it does not change a ratio).
            if (t.name === 'snyk' && k >= 3) continue;
            results.get(t.name)!.push(run(t.cmd(mode, repo)!, repo.dir, t.timeoutMs));
          }
        }
        for (const t of active) rows.push(summarise(repo, mode, t.name, results.get(t.name)!));
        // Agreement on the unowned files (the deciding line of every file was compared in issue 14's study).
        if (mode === 'unowned' && results.has('hmarr')) {
          const ours = unownedSet('flywheel', results.get('flywheel')![0]!.stdout);
          const theirs = unownedSet('hmarr', results.get('hmarr')![0]!.stdout);
          const same = ours.length === theirs.length && ours.every((p, i) => p === theirs[i]);
          r.note(
            `${repo.name}: unowned files — flywheel ${ours.length}, hmarr ${theirs.length}${same ? ' (the same files)' : ' (DIFFERENT)'}`,
          );
        }
      }
    }

    for (const x of rows) {
      r.figure(`${x.repo.name} ${x.mode === 'start' ? '' : `--${x.mode} `}${x.tool}: median wall`, x.ms, 'ms');
    }
    const get = (repo: Repo, mode: Mode, tool: string) =>
      rows.find((x) => x.repo === repo && x.mode === mode && x.tool === tool);
    for (const repo of repos) {
      for (const mode of ['unowned', 'all'] as Mode[]) {
        const ours = get(repo, mode, 'flywheel');
        if (!ours) continue;
        const h = get(repo, mode, 'hmarr');
        const s0 = get(repo, mode, 'snyk');
        const s = s0?.ok ? s0 : undefined;
        const real = !repo.name.startsWith('generated');
        if (h)
          r.figure(
            `${repo.name} --${mode}: hmarr time / ours`,
            h.ms / ours.ms,
            '×',
            real ? { min: 0.5 } : repo.files >= 50_000 && mode === 'unowned' ? { min: 3 } : undefined,
          );
        if (s && repo.files === 5_000)
          r.figure(`${repo.name} --${mode}: @snyk/github-codeowners time / ours`, s.ms / ours.ms, '×', { min: 100 });
        if (repo.files >= 50_000 && ours.rssMb !== undefined)
          r.figure(`${repo.name} --${mode}: flywheel peak RSS`, ours.rssMb, 'MB', {
            max: mode === 'unowned' ? 60 : 80,
          });
        if (repo.files >= 50_000 && mode === 'unowned')
          r.figure(`${repo.name} --unowned: flywheel median wall`, ours.ms, 'ms', { max: 1000 });
      }
    }
    writeTable(
      rows,
      tools.map((t) => t.name),
    );
    r.note('table written to docs/performance.md');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function summarise(repo: Repo, mode: Row['mode'], tool: string, rs: Run[]): Row {
  // Exit 1 is ours (and hmarr's) "there are unowned files"; for the npm peer it is a failure (it reads only
  // .github/CODEOWNERS, so it fails on a repository whose file is elsewhere, as esphome's).
  const ok = rs.every((x) => x.status === 0 || (mode === 'unowned' && x.status === 1 && tool !== 'snyk'));
  const cpu = rs.map((x) => x.cpuMs).filter((x): x is number => x !== undefined);
  const rss = rs.map((x) => x.rssMb).filter((x): x is number => x !== undefined);
  return {
    repo,
    mode,
    tool,
    ms: median(rs.map((x) => x.ms)),
    cpuMs: cpu.length ? median(cpu) : undefined,
    rssMb: rss.length ? Math.max(...rss) : undefined,
    ok,
  };
}

function writeTable(rows: Row[], tools: string[]): void {
  const fmtMs = (x: number | undefined) =>
    x === undefined ? '–' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
  const fmtMb = (x: number | undefined) => (x === undefined ? '–' : `${Math.round(x)} MB`);
  const lines: string[] = [];
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  lines.push(
    `Measured ${when} by \`npm run bench -- peers\` on ${os.cpus().length} cores (load average at the end ${os.loadavg()[0]!.toFixed(1)}; `,
    `median of ${RUNS} alternating runs; wall time of the whole process, CPU = user + system, RSS = peak;`,
    `${KEEP_CA ? 'NODE_EXTRA_CA_CERTS kept as set' : 'NODE_EXTRA_CA_CERTS removed from the environment'}).`,
    '',
    '| repository | files × rules | mode | tool | wall | CPU | peak RSS | ours vs it (wall) |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const x of rows) {
    const ours = rows.find((y) => y.repo === x.repo && y.mode === x.mode && y.tool === 'flywheel');
    let ratio = '';
    if (x.mode !== 'start' && ours && x.tool !== 'flywheel' && x.ok) {
      const q = x.ms / ours.ms;
      ratio = q >= 1 ? `${q.toFixed(q >= 10 ? 0 : 1)}× faster` : `${(1 / q).toFixed(1)}× slower`;
    }
    const size =
      x.mode === 'start' ? '' : `${x.repo.files.toLocaleString('en-US')} × ${x.repo.rules.toLocaleString('en-US')}`;
    lines.push(
      `| ${x.repo.name} | ${size} | ${x.mode === 'start' ? 'start-up' : `--${x.mode}`} | ${x.tool}${x.ok ? '' : ' (failed)'} | ${fmtMs(x.ms)} | ${fmtMs(x.cpuMs)} | ${fmtMb(x.rssMb)} | ${ratio} |`,
    );
  }
  if (!tools.includes('hmarr'))
    lines.push('', 'hmarr/codeowners was not measured in this run (neither HMARR_CODEOWNERS nor HMARR_SRC set).');
  const file = path.join(ROOT, 'docs', 'performance.md');
  const text = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Performance\n\n<!-- peers:start -->\n<!-- peers:end -->\n';
  const start = text.indexOf('<!-- peers:start -->');
  const end = text.indexOf('<!-- peers:end -->');
  if (start < 0 || end < start) return;
  fs.writeFileSync(file, `${text.slice(0, start)}<!-- peers:start -->\n${lines.join('\n')}\n${text.slice(end)}`);
}
