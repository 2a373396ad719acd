// Quick fixes of the flywheel rules: flywheel/ledger-mismatch restores the status the ledger backs (and applying the
// fix leaves nothing to report); no fix is offered where the ledger backs no status or the event chain is broken.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { applyEdits } from '../conventions/util';
import { checkFixture, FIXTURES } from '../helpers';

const CASES = path.join(FIXTURES, 'rules/flywheel/ledger-mismatch/invalid');

/** A copy of a fixture folder in a temporary folder. */
function copy(from: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-fix-'));
  fs.cpSync(from, dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const mismatches = (dir: string): Finding[] => checkFixture(dir).filter((f) => f.ruleId === 'flywheel/ledger-mismatch');

describe('flywheel/ledger-mismatch quick fix', () => {
  it('restores the status the ledger records; applied, the finding is gone', () => {
    const ws = copy(path.join(CASES, 'status-flipped'));
    try {
      const [f] = mismatches(ws.dir);
      assert.equal(f?.messageId, 'status');
      const fix = f.fixes?.[0];
      assert.ok(fix, 'a fix is offered');
      assert.equal(fix.kind, 'quickfix');
      assert.equal(fix.isPreferred, true);
      assert.match(fix.title, /^Restore `status: proposed`/);
      const file = path.join(ws.dir, f.file);
      const before = fs.readFileSync(file, 'utf8');
      const after = applyEdits(before, fix.edits, f.file);
      assert.equal(after, before.replace('status: ratified\n', 'status: proposed\n'), 'only the status line changes');
      fs.writeFileSync(file, after);
      assert.deepEqual(mismatches(ws.dir), []);
    } finally {
      ws.cleanup();
    }
  });

  it('offers no fix for a broken chain or a proposal without events', () => {
    for (const c of ['edited-event', 'deleted-event', 'no-events']) {
      const got = checkFixture(path.join(CASES, c)).filter((f) => f.ruleId === 'flywheel/ledger-mismatch');
      assert.ok(got.length, c);
      for (const f of got) assert.deepEqual(f.fixes ?? [], [], `${c}: ${f.messageId}`);
    }
  });
});
