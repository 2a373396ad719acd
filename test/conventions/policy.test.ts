// The conventions policy section: RE2 patterns (hostile ones cannot hang; invalid ones are policy/invalid and the
// entry is dropped), x-merge on every value, tighten-only merge of requiredRules by id, baseline defaults.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { compileRe2, re2Matches, validateConventionPatterns } from '../../server/src/engine/conventions/policy';
import { REPO_ROOT } from '../helpers';
import { run } from './util';

const policy = (conventions: unknown) => JSON.stringify({ conventions });

describe('conventions policy', () => {
  it('every value of schemas/policy/conventions.json has an x-merge strategy', () => {
    const frag = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/policy/conventions.json'), 'utf8'));
    const missing: string[] = [];
    const walk = (s: Record<string, unknown>, at: string, inItem: boolean) => {
      if (!inItem && at && !('x-merge' in s)) missing.push(at);
      const props = s.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [k, v] of Object.entries(props ?? {})) walk(v, `${at}/${k}`, false);
      if (s.additionalProperties && typeof s.additionalProperties === 'object')
        walk(s.additionalProperties as Record<string, unknown>, `${at}/*`, false);
      // List items are merged as a whole by their list's strategy; their object properties still carry one.
      const items = s.items as Record<string, unknown> | undefined;
      if (items) {
        for (const alt of [items, ...((items.oneOf as Record<string, unknown>[]) ?? [])]) walk(alt, `${at}[]`, true);
      }
    };
    walk(frag, '', true);
    assert.deepEqual(missing, []);
    const rr = frag.properties.requiredRules;
    assert.equal(rr['x-merge'], 'union-by-id');
    assert.equal(frag.properties.prohibited['x-merge'], 'union-by-id');
    assert.equal(frag.properties.maxTokens['x-merge'], 'max');
  });

  it('a hostile pattern runs in linear time (RE2 cannot backtrack)', () => {
    const re = compileRe2('(a+)+$');
    assert.ok(typeof re !== 'string');
    assert.deepEqual(re2Matches(re, 'a'.repeat(100_000) + 'b'), []);
    const got = run({
      '.governance/policy.json': policy({ prohibited: [{ id: 'evil', pattern: '(a|aa)*c' }] }),
      'CLAUDE.md': 'a'.repeat(200_000) + '\n',
    });
    assert.deepEqual(got, []);
  });

  it('an invalid or oversize pattern is a policy/invalid finding at the pattern, and the entry is ignored', () => {
    const text = JSON.stringify(
      {
        conventions: {
          prohibited: [
            { id: 'lookahead', pattern: 'foo(?=bar)' },
            { id: 'backref', pattern: '(a)\\1' },
            { id: 'huge', pattern: '(?:a{1000}){1000}' },
            { id: 'ok', pattern: 'forbidden-word' },
          ],
          requiredRules: [{ id: 'bad', pattern: '[unclosed' }],
        },
      },
      null,
      2,
    );
    const got = run({ '.governance/policy.json': text, 'CLAUDE.md': '# T\n\nforbidden-word and foobar\n' });
    const invalid = got.filter((f) => f.ruleId === 'policy/invalid');
    assert.deepEqual(
      invalid.map((f) => f.message.match(/at (\S+) is invalid/)?.[1]),
      [
        '/conventions/prohibited/0/pattern',
        '/conventions/prohibited/1/pattern',
        '/conventions/prohibited/2/pattern',
        '/conventions/requiredRules/0/pattern',
      ],
    );
    assert.ok(invalid.every((f) => f.file === '.governance/policy.json' && f.range.start.line > 0));
    const prohibited = got.filter((f) => f.ruleId === 'conventions/prohibited-content');
    assert.deepEqual(
      prohibited.map((f) => f.data?.prohibitedId),
      ['ok'],
    );
    assert.deepEqual(
      got.filter((f) => f.ruleId === 'conventions/required-rule'),
      [],
    );
  });

  it('validateConventionPatterns names the pointer and drops the entry', () => {
    const out = validateConventionPatterns({ conventions: { prohibited: [{ id: 'a', pattern: '(' }] } });
    assert.equal(out.length, 1);
    assert.equal(out[0]!.pointer, '/conventions/prohibited/0/pattern');
    assert.equal(out[0]!.drop, '/conventions/prohibited/0');
    assert.match(out[0]!.error, /RE2/);
  });

  it("a team may add required rules but not change the floor's (union-by-id), nor raise maxTokens", () => {
    const floor = {
      conventions: {
        requiredRules: [{ id: 'r1', text: 'Schema migrations include a rollback plan' }],
        maxTokens: 5000,
      },
    };
    const team = {
      extends: './floor.json',
      conventions: {
        requiredRules: [
          { id: 'r1', text: 'Whatever' },
          { id: 'r2', text: 'Name the owner' },
        ],
        maxTokens: 9000,
      },
    };
    const got = run({
      '.governance/floor.json': JSON.stringify(floor),
      '.governance/policy.json': JSON.stringify(team),
      'CLAUDE.md': '# T\n\n' + 'word '.repeat(5000),
    });
    const rr = got.filter((f) => f.ruleId === 'conventions/required-rule');
    assert.deepEqual(rr.map((f) => f.data?.ruleId).sort(), ['r1', 'r2']);
    assert.match(
      rr.find((f) => f.data?.ruleId === 'r1')!.message,
      /Schema migrations include a rollback plan/,
      "the floor's text stands",
    );
    const size = got.filter((f) => f.ruleId === 'conventions/size-budget');
    assert.match(size[0]!.message, /budget of 5000/, "the floor's lower budget stands");
  });

  it('the baseline prohibits bypass instructions but not sentences that forbid them', () => {
    const got = run(
      {
        'CLAUDE.md': [
          '# T',
          '',
          '- Run `claude --dangerously-skip-permissions` in CI.',
          '- Never pass --no-verify.',
          '- Do not use `--yolo`.',
          '- Set `"defaultMode": "bypassPermissions"` in settings.',
          '- `gemini --yolo` is fine for demos.',
          '- See the --no-verify-ssl flag of our own CLI.',
        ].join('\n'),
      },
      'conventions/prohibited-content',
    );
    assert.deepEqual(
      got.map((f) => [f.range.start.line, f.data?.prohibitedId]),
      [
        [2, 'skip-permissions'],
        [5, 'skip-permissions'],
        [6, 'skip-permissions'],
      ],
    );
  });
});

describe('conventions required rules across folders', () => {
  const policy = JSON.stringify({
    conventions: {
      requiredRules: [
        {
          id: 'r',
          text: 'Schema migrations include a rollback plan',
          in: ['services/*/CLAUDE.md', 'services/*/AGENTS.md'],
        },
      ],
    },
  });
  it('a nested CLAUDE.md counts the CLAUDE.md of its ancestors (Claude Code loads them together)', () => {
    const got = run(
      {
        '.governance/policy.json': policy,
        'CLAUDE.md': '# Root\n\n- Schema migrations include a rollback plan.\n',
        'services/pay/CLAUDE.md': '# Pay\n',
      },
      'conventions/required-rule',
    );
    assert.deepEqual(got, []);
  });
  it('a nested AGENTS.md does not (the nearest AGENTS.md wins)', () => {
    const got = run(
      {
        '.governance/policy.json': policy,
        'AGENTS.md': '# Root\n\n- Schema migrations include a rollback plan.\n',
        'services/pay/AGENTS.md': '# Pay\n',
      },
      'conventions/required-rule',
    );
    assert.deepEqual(
      got.map((f) => f.file),
      ['services/pay/AGENTS.md'],
    );
  });
});

describe('conventions secrets and negation, real-world shapes', () => {
  it('local development URLs are not secrets; a remote one is', () => {
    const got = run(
      {
        'CLAUDE.md': [
          '# Dev',
          '',
          '- `DATABASE_URL=postgres://postgres:postgres@localhost:5432/app`',
          '- `REDIS_URL=redis://default:Xk29fLq8Zt@127.0.0.1:6379`',
          '- `postgres://app:Xk29fLq8Zt7@db.prod.internal/app`',
        ].join('\n'),
      },
      'conventions/secret',
    );
    assert.deepEqual(
      got.map((f) => f.range.start.line),
      [4],
    );
  });

  it('a sentence that says the bypass is blocked or disabled is not an instruction to use it', () => {
    const got = run(
      {
        'CLAUDE.md':
          '# T\n\n- `--dangerously-skip-permissions` is blocked by our managed settings.\n- Bypass mode (`bypassPermissions`) is disabled here.\n',
      },
      'conventions/prohibited-content',
    );
    assert.deepEqual(got, []);
  });
});
