// Writes the fixtures of the flywheel/* rules (test/fixtures/rules/flywheel/): their ledger events carry hashes, so
// they are generated, not hand-written. Usage: npx tsx scripts/gen-flywheel-fixtures.ts (then review the diff).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { markerLines } from '../server/src/engine/conventions/ratified';
import { sha256 } from '../server/src/engine/flywheel/change';
import { makeEvent, type Action } from '../server/src/engine/flywheel/ledger';
import { renderProposal, type ProposalRecord } from '../server/src/engine/flywheel/proposal';
import { renderSignal, type Signal } from '../server/src/engine/flywheel/signal';

const ROOT = path.join(import.meta.dirname, '..', 'test/fixtures/rules/flywheel');
const ALICE = { email: 'alice@acme.example', handle: '@alice' };
const CAROL = { email: 'carol@acme.example', handle: '@carol' };
const MALLORY = { email: 'mallory@acme.example', handle: '@mallory' };
const POLICY = {
  flywheel: {
    people: { '@alice': [ALICE.email], '@carol': [CAROL.email], '@mallory': [MALLORY.email] },
    teams: { '@acme/leads': ['@alice'] },
  },
};
const CODEOWNERS = '/CLAUDE.md @acme/leads\n/.governance/ @acme/leads\n/.github/ @acme/leads\n';
const CLAUDE = '# Project\n\n## Migration checklist\n\n- Migrations run inside a transaction.\n';
const RULE = '- Schema migrations include a rollback plan.';

type Files = Record<string, string>;

function write(dir: string, given: Files): void {
  let files = given;
  const abs = path.join(ROOT, dir);
  // expected.json is written by hand: kept.
  const expected = path.join(abs, 'expected.json');
  const keep = fs.existsSync(expected) ? fs.readFileSync(expected, 'utf8') : undefined;
  fs.rmSync(abs, { recursive: true, force: true });
  if (keep !== undefined) files = { ...files, 'expected.json': keep };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(abs, rel)), { recursive: true });
    fs.writeFileSync(path.join(abs, rel), text);
  }
}

function signal(id: string, captured: string): Signal {
  return { id, kind: 'failure', summary: 'Agent introduced a risky schema migration', rootCause: 'No rollback plan required', agent: 'claude', files: [{ path: 'db/0042.sql' }], source: 'manual', capturedBy: '@carol', captured };
}

function proposal(id: string, status: ProposalRecord['status'], claude = CLAUDE, extra: Partial<ProposalRecord> = {}): ProposalRecord {
  return {
    id,
    status,
    signals: ['S-20260101T000000Z-00000001'],
    route: 'convention',
    target: 'CLAUDE.md',
    targets: ['CLAUDE.md'],
    owners: ['@acme/leads'],
    author: '@carol',
    authorEmail: CAROL.email,
    created: '2026-01-02T00:00:00Z',
    sha256: { 'CLAUDE.md': sha256(claude) },
    section: 'Migration checklist',
    rule: RULE,
    ...extra,
  };
}

/** The events of a proposal, one per (action, actor, time), each after the previous one. */
function events(subject: string, steps: [Action, { email: string; handle?: string }, string][]): Files {
  const out: Files = {};
  let heads: string[] = [];
  steps.forEach(([action, actor, time], i) => {
    const e = makeEvent({ now: new Date(time), actor, action, subject, target: 'CLAUDE.md' }, heads, `${String(i).padStart(4, '0')}abcdef01`);
    out[e.path] = e.text;
    heads = [e.event.hash];
  });
  return out;
}

const P = 'P-20260102T000000Z-0000000a';
const proposed: [Action, typeof ALICE, string][] = [
  ['drafted', CAROL, '2026-01-02T00:00:00.000Z'],
  ['proposed', CAROL, '2026-01-02T00:00:01.000Z'],
];
const base: Files = { '.github/CODEOWNERS': CODEOWNERS, '.governance/policy.json': JSON.stringify(POLICY, null, 2) + '\n', 'CLAUDE.md': CLAUDE };
const applied = CLAUDE + '\n' + markerLines(P, RULE).join('\n') + '\n';
const prop = (p: ProposalRecord, body = '\n# Proposal\n') => ({ [`.governance/proposals/${p.id}.md`]: renderProposal(p, body) });

// invalid-record
write('invalid-record/invalid/broken-frontmatter', { ...base, '.governance/signals/S-20260101T000000Z-00000001.md': '---\nid: S-20260101T000000Z-00000001\nkind: [failure\n---\nbody\n' });
write('invalid-record/invalid/unknown-status', { ...base, ...prop(proposal(P, 'approved' as ProposalRecord['status'])) });
write('invalid-record/valid/well-formed', { ...base, '.governance/signals/S-20260101T000000Z-00000001.md': renderSignal(signal('S-20260101T000000Z-00000001', '2999-01-01T00:00:00Z')), ...prop(proposal(P, 'proposed')), ...events(P, proposed) });

// ledger-mismatch
write('ledger-mismatch/invalid/status-flipped', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, proposed) });
{
  const ev = events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z']]);
  const [first, second] = Object.keys(ev);
  const edited = { ...ev, [second!]: ev[second!]!.replace('carol@', 'carel@') };
  write('ledger-mismatch/invalid/edited-event', { ...base, ...prop(proposal(P, 'ratified')), ...edited });
  const deleted = { ...ev };
  delete deleted[second!];
  write('ledger-mismatch/invalid/deleted-event', { ...base, ...prop(proposal(P, 'ratified')), ...deleted });
  void first;
}
write('ledger-mismatch/invalid/no-events', { ...base, ...prop(proposal(P, 'proposed')) });
write('ledger-mismatch/valid/backed', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z']]) });

// unauthorized-ratification
write('unauthorized-ratification/invalid/not-owner', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, [...proposed, ['ratified', MALLORY, '2026-01-03T00:00:00.000Z']]) });
write('unauthorized-ratification/invalid/rejected-by-stranger', { ...base, ...prop(proposal(P, 'rejected')), ...events(P, [...proposed, ['rejected', { email: 'someone@else.example' }, '2026-01-03T00:00:00.000Z']]) });
write('unauthorized-ratification/valid/owner', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z']]) });

// self-ratified
write('self-ratified/invalid/author', {
  ...base,
  '.governance/policy.json': JSON.stringify({ flywheel: { ...POLICY.flywheel, teams: { '@acme/leads': ['@alice', '@carol'] } } }, null, 2) + '\n',
  ...prop(proposal(P, 'ratified')),
  ...events(P, [...proposed, ['ratified', CAROL, '2026-01-03T00:00:00.000Z']]),
});
write('self-ratified/valid/another-owner', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z']]) });

// stale-proposal
write('stale-proposal/invalid/target-changed', { ...base, 'CLAUDE.md': CLAUDE + '- Edited since.\n', ...prop(proposal(P, 'proposed')), ...events(P, proposed) });
write('stale-proposal/valid/as-drafted', { ...base, ...prop(proposal(P, 'proposed')), ...events(P, proposed) });
write('stale-proposal/valid/applied-long-ago', { ...base, 'CLAUDE.md': applied + '- Edited since.\n', ...prop(proposal(P, 'applied')), ...events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z'], ['applied', ALICE, '2026-01-03T00:00:01.000Z']]) });

// unrouted-signal
write('unrouted-signal/invalid/old', { ...base, '.governance/signals/S-20200101T000000Z-00000001.md': renderSignal(signal('S-20200101T000000Z-00000001', '2020-01-01T00:00:00Z')) });
write('unrouted-signal/valid/recent', { ...base, '.governance/signals/S-29990101T000000Z-00000001.md': renderSignal(signal('S-29990101T000000Z-00000001', '2999-01-01T00:00:00Z')) });
write('unrouted-signal/valid/routed', {
  ...base,
  '.governance/signals/S-20260101T000000Z-00000001.md': renderSignal(signal('S-20260101T000000Z-00000001', '2020-01-01T00:00:00Z')),
  ...prop(proposal(P, 'proposed')),
  ...events(P, proposed),
});

// unapplied-proposal
write('unapplied-proposal/invalid/ratified-long-ago', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z']]) });
write('unapplied-proposal/valid/ratified-recently', { ...base, ...prop(proposal(P, 'ratified')), ...events(P, [...proposed, ['ratified', ALICE, '2999-01-03T00:00:00.000Z']]) });

// stale-rule
{
  const rule = '- Before a migration, run `npm run db:snapshot` and read `docs/migrations.md`.';
  const claude = CLAUDE + '\n' + markerLines(P, rule).join('\n') + '\n';
  const p = proposal(P, 'applied', CLAUDE, { rule });
  const ev = events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z'], ['applied', ALICE, '2026-01-03T00:00:01.000Z']]);
  write('stale-rule/invalid/gone', { ...base, 'CLAUDE.md': claude, 'package.json': '{ "scripts": { "test": "node --test" } }\n', ...prop(p), ...ev });
  write('stale-rule/valid/present', { ...base, 'CLAUDE.md': claude, 'package.json': '{ "scripts": { "db:snapshot": "node snap.js" } }\n', 'docs/migrations.md': '# Migrations\n', ...prop(p), ...ev });
}

// review-due
{
  const ev = events(P, [...proposed, ['ratified', ALICE, '2026-01-03T00:00:00.000Z'], ['applied', ALICE, '2026-01-03T00:00:01.000Z']]);
  const withReview = JSON.stringify({ flywheel: { ...POLICY.flywheel, reviewDays: 90 } }, null, 2) + '\n';
  write('review-due/invalid/old', { ...base, '.governance/policy.json': withReview, 'CLAUDE.md': applied, ...prop(proposal(P, 'applied')), ...ev });
  write('review-due/valid/no-review-policy', { ...base, 'CLAUDE.md': applied, ...prop(proposal(P, 'applied')), ...ev });
  const recent = events(P, [...proposed, ['ratified', ALICE, '2999-01-03T00:00:00.000Z'], ['applied', ALICE, '2999-01-03T00:00:01.000Z']]);
  write('review-due/valid/reviewed-recently', { ...base, '.governance/policy.json': withReview, 'CLAUDE.md': applied, ...prop(proposal(P, 'applied')), ...recent });
}
console.log('flywheel fixtures written to', ROOT);
