// Every message of the permissions surface's rules (settings/*, permissions/*, gemini/*) is produced by one of the
// rule's invalid fixtures, so no message template goes untested.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/engine/index';
import { checkFixture, FIXTURES } from '../helpers';

describe('permissions surface messages', () => {
  for (const r of RULES.filter((x) => /^(settings|permissions|gemini)\//.test(x.meta.id))) {
    it(`${r.meta.id}: every messageId is exercised by an invalid fixture`, () => {
      const dir = path.join(FIXTURES, 'rules', r.meta.id, 'invalid');
      const seen = new Set<string>();
      for (const c of fs.readdirSync(dir))
        for (const f of checkFixture(path.join(dir, c)))
          if (f.ruleId === r.meta.id && f.messageId) seen.add(f.messageId);
      assert.deepEqual(
        Object.keys(r.meta.messages).filter((m) => !seen.has(m)),
        [],
      );
    });
  }
});
