// `flywheel report`: the numbers from a real flow (capture, propose, ratify, apply, the same lesson again), as
// Markdown, JSON and one offline HTML file with SVG charts.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { median, type FlywheelReport } from '../../server/src/engine/flywheel/report';
import { flywheel, freshRepo, PEOPLE, SCENARIO_FILES } from './harness';

describe('flywheel report', () => {
  const ws = freshRepo(SCENARIO_FILES);
  after(() => ws.cleanup());
  const dir = ws.dir;
  const capture = async () => {
    const r = await flywheel(dir, PEOPLE.carol, [
      'signal',
      'add',
      '--root',
      dir,
      '--format',
      'json',
      '--kind',
      'failure',
      '--summary',
      'Agent introduced a risky schema migration',
      '--root-cause',
      'The instructions did not require a rollback plan',
      '--file',
      'services/billing/migrations/0042_drop_invoices.sql',
    ]);
    assert.equal(r.code, 0, r.err);
    return String((r.json.signal as { id: string }).id);
  };

  it('counts signals, time to ratified and applied, owners, root causes, rules per route, and whether a rule worked', async () => {
    const s = await capture();
    const p = await flywheel(dir, PEOPLE.carol, [
      'propose',
      s,
      '--root',
      dir,
      '--format',
      'json',
      '--section',
      'Migration checklist',
      '--text=- Schema migrations include a rollback plan.',
    ]);
    assert.equal(p.code, 0, p.err);
    const id = String((p.json.proposals as { id: string }[])[0]!.id);
    assert.equal((await flywheel(dir, PEOPLE.alice, ['ratify', id, '--root', dir])).code, 0);
    assert.equal((await flywheel(dir, PEOPLE.alice, ['apply', id, '--root', dir])).code, 0);
    await capture(); // the same lesson after the rule was applied: the rule is not working

    const j = await flywheel(dir, PEOPLE.carol, ['report', '--root', dir, '--format', 'json']);
    assert.equal(j.code, 0, j.err);
    const r = JSON.parse(j.out).report as FlywheelReport;
    assert.equal(r.signals, 2);
    assert.equal(
      r.weeks.reduce((n, w) => n + (w.counts.failure ?? 0), 0),
      2,
    );
    assert.equal(typeof r.medianDaysToRatified, 'number');
    assert.equal(typeof r.medianDaysToApplied, 'number');
    assert.deepEqual(
      r.owners.map((o) => [o.owner, o.open, o.ratified, o.ratificationRate]),
      [['@acme/billing-leads', 0, 1, 1]],
    );
    assert.deepEqual(r.rootCauses, [{ cause: 'The instructions did not require a rollback plan', count: 2 }]);
    assert.deepEqual(r.rulesByRoute, { convention: 1 });
    assert.deepEqual(
      r.effects.map((e) => [e.proposal, e.after, e.working]),
      [[id, 1, false]],
    );

    const md = await flywheel(dir, PEOPLE.carol, ['report', '--root', dir]);
    assert.match(md.out, /^# Flywheel report/);
    assert.match(md.out, /NOT working/);

    const out = path.join(dir, 'report.html');
    const h = await flywheel(dir, PEOPLE.carol, ['report', '--root', dir, '--format', 'html', '--output', out]);
    assert.equal(h.code, 0, h.err);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /<svg role="img" aria-label="Signals per week by kind"/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/);
    assert.match(html, /Content-Security-Policy/);

    assert.equal((await flywheel(dir, PEOPLE.carol, ['report', '--root', dir, '--format', 'pdf'])).code, 2);
  });

  it('median', () => {
    assert.equal(median([]), null);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([1, 2, 3, 4]), 2.5);
  });
});
