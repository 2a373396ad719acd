// Assembles schemas/policy.schema.json from schemas/policy/_root.json, one fragment per policy section of SURFACES
// (schemas/policy/<surface>.json) and the rule registry (the `rules` keys). `npm run gen` writes it;
// `node --import tsx scripts/gen-schema.ts --check` (and a test) fails when the committed file differs.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../server/src/engine/rules/index';
import { POLICY_SECTIONS } from '../server/src/engine/surfaces';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
export const SCHEMA_PATH = join(dir, 'policy.schema.json');

/** The schema as it must be committed. */
export function policySchema(): string {
  const root = JSON.parse(readFileSync(join(dir, 'policy', '_root.json'), 'utf8')) as {
    properties: Record<string, Record<string, unknown>>;
  };
  const sections: readonly string[] = POLICY_SECTIONS;
  for (const name of sections) {
    root.properties[name] = {
      'x-merge': 'object',
      ...JSON.parse(readFileSync(join(dir, 'policy', `${name}.json`), 'utf8')),
    };
  }
  for (const f of readdirSync(join(dir, 'policy'))) {
    const name = f.replace(/\.json$/, '');
    if (f !== '_root.json' && !sections.includes(name))
      throw new Error(`schemas/policy/${f}: not a policy section of SURFACES`);
  }
  // A rule id the registry does not know (a typo, a rule removed) is reported, not silently ignored.
  const rules = root.properties.rules;
  if (!rules) throw new Error('schemas/policy/_root.json: no "rules" property');
  rules.propertyNames = { enum: RULES.map((r) => r.meta.id) };
  return JSON.stringify(root, null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = policySchema();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_PATH, 'utf8');
    } catch {
      /* missing */
    }
    if (current !== out) {
      console.error('schemas/policy.schema.json is stale: run `npm run gen`');
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_PATH, out);
  }
}
