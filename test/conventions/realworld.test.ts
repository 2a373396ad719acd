// The 27 real-world convention files (../shared/realworld/conventions, from public repositories), each at its
// original path in a workspace of its own, checked with the baseline policy: no crash, and only findings we would
// defend to the file's author. Skipped, with a message, when the folder is absent.
//
// We do not have these repositories' trees. INDEX.txt says which import targets exist (stubs stand in for them, see
// realworld.ts); a local Markdown link or a frontmatter glob is assumed to point at something that exists there, so
// a stub stands in for each link target and one sample file for each glob. The exception is .ai/agents.md, which
// INDEX.txt says does not exist in marigold at that commit.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { parseText } from '../../server/src/engine/conventions/parse';
import { resolveLink } from '../../server/src/engine/conventions/refs';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { buildRealworld, realworldIndex } from './realworld';
import { CONVENTION_RULES, open } from './util';

/** One file matching each frontmatter glob, as the repository has (paths from the repositories' layouts). */
const GLOB_SAMPLES: Record<string, string[]> = {
  'triggerdotdev/trigger.dev': ['apps/webapp/app/root.tsx'],
  '0GiS0/demos-codemotion-2025': ['infra/main.tf'],
  'PostHog/posthog': ['posthog/migrations/0001_initial.py'],
};

/**
 * The findings we defend, as `repo path:line rule/messageId`:
 * - marigold .cursorrules is only `@.ai/agents.md`, and INDEX.txt confirms .ai/agents.md does not exist at that
 *   commit: the reference is broken.
 * - taskmaster.mdc `globs: **\/*` is invalid YAML (a leading `*` is an alias); Cursor reads it leniently, so this is a
 *   warning whose quick fix quotes the value — what every YAML tool then reads the same way.
 * - taskmaster.mdc is 42 KB, 558 lines, about 10,500 tokens with `alwaysApply: true`: in every Cursor request. That is
 *   over the baseline budget of 10,000 (≈ 40,000 characters, where Claude Code itself warns about large memory files)
 *   and over Cursor's own guidance of under 500 lines per rule.
 */
const DEFENDED = [
  'marigold-ui/marigold .cursorrules:1 conventions/broken-reference/missingImport',
  'eyaltoledano/claude-task-master .cursor/rules/taskmaster.mdc:3 conventions/frontmatter/lenient',
  'eyaltoledano/claude-task-master .cursor/rules/taskmaster.mdc:6 conventions/size-budget/over',
];

describe('conventions on the 27 real-world files', () => {
  const index = realworldIndex();
  if (!index) {
    it('skipped: ../shared/realworld/conventions is absent (the team folder beside the checkout)', (t) => {
      t.skip('../shared/realworld/conventions not found');
    });
    return;
  }

  it('are 27 files', () => {
    assert.equal(index.length, 27);
  });

  it('produce no crash and only the findings we defend', () => {
    const rw = buildRealworld()!;
    try {
      for (const f of index) {
        const dir = rw.repos.get(f.repo)!;
        const text = fs.readFileSync(path.join(dir, f.path), 'utf8');
        const snapshot = open(dir);
        for (const l of parseText(f.path, text).links) {
          const r = resolveLink(snapshot, f.path, l.url);
          if (r.status !== 'inside' || r.exists || r.target === '.ai/agents.md') continue;
          const abs = path.join(dir, r.target);
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          if (!fs.existsSync(abs)) fs.writeFileSync(abs, /\.\w+$/.test(r.target) ? 'stub\n' : '');
        }
      }
      for (const [repo, samples] of Object.entries(GLOB_SAMPLES)) {
        for (const s of samples) {
          const abs = path.join(rw.repos.get(repo)!, s);
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          fs.writeFileSync(abs, '\n');
        }
      }
      const got: string[] = [];
      for (const [repo, dir] of rw.repos) {
        const snapshot = open(dir);
        const findings = check(snapshot, loadPolicy(snapshot), new AnalysisCache(), { rules: CONVENTION_RULES });
        for (const x of findings) {
          assert.notEqual(x.ruleId, 'workspace/internal-error', x.message);
          got.push(`${repo} ${x.file}:${x.range.start.line + 1} ${x.ruleId}/${x.messageId}`);
        }
      }
      assert.deepEqual(got.sort(), [...DEFENDED].sort());
    } finally {
      rw.cleanup();
    }
  });

  it('without the stubs, every local link is reported as missing and nothing else changes (the repositories are absent)', () => {
    const rw = buildRealworld()!;
    try {
      const snapshot = open(rw.repos.get('pydantic/pydantic-ai')!);
      const findings = check(snapshot, loadPolicy(snapshot), new AnalysisCache(), { rules: CONVENTION_RULES });
      assert.ok(findings.length > 0);
      assert.ok(
        findings.every(
          (x) =>
            x.ruleId === 'conventions/broken-reference' && x.messageId === 'missingLink' && x.severity === 'warning',
        ),
      );
    } finally {
      rw.cleanup();
    }
  });
});
