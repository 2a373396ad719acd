// The RE2 prefilter (engine/conventions/prefilter.ts) may only skip text the pattern cannot match: checked against
// the RE2 engine on generated texts (case variants, the characters RE2 folds to ASCII, fragments of the literals),
// and for the literals it takes from the patterns the baseline and real policies use.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRe2, re2Matches } from '../../server/src/engine/conventions/policy';
import { prefilterOf } from '../../server/src/engine/conventions/prefilter';
import baseline from '../../server/src/engine/policy/baseline.json';

const PATTERNS = [
  ...(baseline as { conventions: { prohibited: { pattern: string }[] } }).conventions.prohibited.map((p) => p.pattern),
  '(?i)rm\\s+-rf\\s+/',
  'git push --force',
  '(?i)curl [^|]*\\| *(?:ba)?sh',
  'sk-[A-Za-z0-9]{20,}',
  'colou?r',
  'ab+c',
  '(?i)\\bTODO\\b|FIXME',
  'a{2}bcd',
  '[]x]yz|abc',
  '(?i:never) skip',
  'x(?i)KEY',
  '\\.env\\b',
  '(?s)BEGIN.*END',
];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the RE2 prefilter', () => {
  it('takes the literals of the baseline patterns', () => {
    for (const p of PATTERNS.slice(0, 2)) assert.ok(prefilterOf(p), p);
    const noVerify = prefilterOf(PATTERNS[0]!)!;
    assert.equal(noVerify.mayMatch('Commit with care.\n'), false);
    assert.equal(noVerify.mayMatch('git commit --NO-VERIFY'), true);
    const bypass = prefilterOf(PATTERNS[1]!)!;
    assert.equal(bypass.mayMatch('mode: BYPASSPERMISSIONS'), true);
    assert.equal(bypass.mayMatch('--dangerouſly-skip-permissions'), true, 'ſ folds to s under (?i)');
    assert.equal(bypass.mayMatch('nothing to see'), false);
  });

  it('gives no prefilter where an alternative has no literal to require', () => {
    assert.equal(prefilterOf('\\d{4}-\\d{2}'), undefined);
    assert.equal(prefilterOf('abc|x'), undefined);
    assert.equal(prefilterOf('(?P<name>abc)def'), undefined);
  });

  it('never says "no match" where RE2 finds one (generated texts)', () => {
    const r = rng(42);
    const pieces = [
      ...PATTERNS.flatMap((p) => p.replace(/\(\?[a-z]*\)/g, '').split(/[\\()[\]|?*+{}.^$]+/)),
      'ſ',
      'K',
      ' ',
      '\n',
      '|',
      '/',
      'sh',
      'force',
      'KEY',
      'key',
      'colr',
      'abbbc',
      'aabcd',
      ']yz',
      'BEGIN x END',
    ].filter((s) => s.length > 0);
    let checked = 0;
    let matched = 0;
    for (const pattern of PATTERNS) {
      const re = compileRe2(pattern);
      assert.ok(typeof re !== 'string', `${pattern}: ${String(re)}`);
      const pre = prefilterOf(pattern);
      if (!pre) continue;
      for (let n = 0; n < 400; n++) {
        let text = '';
        const len = 1 + Math.floor(r() * 12);
        for (let i = 0; i < len; i++) {
          let s = pieces[Math.floor(r() * pieces.length)]!;
          if (r() < 0.3) s = r() < 0.5 ? s.toUpperCase() : s.toLowerCase();
          text += s;
        }
        const matches = re2Matches(re, text, 1).length > 0;
        if (matches) {
          matched++;
          assert.ok(pre.mayMatch(text), `${pattern} matches ${JSON.stringify(text)}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 2000);
    assert.ok(matched > 200, `${matched} texts matched: the generator must reach the patterns`);
  });
});
