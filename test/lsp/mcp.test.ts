// The mcp surface in the editor, through the built language server: diagnostics on an MCP config, the registry
// change request as a proposal code action, and hover on a server name showing its registry entry and whether Claude
// Code starts it.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../helpers';
import { copyFixture, Harness, uriOf } from './harness';

const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);

describe('mcp surface in the language server', () => {
  let h: Harness;
  let root: string;
  let cleanup: () => void;
  before(async () => {
    ({ dir: root, cleanup } = copyFixture(path.join(FIXTURES, 'lsp', 'mcp')));
    h = await Harness.start({ root });
    await h.waitForReady();
  });
  after(async () => {
    await h?.stop();
    cleanup?.();
  });

  test('an unregistered server: a diagnostic on its name and the registry change request as a proposal', async () => {
    const d = (await h.waitForDiagnostics('.mcp.json', has('mcp/unregistered-server'))).find(
      (x) => x.code === 'mcp/unregistered-server',
    )!;
    assert.equal(d.range.start.line, 3);
    h.open('.mcp.json', undefined, 'json');
    const actions = await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(root, '.mcp.json') },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const request = actions.find((a) => a.title.includes('registry approval'));
    assert.ok(request, actions.map((a) => a.title).join(' | '));
    assert.notEqual(request.kind, 'quickfix', 'a proposal, not a plain quick fix');
    const changes = JSON.stringify(request.edit ?? request.command ?? {});
    assert.match(changes, /mcp-registry\.json/);
    h.close('.mcp.json');
  });

  test('hover on a server name: its registry entry (or none), and whether Claude Code starts it', async () => {
    h.open('.mcp.json', undefined, 'json');
    const hover = async (line: number, character: number) => {
      const r = await h.conn.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri: uriOf(root, '.mcp.json') },
        position: { line, character },
      });
      assert.ok(r, 'a hover');
      return (r.contents as MarkupContent).value;
    };
    const db = await hover(2, 6);
    assert.match(db, /\*\*Registry entry\*\* `postgres`/);
    assert.match(db, /approved tools: `query`/);
    assert.match(db, /\*\*Claude Code starts it\*\*: enabled by name in `enabledMcpjsonServers`/);
    const browser = await hover(3, 7);
    assert.match(browser, /\*\*Not in the org registry\*\*/);
    assert.match(browser, /\*\*Claude Code asks before starting it\*\*/);
    assert.match(await hover(4, 7), /\*\*Claude Code never starts it\*\*: rejected by `disabledMcpjsonServers`/);
    h.close('.mcp.json');
  });
});
