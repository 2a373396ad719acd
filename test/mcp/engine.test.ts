// The mcp, boundary and rollout surfaces: the registry change request drafted from mcp/unregistered-server (applied,
// formatting kept, the finding gone), the boundary quick fixes, and the bad input of issue 13 — a registry with
// 10,000 servers, names with spaces or Unicode, `${` never closed, comments where the client forbids them, a regex
// catastrophic for backtracking engines, a config that references itself: findings or clear errors, never a crash.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { check, type Finding } from '../../server/src/engine/index';
import { packageOf } from '../../server/src/engine/mcp/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import type { FileEdit } from '../../server/src/engine/types';
import { openWorkspace } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

const POLICY = { extends: 'flywheel:baseline', mcp: { registry: '.governance/mcp-registry.json' } };
const REGISTRY = `{
  // not allowed: the registry is strict JSON
}`;

function run(files: Record<string, string>, keep = false): { findings: Finding[]; dir: string; cleanup: () => void } {
  const ws = tempWorkspace(files);
  try {
    const snapshot = openWorkspace(ws.dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
    const findings = check(snapshot, loadPolicy(snapshot), new AnalysisCache());
    return { findings, ...ws };
  } finally {
    if (!keep) ws.cleanup();
  }
}

const of = (f: Finding[], prefix: string) => f.filter((x) => x.ruleId.startsWith(prefix));
const noInternal = (f: Finding[]) =>
  assert.deepEqual(
    f.filter((x) => x.ruleId === 'workspace/internal-error').map((x) => x.message),
    [],
  );

/** Apply edits (from the end backwards) to a text. */
function applyEdits(text: string, edits: FileEdit[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

function applyFix(dir: string, edits: FileEdit[]): void {
  const byFile = new Map<string, FileEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, es] of byFile) {
    const abs = path.join(dir, file);
    const text = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, applyEdits(text, es));
  }
}

function recheck(dir: string): Finding[] {
  const snapshot = openWorkspace(dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
  return check(snapshot, loadPolicy(snapshot), new AnalysisCache());
}

describe('mcp/unregistered-server: the registry change request', () => {
  it('is a proposal that edits only the registry, keeps its formatting, and makes the finding go', () => {
    const registry =
      '{\n    "servers": [\n        // Approved 2026-11-02 by @acme/platform-security\n        { "server": { "name": "postgres", "description": "Read-only queries", "version": "0.6.2",\n            "packages": [ { "registryType": "npm", "identifier": "@modelcontextprotocol/server-postgres", "transport": { "type": "stdio" } } ],\n            "x-approvedTools": ["query"] } }\n    ]\n}\n';
    // The registry is strict JSON: a comment is reported. Use one without it for the round trip.
    const strict = registry.replace(/ *\/\/.*\n/, '');
    const r = run(
      {
        '.governance/policy.json': JSON.stringify(POLICY),
        '.governance/mcp-registry.json': strict,
        '.mcp.json': '{ "mcpServers": { "tickets": { "type": "http", "url": "https://mcp.acme.example/tickets" } } }\n',
      },
      true,
    );
    try {
      const [f] = of(r.findings, 'mcp/unregistered-server');
      assert.ok(f, 'unregistered-server fires');
      const [fix] = f.fixes ?? [];
      assert.equal(fix?.kind, 'proposal');
      assert.deepEqual([...new Set(fix.edits.map((e) => e.file))], ['.governance/mcp-registry.json']);
      applyFix(r.dir, fix.edits);
      const after = fs.readFileSync(path.join(r.dir, '.governance/mcp-registry.json'), 'utf8');
      assert.ok(
        after.startsWith(
          strict
            .slice(0, strict.lastIndexOf('}') - 1)
            .trimEnd()
            .slice(0, 200),
        ),
        'the existing text is kept',
      );
      assert.match(after, /\n {8}\{/, 'the new entry is indented like the file (4 spaces)');
      const again = recheck(r.dir);
      assert.deepEqual(of(again, 'mcp/unregistered-server'), []);
      assert.deepEqual(
        of(again, 'mcp/registry-invalid').map((x) => x.message),
        [],
      );
    } finally {
      r.cleanup();
    }
  });
  it('offers no fix for a local command (a registry lists packages and remotes only)', () => {
    const r = run({
      '.governance/policy.json': JSON.stringify(POLICY),
      '.governance/mcp-registry.json': '{ "servers": [] }',
      '.mcp.json': '{ "mcpServers": { "local": { "command": "node", "args": ["build/index.js"] } } }',
    });
    const [f] = of(r.findings, 'mcp/unregistered-server');
    assert.equal(f?.messageId, 'local');
    assert.deepEqual(f?.fixes ?? [], []);
  });
  it('matches by package and URL, never by the name alone', () => {
    const reg =
      '{ "servers": [ { "server": { "name": "github", "description": "GitHub", "version": "1.0.0", "packages": [ { "registryType": "npm", "identifier": "@modelcontextprotocol/server-github", "transport": { "type": "stdio" } } ] } } ] }';
    const r = run({
      '.governance/policy.json': JSON.stringify(POLICY),
      '.governance/mcp-registry.json': reg,
      '.mcp.json':
        '{ "mcpServers": { "github": { "command": "npx", "args": ["-y", "github-mcp-lookalike"] }, "gh": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@1.0.0"] } } }',
    });
    assert.deepEqual(
      of(r.findings, 'mcp/unregistered-server').map((f) => f.data?.server),
      ['github'],
    );
  });
});

describe('boundary quick fixes', () => {
  it('adding the missing lines makes every gap go', () => {
    const r = run(
      {
        '.governance/policy.json': JSON.stringify({
          extends: 'flywheel:baseline',
          boundary: {
            exclude: ['customer-data/**', '**/.env*'],
            agents: ['claude-code', 'cursor', 'gemini-cli', 'gemini-code-assist'],
          },
        }),
        '.governance/managed/claude-managed-settings.json':
          '{\n  "permissions": {\n    "deny": ["Read(~/.aws/**)"]\n  }\n}\n',
        '.cursorignore': 'node_modules/',
      },
      true,
    );
    try {
      const gaps = of(r.findings, 'boundary/agent-can-read');
      assert.equal(gaps.length, 8);
      // Fixes to the same file are applied one after another, as a user would.
      for (let i = 0; i < 10; i++) {
        const next = of(recheck(r.dir), 'boundary/agent-can-read')[0];
        if (!next) break;
        assert.ok(next.fixes?.[0], `a fix for ${next.message}`);
        applyFix(r.dir, next.fixes[0].edits);
      }
      assert.deepEqual(
        of(recheck(r.dir), 'boundary/agent-can-read').map((f) => f.message),
        [],
      );
      const ignoreLines = fs.readFileSync(path.join(r.dir, '.cursorignore'), 'utf8').split('\n');
      assert.deepEqual(ignoreLines.sort(), ['', '**/.env*', 'customer-data/**', 'node_modules/']);
    } finally {
      r.cleanup();
    }
  });
});

describe('mcp/boundary/rollout bad input', () => {
  it('a registry with 10,000 servers', () => {
    const servers = Array.from({ length: 10000 }, (_, i) => ({
      server: {
        name: `server-${i}`,
        description: 'x',
        version: '1.0.0',
        packages: [{ registryType: 'npm', identifier: `@acme/mcp-${i}`, transport: { type: 'stdio' } }],
      },
    }));
    const r = run({
      '.governance/policy.json': JSON.stringify(POLICY),
      '.governance/mcp-registry.json': JSON.stringify({ servers }),
      '.mcp.json':
        '{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/mcp-9999@1.0.0"] }, "b": { "command": "npx", "args": ["@acme/other"] } } }',
    });
    noInternal(r.findings);
    assert.deepEqual(
      of(r.findings, 'mcp/').map((f) => `${f.ruleId}:${f.data?.server ?? ''}`),
      ['mcp/unregistered-server:b'],
    );
  });
  it('server names with spaces or Unicode', () => {
    const r = run({
      '.mcp.json':
        '{ "mcpServers": { "my server": { "command": "npx", "args": ["x-mcp"] }, "сервер-😀": { "type": "http", "url": "https://a.example/mcp" } } }',
      '.vscode/mcp.json': '{ "servers": { "my server ✓": { "command": "node", "args": ["a.js"] } } }',
    });
    noInternal(r.findings);
    assert.deepEqual(
      of(r.findings, 'mcp/invalid-config').map((f) => f.file),
      ['.mcp.json', '.mcp.json'],
    );
  });
  it('`${` never closed', () => {
    const r = run({
      '.mcp.json':
        '{ "mcpServers": { "a": { "type": "http", "url": "https://${HOST/mcp", "headers": { "Authorization": "Bearer ${TOKEN" }, "env": { "API_KEY": "${" } } } }',
    });
    noInternal(r.findings);
    assert.deepEqual(of(r.findings, 'mcp/inline-credential'), []);
  });
  it('JSONC with comments where the client forbids them, and where it allows them', () => {
    const text = '{\n  // servers\n  "mcpServers": { "a": { "command": "npx", "args": ["x-mcp"] } }\n}\n';
    const r = run({ '.mcp.json': text, '.amazonq/mcp.json': text, '.cursor/mcp.json': text });
    noInternal(r.findings);
    assert.deepEqual(
      of(r.findings, 'mcp/invalid-config')
        .map((f) => f.file)
        .sort(),
      ['.amazonq/mcp.json', '.mcp.json'],
    );
  });
  it('a regex catastrophic for backtracking engines is fine (RE2)', () => {
    const evil = '(a+)+$';
    const r = run({
      '.governance/policy.json': JSON.stringify({
        extends: 'flywheel:baseline',
        boundary: {
          exclude: ['x/**'],
          agents: ['cody'],
          codyContextFilters: 'cody.json',
          repoName: 'a'.repeat(5000) + '!',
        },
      }),
      'cody.json': JSON.stringify({ 'cody.contextFilters': { exclude: [{ repoNamePattern: evil }] } }),
    });
    noInternal(r.findings);
    assert.deepEqual(of(r.findings, 'boundary/invalid-pattern'), []);
    assert.equal(of(r.findings, 'boundary/agent-can-read').length, 1);
  });
  it('a config that references itself, and a registry that is the config', () => {
    const self =
      '{ "mcpServers": { "me": { "command": "npx", "args": ["-y", "@acme/mcp@1.0.0", "--config", ".mcp.json"], "env": { "MCP_CONFIG": "${workspaceFolder}/.mcp.json" } } } }';
    const r = run({
      '.governance/policy.json': JSON.stringify({ extends: 'flywheel:baseline', mcp: { registry: '.mcp.json' } }),
      '.mcp.json': self,
    });
    noInternal(r.findings);
    assert.ok(of(r.findings, 'mcp/registry-invalid').length >= 1, 'the config is not a registry');
  });
  it('a registry that is not JSON, not an object, missing, or the wrong shape', () => {
    for (const reg of [
      REGISTRY,
      '[]',
      'null',
      '{ "servers": {} }',
      '{ "servers": [1, null, {"server": 3}] }',
      '{"servers":[{"server":{"name":"a"}}]}',
    ]) {
      const r = run({
        '.governance/policy.json': JSON.stringify(POLICY),
        '.governance/mcp-registry.json': reg,
        '.mcp.json': '{ "mcpServers": { "a": { "command": "npx", "args": ["x"] } } }',
      });
      noInternal(r.findings);
      assert.ok(of(r.findings, 'mcp/registry-invalid').length >= 1, reg);
    }
    const missing = run({
      '.governance/policy.json': JSON.stringify(POLICY),
      '.mcp.json': '{ "mcpServers": { "a": { "command": "npx", "args": ["x"] } } }',
    });
    assert.deepEqual(
      of(missing.findings, 'mcp/').map((f) => f.messageId),
      ['noRegistry'],
    );
  });
  it('configs of the wrong shape', () => {
    for (const text of [
      '[]',
      'null',
      '{ "mcpServers": [] }',
      '{ "mcpServers": { "a": 1, "b": null, "c": { "command": 3 }, "d": { "type": 7 } } }',
      '{ "mcpServers": { "a": { "command": "npx", "args": "x" } } }',
      '{ "mcpServers": { "a": { "command": "docker", "args": ["run", "-e"] } } }',
    ]) {
      const r = run({ '.mcp.json': text, '.vscode/mcp.json': text, '.gemini/settings.json': text });
      noInternal(r.findings);
    }
  });
  it('rollout stages out of range or of the wrong type are a policy finding, not a crash', () => {
    for (const stage of [0, 5, 2.5, '2', null]) {
      const r = run({
        '.governance/policy.json': JSON.stringify({ extends: 'flywheel:baseline', rollout: { stage } }),
      });
      noInternal(r.findings);
      assert.deepEqual(of(r.findings, 'rollout/'), []);
      assert.ok(of(r.findings, 'policy/invalid').length >= 1);
    }
  });
});

describe('package runners', () => {
  it('reads the package and its pinned version', () => {
    assert.deepEqual(packageOf('npx', ['-y', '@scope/pkg@1.2.3', '--flag']), {
      runner: 'npx',
      registryType: 'npm',
      identifier: '@scope/pkg',
      version: '1.2.3',
      argIndex: 1,
    });
    assert.deepEqual(packageOf('npx', ['@playwright/mcp@latest']), {
      runner: 'npx',
      registryType: 'npm',
      identifier: '@playwright/mcp',
      argIndex: 0,
    });
    assert.deepEqual(packageOf('uvx', ['mcp-server-fetch==2025.1.1']), {
      runner: 'uvx',
      registryType: 'pypi',
      identifier: 'mcp-server-fetch',
      version: '2025.1.1',
      argIndex: 0,
    });
    assert.deepEqual(packageOf('uvx', ['--from', 'awslabs.aws-documentation-mcp-server@1.1.0', 'x']), {
      runner: 'uvx',
      registryType: 'pypi',
      identifier: 'awslabs.aws-documentation-mcp-server',
      version: '1.1.0',
      argIndex: 1,
    });
    assert.deepEqual(
      packageOf('docker', ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server:0.5.0']),
      {
        runner: 'docker',
        registryType: 'oci',
        identifier: 'ghcr.io/github/github-mcp-server',
        version: '0.5.0',
        argIndex: 5,
      },
    );
    assert.equal(packageOf('node', ['build/index.js']), undefined);
  });
});

describe('policy merge of the new sections', () => {
  it('a team may raise the rollout stage and turn MCP off, never the reverse', () => {
    const floor = JSON.stringify({
      extends: 'flywheel:baseline',
      rollout: { stage: 2 },
      mcp: { enabled: false, registry: 'reg.json' },
      boundary: { exclude: ['secrets/**'] },
    });
    for (const [team, stage, loosens] of [
      [{ rollout: { stage: 3 } }, 3, 0],
      [{ rollout: { stage: 1 } }, 2, 1],
      [{ mcp: { enabled: true } }, 2, 1],
      [{ boundary: { exclude: ['customer-data/**'] } }, 2, 0],
    ] as const) {
      const ws = tempWorkspace({
        'floor.json': floor,
        '.governance/policy.json': JSON.stringify({ extends: '../floor.json', ...team }),
      });
      try {
        const snapshot = openWorkspace(ws.dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
        const policy = loadPolicy(snapshot);
        assert.equal((policy.rollout as { stage?: number }).stage, stage, JSON.stringify(team));
        assert.equal((policy.mcp as { enabled?: boolean }).enabled, false);
        assert.equal(
          policy.problems.filter((p) => p.ruleId === 'policy/loosens-floor').length,
          loosens,
          JSON.stringify(team),
        );
        assert.ok(((policy.boundary as { exclude?: string[] }).exclude ?? []).includes('secrets/**'));
      } finally {
        ws.cleanup();
      }
    }
  });
});

describe('mcp/inline-credential: no false positives on ordinary values', () => {
  it('modes, URLs, paths, words and references under credential-like names are not secrets', () => {
    const env = {
      AUTH_TYPE: 'oauth2client',
      AUTH_URL: 'https://auth.acme.example/token',
      TOKEN_FILE: '/run/secrets/token',
      API_KEY_HEADER: 'X-Api-Key',
      GITHUB_TOKEN: '${GITHUB_TOKEN}',
      PASSWORD: '',
      SECRET_NAME: 'prod-db-2',
    };
    const r = run({
      '.mcp.json': JSON.stringify({
        mcpServers: {
          a: { command: 'npx', args: ['-y', 'x-mcp@1.0.0', '--token', '${TOKEN}', '--api-key=$API_KEY'], env },
        },
      }),
    });
    assert.deepEqual(
      of(r.findings, 'mcp/inline-credential').map((f) => f.message),
      [],
    );
  });
  it('generated-looking values are', () => {
    const r = run({
      '.mcp.json': JSON.stringify({
        mcpServers: {
          a: {
            command: 'npx',
            args: ['-y', 'x-mcp@1.0.0', '--api-key=9f8e7d6c5b4a3928170615e4d3c2b1a0'],
            env: { NOTION_API_TOKEN: 'secret_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56' },
          },
        },
      }),
    });
    assert.equal(of(r.findings, 'mcp/inline-credential').length, 2);
  });
});
