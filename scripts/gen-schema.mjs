// Assembles schemas/policy.schema.json from schemas/policy/_root.json and one fragment per surface
// (schemas/policy/<surface>.json). `node scripts/gen-schema.mjs --check` fails when the committed file is stale.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const root = JSON.parse(readFileSync(join(dir, 'policy', '_root.json'), 'utf8'));
const SECTIONS = ['ownership', 'conventions', 'permissions', 'mcp', 'boundary', 'rollout', 'flywheel'];
for (const name of SECTIONS) {
  root.properties[name] = { 'x-merge': 'object', ...JSON.parse(readFileSync(join(dir, 'policy', `${name}.json`), 'utf8')) };
}
for (const f of readdirSync(join(dir, 'policy'))) {
  const name = f.replace(/\.json$/, '');
  if (f !== '_root.json' && !SECTIONS.includes(name)) throw new Error(`schemas/policy/${f}: not a known section`);
}
const out = JSON.stringify(root, null, 2) + '\n';
const target = join(dir, 'policy.schema.json');
if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing */ }
  if (current !== out) {
    console.error('schemas/policy.schema.json is stale: run `node scripts/gen-schema.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(target, out);
}
