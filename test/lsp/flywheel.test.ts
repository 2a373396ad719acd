// The `flywheel/*` requests over stdio, as an editor sends them: capture, signals, proposals (awaiting me first), a
// proposal's page (diff, history, what I may do), ratify/reject/apply with the CLI's checks, drafting from a signal,
// and candidates from agent sessions (accept, dismiss, the setting that turns them off). The server's identity is
// git's: each step sets `user.email` in the repository, as the person at the keyboard would have it.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { claudeProjectFolder } from '../../server/src/engine/flywheel/sessions/claude';
import { parseSignal } from '../../server/src/engine/flywheel/signal';
import {
  CandidateActionRequest,
  CaptureSignalRequest,
  DecideRequest,
  DraftProposalRequest,
  ListProposalsRequest,
  ListSignalsRequest,
  ProposalDetailsRequest,
  ReportRequest,
  RevalidateRequest,
  SessionCandidatesRequest,
} from '../../server/src/lsp/protocol';
import { freshRepo, git, PEOPLE, read, SCENARIO_FILES } from '../flywheel/harness';
import { REPO_ROOT } from '../helpers';
import { Harness } from './harness';

const SESSIONS = path.join(REPO_ROOT, 'test', 'fixtures', 'sessions', 'home', '.claude', 'projects', '-home-dev-shop');
const SECRET_SESSION = '495c5a06-ceb7-43a8-b22c-e73a60c2d784';
const FAILING_SESSION = '1cb354f3-d6fb-410e-b7f5-798e4da74691';

describe('flywheel/* requests over stdio', () => {
  const ws = freshRepo(SCENARIO_FILES);
  const dir = fs.realpathSync(ws.dir);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-lsp-home-'));
  let h: Harness;
  let signal = '';
  let rule = '';
  let deny = '';
  const as = (email: string) => git(dir, ['config', 'user.email', email]);

  before(async () => {
    const project = path.join(home, '.claude', 'projects', claudeProjectFolder(dir));
    fs.mkdirSync(project, { recursive: true });
    for (const s of [SECRET_SESSION, FAILING_SESSION]) {
      fs.writeFileSync(
        path.join(project, `${s}.jsonl`),
        fs
          .readFileSync(path.join(SESSIONS, `${s}.jsonl`), 'utf8')
          .split('/home/dev/shop')
          .join(dir),
      );
    }
    h = await Harness.start({ root: dir, env: { GIT_AUTHOR_EMAIL: '', HOME: home, XDG_STATE_HOME: '' } });
    await h.waitForReady();
  });
  after(async () => {
    await h.stop();
    ws.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('flywheel/captureSignal writes the record and its ledger event, and reports what it redacted', async () => {
    as(PEOPLE.carol);
    const r = await h.conn.sendRequest(CaptureSignalRequest.type, {
      kind: 'failure',
      summary: 'Agent introduced a risky schema migration',
      rootCause: 'The instructions did not require a rollback plan',
      details: 'It ran with DATABASE_URL=postgres://admin:hunter2secret@db.internal:5432/billing',
      agent: 'claude',
      files: ['services/billing/migrations/0042_drop_invoices.sql:1'],
      incident: { severity: 'high', owner: '@carol' },
    });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.match(r.path!, /^\.governance\/signals\/S-/);
    const text = read(dir, r.path!);
    const p = parseSignal(text);
    assert.ok(
      p.ok &&
        p.signal.incident?.severity === 'high' &&
        p.signal.capturedBy === '@carol' &&
        p.signal.source === 'editor',
    );
    if (r.redacted.length) assert.doesNotMatch(text, /hunter2secret/);
    signal = r.id!;
    const bad = await h.conn.sendRequest(CaptureSignalRequest.type, { kind: 'oops', summary: 'x' });
    assert.equal(bad.error?.code, 'usage');
  });

  it('flywheel/captureSignal reports the redaction notice for a token', async () => {
    const r = await h.conn.sendRequest(CaptureSignalRequest.type, {
      kind: 'context-gap',
      summary: 'The agent printed the token ghp_1234567890abcdefghijABCDEFGHIJ123456 in a log',
    });
    assert.equal(r.error, undefined);
    assert.ok(r.redacted.length >= 1);
    assert.doesNotMatch(read(dir, r.path!), /ghp_1234567890/);
  });

  it('flywheel/listSignals groups and counts by kind', async () => {
    const r = await h.conn.sendRequest(ListSignalsRequest.type, {});
    assert.equal(r.byKind.failure, 1);
    assert.equal(r.byKind['context-gap'], 1);
    const g = r.groups.find((x) => x.id === signal)!;
    assert.equal(g.count, 1);
    assert.deepEqual(g.proposals, []);
    assert.match(g.uri, /^file:.*\.governance\/signals\/S-/);
  });

  it('flywheel/draftProposal drafts both proposals from the signal', async () => {
    const r = await h.conn.sendRequest(DraftProposalRequest.type, {
      signals: [signal],
      section: 'Migration checklist',
      text: '- Schema migrations include a rollback plan.',
      deny: ['Bash(migrate --destructive *)'],
    });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.deepEqual(
      r.proposals.map((p) => [p.route, p.target, p.status]),
      [
        ['convention', 'services/billing/CLAUDE.md', 'proposed'],
        ['managed-deny', '.governance/managed/claude-managed-settings.json', 'proposed'],
      ],
    );
    rule = r.proposals[0]!.id;
    deny = r.proposals[1]!.id;
    const unknown = await h.conn.sendRequest(DraftProposalRequest.type, { signals: ['S-20200101T000000Z-00000000'] });
    assert.equal(unknown.error?.code, 'unknown-signal');
  });

  it('flywheel/listProposals puts what awaits me first, per identity', async () => {
    as(PEOPLE.carol);
    const c = await h.conn.sendRequest(ListProposalsRequest.type, {});
    assert.equal(c.me.handle, '@carol');
    assert.equal(c.awaitingMe, 0);
    as(PEOPLE.bob);
    const b = await h.conn.sendRequest(ListProposalsRequest.type, {});
    assert.equal(b.awaitingMe, 1);
    assert.equal(b.proposals[0]!.id, deny);
    assert.equal(b.proposals[0]!.awaitingMe, true);
    // The status bar's count: proposals awaiting the current person.
    assert.equal((await h.conn.sendRequest(RevalidateRequest.type)).proposalsAwaiting, 1);
    as(PEOPLE.alice);
    const a = await h.conn.sendRequest(ListProposalsRequest.type, {});
    assert.deepEqual(
      a.proposals.map((p) => [p.id, p.awaitingMe]),
      [
        [rule, true],
        [deny, false],
      ],
    );
  });

  it('flywheel/proposalDetails: rationale, signals, owners, diff, history, and what I may do with reasons', async () => {
    as(PEOPLE.carol);
    const mine = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: rule });
    assert.equal(mine.may.ratify.allowed, false);
    assert.match(mine.may.ratify.reason, /author/);
    as(PEOPLE.mallory);
    const other = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: rule });
    assert.equal(other.may.ratify.allowed, false);
    assert.match(other.may.ratify.reason, /not an owner/);
    as(PEOPLE.alice);
    const d = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: rule });
    assert.equal(d.error, undefined);
    assert.deepEqual(d.owners, ['@acme/billing-leads']);
    assert.match(d.diff, /\+- Schema migrations include a rollback plan\./);
    assert.ok(d.rationale.length > 0);
    assert.deepEqual(
      d.signals.map((s) => [s.id, s.count]),
      [[signal, 1]],
    );
    assert.deepEqual(
      d.history.map((e) => e.action),
      ['drafted', 'proposed'],
    );
    assert.equal(d.may.ratify.allowed, true);
    assert.equal(d.may.reject.allowed, true);
    assert.equal(d.may.apply.allowed, false);
    const missing = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: 'P-20200101T000000Z-00000000' });
    assert.equal(missing.error?.code, 'not-found');
  });

  it('flywheel/decide: refused for a non-owner; ratified by the owner; applied; the target changed', async () => {
    as(PEOPLE.mallory);
    const no = await h.conn.sendRequest(DecideRequest.type, { id: rule, action: 'ratify' });
    assert.equal(no.error?.code, 'not-owner');
    as(PEOPLE.alice);
    const early = await h.conn.sendRequest(DecideRequest.type, { id: rule, action: 'apply' });
    assert.equal(early.error?.code, 'not-ratified');
    const ok = await h.conn.sendRequest(DecideRequest.type, { id: rule, action: 'ratify' });
    assert.equal(ok.error, undefined, JSON.stringify(ok.error));
    assert.equal(ok.proposal?.status, 'ratified');
    const d = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: rule });
    assert.equal(d.may.apply.allowed, true);
    assert.deepEqual(
      d.history.map((e) => e.action),
      ['drafted', 'proposed', 'ratified'],
    );
    const applied = await h.conn.sendRequest(DecideRequest.type, { id: rule, action: 'apply' });
    assert.equal(applied.error, undefined, JSON.stringify(applied.error));
    assert.ok(applied.written?.includes('services/billing/CLAUDE.md'));
    assert.match(read(dir, 'services/billing/CLAUDE.md'), /Schema migrations include a rollback plan/);
    const again = await h.conn.sendRequest(DecideRequest.type, { id: rule, action: 'apply' });
    assert.equal(again.changed, false);
  });

  it('the applied rule deleted on disk right after apply (while the re-check runs) is conventions/ratified-rule-missing', async () => {
    const target = 'services/billing/CLAUDE.md';
    const ruleText = 'Schema migrations include a rollback plan';
    const before = read(dir, target);
    assert.match(before, new RegExp(ruleText));
    // As the editor test does: no pause after apply — the file event arrives while the apply's re-check may run.
    const rechecked = h.conn.sendRequest(RevalidateRequest.type).catch(() => undefined);
    h.writeFile(
      target,
      before
        .split('\n')
        .filter((l) => !l.includes(ruleText))
        .join('\n'),
    );
    await h.waitForDiagnostics(target, (d) => d.some((x) => x.code === 'conventions/ratified-rule-missing'));
    await rechecked;
    h.writeFile(target, before);
    await h.waitForDiagnostics(target, (d) => !d.some((x) => x.code === 'conventions/ratified-rule-missing'));
  });

  it('flywheel/report: one offline HTML page with SVG charts, and Markdown', async () => {
    const r = await h.conn.sendRequest(ReportRequest.type, {});
    assert.match(r.html, /<svg role="img"/);
    assert.doesNotMatch(r.html, /<script/);
    assert.match(r.markdown, /Median from signal to applied: [\d.]+ days/);
  });

  it('flywheel/decide reject needs a reason and records it', async () => {
    as(PEOPLE.bob);
    const noReason = await h.conn.sendRequest(DecideRequest.type, { id: deny, action: 'reject' });
    assert.equal(noReason.error?.code, 'usage');
    const r = await h.conn.sendRequest(DecideRequest.type, {
      id: deny,
      action: 'reject',
      reason: 'The wrapper script covers it',
    });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const d = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: deny });
    assert.equal(d.proposal?.status, 'rejected');
    assert.equal(d.history.at(-1)?.reason, 'The wrapper script covers it');
  });

  it('flywheel/sessionCandidates and candidateAction: dismiss is remembered by fingerprint, accept writes a signal', async () => {
    as(PEOPLE.carol);
    const r = await h.conn.sendRequest(SessionCandidatesRequest.type, {});
    assert.equal(r.enabled, true);
    assert.ok(r.candidates.length >= 2, JSON.stringify(r));
    const secret = r.candidates.find((c) => c.summary.includes('NPM_TOKEN'))!;
    const failing = r.candidates.find((c) => c.heuristic === 'repeated-failure')!;
    assert.ok(secret && failing);
    assert.doesNotMatch(JSON.stringify(r), /npm_a1B2c3D4/);
    const dis = await h.conn.sendRequest(CandidateActionRequest.type, {
      action: 'dismiss',
      fingerprints: [failing.fingerprint],
    });
    assert.deepEqual(dis.dismissed, [failing.fingerprint]);
    const after1 = await h.conn.sendRequest(SessionCandidatesRequest.type, {});
    assert.equal(after1.dismissed, 1);
    assert.ok(!after1.candidates.some((c) => c.fingerprint === failing.fingerprint));
    const acc = await h.conn.sendRequest(CandidateActionRequest.type, {
      action: 'accept',
      fingerprints: [secret.fingerprint],
    });
    assert.equal(acc.error, undefined, JSON.stringify(acc.error));
    const text = read(dir, acc.accepted[0]!.path);
    assert.match(text, new RegExp(`fingerprint: "?${secret.fingerprint}`));
    const after2 = await h.conn.sendRequest(SessionCandidatesRequest.type, {});
    assert.equal(after2.candidates.find((c) => c.fingerprint === secret.fingerprint)?.accepted, 1);
    // The dismissal lives outside the repository.
    assert.equal(fs.readdirSync(path.join(home, '.local', 'state', 'governance-flywheel', 'dismissed')).length, 1);
  });
});

describe('flywheel/sessionCandidates with flywheel.sessionSignals off', () => {
  it('reads nothing and accepts nothing', async () => {
    const ws = freshRepo({ 'CLAUDE.md': '# Repo\n' });
    const h = await Harness.start({ root: ws.dir, settings: { sessionSignals: 'off' }, env: { GIT_AUTHOR_EMAIL: '' } });
    try {
      await h.waitForReady();
      const r = await h.conn.sendRequest(SessionCandidatesRequest.type, {});
      assert.deepEqual(r, { enabled: false, candidates: [], dismissed: 0, notes: [] });
      const a = await h.conn.sendRequest(CandidateActionRequest.type, {
        action: 'accept',
        fingerprints: ['abcdef012345'],
      });
      assert.equal(a.error?.code, 'disabled');
    } finally {
      await h.stop();
      ws.cleanup();
    }
  });
});
