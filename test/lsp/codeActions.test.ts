// Code actions from fixes: quick fixes, proposals (the seam the flywheel fills), file creation, and the edits that
// must never be offered (outside the workspace; a creation the client cannot do).

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver';
import type { Finding, Fix } from '../../server/src/engine/types';
import { codeActionsFor } from '../../server/src/lsp/codeActions';
import { PROPOSAL_ACTION_KIND } from '../../server/src/lsp/protocol';
import { toDiagnostic, uriOf } from '../../server/src/lsp/toDiagnostic';

const root = path.resolve('/tmp/flywheel-ws');
const R = { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } };
const edit = (file: string, create = false) => ({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'x\n', ...(create ? { create: true } : {}) });
function finding(fixes: Fix[]): Finding {
  return { ruleId: 'owners/unowned-path', severity: 'error', surface: 'ownership', file: '.github/CODEOWNERS', range: R, message: 'unowned', messageId: 'unowned', fixes };
}
const caps = { documentChanges: true, createFiles: true };
const actions = (f: Finding, extra: Partial<Parameters<typeof codeActionsFor>[0]> = {}): CodeAction[] =>
  codeActionsFor({ root, diagnostics: [toDiagnostic(f, root)], versionOf: () => 7, capabilities: caps, ...extra });

describe('code actions', () => {
  test('a quick fix edits the open buffer at its version; the preferred one is marked', () => {
    const [a] = actions(finding([{ title: 'Add a line', edits: [edit('.github/CODEOWNERS')], isPreferred: true }]));
    assert.equal(a!.kind, 'quickfix');
    assert.equal(a!.isPreferred, true);
    const change = a!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri: uriOf(root, '.github/CODEOWNERS'), version: 7 });
  });

  test('a proposal is a quickfix.flywheel.proposal action; the flywheel can supply its own', () => {
    const f = finding([{ title: 'Move Bash(rm *) into the Managed source', edits: [edit('.governance/managed/managed-settings.json')], kind: 'proposal' }]);
    const [direct] = actions(f);
    assert.equal(direct!.kind, PROPOSAL_ACTION_KIND);
    assert.match(direct!.title, /owners must review/);
    assert.ok(direct!.edit);
    const drafted: CodeAction = { title: 'Draft a proposal', kind: PROPOSAL_ACTION_KIND, command: { title: 'draft', command: 'flywheel.draftProposal' } };
    assert.deepEqual(actions(f, { proposals: () => drafted }), [drafted]);
    assert.deepEqual(actions(f, { only: ['quickfix.other'] }), []);
  });

  test('a fix that creates a file: CreateFile then its text; not offered to a client that cannot create files', () => {
    const f = finding([{ title: 'Create the template', edits: [edit('.github/pull_request_template.md', true)] }]);
    const [a] = actions(f);
    const [create, text] = a!.edit!.documentChanges! as [{ kind: string }, TextDocumentEdit];
    assert.equal(create.kind, 'create');
    assert.equal(text.textDocument.version, null);
    assert.deepEqual(actions(f, { capabilities: { documentChanges: true, createFiles: false } }), []);
    assert.deepEqual(actions(f, { capabilities: { documentChanges: false, createFiles: false } }), []);
  });

  test('nothing is written outside the workspace', () => {
    assert.deepEqual(actions(finding([{ title: 'Escape', edits: [edit('../outside.txt')] }])), []);
    assert.deepEqual(actions(finding([{ title: 'Absolute', edits: [edit('/etc/claude-code/managed-settings.json')] }])), []);
  });

  test('fresh fixes win over the ones a stale diagnostic carries; foreign diagnostics are ignored', () => {
    const stale = finding([{ title: 'Old', edits: [edit('.github/CODEOWNERS')] }]);
    const current = finding([{ title: 'New', edits: [edit('.github/CODEOWNERS')] }]);
    assert.deepEqual(actions(stale, { current: [current] }).map((a) => a.title), ['New']);
    const foreign: Diagnostic = { range: R, message: 'x', source: 'eslint', data: { ruleId: 'a/b', file: 'x', fixes: [] } };
    assert.deepEqual(codeActionsFor({ root, diagnostics: [foreign], versionOf: () => null, capabilities: caps }), []);
  });
});
