// The extension in a real VS Code, on a copy of examples/acme-monorepo: diagnostics of files nobody opened, a quick
// fix that changes the file, the hover, and the command registry. Waits on VS Code's events, never on timers.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlywheelApi } from '../../../client/src/extension';
import { COMMAND_TITLES } from '../../../client/src/commandIds';

const EXTENSION_ID = 'governance-flywheel.governance-flywheel';
const GUARD_MS = 90_000;

/** Resolve with `test()`'s value once it is defined, re-testing on every `event`; reject after a guard naming what. */
function waitFor<T>(what: string, event: vscode.Event<unknown>, test: () => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = test();
    if (first !== undefined) return resolve(first);
    const guard = setTimeout(() => {
      sub.dispose();
      reject(new Error(`waited too long for ${what}`));
    }, GUARD_MS);
    const sub = event(() => {
      const v = test();
      if (v === undefined) return;
      clearTimeout(guard);
      sub.dispose();
      resolve(v);
    });
  });
}

function flywheelDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages
    .getDiagnostics()
    .map(([uri, d]) => [uri, d.filter((x) => x.source === 'flywheel')] as [vscode.Uri, vscode.Diagnostic[]])
    .filter(([, d]) => d.length > 0);
}

export function editorTests(): void {
  describe('Governance Flywheel in VS Code', () => {
    let api: FlywheelApi;

    before(async () => {
      const ext = vscode.extensions.getExtension<FlywheelApi>(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      api = await ext.activate();
      await waitFor('the first completed check', api.onDidChangeStatus, () =>
        api.latestStatus?.state === 'ready' ? api.latestStatus : undefined,
      );
    });

    it('shows findings of every surface, in governance files nobody opened, linked to their rule docs', async () => {
      // examples/acme-monorepo has findings of every landed surface (see `npm run demo`).
      const surfaces = ['policy', 'owners', 'conventions', 'permissions', 'gemini'];
      const prefixes = (d: [vscode.Uri, vscode.Diagnostic[]][]) =>
        new Set(d.flatMap(([, list]) => list.map((x) => String((x.code as { value: string }).value).split('/')[0])));
      const found = await waitFor(
        `flywheel diagnostics of ${surfaces.join(', ')}`,
        vscode.languages.onDidChangeDiagnostics,
        () => {
          const d = flywheelDiagnostics();
          const seen = prefixes(d);
          return surfaces.every((x) => seen.has(x)) ? d : undefined;
        },
      );
      const files = found.map(([uri]) => vscode.workspace.asRelativePath(uri));
      assert.ok(files.includes('.github/CODEOWNERS'), `CODEOWNERS among ${files.join(', ')}`);
      const d = found.flatMap(([, list]) => list)[0]!;
      const code = d.code as { value: string; target: vscode.Uri };
      assert.match(code.value, /^[a-z]+\/[a-z-]+$/);
      assert.match(code.target.toString(), /docs\/rules\/.+\.md$/);
      assert.equal(vscode.window.visibleTextEditors.length, 0, 'no file was opened');
    });

    it('applies a quick fix: the file changes and the finding goes', async () => {
      const uri = flywheelDiagnostics().find(([u]) => u.path.endsWith('/.github/CODEOWNERS'))![0];
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const before = doc.getText();
      let target: { diagnostic: vscode.Diagnostic; action: vscode.CodeAction } | undefined;
      const seen: string[] = [];
      for (const diagnostic of vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'flywheel')) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
        );
        seen.push(
          ...actions.map((a) => `${a.title} [${a.kind?.value}] edit=${!!a.edit} diagnostics=${a.diagnostics?.length}`),
        );
        const action = actions.find(
          (a) =>
            a.edit &&
            a.kind?.value === 'quickfix' &&
            (!a.diagnostics || a.diagnostics.some((x) => x.message === diagnostic.message)),
        );
        if (action) {
          target = { diagnostic, action };
          break;
        }
      }
      assert.ok(
        target,
        `a flywheel finding in CODEOWNERS offers a quick fix; actions seen: ${seen.join(' | ') || 'none'}`,
      );
      assert.ok(await vscode.workspace.applyEdit(target.action.edit!));
      assert.notEqual(doc.getText(), before, 'the quick fix changed the file');
      await waitFor('the fixed finding to go', vscode.languages.onDidChangeDiagnostics, () =>
        vscode.languages.getDiagnostics(uri).some((x) => x.message === target.diagnostic.message) ? undefined : true,
      );
      await doc.save();
    });

    it('hovers a file with its owners and the deciding CODEOWNERS line', async () => {
      const [file] = await vscode.workspace.findFiles('services/payments/src/*.ts', undefined, 1);
      assert.ok(file);
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        file,
        new vscode.Position(0, 0),
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /\*\*Owners:\*\*/);
      assert.match(text, /CODEOWNERS/);
    });

    it('registers every Flywheel command, and they answer', async () => {
      const all = new Set(await vscode.commands.getCommands(true));
      for (const id of Object.keys(COMMAND_TITLES)) assert.ok(all.has(id), `${id} registered`);
      const status = await vscode.commands.executeCommand<{ state: string; errors: number }>('flywheel.revalidate');
      assert.equal(status.state, 'ready');
      assert.equal(status.errors, api.latestStatus!.errors);
    });
  });
}
