// The import graph: each import form, what is never an import, cycles (100 files), depth, imports outside the
// root (reported, never read), symlinked names, and the editor's documentLinks query.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { closure, importGraph, MAX_IMPORT_HOPS } from '../../server/src/engine/conventions/graph';
import { documentLinks } from '../../server/src/engine/conventions/query';
import type { Snapshot } from '../../server/src/engine/host';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { tempWorkspace } from '../helpers';
import { CONVENTION_RULES, open, run } from './util';

function graphOf(files: Record<string, string>) {
  const ws = tempWorkspace(files);
  try {
    const s = open(ws.dir);
    return { graph: importGraph(s, new AnalysisCache()), s };
  } finally {
    ws.cleanup();
  }
}

describe('conventions imports', () => {
  it('follows every import form, relative to the importing file', () => {
    const { graph } = graphOf({
      'CLAUDE.md': 'See @README.md and @./docs/a.md.\n\n- @docs/b.md\n',
      'README.md': '# R\n',
      'docs/a.md': 'Next: @../shared/c.md\n',
      'docs/b.md': '# B\n',
      'shared/c.md': '# C\n',
      'packages/x/CLAUDE.md': '@AGENTS.md\n',
      'packages/x/AGENTS.md': '# X\n',
      '.cursorrules': '@docs/b.md\n',
      '.cursor/rules/r.mdc': '---\nalwaysApply: true\n---\nUse @docs/a.md\n',
      'GEMINI.md': '@./docs/b.md\n',
    });
    const targets = (p: string) => (graph.edges.get(p) ?? []).map((e) => e.target);
    assert.deepEqual(targets('CLAUDE.md'), ['README.md', 'docs/a.md', 'docs/b.md']);
    assert.deepEqual(targets('docs/a.md'), ['shared/c.md']);
    assert.deepEqual(targets('packages/x/CLAUDE.md'), ['packages/x/AGENTS.md']);
    assert.deepEqual(targets('.cursorrules'), ['docs/b.md']);
    assert.deepEqual(targets('.cursor/rules/r.mdc'), ['docs/a.md']);
    assert.deepEqual(targets('GEMINI.md'), ['docs/b.md']);
    assert.deepEqual(closure(graph, 'CLAUDE.md'), ['CLAUDE.md', 'README.md', 'docs/a.md', 'docs/b.md', 'shared/c.md']);
  });

  it('an @ in .cursorrules prose is not an import; only whole import lines are', () => {
    const got = run(
      { '.cursorrules': 'Ask @octocat about @docs/missing.md in reviews.\n@docs/also-missing.md\n' },
      'conventions/broken-reference',
    );
    assert.deepEqual(
      got.map((f) => f.range.start.line),
      [1],
    );
  });

  it('Copilot instructions have no @imports', () => {
    assert.deepEqual(
      run(
        { '.github/copilot-instructions.md': 'Use @workspace and @docs/missing.md\n' },
        'conventions/broken-reference',
      ),
      [],
    );
  });

  it('never flags @scope/pkg, @pytest.mark…, e-mail addresses, code spans, code blocks or HTML comments', () => {
    const text = [
      '# Traps',
      '',
      'Install @marigold/components and @types/node; use @pytest.mark.parametrize and @dataclass.',
      'Write to dev@example.com; ping @octocat.',
      '`@docs/missing.md` and ``@x/y.md``',
      '',
      '```',
      '@docs/missing-in-fence.md',
      '```',
      '',
      '    @docs/missing-indented.md',
      '',
      '<!-- @docs/missing-in-comment.md -->',
      '',
      '| a | b |',
      '| - | - |',
      '| `@t/x.md` | @scope/pkg |',
    ].join('\n');
    assert.deepEqual(run({ 'CLAUDE.md': text }, 'conventions/broken-reference'), []);
  });

  it('a cycle of 100 files is one finding, with no stack overflow', () => {
    const files: Record<string, string> = { 'CLAUDE.md': '@c/f0.md\n' };
    for (let i = 0; i < 100; i++) files[`c/f${i}.md`] = `# F${i}\n\n@f${(i + 1) % 100}.md\n`;
    const got = run(files);
    const cycles = got.filter((f) => f.ruleId === 'conventions/import-cycle');
    assert.equal(cycles.length, 1);
    assert.match(cycles[0]!.message, /c\/f0\.md → c\/f1\.md .*… \(95 more\)/);
    const deep = got.filter((f) => f.ruleId === 'conventions/import-depth');
    assert.deepEqual(
      deep.map((f) => f.file),
      ['c/f3.md'],
      `the import at hop ${MAX_IMPORT_HOPS + 1} is not followed`,
    );
  });

  it('imports of /etc/passwd and ../../.. are reported and never read', () => {
    const ws = tempWorkspace({
      'CLAUDE.md': '# T\n\n- @/etc/passwd\n- @../../..\n- @../outside.md\n- [p](../../etc/passwd)\n- @~/.ssh/id_rsa\n',
    });
    try {
      const real = open(ws.dir);
      const reads: string[] = [];
      const spy: Snapshot = new Proxy(real, {
        get(target, prop, receiver) {
          if (prop === 'read' || prop === 'readAbsolute' || prop === 'exists') {
            return (p: string) => {
              reads.push(`${String(prop)}:${p}`);
              return (target as unknown as Record<string, (x: string) => unknown>)[prop as string]!.call(target, p);
            };
          }
          return Reflect.get(target, prop, receiver);
        },
      });
      const got = check(spy, loadPolicy(real), new AnalysisCache(), { rules: CONVENTION_RULES });
      const refs = got.filter((f) => f.ruleId === 'conventions/broken-reference');
      assert.deepEqual(
        refs.map((f) => f.messageId),
        ['outside', 'outside', 'outside', 'outside', 'home'],
      );
      const outside = reads.filter(
        (r) =>
          r.includes('passwd') ||
          r.includes('..') ||
          r.includes('.ssh') ||
          (r.startsWith('readAbsolute:') && !r.includes(ws.dir)),
      );
      assert.deepEqual(outside, [], 'nothing outside the root is read or probed');
      assert.ok(!fs.existsSync(path.join(ws.dir, 'outside.md')));
    } finally {
      ws.cleanup();
    }
  });

  it('an absolute import inside the root is followed', () => {
    const ws = tempWorkspace({ 'docs/a.md': '# A\n' });
    try {
      fs.writeFileSync(path.join(ws.dir, 'CLAUDE.md'), `@${ws.dir.split(path.sep).join('/')}/docs/a.md\n`);
      const g = importGraph(open(ws.dir), new AnalysisCache());
      assert.deepEqual(
        g.edges.get('CLAUDE.md')!.map((e) => e.target),
        ['docs/a.md'],
      );
    } finally {
      ws.cleanup();
    }
  });

  it('a glob in an import is reported as such', () => {
    const got = run({ 'CLAUDE.md': '- @docs/*.md\n', 'docs/a.md': '# A\n' }, 'conventions/broken-reference');
    assert.deepEqual(
      got.map((f) => f.messageId),
      ['globImport'],
    );
  });

  it('a symlinked CLAUDE.md → AGENTS.md is one file: its content is checked once, under the target', () => {
    const ws = tempWorkspace({ 'AGENTS.md': '# A\n\n@missing.md\n' });
    try {
      fs.symlinkSync('AGENTS.md', path.join(ws.dir, 'CLAUDE.md'));
      const s = open(ws.dir);
      const got = check(s, loadPolicy(s), new AnalysisCache(), { rules: CONVENTION_RULES });
      assert.deepEqual(
        got.map((f) => [f.file, f.ruleId]),
        [['AGENTS.md', 'conventions/broken-reference']],
      );
      const g = importGraph(s, new AnalysisCache());
      assert.ok(!g.nodes.includes('CLAUDE.md'));
      assert.equal(g.canonical('CLAUDE.md'), 'AGENTS.md');
    } finally {
      ws.cleanup();
    }
  });

  it('the graph is memoised and rebuilt when an imported file changes', () => {
    const ws = tempWorkspace({ 'CLAUDE.md': '@docs/a.md\n', 'docs/a.md': '# A\n' });
    try {
      const cache = new AnalysisCache();
      const g1 = importGraph(open(ws.dir), cache);
      assert.equal(importGraph(open(ws.dir), cache), g1);
      fs.writeFileSync(path.join(ws.dir, 'docs/a.md'), '# A\n\n@b.md\n');
      fs.writeFileSync(path.join(ws.dir, 'docs/b.md'), '# B\n');
      const g2 = importGraph(open(ws.dir), cache);
      assert.notEqual(g2, g1);
      assert.deepEqual(
        g2.edges.get('docs/a.md')!.map((e) => e.target),
        ['docs/b.md'],
      );
    } finally {
      ws.cleanup();
    }
  });
});

describe('conventions documentLinks (editor query)', () => {
  it('returns @imports and local Markdown links with root-relative targets', () => {
    const ws = tempWorkspace({
      'docs/CLAUDE.md':
        '# D\n\nSee @../README.md, @scope/pkg and [guide](guide.md#top), [web](https://x.y), @missing.md.\n\n- @/etc/passwd\n',
      'README.md': '# R\n',
      'docs/guide.md': '# G\n',
    });
    try {
      const links = documentLinks(open(ws.dir), new AnalysisCache(), 'docs/CLAUDE.md');
      assert.deepEqual(
        links.map((l) => [l.range.start.line, l.range.start.character, l.target, l.tooltip ?? '']),
        [
          [2, 4, 'README.md', 'Imported: README.md'],
          [2, 34, 'docs/guide.md', ''],
          [2, 77, 'docs/missing.md', 'Missing import: docs/missing.md'],
          [4, 2, '/etc/passwd', 'Outside the repository (not checked)'],
        ],
      );
    } finally {
      ws.cleanup();
    }
  });

  it('returns nothing for a file that cannot be read', () => {
    const ws = tempWorkspace({ 'x.txt': 'x' });
    try {
      assert.deepEqual(documentLinks(open(ws.dir), new AnalysisCache(), 'CLAUDE.md'), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('conventions memo invalidation', () => {
  it('a link reported missing is cleared once the file exists (same cache, new snapshot)', () => {
    const ws = tempWorkspace({
      'AGENTS.md': '# A\n\nSee [guide](docs/guide.md) and `npm run lint`.\n',
      'package.json': '{ "scripts": { "test": "x" } }',
    });
    try {
      const cache = new AnalysisCache();
      const ids = () => {
        const s = open(ws.dir);
        return check(s, loadPolicy(s), cache, { rules: CONVENTION_RULES }).map((f) => f.messageId);
      };
      assert.deepEqual(ids().sort(), ['missingLink', 'missingScript']);
      fs.mkdirSync(path.join(ws.dir, 'docs'));
      fs.writeFileSync(path.join(ws.dir, 'docs/guide.md'), '# G\n');
      fs.writeFileSync(path.join(ws.dir, 'package.json'), '{ "scripts": { "test": "x", "lint": "eslint ." } }');
      assert.deepEqual(ids(), []);
    } finally {
      ws.cleanup();
    }
  });
});
