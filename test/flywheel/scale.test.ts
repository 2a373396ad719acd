// The flywheel's results at scale, pinned: a mid-size workspace generated from a seed (the bench's generator,
// scripts/bench/lib/flywheel-workspace.ts: signals with near-duplicates, proposals in every state, a few broken
// records, a flipped status, an edited event, a deleted rule, ratifications by a non-owner and by the author) and the
// output of `flywheel check`, `signal list`, `proposals` and `ledger verify` compared with
// test/fixtures/flywheel-scale/expected.json. Speed work must not change a single result.
// Regenerate the pins after an intended change: UPDATE_FLYWHEEL_PINS=1 node scripts/run-tests.mjs flywheel/scale

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generateFlywheelWorkspace } from '../../scripts/bench/lib/flywheel-workspace';
import { tempWorkspace } from '../helpers';
import { flywheel, git, PEOPLE } from './harness';

const PINS = path.join(import.meta.dirname, '../fixtures/flywheel-scale/expected.json');
/** "Now" for the age-based rules (unrouted signals, unapplied proposals): the generated records are from Nov 2026. */
const NOW = Date.parse('2027-01-15T12:00:00Z');

describe('flywheel at scale: results pinned', () => {
  it('check, signal list, proposals and ledger verify give the pinned results', async (t) => {
    const ws = tempWorkspace({});
    t.after(() => ws.cleanup());
    const counts = generateFlywheelWorkspace(ws.dir, { signals: 600, proposals: 200, seed: 7, services: 12 });
    git(ws.dir, ['init', '-q', '-b', 'main']);
    git(ws.dir, ['add', '-A']);
    t.mock.timers.enable({ apis: ['Date'], now: NOW });
    const dir = ws.dir;
    const run = async (args: string[]) => {
      const r = await flywheel(dir, PEOPLE.carol, args);
      assert.equal(r.err, '', `${args.join(' ')}: ${r.err}`);
      return { code: r.code, json: JSON.parse(r.out.split(dir).join('<root>')) as unknown };
    };
    const actual = {
      counts,
      check: await run(['check', dir, '--format', 'json', '--managed', path.join(dir, 'no-managed.json')]),
      signals: await run(['signal', 'list', '--root', dir, '--format', 'json']),
      proposals: await run(['proposals', '--root', dir, '--format', 'json']),
      ledger: await run(['ledger', 'verify', '--root', dir, '--format', 'json']),
    };
    if (process.env.UPDATE_FLYWHEEL_PINS) {
      fs.writeFileSync(PINS, JSON.stringify(actual, null, 1) + '\n');
      t.diagnostic(`wrote ${PINS}`);
    }
    const expected = JSON.parse(fs.readFileSync(PINS, 'utf8')) as typeof actual;
    // Every kind of trouble the generator plants is present, so the pins cover each rule's path at scale.
    const rules = new Set((expected.check.json as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    for (const id of [
      'flywheel/invalid-record',
      'flywheel/ledger-mismatch',
      'flywheel/unauthorized-ratification',
      'flywheel/self-ratified',
      'flywheel/stale-proposal',
      'flywheel/unrouted-signal',
      'flywheel/unapplied-proposal',
      'conventions/ratified-rule-missing',
    ])
      assert.ok(rules.has(id), `the pinned workspace has no ${id} finding: change the seed or the sizes`);
    assert.deepEqual(actual.counts, expected.counts);
    assert.deepEqual(actual.ledger, expected.ledger);
    assert.deepEqual(actual.signals, expected.signals);
    assert.deepEqual(actual.proposals, expected.proposals);
    assert.deepEqual(actual.check, expected.check);
  });
});
