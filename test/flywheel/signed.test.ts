// flywheel/unauthorized-ratification with flywheel.requireSignedRatification: a fixture folder cannot carry signed
// git commits, so the signer git would report is stubbed on the snapshot of the rule's valid fixture (an owner's
// ratification). The real git and ssh-keygen path is exercised end to end in scenario.test.ts.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { brief, FIXTURES } from '../helpers';

const RULE = 'flywheel/unauthorized-ratification';
const OWNER = path.join(FIXTURES, 'rules', RULE, 'valid', 'owner');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-signed-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.cpSync(OWNER, dir, { recursive: true });
const policyFile = path.join(dir, '.governance/policy.json');
const given = JSON.parse(fs.readFileSync(policyFile, 'utf8')) as { flywheel: Record<string, unknown> };
given.flywheel.requireSignedRatification = true;
given.flywheel.allowedSigners = '.governance/allowed_signers';
fs.writeFileSync(policyFile, JSON.stringify(given, null, 2) + '\n');

/** The rule's findings when git reports `signer` for every ledger event (null: unsigned). */
function findingsWhenSignedBy(signer: string | null): { messageId?: string }[] {
  const snapshot = openWorkspace(dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
  Object.defineProperty(snapshot, 'signerOf', { value: () => signer });
  const policy = loadPolicy(snapshot, {});
  return brief(check(snapshot, policy, new AnalysisCache()), RULE);
}

describe('flywheel/unauthorized-ratification: signed ratification', () => {
  it("the owner's own key: nothing to report", () => {
    assert.deepEqual(findingsWhenSignedBy('alice@acme.example'), []);
  });
  it('committed unsigned (or with a key not in allowed_signers): unsigned', () => {
    assert.deepEqual(
      findingsWhenSignedBy(null).map((f) => f.messageId),
      ['unsigned'],
    );
  });
  it("signed with someone else's key: wrongSigner", () => {
    assert.deepEqual(
      findingsWhenSignedBy('mallory@acme.example').map((f) => f.messageId),
      ['wrongSigner'],
    );
  });
});
