// The GitHub patterns tested without a regular expression (pattern.ts, fastGitHub: `*.md`, `BUILD`, `docs/`,
// `/src/*`, `/src/*.ts`, `/docs/**/*.md`, …) must match exactly the paths hmarr's regular expression matches — the
// expression is the definition. Checked on every pattern of a set of shapes against many generated paths, odd ones
// (empty segments, line feeds, a leading or trailing `/`) included.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGitHub } from '../../server/src/engine/ownership/pattern';
import { prng } from '../../scripts/bench/lib/generate-repo';

const NAMES = ['a', 'b', 'x.md', 'a.md', '.md', 'md', 'src', 'docs', 'BUILD', 'é.ts', 'a(b).ts', 'c+d', 'a.b.md'];

const PATTERNS = [
  '*.md',
  '*.ts',
  '*',
  'BUILD',
  'x.md',
  'docs/',
  'src/',
  '**/src/**',
  '**/x.md',
  '**/*.md',
  '/src/*',
  'src/*',
  'docs/a/*',
  '/src/*.md',
  'src/a/*.ts',
  '/docs/**/*.md',
  'docs/**/x.md',
  '/docs/**/BUILD',
  'a(b).ts',
  '*(b).ts',
  '/c+d/*',
  '*.b.md',
  '/a/b',
  '*/a',
  'docs/*/x.md',
  '/docs/**/*',
];
// Not here: anchored literal prefixes (`/src/`, a prefix test) and patterns of three wildcards or more (the segment
// matcher), which differ from the expression on paths git never lists (a line feed, a leading `/`).

function paths(): string[] {
  const rand = prng(7);
  const out = new Set<string>(['', '/', 'a', '/a', 'a/', 'a//b', 'docs/x.md', 'docs\nx.md', 'src/x.md\n']);
  for (let i = 0; i < 4000; i++) {
    const n = 1 + Math.floor(rand() * 4);
    const segs: string[] = [];
    for (let j = 0; j < n; j++) segs.push(NAMES[Math.floor(rand() * NAMES.length)]!);
    let p = segs.join('/');
    const odd = rand();
    if (odd < 0.03) p = '/' + p;
    else if (odd < 0.06) p += '/';
    else if (odd < 0.09) p = p.replace('/', '//');
    else if (odd < 0.12) p = p.replace('.', '\n.');
    out.add(p);
  }
  return [...out];
}

describe('GitHub patterns without a regular expression', () => {
  const all = paths();
  for (const pattern of PATTERNS) {
    it(`${pattern}: the same paths as its regular expression`, () => {
      const c = compileGitHub(pattern);
      const re = new RegExp(`^(?:${c.source})$`, pattern.includes('?') ? 'u' : '');
      for (const p of all) assert.equal(c.test(p), re.test(p), `${JSON.stringify(pattern)} on ${JSON.stringify(p)}`);
    });
  }
});
