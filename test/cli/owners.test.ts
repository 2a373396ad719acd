// `flywheel owners`: paths (existing or not), --unowned, --coverage, --root, --format json (a contract).

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { tempWorkspace } from '../helpers';

const ws = tempWorkspace({
  '.github/CODEOWNERS': '* @acme/all\n/src/ @acme/web\n*.md @acme/docs\n/src/gen/\n',
  'src/a.ts': 'x',
  'src/b.md': 'x',
  'src/gen/c.ts': 'x',
  'src/gen/d.ts': 'x',
  'README.md': 'x',
  '.governance/policy.json': '{"ownership":{"minCoverage":0.9}}',
});
after(() => ws.cleanup());

async function cli(args: string[], cwd = ws.dir): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd };
  const code = await main(['owners', ...args], io);
  return { code, out, err };
}

describe('flywheel owners', () => {
  it('--format json is the contract: owners, deciding line, pattern, overridden; null line when nothing matches', async () => {
    const r = await cli(['--root', ws.dir, '--format', 'json', 'src/a.ts', 'src/gen/new.ts', 'docs/x.md']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.out), {
      version: 1,
      codeowners: '.github/CODEOWNERS',
      dialect: 'github',
      results: [
        { path: 'src/a.ts', owners: ['@acme/web'], line: 2, pattern: '/src/', overridden: [1] },
        { path: 'src/gen/new.ts', owners: [], line: 4, pattern: '/src/gen/', overridden: [1, 2] },
        { path: 'docs/x.md', owners: ['@acme/docs'], line: 3, pattern: '*.md', overridden: [1] },
      ],
    });
  });

  it('line is null when no rule matches', async () => {
    const w = tempWorkspace({ CODEOWNERS: '/src/ @acme/web\n' });
    try {
      const r = await cli(['--root', w.dir, '--format', 'json', 'lib/x.ts']);
      assert.deepEqual(JSON.parse(r.out).results, [
        { path: 'lib/x.ts', owners: [], line: null, pattern: null, overridden: [] },
      ]);
    } finally {
      w.cleanup();
    }
  });

  it('text: owners, the deciding line and the lines it overrides; paths relative to the current folder', async () => {
    const r = await cli(['a.ts', 'gen/c.ts'], path.join(ws.dir, 'src'));
    assert.equal(r.code, 0);
    assert.match(r.out, /^src\/a\.ts {2}@acme\/web\n {2}\.github\/CODEOWNERS:2 `\/src\/`, overriding line 1\n/);
    assert.match(
      r.out,
      /src\/gen\/c\.ts {2}no owner\n {2}\.github\/CODEOWNERS:4 `\/src\/gen\/` un-owns it, overriding lines 1, 2/,
    );
  });

  it('--unowned lists the unowned tracked files and exits 1', async () => {
    const r = await cli(['--root', ws.dir, '--unowned']);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      'src/gen/c.ts  (un-owned by line 4 `/src/gen/`)\nsrc/gen/d.ts  (un-owned by line 4 `/src/gen/`)\n',
    );
    assert.match(r.err, /2 of 7 tracked files have no owner/);
    const j = JSON.parse((await cli(['--root', ws.dir, '--unowned', '--format', 'json'])).out);
    assert.deepEqual(
      j.results.map((x: { path: string }) => x.path),
      ['src/gen/c.ts', 'src/gen/d.ts'],
    );
  });

  it('--coverage prints the per-directory table and exits 1 below ownership.minCoverage', async () => {
    const r = await cli(['--root', ws.dir, '--coverage', '--depth', '2']);
    assert.equal(r.code, 1);
    assert.match(r.out, /Coverage: 5 of 7 tracked files have an owner \(71\.4%\); the policy requires 90%/);
    assert.match(r.out, /src\/gen\/ +2 +0 +2 +0%/);
    const j = JSON.parse((await cli(['--root', ws.dir, '--coverage', '--format', 'json'])).out);
    assert.deepEqual(j.coverage, { owned: 5, total: 7, fraction: 0.7143, minCoverage: 0.9 });
    assert.deepEqual(j.directories[0], { dir: 'src/', files: 4, owned: 2, fraction: 0.5 });
  });

  it('usage errors exit 2', async () => {
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(['--unowned', 'x'])).code, 2);
    assert.equal((await cli(['--format', 'xml', 'x'])).code, 2);
    assert.equal((await cli(['--root', path.join(ws.dir, 'nope'), 'x'])).code, 2);
    assert.equal((await cli(['--bogus'])).code, 2);
  });

  it('--help', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--unowned/);
  });
});

describe('flywheel owners --online', () => {
  it('is opt-in and needs a token and a repository', async () => {
    const saved = { g: process.env.GITHUB_TOKEN, h: process.env.GH_TOKEN };
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    try {
      const r = await cli(['--root', ws.dir, '--online']);
      assert.equal(r.code, 2);
      assert.match(r.err, /GITHUB_TOKEN/);
      process.env.GITHUB_TOKEN = 'x';
      const r2 = await cli(['--root', ws.dir, '--online']);
      assert.equal(r2.code, 2);
      assert.match(r2.err, /--repo OWNER\/NAME/);
    } finally {
      if (saved.g === undefined) delete process.env.GITHUB_TOKEN;
      else process.env.GITHUB_TOKEN = saved.g;
      if (saved.h !== undefined) process.env.GH_TOKEN = saved.h;
    }
  });
});
