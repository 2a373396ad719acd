// At most `flywheel.maxDiagnosticsPerFile` diagnostics per file (VS Code keeps 1,000 per file whatever a server
// sends): errors first, then warnings, each in document order, and a last diagnostic saying how many more there are.
// An edit that changes only findings beyond the limit re-sends nothing.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import type { Finding, Severity } from '../../server/src/engine/types';
import { limitFindings } from '../../server/src/lsp/workspaces';
import { FIXTURES } from '../helpers';
import { copyFixture, Harness, uriOf } from './harness';

const CODEOWNERS = '.github/CODEOWNERS';

function finding(line: number, severity: Severity, ruleId = 'owners/duplicate-pattern'): Finding {
  const at = { line, character: 0 };
  return {
    ruleId,
    severity,
    surface: 'ownership',
    file: CODEOWNERS,
    range: { start: at, end: at },
    message: `m${line}`,
    messageId: 'm',
  };
}

describe('limitFindings', () => {
  test('under the limit: everything, in document order', () => {
    const all = [finding(3, 'warning'), finding(1, 'error')];
    assert.deepEqual(limitFindings(all, 5), { shown: [finding(1, 'error'), finding(3, 'warning')], hidden: 0 });
    assert.equal(
      limitFindings(
        [...Array(50)].map((_, i) => finding(i, 'info')),
        0,
      ).hidden,
      0,
      '0: no limit',
    );
  });

  test('over the limit: max - 1 by severity, then document order, leaving room for the note', () => {
    const all = [
      finding(0, 'info'),
      finding(1, 'warning'),
      finding(2, 'warning'),
      finding(3, 'error'),
      finding(4, 'warning'),
      finding(5, 'error'),
    ];
    const { shown, hidden } = limitFindings(all, 4);
    assert.deepEqual(
      shown.map((f) => [f.range.start.line, f.severity]),
      [
        [1, 'warning'],
        [3, 'error'],
        [5, 'error'],
      ],
    );
    assert.equal(hidden, 3);
    assert.deepEqual(
      limitFindings(all, 1).shown.map((f) => f.range.start.line),
      [3],
      'a limit of 1 still shows the first error',
    );
  });
});

describe('language server: flywheel.maxDiagnosticsPerFile', () => {
  let h: Harness;
  let root: string;
  let cleanup: (() => void) | undefined;
  let text: string;

  before(async () => {
    ({ dir: root, cleanup } = copyFixture(path.join(FIXTURES, 'lsp', 'workspace')));
    // Eight duplicate lines (warnings) and an invalid owner (an error) near the end.
    const dups = [...Array(8)].map(() => '/docs/ @acme/web').join('\n');
    text =
      fs.readFileSync(path.join(root, CODEOWNERS), 'utf8') +
      `${dups}\n/src/web/ not-an-owner @acme/web\n/docs/ @acme/web\n`;
    fs.writeFileSync(path.join(root, CODEOWNERS), text);
    h = await Harness.start({ root, settings: { maxDiagnosticsPerFile: 4 } });
    await h.waitForReady();
  });
  after(async () => {
    await h?.stop();
    cleanup?.();
  });

  test('publishes the errors first, then warnings, and says how many more there are', async () => {
    const d = await h.waitForDiagnostics(CODEOWNERS, (x) => x.length > 0);
    assert.equal(d.length, 4);
    const shown = d.slice(0, 3);
    assert.ok(
      shown.some((x) => x.severity === DiagnosticSeverity.Error && x.code === 'owners/syntax'),
      'the error is kept though it comes last in the file',
    );
    for (let i = 1; i < shown.length; i++)
      assert.ok(shown[i - 1]!.range.start.line <= shown[i]!.range.start.line, 'document order');
    const note = d[3]!;
    assert.equal(note.severity, DiagnosticSeverity.Information);
    assert.equal(note.source, 'flywheel');
    assert.equal(note.code, undefined);
    const message = String(note.message);
    assert.match(message, /^\d+ more of the \d+ problems in this file are not shown/);
    assert.match(message, /npx governance-flywheel check/);
    const total = Number(/of the (\d+) problems/.exec(message)![1]);
    assert.equal(Number(/^(\d+)/.exec(message)![1]), total - 3);
    assert.ok(total >= 9, `every duplicate and the error counted (${total})`);
  });

  test('an edit that changes only findings beyond the limit re-sends nothing; one that changes the count does', async () => {
    h.open(CODEOWNERS, text, 'codeowners');
    await h.waitForReady(h.statuses.length - 1);
    // A duplicate line's owners are in its message, hidden beyond the limit: edit them.
    const lines = text.split('\n');
    const last = lines.findIndex((l) => l.includes('not-an-owner')) - 1; // the last duplicate line
    assert.equal(lines[last], '/docs/ @acme/web');
    const sent = () => h.publishes.filter((u) => u === uriOf(root, CODEOWNERS)).length;
    let before = sent();
    let seen = h.statuses.length;
    lines[last] += ' @acme/payments';
    h.change(CODEOWNERS, lines.join('\n'));
    await h.waitForReady(seen);
    assert.equal(sent(), before, 'nothing shown changed');
    before = sent();
    seen = h.statuses.length;
    lines.splice(last, 1);
    h.change(CODEOWNERS, lines.join('\n'));
    await h.waitForReady(seen);
    assert.equal(sent(), before + 1, 'one duplicate fewer: the note changes');
    const d: Diagnostic[] = h.diagnostics.get(uriOf(root, CODEOWNERS))!;
    assert.equal(d.length, 4);
  });
});
