// The seed's worked example, end to end through the CLI on a fresh git repository: an agent introduced a risky
// schema migration because the shared instructions did not require a rollback plan. The failure becomes two
// proposals (a rule in the service's migration checklist, a Managed deny rule), refused for a non-owner and for the
// author, ratified by each target's owner, applied, enforced; the ledger verifies and detects a one-byte edit; with
// signatures required, a ratification committed without the owner's key does not count.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { signerOf } from '../../server/src/node/flywheel';
import { commitAll, flywheel, freshRepo, git, ledgerEvents, PEOPLE, POLICY, read, SCENARIO_FILES, write } from './harness';

interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  messageId?: string;
  message: string;
}

async function check(dir: string): Promise<Finding[]> {
  const r = await flywheel(dir, PEOPLE.carol, ['check', dir, '--format', 'json', '--managed', path.join(dir, 'no-managed-settings.json')]);
  return (r.json.findings as Finding[]) ?? [];
}

describe('the seed scenario, through the CLI on a fresh git repository', () => {
  const ws = freshRepo(SCENARIO_FILES);
  after(() => ws.cleanup());
  const dir = ws.dir;
  let signal = '';
  let rule = '';
  let deny = '';

  it('starts clean', async () => {
    assert.deepEqual(await check(dir), []);
  });

  it('captures the failure as an incident signal', async () => {
    const r = await flywheel(dir, PEOPLE.carol, [
      'signal', 'add', '--root', dir, '--format', 'json',
      '--kind', 'failure',
      '--summary', 'Agent introduced a risky schema migration',
      '--root-cause', 'The instructions did not require a rollback plan',
      '--agent', 'claude',
      '--file', 'services/billing/migrations/0042_drop_invoices.sql:1',
      '--incident', '--severity', 'high', '--owner', '@carol',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.json.version, 1);
    const s = r.json.signal as Record<string, unknown>;
    assert.equal(s.kind, 'failure');
    assert.match(String(s.id), /^S-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    assert.equal(s.path, `.governance/signals/${String(s.id)}.md`);
    assert.equal(r.json.redacted, 0);
    signal = String(s.id);
    const list = await flywheel(dir, PEOPLE.carol, ['signal', 'list', '--root', dir, '--format', 'json']);
    assert.deepEqual((list.json.signals as Record<string, unknown>[]).map((x) => [x.id, x.count, x.proposals]), [[signal, 1, []]]);
  });

  it('drafts two proposals: a rule in the migration checklist of the service CLAUDE.md, and a Managed deny rule', async () => {
    const r = await flywheel(dir, PEOPLE.carol, [
      'propose', signal, '--root', dir, '--format', 'json',
      '--section', 'Migration checklist',
      '--text=- Schema migrations include a rollback plan.',
      '--deny', 'Bash(migrate --destructive *)',
    ]);
    assert.equal(r.code, 0, r.err);
    const ps = r.json.proposals as Record<string, unknown>[];
    assert.equal(ps.length, 2);
    const [a, b] = ps as [Record<string, unknown>, Record<string, unknown>];
    assert.deepEqual([a.route, a.target, a.status, a.owners], ['convention', 'services/billing/CLAUDE.md', 'proposed', ['@acme/billing-leads']]);
    assert.deepEqual([b.route, b.target, b.status, b.owners], ['managed-deny', '.governance/managed/claude-managed-settings.json', 'proposed', ['@acme/platform']]);
    assert.match(String(a.diff), /\n \n\+<!-- flywheel:rule P-\S+ sha256=[0-9a-f]{64} -->\n\+- Schema migrations include a rollback plan\.\n/);
    assert.match(String(b.diff), /\+ {6}"Bash\(migrate --destructive \*\)"/);
    rule = String(a.id);
    deny = String(b.id);
    // Nothing is applied yet.
    assert.doesNotMatch(read(dir, 'services/billing/CLAUDE.md'), /rollback/);
    commitAll(dir, 'flywheel: capture and propose');
  });

  it('refuses a non-owner and the author', async () => {
    const m = await flywheel(dir, PEOPLE.mallory, ['ratify', rule, '--root', dir, '--format', 'json']);
    assert.equal(m.code, 1);
    assert.equal((m.json.error as Record<string, unknown>).code, 'not-owner');
    const c = await flywheel(dir, PEOPLE.carol, ['ratify', rule, '--root', dir, '--format', 'json']);
    assert.equal(c.code, 1);
    assert.equal((c.json.error as Record<string, unknown>).code, 'self-ratification');
    const a = await flywheel(dir, PEOPLE.alice, ['ratify', deny, '--root', dir, '--format', 'json']);
    assert.equal((a.json.error as Record<string, unknown>).code, 'not-owner', 'the billing lead does not own the Managed source');
    const u = await flywheel(dir, 'stranger@example.com', ['ratify', rule, '--root', dir, '--format', 'json']);
    assert.equal((u.json.error as Record<string, unknown>).code, 'unknown-actor');
    const n = await flywheel(dir, PEOPLE.bob, ['apply', rule, '--root', dir, '--format', 'json']);
    assert.equal((n.json.error as Record<string, unknown>).code, 'not-ratified');
    const awaiting = await flywheel(dir, PEOPLE.carol, ['proposals', '--root', dir, '--format', 'json', '--awaiting', '@alice']);
    assert.deepEqual((awaiting.json.proposals as Record<string, unknown>[]).map((p) => p.id), [rule]);
  });

  it('is ratified by each target owner and applied', async () => {
    const a = await flywheel(dir, PEOPLE.alice, ['ratify', rule, '--root', dir, '--format', 'json']);
    assert.equal(a.code, 0, a.out + a.err);
    assert.equal((a.json.proposal as Record<string, unknown>).status, 'ratified');
    const b = await flywheel(dir, PEOPLE.bob, ['ratify', deny, '--root', dir, '--format', 'json']);
    assert.equal(b.code, 0, b.out + b.err);
    commitAll(dir, 'flywheel: ratify', PEOPLE.bob);
    for (const id of [rule, deny]) {
      const r = await flywheel(dir, PEOPLE.carol, ['apply', id, '--root', dir, '--format', 'json']);
      assert.equal(r.code, 0, r.out + r.err);
      assert.equal((r.json.proposal as Record<string, unknown>).status, 'applied');
    }
    const claude = read(dir, 'services/billing/CLAUDE.md');
    assert.match(claude, /## Migration checklist\n\n- Migrations run inside a transaction\.\n\n<!-- flywheel:rule \S+ sha256=[0-9a-f]{64} -->\n- Schema migrations include a rollback plan\.\n\n## Testing/);
    const managed = JSON.parse(read(dir, '.governance/managed/claude-managed-settings.json')) as { permissions: { deny: string[] } };
    assert.deepEqual(managed.permissions.deny, ['Bash(rm -rf *)', 'Bash(migrate --destructive *)']);
    // Applying twice is a no-op.
    const before = read(dir, 'services/billing/CLAUDE.md');
    const again = await flywheel(dir, PEOPLE.carol, ['apply', rule, '--root', dir, '--format', 'json']);
    assert.equal(again.code, 0);
    assert.equal(again.json.changed, false);
    assert.equal(read(dir, 'services/billing/CLAUDE.md'), before);
    commitAll(dir, 'flywheel: apply');
    const list = await flywheel(dir, PEOPLE.carol, ['signal', 'list', '--root', dir, '--format', 'json']);
    assert.deepEqual(((list.json.signals as Record<string, unknown>[])[0]!.proposals as string[]).sort(), [rule, deny].sort());
  });

  it('checks clean; deleting the rule or the deny rule is reported', async () => {
    assert.deepEqual(await check(dir), []);
    const claude = read(dir, 'services/billing/CLAUDE.md');
    write(dir, 'services/billing/CLAUDE.md', claude.replace(/<!-- flywheel:rule .*\n- Schema migrations include a rollback plan\.\n\n/, ''));
    assert.deepEqual((await check(dir)).map((f) => [f.ruleId, f.file]), [['conventions/ratified-rule-missing', 'services/billing/CLAUDE.md']]);
    write(dir, 'services/billing/CLAUDE.md', claude);
    const managed = read(dir, '.governance/managed/claude-managed-settings.json');
    write(dir, '.governance/managed/claude-managed-settings.json', managed.replace(/,\n\s*"Bash\(migrate --destructive \*\)"/, ''));
    const f = await check(dir);
    assert.deepEqual(f.map((x) => [x.ruleId, x.file, x.messageId]), [['permissions/hard-block-missing', '.governance/managed/claude-managed-settings.json', 'ratified']]);
    write(dir, '.governance/managed/claude-managed-settings.json', managed);
    assert.deepEqual(await check(dir), []);
  });

  it('the ledger verifies, and a one-byte edit to a past event fails it, naming the event', async () => {
    const ok = await flywheel(dir, PEOPLE.carol, ['ledger', 'verify', '--root', dir, '--format', 'json']);
    assert.equal(ok.code, 0, ok.out);
    assert.equal(ok.json.ok, true);
    const events = ledgerEvents(dir, rule);
    assert.equal(events.length, 4); // drafted, proposed, ratified, applied
    const first = events.map((e) => JSON.parse(read(dir, e)) as { action: string; id: string }).find((e) => e.action === 'proposed')!;
    const file = `.governance/ledger/${rule}/${first.id}.json`;
    const text = read(dir, file);
    // One byte: carol@ → carel@ in the actor of the `proposed` event.
    write(dir, file, text.replace(PEOPLE.carol, PEOPLE.carol.replace('carol', 'carel')));
    const bad = await flywheel(dir, PEOPLE.carol, ['ledger', 'verify', '--root', dir, '--format', 'json']);
    assert.equal(bad.code, 1);
    const problems = bad.json.problems as { path: string; event: string; message: string }[];
    assert.equal(problems[0]!.event, first.id);
    assert.equal(problems[0]!.path, file);
    const f = await check(dir);
    assert.ok(f.some((x) => x.ruleId === 'flywheel/ledger-mismatch' && x.file === file), JSON.stringify(f));
    write(dir, file, text);
    const audit = await flywheel(dir, PEOPLE.carol, ['audit', 'export', '--root', dir, '--format', 'jsonl']);
    const lines = audit.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 1 + 4 + 4);
    assert.deepEqual(Object.keys(lines[0]!).slice(0, 5), ['version', 'time', 'actor', 'action', 'subject']);
    assert.deepEqual(lines.map((l) => l.action).filter((a) => a === 'ratified').length, 2);
  });

  it('with signatures required, a ratification committed without the owner key is flywheel/unauthorized-ratification', async () => {
    // Alice's SSH key, listed in the allowed-signers file; Bob has none.
    const keys = fs.mkdtempSync(path.join(dir, '..', 'keys-'));
    const key = path.join(keys, 'alice');
    const { spawnSync } = await import('node:child_process');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', PEOPLE.alice, '-f', key]).status, 0);
    const pub = fs.readFileSync(key + '.pub', 'utf8').trim().split(' ');
    write(dir, '.governance/allowed_signers', `${PEOPLE.alice} ${pub[0]} ${pub[1]}\n`);
    write(dir, '.governance/policy.json', JSON.stringify({ flywheel: { ...POLICY.flywheel, requireSignedRatification: true, allowedSigners: '.governance/allowed_signers' } }, null, 2) + '\n');
    commitAll(dir, 'policy: signed ratification');
    // Bob's ratification of the deny proposal was committed unsigned (above).
    let f = await check(dir);
    assert.deepEqual(f.map((x) => [x.ruleId, x.messageId]), [['flywheel/unauthorized-ratification', 'unsigned'], ['flywheel/unauthorized-ratification', 'unsigned']]);
    assert.deepEqual(f.map((x) => [rule, deny].find((id) => x.message.includes(id))).sort(), [rule, deny].sort());
    // A new proposal ratified by Alice in a commit signed with her key counts.
    const s = await flywheel(dir, PEOPLE.carol, ['signal', 'add', '--root', dir, '--format', 'json', '--kind', 'context-gap', '--summary', 'Agent did not know the billing tests need the fake ledger', '--agent', 'claude', '--file', 'services/billing/migrations/0042_drop_invoices.sql', '--suggest=- Billing tests use the fake ledger.']);
    const p = await flywheel(dir, PEOPLE.carol, ['propose', String((s.json.signal as Record<string, unknown>).id), '--root', dir, '--format', 'json', '--section', 'Testing']);
    assert.equal(p.code, 0, p.err);
    const pid = String((p.json.proposals as Record<string, unknown>[])[0]!.id);
    commitAll(dir, 'propose');
    assert.equal((await flywheel(dir, PEOPLE.alice, ['ratify', pid, '--root', dir])).code, 0);
    git(dir, ['add', '-A']);
    git(dir, ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`, 'commit', '-q', '-S', '-m', 'ratify (signed)'], { GIT_AUTHOR_EMAIL: PEOPLE.alice });
    f = await check(dir);
    const ratifiedEvent = ledgerEvents(dir, pid).find((e) => (JSON.parse(read(dir, e)) as { action: string }).action === 'ratified')!;
    assert.equal(signerOf(dir, ratifiedEvent, path.join(dir, '.governance/allowed_signers')), PEOPLE.alice);
    const bobEvent = ledgerEvents(dir, deny).find((e) => (JSON.parse(read(dir, e)) as { action: string }).action === 'ratified')!;
    assert.equal(signerOf(dir, bobEvent, path.join(dir, '.governance/allowed_signers')), null);
    // Alice's signed ratification counts; the two committed unsigned before still do not.
    assert.deepEqual(f.map((x) => [x.ruleId, x.messageId, x.message.includes(pid)]), [['flywheel/unauthorized-ratification', 'unsigned', false], ['flywheel/unauthorized-ratification', 'unsigned', false]]);
    fs.rmSync(keys, { recursive: true, force: true });
  });
});
