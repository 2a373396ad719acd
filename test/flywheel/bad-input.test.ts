// The flywheel under bad input: targets outside the repository or through a symlink out of it, a hand-flipped status,
// a broken signal, a stale target, concurrent captures, two branches adding ledger events, kill -9 during apply.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers';
import { commitAll, flywheel, freshRepo, git, ledgerEvents, PEOPLE, read, SCENARIO_FILES, write } from './harness';

const errCode = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;

async function signalAndProposal(dir: string, extra: string[] = []): Promise<{ signal: string; proposal: string }> {
  const s = await flywheel(dir, PEOPLE.carol, [
    'signal',
    'add',
    '--root',
    dir,
    '--format',
    'json',
    '--kind',
    'failure',
    '--summary',
    'Risky migration',
    '--agent',
    'claude',
    '--file',
    'services/billing/migrations/0042_drop_invoices.sql',
    '--suggest=- Schema migrations include a rollback plan.',
  ]);
  const signal = String((s.json.signal as Record<string, unknown>).id);
  const p = await flywheel(dir, PEOPLE.carol, [
    'propose',
    signal,
    '--root',
    dir,
    '--format',
    'json',
    '--section',
    'Migration checklist',
    ...extra,
  ]);
  assert.equal(p.code, 0, p.out + p.err);
  return { signal, proposal: String((p.json.proposals as Record<string, unknown>[])[0]!.id) };
}

describe('flywheel bad input', () => {
  const ws = freshRepo(SCENARIO_FILES);
  after(() => ws.cleanup());
  const dir = ws.dir;

  it('refuses a target outside the repository, and one through a symlink out of it, with no write', async () => {
    const s = await flywheel(dir, PEOPLE.carol, [
      'signal',
      'add',
      '--root',
      dir,
      '--format',
      'json',
      '--kind',
      'context-gap',
      '--summary',
      'x',
      '--suggest',
      'root:x',
    ]);
    const id = String((s.json.signal as Record<string, unknown>).id);
    const before = fs.readdirSync(path.join(dir, '.governance')).length;
    const r = await flywheel(dir, PEOPLE.carol, [
      'propose',
      id,
      '--root',
      dir,
      '--format',
      'json',
      '--route',
      'boundary',
      '--target',
      '../../etc/passwd',
      '--text',
      'x',
    ]);
    assert.equal(r.code, 1);
    assert.equal(errCode(r), 'outside-root');
    const outside = fs.mkdtempSync(path.join(dir, '..', 'outside-'));
    fs.symlinkSync(outside, path.join(dir, 'linked'));
    const l = await flywheel(dir, PEOPLE.carol, [
      'propose',
      id,
      '--root',
      dir,
      '--format',
      'json',
      '--route',
      'boundary',
      '--target',
      'linked/.aiexclude',
      '--text',
      'secrets/',
    ]);
    assert.equal(errCode(l), 'outside-root');
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.equal(fs.readdirSync(path.join(dir, '.governance')).length, before);
    assert.equal(fs.existsSync(path.join(dir, '.governance/proposals')), false);
    fs.rmSync(path.join(dir, 'linked'));
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('a hand-edited proposal flipped to ratified is flywheel/ledger-mismatch, and apply refuses it', async () => {
    const { proposal } = await signalAndProposal(dir);
    const file = `.governance/proposals/${proposal}.md`;
    write(dir, file, read(dir, file).replace('status: proposed', 'status: ratified'));
    const c = await flywheel(dir, PEOPLE.carol, [
      'check',
      dir,
      '--format',
      'json',
      '--managed',
      path.join(dir, 'none.json'),
    ]);
    const f = (c.json.findings as { ruleId: string; file: string; messageId: string }[]).filter((x) =>
      x.ruleId.startsWith('flywheel/'),
    );
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.file, x.messageId]),
      [['flywheel/ledger-mismatch', file, 'status']],
    );
    const a = await flywheel(dir, PEOPLE.alice, ['apply', proposal, '--root', dir, '--format', 'json']);
    assert.equal(errCode(a), 'not-ratified');
    write(dir, file, read(dir, file).replace('status: ratified', 'status: proposed'));
  });

  it('a signal with broken frontmatter is flywheel/invalid-record; listing and proposing still work', async () => {
    write(
      dir,
      '.governance/signals/S-20260101T000000Z-deadbeef.md',
      '---\nid: S-20260101T000000Z-deadbeef\nkind: [failure\n---\n',
    );
    const list = await flywheel(dir, PEOPLE.carol, ['signal', 'list', '--root', dir, '--format', 'json']);
    assert.equal(list.code, 0);
    assert.ok((list.json.signals as unknown[]).length >= 2);
    const c = await flywheel(dir, PEOPLE.carol, [
      'check',
      dir,
      '--format',
      'json',
      '--managed',
      path.join(dir, 'none.json'),
    ]);
    const f = (c.json.findings as { ruleId: string; file: string; line: number }[]).filter(
      (x) => x.ruleId === 'flywheel/invalid-record',
    );
    assert.deepEqual(
      f.map((x) => [x.file, x.line]),
      [['.governance/signals/S-20260101T000000Z-deadbeef.md', 3]],
    );
    fs.rmSync(path.join(dir, '.governance/signals/S-20260101T000000Z-deadbeef.md'));
  });

  it('a target changed since the draft: ratify and apply refuse (stale-target), check reports flywheel/stale-proposal', async () => {
    const { proposal } = await signalAndProposal(dir);
    const claude = read(dir, 'services/billing/CLAUDE.md');
    write(dir, 'services/billing/CLAUDE.md', claude + '\n- Edited by hand.\n');
    const r = await flywheel(dir, PEOPLE.alice, ['ratify', proposal, '--root', dir, '--format', 'json']);
    assert.equal(errCode(r), 'stale-target');
    const c = await flywheel(dir, PEOPLE.carol, [
      'check',
      dir,
      '--format',
      'json',
      '--managed',
      path.join(dir, 'none.json'),
    ]);
    assert.ok(
      (c.json.findings as { ruleId: string; message: string }[]).some(
        (x) => x.ruleId === 'flywheel/stale-proposal' && x.message.includes(proposal),
      ),
    );
    write(dir, 'services/billing/CLAUDE.md', claude);
    assert.equal((await flywheel(dir, PEOPLE.alice, ['ratify', proposal, '--root', dir, '--format', 'json'])).code, 0);
    write(dir, 'services/billing/CLAUDE.md', claude + '\n- Edited after ratification.\n');
    const a = await flywheel(dir, PEOPLE.carol, ['apply', proposal, '--root', dir, '--format', 'json']);
    assert.equal(errCode(a), 'stale-target');
    assert.equal(read(dir, 'services/billing/CLAUDE.md'), claude + '\n- Edited after ratification.\n');
    write(dir, 'services/billing/CLAUDE.md', claude);
    assert.equal((await flywheel(dir, PEOPLE.carol, ['apply', proposal, '--root', dir, '--format', 'json'])).code, 0);
    commitAll(dir, 'applied');
  });

  it('usage errors exit 2; an unmapped actor is told why', async () => {
    assert.equal(
      (await flywheel(dir, PEOPLE.carol, ['signal', 'add', '--root', dir, '--kind', 'nope', '--summary', 'x'])).code,
      2,
    );
    assert.equal((await flywheel(dir, PEOPLE.carol, ['propose', '--root', dir])).code, 2);
    assert.equal((await flywheel(dir, PEOPLE.carol, ['reject', 'P-x', '--root', dir])).code, 2);
    assert.equal((await flywheel(dir, PEOPLE.carol, ['proposals', '--root', dir, '--status', 'maybe'])).code, 2);
    const u = await flywheel(dir, 'nobody@example.com', [
      'signal',
      'add',
      '--root',
      dir,
      '--format',
      'json',
      '--kind',
      'failure',
      '--summary',
      'x',
    ]);
    assert.equal(u.code, 0, 'capturing needs no handle: the email is recorded');
  });

  it('a pasted token is redacted before the signal is written, and counted', async () => {
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const r = await flywheel(dir, PEOPLE.carol, [
      'signal',
      'add',
      '--root',
      dir,
      '--format',
      'json',
      '--kind',
      'failure',
      '--summary',
      'Agent pasted a token',
      '--details',
      `it wrote ${token} into the log`,
    ]);
    assert.equal(r.json.redacted, 1);
    const text = read(dir, String((r.json.signal as Record<string, unknown>).path));
    assert.doesNotMatch(text, /ghp_/);
    assert.match(text, /\[REDACTED GitHub token\]/);
  });

  it('two branches that add events to the same proposal and to others merge without a conflict and verify', async () => {
    const { proposal } = await signalAndProposal(dir);
    commitAll(dir, 'proposed');
    git(dir, ['checkout', '-q', '-b', 'side']);
    assert.equal(
      (await flywheel(dir, PEOPLE.alice, ['reject', proposal, '--root', dir, '--reason', 'not now'])).code,
      0,
    );
    await signalAndProposal(dir);
    commitAll(dir, 'side: reject and propose');
    git(dir, ['checkout', '-q', 'main']);
    assert.equal((await flywheel(dir, PEOPLE.alice, ['ratify', proposal, '--root', dir])).code, 0);
    await signalAndProposal(dir);
    commitAll(dir, 'main: ratify and propose');
    // The proposal file itself conflicts (both changed its status): that is the one real decision to merge by hand.
    const m = (() => {
      try {
        git(dir, ['merge', '-q', '--no-edit', 'side']);
        return 'clean';
      } catch {
        return 'conflict';
      }
    })();
    const conflicted = git(dir, ['diff', '--name-only', '--diff-filter=U']).trim().split('\n').filter(Boolean);
    assert.deepEqual(conflicted, m === 'conflict' ? [`.governance/proposals/${proposal}.md`] : []);
    assert.ok(!conflicted.some((f) => f.startsWith('.governance/ledger/') || f.startsWith('.governance/signals/')));
    if (m === 'conflict') {
      git(dir, ['checkout', '--ours', `.governance/proposals/${proposal}.md`]);
      commitAll(dir, 'merge side');
    }
    const v = await flywheel(dir, PEOPLE.carol, ['ledger', 'verify', '--root', dir, '--format', 'json']);
    assert.equal(v.code, 0, v.out);
    assert.equal(ledgerEvents(dir, proposal).length, 4); // drafted, proposed, and one decision from each branch
  });

  it('two processes adding 500 signals each at once lose none', async () => {
    // Each process captures 500 signals through the flywheel service's capture path (loaded once per process).
    const worker = `
      import { captureSignal } from ${JSON.stringify(path.join(REPO_ROOT, 'server/src/node/flywheel-service/capture.ts'))};
      const actor = { email: 'carol@acme.example', handle: '@carol' };
      for (let i = 0; i < 500; i++) captureSignal(process.argv[2], { kind: 'failure', summary: 'load ' + process.argv[3] + ' ' + i }, actor);
    `;
    const file = path.join(dir, '..', `worker-${process.pid}.mts`);
    fs.writeFileSync(file, worker);
    const before = fs.readdirSync(path.join(dir, '.governance/signals')).length;
    const run = (n: string) =>
      new Promise<number>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', file, dir, n], {
          cwd: REPO_ROOT,
          env: { ...process.env, GIT_AUTHOR_EMAIL: PEOPLE.carol },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        p.on('exit', (code) => resolve(code ?? 1));
      });
    const codes = await Promise.all([run('a'), run('b')]);
    fs.rmSync(file);
    assert.deepEqual(codes, [0, 0]);
    assert.equal(fs.readdirSync(path.join(dir, '.governance/signals')).length, before + 1000);
    const v = await flywheel(dir, PEOPLE.carol, ['ledger', 'verify', '--root', dir, '--format', 'json']);
    assert.equal(v.code, 0);
  });
});

describe('flywheel writes', () => {
  it('kill -9 during an atomic write leaves the target old or new, never torn', async () => {
    const ws = freshRepo({ 'CLAUDE.md': 'old\n' });
    const a = 'A'.repeat(4 * 1024 * 1024) + '\n';
    const b = 'B'.repeat(4 * 1024 * 1024) + '\n';
    const worker = `
      import { writeAtomic } from ${JSON.stringify(path.join(REPO_ROOT, 'server/src/node/flywheel.ts'))};
      const a = 'A'.repeat(${4 * 1024 * 1024}) + '\\n';
      const b = 'B'.repeat(${4 * 1024 * 1024}) + '\\n';
      process.stdout.write('ready\\n');
      for (let i = 0; ; i++) writeAtomic(process.argv[2], 'CLAUDE.md', i % 2 ? a : b);
    `;
    const file = path.join(ws.dir, '..', `writer-${process.pid}.mts`);
    fs.writeFileSync(file, worker);
    try {
      for (let round = 0; round < 3; round++) {
        const p = spawn(process.execPath, ['--import', 'tsx', file, ws.dir], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        await new Promise<void>((resolve) => p.stdout.once('data', () => resolve()));
        await new Promise((r) => setTimeout(r, 150 + round * 70));
        p.kill('SIGKILL');
        await new Promise((r) => p.on('exit', r));
        const text = read(ws.dir, 'CLAUDE.md');
        assert.ok(text === 'old\n' || text === a || text === b, `torn content of ${text.length} bytes`);
      }
    } finally {
      fs.rmSync(file, { force: true });
      ws.cleanup();
    }
  });
});

describe('flywheel supersede', () => {
  it('applying a proposal that supersedes another marks that one superseded, backed by the ledger', async () => {
    const ws = freshRepo(SCENARIO_FILES);
    try {
      const dir = ws.dir;
      const s = await flywheel(dir, PEOPLE.carol, [
        'signal',
        'add',
        '--root',
        dir,
        '--format',
        'json',
        '--kind',
        'failure',
        '--summary',
        'Destructive migration',
      ]);
      const sid = String((s.json.signal as Record<string, unknown>).id);
      const first = await flywheel(dir, PEOPLE.carol, [
        'propose',
        sid,
        '--root',
        dir,
        '--format',
        'json',
        '--route',
        'managed-deny',
        '--deny',
        'Bash(migrate *)',
      ]);
      const old = String((first.json.proposals as Record<string, unknown>[])[0]!.id);
      const second = await flywheel(dir, PEOPLE.carol, [
        'propose',
        sid,
        '--root',
        dir,
        '--format',
        'json',
        '--route',
        'managed-deny',
        '--deny',
        'Bash(migrate --destructive *)',
        '--supersedes',
        old,
      ]);
      const next = String((second.json.proposals as Record<string, unknown>[])[0]!.id);
      assert.equal((await flywheel(dir, PEOPLE.bob, ['ratify', next, '--root', dir])).code, 0);
      assert.equal((await flywheel(dir, PEOPLE.carol, ['apply', next, '--root', dir])).code, 0);
      const list = await flywheel(dir, PEOPLE.carol, ['proposals', '--root', dir, '--format', 'json']);
      const byId = new Map(
        (list.json.proposals as { id: string; status: string; ledgerStatus: string }[]).map((p) => [
          p.id,
          [p.status, p.ledgerStatus],
        ]),
      );
      assert.deepEqual(byId.get(old), ['superseded', 'superseded']);
      assert.deepEqual(byId.get(next), ['applied', 'applied']);
      assert.equal((await flywheel(dir, PEOPLE.carol, ['ledger', 'verify', '--root', dir])).code, 0);
    } finally {
      ws.cleanup();
    }
  });
});
