// `flywheel owners --all | --stdin [-z] | --unowned` with --format text|json|jsonl: the streamed records agree with
// the per-path query (ownersOf) on every file of real repositories; the JSON contract is byte for byte the same.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import type { CliIO } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';
import { forEachPath } from '../../server/src/cli/owners-stream';
import { AnalysisCache } from '../../server/src/engine/cache';
import { ownersOf } from '../../server/src/engine/ownership/query';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'realworld', 'codeowners');
const CLI = path.join(REPO_ROOT, 'out', 'cli.cjs');

async function cli(
  args: string[],
  cwd: string,
  stdin?: string | Buffer,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd };
  if (stdin !== undefined) io.stdin = Readable.from([typeof stdin === 'string' ? Buffer.from(stdin) : stdin]);
  const code = await main(['owners', ...args], io);
  return { code, out, err };
}

/** A git repository of empty files laid out from a corpus entry's files.txt, with its CODEOWNERS in place. */
function realRepo(name: string): { dir: string; files: string[] } | undefined {
  const src = path.join(CORPUS, name);
  if (!fs.existsSync(path.join(src, 'files.txt'))) return undefined;
  const where = /^path: (\S+)/m.exec(fs.readFileSync(path.join(src, 'SOURCE.txt'), 'utf8'))![1]!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-owners-all-'));
  const files = fs.readFileSync(path.join(src, 'files.txt'), 'utf8').split('\n').filter(Boolean);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  fs.mkdirSync(path.dirname(path.join(dir, where)), { recursive: true });
  fs.copyFileSync(path.join(src, 'CODEOWNERS'), path.join(dir, where));
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (git('init', '-q').status !== 0 || git('add', '-A').status !== 0) return undefined;
  return { dir, files };
}

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

describe('flywheel owners --all / --stdin on real repositories', () => {
  for (const name of ['DataDog__integrations-extras', 'NVIDIA__warp']) {
    it(
      `${name}: every tracked file's record equals the per-path answer`,
      { skip: !fs.existsSync(CORPUS) && 'no corpus' },
      async () => {
        const repo = realRepo(name);
        if (!repo) return;
        made.push(repo.dir);
        const all = await cli(['--all', '--format', 'jsonl'], repo.dir);
        assert.equal(all.code, 0, all.err);
        const records = all.out
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as { path: string; owners: string[]; optional?: true });
        const snapshot = openWorkspace(repo.dir, { managedSettingsPath: null });
        const policy = loadPolicy(snapshot);
        const expected = ownersOf(
          snapshot,
          new AnalysisCache(),
          policy,
          records.map((r) => r.path),
        );
        assert.equal(records.length, [...(snapshot.tracked ?? [])].length);
        records.forEach((r, i) => {
          const e = expected[i]!;
          const { overridden: _o, codeowners: _c, dialect: _d, ...rest } = e;
          assert.deepEqual(r, rest, r.path);
        });

        // --stdin, newline- and NUL-separated, gives the same records for the same paths (and any path, tracked or not).
        const paths = [...records.map((r) => r.path), 'no/such/file.py'];
        const nl = await cli(['--stdin', '--format', 'jsonl'], repo.dir, paths.join('\n') + '\n');
        const z = await cli(['--stdin', '-z', '--format', 'jsonl'], repo.dir, paths.join('\0'));
        assert.equal(nl.out, z.out);
        assert.equal(nl.out.split('\n').filter(Boolean).length, paths.length);
        assert.ok(nl.out.startsWith(all.out));

        // --format json streamed: byte for byte what the paths form prints (the contract, overridden lines included).
        const sample = paths.filter((_, i) => i % 97 === 0);
        const viaArgs = await cli(['--root', repo.dir, '--format', 'json', ...sample], repo.dir);
        const viaStdin = await cli(['--root', repo.dir, '--stdin', '--format', 'json'], repo.dir, sample.join('\n'));
        assert.equal(viaStdin.out, viaArgs.out);

        // --unowned: the same set as the records without owners, or whose owners are only those of optional GitLab
        // sections (no approval required).
        const unowned = await cli(['--unowned', '--format', 'jsonl'], repo.dir);
        assert.deepEqual(
          unowned.out
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { path: string }).path),
          records.filter((r) => r.owners.length === 0 || r.optional).map((r) => r.path),
        );
      },
    );
  }
});

describe('flywheel owners --all / --stdin', () => {
  const ws = tempWorkspace({
    '.gitlab/CODEOWNERS': '* @all\n[Docs]\n*.md @docs\n^[Optional]\n/src/ @web\n',
    'src/a.md': 'x',
    'src/b.ts': 'x',
    'README.md': 'x',
  });
  after(() => ws.cleanup());

  it('text: path and owners per line; --explain adds the deciding line and what it overrides', async () => {
    const r = await cli(['--root', ws.dir, '--all'], ws.dir);
    assert.equal(r.code, 0);
    assert.match(r.out, /^src\/a\.md {2}@all @docs @web$/m);
    const x = await cli(['--root', ws.dir, '--all', '--explain'], ws.dir);
    assert.match(x.out, /^README\.md {2}@all @docs {2}\(line 3 `\*\.md` \[Docs\]\)$/m);
  });

  it('GitLab: every deciding line, per section', async () => {
    const r = await cli(['--root', ws.dir, '--stdin', '--format', 'jsonl'], ws.dir, 'src/a.md\n');
    const rec = JSON.parse(r.out) as { decidedBy: { section: string }[] };
    assert.deepEqual(
      rec.decidedBy.map((d) => d.section),
      ['', 'Docs', 'Optional'],
    );
  });

  it('empty input: json is a valid empty contract, jsonl and text print nothing', async () => {
    const j = await cli(['--root', ws.dir, '--stdin', '--format', 'json'], ws.dir, '');
    assert.deepEqual(JSON.parse(j.out), {
      version: 1,
      codeowners: '.gitlab/CODEOWNERS',
      dialect: 'gitlab',
      results: [],
    });
    assert.equal((await cli(['--root', ws.dir, '--stdin', '--format', 'jsonl'], ws.dir, '\n\n')).out, '');
  });

  it('usage: modes are exclusive, -z needs --stdin, jsonl needs a streaming mode', async () => {
    for (const args of [
      ['--all', '--unowned'],
      ['--all', 'x'],
      ['--all', '-z'],
      ['--format', 'jsonl', 'x'],
      ['--coverage', '--explain'],
      ['--all', '--stdin'],
    ]) {
      const r = await cli(['--root', ws.dir, ...args], ws.dir);
      assert.equal(r.code, 2, args.join(' '));
    }
  });

  it('paths split across chunks, CRLF lines and NUL separators', async () => {
    const seen: string[] = [];
    await forEachPath(
      Readable.from([Buffer.from('a/b'), Buffer.from('.ts\r\nc'), Buffer.from('\n\nd é\n')]),
      false,
      (p) => seen.push(p),
    );
    assert.deepEqual(seen, ['a/b.ts', 'c', 'd é']);
    const z: string[] = [];
    await forEachPath(Readable.from([Buffer.from('a\nb\0c'), Buffer.from('\0')]), true, (p) => z.push(p));
    assert.deepEqual(z, ['a\nb', 'c']);
  });
});

describe('flywheel owners --all piped into head', { skip: !fs.existsSync(CLI) && 'run npm run build first' }, () => {
  it('stops quietly when the reader goes away (no EPIPE)', () => {
    const repo = realRepo('DataDog__integrations-extras');
    if (!repo) return;
    made.push(repo.dir);
    const r = spawnSync(
      'sh',
      ['-c', `node "${CLI}" owners --all | head -1; node "${CLI}" owners --unowned | head -1`],
      { cwd: repo.dir, encoding: 'utf8' },
    );
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 2);
    assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at |internal error/, r.stderr);
  });
});
