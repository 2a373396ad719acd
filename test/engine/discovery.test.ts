import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache, check, RULES } from '../../server/src/engine/index';
import { classify } from '../../server/src/engine/kinds';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { findRoot, openWorkspace, openWorkspaceAsync } from '../../server/src/node/discovery';
import { withBuffers } from '../../server/src/node/live-snapshot';
import { tempWorkspace } from '../helpers';

describe('classify', () => {
  const cases: [string, string | undefined][] = [
    ['.github/CODEOWNERS', 'codeowners'],
    ['CODEOWNERS', 'codeowners'],
    ['docs/CODEOWNERS', 'codeowners'],
    ['.gitlab/CODEOWNERS', 'codeowners'],
    ['.bitbucket/CODEOWNERS', 'codeowners'],
    ['src/CODEOWNERS', undefined],
    ['.github/pull_request_template.md', 'pr-template'],
    ['.github/PULL_REQUEST_TEMPLATE/feature.md', 'pr-template'],
    ['CLAUDE.md', 'claude-md'],
    ['services/payments/CLAUDE.md', 'claude-md'],
    ['CLAUDE.local.md', 'claude-local-md'],
    ['.claude/CLAUDE.md', 'claude-md'],
    ['.claude/rules/db/migrations.md', 'claude-rules'],
    ['AGENTS.md', 'agents-md'],
    ['apps/web/AGENTS.md', 'agents-md'],
    ['GEMINI.md', 'gemini-md'],
    ['.cursorrules', 'cursorrules'],
    ['.cursor/rules/a/b.mdc', 'cursor-mdc'],
    ['.github/copilot-instructions.md', 'copilot-instructions'],
    ['.github/instructions/ts.instructions.md', 'copilot-scoped-instructions'],
    ['.github/instructions/ts.md', undefined],
    ['.claude/settings.json', 'claude-settings'],
    ['.claude/settings.local.json', 'claude-settings-local'],
    ['.mcp.json', 'mcp-json'],
    ['.vscode/mcp.json', 'vscode-mcp-json'],
    ['.cursor/mcp.json', 'cursor-mcp-json'],
    ['.gemini/settings.json', 'gemini-settings'],
    ['.cursorignore', 'agent-ignore'],
    ['.geminiignore', 'agent-ignore'],
    ['.aiexclude', 'agent-ignore'],
    ['.github/workflows/ci.yml', 'ci-workflow'],
    ['.governance/policy.json', 'governance-policy'],
    ['.governance/signals/2026/s-1.md', 'governance-signal'],
    ['.governance/proposals/P-1.md', 'governance-proposal'],
    ['.governance/managed/claude-managed-settings.json', 'claude-managed-settings'],
    ['.governance/registry/mcp.json', 'governance-other'],
    ['src/index.ts', undefined],
    ['README.md', undefined],
  ];
  for (const [p, kind] of cases) it(`${p} → ${kind ?? 'none'}`, () => assert.equal(classify(p), kind));
});

describe('openWorkspace', () => {
  it('walks without git, honours nested .gitignore files and skips node_modules', () => {
    const ws = tempWorkspace({
      '.gitignore': 'dist/\n*.log\n',
      'CLAUDE.md': '# a\n',
      'dist/CLAUDE.md': '# built\n',
      'debug.log': 'x',
      'node_modules/pkg/AGENTS.md': '# dep\n',
      'pkg/.gitignore': 'local-*\n',
      'pkg/local-AGENTS.md': 'x',
      'pkg/AGENTS.md': '# pkg\n',
    });
    try {
      const s = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
      assert.deepEqual([...s.files].sort(), ['.gitignore', 'CLAUDE.md', 'pkg/.gitignore', 'pkg/AGENTS.md']);
      assert.deepEqual(
        s.governance.map((g) => [g.path, g.kind]),
        [
          ['CLAUDE.md', 'claude-md'],
          ['pkg/AGENTS.md', 'agents-md'],
        ],
      );
      assert.equal(s.tracked, undefined);
    } finally {
      ws.cleanup();
    }
  });

  it('lists tracked and untracked-but-not-ignored files with git, and knows which are tracked', () => {
    const ws = tempWorkspace({
      '.gitignore': 'ignored.md\n',
      'AGENTS.md': '# a\n',
      'ignored.md': 'x',
      '.claude/settings.local.json': '{}',
    });
    try {
      execFileSync('git', ['init', '-q'], { cwd: ws.dir });
      execFileSync('git', ['add', '.gitignore', '.claude/settings.local.json'], { cwd: ws.dir });
      const s = openWorkspace(ws.dir, { managedSettingsPath: null });
      assert.deepEqual([...s.files], ['.claude/settings.local.json', '.gitignore', 'AGENTS.md']);
      assert.ok(s.tracked?.has('.claude/settings.local.json'));
      assert.ok(!s.tracked?.has('AGENTS.md'));
      assert.equal(s.governance.find((g) => g.path === 'AGENTS.md')?.tracked, false);
    } finally {
      ws.cleanup();
    }
  });

  it('with git, knows tracked symlinks from the index and probes untracked ones; reads empty, large and folder files as before', () => {
    const ws = tempWorkspace({
      'AGENTS.md': '# rules\n',
      'GEMINI.md': '# gemini\n',
      '.governance/signals/empty.md': '',
      '.governance/signals/large.md': 'x'.repeat(200 * 1024),
    });
    try {
      fs.symlinkSync('AGENTS.md', path.join(ws.dir, 'CLAUDE.md'));
      fs.symlinkSync('nowhere.md', path.join(ws.dir, '.cursorrules')); // dangling
      execFileSync('git', ['init', '-q'], { cwd: ws.dir });
      execFileSync('git', ['add', '-A'], { cwd: ws.dir });
      fs.mkdirSync(path.join(ws.dir, '.github'));
      fs.symlinkSync('../GEMINI.md', path.join(ws.dir, '.github/copilot-instructions.md')); // untracked link
      const s = openWorkspace(ws.dir, { managedSettingsPath: null });
      const g = (p: string) => s.governance.find((x) => x.path === p);
      assert.equal(g('CLAUDE.md')?.symlinkTo, 'AGENTS.md');
      assert.deepEqual(g('AGENTS.md')?.aliases, ['CLAUDE.md']);
      assert.equal(g('.github/copilot-instructions.md')?.symlinkTo, 'GEMINI.md');
      assert.equal(g('GEMINI.md')?.symlinkTo, undefined);
      const dangling = s.read('.cursorrules');
      assert.ok(!dangling.ok && dangling.reason === 'unreadable' && /dangling/.test(dangling.message));
      const empty = s.read('.governance/signals/empty.md');
      assert.ok(empty.ok && empty.text === '');
      const large = s.read('.governance/signals/large.md');
      assert.ok(large.ok && large.text.length === 200 * 1024 && large.size === 200 * 1024);
      // Tracked as a file, a folder now: read as a folder.
      fs.rmSync(path.join(ws.dir, 'GEMINI.md'));
      fs.mkdirSync(path.join(ws.dir, 'GEMINI.md'));
      const folder = openWorkspace(ws.dir, { managedSettingsPath: null }).read('GEMINI.md');
      assert.ok(!folder.ok && folder.reason === 'directory');
    } finally {
      ws.cleanup();
    }
  });

  it('`only` lists those folders, untracked and deleted files included, with git and without', () => {
    const ws = tempWorkspace({
      '.gitignore': '*.tmp\n',
      '.governance/signals/S-1.md': 's1',
      '.governance/signals/S-2.md': 's2',
      '.governance/proposals/P-1.md': 'p1',
      '.governance/ledger/S-1/E-1.json': '{}',
      'src/CLAUDE.md': '# x\n',
    });
    try {
      const only = ['.governance/signals', '.governance/proposals'];
      const expected = ['.governance/proposals/P-1.md', '.governance/signals/S-1.md', '.governance/signals/S-3.md'];
      execFileSync('git', ['init', '-q'], { cwd: ws.dir });
      execFileSync('git', ['add', '-A'], { cwd: ws.dir });
      fs.writeFileSync(path.join(ws.dir, '.governance/signals/S-3.md'), 's3'); // captured, not yet added
      fs.writeFileSync(path.join(ws.dir, '.governance/signals/S-4.tmp'), 'ignored');
      fs.rmSync(path.join(ws.dir, '.governance/signals/S-2.md')); // deleted, still in the index
      assert.deepEqual([...openWorkspace(ws.dir, { managedSettingsPath: null, only }).files], expected);
      assert.deepEqual([...openWorkspace(ws.dir, { managedSettingsPath: null, git: false, only }).files], expected);
      assert.deepEqual([...openWorkspace(ws.dir, { managedSettingsPath: null, only: [] }).files], []);
    } finally {
      ws.cleanup();
    }
  });

  it('openWorkspaceAsync makes the snapshot openWorkspace makes, its records already read', async () => {
    const ws = tempWorkspace({
      '.gitignore': '*.tmp\n',
      '.governance/signals/S-1.md': 's1',
      '.governance/signals/S-2.md': 's2',
      '.governance/ledger/S-1/E-1.json': '{"a":1}',
      'AGENTS.md': '# rules\n',
    });
    try {
      fs.symlinkSync('AGENTS.md', path.join(ws.dir, 'CLAUDE.md'));
      execFileSync('git', ['init', '-q'], { cwd: ws.dir });
      execFileSync('git', ['add', '-A'], { cwd: ws.dir });
      fs.writeFileSync(path.join(ws.dir, '.governance/signals/S-3.md'), 's3');
      fs.writeFileSync(path.join(ws.dir, 'x.tmp'), 'ignored');
      fs.rmSync(path.join(ws.dir, '.governance/signals/S-2.md'));
      const sync = openWorkspace(ws.dir, { managedSettingsPath: null });
      const async_ = await openWorkspaceAsync(ws.dir, { managedSettingsPath: null });
      assert.deepEqual([...async_.files], [...sync.files]);
      assert.ok(
        !async_.files.includes('.governance/signals/S-2.md') && async_.files.includes('.governance/signals/S-3.md'),
      );
      assert.deepEqual([...(async_.tracked ?? [])].sort(), [...(sync.tracked ?? [])].sort());
      assert.deepEqual(async_.governance, sync.governance);
      for (const f of sync.files) assert.deepEqual(async_.read(f), sync.read(f), f);
      const plain = await openWorkspaceAsync(ws.dir, { managedSettingsPath: null, git: false });
      assert.deepEqual([...plain.files], [...openWorkspace(ws.dir, { managedSettingsPath: null, git: false }).files]);
    } finally {
      ws.cleanup();
    }
  });

  it('treats a symlinked convention file as one file with two names', () => {
    const ws = tempWorkspace({ 'AGENTS.md': '# rules\n' });
    try {
      fs.symlinkSync('AGENTS.md', path.join(ws.dir, 'CLAUDE.md'));
      const s = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
      const claude = s.governance.find((g) => g.path === 'CLAUDE.md');
      const agents = s.governance.find((g) => g.path === 'AGENTS.md');
      assert.equal(claude?.symlinkTo, 'AGENTS.md');
      assert.deepEqual(agents?.aliases, ['CLAUDE.md']);
      const r = s.read('CLAUDE.md');
      assert.ok(r.ok && r.text === '# rules\n');
    } finally {
      ws.cleanup();
    }
  });

  it('never follows a symlink loop and reports it when read', () => {
    const ws = tempWorkspace({ 'docs/readme.md': 'x' });
    try {
      fs.symlinkSync('.', path.join(ws.dir, 'docs', 'loop')); // a directory loop
      fs.symlinkSync('CLAUDE.md', path.join(ws.dir, 'CLAUDE.md')); // a file that points at itself
      const s = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
      assert.ok(s.files.includes('CLAUDE.md'));
      const r = s.read('CLAUDE.md');
      assert.equal(r.ok, false);
      assert.ok(!r.ok && /loop/.test(r.message));
    } finally {
      ws.cleanup();
    }
  });

  it('reads paths with spaces and non-ASCII characters', () => {
    const ws = tempWorkspace({ 'dossier été/sub dir/AGENTS.md': '# ça marche\n' });
    try {
      const s = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
      const g = s.governance.find((x) => x.kind === 'agents-md');
      assert.equal(g?.path, 'dossier été/sub dir/AGENTS.md');
      const r = s.read(g.path);
      assert.ok(r.ok && r.text.includes('ça'));
    } finally {
      ws.cleanup();
    }
  });

  it('prefers open buffers over the disk and versions them', () => {
    const ws = tempWorkspace({ 'CLAUDE.md': 'disk\n' });
    try {
      const s = withBuffers(
        openWorkspace(ws.dir, { git: false, managedSettingsPath: null }),
        new Map([['CLAUDE.md', { text: 'buffer\n', version: 7 }]]),
      );
      const r = s.read('CLAUDE.md');
      assert.ok(r.ok && r.text === 'buffer\n');
      assert.match(s.version('CLAUDE.md'), /^o7:/);
    } finally {
      ws.cleanup();
    }
  });

  it('reads binary, huge, folder and special files as reasons, never throwing', () => {
    const ws = tempWorkspace({ 'CLAUDE.md': Buffer.from([0x50, 0x4b, 0, 1, 2]), 'big/AGENTS.md': 'x'.repeat(2048) });
    try {
      const s = openWorkspace(ws.dir, { git: false, managedSettingsPath: null, maxFileBytes: 1024 });
      const bin = s.read('CLAUDE.md');
      assert.ok(!bin.ok && bin.reason === 'binary');
      const big = s.read('big/AGENTS.md');
      assert.ok(!big.ok && big.reason === 'too-large' && big.size === 2048);
      const dir = s.read('big');
      assert.ok(!dir.ok && dir.reason === 'directory');
      const missing = s.read('nope.md');
      assert.ok(!missing.ok && missing.reason === 'missing');
      execFileSync('mkfifo', [path.join(ws.dir, 'GEMINI.md')]);
      const fifo = s.read('GEMINI.md');
      assert.ok(!fifo.ok && fifo.reason === 'unreadable');
    } finally {
      ws.cleanup();
    }
  });
});

describe('findRoot', () => {
  it('takes a folder with .governance as its own root, else the nearest .git above', () => {
    const ws = tempWorkspace({
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/a/b/c.txt': 'x',
      'repo/ex/.governance/policy.json': '{}',
    });
    try {
      assert.equal(findRoot(path.join(ws.dir, 'repo/a/b')), path.join(ws.dir, 'repo'));
      assert.equal(findRoot(path.join(ws.dir, 'repo/ex')), path.join(ws.dir, 'repo/ex'));
    } finally {
      ws.cleanup();
    }
  });
});

describe('a folder that cannot be listed', () => {
  // A fixture cannot hold one (git keeps no folder permissions, and tests may run as root): the listing's problem is
  // given to the snapshot here, as discovery would.
  it('is reported by workspace/unreadable (discovery)', () => {
    const ws = tempWorkspace({ 'CLAUDE.md': '# Project\n' });
    try {
      const real = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
      const problems = [{ path: 'secret', message: 'cannot list folder: EACCES: permission denied' }];
      const snapshot = Object.create(real, { discoveryProblems: { value: problems } }) as typeof real;
      const rule = RULES.find((r) => r.meta.id === 'workspace/unreadable');
      assert.ok(rule);
      const findings = check(snapshot, loadPolicy(real), new AnalysisCache(), { rules: [rule] });
      // The folder is not a file the snapshot lists, so the finding sits at the repository root and names it.
      assert.deepEqual(
        findings.map((f) => [f.file, f.messageId]),
        [['.', 'discovery']],
      );
      assert.match(findings[0]?.message ?? '', /^While listing the workspace: secret: /);
    } finally {
      ws.cleanup();
    }
  });
});
