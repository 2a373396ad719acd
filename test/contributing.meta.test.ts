// The checklists of CONTRIBUTING.md ("Adding a surface", "Adding a CLI verb", "Adding an editor command", "Adding a
// setting"), checked: a step left out fails here with the step to take.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_TITLES } from '../client/src/commandIds';
import type { CliIO } from '../server/src/cli/io';
import { main, usage } from '../server/src/cli/main';
import { RULES } from '../server/src/engine/index';
import { POLICY_SECTIONS, SURFACE_NAMES, SURFACES, surfaceOfPrefix } from '../server/src/engine/surfaces';
import { DEFAULT_SETTINGS, FOLDER_SETTINGS } from '../server/src/lsp/protocol';
import { REPO_ROOT } from './helpers';

const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');
const dirs = (rel: string) =>
  fs
    .readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
const files = (rel: string, ext: string) =>
  fs
    .readdirSync(path.join(REPO_ROOT, rel))
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length));
const pkg = JSON.parse(read('package.json')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; scope?: string }> } };
};

describe('Adding a surface', () => {
  it('every rule prefix folder belongs to exactly one surface of SURFACES', () => {
    for (const prefix of dirs('server/src/engine/rules')) {
      assert.ok(
        surfaceOfPrefix(prefix),
        `server/src/engine/rules/${prefix}/: add '${prefix}' to a surface's prefixes in engine/surfaces.ts`,
      );
    }
    const prefixes = SURFACE_NAMES.flatMap((s) => SURFACES[s].prefixes);
    assert.equal(new Set(prefixes).size, prefixes.length, 'a prefix belongs to one surface');
  });

  it('every policy section has its schema fragment, and every fragment and section type is a section', () => {
    const fragments = files('schemas/policy', '.json').filter((f) => f !== '_root');
    assert.deepEqual(
      [...fragments].sort(),
      [...POLICY_SECTIONS].sort(),
      'schemas/policy/<surface>.json, one per section: true',
    );
    for (const t of files('server/src/engine/policy/sections', '.ts')) {
      assert.ok(
        (POLICY_SECTIONS as readonly string[]).includes(t),
        `policy/sections/${t}.ts: not a policy section of SURFACES`,
      );
    }
  });

  it('every surface with rules has its rule folder registered (rules/index.ts)', () => {
    const registry = read('server/src/engine/rules/index.ts');
    for (const prefix of dirs('server/src/engine/rules')) {
      assert.match(registry, new RegExp(`from '\\./${prefix}/index'`), `rules/index.ts imports ./${prefix}/index`);
      assert.ok(
        RULES.some((r) => r.meta.id.startsWith(`${prefix}/`)),
        `${prefix}: its rules are in the registry`,
      );
    }
  });
});

describe('Adding a CLI verb', () => {
  const verbs = [...usage().matchAll(/^ {2}([a-z-]+) {2,}\S/gm)].map((m) => m[1] ?? '');
  it('the usage lists the verbs', () => assert.ok(verbs.length >= 3, usage()));
  for (const verb of verbs) {
    it(`${verb}: its own module, --help, and the README`, async () => {
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'server/src/cli', `${verb}.ts`)), `server/src/cli/${verb}.ts`);
      let out = '';
      const io: CliIO = { out: (s) => void (out += s), err: (s) => void (out += s), color: false, cwd: REPO_ROOT };
      const code = await main([verb, '--help'], io);
      assert.equal(code, 0, `flywheel ${verb} --help exits 0`);
      assert.match(out, new RegExp(`^Usage: flywheel ${verb}\\b`), `flywheel ${verb} --help starts with its usage`);
      assert.match(read('README.md'), new RegExp(`flywheel ${verb}\\b`), `README.md documents flywheel ${verb}`);
    });
  }
});

describe('Adding an editor command', () => {
  it('every command has a handler and a package.json entry (the manifest test checks titles)', () => {
    const commands = read('client/src/commands.ts');
    for (const id of Object.keys(COMMAND_TITLES)) {
      assert.match(
        commands,
        new RegExp(`'${id.replace('.', '\\.')}'\\s*:`),
        `client/src/commands.ts: a handler for ${id}`,
      );
    }
  });
});

describe('Adding a setting', () => {
  const props = pkg.contributes.configuration.properties;
  it('every server setting is declared in package.json with the same default', () => {
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.ok(props[`flywheel.${key}`], `package.json declares flywheel.${key}`);
      assert.deepEqual(
        props[`flywheel.${key}`]?.default,
        value,
        `flywheel.${key}: package.json default = DEFAULT_SETTINGS`,
      );
    }
  });

  it('every declared setting is a server setting (or the client-side trace)', () => {
    for (const key of Object.keys(props)) {
      const name = key.replace(/^flywheel\./, '');
      assert.ok(
        name in DEFAULT_SETTINGS || name === 'trace.server',
        `${key}: add it to FlywheelSettings and DEFAULT_SETTINGS`,
      );
    }
  });

  it('the client reads every setting', () => {
    const client = read('client/src/settings.ts');
    for (const key of Object.keys(DEFAULT_SETTINGS))
      assert.match(client, new RegExp(`'${key}'`), `client/src/settings.ts reads ${key}`);
  });

  it('the resource-scoped settings are the ones the server pulls per folder (FOLDER_SETTINGS)', () => {
    const resource = Object.entries(props)
      .filter(([, p]) => p.scope === 'resource')
      .map(([k]) => k.replace(/^flywheel\./, ''));
    assert.deepEqual(
      [...FOLDER_SETTINGS].sort(),
      resource.sort(),
      'FOLDER_SETTINGS = the settings with "scope": "resource"',
    );
  });
});
