// The bucketed matcher gives exactly what testing every rule newest-first gives (the definition of "last match
// wins"), on a generated repository, on hand-picked tricky patterns, and on GitLab sections with exclusions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileIndex, OwnershipMatcher } from '../../server/src/engine/ownership/matcher';
import { parseCodeowners, type Dialect, type ParsedCodeowners } from '../../server/src/engine/ownership/parse';
import { compilePattern } from '../../server/src/engine/ownership/pattern';
import { generateRepoModel } from '../../scripts/bench/lib/generate-repo';

/** The definition: walk the rules newest first; per section the first match wins; an exclusion is final. */
function bruteForce(parsed: ParsedCodeowners, path: string): number[] {
  const win = new Map<number, number>();
  const excluded = new Set<number>();
  for (let i = parsed.rules.length - 1; i >= 0; i--) {
    const r = parsed.rules[i]!;
    if (r.skipped || excluded.has(r.section) || (win.has(r.section) && !r.negated)) continue;
    if (!compilePattern(r.pattern.text, parsed.dialect).test(path)) continue;
    if (r.negated) excluded.add(r.section);
    else win.set(r.section, i);
  }
  for (const s of excluded) win.delete(s);
  return [...win.values()].sort((a, b) => a - b);
}

function assertSame(text: string, files: string[], dialect: Dialect): void {
  const parsed = parseCodeowners(text, dialect);
  const m = new OwnershipMatcher(parsed);
  for (const f of files) assert.deepEqual(m.resolve(f).deciding, bruteForce(parsed, f), `${dialect} ${f}`);
}

describe('OwnershipMatcher', () => {
  it('agrees with brute force on a generated repository (3,000 files × 400 rules)', () => {
    const g = generateRepoModel({ files: 3000, rules: 400, seed: 7 });
    assertSame(g.codeowners, g.files, 'github');
  });

  const TRICKY = [
    '* @all',
    '/* @root-files',
    '*.md @md',
    'docs/* @docs-children',
    'docs/ @docs-any',
    '/docs/**/*.md @docs-md',
    '**/logs @logs',
    'a/**/b @ab',
    'foo/*/baz @foobaz',
    '/*/ @top-dirs',
    'README.md @readme',
    '/CLAUDE.md/ @never',
    '.claude/ @claude',
    'f?o @fo',
    '/apps/[id]/ @nextjs',
    'path\\ with\\ spaces/ @spaces',
    '*.test.ts @tests',
    '/src/lib.js/ @dotdir',
    '/unowned/',
    '**/x/**/y/**/z/**/w @deep',
    '/ @nothing',
  ].join('\n');
  const PATHS = [
    'README.md',
    'docs/README.md',
    'docs/a.md',
    'docs/x/b.md',
    'a/docs/c.md',
    'deep/er/logs/x/y',
    'a/x/y/b',
    'a/b/c',
    'foo/bar/baz/qux',
    'foo/baz',
    'bar/foo/baz',
    'CLAUDE.md',
    'pkg/.claude/agents/a.md',
    'f/o',
    'fxo',
    'apps/[id]/page.tsx',
    'apps/i/page.tsx',
    'path with spaces/a.txt',
    'src/a.test.ts',
    'src/lib.js/x.ts',
    'unowned/a',
    'x/y/z/w',
    'q/x/1/y/2/z/3/w/4',
    'README.MD',
    '.github/CODEOWNERS',
    'a\u2028b/c.md',
  ];
  it('agrees with brute force on tricky patterns, in every order', () => {
    const lines = TRICKY.split('\n');
    for (let k = 0; k < 5; k++) {
      const shuffled =
        k === 0 ? lines : [...lines].sort((a, b) => ((a.length * 31 + k * 7) % 13) - ((b.length * 31 + k * 7) % 13));
      assertSame(shuffled.join('\n') + '\n', PATHS, 'github');
      assertSame(shuffled.join('\n') + '\n', PATHS, 'gitlab');
    }
  });

  it('agrees with brute force on GitLab sections and exclusions', () => {
    const text =
      '* @all\n[Docs] @docs\n/docs/\n!/docs/gen/\ndocs/internal/ @internal\n^[Sec][2] @sec\n*.md\n!**/README.md\n[docs]\n/docs/gen/ @gen\n';
    assertSame(
      text,
      ['docs/a.md', 'docs/gen/x.md', 'x/docs/internal/a.ts', 'docs/internal/README.md', 'src/a.ts', 'README.md'],
      'gitlab',
    );
  });

  it("decidingRuleInOrder answers as decidingRule, in git's order, in any order and for odd paths", () => {
    const g = generateRepoModel({ files: 3000, rules: 400, seed: 11 });
    const odd = ['a//b/c.md', 'a/b//c', 'docs//', '/docs/a.md', '/x', '', 'docs/', 'a/', 'x/y/'];
    for (const text of [g.codeowners, TRICKY + '\n']) {
      const parsed = parseCodeowners(text, 'github');
      const sorted = [...g.files, ...PATHS].sort();
      const shuffled = [...sorted].sort(
        (a, b) => ((a.length * 7919) % 31) - ((b.length * 7919) % 31) || (a < b ? 1 : a > b ? -1 : 0),
      );
      for (const order of [sorted, shuffled, [...sorted].reverse(), [...odd, ...sorted.slice(0, 50), ...odd]]) {
        // A fresh matcher per order: decidingRule's directory cache must not serve the in-order walk.
        const walk = new OwnershipMatcher(parsed);
        const ref = new OwnershipMatcher(parsed);
        for (const f of order) assert.equal(walk.decidingRuleInOrder(f), ref.decidingRule(f), f);
      }
    }
  });

  it('filesMatching finds files through each bucket', () => {
    const parsed = parseCodeowners('/src/ @a\nlogs/ @b\n*.md @c\nf?o @d\n', 'github');
    const m = new OwnershipMatcher(parsed);
    const files = new FileIndex(['src/a.ts', 'src-x/b.ts', 'x/logs/1', 'a.md', 'foo', 'q']);
    const found = (i: number) => m.filesMatching(i, files, 99).map((j) => files.paths[j]);
    assert.deepEqual(found(0), ['src/a.ts']);
    assert.deepEqual(found(1), ['x/logs/1']);
    assert.deepEqual(found(2), ['a.md']);
    assert.deepEqual(found(3), ['foo']);
  });
});
