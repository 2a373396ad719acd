// The registry change request, end to end through the CLI on a fresh git repository: `.mcp.json` configures a server
// the in-repo org registry does not list → `flywheel check` reports `mcp/unregistered-server` → the finding's fix
// (a `registry` proposal) is drafted with `flywheel propose` → refused for a non-ratifier → ratified by the
// registry's owner (CODEOWNERS) → applied to the registry file with its formatting kept → the finding is gone.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { commitAll, flywheel, freshRepo, PEOPLE, POLICY, read } from './harness';

interface FixJson {
  title: string;
  kind: string;
  proposal?: { route: string; target: string; json?: { path: string[]; value: unknown; arrayInsert?: boolean } };
}

interface Finding {
  ruleId: string;
  file: string;
  message: string;
  fixes?: FixJson[];
}

const REGISTRY = '.governance/mcp-registry.json';

// Four-space indentation, compact one-line items and a blank line: the apply must keep all of it. (A registry is
// strict JSON, as Claude Code's .mcp.json: neither may carry comments.)
const REGISTRY_TEXT = `{
    "servers": [
        {
            "server": {
                "name": "tickets",
                "description": "Acme tickets",
                "version": "2.1.0",
                "remotes": [{ "type": "streamable-http", "url": "https://mcp.acme.example/tickets" }],

                "x-approvedTools": ["search", "get_ticket"]
            }
        }
    ]
}
`;

const FILES: Record<string, string> = {
  '.github/CODEOWNERS': '/.governance/ @acme/platform\n/.github/ @acme/platform\n',
  '.governance/policy.json': JSON.stringify({ ...POLICY, mcp: { registry: REGISTRY } }, null, 2) + '\n',
  [REGISTRY]: REGISTRY_TEXT,
  '.mcp.json':
    '{\n  "mcpServers": {\n' + '    "pg": { "command": "npx", "args": ["-y", "@acme/pg-mcp@1.2.0"] }\n  }\n}\n',
};

async function check(dir: string): Promise<Finding[]> {
  const r = await flywheel(dir, PEOPLE.carol, [
    'check',
    dir,
    '--format',
    'json',
    '--managed',
    path.join(dir, 'no-managed-settings.json'),
  ]);
  return (r.json.findings as Finding[]) ?? [];
}

const errorCode = (json: Record<string, unknown>): unknown => (json.error as Record<string, unknown> | undefined)?.code;

describe('the registry change request from mcp/unregistered-server, through the CLI on a fresh git repository', () => {
  const ws = freshRepo(FILES);
  after(() => ws.cleanup());
  const dir = ws.dir;
  let fix: FixJson | undefined;
  let id = '';

  it('reports the unregistered server, with the registry proposal as its fix', async () => {
    const found = (await check(dir)).filter((f) => f.ruleId === 'mcp/unregistered-server');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.file, '.mcp.json');
    fix = found[0]!.fixes?.find((x) => x.kind === 'proposal');
    assert.ok(fix?.proposal, JSON.stringify(found[0]));
    assert.equal(fix.proposal.route, 'registry');
    assert.equal(fix.proposal.target, REGISTRY);
    assert.deepEqual(fix.proposal.json?.path, ['servers']);
    const entry = (fix.proposal.json?.value as { server: Record<string, unknown> }).server;
    assert.equal(entry.version, '1.2.0');
    assert.deepEqual(entry['x-approvedTools'], []);
  });

  it('drafts the registry change request from the fix entry', async () => {
    const p = fix!.proposal!;
    const s = await flywheel(dir, PEOPLE.carol, [
      'signal',
      'add',
      '--root',
      dir,
      '--format',
      'json',
      '--kind',
      'failure',
      '--summary',
      'MCP server "pg" is not in the org registry',
      '--agent',
      'claude',
      '--file',
      '.mcp.json:3',
    ]);
    assert.equal(s.code, 0, s.out + s.err);
    const signal = String((s.json.signal as Record<string, unknown>).id);
    const r = await flywheel(dir, PEOPLE.carol, [
      'propose',
      signal,
      '--root',
      dir,
      '--format',
      'json',
      '--route',
      p.route,
      '--target',
      p.target,
      '--json-path',
      p.json!.path.join('.'),
      '--json-value',
      JSON.stringify(p.json!.value),
    ]);
    assert.equal(r.code, 0, r.out + r.err);
    const [proposal] = r.json.proposals as { id: string; route: string; target: string; owners: string[] }[];
    assert.ok(proposal);
    assert.equal(proposal.route, 'registry');
    assert.equal(proposal.target, REGISTRY);
    assert.deepEqual(proposal.owners, ['@acme/platform']);
    id = proposal.id;
    // Drafting changes nothing yet.
    assert.equal(read(dir, REGISTRY), REGISTRY_TEXT);
    commitAll(dir, 'flywheel: the registry change request');
  });

  it('refuses a non-ratifier', async () => {
    const m = await flywheel(dir, PEOPLE.mallory, ['ratify', id, '--root', dir, '--format', 'json']);
    assert.equal(m.code, 1);
    assert.equal(errorCode(m.json), 'not-owner');
    const a = await flywheel(dir, PEOPLE.carol, ['apply', id, '--root', dir, '--format', 'json']);
    assert.equal(errorCode(a.json), 'not-ratified');
    assert.equal(read(dir, REGISTRY), REGISTRY_TEXT);
  });

  it("is ratified by the registry's ratifier and applied with the registry's formatting kept", async () => {
    const b = await flywheel(dir, PEOPLE.bob, ['ratify', id, '--root', dir, '--format', 'json']);
    assert.equal(b.code, 0, b.out + b.err);
    commitAll(dir, 'flywheel: ratify', PEOPLE.bob);
    const r = await flywheel(dir, PEOPLE.carol, ['apply', id, '--root', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.out + r.err);
    const after = read(dir, REGISTRY);
    // Everything before the new item is byte for byte the same (indentation, the compact line, the blank line).
    const kept = REGISTRY_TEXT.slice(0, REGISTRY_TEXT.indexOf('\n    ]'));
    assert.ok(after.startsWith(kept), after);
    assert.ok(after.endsWith('\n    ]\n}\n'), after);
    // The new item is indented as its sibling, four spaces a level.
    assert.match(after, /\n {8}\{\n {12}"server": \{\n {16}"name": "pg-mcp"/);
    const servers = (JSON.parse(after) as { servers: { server: { name: string } }[] }).servers;
    assert.deepEqual(
      servers.map((s) => s.server.name),
      ['tickets', 'pg-mcp'],
    );
    // The config the finding was on is untouched.
    assert.equal(read(dir, '.mcp.json'), FILES['.mcp.json']);
    commitAll(dir, 'flywheel: apply');
  });

  it('no longer reports the server', async () => {
    const findings = await check(dir);
    assert.deepEqual(
      findings.filter((f) => f.ruleId.startsWith('mcp/')),
      [],
    );
  });
});
