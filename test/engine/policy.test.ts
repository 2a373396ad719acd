import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import schemaJson from '../../schemas/policy.schema.json';
import { BASELINE_NAME, baselinePolicyText, loadPolicy } from '../../server/src/engine/policy/load';
import { mergeValue, type Json, type Loosening, type Schema } from '../../server/src/engine/policy/merge';
import { openWorkspace } from '../../server/src/node/discovery';
import { policySchema, SCHEMA_PATH } from '../../scripts/gen-schema';
import { tempWorkspace } from '../helpers';

const schema = schemaJson as unknown as Schema;

function load(files: Record<string, string>, policyPath?: string) {
  const ws = tempWorkspace(files);
  const snapshot = openWorkspace(ws.dir, { git: false, managedSettingsPath: null });
  try {
    return loadPolicy(snapshot, policyPath ? { policyPath } : {});
  } finally {
    ws.cleanup();
  }
}

describe('merge strategies', () => {
  const m = (s: Schema, floor: Json, team: Json) => {
    const out: Loosening[] = [];
    const v = mergeValue(floor, team, s, s, '/x', out);
    return { v, loosened: out.map((l) => l.pointer) };
  };
  it('union adds and cannot remove', () => {
    assert.deepEqual(m({ 'x-merge': 'union' }, ['a', 'b'], ['c']), { v: ['a', 'b', 'c'], loosened: [] });
  });
  it('union-by-id adds new ids and refuses changes to a floor entry', () => {
    const r = m(
      { 'x-merge': 'union-by-id', 'x-key': 'id' },
      [{ id: 'r1', text: 'a' }],
      [
        { id: 'r1', text: 'b' },
        { id: 'r2', text: 'c' },
      ],
    );
    assert.deepEqual(r.v, [
      { id: 'r1', text: 'a' },
      { id: 'r2', text: 'c' },
    ]);
    assert.deepEqual(r.loosened, ['/x/0']);
  });
  it('subset keeps only what the floor allows', () => {
    assert.deepEqual(m({ 'x-merge': 'subset' }, ['a', 'b'], ['b', 'z']), { v: ['b'], loosened: ['/x/1'] });
  });
  it('stricter-true and stricter-false', () => {
    assert.deepEqual(m({ 'x-merge': 'stricter-true' }, true, false), { v: true, loosened: ['/x'] });
    assert.deepEqual(m({ 'x-merge': 'stricter-true' }, false, true), { v: true, loosened: [] });
    assert.deepEqual(m({ 'x-merge': 'stricter-false' }, false, true), { v: false, loosened: ['/x'] });
  });
  it('min and max', () => {
    assert.deepEqual(m({ 'x-merge': 'min' }, 0.8, 0.5), { v: 0.8, loosened: ['/x'] });
    assert.deepEqual(m({ 'x-merge': 'min' }, 0.8, 0.9), { v: 0.9, loosened: [] });
    assert.deepEqual(m({ 'x-merge': 'max' }, 4000, 8000), { v: 4000, loosened: ['/x'] });
    assert.deepEqual(m({ 'x-merge': 'max' }, 4000, 2000), { v: 2000, loosened: [] });
  });
  it('order (severities)', () => {
    const s = { 'x-merge': 'order', 'x-order': ['off', 'info', 'warning', 'error'] };
    assert.deepEqual(m(s, 'warning', 'off'), { v: 'warning', loosened: ['/x'] });
    assert.deepEqual(m(s, 'warning', 'error'), { v: 'error', loosened: [] });
  });
  it('fixed', () => {
    assert.deepEqual(m({ 'x-merge': 'fixed' }, 'a', 'b'), { v: 'a', loosened: ['/x'] });
    assert.deepEqual(m({ 'x-merge': 'fixed' }, 'a', 'a'), { v: 'a', loosened: [] });
  });
  it('teams-only', () => {
    assert.deepEqual(m({ 'x-merge': 'teams-only' }, true, ['a/**']), { v: true, loosened: ['/x'] });
    assert.deepEqual(m({ 'x-merge': 'teams-only' }, ['a/**'], ['b/**']), { v: ['a/**', 'b/**'], loosened: [] });
    assert.deepEqual(m({ 'x-merge': 'teams-only' }, ['a/**'], true), { v: true, loosened: [] });
    assert.deepEqual(m({ 'x-merge': 'teams-only' }, ['a/**'], false), { v: ['a/**'], loosened: ['/x'] });
  });
  it('a team may set what the floor leaves unset', () => {
    assert.deepEqual(m({ 'x-merge': 'min' }, undefined as unknown as Json, 0.1), { v: 0.1, loosened: [] });
  });
});

describe('the policy schema', () => {
  it('gives every value an x-merge strategy', () => {
    const missing: string[] = [];
    const walk = (s: Record<string, unknown>, at: string) => {
      if (s.properties) {
        for (const [k, v] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
          if (!('x-merge' in v) && !('$ref' in v) && at !== '') missing.push(`${at}/${k}`);
          if (!('x-merge' in v) && !('$ref' in v) && at === '' && k !== '$schema') missing.push(`/${k}`);
          walk(v, `${at}/${k}`);
        }
      }
    };
    walk(schema, '');
    assert.deepEqual(missing, []);
  });

  it('is a valid draft-07 schema (the engine compiles it without checking it against the meta-schema)', async () => {
    const { default: AjvModule } = await import('ajv');
    const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as new (o: object) => {
      validateSchema(s: unknown): boolean;
      errors?: unknown;
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    assert.ok(ajv.validateSchema(schemaJson), JSON.stringify(ajv.errors));
  });

  it('is up to date with its fragments, SURFACES and the rule registry (npm run gen)', () => {
    // Generated here, in memory: the build does not write the committed file, so a stale one fails.
    assert.equal(
      fs.readFileSync(SCHEMA_PATH, 'utf8'),
      policySchema(),
      'schemas/policy.schema.json is stale: run `npm run gen`',
    );
  });

  it('knows every rule id and reports a misspelt one', () => {
    const ws = tempWorkspace({
      '.governance/policy.json': '{ "rules": { "owners/unowned-pth": "off", "owners/no-match": "error" } }\n',
    });
    try {
      const p = loadPolicy(openWorkspace(ws.dir, { git: false, managedSettingsPath: null }));
      assert.deepEqual(
        p.problems.map((x) => [x.ruleId, x.data?.error]),
        [['policy/invalid', 'unknown rule "owners/unowned-pth"']],
      );
      assert.equal(p.rules['owners/no-match'], 'error');
      assert.equal(p.rules['owners/unowned-pth'], undefined);
    } finally {
      ws.cleanup();
    }
  });
});

describe('loadPolicy', () => {
  it('uses the embedded baseline when there is no policy file', () => {
    const p = load({ 'README.md': 'x' });
    assert.deepEqual(p.sources, [{ kind: 'baseline', path: BASELINE_NAME }]);
    assert.equal(p.ownership.requireCodeowners, true);
    assert.deepEqual(p.problems, []);
  });

  it('the baseline itself is valid against the schema', () => {
    const p = load({ '.governance/policy.json': baselinePolicyText() });
    assert.deepEqual(p.problems, []);
  });

  it('keeps the floor when the team policy is not JSON', () => {
    const p = load({
      'floor.json': '{ "ownership": { "minCoverage": 0.7 } }',
      '.governance/policy.json': '{ "extends": "../floor.json", "ownership": { "minCoverage": 0.9 ',
    });
    assert.ok(p.problems.some((x) => x.messageId === 'syntax'));
    assert.ok((p.ownership.minCoverage ?? 0) >= 0.7);
  });

  it('drops only the invalid values and keeps the valid ones', () => {
    const p = load({
      '.governance/policy.json': '{ "ownership": { "minCoverage": 2, "requireCodeowners": true }, "bogus": 1 }',
    });
    assert.equal(p.ownership.minCoverage, undefined);
    assert.equal(p.ownership.requireCodeowners, true);
    assert.deepEqual(p.problems.map((x) => x.data?.pointer).sort(), ['/bogus', '/ownership/minCoverage']);
  });

  it('refuses a policy nested 10,000 levels deep instead of overflowing the stack', () => {
    const p = load({ '.governance/policy.json': '{"rules":'.repeat(10000) + '1' + '}'.repeat(10000) });
    assert.deepEqual(
      p.problems.map((x) => x.messageId),
      ['tooDeep'],
    );
  });

  it('reports a non-object policy', () => {
    const p = load({ '.governance/policy.json': '[1, 2]' });
    assert.deepEqual(
      p.problems.map((x) => x.messageId),
      ['notObject'],
    );
  });

  it('resolves an org floor from an installed npm package, and checks its pin', () => {
    const floor = '{ "ownership": { "minCoverage": 0.6 } }';
    const sha = createHash('sha256').update(floor).digest('hex');
    const p = load({
      'package.json': '{ "name": "x" }',
      'node_modules/@acme/policy/package.json': '{ "name": "@acme/policy", "version": "1.0.0" }',
      'node_modules/@acme/policy/floor.json': floor,
      '.governance/policy.json': JSON.stringify({ extends: [{ path: '@acme/policy/floor.json', sha256: sha }] }),
    });
    assert.deepEqual(p.problems, []);
    assert.equal(p.ownership.minCoverage, 0.6);
    assert.deepEqual(
      p.sources.map((s) => s.kind),
      ['team', 'floor'],
    );
  });

  it('stops an extends cycle', () => {
    const p = load({
      'a.json': '{ "extends": "./b.json" }',
      'b.json': '{ "extends": "./a.json" }',
      '.governance/policy.json': '{ "extends": "../a.json" }',
    });
    assert.ok(p.problems.some((x) => x.messageId === 'extendsCycle'));
  });

  it('merges several floors as tightenings of each other', () => {
    const p = load({
      'f1.json': '{ "ownership": { "minCoverage": 0.6, "mustOwn": ["a"] } }',
      'f2.json': '{ "ownership": { "minCoverage": 0.8, "mustOwn": ["b"] } }',
      '.governance/policy.json': '{ "extends": ["../f1.json", "../f2.json"] }',
    });
    assert.equal(p.ownership.minCoverage, 0.8);
    assert.deepEqual(
      p.ownership.mustOwn?.filter((x) => x === 'a' || x === 'b'),
      ['a', 'b'],
    );
  });

  it('knows where each value came from', () => {
    const p = load({
      'floor.json': '{\n  "ownership": {\n    "mustOwn": ["a/**"]\n  }\n}\n',
      '.governance/policy.json': '{\n  "extends": "../floor.json",\n  "ownership": { "mustOwn": ["b/**"] }\n}\n',
    });
    const list = p.ownership.mustOwn!;
    const ia = list.indexOf('a/**');
    const ib = list.indexOf('b/**');
    assert.equal(p.origin(`/ownership/mustOwn/${ia}`)?.file, 'floor.json');
    assert.equal(p.origin(`/ownership/mustOwn/${ia}`)?.range.start.line, 2);
    assert.equal(p.origin(`/ownership/mustOwn/${ib}`)?.file, '.governance/policy.json');
  });

  it('reads a policy given by path, and reports one that does not exist', () => {
    const p = load({ 'custom.json': '{ "ownership": { "minCoverage": 0.3 } }' }, 'custom.json');
    assert.equal(p.ownership.minCoverage, 0.3);
    const q = load({ 'README.md': 'x' }, 'missing.json');
    assert.deepEqual(
      q.problems.map((x) => x.messageId),
      ['unreadable'],
    );
  });

  it('the schema file VS Code validates against is the one the engine uses', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
      contributes?: { jsonValidation?: { url: string }[] };
    };
    const urls = (pkg.contributes?.jsonValidation ?? []).map((j) => j.url);
    if (urls.length) assert.ok(urls.includes('./schemas/policy.schema.json'));
  });
});
