// The ownership rules in a long-lived cache (the language server's) report, after every CODEOWNERS edit, exactly
// what they report with a fresh cache: the parse reuse, the explanations of policy paths kept from the previous version
// and the per-line report reuse of owners/duplicate-pattern, shadowed-rule and no-match leave no stale message, range,
// related location or fix behind.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { check } from '../../server/src/engine/index';
import { WorkspaceSession } from '../../server/src/node/session';
import { generateRepo, prng } from '../../scripts/bench/lib/generate-repo';
import { tempWorkspace } from '../helpers';

/** Duplicate a line (here or at the end), delete one, change owners, drop a line's owners (it un-owns then), own the
 * convention files the policy protects, or append to the last line. */
function edit(text: string, rand: () => number, gitlab = false): string {
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  if (gitlab && rand() < 0.15) {
    // A section header (with or without default owners), or an exclusion.
    lines.splice(
      i,
      0,
      rand() < 0.7
        ? `${rand() < 0.3 ? '^' : ''}[S${Math.floor(rand() * 3)}]${rand() < 0.5 ? ' @acme/s' : ''}`
        : '!' + lines[i]!.split(' ')[0],
    );
    return lines.join('\n');
  }
  const k = rand();
  if (k < 0.2) lines.splice(Math.floor(rand() * (lines.length + 1)), 0, lines[i]!);
  else if (k < 0.3) lines.push(lines[i]!);
  else if (k < 0.45 && lines.length > 2) lines.splice(i, 1);
  else if (k < 0.65) lines[i] += rand() < 0.5 ? ' @extra' : 'x';
  else if (k < 0.75) lines[i] = lines[i]!.split(' ')[0]!;
  else if (k < 0.85)
    lines.splice(
      rand() < 0.5 ? i : lines.length,
      0,
      `${rand() < 0.5 ? '**/AGENTS.md' : '/packages/'}${rand() < 0.3 ? '' : ` @acme/t${Math.floor(rand() * 3)}`}`,
    );
  else lines[lines.length - 1] += rand() < 0.5 ? '\n' + lines[i] : ' @tail';
  return lines.join('\n');
}

describe('ownership rules after CODEOWNERS edits', () => {
  for (const dialect of ['github', 'gitlab'] as const)
    it(`report in the session cache what they report with a fresh cache (${dialect})`, async () => {
      const { dir, cleanup } = tempWorkspace({});
      try {
        const root = generateRepo(path.join(dir, 'repo'), { files: 600, rules: 120, seed: 5 }).dir;
        // The baseline's mustOwn, plus owners for the convention files (owners/catch-all-only speaks only for those).
        const baseline = JSON.parse(
          fs.readFileSync(new URL('../../server/src/engine/policy/baseline.json', import.meta.url), 'utf8'),
        ) as {
          ownership: Record<string, unknown>;
        };
        const owners = Object.fromEntries(
          ['**/CLAUDE.md', '**/AGENTS.md', '**/.claude/**', '.github/workflows/**', '.mcp.json'].map((g) => [
            g,
            ['@acme/governance'],
          ]),
        );
        fs.mkdirSync(path.join(root, '.governance'), { recursive: true });
        fs.writeFileSync(
          path.join(root, '.governance/policy.json'),
          JSON.stringify({ ownership: { ...baseline.ownership, owners } }),
        );
        let rel = '.github/CODEOWNERS';
        if (dialect === 'gitlab') {
          fs.mkdirSync(path.join(root, '.gitlab'));
          const lines = fs.readFileSync(path.join(root, rel), 'utf8').split('\n');
          lines.splice(Math.floor(lines.length / 2), 0, '[Half] @acme/half');
          fs.writeFileSync(path.join(root, '.gitlab/CODEOWNERS'), lines.join('\n'));
          fs.rmSync(path.join(root, rel));
          rel = '.gitlab/CODEOWNERS';
        }
        const session = new WorkspaceSession(root, { git: false });
        let text = fs.readFileSync(path.join(root, rel), 'utf8');
        session.open(rel, text, 1);
        await session.run();
        const rand = prng(dialect === 'gitlab' ? 12 : 11);
        const ownership = { filter: (r: { meta: { surface: string } }) => r.meta.surface === 'ownership' };
        const seen = new Set<string>();
        for (let v = 2; v < 120; v++) {
          text = edit(text, rand, dialect === 'gitlab');
          session.change(rel, text, v);
          await session.run();
          const snapshot = session.snapshot();
          const policy = session.currentPolicy();
          const kept = check(snapshot, policy, session.cache, ownership);
          const fresh = check(snapshot, policy, new AnalysisCache(), ownership);
          assert.deepEqual(JSON.parse(JSON.stringify(kept)), JSON.parse(JSON.stringify(fresh)), `version ${v}`);
          for (const f of kept) seen.add(f.ruleId);
        }
        // owners/catch-all-only speaks only for paths the policy names owners for; the GitLab edits never leave one of
        // those to the catch-all alone.
        const expected = ['owners/duplicate-pattern', 'owners/shadowed-rule', 'owners/no-match', 'owners/unowned-path'];
        if (dialect === 'github') expected.push('owners/catch-all-only');
        for (const id of expected) {
          assert.ok(seen.has(id), `the edits produced ${id}`);
        }
      } finally {
        cleanup();
      }
    });
});
