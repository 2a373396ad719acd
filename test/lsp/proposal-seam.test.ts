// The ProposalActions seam: fixes that need the owners' ratification become "Propose: …" actions whose command
// drafts a flywheel proposal (managed-deny for permission rules added to JSON, convention for Markdown text).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proposalActionFor } from '../../server/src/lsp/flywheel';
import { PROPOSAL_ACTION_KIND } from '../../server/src/lsp/protocol';

const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } };
const diagnostic = { range, message: 'm' };
const finding = {
  ruleId: 'permissions/hard-block-missing',
  file: '.claude/settings.json',
  message: 'Missing hard block. Add it.',
  range,
};

describe('ProposalActions seam', () => {
  it('a fix adding deny rules to a JSON file is a managed-deny proposal of those rules', () => {
    const fix = {
      title: "Add Bash(rm -rf *) to the Managed source's deny list",
      kind: 'proposal' as const,
      edits: [
        { file: '.governance/managed/claude-managed-settings.json', range, newText: ',\n      "Bash(rm -rf *)"' },
      ],
    };
    const a = proposalActionFor({ root: '/repo', finding, fix, diagnostic });
    assert.ok(a);
    assert.equal(a.kind, PROPOSAL_ACTION_KIND);
    assert.equal(a.command?.command, 'flywheel.proposeFix');
    const arg = a.command?.arguments?.[0] as { route: string; deny: string[]; line: number };
    assert.deepEqual([arg.route, arg.deny, arg.line], ['managed-deny', ['Bash(rm -rf *)'], 4]);
  });

  it('a Markdown fix is a convention proposal of its text; anything else keeps the default', () => {
    const md = {
      title: 'Add a section',
      kind: 'proposal' as const,
      edits: [{ file: 'CLAUDE.md', range, newText: '\n## Runbook\n' }],
    };
    const arg = proposalActionFor({ root: '/repo', finding, fix: md, diagnostic })?.command?.arguments?.[0] as {
      route: string;
      target: string;
      text: string;
    };
    assert.deepEqual([arg.route, arg.target, arg.text], ['convention', 'CLAUDE.md', '## Runbook']);
    const other = {
      title: 'x',
      kind: 'proposal' as const,
      edits: [{ file: 'a.json', range, newText: '"model": "x"' }],
    };
    assert.equal(proposalActionFor({ root: '/repo', finding, fix: other, diagnostic }), undefined);
  });

  it("mcp/unregistered-server's fix is a registry proposal of its entry, to the registry file", () => {
    const entry = { server: { name: 'pg-mcp', version: '1.2.0', 'x-approvedTools': [] } };
    const fix = {
      title: 'Request registry approval for MCP server "pg" (.governance/mcp-registry.json)',
      kind: 'proposal' as const,
      // The whole-file edit of the registry; its text must not be read as deny rules.
      edits: [{ file: '.governance/mcp-registry.json', range, newText: '{ "servers": ["mcp__x__y"] }' }],
      proposal: {
        route: 'registry',
        target: '.governance/mcp-registry.json',
        json: { path: ['servers'], value: entry, arrayInsert: true },
      },
    };
    const mcp = { ...finding, ruleId: 'mcp/unregistered-server', file: '.mcp.json' };
    const arg = proposalActionFor({ root: '/repo', finding: mcp, fix, diagnostic })?.command?.arguments?.[0] as {
      route: string;
      target: string;
      deny?: string[];
      json: { path: string[]; value: unknown };
    };
    assert.deepEqual(
      [arg.route, arg.target, arg.deny, arg.json.path, arg.json.value],
      ['registry', '.governance/mcp-registry.json', undefined, ['servers'], entry],
    );
  });
});
