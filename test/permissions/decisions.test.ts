// The permission decision table (test/permissions/decisions.json): every decision through our engine. The same
// table runs through the real Claude Code with `npm run test:oracle` (test/oracle/run-oracle.ts).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { claudeEffective, explain, parseToolCall } from '../../server/src/engine/permissions/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from '../helpers';

interface Decision {
  call: string;
  expect: string;
  rule?: string;
  scope?: string;
  cite: string;
}
interface Stack {
  id: string;
  project?: unknown;
  local?: unknown;
  user?: unknown;
  managed?: unknown;
  managedDropins?: Record<string, unknown>;
  decisions: Decision[];
}

const table = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'permissions', 'decisions.json'), 'utf8')) as {
  stacks: Stack[];
};
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) + '\n');

/** A workspace (project/), a home (home/) and a managed folder (etc/) holding a stack's files. */
export function stackWorkspace(s: Stack) {
  const files: Record<string, string> = { 'project/README.md': 'alpha\n', 'home/.keep': '' };
  if (s.project !== undefined) files['project/.claude/settings.json'] = text(s.project);
  if (s.local !== undefined) files['project/.claude/settings.local.json'] = text(s.local);
  if (s.user !== undefined) files['home/.claude/settings.json'] = text(s.user);
  if (s.managed !== undefined) files['etc/managed-settings.json'] = text(s.managed);
  for (const [n, v] of Object.entries(s.managedDropins ?? {})) files[`etc/managed-settings.d/${n}`] = text(v);
  const ws = tempWorkspace(files);
  const snapshot = openWorkspace(path.join(ws.dir, 'project'), {
    git: false,
    managedSettingsPath: path.join(ws.dir, 'etc', 'managed-settings.json'),
    userSettingsPath: s.user !== undefined ? path.join(ws.dir, 'home', '.claude', 'settings.json') : null,
  });
  const policy = loadPolicy(snapshot);
  const cache = new AnalysisCache();
  const e = claudeEffective(snapshot, cache, policy, { home: path.join(ws.dir, 'home') });
  /** The partial set `flywheel permissions explain` builds: only the rules that can decide this tool's calls. */
  const only = (tool: string) =>
    claudeEffective(snapshot, cache, policy, { home: path.join(ws.dir, 'home'), onlyFor: tool });
  return { ws, snapshot, e, only };
}

describe('permission decision table', () => {
  const total = table.stacks.reduce((n, s) => n + s.decisions.length, 0);
  it(`holds at least 250 decisions over 50 stacks, each citing the reference (${total})`, () => {
    assert.ok(total >= 250);
    assert.ok(table.stacks.length >= 50);
    for (const s of table.stacks)
      for (const d of s.decisions) assert.match(d.cite, /^(ref|oracle|permission-modes):/, `${s.id}: ${d.call}`);
  });
  for (const s of table.stacks) {
    it(`stack ${s.id}`, () => {
      const { ws, e, only } = stackWorkspace(s);
      try {
        const wrong: string[] = [];
        for (const d of s.decisions) {
          const x = explain(e, d.call);
          const got = { decision: x.decision, rule: x.rule?.text, scope: x.rule?.scope };
          const want = { decision: d.expect, rule: d.rule, scope: d.scope };
          if (JSON.stringify(got) !== JSON.stringify(want))
            wrong.push(
              `${d.call}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)} (${x.reason}) [${d.cite}]`,
            );
          const tool = parseToolCall(d.call).tool;
          const y = explain(only(tool), d.call);
          const partial = {
            decision: y.decision,
            rule: y.rule?.text,
            scope: y.rule?.scope,
            beaten: y.beaten.map((b) => b.text),
          };
          const full = { ...got, beaten: x.beaten.map((b) => b.text) };
          if (JSON.stringify(partial) !== JSON.stringify(full))
            wrong.push(
              `${d.call}: the partial set for ${tool} answers ${JSON.stringify(partial)}, the full set ${JSON.stringify(full)}`,
            );
        }
        assert.deepEqual(wrong, []);
      } finally {
        ws.cleanup();
      }
    });
  }
});
