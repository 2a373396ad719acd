// The real-world CODEOWNERS files (../shared/realworld/codeowners/, read in place) edited as people type: after each
// random edit, the ownership rules in a long-lived cache (the language server's: parse reuse, incremental resolution,
// kept policy-path explanations and reports) report exactly what they report with a fresh cache. The GitLab fork
// brings sections, default owners and exclusions; DataDog, warp and esphome their real file lists.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Snapshot } from '../../server/src/engine/host';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { memorySnapshot } from '../../server/src/engine/memory';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { prng } from '../../scripts/bench/lib/generate-repo';
import { REPO_ROOT } from '../helpers';

const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'realworld', 'codeowners');
const STEPS = 30;

/** Type an owner character, add an owner, drop a line's owners, duplicate, delete or move a line. */
function edit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  const k = rand();
  if (k < 0.3) lines[i] += rand() < 0.5 ? 'x' : ' @acme/extra';
  else if (k < 0.45) lines[i] = lines[i]!.split(/\s+/)[0]!;
  else if (k < 0.65) lines.splice(Math.floor(rand() * lines.length), 0, lines[i]!);
  else if (k < 0.8 && lines.length > 2) lines.splice(i, 1);
  else {
    const [l] = lines.splice(i, 1);
    lines.splice(Math.floor(rand() * lines.length), 0, l!);
  }
  return lines.join('\n');
}

const ownership = { filter: (r: { meta: { surface: string } }) => r.meta.surface === 'ownership' };

describe(
  'real-world CODEOWNERS files, edited',
  { skip: fs.existsSync(CORPUS) ? false : `the team folder ${CORPUS} is absent` },
  () => {
    for (const name of fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).sort() : []) {
      it(`${name}: the kept cache reports what a fresh one does after each of ${STEPS} edits`, () => {
        const dir = path.join(CORPUS, name);
        const source = fs.readFileSync(path.join(dir, 'SOURCE.txt'), 'utf8');
        const where = /^path: (\S+)/m.exec(source)![1]!;
        const filesTxt = path.join(dir, 'files.txt');
        const files = fs.existsSync(filesTxt) ? fs.readFileSync(filesTxt, 'utf8').split('\n').filter(Boolean) : [];
        let text = fs.readFileSync(path.join(dir, 'CODEOWNERS'), 'utf8');
        const cache = new AnalysisCache();
        const rand = prng(name.length * 31);
        for (let step = 0; step <= STEPS; step++) {
          if (step > 0) text = edit(text, rand);
          const base = memorySnapshot('/realworld', files, { [where]: text });
          const snapshot: Snapshot = { ...base, version: (p) => (p === where ? `v${step}` : base.version(p)) };
          const policy = loadPolicy(snapshot);
          const kept = check(snapshot, policy, cache, ownership);
          const fresh = check(snapshot, policy, new AnalysisCache(), ownership);
          assert.deepEqual(
            JSON.parse(JSON.stringify(kept)),
            JSON.parse(JSON.stringify(fresh)),
            `${name}, edit ${step}`,
          );
        }
      });
    }
  },
);
