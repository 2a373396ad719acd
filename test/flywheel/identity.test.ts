// Identity: git's email or a GitHub login (the editor's GitHub sign-in, when the person grants it), both mapped
// through flywheel.people; a ledger event records `actor.via: "github"` when the GitHub login was used.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorFromGitHub, actorOf, isOwner } from '../../server/src/engine/flywheel/identity';
import { makeEvent, parseEvent } from '../../server/src/engine/flywheel/ledger';
import type { FlywheelPolicy } from '../../server/src/engine/flywheel/policy';

const fp = {
  people: { '@Alice': ['alice@acme.example', 'alice@home.example'], '@bob': ['bob@acme.example'] },
  teams: { '@acme/billing-leads': ['@alice'] },
} as unknown as FlywheelPolicy;

describe('actorFromGitHub', () => {
  it('a listed login is its policy handle (spelled as the policy spells it) with its first email', () => {
    assert.deepEqual(actorFromGitHub('alice', fp, 'someone@else.example'), {
      email: 'alice@acme.example',
      handle: '@Alice',
      via: 'github',
    });
    assert.deepEqual(actorFromGitHub('@ALICE', fp), { email: 'alice@acme.example', handle: '@Alice', via: 'github' });
    assert.ok(isOwner(actorFromGitHub('alice', fp), ['@acme/billing-leads'], fp), 'team membership follows the handle');
  });

  it("an unlisted login is @login, with git's email, else GitHub's no-reply address", () => {
    assert.deepEqual(actorFromGitHub('octocat', fp, 'Octo@Cat.example'), {
      email: 'octo@cat.example',
      handle: '@octocat',
      via: 'github',
    });
    assert.equal(actorFromGitHub('octocat', fp).email, 'octocat@users.noreply.github.com');
    assert.ok(isOwner(actorFromGitHub('octocat', fp), ['@octocat'], fp), 'CODEOWNERS names GitHub handles');
    assert.ok(!isOwner(actorFromGitHub('octocat', fp), ['@acme/billing-leads'], fp));
  });

  it("git's identity is unchanged and says nothing about where it came from", () => {
    assert.deepEqual(actorOf('Bob@acme.example', fp), { email: 'bob@acme.example', handle: '@bob' });
  });
});

describe('ledger events record the identity source', () => {
  const now = new Date('2026-12-06T20:00:00.000Z');
  it('via: github is written, hashed and read back; a git event has no via', () => {
    const gh = makeEvent({ now, actor: actorFromGitHub('alice', fp), action: 'ratified', subject: 'P-1' }, [], 'aa');
    assert.deepEqual(gh.event.actor, { email: 'alice@acme.example', handle: '@Alice', via: 'github' });
    const back = parseEvent(gh.text);
    assert.ok(back.ok && back.event.actor.via === 'github' && back.event.hash === gh.event.hash);
    const g = makeEvent({ now, actor: actorOf('bob@acme.example', fp), action: 'ratified', subject: 'P-1' }, [], 'bb');
    assert.deepEqual(g.event.actor, { email: 'bob@acme.example', handle: '@bob' });
  });
});
