// GitLab optional sections (`^[Name]`): their owners are listed, but nobody's approval is required. A path owned only
// there is not owned for the policy (owners/unowned-path, coverage) and `flywheel owners` says so; the "add a line"
// fix puts the line where approval is required. Built from NVIDIA/warp's real GitLab CODEOWNERS, whose CLAUDE.md and
// AGENTS.md lines sit in the optional `^[Docs and Examples]` section.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AnalysisCache } from '../../server/src/engine/cache';
import { check } from '../../server/src/engine/index';
import { repoOwnership } from '../../server/src/engine/ownership/repo-ownership';
import { ownersOf } from '../../server/src/engine/ownership/query';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { LineIndex } from '../../server/src/engine/text';
import { openWorkspace } from '../../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const REAL = path.join(REPO_ROOT, '..', 'shared', 'realworld', 'codeowners', 'NVIDIA__warp', 'CODEOWNERS');
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

function workspace(codeowners: string) {
  const { dir, cleanup } = tempWorkspace({
    '.gitlab/CODEOWNERS': codeowners,
    'CLAUDE.md': '# Warp\n',
    'AGENTS.md': '# Warp\n',
    'docs/index.md': 'x',
    'warp/__init__.py': 'x',
    '.governance/policy.json': JSON.stringify({
      ownership: { dialect: 'gitlab', mustOwn: ['CLAUDE.md', 'AGENTS.md'] },
    }),
  });
  cleanups.push(cleanup);
  const snapshot = openWorkspace(dir, { git: false, managedSettingsPath: null });
  return { dir, snapshot, policy: loadPolicy(snapshot) };
}

describe(
  'GitLab optional sections require no approval',
  { skip: !fs.existsSync(REAL) && 'no shared realworld' },
  () => {
    const text = fs.existsSync(REAL) ? fs.readFileSync(REAL, 'utf8') : '';

    it('flywheel owners: the owners are listed, with optional: true; a required section has no such field', () => {
      const w = workspace(text);
      const [claude, init] = ownersOf(w.snapshot, new AnalysisCache(), w.policy, ['CLAUDE.md', 'warp/__init__.py']);
      assert.deepEqual(claude!.owners, ['@mmacklin', '@ershi']);
      assert.equal(claude!.section, 'Docs and Examples');
      assert.equal(claude!.optional, true);
      assert.equal(init!.optional, undefined);
      const repo = repoOwnership(w.snapshot, new AnalysisCache(), w.policy);
      const i = repo.files.paths.indexOf('CLAUDE.md');
      const j = repo.files.paths.indexOf('warp/__init__.py');
      assert.equal(repo.owned[i], 0);
      assert.equal(repo.owned[j], 1);
    });

    it('owners/unowned-path reports CLAUDE.md and AGENTS.md, says why, and its fix adds a line before the first section', () => {
      const w = workspace(text);
      const findings = check(w.snapshot, w.policy, new AnalysisCache()).filter(
        (f) => f.ruleId === 'owners/unowned-path',
      );
      const paths = findings.flatMap((f) => (f.data?.paths as string[] | undefined) ?? []).sort();
      assert.deepEqual(paths, ['AGENTS.md', 'CLAUDE.md']);
      const f = findings.find((x) => (x.data?.paths as string[]).includes('CLAUDE.md'))!;
      assert.match(f.message, /optional section `\^\[Docs and Examples\]`, so no owner's approval is required/);
      const fix = f.fixes?.[0];
      assert.ok(fix, 'a fix');
      assert.equal(fix.edits.length, 1);
      const e = fix.edits[0]!;
      const idx = new LineIndex(text);
      const fixed = text.slice(0, idx.offsetAt(e.range.start)) + e.newText + text.slice(idx.offsetAt(e.range.end));
      const lines = fixed.split('\n');
      const added = lines.findIndex((l) => l.startsWith('/CLAUDE.md '));
      const firstHeader = lines.findIndex((l) => /^\^?\[/.test(l));
      assert.ok(added >= 0 && added < firstHeader, `the line goes in the default section:\n${fixed.slice(0, 600)}`);
      fs.writeFileSync(path.join(w.dir, '.gitlab/CODEOWNERS'), fixed);
      const again = workspace(fixed);
      const after2 = check(again.snapshot, again.policy, new AnalysisCache()).filter(
        (x) => x.ruleId === 'owners/unowned-path' && (x.data?.paths as string[]).includes('CLAUDE.md'),
      );
      assert.deepEqual(after2, []);
      assert.equal(ownersOf(again.snapshot, new AnalysisCache(), again.policy, ['CLAUDE.md'])[0]!.optional, undefined);
    });

    it('a required section deciding too makes the path owned', () => {
      const w = workspace('[Agents] @leads\n/CLAUDE.md\n/AGENTS.md\n\n^[Docs] @docs\n/CLAUDE.md\n/AGENTS.md\n');
      const r = ownersOf(w.snapshot, new AnalysisCache(), w.policy, ['CLAUDE.md'])[0]!;
      assert.deepEqual(r.owners, ['@leads', '@docs']);
      assert.equal(r.optional, undefined);
      assert.deepEqual(
        check(w.snapshot, w.policy, new AnalysisCache()).filter((x) => x.ruleId === 'owners/unowned-path'),
        [],
      );
    });
  },
);
