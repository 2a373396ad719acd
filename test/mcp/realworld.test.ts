// Every real MCP config in ../shared/realworld/settings (.mcp.json, .vscode/mcp.json, a plugin's .mcp.json, Gemini
// settings with mcpServers) is checked without a crash, each placed where it lives, under the embedded baseline
// policy and again against an empty org registry. Every finding of the mcp surface is listed below with the reason
// we would give its author; a new finding fails the test until it is reviewed and added here.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const DIR = path.resolve(REPO_ROOT, '..', 'shared', 'realworld', 'settings');

// file → the mcp findings (rule:messageId ×count) under the baseline policy, each with its defence.
const EXPECTED: Record<string, string[]> = {
  // A hard-coded Basic credential (base64 of test@liferay.com:test) in a committed header.
  '4lejandrito__liferay-devcon-2025-mcp__.vscode__mcp.json': ['mcp/inline-credential:literal'],
  // The same hard-coded Basic credential, in the Gemini CLI settings.
  '4lejandrito__liferay-devcon-2025-mcp__.gemini__settings.json': ['mcp/inline-credential:literal'],
  // VS Code reads "servers"; under "mcpServers" these two servers are never started by VS Code.
  'marigold-ui__marigold__.vscode__mcp.json': ['mcp/invalid-config:invalid'],
  // "React Aria" has a space: Claude Code server names are letters, digits, - and _ only.
  'marigold-ui__marigold__.mcp.json': ['mcp/invalid-config:invalid'],
};

function place(name: string): string | undefined {
  const rest = name.split('__').slice(2).join('/');
  if (rest.endsWith('.mcp.json') || rest === '.vscode/mcp.json' || rest === '.gemini/settings.json') return rest;
  return undefined;
}

function tally(items: string[]): string[] {
  const n = new Map<string, number>();
  for (const i of items) n.set(i, (n.get(i) ?? 0) + 1);
  return [...n].map(([k, c]) => (c > 1 ? `${k}×${c}` : k)).sort();
}

const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => place(f)) : [];

describe('real-world MCP configs', () => {
  if (!fs.existsSync(DIR)) {
    it('skipped: ../shared/realworld/settings is not present', { skip: `no ${DIR}` }, () => {});
    return;
  }
  it('finds the MCP configs', () => assert.ok(files.length >= 15, `only ${files.length} MCP configs`));
  for (const name of files) {
    it(`checks ${name}`, () => {
      const rel = place(name)!;
      const text = fs.readFileSync(path.join(DIR, name), 'utf8');
      for (const registry of [false, true]) {
        const ws: Record<string, string> = { [rel]: text };
        if (registry) {
          ws['.governance/policy.json'] = JSON.stringify({
            extends: 'flywheel:baseline',
            mcp: { registry: '.governance/mcp-registry.json' },
          });
          ws['.governance/mcp-registry.json'] = JSON.stringify({ servers: [] });
        }
        const { dir, cleanup } = tempWorkspace(ws);
        try {
          const snapshot = openWorkspace(dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
          const findings = check(snapshot, loadPolicy(snapshot), new AnalysisCache()).filter(
            (f) => f.surface === 'mcp',
          );
          if (!registry) {
            assert.deepEqual(
              tally(findings.map((f) => `${f.ruleId}:${f.messageId}`)),
              tally(EXPECTED[name] ?? []),
              JSON.stringify(
                findings.map((f) => f.message),
                null,
                2,
              ),
            );
          } else {
            // Against an empty registry, every server that starts is unregistered; nothing crashes.
            assert.ok(findings.every((f) => f.message.length > 0));
          }
        } finally {
          cleanup();
        }
      }
    });
  }
});
