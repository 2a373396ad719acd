// The registry's meta-test: every rule has a doc page, valid and invalid fixtures, an id that matches its file,
// and well-formed metadata.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../server/src/engine/index';
import { docsPath } from '../server/src/engine/rule';
import { surfaceOfPrefix } from '../server/src/engine/surfaces';
import { FIXTURES, REPO_ROOT } from './helpers';

function hasCase(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory());
}

describe('rule registry', () => {
  it('is sorted and has unique ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const rule of RULES) {
    const { id } = rule.meta;
    it(`${id}: metadata, doc page, module file and fixtures`, () => {
      assert.match(id, /^[a-z]+\/[a-z0-9-]+$/);
      const [prefix] = id.split('/');
      assert.equal(surfaceOfPrefix(prefix ?? ''), rule.meta.surface, `${id}: surface ${rule.meta.surface} does not fit prefix ${prefix}`);
      assert.ok(rule.meta.description.length > 10 && !rule.meta.description.endsWith('.'), `${id}: description is one line without a full stop`);
      assert.ok(Object.keys(rule.meta.messages).length > 0, `${id}: has messages`);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'server/src/engine/rules', `${id}.ts`)), `${id}: module file server/src/engine/rules/${id}.ts`);
      const doc = path.join(REPO_ROOT, docsPath(id));
      assert.ok(fs.existsSync(doc), `${id}: doc page ${docsPath(id)} is missing`);
      assert.match(fs.readFileSync(doc, 'utf8'), new RegExp(`^# ${id.replace('/', '\\/')}\\b`), `${id}: doc page starts with "# ${id}"`);
      assert.ok(hasCase(path.join(FIXTURES, 'rules', id, 'invalid')), `${id}: no invalid fixture in test/fixtures/rules/${id}/invalid/`);
      assert.ok(hasCase(path.join(FIXTURES, 'rules', id, 'valid')), `${id}: no valid fixture in test/fixtures/rules/${id}/valid/`);
    });
  }
});

describe('generated docs', () => {
  it('README rule table and docs/rules/README.md are up to date (npx tsx scripts/gen-docs.ts)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-docs.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
