// Every rule against its fixtures: each invalid case triggers it (exactly as expected.json says, when present);
// each valid case stays clean of it. The meta-test beside it checks that every rule has both, and a doc page.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../server/src/engine/index';
import { brief, checkFixture, FIXTURES } from './helpers';

function cases(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

for (const rule of RULES) {
  const id = rule.meta.id;
  const base = path.join(FIXTURES, 'rules', id);
  describe(`rule ${id}`, () => {
    for (const c of cases(path.join(base, 'invalid'))) {
      it(`fires on invalid/${c}`, () => {
        const dir = path.join(base, 'invalid', c);
        const got = brief(checkFixture(dir), id);
        const expectedFile = path.join(dir, 'expected.json');
        if (fs.existsSync(expectedFile)) {
          const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as Record<string, unknown>[];
          const shaped = got.map((g, i) => {
            const e = expected[i] ?? {};
            const out: Record<string, unknown> = {};
            for (const k of Object.keys(e)) out[k] = (g as Record<string, unknown>)[k];
            return out;
          });
          assert.deepEqual(shaped, expected, `findings of ${id} in invalid/${c}:\n${JSON.stringify(got, null, 2)}`);
        } else {
          assert.ok(got.length > 0, `${id} did not fire on invalid/${c}`);
        }
      });
    }
    for (const c of cases(path.join(base, 'valid'))) {
      it(`stays quiet on valid/${c}`, () => {
        const got = brief(checkFixture(path.join(base, 'valid', c)), id);
        assert.deepEqual(got, [], `${id} fired on valid/${c}`);
      });
    }
  });
}
