// The GitHub identity over stdio: the client sends `flywheel/setIdentity` with the login of VS Code's GitHub
// authentication session once the person grants it (client/src/identity.ts); from then on the server acts as that
// login mapped through flywheel.people — what awaits me, what I may do, who the ledger says ratified (`via`). A real
// GitHub sign-in cannot run offline: these tests send the login the session would give.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CaptureSignalRequest,
  DecideRequest,
  DraftProposalRequest,
  ListProposalsRequest,
  ProposalDetailsRequest,
  RevalidateRequest,
  SetIdentityNotification,
} from '../../server/src/lsp/protocol';
import { freshRepo, git, PEOPLE, SCENARIO_FILES } from '../flywheel/harness';
import { Harness } from './harness';

describe('flywheel/setIdentity: acting as the GitHub sign-in', () => {
  const ws = freshRepo(SCENARIO_FILES);
  const dir = fs.realpathSync(ws.dir);
  let h: Harness;
  let rule = '';
  let deny = '';

  before(async () => {
    // git says carol throughout: the person at this machine drafted the proposals.
    git(dir, ['config', 'user.email', PEOPLE.carol]);
    h = await Harness.start({ root: dir, env: { GIT_AUTHOR_EMAIL: '' } });
    await h.waitForReady();
    const s = await h.conn.sendRequest(CaptureSignalRequest.type, {
      kind: 'failure',
      summary: 'Agent ran a destructive migration without a rollback plan',
      files: ['services/billing/migrations/0042_drop_invoices.sql:1'],
      agent: 'claude',
    });
    const d = await h.conn.sendRequest(DraftProposalRequest.type, {
      signals: [s.id!],
      text: '- Schema migrations include a rollback plan.',
      deny: ['Bash(migrate --destructive *)'],
    });
    assert.equal(d.error, undefined, JSON.stringify(d.error));
    [rule, deny] = d.proposals.map((p) => p.id) as [string, string];
  });
  after(async () => {
    await h.stop();
    ws.cleanup();
  });

  const me = async () => (await h.conn.sendRequest(ListProposalsRequest.type, {})).me;

  it("without a grant the identity is git's", async () => {
    assert.deepEqual(await me(), { email: PEOPLE.carol, handle: '@carol', source: 'git' });
  });

  it('a granted login is mapped through flywheel.people: its proposals await it, the status bar counts them', async () => {
    await h.conn.sendNotification(SetIdentityNotification.type, { github: 'alice' });
    const list = await h.conn.sendRequest(ListProposalsRequest.type, {});
    assert.deepEqual(list.me, { email: PEOPLE.alice, handle: '@alice', source: 'github' });
    assert.deepEqual(
      list.proposals.map((p) => [p.id, p.awaitingMe]),
      [
        [rule, true],
        [deny, false],
      ],
    );
    assert.equal((await h.conn.sendRequest(RevalidateRequest.type)).proposalsAwaiting, 1);
    const d = await h.conn.sendRequest(ProposalDetailsRequest.type, { id: rule });
    assert.equal(d.me.source, 'github');
    assert.equal(d.may.ratify.allowed, true, d.may.ratify.reason);
  });

  it('ratifying as the GitHub login records it in the ledger with via: github', async () => {
    const r = await h.conn.sendRequest(DecideRequest.type, { id: rule, action: 'ratify' });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.proposal?.by, '@alice');
    const events = fs.readdirSync(path.join(dir, '.governance', 'ledger', rule)).map(
      (f) =>
        JSON.parse(fs.readFileSync(path.join(dir, '.governance', 'ledger', rule, f), 'utf8')) as {
          action: string;
          actor: { email: string; handle?: string; via?: string };
        },
    );
    const ratified = events.find((e) => e.action === 'ratified');
    assert.deepEqual(ratified?.actor, { email: PEOPLE.alice, handle: '@alice', via: 'github' });
    const drafted = events.find((e) => e.action === 'drafted');
    assert.deepEqual(drafted?.actor, { email: PEOPLE.carol, handle: '@carol' }, "git's identity records no via");
  });

  it('an unlisted login owns nothing here and may not ratify; a malformed login is ignored', async () => {
    await h.conn.sendNotification(SetIdentityNotification.type, { github: 'octocat' });
    assert.equal((await me()).handle, '@octocat');
    const r = await h.conn.sendRequest(DecideRequest.type, { id: deny, action: 'ratify' });
    assert.ok(r.error, 'refused');
    await h.conn.sendNotification(SetIdentityNotification.type, { github: '../bob' });
    assert.deepEqual(await me(), { email: PEOPLE.carol, handle: '@carol', source: 'git' });
  });

  it("signing out (no login) is git's identity again", async () => {
    await h.conn.sendNotification(SetIdentityNotification.type, { github: 'bob' });
    assert.equal((await me()).handle, '@bob');
    await h.conn.sendNotification(SetIdentityNotification.type, {});
    assert.deepEqual(await me(), { email: PEOPLE.carol, handle: '@carol', source: 'git' });
  });
});
