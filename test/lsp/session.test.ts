// The server's workspace session: which rules re-run after which change, what is kept, and the overlay of open
// buffers over the disk. Synthetic rules count their runs, so the tests see the incremental re-check directly.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Rule } from '../../server/src/engine/rule';
import { WorkspaceSession } from '../../server/src/node/session';
import { tempWorkspace } from '../helpers';

/** A rule that reports one finding per file of the given kinds' files (or per listed file), and counts its runs. */
function counting(
  id: string,
  dependsOn: Rule['meta']['dependsOn'],
  files: (s: Parameters<Rule['check']>[0]) => string[],
) {
  const state = { runs: 0 };
  const rule: Rule = {
    meta: {
      id,
      surface: 'workspace',
      defaultSeverity: 'warning',
      description: id,
      fixable: false,
      messages: { m: '{text}' },
      ...(dependsOn ? { dependsOn } : {}),
    },
    check(ctx) {
      state.runs++;
      for (const f of files(ctx)) {
        const r = ctx.snapshot.read(f);
        ctx.report({
          messageId: 'm',
          data: { text: r.ok ? r.text.split('\n')[0]! : r.reason },
          file: f,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        });
      }
    },
  };
  return { rule, state };
}

const owners = counting('test/owners', ['codeowners', 'files'], (ctx) =>
  ctx.snapshot.byKind('codeowners').length ? ['.github/CODEOWNERS'] : [],
);
const claude = counting('test/claude', ['claude-md'], (ctx) => ctx.snapshot.byKind('claude-md').map((g) => g.path));
const policyOnly = counting('test/policy', [], () => []);
const everything = counting('test/any', undefined, () => []);
const RULES = [owners.rule, claude.rule, policyOnly.rule, everything.rule];
const runs = () => [owners.state.runs, claude.state.runs, policyOnly.state.runs, everything.state.runs];

describe('WorkspaceSession', () => {
  const ws = tempWorkspace({
    '.github/CODEOWNERS': '* @acme/web\n',
    'CLAUDE.md': '# Hello\n',
    'src/a.ts': 'export {};\n',
    '.governance/policy.json': '{ "rules": {} }\n',
  });
  after(() => ws.cleanup());
  const s = new WorkspaceSession(ws.dir, { git: false, managedSettingsPath: null, rules: RULES });
  const abs = (rel: string) => path.join(ws.dir, rel);

  test('the first run checks every rule; a run with no change checks none', async () => {
    const out = await s.run();
    assert.deepEqual(runs(), [1, 1, 1, 1]);
    assert.deepEqual([...out.changedFiles].sort(), ['.github/CODEOWNERS', 'CLAUDE.md']);
    const again = await s.run();
    assert.deepEqual(again.ran, []);
    assert.deepEqual(runs(), [1, 1, 1, 1]);
  });

  test('a buffer edit of CLAUDE.md re-checks the rules that read CLAUDE.md, keeps the others', async () => {
    s.open('CLAUDE.md', '# Hello\n', 1); // same as the disk: nothing to re-check
    assert.equal(s.isDirty, false);
    s.change('CLAUDE.md', '# Edited\n', 2);
    const out = await s.run();
    assert.deepEqual(runs(), [1, 2, 1, 2]);
    assert.deepEqual([...out.changedFiles], ['CLAUDE.md']);
    assert.equal(s.findingsOf('CLAUDE.md')[0]!.message, '# Edited');
    assert.equal(s.findingsOf('.github/CODEOWNERS').length, 1, 'kept');
  });

  test('closing a buffer brings the disk back', async () => {
    s.close('CLAUDE.md');
    await s.run();
    assert.equal(s.findingsOf('CLAUDE.md')[0]!.message, '# Hello');
  });

  test('a created file re-lists the workspace and re-checks the rules that depend on the file list', async () => {
    fs.writeFileSync(abs('src/b.ts'), 'export {};\n');
    s.filesChanged([{ path: abs('src/b.ts'), type: 'created' }]);
    const before = runs();
    await s.run();
    assert.deepEqual(runs(), [before[0]! + 1, before[1], before[2], before[3]! + 1]);
    assert.ok(s.snapshot().fileSet.has('src/b.ts'));
  });

  test('a deleted CODEOWNERS clears its findings', async () => {
    fs.rmSync(abs('.github/CODEOWNERS'));
    s.filesChanged([{ path: abs('.github/CODEOWNERS'), type: 'deleted' }]);
    const out = await s.run();
    assert.ok(out.changedFiles.has('.github/CODEOWNERS'));
    assert.deepEqual(s.findingsOf('.github/CODEOWNERS'), []);
  });

  test('an unsaved edit of the policy re-checks every rule', async () => {
    // A rule id the registry knows: the policy schema rejects any other.
    const before = runs();
    s.open('.governance/policy.json', '{ "rules": { "owners/no-match": "error" } }\n', 1);
    await s.run();
    assert.deepEqual(
      runs(),
      before.map((n) => n + 1),
    );
    assert.equal(s.currentPolicy().rules['owners/no-match'], 'error');
    s.close('.governance/policy.json');
    await s.run();
    assert.equal(s.currentPolicy().rules['owners/no-match'], undefined);
  });

  test('a buffer of a file not on disk (not saved yet) re-checks the rules that depend on which files exist', async () => {
    await s.run();
    const before = runs();
    s.open('services/new/AGENTS.md', '# New\n', 1);
    await s.run();
    assert.equal(owners.state.runs, before[0]! + 1, 'the file list rule re-ran: the file exists for the rules now');
    s.close('services/new/AGENTS.md');
    await s.run();
    assert.equal(owners.state.runs, before[0]! + 2, 'and again when it is gone');
  });

  test('a change of a file no rule names re-checks only the rules without dependsOn', async () => {
    const before = runs();
    s.open('src/a.ts', 'export const a = 1;\n', 1);
    await s.run();
    assert.deepEqual(runs(), [before[0], before[1], before[2], before[3]! + 1]);
    s.close('src/a.ts');
    await s.run();
  });

  test('a cancelled run keeps nothing and leaves its changes for the next run', async () => {
    s.open('CLAUDE.md', '# One\n', 1);
    const cancelled = await s.run({ isCancelled: () => true });
    assert.equal(cancelled.cancelled, true);
    assert.equal(s.isDirty, true);
    assert.equal(s.findingsOf('CLAUDE.md')[0]!.message, '# Hello');
    await s.run();
    assert.equal(s.findingsOf('CLAUDE.md')[0]!.message, '# One');
    s.close('CLAUDE.md');
    await s.run();
  });

  test('a full run is never cancelled (it would start over on every keystroke)', async () => {
    const fresh = new WorkspaceSession(ws.dir, { git: false, managedSettingsPath: null, rules: RULES });
    const out = await fresh.run({ isCancelled: () => true });
    assert.equal(out.cancelled, false);
    assert.equal(fresh.isDirty, false);
  });

  test('a git-ignored governance file is checked while it is open', async () => {
    fs.writeFileSync(abs('.gitignore'), 'CLAUDE.local.md\nnotes/\n');
    fs.mkdirSync(abs('notes'));
    fs.writeFileSync(abs('notes/CLAUDE.md'), '# Notes\n');
    s.filesChanged([{ path: abs('.gitignore'), type: 'created' }]);
    await s.run();
    assert.deepEqual(s.findingsOf('notes/CLAUDE.md'), []);
    s.open('notes/CLAUDE.md', '# Notes, edited\n', 1);
    await s.run();
    assert.equal(s.findingsOf('notes/CLAUDE.md')[0]?.message, '# Notes, edited');
    s.close('notes/CLAUDE.md');
    await s.run();
    assert.deepEqual(s.findingsOf('notes/CLAUDE.md'), []);
  });

  test('a rule named by a changed suppression comment re-runs, even when it does not read that file', async () => {
    const before = runs();
    s.open('CLAUDE.md', '# Hello\n<!-- flywheel-disable-next-line test/owners -- reason -->\n', 1);
    await s.run();
    const after1 = runs();
    assert.equal(after1[0], before[0]! + 1, 'test/owners re-ran');
    s.close('CLAUDE.md');
    await s.run();
  });

  test('a huge buffer is reported as too large instead of being read', async () => {
    const small = new WorkspaceSession(ws.dir, {
      git: false,
      managedSettingsPath: null,
      rules: RULES,
      maxFileBytes: 64,
    });
    small.open('CLAUDE.md', '#'.repeat(100), 1);
    await small.run();
    assert.equal(small.findingsOf('CLAUDE.md')[0]!.message, 'too-large');
  });
});

describe('WorkspaceSession snapshot', () => {
  test('lists the managed-settings.d drop-ins next to the machine managed file (as the CLI does)', async () => {
    const { dropInNames } = await import('../../server/src/engine/permissions/settings');
    const machine = tempWorkspace({
      'etc/managed-settings.json': '{}',
      'etc/managed-settings.d/10-security.json': '{ "permissions": { "deny": ["Bash(curl *)"] } }',
      'etc/managed-settings.d/.hidden.json': '{}',
    });
    const ws = tempWorkspace({ 'CLAUDE.md': '# x\n' });
    try {
      const managed = path.join(machine.dir, 'etc/managed-settings.json');
      const s = new WorkspaceSession(ws.dir, { git: false, managedSettingsPath: managed });
      assert.deepEqual(
        dropInNames(s.snapshot(), managed).map((p) => path.basename(p)),
        ['10-security.json'],
      );
    } finally {
      ws.cleanup();
      machine.cleanup();
    }
  });
});

describe('WorkspaceSession policy', () => {
  test('is loaded again only when a file it was made from changes (team file, floor outside the root)', async () => {
    const org = tempWorkspace({ 'floor.json': '{ "rules": { "owners/no-match": "warning" } }\n' });
    const ws = tempWorkspace({
      'CLAUDE.md': '# x\n',
      '.governance/policy.json': JSON.stringify({ extends: path.join(org.dir, 'floor.json') }) + '\n',
    });
    try {
      const s = new WorkspaceSession(ws.dir, { git: false, managedSettingsPath: null, rules: RULES });
      await s.run();
      const first = s.currentPolicy();
      assert.equal(first.rules['owners/no-match'], 'warning');
      s.open('CLAUDE.md', '# y\n', 1);
      await s.run();
      assert.equal(s.currentPolicy(), first, 'a keystroke elsewhere: the same policy object');
      // The floor changes on disk (outside the root): the watcher's event makes the next run read it again.
      fs.writeFileSync(path.join(org.dir, 'floor.json'), '{ "rules": { "owners/no-match": "error" } }\n');
      s.filesChanged([{ path: path.join(org.dir, 'floor.json'), type: 'changed' }]);
      await s.run();
      assert.notEqual(s.currentPolicy(), first);
      assert.equal(s.currentPolicy().rules['owners/no-match'], 'error');
      const second = s.currentPolicy();
      // An unsaved edit of the team file, and back.
      s.open(
        '.governance/policy.json',
        JSON.stringify({ extends: path.join(org.dir, 'floor.json'), rules: { 'owners/duplicate-pattern': 'error' } }) +
          '\n',
        1,
      );
      await s.run();
      assert.equal(s.currentPolicy().rules['owners/duplicate-pattern'], 'error');
      s.close('.governance/policy.json');
      await s.run();
      assert.notEqual(s.currentPolicy(), second);
      assert.equal(s.currentPolicy().rules['owners/duplicate-pattern'], undefined);
      assert.equal(s.currentPolicy().version, second.version, 'same inputs, same version');
    } finally {
      ws.cleanup();
      org.cleanup();
    }
  });
});
