// server/src/cli/code-cache.ts: a verb's bundle required through V8's code cache (Node 20). The module's exports are
// the same with and without a cache; the cache is written when the run ends, in a folder of the user's own, and a
// changed bundle never runs from the old bundle's cache.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempWorkspace } from '../helpers';

const posix = process.platform !== 'win32';
const CODE_CACHE = path.resolve(import.meta.dirname, '../../server/src/cli/code-cache.ts');

function run(dir: string, cache: string): string {
  const script = `const { requireCached } = require(${JSON.stringify(CODE_CACHE)});
const m = requireCached(${JSON.stringify(path.join(dir, 'verb.cjs'))});
process.stdout.write(String(m.answer()));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache, FLYWHEEL_CODE_CACHE: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the code cache of a verb bundle', { skip: !posix && 'POSIX only (no cache on Windows)' }, () => {
  it('same exports without and with the cache; a rebuilt bundle is compiled afresh', () => {
    const ws = tempWorkspace({
      'verb.cjs': "const fs = require('node:fs'); exports.answer = () => typeof fs.readFileSync + ':' + 42;\n",
    });
    try {
      const cache = path.join(ws.dir, 'cache');
      assert.equal(run(ws.dir, cache), 'function:42');
      const folder = path.join(cache, 'governance-flywheel');
      const files = fs.readdirSync(folder);
      assert.equal(files.length, 1);
      assert.match(files[0]!, /^verb\.cjs-\d+-\d+-\d+-v8-.+\.cache$/);
      assert.equal(fs.statSync(folder).mode & 0o777, 0o700);
      assert.equal(run(ws.dir, cache), 'function:42');
      // Same length, other text, later time: the old cache is not used, and is replaced.
      fs.writeFileSync(
        path.join(ws.dir, 'verb.cjs'),
        "const fs = require('node:fs'); exports.answer = () => typeof fs.readFileSync + ':' + 43;\n",
      );
      fs.utimesSync(path.join(ws.dir, 'verb.cjs'), new Date(), new Date(Date.now() + 5000));
      assert.equal(run(ws.dir, cache), 'function:43');
      assert.equal(fs.readdirSync(folder).length, 1);
    } finally {
      ws.cleanup();
    }
  });

  it('a cache folder others may write to is not used', () => {
    const ws = tempWorkspace({ 'verb.cjs': 'exports.answer = () => 7;\n' });
    try {
      const cache = path.join(ws.dir, 'cache');
      fs.mkdirSync(path.join(cache, 'governance-flywheel'), { recursive: true });
      fs.chmodSync(path.join(cache, 'governance-flywheel'), 0o777);
      assert.equal(run(ws.dir, cache), '7');
      assert.deepEqual(fs.readdirSync(path.join(cache, 'governance-flywheel')), []);
    } finally {
      ws.cleanup();
    }
  });
});
