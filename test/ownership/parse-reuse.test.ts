// Parsing with the previous version (GitHub, Bitbucket: the lines that kept their text, number and rule index are
// reused; on GitLab also their section and inherited default owners) gives exactly what parsing from scratch gives.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCodeowners, type Dialect, type ParsedCodeowners } from '../../server/src/engine/ownership/parse';
import { prng as rand } from '../../scripts/bench/lib/generate-repo';

const LINES = [
  '# Owners of everything',
  '* @acme/all',
  '',
  '/src/ @acme/web @alice # inline note',
  'docs/* @bob@ @carol',
  '!/secret/ @acme/sec',
  '\\#not-a-comment @dave',
  '[Backend][2] @acme/backend',
  '/api/ ',
  '*.md docs@example.com',
  '/a/***/b @x',
  '/x[a-z]/ @y\r',
  '   ',
  '@alice',
  '/build/ @acme/infra # #',
  '^[Optional] @acme/opt',
  '/lib/ #just a comment',
];

function edit(text: string, r: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(r() * (lines.length + 1));
  const pick = LINES[Math.floor(r() * LINES.length)]!;
  const k = r();
  if (k < 0.3 && lines.length) lines[Math.min(at, lines.length - 1)] += r() < 0.5 ? 'x' : ' @new';
  else if (k < 0.55) lines.splice(at, 0, pick);
  else if (k < 0.8 && lines.length) lines.splice(Math.min(at, lines.length - 1), 1);
  else if (lines.length) lines[Math.min(at, lines.length - 1)] = pick;
  return lines.join('\n');
}

const plain = (p: ParsedCodeowners) => JSON.parse(JSON.stringify(p)) as unknown;

describe('parseCodeowners with the previous version', () => {
  for (const dialect of ['github', 'bitbucket', 'gitlab'] as Dialect[]) {
    it(`equals a parse from scratch after any edit (${dialect})`, () => {
      const r = rand(dialect.length * 7919);
      let text = LINES.join('\n') + '\n';
      let parsed = parseCodeowners(text, dialect);
      for (let i = 0; i < 400; i++) {
        const next = edit(text, r);
        const reused = parseCodeowners(next, dialect, { text, parsed });
        assert.deepEqual(plain(reused), plain(parseCodeowners(next, dialect)), `edit ${i}:\n${next}`);
        text = next;
        parsed = reused;
      }
    });
  }

  it('reuses the rule objects of unchanged lines and parses the edited line again', () => {
    const before = '* @a\n/src/ @b\n/docs/ @c\n';
    const p0 = parseCodeowners(before, 'github');
    const p1 = parseCodeowners('* @a\n/src/ @b @d\n/docs/ @c\n', 'github', { text: before, parsed: p0 });
    assert.equal(p1.rules[0], p0.rules[0]);
    assert.notEqual(p1.rules[1], p0.rules[1]);
    assert.deepEqual(p1.rules[1]!.effectiveOwners, ['@b', '@d']);
    assert.equal(p1.rules[2], p0.rules[2]);
  });

  it('GitLab: reuses a rule line unless its section or inherited default owners changed', () => {
    const before = '[Docs] @docs\n/docs/\n/guides/ @g\n[Api] @api\n/api/\n';
    const p0 = parseCodeowners(before, 'gitlab');
    const p1 = parseCodeowners(before.replace('[Docs] @docs', '[Docs] @writers'), 'gitlab', {
      text: before,
      parsed: p0,
    });
    assert.notEqual(p1.rules[0], p0.rules[0], 'inherits the changed default owners');
    assert.deepEqual(p1.rules[0]!.effectiveOwners, ['@writers']);
    assert.equal(p1.rules[1], p0.rules[1], 'has owners of its own');
    assert.equal(p1.rules[2], p0.rules[2], 'another section');
  });

  it('does not take the previous parse of another dialect', () => {
    const text = '/src/ @a.b\n';
    const gh = parseCodeowners(text, 'github');
    assert.deepEqual(
      plain(parseCodeowners(text, 'bitbucket', { text, parsed: gh })),
      plain(parseCodeowners(text, 'bitbucket')),
    );
  });
});
