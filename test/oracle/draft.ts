// Drafts rows of the decision table: runs candidate calls through the real Claude Code (run-oracle.ts) and through
// our engine, prints every disagreement, and writes the agreeing rows (with the engine's deciding rule) as stacks
// ready to merge into test/permissions/decisions.json. A developer tool, not a test.
//
// Usage: node --import tsx test/oracle/draft.ts DRAFT.json OUT.json
//   DRAFT.json: {"stacks":[{"id", "project"?, "local"?, "user"?, "managed"?, "source"?, "calls":[CALL | {"call","note"}]}]}

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache } from '../../server/src/engine/cache';
import { claudeEffective, explain } from '../../server/src/engine/permissions/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { loadShellParser } from '../../server/src/node/shell-parser';

interface DraftStack {
  id: string;
  source?: string;
  calls: (string | { call: string; note?: string })[];
  [k: string]: unknown;
}
const [draftFile, outFile] = process.argv.slice(2);
if (!draftFile || !outFile) throw new Error('usage: draft.ts DRAFT.json OUT.json');
const draft = JSON.parse(fs.readFileSync(draftFile, 'utf8')) as { stacks: DraftStack[] };
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-draft-'));
const calls = (s: DraftStack) => s.calls.map((c) => (typeof c === 'string' ? { call: c } : c));
const table = {
  stacks: draft.stacks.map(({ calls: _c, source: _s, ...rest }) => ({
    ...rest,
    decisions: calls({ calls: _c } as DraftStack).map((c) => ({ call: c.call, expect: 'ask', cite: 'oracle: draft' })),
  })),
};
fs.writeFileSync(path.join(tmp, 'table.json'), JSON.stringify(table));
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(REPO, 'test', 'oracle', 'run-oracle.ts'),
    '--table',
    path.join(tmp, 'table.json'),
    '--json',
    path.join(tmp, 'verdicts.json'),
    '--jobs',
    process.env.JOBS ?? '3',
  ],
  { encoding: 'utf8' },
);
if (!fs.existsSync(path.join(tmp, 'verdicts.json'))) throw new Error(`oracle failed: ${r.stdout}\n${r.stderr}`);
const verdicts = JSON.parse(fs.readFileSync(path.join(tmp, 'verdicts.json'), 'utf8')) as Record<string, string[]>;
await loadShellParser();
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) + '\n');
const out: unknown[] = [];
let agree = 0;
let differ = 0;
for (const s of draft.stacks) {
  const dir = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const put = (rel: string, v: unknown) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text(v));
  };
  put('project/README.md', 'alpha\n');
  put('home/.keep', '');
  if (s.project !== undefined) put('project/.claude/settings.json', s.project);
  if (s.local !== undefined) put('project/.claude/settings.local.json', s.local);
  if (s.user !== undefined) put('home/.claude/settings.json', s.user);
  if (s.managed !== undefined) put('etc/managed-settings.json', s.managed);
  const snap = openWorkspace(path.join(dir, 'project'), {
    git: false,
    managedSettingsPath: path.join(dir, 'etc', 'managed-settings.json'),
    userSettingsPath: s.user !== undefined ? path.join(dir, 'home', '.claude', 'settings.json') : null,
  });
  const e = claudeEffective(snap, new AnalysisCache(), loadPolicy(snap), { home: path.join(dir, 'home') });
  const decisions: unknown[] = [];
  calls(s).forEach((c, i) => {
    const oracle = verdicts[s.id]?.[i] ?? 'missing';
    const x = explain(e, c.call);
    const ours = x.decision === 'prompt' ? 'ask' : x.decision;
    if (ours === oracle) {
      agree++;
      decisions.push({
        call: c.call,
        expect: x.decision,
        ...(x.rule ? { rule: x.rule.text, scope: x.rule.scope } : {}),
        cite: `oracle: ${c.note ?? s.source ?? 'checked with cc-oracle'}`,
      });
    } else {
      differ++;
      console.log(`DIFF ${s.id}: ${c.call}  oracle ${oracle}  engine ${x.decision} (${x.reason})`);
    }
  });
  const { calls: _c, ...rest } = s;
  if (decisions.length) out.push({ ...rest, decisions });
}
fs.writeFileSync(outFile, JSON.stringify({ stacks: out }, null, 2) + '\n');
console.log(`${agree} agree, ${differ} differ; rows in ${outFile}`);
fs.rmSync(tmp, { recursive: true, force: true });
