// The built language server over stdio, driven like an editor drives it, on a temporary copy of
// test/fixtures/lsp/workspace. Every wait is on the server's notifications (see ./harness.ts).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentLink,
  Hover,
  MarkupContent,
  TextDocumentEdit,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { FIXTURES, tempWorkspace } from '../helpers';
import { copyFixture, Harness, uriOf } from './harness';

const FIXTURE = path.join(FIXTURES, 'lsp', 'workspace');
const PR_TEMPLATE = '.github/pull_request_template.md';
/** Where the finding about the missing PR template is shown: the policy that asks for the field (not the missing file). */
const POLICY = '.governance/policy.json';
const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);
const lacks = (code: string) => (d: Diagnostic[]) => !d.some((x) => x.code === code);

/** Apply LSP text edits to a text (edits do not overlap; applied from the end). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (line: number, character: number) => {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return (starts[line] ?? text.length) + character;
  };
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  let out = text;
  for (const e of sorted)
    out =
      out.slice(0, offset(e.range.start.line, e.range.start.character)) +
      e.newText +
      out.slice(offset(e.range.end.line, e.range.end.character));
  return out;
}

function hoverText(h: Hover | null): string {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

describe('language server over stdio', () => {
  let h: Harness;
  let root: string;
  let cleanup: () => void;

  before(async () => {
    ({ dir: root, cleanup } = copyFixture(FIXTURE));
    h = await Harness.start({ root });
    await h.waitForReady();
  });
  after(async () => {
    await h?.stop();
    cleanup?.();
  });

  test('workspace diagnostics for unopened files, with the rule id, its doc page and the finding id', async () => {
    const claude = await h.waitForDiagnostics('CLAUDE.md', has('workspace/suppression'));
    const d = claude.find((x) => x.code === 'workspace/suppression')!;
    assert.equal(d.source, 'flywheel');
    assert.match(d.codeDescription!.href, /docs\/rules\/workspace\/suppression\.md$/);
    assert.equal(d.range.start.line, 11);
    // A finding about a file that does not exist yet (no pull-request template) is published at the policy that
    // requires it.
    const pr = (await h.waitForDiagnostics(POLICY, has('owners/author-of-record'))).filter(
      (x) => x.code === 'owners/author-of-record',
    );
    const data = pr[0]!.data as { id?: string; fixes?: unknown };
    assert.equal(pr[0]!.code, 'owners/author-of-record');
    assert.equal(h.codes(PR_TEMPLATE).length, 0, 'nothing is shown against the missing file');
    assert.equal(typeof data.id, 'string', 'a finding with fixes carries its id (the fixes are looked up on request)');
    assert.equal(data.fixes, undefined);
    assert.equal(h.codes('src/web/app.ts').length, 0);
  });

  test('textDocument/didChange: an edit of CODEOWNERS re-checks ownership, other findings are kept', async () => {
    const rel = '.github/CODEOWNERS';
    const original = fs.readFileSync(path.join(root, rel), 'utf8');
    h.open(rel, original, 'codeowners');
    // A ranged change, as VS Code sends a keystroke (the line deleted); later a whole-text change.
    h.type(rel, original.replace('/src/payments/ @acme/payments\n', ''));
    const d = await h.waitForDiagnostics(rel, has('owners/unowned-path'));
    const finding = d.find((x) => x.code === 'owners/unowned-path')!;
    assert.match(String(finding.message), /src\/payments/);
    assert.ok(
      finding.relatedInformation?.some((r) => r.location.uri === uriOf(root, '.governance/policy.json')),
      'related: the policy line that requires it',
    );
    // CLAUDE.md's findings come from rules that do not depend on CODEOWNERS: still published, untouched.
    assert.deepEqual(h.codes('CLAUDE.md'), ['workspace/suppression']);

    // The quick fix adds the CODEOWNERS line back; applying it clears the finding.
    const actions = await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(root, rel) },
      range: finding.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.title.includes('src/payments'));
    assert.ok(fix, `a quick fix for src/payments among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    const edit = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(edit.textDocument.uri, uriOf(root, rel));
    assert.equal(edit.textDocument.version, 2, 'versioned against the open buffer');
    const fixed = applyEdits(original.replace('/src/payments/ @acme/payments\n', ''), edit.edits as TextEdit[]);
    assert.match(fixed, /^\/src\/payments\/\S* @acme\/\w+$/m);
    h.type(rel, fixed);
    await h.waitForDiagnostics(rel, lacks('owners/unowned-path'));
    h.change(rel, original);
    h.close(rel);
  });

  test('textDocument/codeAction: a fix that creates a file is CreateFile + TextDocumentEdit', async () => {
    const d = (await h.waitForDiagnostics(POLICY, has('owners/author-of-record'))).find(
      (x) => x.code === 'owners/author-of-record',
    );
    const actions = await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(root, POLICY) },
      range: d!.range,
      context: { diagnostics: [d] },
    });
    assert.equal(actions.length, 1);
    const [create, text] = actions[0]!.edit!.documentChanges! as [{ kind: string; uri: string }, TextDocumentEdit];
    assert.equal(create.kind, 'create');
    assert.equal(create.uri, uriOf(root, PR_TEMPLATE));
    assert.equal(text.textDocument.version, null);
    assert.equal(actions[0]!.isPreferred, true);
    // Apply it as the editor would (write the file; the watcher reports the creation): the finding goes.
    h.writeFile(PR_TEMPLATE, applyEdits('', text.edits as TextEdit[]));
    await h.waitForDiagnostics(POLICY, lacks('owners/author-of-record'));
    assert.equal(h.codes(PR_TEMPLATE).length, 0);
    h.writeFile(PR_TEMPLATE, null);
    await h.waitForDiagnostics(POLICY, has('owners/author-of-record'));
  });

  test('a client without documentChanges gets plain text edits, and no fix that must create a file', async () => {
    const { dir, cleanup: done } = copyFixture(FIXTURE);
    const plain = await Harness.start({ root: dir, noDocumentChanges: true });
    try {
      const d = (await plain.waitForDiagnostics(POLICY, has('owners/author-of-record'))).find(
        (x) => x.code === 'owners/author-of-record',
      );
      const actions = await plain.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uriOf(dir, POLICY) },
        range: d!.range,
        context: { diagnostics: [d] },
      });
      assert.deepEqual(actions, []);
    } finally {
      await plain.stop();
      done();
    }
  });

  test('a workspace folder below the governance root is checked as the whole root, with its policy', async () => {
    const { dir, cleanup: done } = copyFixture(FIXTURE);
    const sub = await Harness.start({ root: path.join(dir, 'src') });
    try {
      await sub.waitFor("diagnostics of the root's CLAUDE.md", () =>
        sub.diagnostics.get(uriOf(dir, 'CLAUDE.md'))?.length ? true : undefined,
      );
      const policy = await sub.conn.sendRequest<{ root: string; sources: { kind: string; path: string }[] }>(
        'flywheel/effectivePolicy',
        {},
      );
      assert.equal(policy.root, dir);
      assert.deepEqual(policy.sources[0], { kind: 'team', path: '.governance/policy.json' });
    } finally {
      await sub.stop();
      done();
    }
  });

  test('workspace/didChangeConfiguration: flywheel.enable off clears the diagnostics, on brings them back', async () => {
    const { dir, cleanup: done } = copyFixture(FIXTURE);
    const other = await Harness.start({ root: dir });
    try {
      await other.waitForDiagnostics('CLAUDE.md', has('workspace/suppression'));
      void other.conn.sendNotification('workspace/didChangeConfiguration', {
        settings: { flywheel: { enable: false } },
      });
      await other.waitForDiagnostics('CLAUDE.md', (d) => d.length === 0);
      await other.waitFor('a disabled status', () => other.statuses.find((s) => s.state === 'disabled'));
      void other.conn.sendNotification('workspace/didChangeConfiguration', {
        settings: { flywheel: { enable: true } },
      });
      await other.waitForDiagnostics('CLAUDE.md', has('workspace/suppression'));
    } finally {
      await other.stop();
      done();
    }
  });

  test('a two-folder workspace: each folder its own flywheel.enable and flywheel.policyPath (workspace/configuration with scopeUri)', async () => {
    const a = tempWorkspace({ '.governance/policy.json': '{ "rules": { "owners/typo-in-a": "off" } }\n' });
    const b = tempWorkspace({
      '.governance/policy.json': '{ "rules": { "owners/typo-in-b-default": "off" } }\n',
      'config/other.json': '{ "rules": { "owners/typo-in-b-other": "off" } }\n',
    });
    let aEnabled = false;
    const asked: (string | undefined)[] = [];
    const h = await Harness.start({
      root: a.dir,
      folders: [b.dir],
      configuration: (items) =>
        items.map((i) => {
          asked.push(i.scopeUri);
          if (i.scopeUri === pathToFileURL(a.dir).href) return { enable: aEnabled };
          if (i.scopeUri === pathToFileURL(b.dir).href) return { policyPath: 'config/other.json' };
          return { enable: true, policyPath: '.governance/policy.json' };
        }),
    });
    const policyProblem = (dir: string, rel: string, typo: string) =>
      h.waitFor(`policy/invalid for ${typo}`, () =>
        h.diagnostics.get(uriOf(dir, rel))?.find((d) => typeof d.message === 'string' && d.message.includes(typo)),
      );
    try {
      await policyProblem(b.dir, 'config/other.json', 'owners/typo-in-b-other');
      assert.ok(
        asked.includes(pathToFileURL(a.dir).href) && asked.includes(pathToFileURL(b.dir).href),
        'pulled per folder',
      );
      assert.equal(h.diagnostics.get(uriOf(a.dir, '.governance/policy.json')), undefined, 'folder a is disabled');
      assert.ok(
        !h.diagnostics.get(uriOf(b.dir, '.governance/policy.json'))?.length,
        "b's default policy is not b's policy",
      );
      // Folder a is switched on: it is opened and checked; b keeps its session.
      aEnabled = true;
      void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: { flywheel: {} } });
      await policyProblem(a.dir, '.governance/policy.json', 'owners/typo-in-a');
      assert.equal(h.logs.filter((l) => l.includes(`Opened ${b.dir}`)).length, 1, 'b is not re-opened');
      // And off again: a's diagnostics are cleared, b's stay.
      aEnabled = false;
      void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: { flywheel: {} } });
      await h.waitFor(
        "a's diagnostics cleared",
        () => h.diagnostics.get(uriOf(a.dir, '.governance/policy.json'))?.length === 0,
      );
      assert.ok(h.diagnostics.get(uriOf(b.dir, 'config/other.json'))?.length);
    } finally {
      await h.stop();
      a.cleanup();
      b.cleanup();
    }
  });

  test("watchers: every file of the workspace, and the machine's managed settings outside it", async () => {
    const { dir, cleanup: done } = copyFixture(FIXTURE);
    const outside = fs.mkdtempSync(path.join(path.dirname(dir), 'flywheel-managed-'));
    const other = await Harness.start({
      root: dir,
      env: { FLYWHEEL_MANAGED_SETTINGS: path.join(outside, 'managed-settings.json') },
    });
    try {
      await other.waitForReady();
      const watchers = await other.waitFor('watcher registrations', () => {
        const w = other.registrations
          .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
          .flatMap((r) => (r.registerOptions as { watchers: { globPattern: unknown }[] }).watchers);
        return w.length >= 2 ? w : undefined;
      });
      assert.ok(watchers.some((w) => w.globPattern === '**/*'));
      assert.ok(
        watchers.some(
          (w) =>
            JSON.stringify(w.globPattern) ===
            JSON.stringify({ baseUri: pathToFileURL(outside).href, pattern: 'managed-settings.json' }),
        ),
      );
    } finally {
      await other.stop();
      done();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('textDocument/hover: owners of any file, a CODEOWNERS pattern, a rule id', async () => {
    h.open('src/payments/pay.ts', undefined, 'typescript');
    const owners = hoverText(
      await h.conn.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(root, 'src/payments/pay.ts') },
        position: { line: 0, character: 3 },
      }),
    );
    assert.match(owners, /\*\*Owners:\*\* `@acme\/payments`/);
    assert.match(owners, /line 6\]\(file:.*CODEOWNERS#L6\)/);
    h.close('src/payments/pay.ts');

    h.open('.github/CODEOWNERS', undefined, 'codeowners');
    const pattern = hoverText(
      await h.conn.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(root, '.github/CODEOWNERS') },
        position: { line: 5, character: 3 },
      }),
    );
    assert.match(pattern, /\*\*Pattern\*\* `\/src\/payments\/` matches 1 file/);
    assert.match(pattern, /src\/payments\/pay\.ts/);
    h.close('.github/CODEOWNERS');

    h.open('CLAUDE.md', undefined, 'markdown');
    const rule = hoverText(
      await h.conn.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(root, 'CLAUDE.md') },
        position: { line: 11, character: 36 },
      }),
    );
    assert.match(rule, /\*\*owners\/no-match\*\*/);
    assert.match(rule, /\[Rule documentation\]\(https:.*docs\/rules\/owners\/no-match\.md\)/);
    h.close('CLAUDE.md');
  });

  test('textDocument/hover on a permission rule: live, or overridden and by what', async () => {
    const rel = '.claude/settings.json';
    h.open(rel, undefined, 'json');
    const at = async (line: number, character: number) =>
      hoverText(
        await h.conn.sendRequest('textDocument/hover', {
          textDocument: { uri: uriOf(root, rel) },
          position: { line, character },
        }),
      );
    assert.match(
      await at(2, 20),
      /\*\*Permission rule\*\* `Bash\(npm test\)` — `allow` in the project scope: \*\*live\*\*/,
    );
    const overridden = await at(2, 40);
    assert.match(overridden, /`Bash\(git push \*\)` — `allow` in the project scope: \*\*overridden\*\*/);
    assert.match(
      overridden,
      /Decided by `Bash\(git push \*\)` in \[\.claude\/settings\.json:4\]\(file:.*settings\.json#L4\)/,
    );
    h.close(rel);
  });

  test('textDocument/documentLink: rule ids to their doc pages, CODEOWNERS paths to the files', async () => {
    h.open('CLAUDE.md', undefined, 'markdown');
    const links = await h.conn.sendRequest<DocumentLink[]>('textDocument/documentLink', {
      textDocument: { uri: uriOf(root, 'CLAUDE.md') },
    });
    assert.ok(links.some((l) => l.target?.endsWith('docs/rules/owners/no-match.md') && l.range.start.line === 11));
    // `@docs/testing.md` and the Markdown link to it (the conventions surface).
    assert.equal(links.filter((l) => l.target === uriOf(root, 'docs/testing.md')).length, 2, JSON.stringify(links));
    h.close('CLAUDE.md');
    h.open('.github/CODEOWNERS', undefined, 'codeowners');
    const co = await h.conn.sendRequest<DocumentLink[]>('textDocument/documentLink', {
      textDocument: { uri: uriOf(root, '.github/CODEOWNERS') },
    });
    assert.ok(
      co.some((l) => l.target === uriOf(root, 'src/payments/pay.ts') && l.range.start.line === 5),
      JSON.stringify(co),
    );
    assert.ok(co.some((l) => l.target === uriOf(root, 'CLAUDE.md')));
    h.close('.github/CODEOWNERS');
  });

  test('textDocument/completion: owners the policy knows, after a CODEOWNERS pattern', async () => {
    const rel = '.github/CODEOWNERS';
    const text = fs.readFileSync(path.join(root, rel), 'utf8') + '/docs/ @acme/pa';
    h.open(rel, text, 'codeowners');
    const lines = text.split('\n');
    const items = await h.conn.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uriOf(root, rel) },
      position: { line: lines.length - 1, character: lines.at(-1)!.length },
    });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('@acme/payments') && labels.includes('@acme/platform'), labels.join(', '));
    const inPattern = await h.conn.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uriOf(root, rel) },
      position: { line: lines.length - 1, character: 3 },
    });
    assert.deepEqual(inPattern, []);
    h.change(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    h.close(rel);
  });

  test('textDocument/completion: tool names inside permissions.allow/ask/deny strings', async () => {
    const rel = '.claude/settings.json';
    const text = '{ "permissions": { "deny": ["Rea"], "env": { "X": "Rea" } } }';
    h.open(rel, text, 'json');
    const at = async (character: number) =>
      await h.conn.sendRequest<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: uriOf(root, rel) },
        position: { line: 0, character },
      });
    const items = await at(text.indexOf('Rea') + 3);
    const read = items.find((i) => i.label === 'Read');
    assert.ok(read, items.map((i) => i.label).join(', '));
    assert.deepEqual((read.textEdit as TextEdit).range.start, { line: 0, character: text.indexOf('Rea') });
    assert.equal((read.textEdit as TextEdit).newText, 'Read(${1})');
    assert.deepEqual(await at(text.lastIndexOf('Rea') + 3), [], 'not outside the permission lists');
    h.change(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    h.close(rel);
  });

  test('fan-out: moving CODEOWNERS to .gitlab/ (a rename the watcher reports) moves findings to other files', async () => {
    const names = (file: string) => (d: Diagnostic[]) =>
      d.some((x) => x.code === 'owners/author-of-record' && String(x.message).includes(file));
    await h.waitForDiagnostics(POLICY, names(PR_TEMPLATE));
    const text = fs.readFileSync(path.join(root, '.github/CODEOWNERS'), 'utf8');
    h.writeFile('.gitlab/CODEOWNERS', text);
    h.writeFile('.github/CODEOWNERS', null);
    // GitLab now: the pull-request template finding names GitLab's merge-request template instead.
    await h.waitForDiagnostics(POLICY, names('.gitlab/merge_request_templates/Default.md'));
    h.writeFile('.github/CODEOWNERS', text);
    h.writeFile('.gitlab/CODEOWNERS', null);
    await h.waitForDiagnostics(POLICY, names(PR_TEMPLATE));
  });

  test('an unsaved edit of the policy re-checks everything; an invalid policy is a finding, not a crash', async () => {
    const rel = '.governance/policy.json';
    const original = fs.readFileSync(path.join(root, rel), 'utf8');
    h.open(rel, original, 'jsonc');
    h.change(
      rel,
      original
        .replace('"src/payments/**"', '"src/payments/**", "docs/**"')
        .replace('"CLAUDE.md",', '"CLAUDE.md", "README.md",'),
    );
    const d = await h.waitForDiagnostics('.github/CODEOWNERS', has('owners/unowned-path'));
    assert.match(d.map((x) => x.message).join('\n'), /README\.md|docs\/\*\*/);
    h.change(rel, '{ "ownership": { "mustOwn": [ ');
    await h.waitForDiagnostics(rel, has('policy/invalid'));
    h.change(rel, original);
    // Back to the original: no finding about the policy itself (the missing PR template's stays, shown here).
    await h.waitForDiagnostics(rel, (x) => x.every((f) => f.code === 'owners/author-of-record'));
    await h.waitForDiagnostics('.github/CODEOWNERS', lacks('owners/unowned-path'));
    h.close(rel);
  });

  test('bad input: a binary convention file is reported and the server keeps answering', async () => {
    h.writeFile('AGENTS.md', Buffer.from([0x23, 0x20, 0x00, 0xff, 0xfe, 0x00, 0x41]));
    await h.waitForDiagnostics('AGENTS.md', has('workspace/unreadable'));
    const rules = await h.conn.sendRequest<{ id: string }[]>('flywheel/rules', {});
    assert.ok(rules.length > 0);
    h.writeFile('AGENTS.md', null);
    await h.waitForDiagnostics('AGENTS.md', (x) => x.length === 0);
  });

  test('custom requests: flywheel/owners, flywheel/effectivePolicy, flywheel/rules, flywheel/revalidate', async () => {
    const owners = await h.conn.sendRequest<{
      owners: string[];
      decidedBy: { text: string; range: { start: { line: number } } };
    }>('flywheel/owners', { uri: uriOf(root, 'src/web/app.ts') });
    assert.deepEqual(owners.owners, ['@acme/web']);
    assert.equal(owners.decidedBy.text, '/src/web/ @acme/web');
    assert.equal(owners.decidedBy.range.start.line, 1);
    const policy = await h.conn.sendRequest<{ json: string; sources: { kind: string }[] }>('flywheel/effectivePolicy', {
      uri: uriOf(root, 'CLAUDE.md'),
    });
    assert.deepEqual(JSON.parse(policy.json).ownership.knownOwners, ['@acme/platform', '@acme/web', '@acme/payments']);
    assert.equal(policy.sources[0]!.kind, 'team');
    const rules = await h.conn.sendRequest<{ id: string; docsUrl: string }[]>('flywheel/rules', {});
    assert.ok(rules.find((r) => r.id === 'owners/unowned-path')?.docsUrl.endsWith('docs/rules/owners/unowned-path.md'));
    const status = await h.conn.sendRequest<{ state: string; warnings: number; infos: number }>('flywheel/revalidate');
    assert.equal(status.state, 'ready');
    assert.ok(status.warnings >= 1 && status.infos >= 1, JSON.stringify(status));
  });
});
