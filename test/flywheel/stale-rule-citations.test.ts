// flywheel/stale-rule reads what a ratified rule cites: package scripts, make targets, paths. Patterns and
// placeholders (`npm run watch:*`, `pnpm run <script>`, `npm run $TASK`) are not a script's name and are never checked.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { citations } from '../../server/src/engine/rules/flywheel/stale-rule';

describe('flywheel/stale-rule citations', () => {
  it('reads scripts, make targets and paths', () => {
    assert.deepEqual(
      citations('Run `npm run db:snapshot`, `pnpm run test -- --watch`, `make lint`, read `docs/a.md`.'),
      [
        { kind: 'script', ref: 'db:snapshot' },
        { kind: 'script', ref: 'test' },
        { kind: 'make', ref: 'lint' },
        { kind: 'path', ref: 'docs/a.md' },
      ],
    );
  });
  it('skips patterns and placeholders', () => {
    assert.deepEqual(citations('Use `npm run watch:*`, `pnpm run <script>`, `npm run $TASK`, `yarn run {name}`.'), []);
  });
});
