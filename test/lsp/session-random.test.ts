// The language server's session, typed into at random: every governance file of examples/acme-monorepo (convention
// files, CODEOWNERS, Claude/Gemini settings, the Managed source, the policy, MCP config, the PR template) gets random
// edits through open buffers, and governance files are created, rewritten and deleted on disk (watcher events); after
// each run the session's findings (kept across runs by `dependsOn`, with every
// cache warm) equal a fresh check of the same state, fixes included; no rule ever fails (workspace/internal-error).
// Found: fixes that threw on a Managed source of an unexpected shape; a buffer of an unsaved file that did not re-run
// the rules that depend on which files exist.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { AnalysisCache, check, type Finding } from '../../server/src/engine/index';
import { WorkspaceSession } from '../../server/src/node/session';
import { prng } from '../../scripts/bench/lib/generate-repo';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const FILES = [
  'CLAUDE.md',
  'services/payments/CLAUDE.md',
  'apps/web/AGENTS.md',
  '.github/CODEOWNERS',
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.governance/policy.json',
  '.governance/managed/claude-managed-settings.json',
  '.gemini/settings.json',
  '.cursor/rules/migrations.mdc',
  '.github/copilot-instructions.md',
  '.github/pull_request_template.md',
  '.mcp.json',
];
/** Governance files the example does not have, created and deleted on disk. */
const NEW_FILES = [
  'packages/config/CLAUDE.md',
  'docs/AGENTS.md',
  '.claude/rules/db.md',
  '.gitlab/CODEOWNERS',
  'CODEOWNERS',
  '.github/instructions/x.instructions.md',
];
// Lines that mean something to some surface: headings, rules, commands, imports, suppressions, secrets, permission
// rules, modes, CODEOWNERS lines, frontmatter, and broken JSON.
const PIECES = [
  '',
  '# Heading',
  '## Commands',
  '- Never push to main',
  '- Run `pnpm test` before committing',
  '"Bash(git push *)",',
  '"Read(./.env)",',
  '* @acme/platform',
  '/services/payments/ @acme/payments',
  '<!-- flywheel-disable-next-line conventions/secret -- a test key -->',
  'AKIAIOSFODNN7EXAMPLE',
  '@docs/architecture.md',
  '---',
  'globs: "**/*.sql"',
  '"defaultMode": "bypassPermissions",',
  '"permissions": "x",',
  '}',
  '{',
  'npm run build',
];

/** Findings as comparable plain data (fixes by title and edits). */
function plain(findings: Finding[]): string[] {
  return findings
    .map((f) => JSON.stringify({ ...f, fixes: f.fixes?.map((x) => ({ title: x.title, edits: x.edits })) }))
    .sort();
}

describe('language-server session under random edits', () => {
  for (const seed of [3, 5, 8])
    test(`keeps exactly what a fresh check finds, after each of 150 edits (seed ${seed})`, async () => {
      const ws = tempWorkspace({});
      try {
        fs.cpSync(path.join(REPO_ROOT, 'examples'), ws.dir, { recursive: true });
        const root = path.join(ws.dir, 'acme-monorepo');
        const session = new WorkspaceSession(root, { git: false, managedSettingsPath: null });
        await session.run();
        const rand = prng(seed);
        const texts = new Map<string, string>();
        let version = 1;
        const same = (what: string) => {
          const kept = session.findings();
          assert.deepEqual(
            kept.filter((f) => f.ruleId === 'workspace/internal-error').map((f) => f.message.slice(0, 200)),
            [],
            what,
          );
          assert.deepEqual(
            plain(kept),
            plain(check(session.snapshot(), session.currentPolicy(), new AnalysisCache())),
            what,
          );
        };
        for (let step = 0; step < 150; step++) {
          if (rand() < 0.2) {
            // A change on disk that the watcher reports: a governance file created, rewritten or deleted (its buffer
            // closed first, as when a branch is switched).
            const rel = [...NEW_FILES, ...FILES][Math.floor(rand() * (NEW_FILES.length + FILES.length))]!;
            if (session.bufferVersion(rel) !== undefined) session.close(rel);
            texts.delete(rel);
            const abs = path.join(root, rel);
            const existed = fs.existsSync(abs);
            let type: 'created' | 'changed' | 'deleted';
            if (existed && rand() < 0.4) {
              fs.rmSync(abs);
              type = 'deleted';
            } else {
              fs.mkdirSync(path.dirname(abs), { recursive: true });
              fs.writeFileSync(abs, PIECES.slice(0, 1 + Math.floor(rand() * PIECES.length)).join('\n'));
              type = existed ? 'changed' : 'created';
            }
            session.filesChanged([{ path: abs, type }]);
            await session.run();
            same(`step ${step} (${rel} ${type} on disk)`);
            continue;
          }
          const rel = FILES[Math.floor(rand() * FILES.length)]!;
          const disk = path.join(root, rel);
          const lines = (texts.get(rel) ?? (fs.existsSync(disk) ? fs.readFileSync(disk, 'utf8') : '')).split('\n');
          const i = Math.floor(rand() * (lines.length + 1));
          const k = rand();
          if (k < 0.35) lines.splice(i, 0, PIECES[Math.floor(rand() * PIECES.length)]!);
          else if (k < 0.6 && lines.length > 1) lines.splice(Math.min(i, lines.length - 1), 1);
          else if (k < 0.85) lines[Math.min(i, lines.length - 1)] += rand() < 0.5 ? 'x' : ' @acme/web';
          else {
            const [l] = lines.splice(Math.floor(rand() * lines.length), 1);
            lines.splice(Math.floor(rand() * lines.length), 0, l!);
          }
          const text = lines.join('\n');
          texts.set(rel, text);
          if (session.bufferVersion(rel) === undefined) session.open(rel, text, ++version);
          else session.change(rel, text, ++version);
          await session.run();
          same(`step ${step} (${rel})`);
        }
      } finally {
        ws.cleanup();
      }
    });
});
