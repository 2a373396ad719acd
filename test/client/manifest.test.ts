// The extension manifest (package.json) agrees with the code: the command registry, the settings the client reads,
// the contributed files (and that .vscodeignore ships them), activation on every kind of governance file, restricted
// mode, and the VS Code versions we test in.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { CATEGORY, COMMAND_TITLES } from '../../client/src/commandIds';
import { classify } from '../../server/src/engine/kinds';
import type { FileKind } from '../../server/src/engine/types';
import { REPO_ROOT } from '../helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

describe('package.json', () => {
  test('contributes exactly the registered commands, each in the Flywheel category', () => {
    const declared = Object.fromEntries(
      contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]),
    );
    assert.deepEqual(declared, COMMAND_TITLES);
    for (const c of contributes.commands) assert.equal(c.category, CATEGORY);
  });

  test('every setting the client reads is declared, with a markdownDescription', () => {
    const props = contributes.configuration.properties as Record<string, { markdownDescription?: string }>;
    const read = [
      ...fs.readFileSync(path.join(REPO_ROOT, 'client/src/settings.ts'), 'utf8').matchAll(/c\.get<\w+>\('(\w+)'/g),
    ].map((m) => `flywheel.${m[1]}`);
    assert.ok(read.length >= 5);
    for (const key of [...read, 'flywheel.trace.server'])
      assert.ok(props[key]?.markdownDescription, `${key} declared with a markdownDescription`);
    for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations)
      assert.ok(props[key], `${key} restricted and declared`);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  test('every contributed file exists and .vscodeignore ships it', () => {
    const allow = fs
      .readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => picomatch(l.slice(1), { dot: true }));
    const files = [
      pkg.main,
      pkg.icon,
      'out/server.cjs',
      ...contributes.snippets.map((s: { path: string }) => s.path),
      ...contributes.grammars.map((g: { path: string }) => g.path),
      ...contributes.languages
        .filter((l: { configuration?: string }) => l.configuration)
        .map((l: { configuration: string }) => l.configuration),
      ...contributes.jsonValidation.map((j: { url: string }) => j.url),
    ].map((p: string) => p.replace(/^\.\//, ''));
    for (const f of files) {
      if (!f.startsWith('out/')) assert.ok(fs.existsSync(path.join(REPO_ROOT, f)), `${f} exists`);
      assert.ok(
        allow.some((m) => m(f)),
        `${f} is allow-listed in .vscodeignore`,
      );
    }
  });

  test('the extension activates on every kind of governance file a workspace holds', () => {
    const globs = (pkg.activationEvents as string[])
      .filter((e) => e.startsWith('workspaceContains:'))
      .map((e) => picomatch(e.slice('workspaceContains:'.length), { dot: true }));
    const samples: Partial<Record<FileKind, string>> = {
      codeowners: '.github/CODEOWNERS',
      'pr-template': '.github/pull_request_template.md',
      'claude-md': 'packages/a/CLAUDE.md',
      'claude-local-md': 'CLAUDE.local.md',
      'claude-rules': '.claude/rules/testing.md',
      'agents-md': 'AGENTS.md',
      'gemini-md': 'GEMINI.md',
      cursorrules: '.cursorrules',
      'cursor-mdc': '.cursor/rules/style.mdc',
      'copilot-instructions': '.github/copilot-instructions.md',
      'copilot-scoped-instructions': '.github/instructions/ts.instructions.md',
      'claude-settings': '.claude/settings.json',
      'claude-settings-local': '.claude/settings.local.json',
      'mcp-json': '.mcp.json',
      'vscode-mcp-json': '.vscode/mcp.json',
      'cursor-mcp-json': '.cursor/mcp.json',
      'gemini-settings': '.gemini/settings.json',
      'agent-ignore': '.aiexclude',
      'governance-policy': '.governance/policy.json',
    };
    for (const [kind, sample] of Object.entries(samples)) {
      assert.equal(classify(sample), kind, `sample of ${kind}`);
      assert.ok(
        globs.some((m) => m(sample)),
        `activation on ${sample} (${kind})`,
      );
    }
  });

  test('the editor versions we test in satisfy engines.vscode', () => {
    const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines.vscode);
    assert.ok(m, 'engines.vscode is a caret range');
    const satisfies = (v: string) => {
      const [maj, min, pat] = v.split('.').map(Number) as [number, number, number];
      const [M, N, P] = [Number(m[1]), Number(m[2]), Number(m[3])];
      return maj === M && (min > N || (min === N && pat >= P));
    };
    assert.ok(satisfies('1.100.3'), 'code-server 4.100.3 (VS Code 1.100.3)');
    assert.ok(satisfies('1.96.0'));
  });

  test('the policy schema is contributed for .governance/policy.json', () => {
    const v = contributes.jsonValidation.find((j: { url: string }) => j.url === './schemas/policy.schema.json');
    assert.ok(v);
    assert.ok(v.fileMatch.some((g: string) => picomatch(g, { dot: true })('repo/.governance/policy.json')));
  });
});
