// One problem, one finding. A repeated report (same rule, file, range and message) and one problem reported by two
// rules are both noise that buries the real findings; test/corpus/duplicates.ts defines both, and they are asserted
// here over every rule fixture (and in test/corpus/realworld-repos.test.ts over the corpus and examples/).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine/index';
import { duplicatesOf, overlapsOf } from '../corpus/duplicates';
import { checkFixture, FIXTURES, tempWorkspace } from '../helpers';

function findings(files: Record<string, string>): Finding[] {
  const ws = tempWorkspace(files);
  try {
    return checkFixture(ws.dir);
  } finally {
    ws.cleanup();
  }
}

const on = (fs_: Finding[], file: string) =>
  fs_.filter((f) => f.file === file).map((f) => `${f.ruleId} ${f.messageId}`);

describe('one problem, one finding', () => {
  it('broken frontmatter YAML is conventions/frontmatter only, one error per line', () => {
    const got = findings({
      '.github/CODEOWNERS': '* @acme/dev\n',
      '.github/instructions/py.instructions.md': '---\napplyTo: ["**/*.py", "docs/gone.md"\n---\nUse type hints.\n',
      'src/a.ts': '\n',
    });
    assert.deepEqual(on(got, '.github/instructions/py.instructions.md'), ['conventions/frontmatter yaml']);
  });

  it('a trailing comma in a settings file is one finding, not two at one position', () => {
    const got = findings({ '.claude/settings.json': '{\n  "permissions": {\n    "deny": ["Bash(rm *)"],\n  }\n}\n' });
    assert.deepEqual(on(got, '.claude/settings.json'), ['settings/invalid syntax']);
  });

  it('an unterminated policy file is one policy/invalid syntax finding at its end', () => {
    const got = findings({ '.governance/policy.json': '{ "ownership": ' });
    const syntax = got.filter((f) => f.ruleId === 'policy/invalid' && f.messageId === 'syntax');
    assert.equal(syntax.length, 1, JSON.stringify(syntax.map((f) => f.message)));
  });

  it('a trailing comma in .mcp.json is one finding', () => {
    const got = findings({ '.mcp.json': '{ "mcpServers": { "a": { "command": "x" }, } }\n' });
    const at = got.filter((f) => f.file === '.mcp.json').map((f) => `${f.range.start.line}:${f.range.start.character}`);
    assert.equal(at.length, new Set(at).size, JSON.stringify(at));
    assert.ok(at.length >= 1);
  });

  it('a CODEOWNERS pattern owners/syntax explains is not also owners/no-match', () => {
    const got = findings({
      '.github/CODEOWNERS':
        '* @acme/dev\n[Docs] @acme/docs\n/apps/[a-z]/page.tsx @acme/web\n@alice\n/nothing-here/ @acme/dev\n',
      'apps/a/page.tsx': '\n',
    });
    const byLine = (rule: string) => got.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
    assert.deepEqual(byLine('owners/syntax'), [2, 3, 4]);
    assert.deepEqual(byLine('owners/no-match'), [5], 'a plain typo is still no-match');
  });

  it('an invalid managed value is permissions/managed-blast-radius, not also settings/invalid', () => {
    const got = findings({
      '.governance/managed/claude-managed-settings.json':
        '{\n  "permissions": {\n    "deny": "Bash(git push *)",\n    "disableBypassPermissionsMode": "yes"\n  }\n}\n',
    });
    const file = '.governance/managed/claude-managed-settings.json';
    const rules = got.filter((f) => f.file === file && f.range.start.line === 2).map((f) => f.ruleId);
    assert.ok(rules.includes('permissions/managed-blast-radius'), JSON.stringify(rules));
    assert.ok(!rules.includes('settings/invalid'), JSON.stringify(rules));
    // Where no protection is lost, settings/invalid still speaks (a wrong type in a project file).
    const project = findings({ '.claude/settings.json': '{ "permissions": { "deny": "Bash(git push *)" } }\n' });
    assert.ok(project.some((f) => f.ruleId === 'settings/invalid'));
  });

  it('a missing script in a ratified rule is flywheel/stale-rule only', () => {
    const got = checkFixture(path.join(FIXTURES, 'rules', 'flywheel', 'stale-rule', 'invalid', 'gone'));
    assert.ok(got.some((f) => f.ruleId === 'flywheel/stale-rule' && f.messageId === 'script'));
    assert.ok(!got.some((f) => f.ruleId === 'conventions/broken-reference' && f.messageId === 'missingScript'));
    // Outside a ratified rule the same command is conventions/broken-reference's.
    const plain = findings({
      'CLAUDE.md': '# P\n\n- Before a migration, run `npm run db:snapshot`.\n',
      'package.json': '{ "scripts": { "test": "x" } }\n',
    });
    assert.ok(plain.some((f) => f.ruleId === 'conventions/broken-reference' && f.messageId === 'missingScript'));
  });
});

describe('over every rule fixture', () => {
  const root = path.join(FIXTURES, 'rules');
  const dirs: string[] = [];
  for (const surface of fs.readdirSync(root))
    for (const rule of fs.readdirSync(path.join(root, surface)))
      for (const kind of ['valid', 'invalid']) {
        const d = path.join(root, surface, rule, kind);
        if (!fs.existsSync(d)) continue;
        for (const c of fs.readdirSync(d, { withFileTypes: true }))
          if (c.isDirectory()) dirs.push(path.join(d, c.name));
      }

  it('no finding is repeated and no problem is reported twice', () => {
    assert.ok(dirs.length > 100, `${dirs.length} fixtures`);
    const bad: string[] = [];
    for (const d of dirs) {
      const got = checkFixture(d);
      for (const x of [...duplicatesOf(got), ...overlapsOf(got)]) bad.push(`${path.relative(root, d)}: ${x}`);
    }
    assert.deepEqual(bad, []);
  });
});
