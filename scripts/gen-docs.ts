// Generates the rule table in README.md (between <!-- rule-table --> markers) and docs/rules/README.md from the
// registry, and the baseline block of docs/policy.md from baseline.json. `npx tsx scripts/gen-docs.ts --check` fails
// when either is stale (a test and `npm run gen:check` run it).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/engine/rules/index';
import { SURFACE_NAMES, SURFACES } from '../server/src/engine/surfaces';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

export function ruleTable(linkPrefix: string): string {
  const lines: string[] = [];
  const surfaces = SURFACE_NAMES.filter((s) => RULES.some((r) => r.meta.surface === s));
  for (const s of surfaces) {
    lines.push(
      `**${SURFACES[s].title}**`,
      '',
      '| rule | default | fix | what it checks |',
      '| --- | --- | --- | --- |',
    );
    for (const r of RULES.filter((x) => x.meta.surface === s)) {
      lines.push(
        `| [\`${r.meta.id}\`](${linkPrefix}${r.meta.id}.md) | ${r.meta.defaultSeverity} | ${r.meta.fixable ? '✓' : ''} | ${r.meta.description} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

function between(text: string, marker: string, content: string): string {
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const i = text.indexOf(open);
  if (i === -1) throw new Error(`marker ${open} not found`);
  const j = text.indexOf(close, i);
  const end = j === -1 ? i + open.length : j + close.length;
  return text.slice(0, i) + `${open}\n${content}\n${close}` + text.slice(end);
}

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const newReadme = between(readme, 'rule-table', `${RULES.length} rules.\n\n${ruleTable('docs/rules/')}`);
const policyDocPath = join(root, 'docs', 'policy.md');
const policyDoc = readFileSync(policyDocPath, 'utf8');
const baseline = readFileSync(join(root, 'server', 'src', 'engine', 'policy', 'baseline.json'), 'utf8').trimEnd();
const newPolicyDoc = between(policyDoc, 'baseline', '```json\n' + baseline + '\n```');
const index = `# Rules\n\nGenerated from the registry by \`npx tsx scripts/gen-docs.ts\`; do not edit by hand.\n\n${ruleTable('')}\n`;
const indexPath = join(root, 'docs', 'rules', 'README.md');

if (process.argv.includes('--check')) {
  let stale = false;
  if (newReadme !== readme) {
    stale = true;
    console.error('README.md rule table is stale');
  }
  let cur = '';
  try {
    cur = readFileSync(indexPath, 'utf8');
  } catch {
    /* missing */
  }
  if (cur !== index) {
    stale = true;
    console.error('docs/rules/README.md is stale');
  }
  if (newPolicyDoc !== policyDoc) {
    stale = true;
    console.error('docs/policy.md baseline block is stale');
  }
  if (stale) {
    console.error('run `npx tsx scripts/gen-docs.ts`');
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, newReadme);
  writeFileSync(indexPath, index);
  writeFileSync(policyDocPath, newPolicyDoc);
}
