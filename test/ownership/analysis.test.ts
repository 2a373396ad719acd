// Which CODEOWNERS the platform reads, memoisation (a keystroke elsewhere costs nothing), and the query API the
// editor uses (ownersOf, patternInfo, ownerCompletions).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { chooseCodeowners, codeownersAnalysis } from '../../server/src/engine/ownership/analysis';
import { globToPattern } from '../../server/src/engine/ownership/messages';
import { policyOwnership, sentinelOf } from '../../server/src/engine/ownership/policy-ownership';
import { repoOwnership } from '../../server/src/engine/ownership/repo-ownership';
import { ownerCompletions, ownersOf, patternInfo } from '../../server/src/engine/ownership/query';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { withBuffers, type OverlayEntry } from '../../server/src/node/live-snapshot';
import { tempWorkspace } from '../helpers';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

function workspace(files: Record<string, string>, overlay?: Map<string, OverlayEntry>) {
  const { dir, cleanup } = tempWorkspace(files);
  cleanups.push(cleanup);
  const open = (o?: Map<string, OverlayEntry>) => {
    const base = openWorkspace(dir, { git: false, managedSettingsPath: null });
    const snapshot = o ? withBuffers(base, o) : base;
    return { snapshot, policy: loadPolicy(snapshot) };
  };
  return { dir, open, ...open(overlay) };
}

describe('which CODEOWNERS the platform reads', () => {
  it('GitHub: .github/ first, then the root, then docs/; the others are ignored', () => {
    const { snapshot, policy } = workspace({
      '.github/CODEOWNERS': '* @a\n',
      CODEOWNERS: '* @b\n',
      'docs/CODEOWNERS': '* @c\n',
      '.gitlab/CODEOWNERS': '* @d\n',
    });
    const c = chooseCodeowners(snapshot, policy);
    assert.equal(c.dialect, 'github');
    assert.equal(c.path, '.github/CODEOWNERS');
    assert.deepEqual(c.ignored, [
      { path: '.gitlab/CODEOWNERS', reason: 'location' },
      { path: 'CODEOWNERS', reason: 'shadowed' },
      { path: 'docs/CODEOWNERS', reason: 'shadowed' },
    ]);
  });
  it('dialect from location: .gitlab/ → GitLab (which reads the root first), .bitbucket/ → Bitbucket', () => {
    let w = workspace({ '.gitlab/CODEOWNERS': '* @a\n' });
    assert.deepEqual(
      [chooseCodeowners(w.snapshot, w.policy).dialect, chooseCodeowners(w.snapshot, w.policy).path],
      ['gitlab', '.gitlab/CODEOWNERS'],
    );
    w = workspace({ '.gitlab/CODEOWNERS': '* @a\n', CODEOWNERS: '* @b\n' });
    assert.deepEqual(
      [chooseCodeowners(w.snapshot, w.policy).dialect, chooseCodeowners(w.snapshot, w.policy).path],
      ['gitlab', 'CODEOWNERS'],
    );
    w = workspace({ '.bitbucket/CODEOWNERS': '* @a\n' });
    assert.equal(chooseCodeowners(w.snapshot, w.policy).dialect, 'bitbucket');
  });
  it('the policy overrides the dialect', () => {
    const w = workspace({
      CODEOWNERS: '[Docs] @docs\n/docs/\n',
      '.governance/policy.json': '{"ownership":{"dialect":"gitlab"}}',
      'docs/a.md': 'x',
    });
    const c = chooseCodeowners(w.snapshot, w.policy);
    assert.deepEqual([c.dialect, c.fromPolicy, c.path], ['gitlab', true, 'CODEOWNERS']);
    assert.deepEqual(ownersOf(w.snapshot, new AnalysisCache(), w.policy, ['docs/a.md'])[0]!.owners, ['@docs']);
  });
});

describe('memoisation', () => {
  it('a keystroke in another file reuses every analysis; an edit of CODEOWNERS recomputes', () => {
    const files = { '.github/CODEOWNERS': '* @a\n/src/ @b\n', 'CLAUDE.md': '# x\n', 'src/a.ts': 'x' };
    const w = workspace(files, new Map([['CLAUDE.md', { text: '# x\n', version: 1 }]]));
    const cache = new AnalysisCache();
    const a1 = codeownersAnalysis(w.snapshot, cache, w.policy);
    const r1 = repoOwnership(w.snapshot, cache, w.policy);
    const p1 = policyOwnership(w.snapshot, cache, w.policy);
    const s2 = w.open(new Map([['CLAUDE.md', { text: '# xy\n', version: 2 }]]));
    assert.equal(codeownersAnalysis(s2.snapshot, cache, s2.policy), a1);
    assert.equal(repoOwnership(s2.snapshot, cache, s2.policy), r1);
    assert.equal(policyOwnership(s2.snapshot, cache, s2.policy), p1);
    const s3 = w.open(new Map([['.github/CODEOWNERS', { text: '* @a\n/src/ @c\n', version: 3 }]]));
    assert.notEqual(repoOwnership(s3.snapshot, cache, s3.policy), r1);
    assert.deepEqual(ownersOf(s3.snapshot, cache, s3.policy, ['src/a.ts'])[0]!.owners, ['@c']);
  });
});

describe('query API', () => {
  const w = workspace({
    '.github/CODEOWNERS': '* @acme/all\n/src/ @acme/web\n*.md @acme/docs\n/src/gen/\n',
    'src/a.ts': 'x',
    'src/b.md': 'x',
    'src/gen/c.ts': 'x',
    'README.md': 'x',
    '.governance/policy.json':
      '{"ownership":{"knownOwners":["@acme/all","@acme/web"],"owners":{"CLAUDE.md":["@acme/platform","@ACME/web"]}}}',
  });
  const cache = new AnalysisCache();
  it('ownersOf: owners, the deciding line, the overridden lines; works for paths that do not exist', () => {
    const r = ownersOf(w.snapshot, cache, w.policy, ['src/b.md', './src/a.ts', 'src/gen/new.ts', 'nowhere/x.go']);
    assert.deepEqual(r, [
      {
        path: 'src/b.md',
        owners: ['@acme/docs'],
        line: 3,
        pattern: '*.md',
        overridden: [1, 2],
        codeowners: '.github/CODEOWNERS',
        dialect: 'github',
      },
      {
        path: 'src/a.ts',
        owners: ['@acme/web'],
        line: 2,
        pattern: '/src/',
        overridden: [1],
        codeowners: '.github/CODEOWNERS',
        dialect: 'github',
      },
      {
        path: 'src/gen/new.ts',
        owners: [],
        line: 4,
        pattern: '/src/gen/',
        overridden: [1, 2],
        codeowners: '.github/CODEOWNERS',
        dialect: 'github',
      },
      {
        path: 'nowhere/x.go',
        owners: ['@acme/all'],
        line: 1,
        pattern: '*',
        overridden: [],
        codeowners: '.github/CODEOWNERS',
        dialect: 'github',
      },
    ]);
  });
  it('ownersOf: line null when no line matches; GitLab section names', () => {
    const g = workspace({ '.gitlab/CODEOWNERS': '[Docs] @docs\n/docs/\n', 'docs/a.md': 'x' });
    const r = ownersOf(g.snapshot, new AnalysisCache(), g.policy, ['docs/a.md', 'src/x']);
    assert.deepEqual(r[0], {
      path: 'docs/a.md',
      owners: ['@docs'],
      line: 2,
      pattern: '/docs/',
      overridden: [],
      codeowners: '.gitlab/CODEOWNERS',
      dialect: 'gitlab',
      section: 'Docs',
    });
    assert.equal(r[1]!.line, null);
    assert.equal(r[1]!.pattern, null);
  });
  it('ownersOf: GitLab owners from several sections list every deciding line', () => {
    const g = workspace({ '.gitlab/CODEOWNERS': '* @all\n[Docs] @docs\n/docs/\n', 'docs/a.md': 'x' });
    const [r] = ownersOf(g.snapshot, new AnalysisCache(), g.policy, ['docs/a.md']);
    assert.deepEqual(r!.owners, ['@all', '@docs']);
    assert.equal(r!.line, 3);
    assert.deepEqual(r!.decidedBy, [
      { line: 1, pattern: '*', section: '' },
      { line: 3, pattern: '/docs/', section: 'Docs' },
    ]);
  });
  it('patternInfo: matches, wins and examples of a line (0-based)', () => {
    assert.deepEqual(patternInfo(w.snapshot, cache, w.policy, 1), {
      pattern: '/src/',
      matches: 3,
      wins: 1,
      examples: ['src/a.ts', 'src/b.md', 'src/gen/c.ts'],
    });
    assert.deepEqual(patternInfo(w.snapshot, cache, w.policy, 0)!.wins, 2);
    assert.equal(patternInfo(w.snapshot, cache, w.policy, 99), undefined);
  });
  it('ownerCompletions: knownOwners, then the owners the policy requires, without duplicates', () => {
    assert.deepEqual(ownerCompletions(w.policy), ['@acme/all', '@acme/web', '@acme/platform']);
  });
});

describe('policy globs', () => {
  it('a glob stands for a path that does not exist yet', () => {
    assert.equal(sentinelOf('.claude/**'), '.claude/new-file');
    assert.equal(sentinelOf('**/CLAUDE.md'), 'CLAUDE.md');
    assert.equal(sentinelOf('.github/instructions/*.instructions.md'), '.github/instructions/x.instructions.md');
    assert.equal(sentinelOf('**/.claude/**'), '.claude/new-file');
  });
  it('a glob becomes a CODEOWNERS pattern for fixes', () => {
    assert.equal(globToPattern('.claude/**'), '/.claude/');
    assert.equal(globToPattern('**/CLAUDE.md'), 'CLAUDE.md');
    assert.equal(globToPattern('**/.claude/**'), '.claude/');
    assert.equal(globToPattern('.mcp.json'), '/.mcp.json');
    assert.equal(globToPattern('**/a/b'), '**/a/b');
    assert.equal(globToPattern('{a,b}'), undefined);
  });
});
