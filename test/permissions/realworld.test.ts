// Every real settings file in ../shared/realworld/settings is checked without a crash, each placed where it lives
// (managed-settings files as the machine's managed file, the dotfiles user file as the user file), under the
// embedded baseline policy. Every finding of the permissions surface is listed below with the reason we would
// give its author; a new finding fails the test until it is reviewed and added here.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { claudeEffective, explain } from '../../server/src/engine/permissions/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import { openWorkspace } from '../../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const DIR = path.resolve(REPO_ROOT, '..', 'shared', 'realworld', 'settings');

// file → the findings (rule:messageId ×count) we expect, each with its defence.
const EXPECTED: Record<string, string[]> = {
  // Official example: bypass is not disabled in this managed file; the baseline (after the seed: "most teams should
  // never reach blanket bypass") requires it in Managed.
  'anthropics__claude-code__examples__settings__settings-bash-sandbox.json': ['permissions/bypass-mode:notDisabled'],
  // allowManagedPermissionRulesOnly nested in "permissions": the schema allows only 7 keys there, the docs put it
  // at the top level; the author believes only managed rules apply, and they do not.
  'mhshah92__claude-code-hardening__managed-settings.json': ['settings/managed-only-key:nested'],
  // env value 1 (a number): the settings schema wants strings; the tool does not reject the file for it.
  'tomtyiu__Claude_Code_Security__managed-settings.json': ['settings/invalid:coerced'],
  // An invented schema: top-level defaultMode/disableBypassPermissionsMode/permissionRules are not Claude Code keys,
  // so none of its deny "rules" exist, and bypass mode is not disabled.
  'wwbrannon__claude-sandbox-images__settings__managed-settings.json': [
    'permissions/bypass-mode:notDisabled',
    'settings/invalid:unknownKey×4',
  ],
  // theme is not a settings key (it lives in ~/.claude.json); bypass not disabled; sort -o / env <cmd> /
  // xargs <cmd> / gh api -X DELETE are writes behind "read-only" allow rules (each checked with the real CLI);
  // Read(/workspace/…) and Read(/home/claude/…) are anchored at the project root, not the file-system root, so
  // these 5 denies protect nothing. (Bash(cat *) is not a gap: the CLI checks cat's arguments and blocks reads
  // outside the working folders.)
  'dhiller__claude-code-container__managed-settings.json': [
    'settings/invalid:unknownKey',
    'permissions/bypass-mode:notDisabled',
    'permissions/coverage-gap:writes×4',
    'permissions/invalid-rule:problem×5',
  ],
  // gh api:* allows DELETE; includeCoAuthoredBy is deprecated.
  'getsentry__sentry__.claude__settings.json': [
    'permissions/coverage-gap:writes',
    'settings/legacy-key:claudeDeprecated',
  ],
  // A committed settings.local.json (a personal scratchpad that outranks Project).
  'PostHog__posthog__.claude__settings.local.json': ['settings/local-committed:committed'],
  // Bash(node:*) lets node -e read any file while no Read deny covers ~/.aws/~/.ssh (baseline sensitivePaths);
  // gh api -X DELETE, sort -o, sed -i are writes behind read-only-looking allows; includeCoAuthoredBy deprecated.
  'getsentry__sentry-mcp__.claude__settings.json': [
    'settings/legacy-key:claudeDeprecated',
    'permissions/coverage-gap:sensitive×2',
    'permissions/coverage-gap:writes×3',
  ],
  // Dotted pseudo-keys are not Gemini CLI settings.
  '5throck__ai-workspace-standards__.gemini__settings.json': ['settings/invalid:geminiUnknownKey×4'],
  // Committed local settings; SlashCommand is not a current tool name, so SlashCommand(*) allows nothing.
  'dnorth123__claude-code-project-starter__project-template__.claude__settings.local.json': [
    'settings/local-committed:committed',
    'permissions/invalid-rule:problem',
  ],
  // installedPluginVersions is not a settings key.
  'IrvanFza__claudish__.claude__settings.json': ['settings/invalid:unknownKey'],
  // Read(/tmp/…) means <project>/tmp/…, so these allows do not cover the screenshots in /tmp; "commands" is not a key.
  'Iron-Ham__Claude-XcodePreviews__.claude__settings.json': [
    'permissions/invalid-rule:problem×2',
    'settings/invalid:unknownKey',
  ],
  // Bare Bash allowed (the baseline forbids it): any program can read ~/.aws, ~/.ssh; mcp__* in allow matches nothing.
  '0K-cool__athena__.claude__settings.json': [
    'permissions/coverage-gap:sensitive×2',
    'permissions/forbidden-allow:forbidden',
    'permissions/invalid-rule:problem',
  ],
  // Committed local settings; a rule holding a newline (a heredoc commit message) never matches.
  '0123-6__react19-template__.claude__settings.local.json': [
    'settings/local-committed:committed',
    'permissions/invalid-rule:problem',
  ],
  // Committed local settings; git config:* lets the agent set core.sshCommand.
  '01Hakan__claudegun1__.claude__settings.local.json': [
    'settings/local-committed:committed',
    'permissions/coverage-gap:writes',
  ],
  '0-1-Developer__0-1-rust__.claude__settings.local.json': ['settings/local-committed:committed'],
  '0000005__WeAgentChat__.claude__settings.local.json': ['settings/local-committed:committed'],
  // Bash(node:*) reaches the files its Read denies protect (node -e "fs.readFileSync('.env')"), and the
  // baseline's sensitive ~/.aws, ~/.ssh have no Read deny at all.
  'IsaiahDupree__acd__.claude__settings.json': [
    'permissions/coverage-gap:sensitive×2',
    'permissions/coverage-gap:readViaShell×3',
  ],
  // The hard block Read(~/.aws/**) sits in Project settings (the move fix puts it in Managed), so the other baseline
  // hard blocks are reported missing from the Managed source too; Read(/var/log/…) is anchored at the project.
  'Jarand96__owasp-agentic-security-assessment__.claude__settings.json': [
    'permissions/hard-block-not-managed:notManaged',
    'permissions/invalid-rule:problem×5',
    'permissions/hard-block-missing:missing×4',
  ],
  // Bypass not disabled in this managed file; minimumVersion is not a key (requiredMinimumVersion is).
  'Jarand96__owasp-agentic-security-assessment__managed-settings.json': [
    'permissions/bypass-mode:notDisabled',
    'settings/invalid:unknownKey',
  ],
  // An invented schema: none of these keys is a Claude Code setting.
  '0xIntuition__intuition-ts__.claude__settings.json': ['settings/invalid:unknownKey×10'],
  // A user file: includeCoAuthoredBy deprecated; permissions.allowedTools is ignored (checked with the real CLI).
  'smian0__dotfiles__claude__.claude__settings.json': [
    'settings/legacy-key:claudeDeprecated',
    'settings/legacy-key:claude',
  ],
};

function tally(items: string[]): string[] {
  const n = new Map<string, number>();
  for (const i of items) n.set(i, (n.get(i) ?? 0) + 1);
  return [...n].map(([k, c]) => (c > 1 ? `${k}×${c}` : k)).sort();
}

describe('real-world settings files', () => {
  if (!fs.existsSync(path.join(DIR, 'INDEX.txt'))) {
    it('skipped: ../shared/realworld/settings is not present', { skip: `no ${DIR}` }, () => {});
    return;
  }
  const rows = fs
    .readFileSync(path.join(DIR, 'INDEX.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  for (const [repo, rel, , , file] of rows) {
    it(`${repo} ${rel}`, () => {
      const text = fs.readFileSync(path.join(DIR, file!));
      const managed = /managed-settings\.json$/.test(rel!) || /^examples\/settings\//.test(rel!);
      const user = rel === 'claude/.claude/settings.json';
      const at = managed ? 'etc/managed-settings.json' : user ? 'home/.claude/settings.json' : `ws/${rel}`;
      const ws = tempWorkspace({ 'ws/README.md': 'x\n', [at]: text });
      try {
        const snapshot = openWorkspace(path.join(ws.dir, 'ws'), {
          git: false,
          managedSettingsPath: managed ? path.join(ws.dir, at) : null,
          userSettingsPath: user ? path.join(ws.dir, at) : null,
          tracked: [rel!],
        });
        const policy = loadPolicy(snapshot);
        const cache = new AnalysisCache();
        const findings = check(snapshot, policy, cache);
        assert.ok(
          !findings.some((f) => f.ruleId === 'workspace/internal-error'),
          JSON.stringify(findings).slice(0, 3000),
        );
        const mine = findings
          .filter((f) => /^(settings|permissions|gemini)\//.test(f.ruleId))
          .map((f) => `${f.ruleId}:${f.messageId}`);
        assert.deepEqual(
          tally(mine),
          (EXPECTED[file!] ?? []).slice().sort(),
          findings
            .filter((f) => /^(settings|permissions|gemini)\//.test(f.ruleId))
            .map((f) => f.message)
            .join('\n'),
        );
        // explain answers on every stack.
        const e = claudeEffective(snapshot, cache, policy);
        for (const c of ['Bash(git push origin main)', 'Read(./.env)', 'Edit(src/a.ts)', 'mcp__postgres__execute'])
          assert.ok(explain(e, c).decision);
      } finally {
        ws.cleanup();
      }
    });
  }
});
