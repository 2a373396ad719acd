// The permissions engine: strict JSON with positions, command splitting, rule parsing, shadowing, the move fix,
// the editor query, memoisation, Gemini layers.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { check } from '../../server/src/engine/index';
import { splitCommand } from '../../server/src/engine/permissions/bash';
import { claudeEffective, explain, explainGemini, loadGeminiStack } from '../../server/src/engine/permissions/index';
import { parseJson } from '../../server/src/engine/permissions/json';
import { ruleStatusAt, TOOL_NAMES } from '../../server/src/engine/permissions/query';
import { parseRule } from '../../server/src/engine/permissions/rules';
import { loadPolicy } from '../../server/src/engine/policy/load';
import type { FileEdit } from '../../server/src/engine/types';
import { openWorkspace } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

function open(files: Record<string, string>, opts: { managed?: string } = {}) {
  const ws = tempWorkspace(files);
  const snapshot = openWorkspace(ws.dir, {
    git: false,
    managedSettingsPath: opts.managed ? path.join(ws.dir, opts.managed) : null,
  });
  const policy = loadPolicy(snapshot);
  return { ws, snapshot, policy, cache: new AnalysisCache() };
}

/** Apply edits (from the end backwards) to a text. */
export function applyEdits(text: string, edits: FileEdit[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

describe('strict JSON', () => {
  it('reports a comment and a trailing comma as errors the tool would hit', () => {
    const p = parseJson('{\n  // c\n  "a": [1,],\n}');
    assert.deepEqual([...new Set(p.problems.map((x) => x.code))].sort(), ['comment', 'trailing-comma']);
    assert.ok(p.problems.every((x) => x.fatal));
  });
  it('allows comments for Gemini', () => {
    assert.equal(parseJson('{ // c\n "a": 1 }', { allowComments: true }).problems.length, 0);
  });
  it('reports duplicate keys (the last wins) with the position of the second', () => {
    const p = parseJson('{"a": 1, "a": 2}');
    assert.equal(p.value?.a, 2);
    assert.equal(p.problems[0]?.code, 'duplicate-key');
    assert.equal(p.problems[0]?.range.start.character, 9);
  });
});

describe('commands', () => {
  it('splits compound commands and substitutions, strips wrappers and assignments', () => {
    const s = splitCommand(
      'FOO=1 timeout 10 git push origin main && echo "a && b" | tee x; nohup make $(git rev-parse HEAD)',
    );
    // Quotes are removed before matching, as Claude Code does.
    assert.deepEqual(
      s.parts.map((p) => p.stripped),
      ['git push origin main', 'echo a && b', 'tee x', 'git rev-parse HEAD', 'make $(git rev-parse HEAD)'],
    );
    assert.equal(s.background, false);
    assert.equal(splitCommand('make x &').background, true);
    assert.equal(splitCommand('make x 2>&1').background, false);
  });
  it('parses with tree-sitter-bash: quotes, escapes, structures, sudo for deny rules only', () => {
    assert.equal(splitCommand('npm run "deploy" prod').parts[0]!.stripped, 'npm run deploy prod');
    assert.equal(splitCommand('npm run de\\ploy prod').parts[0]!.stripped, 'npm run deploy prod');
    // Text in single quotes is literal: `echo '$(git reset --hard)'` is one echo.
    assert.deepEqual(
      splitCommand("echo '$(git reset --hard)'").parts.map((p) => p.argv[0]),
      ['echo'],
    );
    assert.deepEqual(
      splitCommand('for f in a $(ls); do rm "$f"; done').parts.map((p) => p.stripped),
      ['ls', 'rm $f'],
    );
    assert.deepEqual(
      splitCommand('if git diff --quiet; then echo ok; else git push; fi').parts.map((p) => p.stripped),
      ['git diff --quiet', 'echo ok', 'git push'],
    );
    assert.deepEqual(
      splitCommand('case $x in a) git push;; esac').parts.map((p) => p.stripped),
      ['git push'],
    );
    const sudo = splitCommand('sudo -u root git push').parts[0]!;
    assert.equal(sudo.stripped, 'git push');
    assert.equal(sudo.forAllow, 'sudo -u root git push');
    assert.deepEqual(
      splitCommand('make > out.txt 2>&1').parts[0]!.redirects.map((r) => r.op + r.target.value),
      ['>out.txt', '>&1'],
    );
  });
  it('reports what it cannot parse instead of guessing', () => {
    for (const c of ['garbage((', 'echo "unbalanced', '! { git push; }']) assert.ok(splitCommand(c).error, c);
    assert.equal(splitCommand('git status').error, undefined);
  });
  it('keeps unsafe assignments for allow rules', () => {
    const [p] = splitCommand('PATH=/tmp make x').parts;
    assert.equal(p!.stripped, 'make x');
    assert.equal(p!.forAllow, 'PATH=/tmp make x');
  });
});

describe('rule parsing', () => {
  const codes = (r: string, list: 'allow' | 'deny' = 'deny') => parseRule(r, list).problems.map((p) => p.code);
  it('flags what Claude Code skips or never matches', () => {
    assert.deepEqual(codes('Bash(git push'), ['malformed']);
    assert.ok(parseRule('Bash(git push', 'deny').skipped);
    assert.deepEqual(codes('Write(./dist/**)'), ['path-never-consulted']);
    assert.deepEqual(codes('Read(/home/me/.ssh/**)'), ['settings-relative']);
    assert.deepEqual(codes('Read(/src/**)'), []);
    assert.deepEqual(codes('Bash(git push:* --force)'), ['legacy-colon']);
    assert.deepEqual(codes('Bash(a\nb)'), ['line-break']);
    assert.deepEqual(codes('Bash(rm\u0000 x)'), ['control-char']);
    assert.deepEqual(codes('mcp__*', 'allow'), ['allow-glob']);
    assert.deepEqual(codes('mcp__*', 'deny'), []);
    assert.deepEqual(codes('Frobnicate(x)'), ['unknown-tool']);
    assert.equal(parseRule('Task(Explore)', 'allow').tool, 'Agent');
  });
});

describe('effective permission set', () => {
  it('marks a shadowed allow as overridden by the deny that wins, across scopes', () => {
    const { ws, snapshot, policy, cache } = open({
      '.claude/settings.json': JSON.stringify({ permissions: { deny: ['Bash(git *)'] } }),
      '.claude/settings.local.json': JSON.stringify({
        permissions: { allow: ['Bash(git push *)', 'Bash(npm run *)'] },
      }),
    });
    try {
      const e = claudeEffective(snapshot, cache, policy);
      const push = e.rules.find((r) => r.text === 'Bash(git push *)')!;
      assert.equal(push.status, 'overridden');
      assert.equal(push.by?.text, 'Bash(git *)');
      assert.equal(push.by?.file.file, '.claude/settings.json');
      assert.equal(e.rules.find((r) => r.text === 'Bash(npm run *)')!.status, 'live');
      const x = explain(e, 'Bash(git push origin main)');
      assert.equal(x.decision, 'deny');
      assert.deepEqual(
        x.beaten.map((b) => b.text),
        ['Bash(git push *)'],
      );
      // Memoised: same object until a settings file or the policy changes.
      assert.equal(claudeEffective(snapshot, cache, policy), e);
      assert.notEqual(claudeEffective(snapshot, cache, { ...policy, version: 'other' }), e);
    } finally {
      ws.cleanup();
    }
  });
  it('dead-rule names the winning rule and its file, also in related', () => {
    const { ws, snapshot, policy } = open({
      '.claude/settings.json': JSON.stringify(
        { permissions: { deny: ['Bash(rm *)'], allow: ['Bash(rm -rf build)'] } },
        null,
        2,
      ),
    });
    try {
      const f = check(snapshot, policy).filter((x) => x.ruleId === 'permissions/dead-rule');
      assert.equal(f.length, 1);
      assert.match(f[0]!.message, /Bash\(rm \*\).*\.claude\/settings\.json/);
      assert.equal(f[0]!.related?.[0]?.file, '.claude/settings.json');
      assert.equal(f[0]!.related?.[0]?.range.start.line, 3);
    } finally {
      ws.cleanup();
    }
  });
});

describe('move a hard block into the Managed source', () => {
  const project =
    '{\n  "permissions": {\n    "deny": [\n      "Bash(git push *)",\n      "Bash(rm -rf *)"\n    ]\n  }\n}\n';
  it('removes it from the project file and creates the Managed source', () => {
    const { ws, snapshot, policy } = open({ '.claude/settings.json': project });
    try {
      const f = check(snapshot, policy).find((x) => x.ruleId === 'permissions/hard-block-not-managed')!;
      assert.ok(f, 'finding');
      const fix = f.fixes![0]!;
      assert.match(fix.title, /Move Bash\(git push \*\) into the Managed source/);
      const proj = applyEdits(
        project,
        fix.edits.filter((e) => e.file === '.claude/settings.json'),
      );
      assert.deepEqual(JSON.parse(proj).permissions.deny, ['Bash(rm -rf *)']);
      assert.match(proj, /\n {6}"Bash\(rm -rf \*\)"\n/, 'formatting kept');
      const created = fix.edits.find((e) => e.file === '.governance/managed/claude-managed-settings.json')!;
      assert.equal(created.create, true);
      assert.deepEqual(JSON.parse(created.newText).permissions.deny, ['Bash(git push *)']);
    } finally {
      ws.cleanup();
    }
  });
  it('appends to an existing Managed source, keeping its formatting', () => {
    const source = '{\n    "permissions": {\n        "deny": ["Read(~/.ssh/**)"]\n    }\n}\n';
    const { ws, snapshot, policy } = open({
      '.claude/settings.json': project,
      '.governance/managed/claude-managed-settings.json': source,
    });
    try {
      const f = check(snapshot, policy).find((x) => x.ruleId === 'permissions/hard-block-not-managed')!;
      const edit = f.fixes![0]!.edits.filter((e) => e.file.startsWith('.governance/'));
      const after = applyEdits(source, edit);
      assert.deepEqual(JSON.parse(after).permissions.deny, ['Read(~/.ssh/**)', 'Bash(git push *)']);
      assert.match(after, /^\{\n {4}"permissions"/);
      // hard-block-missing offers the missing hard blocks for the source too.
      const missing = check(snapshot, policy)
        .filter((x) => x.ruleId === 'permissions/hard-block-missing')
        .map((x) => x.message.match(/Hard block (.+?) is required/)?.[1]);
      assert.deepEqual(missing.sort(), ['Bash(git push *)', 'Edit(./.env*)', 'Read(~/.aws/**)']);
    } finally {
      ws.cleanup();
    }
  });
});

describe('editor query', () => {
  it('ruleStatusAt answers for the rule string under the cursor', () => {
    const text = JSON.stringify({ permissions: { deny: ['Bash(git *)'], allow: ['Bash(git push *)'] } }, null, 2);
    const { ws, snapshot, policy, cache } = open({ '.claude/settings.json': text });
    try {
      const at = text.indexOf('Bash(git push') + 3;
      const s = ruleStatusAt(snapshot, cache, policy, '.claude/settings.json', at)!;
      assert.equal(s.status, 'overridden');
      assert.equal(s.list, 'allow');
      assert.deepEqual(s.by, { rule: 'Bash(git *)', file: '.claude/settings.json', line: 4, scope: 'project' });
      assert.equal(ruleStatusAt(snapshot, cache, policy, '.claude/settings.json', 0), undefined);
      assert.equal(
        ruleStatusAt(snapshot, cache, policy, '.claude/settings.json', text.indexOf('Bash(git *)') + 1)?.status,
        'live',
      );
    } finally {
      ws.cleanup();
    }
  });
  it('TOOL_NAMES lists the tool names with an example each', () => {
    for (const n of ['Bash', 'Read', 'Edit', 'WebFetch', 'mcp__'])
      assert.ok(TOOL_NAMES.some((t) => t.name === n && t.example && t.description));
  });
});

describe('Gemini CLI layers', () => {
  it('merges with the CLI strategies and explains a call', () => {
    const { ws, snapshot } = open({
      '.gemini/settings.json':
        '{ // workspace\n "tools": { "core": ["read_file", "run_shell_command(git)"], "exclude": ["web_fetch"], "allowed": ["run_shell_command(git status)"] },\n "mcpServers": { "a": { "command": "x" } } }',
      'sys.json': JSON.stringify({
        tools: { exclude: ['write_file'], core: ['read_file', 'run_shell_command(git)', 'write_file'] },
        mcpServers: { a: { url: 'https://a' } },
      }),
      'user.json': JSON.stringify({ tools: { exclude: ['glob'] }, mcpServers: { b: { command: 'y' } } }),
    });
    try {
      const g = loadGeminiStack(snapshot, {
        system: path.join(ws.dir, 'sys.json'),
        user: path.join(ws.dir, 'user.json'),
      });
      const tools = g.merged.tools as Record<string, string[]>;
      assert.deepEqual(tools.exclude!.sort(), ['glob', 'web_fetch', 'write_file'], 'UNION');
      assert.deepEqual(
        tools.core,
        ['read_file', 'run_shell_command(git)', 'write_file'],
        'arrays replace: system wins',
      );
      assert.deepEqual(
        JSON.parse(JSON.stringify(g.merged.mcpServers)),
        { a: { url: 'https://a' }, b: { command: 'y' } },
        'shallow merge: whole entry replaced',
      );
      assert.equal(explainGemini(g, 'write_file(a.txt)').decision, 'deny');
      assert.equal(explainGemini(g, 'run_shell_command(git status)').decision, 'allow');
      assert.equal(explainGemini(g, 'run_shell_command(git push)').decision, 'prompt');
      assert.equal(explainGemini(g, 'run_shell_command(rm -rf x)').decision, 'deny');
    } finally {
      ws.cleanup();
    }
  });
});

describe('fixes keep formatting', () => {
  it('managed-only-key moves the key into the Managed source', () => {
    const text = '{\n  "allowManagedHooksOnly": true,\n  "permissions": { "allow": ["Bash(make *)"] }\n}\n';
    const { ws, snapshot, policy } = open({ '.claude/settings.json': text });
    try {
      const f = check(snapshot, policy).find((x) => x.ruleId === 'settings/managed-only-key')!;
      const move = f.fixes![0]!;
      assert.match(move.title, /Move "allowManagedHooksOnly" to the Managed source/);
      const after = applyEdits(
        text,
        move.edits.filter((e) => e.file === '.claude/settings.json'),
      );
      assert.deepEqual(JSON.parse(after), { permissions: { allow: ['Bash(make *)'] } });
      const created = move.edits.find((e) => e.create)!;
      assert.deepEqual(JSON.parse(created.newText), { allowManagedHooksOnly: true });
    } finally {
      ws.cleanup();
    }
  });
  it('bypass-mode adds disableBypassPermissionsMode to the Managed source', () => {
    const source = '{\n  "permissions": {\n    "deny": ["Bash(git push *)"]\n  }\n}\n';
    const { ws, snapshot, policy } = open({ '.governance/managed/claude-managed-settings.json': source });
    try {
      const f = check(snapshot, policy).find(
        (x) => x.ruleId === 'permissions/bypass-mode' && x.messageId === 'notDisabled',
      )!;
      const after = applyEdits(source, f.fixes![0]!.edits);
      assert.equal(JSON.parse(after).permissions.disableBypassPermissionsMode, 'disable');
      assert.match(after, /\n {4}"deny": \["Bash\(git push \*\)"\],\n {4}"disableBypassPermissionsMode": "disable"\n/);
    } finally {
      ws.cleanup();
    }
  });
});

describe('Bash calls the parser cannot read, and built-in allowances', () => {
  it('never answers allow for a line that does not parse, even under Bash(*); a deny that matches it still denies', () => {
    const { ws, snapshot, policy, cache } = open({
      '.claude/settings.json': JSON.stringify({ permissions: { allow: ['Bash(*)'], deny: ['Bash(git push:*)'] } }),
    });
    try {
      const e = claudeEffective(snapshot, cache, policy);
      for (const c of [
        'Bash(garbage(()',
        'Bash(echo "unbalanced)',
        'Bash(! { ls; })',
        `Bash(echo ${'x '.repeat(60000)})`,
      ]) {
        const x = explain(e, c);
        assert.equal(x.decision, 'prompt', c.slice(0, 40));
        assert.match(x.reason, /cannot be parsed/);
      }
      assert.equal(explain(e, 'Bash(git push "unbalanced)').decision, 'deny');
    } finally {
      ws.cleanup();
    }
  });
  it('pre-approved WebFetch hosts and read-only commands are allowed with no rule, and say so', () => {
    const { ws, snapshot, policy, cache } = open({ 'README.md': 'alpha\n' });
    try {
      const e = claudeEffective(snapshot, cache, policy);
      const fetch = explain(e, 'WebFetch(https://docs.python.org/3/)');
      assert.equal(fetch.decision, 'allow');
      assert.equal(fetch.rule, undefined);
      assert.match(fetch.reason, /2\.1\.330/);
      assert.equal(explain(e, 'WebFetch(https://github.com/anthropics/x)').decision, 'allow');
      assert.equal(explain(e, 'WebFetch(https://github.com/other/x)').decision, 'prompt');
      assert.equal(explain(e, 'Bash(cat README.md)').decision, 'allow');
      assert.equal(explain(e, 'Bash(cat /etc/hostname)').decision, 'prompt');
      assert.equal(explain(e, 'Bash(ls > out.txt)').decision, 'prompt');
      assert.equal(explain(e, 'Bash(find . -delete)').decision, 'prompt');
      assert.equal(explain(e, 'Bash(ls &)').decision, 'prompt');
    } finally {
      ws.cleanup();
    }
  });
});
