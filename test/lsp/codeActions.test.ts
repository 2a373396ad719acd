// Code actions from fixes: quick fixes, proposals (the seam the flywheel fills), file creation, and the edits that
// must never be offered (outside the workspace; a creation the client cannot do).

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import type { Finding, Fix } from '../../server/src/engine/types';
import { codeActionsFor } from '../../server/src/lsp/codeActions';
import { PROPOSAL_ACTION_KIND } from '../../server/src/lsp/protocol';
import { sameFinding, sameFindings, toDiagnostic, uriOf } from '../../server/src/lsp/toDiagnostic';

const root = path.resolve('/tmp/flywheel-ws');
const R = { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } };
const edit = (file: string, create = false) => ({
  file,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  newText: 'x\n',
  ...(create ? { create: true } : {}),
});
function finding(fixes: Fix[]): Finding {
  return {
    ruleId: 'owners/unowned-path',
    severity: 'error',
    surface: 'ownership',
    file: '.github/CODEOWNERS',
    range: R,
    message: 'unowned',
    messageId: 'unowned',
    fixes,
  };
}
const caps = { documentChanges: true, createFiles: true };
/** The actions for a finding's diagnostic, the finding being the session's current one unless `extra` says. */
const actions = (f: Finding, extra: Partial<Parameters<typeof codeActionsFor>[0]> = {}): CodeAction[] =>
  codeActionsFor({
    root,
    diagnostics: [toDiagnostic(f, root)],
    current: [f],
    versionOf: () => 7,
    capabilities: caps,
    ...extra,
  });

describe('code actions', () => {
  test('a quick fix edits the open buffer at its version; the preferred one is marked', () => {
    const [a] = actions(finding([{ title: 'Add a line', edits: [edit('.github/CODEOWNERS')], isPreferred: true }]));
    assert.equal(a!.kind, 'quickfix');
    assert.equal(a!.isPreferred, true);
    const change = a!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri: uriOf(root, '.github/CODEOWNERS'), version: 7 });
  });

  test('a proposal is a quickfix.flywheel.proposal action; the flywheel can supply its own', () => {
    const f = finding([
      {
        title: 'Move Bash(rm *) into the Managed source',
        edits: [edit('.governance/managed/managed-settings.json')],
        kind: 'proposal',
      },
    ]);
    const [direct] = actions(f);
    assert.equal(direct!.kind, PROPOSAL_ACTION_KIND);
    assert.match(direct!.title, /owners must review/);
    assert.ok(direct!.edit);
    const drafted: CodeAction = {
      title: 'Draft a proposal',
      kind: PROPOSAL_ACTION_KIND,
      command: { title: 'draft', command: 'flywheel.draftProposal' },
    };
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
    assert.deepEqual(
      actions(finding([{ title: 'Absolute', edits: [edit('/etc/claude-code/managed-settings.json')] }])),
      [],
    );
  });

  test('fixes come from the current finding by the id in data, never from the published diagnostic', () => {
    const big = 'x'.repeat(5_000);
    const f = finding([{ title: 'Add a long line', edits: [{ ...edit('.github/CODEOWNERS'), newText: big }] }]);
    const d = toDiagnostic(f, root);
    const data = d.data as Record<string, unknown>;
    assert.equal(typeof data.id, 'string');
    assert.equal('fixes' in data, false, 'the fixes do not travel with the diagnostic');
    assert.deepEqual(Object.keys(data), ['id'], 'only the id: the rule is `code`, the file is the document');
    assert.equal(toDiagnostic(finding([]), root).data, undefined, 'a finding without fixes carries no data');
    assert.ok(JSON.stringify(d).length < 1_000);
    // The same finding from a later run (a new object, same diagnostic) resolves the fix, with its current edits.
    const later = finding([
      { title: 'Add a long line', edits: [{ ...edit('.github/CODEOWNERS'), newText: big + 'y' }] },
    ]);
    const [a] = codeActionsFor({ root, diagnostics: [d], current: [later], versionOf: () => 7, capabilities: caps });
    assert.equal(((a!.edit!.documentChanges![0] as TextDocumentEdit).edits[0] as TextEdit).newText, big + 'y');
    // A diagnostic whose finding is gone (older text: the range moved) offers nothing; no current findings, nothing.
    const moved = { ...later, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } } };
    assert.deepEqual(
      codeActionsFor({ root, diagnostics: [d], current: [moved], versionOf: () => 7, capabilities: caps }),
      [],
    );
    assert.deepEqual(codeActionsFor({ root, diagnostics: [d], versionOf: () => 7, capabilities: caps }), []);
    // Same rule, message and range but another finding (its related location differs): not this diagnostic's.
    const other = { ...later, related: [{ file: '.governance/policy.json', range: R, message: 'elsewhere' }] };
    assert.deepEqual(
      codeActionsFor({ root, diagnostics: [d], current: [other], versionOf: () => 7, capabilities: caps }),
      [],
    );
    // A diagnostic published without an id (its finding had no fixes then) is matched by rule, message and range.
    const noId: Diagnostic = { ...d };
    delete noId.data;
    assert.deepEqual(
      codeActionsFor({ root, diagnostics: [noId], current: [later], versionOf: () => 7, capabilities: caps }).map(
        (x) => x.title,
      ),
      ['Add a long line'],
    );
    const foreign: Diagnostic = {
      range: R,
      message: 'x',
      source: 'eslint',
      code: 'owners/unowned-path',
      data: { id: data.id },
    };
    assert.deepEqual(
      codeActionsFor({ root, diagnostics: [foreign], current: [later], versionOf: () => null, capabilities: caps }),
      [],
    );
  });

  test('sameFinding: what the diagnostic shows, not the fixes', () => {
    const f = finding([{ title: 'A', edits: [edit('.github/CODEOWNERS')] }]);
    assert.ok(sameFinding(f, { ...f, fixes: [] }));
    assert.ok(!sameFinding(f, { ...f, message: 'other' }));
    assert.ok(!sameFinding(f, { ...f, severity: 'warning' }));
    assert.ok(!sameFinding(f, { ...f, range: { start: R.start, end: { line: 2, character: 6 } } }));
    const rel = { file: '.governance/policy.json', range: R, message: 'the policy line' };
    assert.ok(!sameFinding({ ...f, related: [rel] }, f));
    assert.ok(sameFinding({ ...f, related: [rel] }, { ...f, related: [{ ...rel }] }));
    assert.ok(!sameFinding({ ...f, related: [rel] }, { ...f, related: [{ ...rel, message: 'moved' }] }));
    assert.ok(sameFindings([f, f], [{ ...f }, { ...f }]));
    assert.ok(!sameFindings([f], [f, f]));
  });
});
