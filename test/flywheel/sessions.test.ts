// Session signals on transcripts the real Claude Code 2.1.330 wrote (cc-oracle, see test/fixtures/sessions/README.md),
// and on Codex CLI / Gemini CLI sessions shaped as their recorders write them.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { claudeEvents, claudeProjectFolder } from '../../server/src/engine/flywheel/sessions/claude';
import { codexExitCode } from '../../server/src/engine/flywheel/sessions/codex';
import {
  commandKey,
  correctionReason,
  mineSession,
  rankCandidates,
  redactSecrets,
  type Candidate,
} from '../../server/src/engine/flywheel/sessions/detect';
import type { SessionEvent } from '../../server/src/engine/flywheel/sessions/events';
import { groupKey, parseSignal } from '../../server/src/engine/flywheel/signal';
import { gitEmail } from '../../server/src/node/flywheel';
import { readLines } from '../../server/src/node/transcripts/lines';
import { defaultLocations, scanSessions, ScanCancelled } from '../../server/src/node/transcripts/scan';
import { main } from '../../server/src/cli/main';
import { run as signals } from '../../server/src/cli/signals';
import type { SignalDraft } from '../../server/src/node/flywheel-service/accept';
import { REPO_ROOT } from '../helpers';

const HOME = path.join(REPO_ROOT, 'test', 'fixtures', 'sessions', 'home');
const ROOT = '/home/dev/shop';
const PROJECT = path.join(HOME, '.claude', 'projects', '-home-dev-shop');
const S = {
  denied: '20fa4db4-3875-4fbe-a582-d68ac8bb5812',
  failing: '1cb354f3-d6fb-410e-b7f5-798e4da74691',
  correction: 'e5d2ba01-6178-4a97-a54f-13471bd5a8cd',
  clean: '2c0d87e4-bd12-4906-b8df-71f160764b4d',
  rejected: '616404f8-8a28-42a2-8426-750b50e440e6',
  hook: '64f313d3-4f7c-4379-a6cd-157a214f18fd',
  secret: '495c5a06-ceb7-43a8-b22c-e73a60c2d784',
  subagent: 'caea5be5-0a70-49a1-8cff-08eea9246668',
  other: '0ther000-3875-4fbe-a582-d68ac8bb5812',
};

async function cli(args: string[], home = HOME) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), color: false, cwd: REPO_ROOT };
  const code = await signals(args, io, { home, env: {} });
  return { code, out, err };
}

const inSession = (cs: Candidate[], s: string) => cs.filter((c) => c.sessions.some((x) => x.endsWith(':' + s)));
const claudeOnly = async () => (await scanSessions({ root: ROOT, home: HOME, env: {}, agents: ['claude'] })).candidates;

describe('session signals: transcripts written by the real Claude Code', () => {
  it('a call denied by a permission rule: workflow-pattern, citing the tool_result line', async () => {
    const [c, ...more] = inSession(await claudeOnly(), S.denied);
    assert.equal(more.length, 0);
    assert.equal(c!.kind, 'workflow-pattern');
    assert.equal(c!.heuristic, 'permission-denied');
    assert.match(c!.summary, /git push origin main/);
    assert.deepEqual(
      c!.evidence.map((e) => e.line),
      [18, 19],
    );
    assert.equal(c!.evidence[1]!.file, `~/.claude/projects/-home-dev-shop/${S.denied}.jsonl`);
    assert.match(c!.evidence[1]!.excerpt, /has been denied/);
    const line19 = fs.readFileSync(path.join(PROJECT, `${S.denied}.jsonl`), 'utf8').split('\n')[18]!;
    assert.match(line19, /"permissionDecision":\{"decision":"reject","source":"config"/);
  });

  it('the same command failing three times: context-gap, each failing result cited', async () => {
    const [c, ...more] = inSession(await claudeOnly(), S.failing);
    assert.equal(more.length, 0);
    assert.equal(c!.kind, 'context-gap');
    assert.equal(c!.heuristic, 'repeated-failure');
    assert.equal(c!.summary, '`npm test` failed 3 times in one session');
    assert.deepEqual(
      c!.evidence.map((e) => e.line),
      [21, 25, 30],
    );
  });

  it('a person correcting the agent ("no, use pnpm in this repo"): instruction-gap at the prompt line', async () => {
    const [c, ...more] = inSession(await claudeOnly(), S.correction);
    assert.equal(more.length, 0, 'the later "thanks" is no correction');
    assert.equal(c!.kind, 'instruction-gap');
    assert.equal(c!.evidence[0]!.line, 29);
    assert.equal(c!.evidence[0]!.excerpt, 'no, use pnpm in this repo');
    assert.equal(c!.evidence[1]!.excerpt, 'Bash `npm install`', 'and the call it corrected');
  });

  it('a call the person rejected, with their words (holdsPersonsWords)', async () => {
    const [c] = inSession(await claudeOnly(), S.rejected);
    assert.equal(c!.heuristic, 'user-rejected');
    assert.equal(c!.kind, 'workflow-pattern');
    assert.match(
      c!.summary,
      /rm migrations\/0042_add_orders\.sql.*Don't touch migrations; add a new migration instead/,
    );
    assert.equal(c!.evidence[1]!.line, 20);
  });

  it('a call a PreToolUse hook blocked, with the hook message (not the hook command)', async () => {
    const [c] = inSession(await claudeOnly(), S.hook);
    assert.equal(c!.heuristic, 'hook-blocked');
    assert.match(c!.summary, /"Blocked: commits need a ticket id in the message \(POL-7\)"$/);
    assert.doesNotMatch(c!.summary, /exit 2/);
  });

  it('nothing in a clean session, nor in a session whose subagent ran (the agent prompt is no person)', async () => {
    const cs = await claudeOnly();
    assert.deepEqual(inSession(cs, S.clean), []);
    assert.deepEqual(inSession(cs, S.subagent), []);
    const sub = path.join(PROJECT, S.subagent, 'subagents', 'agent-aca1e1e57a4427a86.jsonl');
    const entries = fs
      .readFileSync(sub, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { isSidechain?: boolean; type: string });
    assert.ok(entries.filter((e) => e.type === 'user').every((e) => e.isSidechain === true));
    const events = entries.flatMap((e, i) => claudeEvents(e, i + 1));
    assert.ok(!events.some((e) => e.type === 'prompt'));
  });

  it('a session from another workspace in the same (colliding) folder is never mixed in', async () => {
    // /home/dev-shop and /home/dev/shop both map to the folder -home-dev-shop.
    assert.equal(claudeProjectFolder('/home/dev-shop'), claudeProjectFolder('/home/dev/shop'));
    assert.equal(claudeProjectFolder('/home/dev/shop.v2'), '-home-dev-shop-v2');
    const r = await scanSessions({ root: ROOT, home: HOME, env: {}, agents: ['claude'] });
    assert.deepEqual(inSession(r.candidates, S.other), []);
    assert.equal(r.otherWorkspace, 1);
    const theirs = await scanSessions({ root: '/home/dev-shop', home: HOME, env: {}, agents: ['claude'] });
    assert.deepEqual(
      theirs.candidates.flatMap((c) => c.sessions),
      [`claude:${S.other}`],
    );
  });

  it('a secret typed into a session is redacted before anything is shown', async () => {
    const raw = fs.readFileSync(path.join(PROJECT, `${S.secret}.jsonl`), 'utf8');
    assert.match(raw, /npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8/, 'the fixture holds the token');
    const r = await cli(['scan', '--root', ROOT, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /npm_a1B2c3D4/);
    assert.match(r.out, /NPM_TOKEN=\[REDACTED npm token\]/);
    const t = await cli(['scan', '--root', ROOT]);
    assert.doesNotMatch(t.out, /npm_a1B2c3D4/);
  });
});

describe('session signals: Codex CLI and Gemini CLI, recurrence across agents', () => {
  it('the same failing command in a Claude, a Codex and a Gemini session is one candidate seen in 3 sessions', async () => {
    const r = await scanSessions({ root: ROOT, home: HOME, env: {} });
    const top = r.candidates[0]!;
    assert.equal(top.heuristic, 'repeated-failure');
    assert.equal(top.count, 3);
    assert.deepEqual(
      top.sessions.map((s) => s.split(':')[0]),
      ['claude', 'codex', 'gemini'],
    );
    assert.ok(
      r.candidates.every((c, i) => i === 0 || c.count <= r.candidates[i - 1]!.count),
      'ranked by recurrence',
    );
  });

  it('codex: an interrupted turn (failure), a correction, exit codes from both output shapes; another cwd left out', async () => {
    const r = await scanSessions({ root: ROOT, home: HOME, env: {}, agents: ['codex'] });
    assert.deepEqual(r.candidates.map((c) => c.heuristic).sort(), [
      'interrupted',
      'repeated-failure',
      'user-correction',
    ]);
    const i = r.candidates.find((c) => c.heuristic === 'interrupted')!;
    assert.equal(i.kind, 'failure');
    assert.equal(i.evidence[0]!.line, 12);
    assert.equal(r.otherWorkspace, 1, 'the /home/dev/shop-old rollout');
    assert.equal(codexExitCode('{"output":"x","metadata":{"exit_code":127}}'), 127);
    assert.equal(codexExitCode('Wall time: 1s\nProcess exited with code 0\nOutput:\n'), 0);
    assert.equal(codexExitCode('Exit code: 2\nWall time: 1s'), 2);
  });

  it('gemini: "cancelled" is reported as declined or cancelled, never as rejected; lines point into the JSON', async () => {
    const r = await scanSessions({ root: ROOT, home: HOME, env: {}, agents: ['gemini'] });
    const d = r.candidates.find((c) => c.heuristic === 'declined')!;
    assert.equal(d.summary, 'replace of migrations/0042_add_orders.sql was declined or cancelled');
    const file = fs.readdirSync(path.join(HOME, '.gemini', 'tmp')).find((x) => !x.startsWith('0000'))!;
    const text = fs.readFileSync(
      path.join(HOME, '.gemini', 'tmp', file, 'chats', 'session-2026-12-03T14-05-5c0ffee1.json'),
      'utf8',
    );
    assert.match(text.split('\n')[d.evidence[0]!.line - 1]!, /"id": "replace-1764770760000"/);
    assert.equal(r.otherWorkspace, 1, 'the session whose projectHash is another workspace');
  });
});

describe('session signals: bad input', () => {
  it('a truncated and a corrupted line are skipped with a warning naming file and line; the rest is read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-sessions-'));
    try {
      const lines = fs.readFileSync(path.join(PROJECT, `${S.denied}.jsonl`), 'utf8').split('\n');
      lines.splice(2, 0, '{"type":"user","message":{"role":"us');
      lines[lines.length - 1] = '\u0000\u0001garbage';
      fs.writeFileSync(path.join(dir, 'broken.jsonl'), lines.join('\n') + '\n{"parentUuid":');
      const r = await cli(['scan', '--root', ROOT, '--transcripts', dir, '--format', 'json']);
      assert.equal(r.code, 0);
      assert.match(r.err, /broken\.jsonl:3: not a JSON line \(truncated or corrupted\), skipped/);
      const out = JSON.parse(r.out) as { candidates: Candidate[] };
      assert.equal(out.candidates.length, 1);
      assert.equal(out.candidates[0]!.evidence[1]!.line, 20, 'line numbers still those of the file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a line over the size limit is skipped, not held; the scan is cancellable', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-sessions-'));
    try {
      const src = fs.readFileSync(path.join(PROJECT, `${S.denied}.jsonl`), 'utf8');
      const big = JSON.stringify({ type: 'user', message: { content: 'x'.repeat(300_000) }, cwd: ROOT });
      fs.writeFileSync(path.join(dir, 's.jsonl'), big + '\n' + src);
      const r = await scanSessions({ root: ROOT, home: HOME, env: {}, transcripts: dir, maxLineBytes: 100_000 });
      assert.match(r.notes.join('\n'), /s\.jsonl:1: a line over the size limit, skipped/);
      assert.equal(r.candidates.length, 1);
      const seen: number[] = [];
      await readLines(path.join(dir, 's.jsonl'), (_t, n) => seen.push(n), { maxLineBytes: 100_000 });
      assert.equal(seen[0], 2, 'the long line is skipped, the numbering kept');
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(scanSessions({ root: ROOT, home: HOME, env: {}, signal: ac.signal }), ScanCancelled);
      const ac2 = new AbortController();
      await assert.rejects(
        readLines(path.join(dir, 's.jsonl'), () => ac2.abort(), { signal: ac2.signal }),
        ScanCancelled,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--since leaves old sessions out; the default locations are the real ones under $HOME', async () => {
    const r = await scanSessions({
      root: ROOT,
      home: HOME,
      env: {},
      sinceDays: 1,
      now: new Date('2199-01-01T00:00:00Z'),
    });
    assert.equal(r.sessions, 0);
    const loc = defaultLocations('/home/dev/shop', '/home/dev', {});
    assert.equal(loc.claude, '/home/dev/.claude/projects/-home-dev-shop');
    assert.equal(loc.codex, '/home/dev/.codex/sessions');
    assert.equal(loc.gemini, '/home/dev/.gemini/tmp');
    assert.equal(defaultLocations('/w', '/h', { CLAUDE_CONFIG_DIR: '/c', CODEX_HOME: '/x' }).claude, '/c/projects/-w');
  });
});

describe('flywheel signals scan (CLI)', () => {
  it("json version 1 with the issue's fields; writes nothing", async () => {
    const before = fs.readdirSync(HOME, { recursive: true }).length;
    const r = await cli(['scan', '--root', ROOT, '--format', 'json', '--agent', 'claude']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { version: number; candidates: Record<string, unknown>[] };
    assert.equal(j.version, 1);
    const fields = ['kind', 'summary', 'evidence', 'agent', 'session', 'fingerprint', 'count'];
    for (const c of j.candidates) for (const k of fields) assert.ok(k in c, k);
    assert.equal(fs.readdirSync(HOME, { recursive: true }).length, before);
  });

  it('text lists kind, count, summary, fingerprint and file:line', async () => {
    const r = await cli(['scan', '--root', ROOT, '--agent', 'claude']);
    assert.match(r.out, /^6 candidates from 8 sessions \(1 from other workspaces left out\)/);
    assert.match(r.out, /context-gap +×1 +`npm test` failed 3 times in one session +[0-9a-f]{16}/);
    assert.match(r.out, new RegExp(`~/.claude/projects/-home-dev-shop/${S.denied}\\.jsonl:19`));
  });

  it('--accept hands a redacted draft to the signal writer; unknown fingerprints are refused', async () => {
    const j = JSON.parse((await cli(['scan', '--root', ROOT, '--format', 'json'])).out) as { candidates: Candidate[] };
    const secret = j.candidates.find((c) => c.summary.includes('NPM_TOKEN'))!;
    const drafts: SignalDraft[] = [];
    let out = '';
    const io = { out: (t: string) => (out += t), err: () => {}, color: false, cwd: REPO_ROOT };
    const code = await signals(
      ['scan', '--root', ROOT, '--accept', secret.fingerprint.slice(0, 8), '--format', 'json'],
      io,
      {
        home: HOME,
        env: {},
        writer: () => (d) => {
          drafts.push(d);
          return `.governance/signals/S-test-${drafts.length}.md`;
        },
      },
    );
    assert.equal(code, 0);
    const accepted = [{ fingerprint: secret.fingerprint, path: '.governance/signals/S-test-1.md' }];
    assert.deepEqual(JSON.parse(out), { version: 1, accepted });
    const d = drafts[0]!;
    assert.equal(d.kind, 'instruction-gap');
    assert.equal(d.source, `session:claude:${S.secret}`);
    assert.equal(d.fingerprint, secret.fingerprint);
    assert.doesNotMatch(JSON.stringify(d), /npm_a1B2c3D4|\/home\/dev\/\.claude/);
    assert.match(d.details, new RegExp(`Fingerprint: ${secret.fingerprint}`));
    assert.match(d.details, /line 29/);

    await assert.rejects(
      cli(['scan', '--root', ROOT, '--accept', 'ffffffffffff']),
      /no candidate has the fingerprint "ffffffffffff"/,
    );
  });

  it('--accept writes a real signal (redacted, with its fingerprint and captured event); without a git identity it is refused', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fw-accept-')));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-accept-home-'));
    try {
      const project = path.join(home, '.claude', 'projects', claudeProjectFolder(root));
      fs.mkdirSync(project, { recursive: true });
      const src = fs.readFileSync(path.join(PROJECT, `${S.secret}.jsonl`), 'utf8');
      fs.writeFileSync(path.join(project, `${S.secret}.jsonl`), src.split(ROOT).join(root));
      const j = JSON.parse((await cli(['scan', '--root', root, '--format', 'json'], home)).out) as {
        candidates: Candidate[];
      };
      const secret = j.candidates.find((c) => c.summary.includes('NPM_TOKEN'))!;
      assert.ok(secret, 'the candidate is found in the copied session');

      // No identity: refused (exit 1, JSON error), nothing written.
      const noId = await cli(['scan', '--root', root, '--format', 'json', '--accept', secret.fingerprint], home);
      if (!gitEmail(root)) {
        assert.equal(noId.code, 1);
        assert.equal((JSON.parse(noId.out) as { error: { code: string } }).error.code, 'unknown-actor');
        assert.equal(fs.existsSync(path.join(root, '.governance', 'signals')), false);
      }

      execFileSync('git', ['init', '-q'], { cwd: root });
      execFileSync('git', ['config', 'user.email', 'dev@example.com'], { cwd: root });
      const r = await cli(['scan', '--root', root, '--format', 'json', '--accept', secret.fingerprint], home);
      assert.equal(r.code, 0, r.err);
      const accepted = (JSON.parse(r.out) as { accepted: { fingerprint: string; path: string }[] }).accepted;
      assert.equal(accepted.length, 1);
      assert.match(accepted[0]!.path, /^\.governance\/signals\/S-[^/]+\.md$/);
      const text = fs.readFileSync(path.join(root, accepted[0]!.path), 'utf8');
      const parsed = parseSignal(text);
      assert.ok(parsed.ok);
      if (!parsed.ok) return;
      assert.equal(parsed.signal.kind, 'instruction-gap');
      assert.equal(parsed.signal.agent, 'claude');
      assert.equal(parsed.signal.source, `session:claude:${S.secret}`);
      assert.equal(parsed.signal.fingerprint, secret.fingerprint);
      assert.doesNotMatch(text, /npm_a1B2c3D4|\/\.claude\//);
      const events = fs.readdirSync(path.join(root, '.governance', 'ledger'), { recursive: true }).map(String);
      assert.ok(
        events.some((e) => e.includes(parsed.signal.id)),
        'a captured event for the new signal',
      );
      // Accepted twice (e.g. by another person): the two signals form one group.
      await cli(['scan', '--root', root, '--format', 'json', '--accept', secret.fingerprint], home);
      const all = fs
        .readdirSync(path.join(root, '.governance', 'signals'))
        .map((f) => parseSignal(fs.readFileSync(path.join(root, '.governance', 'signals', f), 'utf8')));
      const keys = new Set(all.map((p) => (p.ok ? groupKey(p.signal) : '')));
      assert.equal(all.length, noId.code === 0 ? 3 : 2);
      assert.equal(keys.size, 1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 through the CLI entry', async () => {
    let err = '';
    const io = { out: () => {}, err: (t: string) => (err += t), color: false, cwd: REPO_ROOT };
    assert.equal(await main(['signals', 'scan', '--agent', 'copilot'], io), 2);
    assert.match(err, /--agent must be claude, codex or gemini/);
    assert.equal(await main(['signals', 'scan', '--since', 'yesterday'], io), 2);
    assert.equal(await main(['signals', 'list'], io), 2);
  });
});

describe('session heuristics (pure)', () => {
  it('corrections, and replies that are not', () => {
    const yes = [
      'no, use pnpm',
      "don't touch migrations",
      'stop',
      'Stop!',
      'use pnpm instead',
      'wait, that is the wrong file',
    ];
    for (const t of [...yes, 'never push to main']) {
      assert.ok(correctionReason(t), t);
    }
    for (const t of [
      'no problem, thanks',
      'great, thanks',
      'run the tests',
      'now add a test',
      'nothing else',
      'Notes look good',
    ]) {
      assert.equal(correctionReason(t), undefined, t);
    }
  });

  it('a correction counts only after the agent acted; the first request is no correction', () => {
    const ev: SessionEvent[] = [{ type: 'prompt', line: 1, text: "don't use lodash in the new module" }];
    assert.deepEqual(mineSession(ev, { agent: 'claude', session: 's', file: 'f' }), []);
  });

  it('fingerprints are the same for the same lesson across sessions and agents, never per session', () => {
    const failing = (agent: 'claude' | 'codex', session: string, cmd: string): Candidate[] => {
      const ev: SessionEvent[] = [];
      for (let i = 0; i < 2; i++) {
        ev.push({ type: 'call', line: i * 2 + 1, id: `c${i}`, tool: 'Bash', input: { command: cmd } });
        ev.push({ type: 'result', line: i * 2 + 2, id: `c${i}`, outcome: 'error', text: 'Exit code 1' });
      }
      return mineSession(ev, { agent, session, file: session });
    };
    const ranked = rankCandidates([
      ...failing('claude', 'a', 'npm test'),
      ...failing('codex', 'b', 'npm  test'),
      ...failing('claude', 'c', 'npm run lint'),
    ]);
    assert.deepEqual(
      ranked.map((c) => [c.count, c.summary]),
      [
        [2, '`npm test` failed 2 times in one session'],
        [1, '`npm run lint` failed 2 times in one session'],
      ],
    );
    assert.equal(commandKey('FOO=1 git push --force origin main'), 'git push');
    assert.equal(commandKey('rm migrations/0042_add.sql'), 'rm migrations/…');
  });

  it('the interactive texts Claude Code writes (read from its binary): a rejection with words, a stop, an interrupt', () => {
    const use = { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'rm -rf dist' } };
    const call = { type: 'assistant', message: { content: [use] } };
    const result = (text: string) => ({
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: text }] },
    });
    const said =
      "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the " +
      'new_string was NOT written to the file). To tell you how to proceed, the user said:\nuse make clean instead';
    const interrupt = {
      type: 'user',
      message: { content: [{ type: 'text', text: '[Request interrupted by user for tool use]' }] },
    };
    const mine = (...entries: unknown[]) =>
      mineSession(
        entries.flatMap((e, i) => claudeEvents(e, i + 1)),
        { agent: 'claude', session: 's', file: 'f' },
      );
    const [r, ...more] = mine(call, result(said), interrupt);
    assert.equal(more.length, 0, 'the interrupt that follows a rejection is the same event');
    assert.equal(r!.heuristic, 'user-rejected');
    assert.match(r!.summary, /: "use make clean instead"$/);
    const plain = mine(
      call,
      result("The user doesn't want to proceed with this tool use. The tool use was rejected."),
      interrupt,
    );
    assert.deepEqual(
      plain.map((c) => [c.heuristic, c.summary]),
      [['user-rejected', 'The user rejected Bash `rm -rf dist`']],
    );
    const stop = "The user doesn't want to take this action right now. STOP what you are doing and wait for the user.";
    const [i, ...none] = mine(call, result(stop), interrupt);
    assert.equal(none.length, 0);
    assert.equal(i!.heuristic, 'interrupted');
    assert.equal(i!.kind, 'failure');
    assert.equal(i!.summary, 'The user interrupted the agent during Bash `rm -rf dist`');
  });

  it('redaction uses the conventions secret detector', () => {
    assert.equal(redactSecrets('token ghp_' + 'a'.repeat(36)).text, 'token [REDACTED GitHub token]');
  });
});
