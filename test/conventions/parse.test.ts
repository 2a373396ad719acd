// Parsing convention files: facts positioned from the syntax tree, chunked parsing equal to whole-file parsing,
// and bad input (empty, one 5 MB line, invalid UTF-8, BOM, CRLF, unclosed frontmatter).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { chunkStarts, isPathLike, parseText, type ParsedConvention } from '../../server/src/engine/conventions/parse';
import { estimateTokens, sectionsOf } from '../../server/src/engine/conventions/text';
import { REALWORLD } from './realworld';
import { run } from './util';

function facts(p: ParsedConvention) {
  return {
    headings: p.headings.map((h) => [h.start, h.end, h.depth, h.text]),
    imports: p.imports.map((i) => [i.start, i.end, i.spec, i.pathLike, i.ownLine]),
    links: p.links.map((l) => [l.start, l.end, l.url, l.kind]),
    code: p.code.map((c) => [c.start, c.end, c.inline]),
    html: p.html.map((h) => [h.start, h.end]),
  };
}

describe('conventions parse', () => {
  it('positions headings, imports, links, code and HTML from the tree', () => {
    const text =
      '# Title\n\nSee @docs/a.md and [b](b.md).\n\n`@not/import.md` <!-- c -->\n\n```sh\n@no.md\n```\n\n## Sub *part*\n';
    const p = parseText('CLAUDE.md', text);
    assert.deepEqual(
      p.headings.map((h) => [h.text, h.depth]),
      [
        ['Title', 1],
        ['Sub part', 2],
      ],
    );
    assert.deepEqual(
      p.imports.map((i) => [i.spec, text.slice(i.start, i.end)]),
      [['docs/a.md', '@docs/a.md']],
    );
    assert.deepEqual(
      p.links.map((l) => [l.url, text.slice(l.start, l.end)]),
      [['b.md', '[b](b.md)']],
    );
    assert.equal(p.code.length, 2);
    assert.equal(p.html.length, 1);
    assert.deepEqual(p.lines.positionAt(p.imports[0]!.start), { line: 2, character: 4 });
  });

  it('reads frontmatter with positions, CRLF included', () => {
    const text = '---\r\ndescription: A\r\nglobs: "*.ts"\r\n---\r\n# Body\r\n';
    const p = parseText('.cursor/rules/a.mdc', text);
    assert.ok(p.frontmatter);
    assert.equal(text.slice(p.frontmatter.yaml.start, p.frontmatter.yaml.end), 'description: A\r\nglobs: "*.ts"');
    assert.deepEqual(p.frontmatter.doc.toJS(), { description: 'A', globs: '*.ts' });
    assert.equal(p.headings[0]!.text, 'Body');
    assert.deepEqual(p.lines.positionAt(p.headings[0]!.start), { line: 4, character: 0 });
  });

  it('notices frontmatter that never closes', () => {
    const p = parseText('.claude/rules/a.md', '---\npaths:\n  - "src/**"\n\n# Rules\n');
    assert.ok(p.unclosedFrontmatter);
    assert.equal(p.frontmatter, undefined);
  });

  it('tells path-like @tokens from npm scopes, decorators and mentions', () => {
    for (const s of ['README.md', './x', '../y/z.md', '~/notes.md', '/etc/passwd', 'docs/a.json', '.ai/agents.md'])
      assert.ok(isPathLike(s), s);
    for (const s of ['scope/pkg', 'pytest.mark.parametrize', 'octocat', 'types/node', 'v1.2.3'])
      assert.ok(!isPathLike(s), s);
  });

  it('keeps trailing punctuation out of imports and requires a space before @', () => {
    const p = parseText('CLAUDE.md', 'Read @README.md, then @docs/x.md. Mail me@example.com or **@bold.md**.\n');
    assert.deepEqual(
      p.imports.map((i) => i.spec),
      ['README.md', 'docs/x.md'],
    );
  });

  it('cuts only at safe boundaries: fences, comments and indented continuations stay whole', () => {
    const text = [
      '# A',
      '',
      'para',
      '',
      '```',
      'code',
      '',
      'more code',
      '```',
      '',
      '<!--',
      '',
      'comment',
      '-->',
      '',
      '- item',
      '',
      '    continued',
      '',
      'next',
    ].join('\n');
    const starts = chunkStarts(text, 0, 0);
    const lineOf = (o: number) => text.slice(0, o).split('\n').length;
    assert.deepEqual(starts.map(lineOf), [1, 3, 5, 11, 16, 20]);
  });

  it('never starts a chunk at `---` (remark would open YAML frontmatter there and lose the facts up to the next one)', () => {
    const text = ['# A', '', 'para `a`', '', '---', '', '## B `b`', '', '- x', '', '---', 'end'].join('\n');
    const lineOf = (o: number) => text.slice(0, o).split('\n').length;
    assert.deepEqual(chunkStarts(text, 0, 0).map(lineOf), [1, 3, 7, 9]);
    const facts0 = facts(parseText('CLAUDE.md', text, undefined, 0));
    assert.deepEqual(facts0, facts(parseText('CLAUDE.md', text, undefined, Infinity)));
    assert.equal(facts0.code.length, 2);
  });

  it('chunked parsing gives the same facts as whole-file parsing (real-world files and a synthetic one)', (t) => {
    const files: [string, string][] = [];
    if (fs.existsSync(REALWORLD)) {
      for (const f of fs.readdirSync(REALWORLD))
        if (f !== 'INDEX.txt') files.push([f, fs.readFileSync(path.join(REALWORLD, f), 'utf8')]);
    } else
      t.diagnostic('partly skipped: ../shared/realworld/conventions is absent, only the synthetic file is compared');
    const lines: string[] = [];
    for (let i = 0; i < 400; i++)
      lines.push(
        i % 20 === 0
          ? `## Section ${i}`
          : i % 9 === 0
            ? ''
            : `- Rule ${i}: see @docs/r${i}.md and [x](x${i}.md) \`code ${i}\``,
      );
    files.push(['synthetic', lines.join('\n')]);
    // Tight lists cut between items, with what a cut there must not break: nested items, continuation lines, an
    // HTML block that swallows list items, thematic breaks made of list markers, fences inside items, a paragraph
    // a list item interrupts, lazy continuation, a block quote, a table, setext headings and `*emphasis*` lines.
    files.push([
      'tight lists',
      [
        '# Rules',
        'A paragraph the list interrupts',
        '- first `a` @docs/a.md',
        '  continued [x](x.md)',
        '  - nested `b`',
        '    - deeper @docs/deep.md',
        '- second',
        'lazy continuation with @docs/lazy.md',
        '* star item <span>inline</span>',
        '+ plus item',
        '* * *',
        '- - -',
        '- item before a fence',
        '  ```sh',
        '  - not an item, code',
        '  ```',
        '- after',
        '<div>',
        '- swallowed by the HTML block @docs/html.md',
        '</div>',
        '- item after HTML',
        '> quoted',
        '- item after a quote',
        '| a | b |',
        '| - | - |',
        '| 1 | 2 |',
        '- item after a table',
        'Setext',
        '---',
        '*emphasis* line',
        '- [ ] task `c`',
        '-not an item',
        '-\tTab item @docs/tab.md',
      ].join('\n'),
    ]);
    files[files.length - 1]![1] = Array(3)
      .fill(files[files.length - 1]![1])
      .join('\n\n');

    assert.ok(chunkStarts(files[files.length - 1]![1], 0, 0).length > 15, 'the tight lists are cut between items');
    for (const [name, text] of files) {
      const whole = parseText('CLAUDE.md', text, undefined, Infinity);
      const chunked = parseText('CLAUDE.md', text, undefined, 0);
      assert.deepEqual(facts(chunked), facts(whole), name);
    }
  });

  it('a file edited as people type (chunks kept from the previous version) gives the facts of a whole-file parse', (t) => {
    const texts: [string, string][] = [];
    if (fs.existsSync(REALWORLD)) {
      for (const f of fs.readdirSync(REALWORLD))
        if (f !== 'INDEX.txt') texts.push([f, fs.readFileSync(path.join(REALWORLD, f), 'utf8')]);
    } else t.diagnostic('partly skipped: ../shared/realworld/conventions is absent, only the synthetic file is edited');
    texts.push([
      'synthetic',
      Array.from({ length: 300 }, (_, i) =>
        i % 40 === 0 ? `## S${i}` : i % 50 === 7 ? '```sh' : `- item ${i} \`c${i}\` @docs/${i}.md`,
      ).join('\n'),
    ]);
    const pieces = [
      '',
      '- new item @docs/n.md',
      '```',
      '<div>',
      '</div>',
      '  continued',
      '# Heading',
      '* * *',
      '<!--',
      '-->',
      'plain text',
    ];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const [name, original] of texts) {
      const memo = new Map();
      let text = original;
      parseText('CLAUDE.md', text, memo);
      for (let step = 0; step < 25; step++) {
        const lines = text.split('\n');
        const i = Math.floor(rand() * lines.length);
        const k = rand();
        if (k < 0.4) lines[i] += rand() < 0.5 ? 'x' : ' `y`';
        else if (k < 0.7) lines.splice(i, 0, pieces[Math.floor(rand() * pieces.length)]!);
        else if (lines.length > 1) lines.splice(i, 1);
        text = lines.join('\n');
        assert.deepEqual(
          facts(parseText('CLAUDE.md', text, memo)),
          facts(parseText('CLAUDE.md', text, undefined, Infinity)),
          `${name}, edit ${step}`,
        );
      }
    }
  });

  it('re-parses only the chunks an edit touches', () => {
    const base = Array.from({ length: 3000 }, (_, i) => (i % 10 === 9 ? '' : `- line ${i} @docs/f${i}.md`)).join('\n');
    const memo = new Map();
    const a = parseText('CLAUDE.md', base, memo);
    const sizeBefore = memo.size;
    assert.ok(sizeBefore > 5);
    const kept = new Set(memo.values());
    const edited = base.replace('- line 1500 ', '- line 1500 edited ');
    const b = parseText('CLAUDE.md', edited, memo);
    const reused = [...memo.values()].filter((v) => kept.has(v)).length;
    assert.equal(reused, memo.size - 1, 'all chunks but the edited one come from the memo');
    assert.equal(b.imports.length, a.imports.length);
  });

  it('splits sections and estimates tokens', () => {
    const p = parseText('AGENTS.md', 'Intro\n\n# A\n\nx\n\n## B\n\ny\n');
    assert.deepEqual(
      sectionsOf(p).map((s) => [s.heading, s.body]),
      [
        ['', 'intro'],
        ['A', 'x'],
        ['B', 'y'],
      ],
    );
    assert.equal(estimateTokens('abcd'.repeat(10)), 10);
    assert.equal(estimateTokens('é😀'), 3);
    assert.equal(estimateTokens(''), 0);
  });
});

describe('conventions bad input', () => {
  it('an empty file', () => {
    assert.deepEqual(run({ 'CLAUDE.md': '' }), []);
    const p = parseText('CLAUDE.md', '');
    assert.equal(p.headings.length + p.imports.length + p.links.length, 0);
  });

  it('a file that is one 5 MB line: scanned, not parsed, and still checked', () => {
    const line = 'word '.repeat(1_000_000) + '@missing/file.md ' + 'AKIA4HJQ2TXW7PLMN5QR';
    const p = parseText('CLAUDE.md', line);
    assert.equal(p.fallbackChunks, 1);
    const got = run({ 'CLAUDE.md': line });
    assert.ok(got.some((f) => f.ruleId === 'conventions/broken-reference'));
    assert.ok(got.some((f) => f.ruleId === 'conventions/secret'));
    assert.ok(
      got.some((f) => f.ruleId === 'conventions/size-budget'),
      'over the baseline budget',
    );
  });

  it('invalid UTF-8 is checked with the bad bytes replaced', () => {
    const buf = Buffer.concat([
      Buffer.from('# Title\n\nSee @missing.md\n'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('\n'),
    ]);
    const got = run({ 'CLAUDE.md': buf });
    assert.deepEqual(
      got.map((f) => [f.ruleId, f.range.start.line]),
      [['conventions/broken-reference', 2]],
    );
  });

  it('a BOM does not shift positions', () => {
    const got = run({ 'CLAUDE.md': '\uFEFF# T\n\n@missing.md\n' }, 'conventions/broken-reference');
    assert.deepEqual(
      got.map((f) => [f.range.start.line, f.range.start.character]),
      [[2, 0]],
    );
  });

  it('CRLF line ends keep positions and frontmatter', () => {
    const got = run({ '.cursor/rules/a.mdc': '---\r\nglobs: **/*\r\nalwaysApply: true\r\n---\r\nSee @gone.md\r\n' });
    assert.deepEqual(
      got.map((f) => [f.ruleId, f.messageId, f.range.start.line, f.range.start.character, f.range.end.character]),
      [
        ['conventions/frontmatter', 'lenient', 1, 7, 11],
        ['conventions/broken-reference', 'missingImport', 4, 4, 12],
      ],
    );
  });

  it('frontmatter that never closes is one finding, not a crash', () => {
    const got = run(
      { '.github/instructions/a.instructions.md': '---\napplyTo: "**"\nUse tabs.\n' },
      'conventions/frontmatter',
    );
    assert.deepEqual(
      got.map((f) => f.messageId),
      ['unclosed'],
    );
  });

  it('hostile Markdown (deep nesting, thousands of unclosed brackets, no blank lines) is scanned, not parsed', () => {
    // Each of these made micromark or remark-gfm overflow the stack or run for tens of seconds before the guard.
    const cases = {
      nestedQuotes: '> '.repeat(50_000) + 'x @a.md',
      brackets: '['.repeat(50_000) + ' @a.md',
      links: '[a](b '.repeat(50_000) + ' @a.md',
      emphasis: '*a '.repeat(100_000) + ' @a.md',
      atTokens: '@a/b.md '.repeat(100_000),
      tableRows: '| a | b |\n| - | - |\n' + '| x | y |\n'.repeat(20_000) + '@a.md',
    };
    for (const [name, text] of Object.entries(cases)) {
      const p = parseText('CLAUDE.md', text);
      assert.equal(p.fallbackChunks, 1, name);
      assert.ok(
        p.imports.some((i) => i.spec === 'a.md' || i.spec === 'a/b.md'),
        name,
      );
    }
  });

  it('binary and directory convention files are left to workspace/unreadable', () => {
    assert.deepEqual(
      run({ 'AGENTS.md': Buffer.from([0, 1, 2, 3]), 'GEMINI.md/x.txt': 'a folder named GEMINI.md' }),
      [],
    );
  });
});
