// The opt-in online check of owners (GitHub REST API), against a fake API: never any real network.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOwnersOnline } from '../../server/src/node/github-owners';

const API: Record<string, { status: number; body?: unknown }> = {
  '/users/alice': { status: 200, body: { login: 'alice' } },
  '/repos/acme/mono/collaborators/alice/permission': { status: 200, body: { permission: 'write' } },
  '/users/bob': { status: 200, body: { login: 'bob' } },
  '/repos/acme/mono/collaborators/bob/permission': { status: 200, body: { permission: 'read' } },
  '/users/ghost': { status: 404 },
  '/orgs/acme/teams/platform': { status: 200, body: { slug: 'platform' } },
  '/orgs/acme/teams/platform/repos/acme/mono': { status: 200, body: { permissions: { pull: true, push: true } } },
  '/orgs/acme/teams/readers': { status: 200, body: { slug: 'readers' } },
  '/orgs/acme/teams/readers/repos/acme/mono': { status: 404 },
  '/orgs/acme/teams/secret': { status: 404 },
};

describe('checkOwnersOnline', () => {
  it('reports unknown owners, owners without write access, and what it cannot check', async () => {
    const calls: string[] = [];
    const results = await checkOwnersOnline(
      ['@alice', '@bob', '@ghost', '@acme/Platform', '@acme/readers', '@acme/secret', 'a@b.io', '@ALICE'],
      {
        repo: 'acme/mono',
        token: 't0ken',
        apiUrl: 'https://ghe.example/api/v3/',
        fetch: async (url, init) => {
          assert.equal(init.headers.authorization, 'Bearer t0ken');
          const path = url.replace('https://ghe.example/api/v3', '');
          calls.push(path);
          const r = API[path] ?? { status: 500 };
          return { status: r.status, json: async () => r.body };
        },
      },
    );
    assert.deepEqual(
      results.map((r) => [r.owner, r.status]),
      [
        ['@alice', 'ok'],
        ['@bob', 'no-write-access'],
        ['@ghost', 'unknown'],
        ['@acme/Platform', 'ok'],
        ['@acme/readers', 'no-write-access'],
        ['@acme/secret', 'unknown'],
        ['a@b.io', 'not-checked'],
      ],
    );
    assert.match(results[5]!.message, /exists, is publicly visible, and has write access/);
    assert.ok(calls.every((c) => c.startsWith('/')));
  });

  it('a network failure is an error result, not a throw', async () => {
    const [r] = await checkOwnersOnline(['@alice'], {
      repo: 'acme/mono',
      token: 't',
      fetch: async () => Promise.reject(new Error('offline')),
    });
    assert.equal(r!.status, 'error');
    assert.match(r!.message, /offline/);
  });
});
