// Bad input never crashes or hangs: a 3 MB+ file, a 100,000-line file, a 1 MB line, binary content, invalid UTF-8,
// patterns made of every special character, hostile wildcards, odd owners. Each gives findings or nothing.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AnalysisCache, check, type Finding } from '../../server/src/engine/index';
import { codeownersAnalysis } from '../../server/src/engine/ownership/analysis';
import { OwnershipMatcher } from '../../server/src/engine/ownership/matcher';
import { parseCodeowners } from '../../server/src/engine/ownership/parse';
import { compileGitHub, compileGitLab } from '../../server/src/engine/ownership/pattern';
import { ownersOf } from '../../server/src/engine/ownership/query';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { RULES } from '../../server/src/engine/rules/index';
import { openWorkspace } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

const OWNER_RULES = RULES.filter((r) => r.meta.id.startsWith('owners/') || r.meta.id === 'workspace/unreadable');

function run(files: Record<string, string | Buffer>): { findings: Finding[]; ids: string[]; dir: string } {
  const { dir, cleanup } = tempWorkspace(files);
  cleanups.push(cleanup);
  const snapshot = openWorkspace(dir, { git: false, managedSettingsPath: null });
  const findings = check(snapshot, loadPolicy(snapshot), new AnalysisCache(), { rules: OWNER_RULES });
  return { findings, ids: [...new Set(findings.map((f) => f.ruleId))].sort(), dir };
}

describe('bad CODEOWNERS input', () => {
  it('a file over 3 MB: owners/too-large, every path unowned, no line-level noise', () => {
    const line = '/src/generated/file.ts @acme/codegen\n';
    const r = run({
      '.github/CODEOWNERS': line.repeat(Math.ceil((3 * 1024 * 1024) / line.length) + 10),
      'src/a.ts': 'x',
    });
    assert.ok(r.ids.includes('owners/too-large'));
    assert.ok(!r.ids.includes('owners/duplicate-pattern'));
    const snapshot = openWorkspace(r.dir, { git: false, managedSettingsPath: null });
    assert.deepEqual(
      ownersOf(snapshot, new AnalysisCache(), loadPolicy(snapshot), ['src/generated/file.ts'])[0]!.owners,
      [],
    );
  });

  it('a 100,000-line file parses and checks, with per-line findings', () => {
    const lines: string[] = ['* @acme/all'];
    for (let i = 0; i < 100_000; i++)
      lines.push(i % 1000 === 0 ? `/dir${i}/ user${i}` : `/dir${i}/ @acme/team-${i % 40}`);
    const r = run({ '.github/CODEOWNERS': lines.join('\n') + '\n', 'dir5/a.ts': 'x', 'dir99999/b.ts': 'x' });
    assert.equal(r.findings.filter((f) => f.ruleId === 'owners/syntax' && f.messageId === 'invalidOwner').length, 100);
    assert.ok(r.findings.filter((f) => f.ruleId === 'owners/no-match').length > 90_000);
  });

  it('a 1 MB line is reported and skipped; the rest of the file applies', () => {
    const p = parseCodeowners('/' + 'x'.repeat(1024 * 1024) + ' @a\n* @b\n', 'github');
    assert.deepEqual(
      p.problems.map((x) => x.messageId),
      ['longPattern'],
    );
    assert.deepEqual(new OwnershipMatcher(p).resolve('x').owners, ['@b']);
    const owners = parseCodeowners('* ' + '@a '.repeat(300_000) + '\n', 'github');
    assert.deepEqual(owners.rules[0]!.effectiveOwners, ['@a']);
  });

  it('a line of 9 million characters without a blank (near the 8 MB read limit) is one longPattern, not a crash', () => {
    // The pattern's end is found by a regular expression: it must not keep a backtracking entry per character.
    for (const body of ['a'.repeat(9_000_000), '\\ '.repeat(4_500_000)]) {
      const p = parseCodeowners(body + ' @a\n* @b\n', 'github');
      assert.deepEqual(
        p.problems.map((x) => x.messageId),
        ['longPattern'],
      );
      assert.equal(p.rules[0]!.pattern.text.length, body.length);
    }
  });

  it('binary content: workspace/unreadable, and the ownership rules stay quiet', () => {
    const r = run({ '.github/CODEOWNERS': Buffer.from([0x2a, 0x20, 0x40, 0x61, 0x00, 0xff, 0xfe, 0x0a]), 'a.ts': 'x' });
    assert.ok(r.ids.includes('workspace/unreadable'));
    assert.ok(!r.ids.includes('owners/syntax'));
    assert.ok(!r.ids.includes('owners/missing-file'));
  });

  it('invalid UTF-8 is read with replacement characters and checked', () => {
    const r = run({
      '.github/CODEOWNERS': Buffer.concat([
        Buffer.from('* @acme/all\n/caf'),
        Buffer.from([0xe9]),
        Buffer.from('/ @acme/x\n'),
      ]),
      'a.ts': 'x',
    });
    assert.ok(r.ids.includes('workspace/unreadable'));
    assert.ok(r.ids.includes('owners/no-match'));
  });

  it('a pattern with every special character compiles and matches in both dialects', () => {
    const specials = '!"#$%&\'()*+,-.:;<=>?@[\\]^_`{|}~ \u00e9\u202f\u{1F600}';
    for (const ch of specials) {
      for (const pattern of [`/a${ch}b/`, `*${ch}*`, `${ch}`, `/x/${ch}${ch}/**`, `[${ch}]`, `\\${ch}`]) {
        for (const compile of [compileGitHub, compileGitLab]) {
          const c = compile(pattern);
          assert.equal(typeof c.test(`a${ch}b/c`), 'boolean', pattern);
          assert.equal(typeof c.test(''), 'boolean', pattern);
        }
      }
    }
    assert.equal(compileGitHub('/a(b)+c$/').test('a(b)+c$/x'), true);
    assert.equal(compileGitHub('/a.b').test('axb'), false);
    assert.equal(compileGitHub('*\u{1F600}?').test('x\u{1F600}y'), true);
    assert.equal(compileGitLab('/[\u{1F600}]x').test('\u{1F600}x'), true);
  });

  it('hostile wildcards are matched without backtracking blow-ups (results equal the regex semantics)', () => {
    const hostile = [
      '/' + 'a*'.repeat(400) + 'b',
      '**/' + 'a/**/'.repeat(100) + 'z',
      '*a*a*a*a*a*a*a*a*a*a*a*b',
      '?'.repeat(500) + '*',
    ];
    const path = 'a'.repeat(200) + '/' + 'a/'.repeat(60) + 'a'.repeat(250);
    for (const p of hostile) {
      assert.equal(compileGitHub(p).test(path), false, p);
      assert.equal(compileGitLab(p).test(path), false, p);
    }
    assert.equal(compileGitHub('*a*a*a*b').test('xaxaxaxb'), true);
    assert.equal(compileGitHub('a/**/b/**/c/**/d').test('a/1/b/2/3/c/d/e'), true);
    assert.equal(compileGitLab('a/**/b/**/c/**/d').test('q/a/1/b/2/3/c/d'), true);
    assert.equal(compileGitLab('a/**/b/**/c/**/d').test('q/a/1/b/2/3/c/d/e'), false);
  });

  it('odd owners: findings, never a crash', () => {
    const p = parseCodeowners('* @a@b @org/team.name @ @@ @- 😀 @org/ docs@ @org/team/sub\n', 'github');
    assert.deepEqual(
      p.problems.map((x) => x.data.owner),
      ['@a@b', '@org/team.name', '@', '@@', '@-', '😀', '@org/', 'docs@', '@org/team/sub'],
    );
    const g = parseCodeowners('* @a@b @@developers @group/sub.group/x\n', 'gitlab');
    assert.deepEqual(
      g.problems.map((x) => x.data.owner),
      ['@a@b'],
    );
  });

  it('a CODEOWNERS that is a folder, or an empty file, does not crash', () => {
    const r = run({ '.github/CODEOWNERS/x': 'x', CODEOWNERS: '' });
    assert.ok(Array.isArray(r.findings));
    const { dir, cleanup } = tempWorkspace({ CODEOWNERS: '\n\n# only comments\n' });
    cleanups.push(cleanup);
    const s = openWorkspace(dir, { git: false, managedSettingsPath: null });
    assert.equal(codeownersAnalysis(s, new AnalysisCache(), loadPolicy(s)).parsed.rules.length, 0);
  });
});
