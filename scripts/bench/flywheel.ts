// Flywheel at scale: 10,000 signals (each with its `captured` event) and 2,000 proposals (drafted and proposed events,
// a quarter ratified and applied to their own convention file). Figures: the wall time of `flywheel signal list`,
// `flywheel ledger verify` and `flywheel check` as a user runs them (node out/cli.cjs, start-up included).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Reporter } from '../bench';
import { markerLines } from '../../server/src/engine/conventions/ratified';
import { sha256 } from '../../server/src/engine/flywheel/change';
import { makeEvent, type Action } from '../../server/src/engine/flywheel/ledger';
import { renderProposal } from '../../server/src/engine/flywheel/proposal';
import { renderSignal } from '../../server/src/engine/flywheel/signal';

const CLI = path.join(import.meta.dirname, '../../out/cli.cjs');
const CAROL = { email: 'carol@acme.example', handle: '@carol' };
const ALICE = { email: 'alice@acme.example', handle: '@alice' };

function write(root: string, rel: string, text: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

export function generate(root: string): void {
  write(root, '.governance/policy.json', JSON.stringify({ flywheel: { people: { '@alice': [ALICE.email], '@carol': [CAROL.email] }, teams: { '@acme/leads': ['@alice'] } } }));
  write(root, '.github/CODEOWNERS', '/svc/ @acme/leads\n/.governance/ @acme/leads\n/.github/ @acme/leads\n');
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const signals: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const now = new Date(t0 + i * 1000);
    const id = `S-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-${hex(i, 8)}`;
    signals.push(id);
    const text = renderSignal({ id, kind: i % 2 ? 'failure' : 'context-gap', summary: `Signal ${i % 3000}`, rootCause: `cause ${i % 3000}`, agent: 'claude', files: [{ path: `svc/s${i % 200}/x.ts` }], source: 'manual', capturedBy: '@carol', captured: now.toISOString().replace(/\.\d{3}Z$/, 'Z') });
    write(root, `.governance/signals/${id}.md`, text);
    const e = makeEvent({ now, actor: CAROL, action: 'captured', subject: id, hashes: { record: sha256(text) } }, [], hex(i, 12));
    write(root, e.path, e.text);
  }
  for (let i = 0; i < 2000; i++) {
    const now = new Date(t0 + 20_000_000 + i * 1000);
    const id = `P-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-${hex(i, 8)}`;
    const target = `svc/s${i % 50}/CLAUDE.md`;
    const base = `# Service ${i % 50}\n\n## Rules\n\n- Be careful.\n`;
    const rule = `- Rule ${i}: run \`npm test\` before committing.`;
    // A quarter are applied: their rules are appended to the service's CLAUDE.md (50 files, 10 rules each).
    const applied = i % 4 === 0;
    if (!fs.existsSync(path.join(root, target))) write(root, target, base);
    if (applied) fs.appendFileSync(path.join(root, target), '\n' + markerLines(id, rule).join('\n') + '\n');
    const steps: [Action, typeof CAROL][] = [['drafted', CAROL], ['proposed', CAROL], ...(applied ? ([['ratified', ALICE], ['applied', ALICE]] as [Action, typeof CAROL][]) : [])];
    const status = applied ? 'applied' : 'proposed';
    write(
      root,
      `.governance/proposals/${id}.md`,
      renderProposal(
        { id, status, signals: [signals[i * 5]!], route: 'convention', target, targets: [target], owners: ['@acme/leads'], author: '@carol', authorEmail: CAROL.email, created: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), sha256: { [target]: sha256(base) }, section: 'Rules', rule },
        '\n# Proposal\n',
      ),
    );
    let heads: string[] = [];
    steps.forEach(([action, actor], k) => {
      const e = makeEvent({ now: new Date(now.getTime() + k), actor, action, subject: id, target }, heads, hex(i * 8 + k, 12));
      write(root, e.path, e.text);
      heads = [e.event.hash];
    });
  }
}

function wall(args: string[]): { ms: number; status: number | null; out: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_AUTHOR_EMAIL: CAROL.email } });
  return { ms: performance.now() - t, status: r.status, out: r.stdout };
}

export default async function (r: Reporter): Promise<void> {
  if (!fs.existsSync(CLI)) {
    r.note('out/cli.cjs is missing: run `npm run build` first');
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-bench-'));
  try {
    generate(root);
    // A git repository, as real ones are (files listed by git ls-files).
    spawnSync('git', ['init', '-q'], { cwd: root });
    spawnSync('git', ['add', '-A'], { cwd: root });
    r.note(`generated 10,000 signals, 2,000 proposals and ${10_000 + 2000 * 2 + 500 * 2} ledger events under ${root}`);
    wall(['signal', 'list', '--root', root, '--format', 'json']); // warm the file cache
    const list = wall(['signal', 'list', '--root', root, '--format', 'json']);
    r.figure('flywheel signal list (10k signals, grouped)', list.ms, 'ms', { max: 2000 });
    const verify = wall(['ledger', 'verify', '--root', root]);
    if (verify.status !== 0) r.note(`ledger verify exited ${verify.status}: ${verify.out.slice(0, 200)}`);
    r.figure('flywheel ledger verify (15k events)', verify.ms, 'ms', { max: 2000 });
    const check = wall(['check', root, '--format', 'json', '--managed', path.join(root, 'none.json')]);
    r.figure('flywheel check (10k signals, 2k proposals, 50 convention files)', check.ms, 'ms', { max: 2000 });
    const props = wall(['proposals', '--root', root, '--format', 'json', '--status', 'proposed']);
    r.figure('flywheel proposals --status proposed', props.ms, 'ms', { max: 2000 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
