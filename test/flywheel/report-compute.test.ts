// The report's numbers from a flywheel state built by hand: weeks (Monday in UTC, a time with an offset, a time before
// 1970), the recurrence after a rule (the same second counts, the proposal's own signals never do, every group of
// its signals), the median times, and the stale and review-due rules picked from the findings. Then, on a real flow,
// the report's stale and review-due rules (it checks those two rules only) are exactly those of a full check.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { check } from '../../server/src/engine/index';
import type { LedgerEvent, SubjectChain } from '../../server/src/engine/flywheel/ledger';
import type { ProposalRecord } from '../../server/src/engine/flywheel/proposal';
import { computeReport } from '../../server/src/engine/flywheel/report';
import { groupKey, type Signal } from '../../server/src/engine/flywheel/signal';
import type { FlywheelState } from '../../server/src/engine/flywheel/state';
import { openRoot } from '../../server/src/node/flywheel-service/context';
import { buildReport } from '../../server/src/node/flywheel-service/report';
import { flywheel, freshRepo, PEOPLE, POLICY, SCENARIO_FILES } from './harness';

function sig(id: string, fingerprint: string, captured: string, kind: Signal['kind'] = 'failure', rootCause?: string) {
  return {
    id,
    kind,
    summary: id,
    agent: 'claude-code',
    files: [],
    source: 'manual',
    capturedBy: '@carol',
    captured,
    fingerprint,
    ...(rootCause !== undefined ? { rootCause } : {}),
  } as unknown as Signal;
}

function prop(id: string, status: ProposalRecord['status'], signals: string[], created: string, owners: string[]) {
  return {
    id,
    status,
    signals,
    route: 'convention',
    target: 'AGENTS.md',
    targets: ['AGENTS.md'],
    owners,
    author: '@carol',
    created,
  } as unknown as ProposalRecord;
}

function stateOf(signals: Signal[], proposals: ProposalRecord[], events: Record<string, [string, string][]>) {
  const groups = new Map<string, Signal[]>();
  const groupOf = new Map<string, Signal[]>();
  for (const s of signals) {
    const k = groupKey(s);
    const g = groups.get(k) ?? [];
    g.push(s);
    groups.set(k, g);
    groupOf.set(s.id, g);
  }
  const chains = new Map<string, SubjectChain>();
  for (const [subject, list] of Object.entries(events))
    chains.set(subject, {
      subject,
      events: list.map(([action, time]) => ({ action, time, subject }) as unknown as LedgerEvent),
      heads: [],
      problems: [],
    });
  const entries = proposals.map((proposal) => ({
    path: `.governance/proposals/${proposal.id}.md`,
    proposal,
    body: '',
  }));
  return {
    signals: signals.map((signal) => ({ path: `.governance/signals/${signal.id}.md`, signal })),
    proposals: entries,
    invalid: [],
    chains,
    groups,
    groupOf,
    signalById: new Map(signals.map((s) => [s.id, s])),
    proposalById: new Map(entries.map((e) => [e.proposal.id, e])),
    proposalsOfSignal: new Map(),
  } as FlywheelState;
}

describe('flywheel report: the numbers', () => {
  const signals = [
    sig('S-a1', 'aaaaaaaa', '2026-11-01T10:00:00Z', 'failure', ' no rollback plan '), // a Sunday
    sig('S-a2', 'aaaaaaaa', '2026-11-02T00:00:00Z', 'failure', 'no rollback plan'), // the Monday after
    sig('S-a3', 'aaaaaaaa', '2026-11-05T12:00:05Z'), // the second the rule was applied: after it
    sig('S-a4', 'aaaaaaaa', '2026-11-05T12:00:04Z'), // the second before: not after it
    sig('S-b1', 'bbbbbbbb', '2026-11-03T00:00:00Z', 'context-gap', 'stale docs'),
    sig('S-b2', 'bbbbbbbb', '2026-11-06T00:00:00Z', 'context-gap'), // after, but the proposal's own
    sig('S-c1', 'cccccccc', '2026-11-09T01:00:00+02:00', 'workflow-pattern'), // a Sunday in UTC
    sig('S-d1', 'dddddddd', '1969-12-28T12:00:00Z', 'instruction-gap'), // a Sunday before 1970
  ];
  const proposals = [
    prop('P-1', 'applied', ['S-a1', 'S-b1', 'S-b2', 'S-a1'], '2026-11-03T00:00:00Z', ['@a', '@b']),
    prop('P-2', 'applied', ['S-c1', 'S-gone'], '2026-11-01T00:00:00Z', ['@a']), // no applied event: its creation
    prop('P-3', 'proposed', ['S-d1'], '2026-11-02T00:00:00Z', ['@a']),
    prop('P-4', 'rejected', [], '2026-11-02T00:00:00Z', ['@b']),
  ];
  const st = stateOf(signals, proposals, {
    'P-1': [
      ['proposed', '2026-11-03T00:00:00.000Z'],
      ['ratified', '2026-11-04T00:00:00.000Z'],
      ['applied', '2026-11-05T12:00:05.700Z'],
      ['ratified', '2026-11-20T00:00:00.000Z'], // a later review: the first ratification counts
    ],
  });
  const findings = [
    { ruleId: 'flywheel/review-due', message: 'Rule P-1 in AGENTS.md was last ratified 40 days ago', file: 'x.md' },
    { ruleId: 'flywheel/stale-rule', message: 'A rule cites `gone.md`', file: 'AGENTS.md' },
    { ruleId: 'conventions/broken-reference', message: 'not the report’s', file: 'AGENTS.md' },
  ];
  const r = computeReport(st, findings, new Date('2026-12-01T00:00:00.250Z'));

  it('counts signals per week (Monday, UTC) by kind', () => {
    assert.equal(r.generated, '2026-12-01T00:00:00Z');
    assert.equal(r.signals, 8);
    assert.equal(r.proposals, 4);
    assert.deepEqual(r.weeks, [
      { week: '1969-12-22', counts: { 'instruction-gap': 1 } },
      { week: '2026-10-26', counts: { failure: 1 } },
      { week: '2026-11-02', counts: { failure: 3, 'context-gap': 2, 'workflow-pattern': 1 } },
    ]);
  });

  it('counts the recurrence after a rule was applied over every group of its signals, less its own', () => {
    assert.deepEqual(r.effects, [
      { proposal: 'P-1', target: 'AGENTS.md', applied: '2026-11-05T12:00:05.700Z', after: 1, working: false },
      { proposal: 'P-2', target: 'AGENTS.md', applied: '2026-11-01T00:00:00.000Z', after: 0, working: true },
    ]);
    assert.deepEqual(r.rulesByRoute, { convention: 2 });
  });

  it('medians from the first signal, owners, root causes, stale and review-due rules', () => {
    assert.equal(r.medianDaysToRatified, 2.6); // 2026-11-01T10:00 → 2026-11-04T00:00
    assert.equal(r.medianDaysToApplied, 4.1);
    assert.deepEqual(
      r.owners.map((o) => [o.owner, o.open, o.ratified, o.rejected, o.ratificationRate]),
      [
        ['@a', 1, 2, 0, 0.67],
        ['@b', 0, 1, 1, 0.5],
      ],
    );
    assert.deepEqual(r.rootCauses, [
      { cause: 'no rollback plan', count: 2 },
      { cause: 'stale docs', count: 1 },
    ]);
    assert.deepEqual(r.staleRules, [{ id: 'AGENTS.md', message: 'A rule cites `gone.md`' }]);
    assert.deepEqual(r.reviewDue, [{ id: 'P-1', message: findings[0]!.message }]);
  });
});

describe('flywheel report: stale and review-due rules', () => {
  const ws = freshRepo({
    ...SCENARIO_FILES,
    '.governance/policy.json': JSON.stringify({ flywheel: { ...POLICY.flywheel, reviewDays: 1 } }, null, 2) + '\n',
    'services/billing/docs/rollback.md': '# Rollback\n',
  });
  after(() => ws.cleanup());
  const dir = ws.dir;

  it('are those of a full check of the workspace', async () => {
    const s = await flywheel(dir, PEOPLE.carol, [
      'signal',
      'add',
      '--root',
      dir,
      '--format',
      'json',
      '--kind',
      'failure',
      '--summary',
      'Agent dropped a table without a rollback plan',
      '--file',
      'services/billing/migrations/0042_drop_invoices.sql',
    ]);
    assert.equal(s.code, 0, s.err);
    const p = await flywheel(dir, PEOPLE.carol, [
      'propose',
      String((s.json.signal as { id: string }).id),
      '--root',
      dir,
      '--format',
      'json',
      '--section',
      'Migration checklist',
      '--text=- Follow `docs/rollback.md` for every migration.',
    ]);
    assert.equal(p.code, 0, p.err);
    const id = String((p.json.proposals as { id: string }[])[0]!.id);
    assert.equal((await flywheel(dir, PEOPLE.alice, ['ratify', id, '--root', dir])).code, 0);
    assert.equal((await flywheel(dir, PEOPLE.alice, ['apply', id, '--root', dir])).code, 0);
    fs.rmSync(path.join(dir, 'services/billing/docs/rollback.md')); // the rule now cites a file that is gone

    // Three days later: the rule is due for review (reviewDays: 1).
    const realNow = Date.now;
    Date.now = () => realNow() + 3 * 86_400_000;
    let r: ReturnType<typeof buildReport>;
    let full: ReturnType<typeof check>;
    try {
      const ctx = openRoot(dir);
      r = buildReport(ctx);
      full = check(ctx.snapshot, ctx.policy);
    } finally {
      Date.now = realNow;
    }
    const picked = (ruleId: string) =>
      full
        .filter((f) => f.ruleId === ruleId)
        .map((f) => ({ id: /P-\S+/.exec(f.message)?.[0] ?? f.file, message: f.message }));
    assert.equal(r.staleRules.length, 1);
    assert.equal(r.reviewDue.length, 1);
    assert.deepEqual(r.staleRules, picked('flywheel/stale-rule'));
    assert.deepEqual(r.reviewDue, picked('flywheel/review-due'));
  });
});
