// Every message of every owners/* rule is produced by some invalid fixture (test/fixtures/rules/owners/*/invalid/),
// so no message template goes untested. `uncompilable` is defensive: no pattern the parser accepts fails to compile.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/engine/index';
import { checkFixture, FIXTURES } from '../helpers';

const DEFENSIVE = new Set(['owners/syntax:uncompilable']);

describe('owners/* messages', () => {
  for (const rule of RULES.filter((r) => r.meta.id.startsWith('owners/'))) {
    it(`${rule.meta.id}: every messageId is exercised by a fixture`, () => {
      const dir = path.join(FIXTURES, 'rules', rule.meta.id, 'invalid');
      const seen = new Set<string>();
      for (const c of fs.readdirSync(dir)) {
        for (const f of checkFixture(path.join(dir, c), { rules: [rule] })) if (f.messageId) seen.add(f.messageId);
      }
      const missing = Object.keys(rule.meta.messages).filter(
        (m) => !seen.has(m) && !DEFENSIVE.has(`${rule.meta.id}:${m}`),
      );
      assert.deepEqual(missing, []);
    });
  }
});
