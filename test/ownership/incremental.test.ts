// After an edit of CODEOWNERS the owner of every file is updated from the previous version's result, re-resolving
// only the files a removed or an added line matches (analysis.ts, resolveIncremental). It must give exactly what
// resolving every file again gives: checked here across long chains of random edits (insert, delete, change a
// pattern, change owners, move and swap lines, comments), each incremental result feeding the next edit, and through
// the language server's session, where the rules share one resolution per CODEOWNERS version.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { type CodeownersAnalysis } from '../../server/src/engine/ownership/analysis';
import {
  diffRules,
  INCREMENTAL_MAX_CHANGED,
  repoOwnership,
  resolveAll,
  resolveIncremental,
  type RepoOwnership,
} from '../../server/src/engine/ownership/repo-ownership';
import { FileIndex, OwnershipMatcher } from '../../server/src/engine/ownership/matcher';
import { parseCodeowners, type Dialect } from '../../server/src/engine/ownership/parse';
import { LineIndex } from '../../server/src/engine/text';
import { WorkspaceSession } from '../../server/src/node/session';
import { generateRepo, generateRepoModel, prng } from '../../scripts/bench/lib/generate-repo';
import { tempWorkspace } from '../helpers';

function analysis(text: string, dialect: Dialect, previous?: CodeownersAnalysis): CodeownersAnalysis {
  const parsed = parseCodeowners(text, dialect);
  const matcher = new OwnershipMatcher(parsed, previous ? { previous: previous.matcher } : {});
  return {
    choice: { dialect, fromPolicy: false, path: '.github/CODEOWNERS', ignored: [] },
    text,
    lines: new LineIndex(text),
    ignoredWhole: undefined,
    parsed,
    matcher,
  };
}

function assertSameRepo(got: RepoOwnership, want: RepoOwnership, what: string): void {
  assert.deepEqual([...got.primary], [...want.primary], `${what}: deciding rules`);
  assert.deepEqual([...got.owned], [...want.owned], `${what}: owned`);
  assert.deepEqual([...got.wins], [...want.wins], `${what}: wins`);
  assert.equal(got.unownedCount, want.unownedCount, `${what}: unowned count`);
  if (want.deciding) assert.deepEqual([...got.deciding!.rules], [...want.deciding.rules], `${what}: deciding lists`);
  if (want.deciding)
    assert.deepEqual([...got.deciding!.start], [...want.deciding.start], `${what}: deciding list starts`);
}

/** One random edit of a CODEOWNERS text; returns the new text and what was done. */
function randomEdit(
  text: string,
  files: readonly string[],
  rand: () => number,
  dialect: Dialect = 'github',
): { text: string; kind: string } {
  const lines = text.split('\n');
  const int = (n: number) => Math.floor(rand() * n);
  const at = int(lines.length);
  const ownersOf = (l: string) => l.trim().split(/\s+/).slice(1);
  const patternOf = (l: string) => l.trim().split(/\s+/)[0] ?? '';
  const somePattern = (): string => {
    const f = files[int(files.length)]!;
    const segs = f.split('/');
    switch (int(7)) {
      case 0:
        return '/' + segs.slice(0, 1 + int(segs.length)).join('/') + (rand() < 0.5 ? '/' : '');
      case 1:
        return '*.' + (f.split('.').pop() ?? 'ts');
      case 2:
        return segs[int(segs.length)]!;
      case 3:
        return '/' + segs.slice(0, Math.max(1, segs.length - 1)).join('/') + '/*';
      case 4:
        return '**/' + segs[segs.length - 1]!;
      case 5:
        return '*';
      default:
        return patternOf(lines[int(lines.length)]!) || '/docs/';
    }
  };
  const someOwners = () =>
    rand() < 0.15 ? '' : ' ' + ['@acme/web', '@acme/platform', '@alice', 'bob@example.com'][int(4)]!;
  if (dialect === 'gitlab' && rand() < 0.25) {
    // Sections: a header (default owners, optional, approvals), a header's owners edited, an exclusion.
    const headers = lines.map((l, i) => (l.startsWith('[') || l.startsWith('^[') ? i : -1)).filter((i) => i >= 0);
    const k = int(5);
    if (k === 4)
      lines[at] = patternOf(lines[at]!); // its owners dropped: un-owned, or the section's defaults
    else if (k === 0)
      lines.splice(at, 0, `${rand() < 0.3 ? '^' : ''}[Sec${int(4)}]${rand() < 0.2 ? '[2]' : ''}${someOwners()}`);
    else if (k === 1 && headers.length) {
      const h = headers[int(headers.length)]!;
      lines[h] = lines[h]!.replace(/\s.*$/, '') + someOwners();
    } else if (k === 2) lines.splice(at, 0, '!' + somePattern());
    else lines.splice(at, 0, somePattern());
    return { text: lines.join('\n'), kind: 'gitlab section edit' };
  }
  switch (int(8)) {
    case 0:
      lines.splice(at, 0, somePattern() + someOwners());
      return { text: lines.join('\n'), kind: 'insert' };
    case 1:
      lines.splice(at, 1);
      return { text: lines.join('\n'), kind: 'delete' };
    case 2:
      lines[at] = somePattern() + ' ' + ownersOf(lines[at]!).join(' ');
      return { text: lines.join('\n'), kind: 'change pattern' };
    case 3:
      lines[at] = patternOf(lines[at]!) + someOwners();
      return { text: lines.join('\n'), kind: 'change owners' };
    case 4: {
      const to = Math.min(lines.length - 1, at + 1 + int(4));
      const [l] = lines.splice(at, 1);
      lines.splice(to, 0, l!);
      return { text: lines.join('\n'), kind: 'move' };
    }
    case 5: {
      const b = Math.min(lines.length - 1, at + 1);
      [lines[at], lines[b]] = [lines[b]!, lines[at]!];
      return { text: lines.join('\n'), kind: 'swap' };
    }
    case 6:
      lines[at] = '# ' + lines[at];
      return { text: lines.join('\n'), kind: 'comment out' };
    default:
      lines[at] = lines[at] + (rand() < 0.5 ? ' ' : 'x');
      return { text: lines.join('\n'), kind: 'type a character' };
  }
}

describe('incremental resolution after a CODEOWNERS edit', () => {
  for (const dialect of ['github', 'bitbucket', 'gitlab'] as const) {
    it(`${dialect}: equals a full resolve across 300 random edits (1,500 files × 300 rules)`, () => {
      const g = generateRepoModel({
        files: 1500,
        rules: 300,
        seed: dialect === 'github' ? 11 : dialect === 'gitlab' ? 13 : 12,
      });
      const files = new FileIndex(g.files);
      const rand = prng(dialect === 'github' ? 5 : dialect === 'gitlab' ? 7 : 6);
      // GitLab: sections in the middle and near the end, one with default owners for the lines without owners.
      const lines = g.codeowners.split('\n');
      if (dialect === 'gitlab') {
        lines.splice(Math.floor(lines.length * 0.8), 0, '[Late] @acme/late');
        lines.splice(Math.floor(lines.length / 2), 0, '^[Middle][2]');
      }
      let a = analysis(lines.join('\n'), dialect);
      let repo = resolveAll(a, files);
      let incremental = 0;
      for (let step = 0; step < 300; step++) {
        // Mostly one edit at a time, as in an editor; sometimes several before the next resolve.
        let text = a.text;
        const kinds: string[] = [];
        for (let k = rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 3); k > 0; k--) {
          const e = randomEdit(text, g.files, rand, dialect);
          text = e.text;
          kinds.push(e.kind);
        }
        const next = analysis(text, dialect, a);
        const inc = resolveIncremental(a, repo, next, files);
        const full = resolveAll(next, files);
        if (inc) {
          incremental++;
          assertSameRepo(inc, full, `step ${step} (${kinds.join(', ')})`);
        }
        a = next;
        repo = inc ?? full;
      }
      assert.ok(
        incremental > (dialect === 'gitlab' ? 200 : 250),
        `only ${incremental} of 300 edits were resolved incrementally`,
      );
    });
  }

  it('GitLab: editing the default owners of a section re-resolves nothing, only reads who is owned again', () => {
    const g = generateRepoModel({ files: 300, rules: 80, seed: 3 });
    const files = new FileIndex(g.files);
    const inheriting =
      '[Docs] @docs\n' + [...new Set(g.files.map((f) => f.split('/')[0]))].map((d) => `/${d}/`).join('\n') + '\n';
    const gl = analysis(g.codeowners + inheriting, 'gitlab');
    const repo = resolveAll(gl, files);
    assert.equal(repo.unownedCount, 0);
    for (const next of [inheriting.replace('@docs', '@writers'), inheriting.replace(' @docs', '')]) {
      const after = analysis(g.codeowners + next, 'gitlab', gl);
      const inc = resolveIncremental(gl, repo, after, files);
      assert.ok(inc, 'incremental');
      assertSameRepo(inc, resolveAll(after, files), next.split('\n')[0]!);
    }
    assert.ok(
      resolveIncremental(gl, repo, analysis(g.codeowners + inheriting.replace(' @docs', ''), 'gitlab', gl), files)!
        .unownedCount > 0,
      'no defaults: un-owned',
    );
  });

  it('falls back to a full resolve for many changed lines and for another file list', () => {
    const g = generateRepoModel({ files: 300, rules: 80, seed: 3 });
    const files = new FileIndex(g.files);
    const a = analysis(g.codeowners, 'github');
    const repo = resolveAll(a, files);
    const lines = g.codeowners.split('\n');
    const many = lines
      .map((l, i) => (i < INCREMENTAL_MAX_CHANGED + 2 && l && !l.startsWith('#') ? '/changed' + i + '/ @b' : l))
      .join('\n');
    assert.equal(resolveIncremental(a, repo, analysis(many, 'github', a), files), undefined);
    assert.equal(
      resolveIncremental(a, repo, analysis(g.codeowners + '\n/x/ @a', 'github', a), new FileIndex(g.files)),
      undefined,
    );
    assert.ok(resolveIncremental(a, repo, analysis(g.codeowners + '\n/x/ @a', 'github', a), files));
  });

  it('diffRules finds the changed span (owners do not count)', () => {
    const p = (t: string) => parseCodeowners(t, 'github').rules;
    assert.deepEqual(diffRules(p('a @x\nb @x\nc @x\n'), p('a @x\nb @y\nc @x\n')), { prefix: 3, suffix: 0 });
    assert.deepEqual(diffRules(p('a @x\nb @x\nc @x\n'), p('a @x\nB @x\nc @x\n')), { prefix: 1, suffix: 1 });
    assert.deepEqual(diffRules(p('a @x\nb @x\nc @x\n'), p('a @x\nc @x\n')), { prefix: 1, suffix: 1 });
    assert.deepEqual(diffRules(p('a @x\nc @x\n'), p('a @x\nb @x\nc @x\n')), { prefix: 1, suffix: 1 });
  });

  it('in the language server session: every keystroke gives what a fresh analysis gives', async () => {
    const { dir, cleanup } = tempWorkspace({});
    try {
      const root = generateRepo(path.join(dir, 'repo'), { files: 800, rules: 150, seed: 4 }).dir;
      const rel = '.github/CODEOWNERS';
      const session = new WorkspaceSession(root, { git: false });
      let text = fs.readFileSync(path.join(root, rel), 'utf8');
      session.open(rel, text, 1);
      await session.run();
      const rand = prng(9);
      const files = session.snapshot().files;
      for (let v = 2; v < 40; v++) {
        text = randomEdit(text, files, rand).text;
        session.change(rel, text, v);
        await session.run();
        const snapshot = session.snapshot();
        const policy = session.currentPolicy();
        assertSameRepo(
          repoOwnership(snapshot, session.cache, policy),
          repoOwnership(snapshot, new AnalysisCache(), policy),
          `version ${v}`,
        );
      }
    } finally {
      cleanup();
    }
  });
});
