// `flywheel owners --all | --unowned | --stdin` read git's index file directly when they can
// (server/src/node/tracked-files.ts): the listing must be exactly git's — every entry of `git ls-files -z`, in its
// order, and the same CODEOWNERS candidates as `git ls-files -t --cached --others --exclude-standard` — in every index
// state read here (versions 2, 3 and 4, unmerged stages, intent-to-add, skip-worktree, submodules, symbolic links,
// long and unusual names), and it must hand over to git for anything it does not read (a split or sparse index, a
// linked work tree, GIT_DIR and friends, an untracked or ignored CODEOWNERS candidate).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  codeownersCandidates,
  parseGitIndex,
  streamTrackedFiles,
  trackedListing,
} from '../../server/src/node/tracked-files';
import { tempWorkspace } from '../helpers';

const hasGit = spawnSync('git', ['--version']).status === 0;
const posix = process.platform !== 'win32';

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function repo(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const ws = tempWorkspace(files);
  git(ws.dir, 'init', '-q');
  git(ws.dir, 'add', '-A');
  return ws;
}

/** What git says: the tracked files in order, and the CODEOWNERS candidates. */
async function fromGit(dir: string): Promise<{ paths: string[]; files: string[]; tracked: string[] }> {
  const paths: string[] = [];
  await streamTrackedFiles(dir, (p) => paths.push(p));
  const c = codeownersCandidates(dir)!;
  return { paths, files: c.files, tracked: c.tracked };
}

/** What the listing says, and where it came from. */
async function fromListing(
  dir: string,
): Promise<{ paths: string[]; files: string[]; tracked: string[]; source: string }> {
  const l = trackedListing(dir)!;
  const paths: string[] = [];
  const n = await l.stream((p) => paths.push(p));
  assert.equal(n, paths.length);
  return { paths, files: l.files, tracked: l.tracked, source: l.source };
}

async function same(dir: string, source: 'index' | 'git'): Promise<string[]> {
  const ours = await fromListing(dir);
  const theirs = await fromGit(dir);
  assert.equal(ours.source, source);
  assert.deepEqual(ours.paths, theirs.paths);
  assert.deepEqual(ours.files, theirs.files);
  assert.deepEqual(ours.tracked, theirs.tracked);
  return ours.paths;
}

describe(
  'the git index read directly, checked against git',
  { skip: !(hasGit && posix) && 'needs git on POSIX' },
  () => {
    const files: Record<string, string> = {
      '.github/CODEOWNERS': '* @acme/all\n',
      'a b/c d.ts': 'x',
      'docs/é ü.md': 'x',
      'src/x.ts': 'x',
      'src/tab\there.ts': 'x',
      'z.txt': 'x',
    };
    const r = repo(files);
    // A name longer than the 12 bits of an entry's length field (too long for the file system: in the index only).
    const long = `long/${Array.from({ length: 24 }, (_, i) => `${i}`.padEnd(200, 'n')).join('/')}.ts`;
    git(r.dir, 'update-index', '--add', '--cacheinfo', `100644,e69de29bb2d1d6434b8b29ae775ad8c2e48c5391,${long}`);
    after(() => r.cleanup());

    it('version 2 (git add): every entry in order, odd and long names included', async () => {
      const paths = await same(r.dir, 'index');
      assert.equal(paths.length, 7);
      assert.ok(paths.includes('src/tab\there.ts') && paths.includes(long));
    });

    it('a name with a newline, a symbolic link, a submodule (gitlink) entry', async () => {
      const d = repo({ CODEOWNERS: '* @x\n', 'a.ts': 'x' });
      try {
        fs.writeFileSync(path.join(d.dir, 'new\nline.ts'), 'x');
        fs.symlinkSync('a.ts', path.join(d.dir, 'link.ts'));
        git(d.dir, 'add', '-A');
        git(d.dir, 'update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/sub`);
        const paths = await same(d.dir, 'index');
        assert.deepEqual(paths, ['CODEOWNERS', 'a.ts', 'link.ts', 'new\nline.ts', 'vendor/sub']);
      } finally {
        d.cleanup();
      }
    });

    it('version 3 (intent-to-add, skip-worktree) and version 4 (prefix-compressed names)', async () => {
      const d = repo({ '.github/CODEOWNERS': '* @x\n', 'a/b/c.ts': 'x', 'a/b/d.ts': 'x', 'e.ts': 'x' });
      try {
        fs.writeFileSync(path.join(d.dir, 'later.ts'), 'x');
        git(d.dir, 'add', '-N', 'later.ts');
        git(d.dir, 'update-index', '--skip-worktree', '.github/CODEOWNERS');
        fs.rmSync(path.join(d.dir, '.github', 'CODEOWNERS')); // skip-worktree: still a candidate, as git -t says `S`
        assert.equal(fs.readFileSync(path.join(d.dir, '.git', 'index')).readUInt32BE(4), 3);
        await same(d.dir, 'index');
        assert.deepEqual((await fromListing(d.dir)).tracked, ['.github/CODEOWNERS']);
        git(d.dir, 'update-index', '--index-version', '4');
        assert.equal(fs.readFileSync(path.join(d.dir, '.git', 'index')).readUInt32BE(4), 4);
        await same(d.dir, 'index');
      } finally {
        d.cleanup();
      }
    });

    it('unmerged entries: one line per stage, as git lists them', async () => {
      const d = repo({ CODEOWNERS: '* @base\n', 'f.ts': 'base\n' });
      try {
        git(d.dir, 'commit', '-q', '-m', 'base');
        git(d.dir, 'checkout', '-q', '-b', 'other');
        fs.writeFileSync(path.join(d.dir, 'f.ts'), 'other\n');
        fs.writeFileSync(path.join(d.dir, 'CODEOWNERS'), '* @other\n');
        git(d.dir, 'commit', '-q', '-am', 'other');
        git(d.dir, 'checkout', '-q', '-');
        fs.writeFileSync(path.join(d.dir, 'f.ts'), 'main\n');
        fs.writeFileSync(path.join(d.dir, 'CODEOWNERS'), '* @main\n');
        git(d.dir, 'commit', '-q', '-am', 'main');
        spawnSync('git', ['merge', '-q', 'other'], { cwd: d.dir });
        const paths = await same(d.dir, 'index');
        assert.equal(paths.filter((p) => p === 'f.ts').length, 3);
      } finally {
        d.cleanup();
      }
    });

    it('no index yet (git init only): no files, as git says', async () => {
      const d = tempWorkspace({ CODEOWNERS: '* @x\n' });
      try {
        git(d.dir, 'init', '-q');
        fs.rmSync(path.join(d.dir, 'CODEOWNERS'));
        assert.deepEqual(await same(d.dir, 'index'), []);
      } finally {
        d.cleanup();
      }
    });

    it('asks git: a split index, a sparse index, an untracked or ignored candidate, a candidate folder', async () => {
      const d = repo({ '.github/CODEOWNERS': '* @x\n', 'a/b.ts': 'x', '.gitignore': 'docs/\n' });
      try {
        git(d.dir, 'update-index', '--split-index');
        await same(d.dir, 'git');
        git(d.dir, 'update-index', '--no-split-index');
        await same(d.dir, 'index');
        fs.mkdirSync(path.join(d.dir, 'docs'));
        fs.writeFileSync(path.join(d.dir, 'docs', 'CODEOWNERS'), '* @ignored\n');
        await same(d.dir, 'git');
        fs.rmSync(path.join(d.dir, 'docs'), { recursive: true });
        fs.writeFileSync(path.join(d.dir, 'CODEOWNERS'), '* @untracked\n');
        await same(d.dir, 'git');
        fs.rmSync(path.join(d.dir, 'CODEOWNERS'));
        fs.mkdirSync(path.join(d.dir, 'CODEOWNERS'));
        fs.writeFileSync(path.join(d.dir, 'CODEOWNERS', 'x'), 'x');
        await same(d.dir, 'git');
        fs.rmSync(path.join(d.dir, 'CODEOWNERS'), { recursive: true });
        await same(d.dir, 'index');
        const sparse = spawnSync('git', ['sparse-checkout', 'set', '--cone', '--sparse-index', 'a'], { cwd: d.dir });
        if (sparse.status === 0) await same(d.dir, 'git');
      } finally {
        d.cleanup();
      }
    });

    it('asks git: GIT_INDEX_FILE set, core.worktree in the config, a linked work tree (.git a file)', async () => {
      const d = repo({ CODEOWNERS: '* @x\n', 'a.ts': 'x' });
      const saved = process.env.GIT_INDEX_FILE;
      try {
        process.env.GIT_INDEX_FILE = path.join(d.dir, '.git', 'index');
        assert.equal(trackedListing(d.dir)?.source, 'git');
        if (saved === undefined) delete process.env.GIT_INDEX_FILE;
        else process.env.GIT_INDEX_FILE = saved;
        await same(d.dir, 'index');
        git(d.dir, 'commit', '-q', '-m', 'x');
        const wt = path.join(d.dir, '..', `${path.basename(d.dir)}-wt`);
        git(d.dir, 'worktree', 'add', '-q', wt);
        try {
          await same(wt, 'git');
        } finally {
          fs.rmSync(wt, { recursive: true, force: true });
        }
        git(d.dir, 'config', 'core.worktree', d.dir);
        await same(d.dir, 'git');
      } finally {
        if (saved === undefined) delete process.env.GIT_INDEX_FILE;
        else process.env.GIT_INDEX_FILE = saved;
        d.cleanup();
      }
    });

    it('an index that does not parse is not read (git is asked)', () => {
      const buf = fs.readFileSync(path.join(r.dir, '.git', 'index'));
      assert.ok(parseGitIndex(buf));
      assert.equal(parseGitIndex(buf.subarray(0, buf.length - 30)), undefined);
      const bad = Buffer.from(buf);
      bad.write('XXXX', 0, 'latin1');
      assert.equal(parseGitIndex(bad), undefined);
      const v9 = Buffer.from(buf);
      v9.writeUInt32BE(9, 4);
      assert.equal(parseGitIndex(v9), undefined);
    });
  },
);
