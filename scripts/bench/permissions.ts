// Permissions benchmark (`npm run bench -- permissions`): `flywheel permissions explain` on a settings stack of
// 10,000 rules (target: under 100 ms, in-process, from opening the workspace to the answer, as the CLI does it:
// every file parsed, only the rules that can decide the call's tool compiled), and one file of
// 100,000 rules parsed and checked without quadratic blow-up (the 100k/10k time ratio stays near 10).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { AnalysisCache } from '../../server/src/engine/cache';
import { check } from '../../server/src/engine/index';
import { claudeEffective, explain } from '../../server/src/engine/permissions/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';

const CMDS = [
  'git',
  'npm',
  'pnpm',
  'yarn',
  'docker',
  'kubectl',
  'make',
  'cargo',
  'go',
  'python',
  'aws',
  'gh',
  'terraform',
  'helm',
  'curl',
];

/** n rules split over deny/ask/allow, of every matcher kind. */
function rules(n: number, seed = 0): { allow: string[]; ask: string[]; deny: string[] } {
  const out = { allow: [] as string[], ask: [] as string[], deny: [] as string[] };
  for (let i = 0; i < n; i++) {
    const c = CMDS[(i + seed) % CMDS.length]!;
    const k = i % 10;
    const r =
      k < 5
        ? `Bash(${c} sub${i} *)`
        : k === 5
          ? `Read(./data/d${i}/**)`
          : k === 6
            ? `Edit(src/m${i}/**)`
            : k === 7
              ? `WebFetch(domain:h${i}.example.com)`
              : k === 8
                ? `mcp__srv${i % 50}__tool${i}`
                : `Bash(${c} --flag${i}:*)`;
    (i % 7 === 0 ? out.deny : i % 7 === 1 ? out.ask : out.allow).push(r);
  }
  out.deny.push('Bash(git push *)');
  return out;
}

function workspace(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-perm-'));
  for (const [rel, v] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), JSON.stringify(v, null, 2));
  }
  return dir;
}

function explainCold(dir: string, call: string): { ms: number; cpuMs: number; decision: string } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const snapshot = openWorkspace(dir, {
    git: false,
    managedSettingsPath: path.join(dir, 'etc', 'managed-settings.json'),
  });
  const policy = loadPolicy(snapshot);
  const e = claudeEffective(snapshot, new AnalysisCache(), policy, {
    home: '/home/bench',
    onlyFor: call.slice(0, call.indexOf('(')),
  });
  const x = explain(e, call);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, decision: x.decision };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default async function (r: Reporter): Promise<void> {
  // 10,000 rules over managed / local / project.
  const dir = workspace({
    'etc/managed-settings.json': { permissions: rules(2000, 1) },
    '.claude/settings.local.json': { permissions: rules(3000, 2) },
    '.claude/settings.json': { permissions: rules(5000, 3) },
  });
  try {
    explainCold(dir, 'Bash(git push origin main)'); // warm the module code paths (JIT), not the cache
    const runs = Array.from({ length: 9 }, () => explainCold(dir, 'Bash(git status && git push origin main)'));
    // Both are printed: process CPU time also counts the garbage collector's helper threads, wall time also counts
    // waiting for the CPU on a loaded machine (the load average is noted).
    // The target applies to the best of 9 runs (the cost of the work itself); the median shows the noise.
    r.figure(
      'explain, 10,000 rules, cold: wall time, best of 9 (open + parse + merge + answer)',
      Math.min(...runs.map((x) => x.ms)),
      'ms',
      { max: 100 },
    );
    r.figure('explain, 10,000 rules, cold: wall time, median of 9', median(runs.map((x) => x.ms)), 'ms');
    r.figure(
      'explain, 10,000 rules, cold: process CPU time (all threads), median of 9',
      median(runs.map((x) => x.cpuMs)),
      'ms',
    );
    r.note(
      `load average while measuring: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs`,
    );
    const snapshot = openWorkspace(dir, {
      git: false,
      managedSettingsPath: path.join(dir, 'etc', 'managed-settings.json'),
    });
    const policy = loadPolicy(snapshot);
    const cache = new AnalysisCache();
    const e = claudeEffective(snapshot, cache, policy, { home: '/home/bench' });
    const calls = [
      'Bash(git push origin main)',
      'Read(./data/d5/x.csv)',
      'Edit(src/a.ts)',
      'WebFetch(https://h7.example.com/)',
      'mcp__srv8__tool8',
      'Bash(npm run build && make test | tee log)',
    ];
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) for (const c of calls) explain(e, c);
    r.figure('explain, 10,000 rules, warm (per call, effective set memoised)', (performance.now() - t0) / 600, 'ms', {
      max: 10,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // One file of 10,000 and of 100,000 rules: parse + merge + shadows, then the whole check.
  const times: Record<number, { load: number; check: number }> = {};
  for (const n of [10000, 100000]) {
    const d = workspace({ '.claude/settings.json': { permissions: rules(n) } });
    try {
      const t0 = performance.now();
      const snapshot = openWorkspace(d, { git: false, managedSettingsPath: null });
      const policy = loadPolicy(snapshot);
      const cache = new AnalysisCache();
      claudeEffective(snapshot, cache, policy);
      const t1 = performance.now();
      check(snapshot, policy, cache);
      const t2 = performance.now();
      times[n] = { load: t1 - t0, check: t2 - t1 };
      r.figure(`${n.toLocaleString('en')} rules in one file: parse + effective set`, t1 - t0, 'ms');
      r.figure(`${n.toLocaleString('en')} rules in one file: check (all rules, memoised set)`, t2 - t1, 'ms');
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  }
  r.figure(
    '100k / 10k parse + effective time ratio (10 = linear, 100 = quadratic)',
    times[100000]!.load / times[10000]!.load,
    '×',
    { max: 25 },
  );
}
