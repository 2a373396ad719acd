// The flywheel state across runs that share one cache (the language server): the records are parsed again only when
// one changes, and the ledger's chains follow every change of a ledger file even when no record changed.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generateFlywheelWorkspace } from '../../scripts/bench/lib/flywheel-workspace';
import { AnalysisCache } from '../../server/src/engine/cache';
import { flywheelState } from '../../server/src/engine/flywheel/state';
import { openWorkspace } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

const open = (dir: string) => openWorkspace(dir, { git: false, managedSettingsPath: null });
const problems = (st: ReturnType<typeof flywheelState>) => [...st.chains.values()].flatMap((c) => c.problems);

describe('flywheel state and one shared cache', () => {
  it('keeps the parsed records while they are unchanged, and re-verifies the ledger when an event changes', () => {
    const ws = tempWorkspace({});
    try {
      generateFlywheelWorkspace(ws.dir, { signals: 30, proposals: 12, seed: 3, services: 3 });
      const cache = new AnalysisCache();
      const first = flywheelState(open(ws.dir), cache);
      const before = problems(first);
      // An edit of one byte of a past event, nothing else.
      const subject = first.proposals[0]!.proposal.id;
      const dir = path.join(ws.dir, '.governance/ledger', subject);
      const event = path.join(dir, fs.readdirSync(dir).sort()[0]!);
      fs.writeFileSync(event, fs.readFileSync(event, 'utf8').replace('"drafted"', '"proposed"'));
      const second = flywheelState(open(ws.dir), cache);
      assert.equal(second.signals, first.signals, 'the records were not parsed again');
      assert.equal(problems(second).length, before.length + 2, 'the edited event and the one after it');
      assert.ok(problems(second).some((p) => p.path.endsWith(path.basename(event)) && /was edited/.test(p.message)));
      // A changed signal is parsed again.
      const sig = first.signals[0]!.path;
      fs.writeFileSync(
        path.join(ws.dir, sig),
        fs.readFileSync(path.join(ws.dir, sig), 'utf8').replace(/summary: .*/, 'summary: Changed'),
      );
      const third = flywheelState(open(ws.dir), cache);
      assert.notEqual(third.signals, first.signals);
      assert.equal(third.signalById.get(first.signals[0]!.signal.id)?.summary, 'Changed');
    } finally {
      ws.cleanup();
    }
  });
});
