// Test helpers: open a fixture folder as a workspace and run the engine on it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache, check, type Finding } from '../server/src/engine/index';
import { loadPolicy } from '../server/src/engine/policy/load';
import type { ResolvedPolicy } from '../server/src/engine/policy/types';
import type { Rule } from '../server/src/engine/rule';
import { openWorkspace, type NodeSnapshot, type WorkspaceOptions } from '../server/src/node/discovery';

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

export interface FixtureConfig {
  tracked?: string[];
  managedSettings?: string;
  userSettings?: string;
  policy?: string;
}

export function readFixtureConfig(dir: string): FixtureConfig {
  const p = path.join(dir, 'fixture.json');
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as FixtureConfig) : {};
}

/** Open a fixture folder (never through git: fixtures live inside this repository). */
export function openFixture(
  dir: string,
  extra: WorkspaceOptions = {},
): { snapshot: NodeSnapshot; policy: ResolvedPolicy } {
  const cfg = readFixtureConfig(dir);
  const snapshot = openWorkspace(dir, {
    git: false,
    managedSettingsPath: cfg.managedSettings ? path.join(dir, cfg.managedSettings) : null,
    userSettingsPath: cfg.userSettings ? path.join(dir, cfg.userSettings) : null,
    ...(cfg.tracked ? { tracked: cfg.tracked } : {}),
    ...extra,
  });
  const policy = loadPolicy(snapshot, cfg.policy ? { policyPath: cfg.policy } : {});
  return { snapshot, policy };
}

/** Run the engine on a fixture folder. */
export function checkFixture(dir: string, options: { rules?: readonly Rule[] } = {}): Finding[] {
  const { snapshot, policy } = openFixture(dir);
  return check(snapshot, policy, new AnalysisCache(), options.rules ? { rules: options.rules } : {});
}

/** A temporary folder with the given files (path → content); removed by the returned cleanup. */
export function tempWorkspace(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Findings of one rule, as 1-based {file, line, column, messageId}. */
export function brief(
  findings: Finding[],
  ruleId?: string,
): { file: string; line: number; column: number; messageId?: string }[] {
  return findings
    .filter((f) => !ruleId || f.ruleId === ruleId)
    .map((f) => ({
      file: f.file,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      ...(f.messageId ? { messageId: f.messageId } : {}),
    }));
}
