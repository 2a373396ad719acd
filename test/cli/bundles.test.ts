// The built bundles (out/*.cjs), as esbuild.mjs writes them: each verb's bundle loads and answers --help, the
// rewrite of Node built-in namespaces never leaves a `.default` read on a module that lost its copy, and the owners
// bundle carries neither jsonc-parser's formatter tables nor node:fs's namespace copies (what its start-up saved;
// docs/performance.md), while the bundles that format JSON still have the formatter.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../server/src/cli/main';
import { REPO_ROOT } from '../helpers';

const OUT = path.join(REPO_ROOT, 'out');
const built = fs.existsSync(path.join(OUT, 'cli.cjs'));
const skip = !built && 'run `npm run build` first';
const read = (name: string) => fs.readFileSync(path.join(OUT, name), 'utf8');

describe('the built bundles', () => {
  it('every verb loads from its bundle and prints its help', { skip }, () => {
    for (const verb of Object.keys(COMMANDS)) {
      const r = spawnSync(process.execPath, [path.join(OUT, 'cli.cjs'), verb, '--help'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, FLYWHEEL_CODE_CACHE: '0' },
      });
      assert.equal(r.status, 0, `${verb}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: flywheel/, verb);
    }
  });

  it('no binding of a Node built-in read for `.default` lost its namespace copy', { skip }, () => {
    for (const file of fs.readdirSync(OUT).filter((f) => f.endsWith('.cjs'))) {
      const text = read(file);
      for (const m of text.matchAll(/\b([A-Za-z_$][\w$]*) = require\("node:[a-z_/]+"\)/g)) {
        const name = m[1]!.replace(/\$/g, '\\$');
        assert.doesNotMatch(text, new RegExp(`(?<![\\w$.])${name}(?:\\?)?\\.default\\b`), `${file}: ${m[0]}`);
      }
    }
  });

  it(
    'the owners bundle has no jsonc formatter tables and no copy of node:fs; the check bundle keeps its formatter',
    {
      skip,
    },
    () => {
      const owners = read('cli-owners.cjs');
      assert.doesNotMatch(owners, /cachedBreakLinesWithSpaces/);
      assert.doesNotMatch(owners, /__toESM\(require\("node:fs"\)/);
      assert.match(read('cli-check.cjs'), /cachedBreakLinesWithSpaces/);
      assert.match(read('server.cjs'), /cachedBreakLinesWithSpaces/);
    },
  );
});
