// `flywheel permissions explain|effective` through main() with a fake CliIO. The machine's files are never read:
// every run passes --managed (a file or "none") and --home.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { tempWorkspace } from '../helpers';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd };
  const code = await main(args, io);
  return { code, out, err };
}

const PROJECT = `{
  "permissions": {
    "allow": ["Bash(npm run *)"],
    "ask": [],
    "deny": ["Bash(git push *)"]
  }
}
`;
const LOCAL = `{
  "permissions": {
    "allow": ["Bash(git *)"]
  }
}
`;

describe('flywheel permissions', () => {
  const ws = tempWorkspace({
    'repo/.claude/settings.json': PROJECT,
    'repo/.claude/settings.local.json': LOCAL,
    'etc/managed-settings.json': JSON.stringify({ permissions: { deny: ['Bash(curl *)'] } }),
    'home/.claude/settings.json': JSON.stringify({ permissions: { allow: ['Bash(docker *)'] } }),
    'repo/.gemini/settings.json': JSON.stringify({
      tools: { exclude: ['run_shell_command(git push)'], allowed: ['run_shell_command(git status)'] },
    }),
  });
  const base = [
    '--root',
    path.join(ws.dir, 'repo'),
    '--managed',
    path.join(ws.dir, 'etc/managed-settings.json'),
    '--home',
    path.join(ws.dir, 'home'),
  ];

  it('explain --format json follows the contract', async () => {
    const r = await cli(['permissions', 'explain', 'Bash(git push origin main)', ...base, '--format', 'json'], ws.dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), {
      version: 1,
      call: 'Bash(git push origin main)',
      decision: 'deny',
      rule: 'Bash(git push *)',
      file: '.claude/settings.json',
      line: 5,
      scope: 'project',
      beaten: [{ rule: 'Bash(git *)', file: '.claude/settings.local.json', line: 3, scope: 'local', list: 'allow' }],
    });
  });
  it('prompt has null rule, file, line and scope', async () => {
    const r = await cli(['permissions', 'explain', 'Bash(make deploy)', ...base, '--format', 'json'], ws.dir);
    assert.deepEqual(JSON.parse(r.out), {
      version: 1,
      call: 'Bash(make deploy)',
      decision: 'prompt',
      rule: null,
      file: null,
      line: null,
      scope: null,
      beaten: [],
    });
  });
  it('reads the managed file given, and the user file only when given', async () => {
    const m = JSON.parse(
      (await cli(['permissions', 'explain', 'Bash(curl https://x)', ...base, '--format', 'json'], ws.dir)).out,
    );
    assert.equal(m.decision, 'deny');
    assert.equal(m.scope, 'managed');
    assert.equal(m.file, path.join(ws.dir, 'etc/managed-settings.json').replace(/\\/g, '/'));
    const without = JSON.parse(
      (await cli(['permissions', 'explain', 'Bash(docker build .)', ...base, '--format', 'json'], ws.dir)).out,
    );
    assert.equal(without.decision, 'prompt');
    const withUser = JSON.parse(
      (
        await cli(
          [
            'permissions',
            'explain',
            'Bash(docker build .)',
            ...base,
            '--user',
            path.join(ws.dir, 'home/.claude/settings.json'),
            '--format',
            'json',
          ],
          ws.dir,
        )
      ).out,
    );
    assert.equal(withUser.decision, 'allow');
    assert.equal(withUser.scope, 'user');
  });
  it('explain text names the deciding rule and what it beat', async () => {
    const r = await cli(['permissions', 'explain', 'Bash(git push origin main)', ...base], ws.dir);
    assert.match(r.out, /DENY/);
    assert.match(r.out, /decided by +deny +Bash\(git push \*\) +\.claude\/settings\.json:5 \(project\)/);
    assert.match(r.out, /beats +allow +Bash\(git \*\) +\.claude\/settings\.local\.json:3 \(local\)/);
  });
  it('effective lists every rule with origin and status', async () => {
    const j = JSON.parse((await cli(['permissions', 'effective', ...base, '--format', 'json'], ws.dir)).out);
    assert.equal(j.version, 1);
    assert.deepEqual(
      j.files.map((f: { scope: string }) => f.scope),
      ['managed', 'local', 'project'],
    );
    assert.deepEqual(
      j.rules.map((r: { rule: string; list: string; status: string }) => `${r.list} ${r.rule} ${r.status}`).sort(),
      ['allow Bash(git *) live', 'allow Bash(npm run *) live', 'deny Bash(curl *) live', 'deny Bash(git push *) live'],
    );
    const t = await cli(['permissions', 'effective', ...base], ws.dir);
    assert.match(t.out, /deny \(2\)/);
  });
  it('gemini', async () => {
    const r = JSON.parse(
      (
        await cli(
          [
            'permissions',
            'explain',
            'run_shell_command(git push origin)',
            '--agent',
            'gemini',
            ...base,
            '--format',
            'json',
          ],
          ws.dir,
        )
      ).out,
    );
    assert.equal(r.decision, 'deny');
    assert.equal(r.rule, 'run_shell_command(git push)');
    assert.equal(r.file, '.gemini/settings.json');
    assert.equal(r.scope, 'workspace');
    assert.equal(r.line, 1);
  });
  it('usage errors exit 2', async () => {
    assert.equal((await cli(['permissions'], ws.dir)).code, 2);
    assert.equal((await cli(['permissions', 'explain'], ws.dir)).code, 2);
    assert.equal(
      (await cli(['permissions', 'explain', 'Bash(x)', '--agent', 'cursor', '--managed', 'none'], ws.dir)).code,
      2,
    );
    assert.equal(
      (await cli(['permissions', 'explain', 'Bash(x)', '--managed', '/nonexistent/file.json'], ws.dir)).code,
      2,
    );
  });
  it('cleans up', () => ws.cleanup());
});
