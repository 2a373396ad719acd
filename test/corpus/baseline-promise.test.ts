// The baseline's promise (docs/policy.md): on a repository where every governance file has a team owner, no import
// or link is broken and no bypass is configured, the baseline reports nothing. And a folder with nothing to check
// says so and exits 0.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { checkFolder } from '../../server/src/cli/check';
import { main } from '../../server/src/cli/main';
import { tempWorkspace } from '../helpers';

const WELL_KEPT: Record<string, string> = {
  '.github/CODEOWNERS': '# One team owns everything.\n* @acme/maintainers\n',
  '.github/pull_request_template.md': '## Summary\n\n<!-- What does this change and why? -->\n',
  '.github/workflows/ci.yml':
    'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
  'CLAUDE.md': '@AGENTS.md\n\n## Claude\n\nUse the `Explore` subagent for searches.\n',
  'AGENTS.md':
    '# Agents\n\n## Commands\n\n- `npm test` runs the tests; `npm run lint` the linter.\n\n' +
    'See [the guide](CONTRIBUTING.md).\n',
  'CONTRIBUTING.md': '# Contributing\n',
  'packages/web/AGENTS.md': '# Web\n\nRun `npm run dev` here.\n',
  'packages/web/package.json': '{ "name": "web", "scripts": { "dev": "vite" } }\n',
  'package.json':
    '{ "name": "root", "private": true, "workspaces": ["packages/*"], ' +
    '"scripts": { "test": "node --test", "lint": "eslint ." } }\n',
  '.claude/settings.json': '{ "permissions": { "allow": ["Bash(npm test)"], "deny": ["Read(./.env)"] } }\n',
  'src/index.ts': 'export {};\n',
};

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}

describe('the baseline promise', () => {
  it('reports nothing on a well-kept repository (a team owns everything, nothing broken, no bypass)', () => {
    const ws = tempWorkspace(WELL_KEPT);
    try {
      git(ws.dir, 'init', '-q');
      git(ws.dir, 'add', '-A');
      const r = checkFolder(ws.dir, { managed: null });
      assert.deepEqual(
        r.findings.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line + 1} ${f.message}`),
        [],
      );
      assert.ok(r.filesChecked >= 6);
    } finally {
      ws.cleanup();
    }
  });

  it('reports a missing CODEOWNERS once, at the repository root (not against the missing file)', () => {
    const files = { ...WELL_KEPT };
    delete files['.github/CODEOWNERS'];
    const ws = tempWorkspace(files);
    try {
      const r = checkFolder(ws.dir, { managed: null });
      assert.deepEqual(
        r.findings.map((f) => [f.ruleId, f.file]),
        [['owners/missing-file', '.']],
      );
    } finally {
      ws.cleanup();
    }
  });

  it('says there is nothing to check in a folder with no governance file, and exits 0', async () => {
    const ws = tempWorkspace({ 'README.md': 'hello\n' });
    try {
      let out = '';
      const code = await main(['check', ws.dir, '--managed', '/nonexistent/managed-settings.json'], {
        out: (t) => (out += t),
        err: (t) => (out += t),
        color: false,
        cwd: ws.dir,
      });
      assert.equal(code, 0, out);
      assert.match(out, /nothing to check: no governance files/);
      assert.doesNotMatch(out, /problem/);
    } finally {
      ws.cleanup();
    }
  });
});
