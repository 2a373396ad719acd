// Bad input never crashes or hangs the permissions surface: deep nesting, huge strings, duplicate keys, malformed
// rules, control characters, 100,000 rules. Each gives a finding or a clear answer. (Speed is in the bench.)

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { check, type Finding } from '../../server/src/engine/index';
import { claudeEffective, explain } from '../../server/src/engine/permissions/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

function run(files: Record<string, string>): {
  findings: Finding[];
  explain: (c: string) => ReturnType<typeof explain>;
} {
  const ws = tempWorkspace(files);
  try {
    const snapshot = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
    const policy = loadPolicy(snapshot);
    const cache = new AnalysisCache();
    const findings = check(snapshot, policy, cache);
    const e = claudeEffective(snapshot, cache, policy);
    return { findings, explain: (c) => explain(e, c) };
  } finally {
    ws.cleanup();
  }
}
const ids = (f: Finding[]) => f.map((x) => `${x.ruleId}:${x.messageId}`);
// Only this surface's rules are held to it here (other surfaces read settings files too and have their own tests).
const MINE = /Rule (settings|permissions|gemini)\//;
const noInternal = (f: Finding[]) => {
  const bad = f.filter((x) => x.ruleId === 'workspace/internal-error' && MINE.test(x.message));
  assert.deepEqual(bad, []);
};

describe('permissions bad input', () => {
  it('settings of the wrong shape where a fix would edit them: no crash, and no fix that half applies', () => {
    const shapes = [
      '{"permissions": "x"}',
      '{"permissions": {"deny": "Bash(curl *)"}}',
      '{"permissions": ["x"]}',
      '["x"]',
      'null',
      '{"env": "x", "permissions": {"defaultMode": 3}}',
      '{"security": "x"}',
    ];
    for (const shape of shapes) {
      const r = run({
        '.governance/policy.json': JSON.stringify({
          extends: 'flywheel:baseline',
          permissions: {
            managedSource: '.governance/managed.json',
            hardDeny: ['Bash(curl *)'],
            requireDisableBypass: true,
            forbidAllow: ['Bash(*)'],
          },
        }),
        '.governance/managed.json': shape,
        '.claude/settings.json': JSON.stringify({
          permissions: { deny: ['Bash(curl *)'], allow: ['Bash(*)'], defaultMode: 'bypassPermissions' },
          forceLoginMethod: 'claudeai',
        }),
        '.gemini/settings.json': shape,
      });
      assert.deepEqual(
        r.findings.filter((f) => f.ruleId === 'workspace/internal-error').map((f) => f.message.slice(0, 120)),
        [],
        shape,
      );
      for (const f of r.findings) {
        for (const fix of f.fixes ?? [])
          assert.ok(fix.edits.length > 0, `${shape}: ${f.ruleId} offers "${fix.title}" with no edit`);
        const move = f.fixes?.find((x) => /^Move /.test(x.title));
        if (move)
          assert.ok(new Set(move.edits.map((e) => e.file)).size === 2, `${shape}: "${move.title}" edits both files`);
      }
    }
  });

  it('10,000 levels of nesting: a syntax finding, no stack overflow', () => {
    for (const text of [
      '['.repeat(10000) + ']'.repeat(10000),
      '{"permissions":' + '{"a":'.repeat(10000) + '1' + '}'.repeat(10001),
    ]) {
      const r = run({ '.claude/settings.json': text, '.gemini/settings.json': text });
      noInternal(r.findings);
      assert.ok(
        r.findings.some((f) => f.ruleId === 'settings/invalid' && /deeper than/.test(f.message)),
        ids(r.findings).join(),
      );
      assert.equal(r.explain('Bash(npm test)').decision, 'prompt');
    }
  });
  it('a 1 MB string in a rule and in a tool call', () => {
    const big = 'a'.repeat(1 << 20);
    const r = run({
      '.claude/settings.json': JSON.stringify({
        permissions: { deny: [`Bash(${big} *)`, 'Bash(rm *)'], allow: [`Read(${big})`] },
        model: big,
      }),
    });
    noInternal(r.findings);
    assert.equal(r.explain(`Bash(${big} x)`).decision, 'deny');
    assert.equal(r.explain(`Bash(echo ${big})`).decision, 'prompt');
    assert.equal(r.explain('Bash(rm x)').decision, 'deny');
  });
  it('duplicate keys: a warning, the last one counts (as in Claude Code)', () => {
    const r = run({
      '.claude/settings.json': '{"permissions":{"deny":["Bash(curl *)"]},"permissions":{"deny":["Bash(wget *)"]}}',
    });
    assert.ok(r.findings.some((f) => f.ruleId === 'settings/invalid' && f.messageId === 'duplicateKey'));
    assert.equal(r.explain('Bash(curl x)').decision, 'prompt');
    assert.equal(r.explain('Bash(wget x)').decision, 'deny');
  });
  it('unbalanced parentheses, newline and NUL inside rules', () => {
    const r = run({
      '.claude/settings.json': JSON.stringify({
        permissions: {
          deny: ['Bash(git push', 'Bash((x)', 'Read(a))', 'Bash(a\nb)', 'Bash(rm\u0000 *)', ')(', '', 'Bash(rm *)'],
        },
      }),
    });
    noInternal(r.findings);
    const bad = r.findings.filter((f) => f.ruleId === 'permissions/invalid-rule');
    assert.equal(bad.length, 7, ids(bad).join());
    assert.equal(r.explain('Bash(rm x)').decision, 'deny');
    assert.equal(r.explain('Bash(git push origin)').decision, 'prompt');
    assert.equal(r.explain('Bash(a\nb)').decision, 'prompt');
  });
  it('hostile glob patterns do not backtrack', () => {
    const r = run({
      '.claude/settings.json': JSON.stringify({
        permissions: { deny: [`Bash(${'*a'.repeat(200)}b)`, `Read(${'**/'.repeat(50)}x)`] },
      }),
    });
    noInternal(r.findings);
    assert.equal(r.explain(`Bash(${'a'.repeat(5000)})`).decision, 'prompt');
    assert.equal(r.explain(`Read(${'d/'.repeat(500)}y)`).decision, 'allow');
  });
  it('100,000 rules in one file: checked, explained', () => {
    const deny: string[] = [];
    const allow: string[] = [];
    for (let i = 0; i < 50000; i++) {
      deny.push(`Bash(tool${i} delete *)`);
      allow.push(`Bash(tool${i} *)`);
    }
    const r = run({ '.claude/settings.json': JSON.stringify({ permissions: { deny, allow } }, null, 1) });
    noInternal(r.findings);
    assert.equal(r.explain('Bash(tool49999 delete x)').decision, 'deny');
    assert.equal(r.explain('Bash(tool49999 list)').decision, 'allow');
    assert.ok(r.findings.filter((f) => f.ruleId === 'permissions/coverage-gap').length >= 50000);
  });
  it('binary and non-object settings files', () => {
    const r = run({
      '.claude/settings.json': '[1,2]',
      '.claude/settings.local.json': '"x"',
      '.gemini/settings.json': 'null',
    });
    noInternal(r.findings);
    assert.ok(r.findings.filter((f) => f.ruleId === 'settings/invalid').length >= 2);
  });
});
void path;
