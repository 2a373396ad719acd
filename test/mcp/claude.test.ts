// Whether Claude Code starts each server (server/src/engine/mcp/claude.ts): managed-mcp.json exclusivity,
// deniedMcpServers (name, command, URL), allowedMcpServers (merged, or managed-only), disabled/enabledMcpjsonServers,
// enableAllProjectMcpServers — and `${VAR}` values never judged "never".

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { allServers, claudeStatuses, urlPatternMatches } from '../../server/src/engine/mcp/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

const POLICY = JSON.stringify({ extends: 'flywheel:baseline' });

function statuses(files: Record<string, string>): Record<string, string> {
  const ws = tempWorkspace({ '.governance/policy.json': POLICY, ...files });
  try {
    const snapshot = openWorkspace(ws.dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
    const cache = new AnalysisCache();
    const policy = loadPolicy(snapshot);
    const map = claudeStatuses(snapshot, cache, policy);
    const out: Record<string, string> = {};
    for (const s of allServers(snapshot, cache)) {
      const st = map.get(s.file + '\0' + s.name);
      out[`${s.file}:${s.name}`] = st ? `${st.start}${st.enabledByName ? ' (by name)' : ''}` : '-';
    }
    return out;
  } finally {
    ws.cleanup();
  }
}

const MCP = JSON.stringify({
  mcpServers: {
    a: { command: 'npx', args: ['-y', 'pkg-a@1.0.0'] },
    b: { command: 'npx', args: ['-y', 'pkg-b'] },
    c: { type: 'http', url: 'https://mcp.acme.example/c' },
    d: { command: 'node', args: ['${HOME}/srv.js'] },
  },
});

describe('Claude Code: which servers start', () => {
  it('asks for every .mcp.json server when nothing decides', () => {
    assert.deepEqual(statuses({ '.mcp.json': MCP }), {
      '.mcp.json:a': 'asks',
      '.mcp.json:b': 'asks',
      '.mcp.json:c': 'asks',
      '.mcp.json:d': 'asks',
    });
  });

  it('disabled beats enabled and enableAll; enabled needs the exact name', () => {
    const settings = {
      disabledMcpjsonServers: ['a'],
      enabledMcpjsonServers: ['a', 'b', 'C'],
    };
    assert.deepEqual(statuses({ '.mcp.json': MCP, '.claude/settings.json': JSON.stringify(settings) }), {
      '.mcp.json:a': 'never',
      '.mcp.json:b': 'starts (by name)',
      '.mcp.json:c': 'asks',
      '.mcp.json:d': 'asks',
    });
    const all = { enableAllProjectMcpServers: true, disabledMcpjsonServers: ['d'] };
    assert.deepEqual(statuses({ '.mcp.json': MCP, '.claude/settings.local.json': JSON.stringify(all) }), {
      '.mcp.json:a': 'starts',
      '.mcp.json:b': 'starts',
      '.mcp.json:c': 'starts',
      '.mcp.json:d': 'never',
    });
  });

  it('deniedMcpServers by name, exact command and URL pattern; a ${VAR} command is not judged', () => {
    const settings = {
      enableAllProjectMcpServers: true,
      deniedMcpServers: [
        { serverName: 'a' },
        { serverCommand: ['npx', '-y', 'pkg-b'] },
        { serverUrl: 'https://*.ACME.example' },
        { serverCommand: ['node', '/home/me/srv.js'] },
      ],
    };
    assert.deepEqual(statuses({ '.mcp.json': MCP, '.claude/settings.json': JSON.stringify(settings) }), {
      '.mcp.json:a': 'never',
      '.mcp.json:b': 'never',
      '.mcp.json:c': 'never',
      '.mcp.json:d': 'starts',
    });
  });

  it('allowedMcpServers: command entries bind stdio servers, URL entries remote ones, else names', () => {
    const managed = {
      allowedMcpServers: [{ serverCommand: ['npx', '-y', 'pkg-a@1.0.0'] }, { serverName: 'b' }, { serverName: 'c' }],
    };
    assert.deepEqual(
      statuses({
        '.mcp.json': MCP,
        '.governance/managed/claude-managed-settings.json': JSON.stringify(managed),
        '.claude/settings.json': JSON.stringify({ enableAllProjectMcpServers: true }),
      }),
      {
        '.mcp.json:a': 'starts',
        '.mcp.json:b': 'never', // a stdio server must match a serverCommand entry once the list has one
        '.mcp.json:c': 'starts', // no serverUrl entry in the list: the name counts
        '.mcp.json:d': 'starts', // ${HOME} in its argv: cannot be judged against a command entry
      },
    );
  });

  it('allowManagedMcpServersOnly: project allowlist entries are ignored; [] admits nothing', () => {
    const managed = {
      allowManagedMcpServersOnly: true,
      allowedMcpServers: [{ serverUrl: 'https://mcp.acme.example/*' }],
    };
    const project = { allowedMcpServers: [{ serverName: 'a' }], enabledMcpjsonServers: ['a', 'c'] };
    assert.deepEqual(
      statuses({
        '.mcp.json': MCP,
        '.governance/managed/claude-managed-settings.json': JSON.stringify(managed),
        '.claude/settings.json': JSON.stringify(project),
      }),
      { '.mcp.json:a': 'never', '.mcp.json:b': 'never', '.mcp.json:c': 'starts (by name)', '.mcp.json:d': 'never' },
    );
    assert.deepEqual(
      statuses({ '.mcp.json': MCP, '.claude/settings.json': JSON.stringify({ allowedMcpServers: [] }) }),
      { '.mcp.json:a': 'never', '.mcp.json:b': 'never', '.mcp.json:c': 'never', '.mcp.json:d': 'never' },
    );
  });

  it('managed-mcp.json beside the Managed source is exclusive; its own servers start unless denied', () => {
    const managedMcp = JSON.stringify({ mcpServers: { org: { type: 'http', url: 'https://mcp.acme.example/org' } } });
    assert.deepEqual(
      statuses({
        '.mcp.json': MCP,
        '.governance/managed/managed-mcp.json': managedMcp,
        '.claude/settings.json': JSON.stringify({ enableAllProjectMcpServers: true }),
      }),
      {
        '.governance/managed/managed-mcp.json:org': 'starts',
        '.mcp.json:a': 'never',
        '.mcp.json:b': 'never',
        '.mcp.json:c': 'never',
        '.mcp.json:d': 'never',
      },
    );
  });

  it('nested .mcp.json files get only the policy lists; other clients are not modelled', () => {
    const nested = JSON.stringify({ mcpServers: { n: { command: 'npx', args: ['-y', 'pkg-n'] } } });
    const cursor = JSON.stringify({ mcpServers: { a: { command: 'npx', args: ['-y', 'pkg-a@1.0.0'] } } });
    assert.deepEqual(
      statuses({
        'packages/x/.mcp.json': nested,
        '.cursor/mcp.json': cursor,
        '.claude/settings.json': JSON.stringify({ disabledMcpjsonServers: ['n', 'a'] }),
      }),
      { '.cursor/mcp.json:a': '-', 'packages/x/.mcp.json:n': '-' },
    );
  });
});

describe('serverUrl patterns', () => {
  it('wildcards anywhere, host case-insensitive, no path = any path', () => {
    assert.ok(urlPatternMatches('https://mcp.acme.example', 'https://MCP.acme.example/a/b'));
    assert.ok(urlPatternMatches('https://*.acme.example/*', 'https://x.acme.example/mcp'));
    assert.ok(urlPatternMatches('https://acme.example/mcp/*', 'https://acme.example/mcp/v1'));
    assert.ok(!urlPatternMatches('https://acme.example/mcp/*', 'https://acme.example/other'));
    assert.ok(!urlPatternMatches('https://acme.example/MCP', 'https://acme.example/mcp'));
    assert.ok(!urlPatternMatches('https://*.acme.example', 'https://acme.example.evil.test/'));
    // A pattern full of stars against a long URL: no catastrophic backtracking.
    assert.ok(
      !urlPatternMatches('https://x.example/' + '*a'.repeat(40) + 'b', 'https://x.example/' + 'a'.repeat(5000)),
    );
  });
});
