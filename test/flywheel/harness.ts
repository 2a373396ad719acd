// A fresh git repository for the flywheel CLI tests, and the CLI run in-process as a given person (git's identity
// through GIT_AUTHOR_EMAIL, as a person's own machine would set user.email).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { tempWorkspace } from '../helpers';

export const PEOPLE = {
  alice: 'alice@acme.example', // billing lead: owns services/billing/
  bob: 'bob@acme.example', // platform: ratifies the Managed source
  carol: 'carol@acme.example', // engineer, incident owner, author of the proposals
  mallory: 'mallory@acme.example', // engineer, owns nothing
};

export const POLICY = {
  flywheel: {
    people: {
      '@alice': [PEOPLE.alice],
      '@bob': [PEOPLE.bob],
      '@carol': [PEOPLE.carol],
      '@mallory': [PEOPLE.mallory],
    },
    teams: { '@acme/billing-leads': ['@alice'], '@acme/platform': ['@bob'], '@acme/eng': ['@carol', '@mallory'] },
    ratifiers: { 'managed-deny': ['@acme/platform'] },
  },
};

export const SCENARIO_FILES: Record<string, string> = {
  '.github/CODEOWNERS': '/services/billing/ @acme/billing-leads\n/.governance/ @acme/platform\n/.github/ @acme/platform\n',
  '.github/pull_request_template.md': '## Summary\n\n## Author of record\n\n<!-- the human accountable for this change -->\n',
  'services/billing/CLAUDE.md': '# Billing service\n\n## Migration checklist\n\n- Migrations run inside a transaction.\n\n## Testing\n\n- Run the tests before every commit.\n',
  'services/billing/migrations/0042_drop_invoices.sql': 'DROP TABLE invoices;\n',
  '.governance/managed/claude-managed-settings.json': '{\n  "permissions": {\n    "deny": ["Bash(rm -rf *)"]\n  }\n}\n',
  '.governance/policy.json': JSON.stringify(POLICY, null, 2) + '\n',
};

export function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'ci@acme.example', GIT_CONFIG_NOSYSTEM: '1', HOME: dir, ...env },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh repository with `files`, committed. */
export function freshRepo(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const ws = tempWorkspace(files);
  git(ws.dir, ['init', '-q', '-b', 'main']);
  git(ws.dir, ['config', 'user.email', PEOPLE.carol]);
  git(ws.dir, ['config', 'commit.gpgsign', 'false']);
  commitAll(ws.dir, 'init');
  return ws;
}

export function commitAll(dir: string, message: string, as = PEOPLE.carol, extra: string[] = []): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', message, ...extra], { GIT_AUTHOR_EMAIL: as });
}

export interface Run {
  code: number;
  out: string;
  err: string;
  json: Record<string, unknown>;
}

/** Run `flywheel <args>` in-process as `who` (an email). */
export async function flywheel(dir: string, who: string | undefined, args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd: dir };
  const saved = process.env.GIT_AUTHOR_EMAIL;
  if (who === undefined) delete process.env.GIT_AUTHOR_EMAIL;
  else process.env.GIT_AUTHOR_EMAIL = who;
  try {
    const code = await main(args, io);
    let json: Record<string, unknown> = {};
    if (args.includes('json')) {
      try {
        json = JSON.parse(out) as Record<string, unknown>;
      } catch {
        json = {};
      }
    }
    return { code, out, err, json };
  } finally {
    if (saved === undefined) delete process.env.GIT_AUTHOR_EMAIL;
    else process.env.GIT_AUTHOR_EMAIL = saved;
  }
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

export function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

export function ledgerEvents(dir: string, subject: string): string[] {
  const d = path.join(dir, '.governance/ledger', subject);
  return fs.existsSync(d) ? fs.readdirSync(d).sort().map((f) => `.governance/ledger/${subject}/${f}`) : [];
}
