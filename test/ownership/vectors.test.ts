// The conformance vectors of ../shared/reference/codeowners.md: §3.2 (patterns, GitHub semantics, including every
// ⚠ row where gitignore libraries disagree with GitHub), the precedence vectors, the GitLab divergence vectors, and
// §3.3 (line and owner vectors).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OwnershipMatcher } from '../../server/src/engine/ownership/matcher';
import { parseCodeowners, type Dialect } from '../../server/src/engine/ownership/parse';
import { compileGitHub, compileGitLab } from '../../server/src/engine/ownership/pattern';

// [#, pattern, path, GitHub]
const PATTERNS: [number, string, string, boolean][] = [
  [1, '*', 'src/a/b.ts', true],
  [2, '*', '.claude/settings.json', true],
  [3, '/*', 'README.md', true],
  [4, '/*', 'src/a.ts', false],
  [5, '*.js', 'src/a.js', true],
  [6, '*.js', 'src/a.jsx', false],
  [7, '*.js', 'lib.js/x.txt', true],
  [8, 'docs/*', 'docs/a.md', true],
  [9, 'docs/*', 'docs/x/b.md', false],
  [10, 'docs/*', 'a/docs/c.md', false],
  [11, 'docs/', 'a/docs/c.md', true],
  [12, '/docs/', 'docs/x/b.md', true],
  [13, '/docs/', 'a/docs/c.md', false],
  [14, 'docs', 'a/docs/c.md', true],
  [15, 'docs', 'docs.md', false],
  [16, '/docs', 'docs/a.md', true],
  [17, 'docs/**', 'docs/x/b.md', true],
  [18, 'docs/**', 'a/docs/c.md', false],
  [19, '/docs/*.md', 'docs/x/b.md', false],
  [20, '/docs/**/*.md', 'docs/a.md', true],
  [21, '**/logs', 'deep/er/logs/x/y', true],
  [22, 'apps/github', 'x/apps/github/y', false],
  [23, 'a/**/b', 'a/x/y/b', true],
  [24, 'a/**/b', 'a/b/c', true],
  [25, 'foo/*/baz', 'foo/bar/baz/qux', true],
  [26, 'foo/*/baz', 'foo/baz', false],
  [27, '/*/', 'bar/foo/baz', true],
  [28, 'README.md', 'docs/README.md', true],
  [29, 'README.md', 'readme.md', false],
  [30, 'CLAUDE.md', 'packages/x/CLAUDE.md', true],
  [31, '/CLAUDE.md', 'packages/x/CLAUDE.md', false],
  [32, '/CLAUDE.md/', 'CLAUDE.md', false],
  [33, '.claude/settings.json', 'x/.claude/settings.json', false],
  [34, '.claude/', 'pkg/.claude/agents/a.md', true],
  [35, '/.claude/**', '.claude/agents/a.md', true],
  [36, 'f?o', 'f/o', false],
  [37, '/apps/[id]/page.tsx', 'apps/[id]/page.tsx', true],
  [38, '/apps/[id]/page.tsx', 'apps/i/page.tsx', false],
  [39, 'path\\ with\\ spaces/', 'path with spaces/a.txt', true],
  [40, '*.JS', 'a.js', false],
  [41, '/', 'README.md', false],
  [42, '**', 'a/b/c', true],
];

/** Owners of `path` under a CODEOWNERS text. */
function ownersOf(text: string, path: string, dialect: Dialect = 'github'): string[] {
  return new OwnershipMatcher(parseCodeowners(text, dialect)).resolve(path).owners;
}

describe('§3.2 pattern vectors (GitHub)', () => {
  for (const [n, pattern, path, expected] of PATTERNS) {
    it(`#${n} \`${pattern}\` ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(compileGitHub(pattern).test(path), expected);
      // Through the whole pipeline too: parser, bucketed index, resolution.
      const owners = ownersOf(`${pattern} @owner\n`, path);
      assert.deepEqual(owners, expected ? ['@owner'] : []);
    });
  }
  it('Bitbucket reads patterns as GitHub does (the ⚠ rows)', () => {
    for (const [, pattern, path, expected] of PATTERNS.filter(([n]) => [4, 9, 29, 37, 38, 40].includes(n))) {
      assert.deepEqual(ownersOf(`${pattern} @owner\n`, path, 'bitbucket'), expected ? ['@owner'] : []);
    }
  });
});

describe('precedence vectors', () => {
  it('`* @g` then `*.js @js`: a.js → @js', () => {
    assert.deepEqual(ownersOf('* @g\n*.js @js\n', 'a.js'), ['@js']);
    assert.deepEqual(ownersOf('* @g\n*.js @js\n', 'a.ts'), ['@g']);
  });
  it('`/apps/ @octo` then `/apps/github`: apps/github/x unowned, apps/x → @octo', () => {
    const text = '/apps/ @octo\n/apps/github\n';
    assert.deepEqual(ownersOf(text, 'apps/github/x'), []);
    assert.deepEqual(ownersOf(text, 'apps/x'), ['@octo']);
  });
  it('`apps/ @a` then `apps/ @b` → @b only', () => {
    assert.deepEqual(ownersOf('apps/ @a\napps/ @b\n', 'apps/x'), ['@b']);
  });
  it('the deciding line and the overridden lines', () => {
    const m = new OwnershipMatcher(parseCodeowners('* @g\n/src/ @src\n*.md @docs\n/src/a/ @a\n', 'github'));
    assert.deepEqual(m.resolve('src/a/x.ts').deciding, [3]);
    assert.deepEqual(m.matching('src/a/x.ts'), [0, 1, 3]);
  });
  it('owners compare case-insensitively; paths do not', () => {
    assert.deepEqual(ownersOf('* @Org/Team @org/team\n', 'a'), ['@Org/Team']);
    assert.deepEqual(ownersOf('/Docs/ @d\n', 'docs/a.md'), []);
  });
});

describe('GitLab divergence vectors', () => {
  it('`internal/README.md` matches docs/internal/README.md (a mid-slash pattern floats)', () => {
    assert.equal(compileGitLab('internal/README.md').test('docs/internal/README.md'), true);
    assert.equal(compileGitHub('internal/README.md').test('docs/internal/README.md'), false);
  });
  it('`/docs` does not match docs/a.md (no trailing slash: the file `docs` only)', () => {
    assert.equal(compileGitLab('/docs').test('docs/a.md'), false);
    assert.equal(compileGitLab('/docs').test('docs'), true);
    assert.equal(compileGitLab('/docs/').test('docs/x/a.md'), true);
  });
  it('`[ ]` is a character class', () => {
    assert.equal(compileGitLab('/apps/[a-z]/page.tsx').test('apps/i/page.tsx'), true);
    assert.equal(compileGitLab('/apps/[id]/page.tsx').test('apps/[id]/page.tsx'), false);
    assert.equal(compileGitLab('/a/[!x]').test('a/y'), true);
    assert.equal(compileGitLab('/a/[!x]').test('a/x'), false);
  });
  it('`* @a # @b` gives owners @a and @b (no inline comments)', () => {
    assert.deepEqual(ownersOf('* @a # @b\n', 'x', 'gitlab'), ['@a', '@b']);
    assert.deepEqual(ownersOf('* @a # @b\n', 'x', 'github'), ['@a']);
  });
  it('a trailing `/**` owns direct children only (`**` not followed by `/` is `*`)', () => {
    assert.equal(compileGitLab('/doc-locale/**').test('doc-locale/a.md'), true);
    assert.equal(compileGitLab('/doc-locale/**').test('doc-locale/ja/a.md'), false);
  });
  it("sections: the union of each section's last match; `!` excludes a file from its section for good", () => {
    const text =
      '* @all\n[Docs] @docs\n/docs/\n/docs/internal/ @internal\n[Security][2] @sec\n/docs/\n!/docs/public/\n/docs/public/x.md @late\n';
    assert.deepEqual(ownersOf(text, 'docs/a.md', 'gitlab'), ['@all', '@docs', '@sec']);
    assert.deepEqual(ownersOf(text, 'docs/internal/a.md', 'gitlab'), ['@all', '@internal', '@sec']);
    assert.deepEqual(ownersOf(text, 'docs/public/x.md', 'gitlab'), ['@all', '@docs']);
    assert.deepEqual(ownersOf(text, 'src/a.ts', 'gitlab'), ['@all']);
  });
  it('entries without owners take the section default owners; `\\#` escapes a leading #', () => {
    const text = '[Docs] @docs\n\\#notes.md\n*.txt @md\n';
    assert.deepEqual(ownersOf(text, '#notes.md', 'gitlab'), ['@docs']);
    assert.deepEqual(ownersOf(text, 'a.txt', 'gitlab'), ['@md']);
  });
});

describe('§3.3 line and owner vectors (GitHub)', () => {
  const problems = (line: string) =>
    parseCodeowners(line + '\n', 'github').problems.map((p) => ({
      id: p.messageId,
      col: p.range.start.character + 1,
      severity: p.severity,
      data: p.data,
    }));
  it('`* user` → invalid owner at column 3, line skipped', () => {
    const p = parseCodeowners('* user\n', 'github');
    assert.deepEqual(
      problems('* user').map((x) => [x.id, x.col]),
      [['invalidOwner', 3]],
    );
    assert.equal(p.rules[0]!.skipped, 'invalid owner');
    assert.deepEqual(ownersOf('* @a\n* user\n', 'x'), ['@a']);
  });
  it('`*.txt docs@` → invalid owner at column 7', () => {
    assert.deepEqual(
      problems('*.txt docs@').map((x) => [x.id, x.col]),
      [['invalidOwner', 7]],
    );
  });
  it('`***/*.rb @monalisa` → invalid pattern, suggests `**/*.rb`', () => {
    const [p] = problems('***/*.rb @monalisa');
    assert.equal(p!.id, 'invalidPattern');
    assert.equal(p!.col, 1);
    assert.equal(p!.data.suggestion, '**/*.rb');
  });
  it("`* @nonexistent-user`, `* @org/secret-team` → valid syntax (existence is owners/unknown-owner's, against knownOwners)", () => {
    assert.deepEqual(problems('* @nonexistent-user'), []);
    assert.deepEqual(problems('* @org/secret-team'), []);
  });
  it('`*.js @js-owner # note` → valid; the comment is ignored', () => {
    const p = parseCodeowners('*.js @js-owner # note\n', 'github');
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.rules[0]!.effectiveOwners, ['@js-owner']);
    assert.equal(p.rules[0]!.comment?.text, '# note');
  });
  it('`/apps/github` → valid; un-owns the path', () => {
    assert.deepEqual(problems('/apps/github'), []);
    assert.deepEqual(parseCodeowners('/apps/github\n', 'github').rules[0]!.effectiveOwners, []);
  });
  it('`@alice` → valid syntax, a pattern with no owners → warning', () => {
    const [p] = problems('@alice');
    assert.equal(p!.id, 'ownerOnlyLine');
    assert.equal(p!.severity, 'warning');
    assert.equal(parseCodeowners('@alice\n', 'github').rules[0]!.skipped, undefined);
  });
  it('`[Docs] @org/docs` in a GitHub file → valid syntax, warns "GitLab section syntax", matches a literal name', () => {
    const [p] = problems('[Docs] @org/docs');
    assert.equal(p!.id, 'gitlabSection');
    assert.deepEqual(ownersOf('[Docs] @org/docs\n', '[Docs]'), ['@org/docs']);
    assert.deepEqual(ownersOf('[Docs] @org/docs\n', 'D'), []);
  });
  it('odd owners: `@a@b`, `@org/team.name` invalid on GitHub; EMU `@jane_acme`, e-mail valid', () => {
    assert.deepEqual(
      problems('* @a@b').map((x) => x.id),
      ['invalidOwner'],
    );
    assert.deepEqual(
      problems('* @org/team.name').map((x) => x.id),
      ['invalidOwner'],
    );
    assert.deepEqual(problems('* @jane_acme jane@example.com @Org/Team_x'), []);
  });
});
