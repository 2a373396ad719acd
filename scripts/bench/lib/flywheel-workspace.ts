// A flywheel workspace at scale, generated deterministically from a seed: signals (each with its `captured` event),
// proposals in every state (with their ledger events), service convention files carrying the applied rules, and a
// few records of each kind of trouble the flywheel/* rules report. Shared by `npm run bench -- flywheel` (10,000
// signals, 2,000 proposals) and test/flywheel/scale.test.ts (a mid-size workspace whose results are pinned).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { markerLines } from '../../../server/src/engine/conventions/ratified';
import { sha256 } from '../../../server/src/engine/flywheel/change';
import { makeEvent, type Action } from '../../../server/src/engine/flywheel/ledger';
import { renderProposal, type ProposalStatus } from '../../../server/src/engine/flywheel/proposal';
import { renderSignal, SIGNAL_KINDS } from '../../../server/src/engine/flywheel/signal';
import { prng } from './generate-repo';

export const CAROL = { email: 'carol@acme.example', handle: '@carol' };
export const ALICE = { email: 'alice@acme.example', handle: '@alice' };
/** Not an owner of anything. */
export const BOB = { email: 'bob@acme.example', handle: '@bob' };

export interface WorkspaceOptions {
  signals: number;
  proposals: number;
  /** Any integer: the same seed writes the same bytes. */
  seed?: number;
  /** Service folders (each with its CLAUDE.md) the proposals target. */
  services?: number;
}

export interface WorkspaceCounts {
  signals: number;
  proposals: number;
  events: number;
  conventionFiles: number;
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';

function write(root: string, rel: string, text: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

/**
 * Write the workspace under `root` (an empty folder). The mix: a quarter of the proposals applied (their rules in
 * the service's CLAUDE.md), some ratified and waiting, some rejected, drafts, the rest proposed; near-duplicate
 * signals (recurrence); and, about one in a hundred, a broken signal, a status flipped by hand, an edited ledger
 * event, a deleted applied rule, a ratification by a non-owner or by the author.
 */
export function generateFlywheelWorkspace(root: string, o: WorkspaceOptions): WorkspaceCounts {
  const rnd = prng(o.seed ?? 1);
  const services = o.services ?? 50;
  let events = 0;
  write(
    root,
    '.governance/policy.json',
    JSON.stringify({
      flywheel: {
        people: { '@alice': [ALICE.email], '@carol': [CAROL.email], '@bob': [BOB.email] },
        teams: { '@acme/leads': ['@alice'] },
      },
    }),
  );
  write(root, '.github/CODEOWNERS', '/svc/ @acme/leads\n/.governance/ @acme/leads\n/.github/ @acme/leads\n');
  const t0 = Date.parse('2026-11-01T00:00:00Z');

  const signals: string[] = [];
  for (let i = 0; i < o.signals; i++) {
    const now = new Date(t0 + i * 1000);
    const id = `S-${stamp(now)}-${hex(i, 8)}`;
    signals.push(id);
    const rel = `.governance/signals/${id}.md`;
    const broken = rnd() < 0.01;
    // Near-duplicates: a few hundred distinct lessons, recurring.
    const lesson = Math.floor(rnd() * Math.max(1, Math.floor(o.signals * 0.3)));
    const text = broken
      ? `---\nid: ${id}\nkind: [failure\nsummary: "unclosed\n---\n`
      : renderSignal({
          id,
          kind: SIGNAL_KINDS[lesson % SIGNAL_KINDS.length]!,
          summary: `Signal ${lesson}`,
          rootCause: `cause ${lesson}`,
          ...(rnd() < 0.2 ? { suggest: `Rule for lesson ${lesson}.` } : {}),
          agent: 'claude',
          files: [{ path: `svc/s${lesson % services}/x.ts`, ...(rnd() < 0.5 ? { line: 1 + (lesson % 40) } : {}) }],
          source: 'manual',
          capturedBy: '@carol',
          captured: iso(now),
          ...(lesson % SIGNAL_KINDS.length === SIGNAL_KINDS.indexOf('failure') && rnd() < 0.1
            ? { incident: { severity: 'high' as const, owner: '@carol' } }
            : {}),
        });
    write(root, rel, text);
    const e = makeEvent(
      { now, actor: CAROL, action: 'captured', subject: id, hashes: { record: sha256(text) } },
      [],
      hex(i, 12),
    );
    write(root, e.path, e.text);
    events++;
  }

  const bases = new Map<string, string>();
  for (let i = 0; i < o.proposals; i++) {
    const now = new Date(t0 + 20_000_000 + i * 1000);
    const id = `P-${stamp(now)}-${hex(i, 8)}`;
    const target = `svc/s${i % services}/CLAUDE.md`;
    const base = `# Service ${i % services}\n\n## Rules\n\n- Be careful.\n`;
    if (!bases.has(target)) {
      bases.set(target, base);
      write(root, target, base);
    }
    const rule = `- Rule ${i}: run \`npm test\` before committing.`;
    const roll = rnd();
    // The life of the proposal: who did what, and the status its file says.
    const ratifier = rnd() < 0.02 ? BOB : rnd() < 0.02 ? CAROL : ALICE; // a non-owner, the author, an owner
    const [steps, status]: [[Action, typeof CAROL][], ProposalStatus] =
      roll < 0.25
        ? [
            [
              ['drafted', CAROL],
              ['proposed', CAROL],
              ['ratified', ratifier],
              ['applied', ALICE],
            ],
            'applied',
          ]
        : roll < 0.35
          ? [
              [
                ['drafted', CAROL],
                ['proposed', CAROL],
                ['ratified', ratifier],
              ],
              'ratified',
            ]
          : roll < 0.4
            ? [
                [
                  ['drafted', CAROL],
                  ['proposed', CAROL],
                  ['rejected', ALICE],
                ],
                'rejected',
              ]
            : roll < 0.45
              ? [[['drafted', CAROL]], 'draft']
              : [
                  [
                    ['drafted', CAROL],
                    ['proposed', CAROL],
                  ],
                  'proposed',
                ];
    const applied = status === 'applied';
    // An applied rule goes into the target; one in a hundred was deleted again by hand.
    if (applied && rnd() >= 0.01)
      fs.appendFileSync(path.join(root, target), '\n' + markerLines(id, rule).join('\n') + '\n');
    // One in a hundred proposed ones was flipped to ratified by hand.
    const said: ProposalStatus = status === 'proposed' && rnd() < 0.01 ? 'ratified' : status;
    const signal = signals.length ? signals[Math.floor(rnd() * signals.length)]! : undefined;
    write(
      root,
      `.governance/proposals/${id}.md`,
      renderProposal(
        {
          id,
          status: said,
          signals: signal ? [signal] : [],
          route: 'convention',
          target,
          targets: [target],
          owners: ['@acme/leads'],
          author: '@carol',
          authorEmail: CAROL.email,
          created: iso(now),
          sha256: { [target]: sha256(base) },
          section: 'Rules',
          rule,
          ...(status === 'rejected' ? { reason: 'Too broad.' } : {}),
        },
        '\n# Proposal\n',
      ),
    );
    let heads: string[] = [];
    const tamper = rnd() < 0.005;
    steps.forEach(([action, actor], k) => {
      const e = makeEvent(
        {
          now: new Date(now.getTime() + k * 3_600_000),
          actor,
          action,
          subject: id,
          target,
          ...(action === 'rejected' ? { reason: 'Too broad.' } : {}),
        },
        heads,
        hex(i * 8 + k, 12),
      );
      // An edited past event: one byte of its first event's actor changed after it was recorded.
      const text = tamper && k === 0 ? e.text.replace(CAROL.email, 'karol@acme.example') : e.text;
      write(root, e.path, text);
      events++;
      heads = [e.event.hash];
    });
  }
  return { signals: o.signals, proposals: o.proposals, events, conventionFiles: bases.size };
}
