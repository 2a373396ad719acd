// Publishing proportional to what changed: after a run, only the files whose diagnostics differ are sent again,
// diagnostics carry a finding id instead of the fixes, and a quick fix resolves from the current findings by that
// id, also after later edits that left its finding as it was.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../helpers';
import { copyFixture, Harness, uriOf } from './harness';

const FIXTURE = path.join(FIXTURES, 'lsp', 'workspace');
const CODEOWNERS = '.github/CODEOWNERS';
/** The missing PR template's finding is shown at the policy that asks for the field. */
const POLICY = '.governance/policy.json';
const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);

describe('language server: publishing what changed', () => {
  let h: Harness;
  let root: string;
  let cleanup: (() => void) | undefined;
  let text: string;

  before(async () => {
    ({ dir: root, cleanup } = copyFixture(FIXTURE));
    h = await Harness.start({ root });
    await h.waitForReady();
    await h.waitForDiagnostics(POLICY, has('owners/author-of-record'));
    text = fs.readFileSync(path.join(root, CODEOWNERS), 'utf8');
    const seen = h.statuses.length;
    h.open(CODEOWNERS, text, 'codeowners');
    await h.waitForReady(seen);
  });
  after(async () => {
    await h?.stop();
    cleanup?.();
  });

  /** Apply an edit of CODEOWNERS and return the URIs published by the run it causes. */
  async function edit(next: string): Promise<string[]> {
    const sent = h.publishes.length;
    const seen = h.statuses.length;
    text = next;
    h.change(CODEOWNERS, text);
    await h.waitForReady(seen);
    return h.publishes.slice(sent);
  }

  async function quickFixes(d: Diagnostic): Promise<CodeAction[]> {
    return await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(root, CODEOWNERS) },
      range: d.range,
      context: { diagnostics: [d] },
    });
  }

  test('an edit that changes no finding re-sends nothing, though the ownership rules re-ran', async () => {
    assert.deepEqual(await edit(text + '# a comment at the end\n'), []);
  });

  test('an edit that changes the findings of one file re-sends that file only', async () => {
    const sent = await edit(text.replace('/src/payments/ @acme/payments\n', ''));
    assert.deepEqual(sent, [uriOf(root, CODEOWNERS)]);
    assert.ok(h.codes(CODEOWNERS).includes('owners/unowned-path'));
    assert.ok(
      h.codes(POLICY).includes('owners/author-of-record'),
      'the other ownership findings are kept, not re-sent',
    );
  });

  test('a quick fix resolves from the finding id, also after an edit that left its finding as it was', async () => {
    const d = h.diagnostics.get(uriOf(root, CODEOWNERS))!.find((x) => x.code === 'owners/unowned-path')!;
    const data = d.data as { id?: string; fixes?: unknown };
    assert.equal(typeof data.id, 'string');
    assert.equal(data.fixes, undefined, 'fixes are not published');
    const first = await quickFixes(d);
    assert.ok(first.length >= 1, 'a quick fix for the unowned path');
    // Typing in the header comment re-runs the ownership rules (new finding objects) but changes no diagnostic:
    // nothing is sent, and the diagnostic the editor still shows resolves the same quick fix.
    assert.deepEqual(
      await edit(
        text.replace('# Governance Flywheel LSP test workspace', '# Governance Flywheel LSP test workspace, edited'),
      ),
      [],
    );
    const again = await quickFixes(d);
    assert.deepEqual(
      again.map((a) => a.title),
      first.map((a) => a.title),
    );
    const change = again[0]!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.uri, uriOf(root, CODEOWNERS));
    assert.match((change.edits as TextEdit[]).map((e) => e.newText).join(''), /src\/payments/);
  });

  test('a diagnostic whose finding is gone offers no edits computed for text that is no longer there', async () => {
    const d = h.diagnostics.get(uriOf(root, CODEOWNERS))!.find((x) => x.code === 'owners/unowned-path')!;
    const sent = await edit(
      text.replace('/.claude/ @acme/platform\n', '/src/payments/ @acme/payments\n/.claude/ @acme/platform\n'),
    );
    assert.deepEqual(sent, [uriOf(root, CODEOWNERS)]);
    assert.ok(!h.codes(CODEOWNERS).includes('owners/unowned-path'));
    assert.deepEqual(
      await quickFixes(d),
      [],
      'the stale diagnostic (still shown until the editor updates) resolves nothing',
    );
  });
});
