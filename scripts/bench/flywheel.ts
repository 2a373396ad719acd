// Flywheel at scale: 10,000 signals (each with its `captured` event) and 2,000 proposals in every state, a quarter
// applied to their service's convention file (scripts/bench/lib/flywheel-workspace.ts). Figures: `flywheel signal
// list`, `flywheel ledger verify` and `flywheel check` as a user runs them (node out/cli.cjs, start-up included):
// the wall time, and the CPU time of the process (on a shared machine the wall time also measures the neighbours).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { CAROL, generateFlywheelWorkspace } from './lib/flywheel-workspace';

const CLI = path.join(import.meta.dirname, '../../out/cli.cjs');

/** Run the CLI; its CPU time is printed by a preloaded exit hook into a file. */
function run(args: string[], dir: string): { ms: number; cpu: number; status: number | null; out: string } {
  const hook = path.join(dir, 'cpu-hook.cjs');
  const report = path.join(dir, 'cpu.txt');
  fs.writeFileSync(
    hook,
    `process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(${JSON.stringify(report)}, String((u.user + u.system) / 1000)); });\n`,
  );
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', hook, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, GIT_AUTHOR_EMAIL: CAROL.email },
  });
  const ms = performance.now() - t;
  return { ms, cpu: Number(fs.readFileSync(report, 'utf8')), status: r.status, out: r.stdout };
}

export default async function (r: Reporter): Promise<void> {
  if (!fs.existsSync(CLI)) {
    r.note('out/cli.cjs is missing: run `npm run build` first');
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-hook-'));
  try {
    const n = generateFlywheelWorkspace(root, { signals: 10_000, proposals: 2000, seed: 1 });
    // A git repository, as real ones are (files listed by git ls-files).
    spawnSync('git', ['init', '-q'], { cwd: root });
    spawnSync('git', ['add', '-A'], { cwd: root });
    r.note(
      `generated ${n.signals} signals, ${n.proposals} proposals, ${n.events} ledger events and ${n.conventionFiles} convention files under ${root}`,
    );
    run(['signal', 'list', '--root', root, '--format', 'json'], tmp); // warm the file cache
    const figures: [string, string[]][] = [
      ['flywheel signal list (10k signals, grouped)', ['signal', 'list', '--root', root, '--format', 'json']],
      [`flywheel ledger verify (${n.events} events)`, ['ledger', 'verify', '--root', root]],
      [
        'flywheel check (10k signals, 2k proposals)',
        ['check', root, '--format', 'json', '--managed', path.join(root, 'none.json')],
      ],
      [
        'flywheel proposals --status proposed',
        ['proposals', '--root', root, '--format', 'json', '--status', 'proposed'],
      ],
      // The report behind Flywheel: Show Report and the Governance view's numbers (issue: "the view and report stay
      // responsive" at 10,000 signals).
      [
        'flywheel report --format html (10k signals)',
        ['report', '--root', root, '--format', 'html', '--output', path.join(tmp, 'report.html')],
      ],
    ];
    for (const [name, args] of figures) {
      const x = run(args, tmp);
      if (x.status !== 0 && x.status !== 1) r.note(`${args.slice(0, 2).join(' ')} exited ${x.status}`);
      r.figure(name, x.ms, 'ms', { max: 2000 });
      r.figure(`${name}, CPU`, x.cpu, 'ms', { max: 1500 });
    }
    // The Governance view in the editor: what the language server answers when the view refreshes (proposals with
    // the current person's permissions, signal groups, the status bar's count) and Flywheel: Show Report, in process.
    process.env.GIT_AUTHOR_EMAIL = CAROL.email;
    const view = await import('../../server/src/lsp/flywheel');
    const timed = (name: string, f: () => unknown) => {
      view.forgetOpened(); // each answer on its own, as after a file event under .governance/
      const t = performance.now();
      f();
      r.figure(name, performance.now() - t, 'ms', { max: 2000 });
    };
    timed('view: flywheel/listProposals (2k proposals)', () => view.listProposals(root));
    timed('view: flywheel/listSignals (10k signals)', () => view.listSignals(root));
    timed('view: status bar count (awaiting me)', () => view.awaitingCount(root));
    timed('view: Flywheel: Show Report (10k signals)', () => view.reportIn(root));
    // A refresh after a file event under .governance/ (the records already read once: the server keeps one analysis
    // cache per root): the three answers the view and the status bar ask for, sharing one opened workspace.
    timed('view: refresh after a .governance/ event (proposals, signals, count)', () => {
      view.listProposals(root);
      view.listSignals(root);
      view.awaitingCount(root);
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
