// Every message of every conventions rule is exercised: by an invalid fixture's expected.json or by a test here.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES } from '../helpers';
import { CONVENTION_RULES } from './util';

function expectedIds(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'expected.json')
        for (const x of JSON.parse(fs.readFileSync(p, 'utf8')) as { messageId?: string }[])
          if (x.messageId) out.add(x.messageId);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

describe('conventions rules: every messageId is exercised', () => {
  const tests = fs
    .readdirSync(path.dirname(new URL(import.meta.url).pathname))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), f), 'utf8'))
    .join('\n');
  for (const rule of CONVENTION_RULES) {
    it(rule.meta.id, () => {
      const seen = expectedIds(path.join(FIXTURES, 'rules', rule.meta.id, 'invalid'));
      const missing = Object.keys(rule.meta.messages).filter((m) => !seen.has(m) && !tests.includes(`'${m}'`));
      assert.deepEqual(missing, [], `messageIds of ${rule.meta.id} with no fixture or test`);
    });
  }
});
