// Quick fixes of the conventions rules: applying each fix removes its finding and breaks nothing else.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { markerLines, ruleHash } from '../../server/src/engine/conventions/ratified';
import { allSnippets, sectionLines, snippetToText } from '../../server/src/engine/conventions/snippets';
import type { Finding } from '../../server/src/engine/types';
import { applyEdits, run } from './util';

function fixOnce(
  files: Record<string, string>,
  ruleId: string,
  file: string,
): { before: Finding[]; after: Finding[]; text: string } {
  const before = run(files, ruleId);
  // A finding about a file that does not exist yet is shown elsewhere (the policy, the root); its fix creates `file`.
  const fix = before.find(
    (f) => f.file === file || f.fixes?.some((x) => x.edits.some((e) => e.create && e.file === file)),
  )?.fixes?.[0];
  assert.ok(fix, `${ruleId} offers a fix in ${file}`);
  const created = fix.edits.find((e) => e.create && e.file === file);
  const text = created ? created.newText : applyEdits(files[file]!, fix.edits, file);
  return { before, after: run({ ...files, [file]: text }, ruleId), text };
}

describe('conventions quick fixes', () => {
  it('required-section inserts the section from the snippet template', () => {
    const policy = JSON.stringify({ conventions: { requiredSections: { 'claude-md': ['Testing'] } } });
    const files = {
      '.governance/policy.json': policy,
      'CLAUDE.md': '# Project\r\n\r\n## Commands\r\n\r\n- `npm test`',
    };
    const { after, text } = fixOnce(files, 'conventions/required-section', 'CLAUDE.md');
    assert.deepEqual(after, []);
    assert.match(text, /\r\n\r\n## Testing\r\n\r\n- Run `npm test` before every commit/);
    assert.ok(!text.includes('${'), 'snippet placeholders are resolved');
  });

  it('every snippet turns into plain Markdown that starts with its heading', () => {
    for (const [name, s] of Object.entries(allSnippets())) {
      const body = snippetToText((Array.isArray(s.body) ? s.body : [s.body]).join('\n'));
      assert.ok(!/\$\{|\$\d/.test(body), name);
      assert.equal(body.split('\n')[0], `## ${name}`);
      assert.ok(s.prefix && s.description, name);
    }
    assert.deepEqual(sectionLines('Deployment', 3).slice(0, 1), ['### Deployment']);
  });

  it('frontmatter quotes a loader-lenient value so strict YAML reads the same thing', () => {
    const files = {
      '.cursor/rules/all.mdc': '---\ndescription: Everything\nglobs: **/*\nalwaysApply: true\n---\n- Short.\n',
    };
    const { before, after, text } = fixOnce(files, 'conventions/frontmatter', '.cursor/rules/all.mdc');
    assert.equal(before[0]!.severity, 'warning');
    assert.deepEqual(after, []);
    const yaml = text.split('---\n')[1]!;
    const doc = parseDocument(yaml);
    assert.deepEqual(doc.errors, []);
    assert.equal(doc.toJS().globs, '**/*');
  });

  it('frontmatter turns a string boolean into a boolean', () => {
    const { after } = fixOnce(
      { '.cursor/rules/a.mdc': "---\nalwaysApply: 'true'\n---\nX\n" },
      'conventions/frontmatter',
      '.cursor/rules/a.mdc',
    );
    assert.deepEqual(after, []);
  });

  it('ratified-rule-missing restores a removed rule with its marker', () => {
    const rule = '- Schema migrations include a rollback plan.';
    const proposal = `---\nid: P-1\nstatus: applied\ntarget: CLAUDE.md\nrule: "${rule}"\n---\n`;
    const files = { '.governance/proposals/P-1.md': proposal, 'CLAUDE.md': '# Project\n' };
    const { after, text } = fixOnce(files, 'conventions/ratified-rule-missing', 'CLAUDE.md');
    assert.deepEqual(after, []);
    assert.ok(text.endsWith(markerLines('P-1', rule).join('\n') + '\n'));
  });

  it('ratified-rule-missing restores an edited rule in place', () => {
    const rule = '- Schema migrations include a rollback plan.';
    const proposal = `---\nid: P-1\nstatus: applied\ntarget: CLAUDE.md\nrule: "${rule}"\n---\n`;
    const edited = `# Project\n\n<!-- flywheel:rule P-1 sha256=${ruleHash(rule)} -->\n- Schema migrations may skip the rollback plan.\n\n## Next\n`;
    const { after, text } = fixOnce(
      { '.governance/proposals/P-1.md': proposal, 'CLAUDE.md': edited },
      'conventions/ratified-rule-missing',
      'CLAUDE.md',
    );
    assert.deepEqual(after, []);
    assert.match(text, /rollback plan\.\n\n## Next\n$/);
  });

  it('a hand-applied rule without a marker counts, and a moved marker is fine', () => {
    const rule = '- Name an owner for every migration.';
    const proposal = `---\nid: P-2\nstatus: applied\ntarget: AGENTS.md\nrule: "${rule}"\n---\n`;
    assert.deepEqual(
      run(
        { '.governance/proposals/P-2.md': proposal, 'AGENTS.md': `# A\n\n## Rules\n\n${rule}\n` },
        'conventions/ratified-rule-missing',
      ),
      [],
    );
  });

  it('required-file creates the missing file, as an import of the source when there is one', () => {
    const policy = JSON.stringify({ conventions: { source: 'AGENTS.md', requiredFiles: ['CLAUDE.md'] } });
    const files = { '.governance/policy.json': policy, 'AGENTS.md': '# Project\n' };
    const { after, text } = fixOnce(files, 'conventions/required-file', 'CLAUDE.md');
    assert.equal(text, '@AGENTS.md\n');
    assert.deepEqual(after, []);
  });

  it('required-rule appends the standing rule', () => {
    const policy = JSON.stringify({
      conventions: { requiredRules: [{ id: 'r', text: 'Schema migrations include a rollback plan.' }] },
    });
    const { after } = fixOnce(
      { '.governance/policy.json': policy, 'AGENTS.md': '# Project' },
      'conventions/required-rule',
      'AGENTS.md',
    );
    assert.deepEqual(after, []);
  });

  it('mirror-drift replaces a drifted CLAUDE.md with an import of the source', () => {
    const policy = JSON.stringify({ conventions: { source: 'AGENTS.md' } });
    const files = {
      '.governance/policy.json': policy,
      'AGENTS.md': '# P\n\n## Commands\n\n- `pnpm test`\n',
      'CLAUDE.md': '# P\n\n## Commands\n\n- `npm test`\n',
    };
    const { before, after, text } = fixOnce(files, 'conventions/mirror-drift', 'CLAUDE.md');
    assert.match(before[0]!.message, /Commands \(changed\)/);
    assert.equal(text, '@AGENTS.md\n');
    assert.deepEqual(after, []);
  });
});

describe('ratified-rule markers', () => {
  it('survive CRLF line ends, a moved block and a multi-line rule', () => {
    const rule = '- Schema migrations include a rollback plan,\n  reviewed by the owning team.';
    const proposal = `---\nid: P-9\nstatus: applied\ntarget: AGENTS.md\nrule: |\n  ${rule.replace(/\n/g, '\n  ')}\n---\n`;
    const body = ['# A', '', '## Later', '', ...markerLines('P-9', rule), '', '## End', ''].join('\r\n');
    assert.deepEqual(
      run({ '.governance/proposals/P-9.md': proposal, 'AGENTS.md': body }, 'conventions/ratified-rule-missing'),
      [],
    );
    const edited = body.replace('reviewed by the owning team', 'reviewed by anyone');
    assert.deepEqual(
      run({ '.governance/proposals/P-9.md': proposal, 'AGENTS.md': edited }, 'conventions/ratified-rule-missing').map(
        (f) => f.messageId,
      ),
      ['changed'],
    );
  });

  it('a proposal that is only ratified (not applied yet) asks nothing of the file', () => {
    const proposal = '---\nid: P-10\nstatus: ratified\ntarget: CLAUDE.md\nrule: "- X."\n---\n';
    assert.deepEqual(
      run({ '.governance/proposals/P-10.md': proposal, 'CLAUDE.md': '# C\n' }, 'conventions/ratified-rule-missing'),
      [],
    );
  });
});
