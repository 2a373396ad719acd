import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
const dir = process.argv[2]!;
const snapshot = openWorkspace(dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
for (const f of check(snapshot, loadPolicy(snapshot), new AnalysisCache())) {
  if (process.argv[3] && !f.ruleId.startsWith(process.argv[3])) continue;
  console.log(`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.ruleId} ${f.message}${f.fixes?.length ? ' [fix: ' + f.fixes.map((x) => x.title + (x.kind ? '/' + x.kind : '')).join('; ') + ']' : ''}`);
}
