// The corpus (test/fixtures/realworld-repos/): the governance files of 33 public repositories that use coding agents,
// rebuilt as git repositories and checked under the baseline. Every finding is pinned in the repository's
// expected.json with a one-line defence, the reason its authors could not dispute it; a new finding, or one that
// moved, fails here until it is defended (or fixed: a disputable finding is a bug, not a pin).
// No two findings of a run are ever the same rule, file, position and message — over the corpus and examples/.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkFolder } from '../../server/src/cli/check';
import type { Finding } from '../../server/src/engine/index';
import { REPO_ROOT, tempWorkspace } from '../helpers';
import { buildCorpusRepo, CORPUS, corpusNames } from './realworld';
import { duplicatesOf, overlapsOf } from './duplicates';

interface Pinned {
  rule: string;
  at: string;
  messageId: string;
  defence: string;
}

function at(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

describe('the corpus of real repositories', () => {
  const names = corpusNames();
  it('holds at least 30 repositories, each with its source and commit', () => {
    assert.ok(names.length >= 30, `${names.length} repositories`);
    for (const n of names) {
      const text = fs.readFileSync(path.join(CORPUS, n, 'source.json'), 'utf8');
      const src = JSON.parse(text) as { source: string; commit: string };
      assert.match(src.source, /^https:\/\/(github|gitlab)\.com\//, n);
      assert.match(src.commit, /^[0-9a-f]{40}$/, n);
    }
  });

  for (const name of names) {
    it(`${name}: every finding of the baseline is pinned and defended, none repeated`, () => {
      const root = buildCorpusRepo(name);
      try {
        const { findings } = checkFolder(root, { managed: null });
        assert.deepEqual(duplicatesOf(findings), [], 'the same finding twice');
        assert.deepEqual(overlapsOf(findings), [], 'one problem reported twice');
        const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, name, 'expected.json'), 'utf8')) as Pinned[];
        for (const e of expected) {
          const defended = e.defence.trim().length > 10 && !e.defence.startsWith('TODO');
          assert.ok(defended, `${name}: ${e.rule} at ${e.at} has no defence`);
        }
        const got = findings.map((f) => `${f.ruleId} ${at(f)} ${f.messageId ?? ''}`);
        const want = expected.map((e) => `${e.rule} ${e.at} ${e.messageId}`);
        const shown = findings.map((f) => `${f.ruleId} ${at(f)} ${f.message}`).join('\n');
        assert.deepEqual(got, want, `findings of ${name}:\n${shown}`);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }

  it('examples/: no finding is repeated, no problem reported twice', () => {
    const ws = tempWorkspace({});
    try {
      // The whole of examples/: the org floor the example's policy extends sits beside it, as in the repository.
      fs.cpSync(path.join(REPO_ROOT, 'examples'), ws.dir, { recursive: true });
      const { findings } = checkFolder(path.join(ws.dir, 'acme-monorepo'), { managed: null });
      assert.ok(!findings.some((f) => f.ruleId === 'policy/invalid'), 'the org floor is found');
      assert.ok(findings.length > 0);
      assert.deepEqual(duplicatesOf(findings), []);
      assert.deepEqual(overlapsOf(findings), []);
    } finally {
      ws.cleanup();
    }
  });
});
