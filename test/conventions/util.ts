// Helpers for the conventions tests: run the engine on a temporary workspace, apply a finding's fix.

import * as path from 'node:path';
import { AnalysisCache, check, RULES, type Finding } from '../../server/src/engine/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import type { FileEdit } from '../../server/src/engine/types';
import { LineIndex } from '../../server/src/engine/text';
import { openWorkspace, type NodeSnapshot } from '../../server/src/node/discovery';
import { tempWorkspace } from '../helpers';

export const CONVENTION_RULES = RULES.filter((r) => r.meta.id.startsWith('conventions/'));

export function open(dir: string): NodeSnapshot {
  return openWorkspace(dir, { git: false, managedSettingsPath: null });
}

/** Conventions findings (plus policy/invalid) for a workspace of the given files. */
export function run(files: Record<string, string | Buffer>, ruleId?: string): Finding[] {
  const ws = tempWorkspace(files);
  try {
    const snapshot = open(ws.dir);
    const rules = RULES.filter((r) => r.meta.id.startsWith('conventions/') || r.meta.id === 'policy/invalid');
    const got = check(snapshot, loadPolicy(snapshot), new AnalysisCache(), { rules });
    return ruleId ? got.filter((f) => f.ruleId === ruleId) : got;
  } finally {
    ws.cleanup();
  }
}

/** Apply edits to one file's text (edits of other files are ignored). */
export function applyEdits(text: string, edits: FileEdit[], file: string): string {
  const idx = new LineIndex(text);
  const mine = edits
    .filter((e) => e.file === file)
    .map((e) => ({ s: idx.offsetAt(e.range.start), e: idx.offsetAt(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s);
  let out = text;
  for (const m of mine) out = out.slice(0, m.s) + m.t + out.slice(m.e);
  return out;
}

export function rel(dir: string, p: string): string {
  return path.relative(dir, p).split(path.sep).join('/');
}
