// The registry's meta-test, both ways (as ESLint's and markdownlint's): every rule has a doc page in the one template,
// valid and invalid fixtures, an id that matches its file and well-formed metadata; every rule file, doc page and
// fixture folder on disk belongs to a registered rule; every message id is produced by some invalid fixture, and
// every invalid fixture pins its findings (expected.json).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../server/src/engine/index';
import { docsPath } from '../server/src/engine/rule';
import { surfaceOfPrefix } from '../server/src/engine/surfaces';
import { brief, checkFixture, FIXTURES, REPO_ROOT } from './helpers';

function hasCase(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory());
}

describe('rule registry', () => {
  it('is sorted and has unique ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const rule of RULES) {
    const { id } = rule.meta;
    it(`${id}: metadata, doc page, module file and fixtures`, () => {
      assert.match(id, /^[a-z]+\/[a-z0-9-]+$/);
      const [prefix] = id.split('/');
      assert.equal(
        surfaceOfPrefix(prefix ?? ''),
        rule.meta.surface,
        `${id}: surface ${rule.meta.surface} does not fit prefix ${prefix}`,
      );
      assert.ok(
        rule.meta.description.length > 10 && !rule.meta.description.endsWith('.'),
        `${id}: description is one line without a full stop`,
      );
      assert.ok(Object.keys(rule.meta.messages).length > 0, `${id}: has messages`);
      assert.ok(
        fs.existsSync(path.join(REPO_ROOT, 'server/src/engine/rules', `${id}.ts`)),
        `${id}: module file server/src/engine/rules/${id}.ts`,
      );
      const doc = path.join(REPO_ROOT, docsPath(id));
      assert.ok(fs.existsSync(doc), `${id}: doc page ${docsPath(id)} is missing`);
      assert.match(
        fs.readFileSync(doc, 'utf8'),
        new RegExp(`^# ${id.replace('/', '\\/')}\\b`),
        `${id}: doc page starts with "# ${id}"`,
      );
      assert.ok(
        hasCase(path.join(FIXTURES, 'rules', id, 'invalid')),
        `${id}: no invalid fixture in test/fixtures/rules/${id}/invalid/`,
      );
      assert.ok(
        hasCase(path.join(FIXTURES, 'rules', id, 'valid')),
        `${id}: no valid fixture in test/fixtures/rules/${id}/valid/`,
      );
    });
  }
});

const IDS = new Set(RULES.map((r) => r.meta.id));
const entries = (rel: string) =>
  fs.existsSync(path.join(REPO_ROOT, rel)) ? fs.readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true }) : [];
const subdirs = (rel: string) =>
  entries(rel)
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

/** Message ids no fixture can produce, each with the reason and the test that covers it instead. */
const NOT_FROM_A_FIXTURE: Record<string, string> = {
  'owners/syntax:uncompilable':
    'defensive: no pattern the parser accepts fails to compile (test/ownership/messages.test.ts)',
  'flywheel/unauthorized-ratification:unsigned':
    'needs a ledger event committed unsigned, which a fixture folder cannot carry (test/flywheel/signed.test.ts)',
  'flywheel/unauthorized-ratification:wrongSigner':
    "needs a ledger event signed with another's key, which a fixture folder cannot carry (test/flywheel/signed.test.ts)",
  'workspace/unreadable:discovery':
    'needs a folder the process cannot list, which git cannot hold (test/engine/discovery.test.ts)',
};

/** The `##` sections every doc page has, in this order (a page may add its own between them). */
const DOC_TEMPLATE = ['Why', 'Examples', 'How to fix', 'Configuration'];

describe('registry, both ways', () => {
  it('every rule file on disk is registered', () => {
    for (const prefix of subdirs('server/src/engine/rules')) {
      for (const f of entries(`server/src/engine/rules/${prefix}`)) {
        if (!f.isFile() || f.name === 'index.ts' || !f.name.endsWith('.ts')) continue;
        const id = `${prefix}/${f.name.slice(0, -3)}`;
        assert.ok(
          IDS.has(id),
          `server/src/engine/rules/${id}.ts is not registered: add it to rules/${prefix}/index.ts`,
        );
      }
    }
  });

  it('every doc page belongs to a registered rule and follows the template', () => {
    for (const prefix of subdirs('docs/rules')) {
      for (const f of entries(`docs/rules/${prefix}`)) {
        const id = `${prefix}/${f.name.replace(/\.md$/, '')}`;
        assert.ok(
          f.isFile() && f.name.endsWith('.md') && IDS.has(id),
          `docs/rules/${prefix}/${f.name}: no registered rule ${id}`,
        );
        const text = fs.readFileSync(path.join(REPO_ROOT, 'docs/rules', prefix, f.name), 'utf8');
        assert.ok(text.startsWith(`# ${id}\n`), `docs/rules/${id}.md: starts with "# ${id}"`);
        const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1] ?? '');
        const found = headings.filter((h) => DOC_TEMPLATE.includes(h));
        assert.deepEqual(
          found,
          DOC_TEMPLATE,
          `docs/rules/${id}.md: sections ${DOC_TEMPLATE.map((h) => `"## ${h}"`).join(', ')}, once each, in order`,
        );
      }
    }
  });

  it('every fixture folder belongs to a registered rule and holds only valid/ and invalid/', () => {
    for (const prefix of subdirs('test/fixtures/rules')) {
      for (const name of subdirs(`test/fixtures/rules/${prefix}`)) {
        const id = `${prefix}/${name}`;
        assert.ok(IDS.has(id), `test/fixtures/rules/${id}/: no registered rule ${id}`);
        for (const e of entries(`test/fixtures/rules/${id}`)) {
          assert.ok(
            e.isDirectory() && (e.name === 'valid' || e.name === 'invalid'),
            `test/fixtures/rules/${id}/${e.name}: only valid/ and invalid/`,
          );
        }
      }
    }
  });

  it('every invalid fixture pins its findings, and every message id is produced by some fixture', () => {
    const produced = new Set<string>();
    for (const rule of RULES) {
      const id = rule.meta.id;
      for (const c of subdirs(`test/fixtures/rules/${id}/invalid`)) {
        const dir = path.join(FIXTURES, 'rules', id, 'invalid', c);
        assert.ok(
          fs.existsSync(path.join(dir, 'expected.json')),
          `test/fixtures/rules/${id}/invalid/${c}/expected.json: pin the findings`,
        );
        for (const g of brief(checkFixture(dir), id)) produced.add(`${id}:${g.messageId ?? ''}`);
      }
    }
    const missing = RULES.flatMap((r) => Object.keys(r.meta.messages).map((m) => `${r.meta.id}:${m}`)).filter(
      (k) => !produced.has(k) && !(k in NOT_FROM_A_FIXTURE),
    );
    assert.deepEqual(
      missing,
      [],
      'message ids no invalid fixture produces: add a case under test/fixtures/rules/<id>/invalid/',
    );
    for (const k of Object.keys(NOT_FROM_A_FIXTURE))
      assert.ok(!produced.has(k), `${k}: a fixture produces it now; drop it from NOT_FROM_A_FIXTURE`);
  });
});

describe('generated docs', () => {
  it('README rule table and docs/rules/README.md are up to date (npx tsx scripts/gen-docs.ts)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-docs.ts', '--check'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
  });
});
