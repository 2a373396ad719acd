// A symlinked convention file (CLAUDE.md → CONTRIBUTING.md, CLAUDE.md → AGENTS.md) is protected only if its target
// is owned: a change to what agents read through the link is a change to the target, and CODEOWNERS matches the
// changed path. The owners/* rules and `flywheel owners` judge the target's ownership and say so; a dangling link is
// workspace/unreadable. Real symlinks in a temporary git repository.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkFolder } from '../../server/src/cli/check';
import type { CliIO } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';
import type { Finding } from '../../server/src/engine/index';
import { tempWorkspace } from '../helpers';

/** A git repository with these files and symlinks (link → target as written in the link). */
function repo(
  files: Record<string, string>,
  links: Record<string, string>,
): { dir: string; cleanup: () => void; findings: () => Finding[] } {
  const ws = tempWorkspace(files);
  for (const [link, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(ws.dir, link)), { recursive: true });
    fs.symlinkSync(target, path.join(ws.dir, link));
  }
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ws.dir, encoding: 'utf8' });
  assert.equal(git('init', '-q').status, 0);
  assert.equal(git('add', '-A').status, 0);
  return { ...ws, findings: () => checkFolder(ws.dir, { managed: null }).findings };
}

async function owners(dir: string, args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = { out: (t) => (out += t), err: () => {}, color: false, cwd: dir };
  const code = await main(['owners', '--root', dir, ...args], io);
  return { code, out };
}

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

describe('symlinked convention files', () => {
  it('CLAUDE.md → CONTRIBUTING.md, owned only by name: unowned, judged by the target, fixed with a line for it', () => {
    const r = repo(
      {
        '.github/CODEOWNERS': '/CLAUDE.md @acme/platform\n/AGENTS.md @acme/platform\n/.github/ @acme/platform\n',
        'CONTRIBUTING.md': '# Contributing\n\nRun the tests.\n',
      },
      { 'CLAUDE.md': 'CONTRIBUTING.md' },
    );
    try {
      const unowned = of(r.findings(), 'owners/unowned-path');
      assert.equal(unowned.length, 1, JSON.stringify(unowned.map((f) => f.message)));
      const f = unowned[0]!;
      assert.match(f.message, /`CLAUDE\.md` \(a symlink to `CONTRIBUTING\.md`\) has no owner/);
      assert.match(f.message, /what agents read there is `CONTRIBUTING\.md`, whose ownership is what counts/);
      const fix = f.fixes?.[0];
      assert.ok(fix, 'a fix is offered');
      assert.ok(
        fix.edits.some((e) => e.newText.includes('/CONTRIBUTING.md @acme/platform')),
        JSON.stringify(fix.edits),
      );
    } finally {
      r.cleanup();
    }
  });

  it('CLAUDE.md → AGENTS.md with AGENTS.md owned: protected, no finding, though no line names CLAUDE.md', () => {
    const r = repo(
      {
        '.github/CODEOWNERS': '/AGENTS.md @acme/platform\n/.github/ @acme/platform\n',
        'AGENTS.md': '# Agents\n\nRun the tests.\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const found = r.findings().filter((f) => f.ruleId.startsWith('owners/'));
      assert.deepEqual(
        found.map((f) => [f.ruleId, f.message]),
        [],
      );
    } finally {
      r.cleanup();
    }
  });

  it('a link in a subfolder to a file in another folder is judged by that file', () => {
    const r = repo(
      {
        '.github/CODEOWNERS': '/docs/ @acme/docs\n/.github/ @acme/platform\n',
        'docs/agents.md': '# Agents\n',
      },
      { 'packages/web/CLAUDE.md': '../../docs/agents.md' },
    );
    try {
      const found = of(r.findings(), 'owners/unowned-path');
      assert.deepEqual(found, []);
    } finally {
      r.cleanup();
    }
  });

  it('owners/wrong-owner and owners/catch-all-only judge the target and name it', () => {
    const policy = JSON.stringify({ ownership: { owners: { '**/CLAUDE.md': ['@acme/platform'] } } });
    const wrong = repo(
      {
        '.github/CODEOWNERS': '/CLAUDE.md @acme/platform\n/AGENTS.md @acme/dev\n/.github/ @acme/platform\n',
        '.governance/policy.json': policy,
        'AGENTS.md': '# Agents\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const found = of(wrong.findings(), 'owners/wrong-owner');
      assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
      assert.match(found[0]!.message, /`CLAUDE\.md` \(a symlink to `AGENTS\.md`\) is owned by @acme\/dev/);
      assert.match(found[0]!.message, /line 2 \(`\/AGENTS\.md`\) decides/);
      assert.equal(found[0]!.range.start.line, 1, 'anchored on the line that decides for the target');
    } finally {
      wrong.cleanup();
    }
    const catchAll = repo(
      {
        '.github/CODEOWNERS': '* @acme/dev\n/CLAUDE.md @acme/platform\n',
        '.governance/policy.json': policy,
        'AGENTS.md': '# Agents\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const found = of(catchAll.findings(), 'owners/catch-all-only');
      assert.equal(found.length, 1, JSON.stringify(catchAll.findings().map((f) => f.message)));
      assert.match(found[0]!.message, /`CLAUDE\.md` → `AGENTS\.md`/);
    } finally {
      catchAll.cleanup();
    }
  });

  it("a glob's fix covers every flagged path: the target alone only when every path links to it", () => {
    const lines = (f: Finding | undefined) =>
      (f?.fixes?.[0]?.edits ?? []).flatMap((e) => e.newText.split('\n')).filter((l) => l.includes('@'));
    // The link sorts first (CLAUDE.md before packages/…), a real CLAUDE.md after it: both must end up owned.
    const mixed = repo(
      {
        '.github/CODEOWNERS': '/.github/ @acme/platform\n',
        'AGENTS.md': '# Agents\n',
        'packages/web/CLAUDE.md': '# Web\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const f = of(mixed.findings(), 'owners/unowned-path').find((x) => x.message.includes('`packages/web/CLAUDE.md`'));
      assert.ok(f, JSON.stringify(of(mixed.findings(), 'owners/unowned-path').map((x) => x.message)));
      const added = lines(f);
      assert.ok(
        added.some((l) => /CLAUDE\.md @acme\/platform$/.test(l)),
        `a line for the glob: ${JSON.stringify(added)}`,
      );
      assert.ok(added.includes('/AGENTS.md @acme/platform'), `a line for the target: ${JSON.stringify(added)}`);
    } finally {
      mixed.cleanup();
    }
    // Every CLAUDE.md links to AGENTS.md: the target's line alone (a CLAUDE.md line would protect nothing).
    const allLinks = repo(
      { '.github/CODEOWNERS': '/.github/ @acme/platform\n', 'AGENTS.md': '# Agents\n' },
      { 'CLAUDE.md': 'AGENTS.md', 'packages/web/CLAUDE.md': '../../AGENTS.md' },
    );
    try {
      const f = of(allLinks.findings(), 'owners/unowned-path').find((x) =>
        x.message.includes('`CLAUDE.md` (a symlink'),
      );
      assert.ok(f, JSON.stringify(of(allLinks.findings(), 'owners/unowned-path').map((x) => x.message)));
      assert.deepEqual(lines(f), ['/AGENTS.md @acme/platform']);
    } finally {
      allLinks.cleanup();
    }
    // owners/wrong-owner: the same for the line it proposes.
    const wrong = repo(
      {
        '.github/CODEOWNERS': '/AGENTS.md @acme/dev\n/packages/ @acme/dev\n/.github/ @acme/platform\n',
        '.governance/policy.json': JSON.stringify({ ownership: { owners: { '**/CLAUDE.md': ['@acme/platform'] } } }),
        'AGENTS.md': '# Agents\n',
        'packages/web/CLAUDE.md': '# Web\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const found = of(wrong.findings(), 'owners/wrong-owner');
      assert.equal(found.length, 1, JSON.stringify(found.map((x) => x.message)));
      const added = lines(found[0]);
      assert.ok(
        added.some((l) => /CLAUDE\.md @acme\/platform$/.test(l)),
        `a line for the glob: ${JSON.stringify(added)}`,
      );
      assert.ok(added.includes('/AGENTS.md @acme/platform'), `a line for the target: ${JSON.stringify(added)}`);
    } finally {
      wrong.cleanup();
    }
  });

  it('owners/individual-owner points at the line that decides for the target', () => {
    const r = repo(
      {
        '.github/CODEOWNERS': '/CLAUDE.md @acme/platform\n/AGENTS.md @alice\n/.github/ @acme/platform\n',
        '.governance/policy.json': JSON.stringify({ ownership: { teamsOnly: ['**/CLAUDE.md'] } }),
        'AGENTS.md': '# Agents\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const found = of(r.findings(), 'owners/individual-owner');
      assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
      assert.equal(found[0]!.range.start.line, 1);
      assert.match(found[0]!.message, /`@alice`.*`CLAUDE\.md` → `AGENTS\.md`/);
    } finally {
      r.cleanup();
    }
  });

  it('flywheel owners answers for the target and says so (text and JSON)', async () => {
    const r = repo(
      {
        '.github/CODEOWNERS': '/AGENTS.md @acme/platform\n',
        'AGENTS.md': '# Agents\n',
      },
      { 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const json = await owners(r.dir, ['--format', 'json', 'CLAUDE.md', 'AGENTS.md']);
      assert.equal(json.code, 0);
      assert.deepEqual(JSON.parse(json.out).results, [
        {
          path: 'CLAUDE.md',
          owners: ['@acme/platform'],
          line: 1,
          pattern: '/AGENTS.md',
          overridden: [],
          symlinkTo: 'AGENTS.md',
        },
        { path: 'AGENTS.md', owners: ['@acme/platform'], line: 1, pattern: '/AGENTS.md', overridden: [] },
      ]);
      const text = await owners(r.dir, ['CLAUDE.md']);
      assert.match(text.out, /^CLAUDE\.md → AGENTS\.md {2}@acme\/platform\n/);
      assert.match(text.out, /a symlink: a change to its text is a change to AGENTS\.md/);
    } finally {
      r.cleanup();
    }
  });

  it('a dangling link is workspace/unreadable, not a crash and not silence', () => {
    const r = repo(
      { '.github/CODEOWNERS': '* @acme/platform\n', 'README.md': '# x\n' },
      { 'AGENTS.md': 'docs/gone.md', 'CLAUDE.md': 'AGENTS.md' },
    );
    try {
      const found = of(r.findings(), 'workspace/unreadable');
      assert.deepEqual(
        found.map((f) => f.file),
        ['AGENTS.md', 'CLAUDE.md'],
      );
      assert.match(found[0]!.message, /a symlink to `docs\/gone\.md`, which does not exist \(a dangling link\)/);
    } finally {
      r.cleanup();
    }
  });
});
