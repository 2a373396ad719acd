// `flywheel owners --all | --unowned | --stdin` in a git work tree: the tracked files are streamed from `git ls-files
// -z` (git's index, in git's order), never indexed whole; the CODEOWNERS file is chosen as the workspace listing
// would choose it (tracked or untracked-but-not-ignored, not deleted). Outside git the whole workspace is listed (the
// other owners tests).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CliIO } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';
import { codeownersCandidates, streamTrackedFiles } from '../../server/src/node/tracked-files';
import { tempWorkspace } from '../helpers';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd };
  const code = await main(['owners', ...args], io);
  return { code, out, err };
}

function gitRepo(files: Record<string, string>): { dir: string; cleanup: () => void; git: (...a: string[]) => void } {
  const ws = tempWorkspace(files);
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: ws.dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  git('init', '-q');
  git('add', '-A');
  return { ...ws, git };
}

const hasGit = spawnSync('git', ['--version']).status === 0;

describe('flywheel owners in a git work tree (streamed from git ls-files)', { skip: !hasGit && 'no git' }, () => {
  const repo = gitRepo({
    '.github/CODEOWNERS': '* @acme/all\n/src/ @acme/web\n/src/gen/\n',
    'src/a.ts': 'x',
    'src/gen/b.ts': 'x',
    'src/gen/c d.ts': 'x',
    'docs/é.md': 'x',
    'lib/removed.ts': 'x',
    '.gitignore': 'ignored.txt\n',
  });
  after(() => repo.cleanup());
  // Untracked and ignored files are not tracked; a file deleted from the work tree is still in git's index.
  fs.writeFileSync(path.join(repo.dir, 'src', 'gen', 'untracked.ts'), 'x');
  fs.writeFileSync(path.join(repo.dir, 'ignored.txt'), 'x');
  fs.rmSync(path.join(repo.dir, 'lib', 'removed.ts'));

  it('--all: every file of the index, in git order, names unquoted (spaces, non-ASCII)', async () => {
    const r = await cli(['--all', '--format', 'jsonl'], repo.dir);
    assert.equal(r.code, 0, r.err);
    const paths = r.out
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { path: string }).path);
    const index = spawnSync('git', ['-c', 'core.quotePath=false', 'ls-files', '-z'], {
      cwd: repo.dir,
      encoding: 'utf8',
    })
      .stdout.split('\0')
      .filter(Boolean);
    assert.deepEqual(paths, index);
    assert.ok(paths.includes('docs/é.md') && paths.includes('src/gen/c d.ts') && paths.includes('lib/removed.ts'));
    assert.ok(!paths.includes('src/gen/untracked.ts') && !paths.includes('ignored.txt'));
  });

  it('--unowned: the unowned tracked files, the count on stderr, exit 1', async () => {
    const r = await cli(['--unowned'], repo.dir);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      'src/gen/b.ts  (un-owned by line 3 `/src/gen/`)\nsrc/gen/c d.ts  (un-owned by line 3 `/src/gen/`)\n',
    );
    assert.match(r.err, /^2 of 7 tracked files have no owner — \.github\/CODEOWNERS \(github\)\n$/);
  });

  it('--root of a subfolder: paths relative to it, as git lists them there', async () => {
    const r = await cli(['--root', path.join(repo.dir, 'src'), '--all'], repo.dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => l.split('  ')[0]),
      ['a.ts', 'gen/b.ts', 'gen/c d.ts'],
    );
  });

  it('--stdin: any path, with the CODEOWNERS found through git', async () => {
    let out = '';
    const { Readable } = await import('node:stream');
    const io: CliIO = {
      out: (t) => (out += t),
      err: () => {},
      color: false,
      cwd: repo.dir,
      stdin: Readable.from([Buffer.from('src/new.ts\nelsewhere/x\n')]),
    };
    assert.equal(await main(['owners', '--stdin'], io), 0);
    assert.equal(out, 'src/new.ts  @acme/web\nelsewhere/x  @acme/all\n');
  });

  it('the CODEOWNERS choice: untracked counts, ignored and deleted do not', () => {
    const r = gitRepo({ CODEOWNERS: '* @root\n', 'a.ts': 'x', '.gitignore': '.github/\n' });
    try {
      fs.mkdirSync(path.join(r.dir, 'docs'));
      fs.writeFileSync(path.join(r.dir, 'docs', 'CODEOWNERS'), '* @docs\n'); // untracked, not ignored
      fs.mkdirSync(path.join(r.dir, '.github'));
      fs.writeFileSync(path.join(r.dir, '.github', 'CODEOWNERS'), '* @ignored\n'); // ignored
      assert.deepEqual(codeownersCandidates(r.dir)?.files.sort(), ['CODEOWNERS', 'docs/CODEOWNERS']);
      fs.rmSync(path.join(r.dir, 'CODEOWNERS')); // deleted from the work tree
      assert.deepEqual(codeownersCandidates(r.dir), { files: ['docs/CODEOWNERS'], tracked: [] });
    } finally {
      r.cleanup();
    }
  });

  it('outside a git work tree: no candidates (the caller lists the workspace instead)', () => {
    const ws = tempWorkspace({ CODEOWNERS: '* @x\n' });
    try {
      assert.equal(codeownersCandidates(ws.dir), undefined);
    } finally {
      ws.cleanup();
    }
  });

  it('streamTrackedFiles: a failing consumer stops git and rejects with its error', async () => {
    let n = 0;
    await assert.rejects(
      streamTrackedFiles(repo.dir, () => {
        if (++n === 2) throw new Error('reader gone');
      }),
      /reader gone/,
    );
    assert.equal(await streamTrackedFiles(repo.dir, () => {}), 7);
  });
});
