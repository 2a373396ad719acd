// The real-world CODEOWNERS files of the team folder (../shared/realworld/codeowners/, read in place, never copied):
// each parses with the counts its SOURCE.txt states, with no finding the platform would disagree with, and its
// ownership over the repository's real file list (files.txt) follows the platform's semantics.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { codeownersAnalysis, explainPath } from '../../server/src/engine/ownership/analysis';
import { repoOwnership } from '../../server/src/engine/ownership/repo-ownership';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { RULES } from '../../server/src/engine/rules/index';
import { REPO_ROOT } from '../helpers';
import { memorySnapshot } from '../../server/src/engine/memory';

const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'realworld', 'codeowners');

interface Sample {
  name: string;
  codeownersPath: string;
  text: string;
  files: string[] | undefined;
  stated: Record<string, number>;
}

function samples(): Sample[] {
  return fs
    .readdirSync(CORPUS)
    .sort()
    .map((name) => {
      const dir = path.join(CORPUS, name);
      const source = fs.readFileSync(path.join(dir, 'SOURCE.txt'), 'utf8');
      const stated: Record<string, number> = {};
      const rules = /^rules: (\d+)/m.exec(source);
      if (rules) stated.rules = Number(rules[1]);
      const headers = /(\d+) section(?:-header lines| headers)/.exec(source);
      if (headers) stated.headers = Number(headers[1]);
      const noOwner = /^rules_without_inline_owner: (\d+)/m.exec(source);
      if (noOwner) stated.withoutInlineOwner = Number(noOwner[1]);
      const filesTxt = path.join(dir, 'files.txt');
      return {
        name,
        codeownersPath: /^path: (\S+)/m.exec(source)![1]!,
        text: fs.readFileSync(path.join(dir, 'CODEOWNERS'), 'utf8'),
        files: fs.existsSync(filesTxt) ? fs.readFileSync(filesTxt, 'utf8').split('\n').filter(Boolean) : undefined,
        stated,
      };
    });
}

const PLATFORM_RULES = RULES.filter((r) =>
  ['owners/syntax', 'owners/too-large', 'owners/ignored-file', 'owners/missing-file'].includes(r.meta.id),
);

describe(
  'real-world CODEOWNERS files',
  { skip: fs.existsSync(CORPUS) ? false : `the team folder ${CORPUS} is absent` },
  () => {
    for (const s of fs.existsSync(CORPUS) ? samples() : []) {
      describe(s.name, () => {
        const snapshot = memorySnapshot('/realworld', s.files ?? [], { [s.codeownersPath]: s.text });
        const policy = loadPolicy(snapshot);
        const cache = new AnalysisCache();
        const a = codeownersAnalysis(snapshot, cache, policy);

        it('is read from its location in the right dialect, with the counts SOURCE.txt states', () => {
          assert.equal(a.choice.path, s.codeownersPath);
          assert.equal(a.choice.dialect, s.codeownersPath.startsWith('.gitlab/') ? 'gitlab' : 'github');
          if (s.stated.rules !== undefined) assert.equal(a.parsed.rules.length, s.stated.rules);
          if (s.stated.headers !== undefined)
            assert.equal(
              a.parsed.sections.reduce((n, x) => n + x.headers.length, 0),
              s.stated.headers,
            );
          if (s.stated.withoutInlineOwner !== undefined)
            assert.equal(a.parsed.rules.filter((r) => r.owners.length === 0).length, s.stated.withoutInlineOwner);
        });

        it('gets no finding the platform would disagree with', () => {
          const findings = check(snapshot, policy, cache, { rules: PLATFORM_RULES });
          // The platform accepts every line of these files; GitLab itself lists entries with no owners at all.
          const disagreeing = findings.filter(
            (f) => !(f.ruleId === 'owners/syntax' && f.messageId === 'gitlabNoOwners'),
          );
          assert.deepEqual(
            disagreeing.map((f) => `${f.range.start.line + 1}: ${f.message}`),
            [],
          );
          assert.ok(a.parsed.rules.every((r) => !r.skipped));
        });

        if (s.files) {
          it('resolves every file, and `dir/*` owns direct children only', () => {
            const repo = repoOwnership(snapshot, cache, policy);
            assert.equal(repo.files.paths.length, new Set([...s.files!, s.codeownersPath]).size);
            let checked = 0;
            for (const f of s.files!) {
              const po = explainPath(a, f);
              const rule = po.rule;
              if (!rule || a.choice.dialect !== 'github' || !rule.pattern.text.endsWith('/*')) continue;
              const dir = rule.pattern.text.slice(0, -2).replace(/^\//, '');
              const rest = f.slice(f.indexOf(dir + '/') + dir.length + 1);
              assert.ok(!rest.includes('/'), `${rule.pattern.text} decided for ${f}, which is not a direct child`);
              checked++;
            }
            if (s.name.startsWith('esphome')) assert.ok(checked > 1000);
          });
        }
      });
    }
  },
);
