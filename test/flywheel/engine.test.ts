// The flywheel engine's pieces: the frontmatter fast path agrees with the YAML library, Markdown section placement,
// unified diffs, the ledger's hash links (fork and merge, edit, deletion), near-duplicate groups, ids, routing to
// every agent's convention file, and parsers that never throw.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as yamlParse } from 'yaml';
import { insertInSection, unifiedDiff, applyJsonEdit } from '../../server/src/engine/flywheel/change';
import { parseFrontmatter, renderFrontmatter, simpleYaml } from '../../server/src/engine/flywheel/frontmatter';
import { newId } from '../../server/src/engine/flywheel/ids';
import { makeEvent, verifyChain, ledgerStatus } from '../../server/src/engine/flywheel/ledger';
import { parseProposalRecord } from '../../server/src/engine/flywheel/proposal';
import { conventionTargets } from '../../server/src/engine/flywheel/routing';
import { createSignal, groupKey, parseSignal } from '../../server/src/engine/flywheel/signal';
import { openWorkspace } from '../../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from '../helpers';

function allRecords(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.governance\/(signals|proposals)\/[^/]+\.md$/.test(p.replace(/\\/g, '/'))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe('flywheel frontmatter', () => {
  it('the fast path reads every record of the examples and fixtures exactly as the YAML library does', () => {
    const files = [
      ...allRecords(path.join(REPO_ROOT, 'examples')),
      ...allRecords(path.join(REPO_ROOT, 'test/fixtures/rules')),
    ];
    assert.ok(files.length > 20);
    let fast = 0;
    for (const f of files) {
      const m = /^---\n([\s\S]*?)\n?---\n/.exec(fs.readFileSync(f, 'utf8'));
      if (!m) continue;
      const got = simpleYaml(m[1]!);
      if (got === undefined) continue;
      fast++;
      assert.deepEqual(got, yamlParse(m[1]!), f);
    }
    assert.ok(fast > files.length / 2, `fast path used for ${fast} of ${files.length}`);
  });

  it('the fast path gives tricky scalars to the library, and round-trips rendered values', () => {
    const tricky = [
      '123',
      'true',
      'null',
      '~',
      '- x',
      'a: b',
      'a #b',
      '[x]',
      '{x}',
      '&a',
      '*a',
      '!x',
      '|',
      '>',
      '@x',
      '`x`',
      "'q''s'",
      '"d\\"q"',
      'yes',
      '0x1F',
      '.5',
      'x:',
      ' lead',
      'trail ',
    ];
    for (const v of tricky) {
      const src = renderFrontmatter({ id: 'S-1', value: v, list: [v, 'b'], map: { 'a/b.md': v } }, '').replace(
        /^---\n|---\n$/g,
        '',
      );
      const fast = simpleYaml(src);
      const lib = yamlParse(src) as Record<string, unknown>;
      assert.equal(lib.value, v, `the renderer quotes ${JSON.stringify(v)}`);
      if (fast) assert.deepEqual(fast, lib, `fast path on ${JSON.stringify(v)}`);
    }
    assert.equal(simpleYaml('a: 1'), undefined);
    assert.equal(simpleYaml('a: [1, 2]'), undefined);
    assert.equal(simpleYaml('a: x\na: y'), undefined);
  });

  it('parsers never throw on garbage', () => {
    const samples = [
      '',
      '---',
      '---\n---\n',
      '---\n: :\n---\n',
      '---\nid: [\n---\n',
      '\uFEFF---\nid: x\n---\n',
      '---\n' + 'a: &a [*a]\n'.repeat(3) + '---\n',
      '---\nid: S-1\nkind: failure\n---',
      'x'.repeat(10000),
    ];
    for (let i = 0; i < 300; i++)
      samples.push(
        '---\n' +
          Array.from({ length: 5 }, () => String.fromCharCode(32 + ((i * 7919 + samples.length * 31) % 90))).join('') +
          '\n---\n',
      );
    for (const s of samples) {
      parseFrontmatter(s);
      parseSignal(s);
      parseProposalRecord(s);
    }
  });
});

describe('flywheel changes', () => {
  const lines = ['<!-- m -->', '- Rule.'];
  it('places a block at the end of the named section, before the next heading of its level or above', () => {
    const t = '# T\n\n## Migration checklist\n\n- a\n\n### Sub\n\n- b\n\n## Testing\n\n- c\n';
    assert.equal(
      insertInSection(t, 'migration CHECKLIST', lines),
      '# T\n\n## Migration checklist\n\n- a\n\n### Sub\n\n- b\n\n<!-- m -->\n- Rule.\n\n## Testing\n\n- c\n',
    );
  });
  it('creates a missing section at the end; ignores headings inside fenced code; keeps CRLF', () => {
    assert.equal(
      insertInSection('# T\n\n```\n## Rules\n```\n', 'Rules', lines),
      '# T\n\n```\n## Rules\n```\n\n## Rules\n\n<!-- m -->\n- Rule.\n',
    );
    assert.equal(
      insertInSection('# T\r\n\r\n## Rules\r\n', 'Rules', lines),
      '# T\r\n\r\n## Rules\r\n\r\n<!-- m -->\r\n- Rule.\r\n',
    );
    assert.equal(insertInSection('', undefined, lines), '<!-- m -->\n- Rule.\n');
  });
  it('a unified diff of an insertion, of a new file', () => {
    assert.equal(
      unifiedDiff({ path: 'a.md', before: 'x\ny\n', after: 'x\nn\ny\n' }),
      '--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,3 @@\n x\n+n\n y\n',
    );
    assert.equal(
      unifiedDiff({ path: 'n.md', before: null, after: 'a\n' }),
      '--- /dev/null\n+++ b/n.md\n@@ -0,0 +1 @@\n+a\n',
    );
  });
  it('JSON edits keep comments and skip a value already there', () => {
    const t = '{\n  // managed\n  "permissions": { "deny": ["A"] }\n}\n';
    const once = applyJsonEdit(t, { path: ['permissions', 'deny'], value: 'B', arrayInsert: true, unique: true });
    assert.match(once, /\/\/ managed/);
    assert.deepEqual(JSON.parse(once.replace('// managed', '')).permissions.deny, ['A', 'B']);
    assert.equal(
      applyJsonEdit(once, { path: ['permissions', 'deny'], value: 'B', arrayInsert: true, unique: true }),
      once,
    );
    assert.throws(() =>
      applyJsonEdit('{"permissions": "x"}', { path: ['permissions', 'deny'], value: 'B', arrayInsert: true }),
    );
  });
});

describe('flywheel ledger', () => {
  const actor = { email: 'a@x' };
  const ev = (action: 'drafted' | 'proposed' | 'ratified' | 'rejected', heads: string[], t: number, r: string) =>
    makeEvent({ now: new Date(1_800_000_000_000 + t), actor, action, subject: 'P-1', target: 'CLAUDE.md' }, heads, r);
  it('a fork (two branches) and its merge verify; status follows causal order', () => {
    const a = ev('drafted', [], 0, '000000000001');
    const b = ev('proposed', [a.event.hash], 1, '000000000002');
    const left = ev('ratified', [b.event.hash], 2, '000000000003');
    const right = ev('rejected', [b.event.hash], 3, '000000000004');
    const files = [a, b, left, right].map((e) => ({ path: e.path, text: e.text }));
    const c = verifyChain('P-1', files);
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.heads, [left.event.hash, right.event.hash].sort());
    assert.equal(ledgerStatus(c), 'rejected');
    const merged = ev('ratified', c.heads, 4, '000000000005');
    const c2 = verifyChain('P-1', [...files, { path: merged.path, text: merged.text }]);
    assert.deepEqual(c2.problems, []);
    assert.deepEqual(c2.heads, [merged.event.hash]);
  });
  it('an edit (even with its own hash recomputed) or a deletion of a past event is detected', () => {
    const a = ev('drafted', [], 0, '000000000001');
    const b = ev('proposed', [a.event.hash], 1, '000000000002');
    const c = ev('ratified', [b.event.hash], 2, '000000000003');
    const files = [a, b, c].map((e) => ({ path: e.path, text: e.text }));
    const edited = files.map((f, i) => (i === 1 ? { ...f, text: f.text.replace('"a@x"', '"b@x"') } : f));
    assert.match(verifyChain('P-1', edited).problems[0]!.message, /edited after it was recorded/);
    const rehashed = JSON.parse(files[1]!.text) as Record<string, unknown>;
    rehashed.actor = { email: 'b@x' };
    const forged = makeEvent(
      {
        now: new Date(1_800_000_000_001),
        actor: { email: 'b@x' },
        action: 'proposed',
        subject: 'P-1',
        target: 'CLAUDE.md',
      },
      [a.event.hash],
      '000000000002',
    );
    const withForged = [files[0]!, { path: files[1]!.path, text: forged.text }, files[2]!];
    assert.ok(
      verifyChain('P-1', withForged).problems.some(
        (p) => p.eventId === c.event.id && /missing or was changed/.test(p.message),
      ),
    );
    const deleted = [files[0]!, files[2]!];
    assert.ok(verifyChain('P-1', deleted).problems.some((p) => p.eventId === c.event.id));
  });
  it('a subject with one event: its head, or the events it follows that are missing, and broken files beside it', () => {
    const a = ev('drafted', [], 0, '000000000001');
    const alone = verifyChain('P-1', [{ path: a.path, text: a.text }]);
    assert.deepEqual(alone, { subject: 'P-1', events: [a.event], heads: [a.event.hash], problems: [] });
    const gone = 'f'.repeat(64);
    const b = ev('proposed', [gone, gone], 1, '000000000002');
    const orphan = verifyChain('P-1', [
      { path: '.governance/ledger/P-1/E-broken.json', text: '{' },
      { path: b.path, text: b.text },
    ]);
    assert.deepEqual(orphan.events, [b.event]);
    assert.deepEqual(orphan.heads, [b.event.hash]);
    assert.deepEqual(
      orphan.problems.map((p) => p.eventId),
      ['E-broken', b.event.id, b.event.id],
    );
    assert.match(orphan.problems[1]!.message, /follows an event \(ffffffffffff…\) that is missing/);
    assert.deepEqual(verifyChain('P-1', []), { subject: 'P-1', events: [], heads: [], problems: [] });
  });
});

describe('flywheel signals and routing', () => {
  it('ids sort by time and do not collide', () => {
    const now = new Date('2026-12-06T03:13:07Z');
    const ids = new Set(Array.from({ length: 2000 }, () => newId('S', now)));
    assert.equal(ids.size, 2000);
    assert.ok(newId('P', new Date('2026-01-01T00:00:00Z')) < newId('P', new Date('2026-01-01T00:00:01Z')));
  });
  it('near-duplicates share a group: same kind, files and root cause, case and punctuation aside', () => {
    const ctx = { now: new Date(), capturedBy: '@c' };
    const a = createSignal(
      { kind: 'failure', summary: 'x', rootCause: 'No rollback plan.', files: ['db/1.sql:3'] },
      ctx,
    ).signal;
    const b = createSignal(
      { kind: 'failure', summary: 'y', rootCause: 'no  ROLLBACK plan', files: ['db/1.sql:9'] },
      ctx,
    ).signal;
    const c = createSignal(
      { kind: 'context-gap', summary: 'y', rootCause: 'no rollback plan', files: ['db/1.sql'] },
      ctx,
    ).signal;
    assert.equal(groupKey(a), groupKey(b));
    assert.notEqual(groupKey(a), groupKey(c));
  });
  it('one rule, every agent: a convention proposal reaches CLAUDE.md, AGENTS.md and GEMINI.md beside it', () => {
    const ws = tempWorkspace({
      'svc/CLAUDE.md': '# A\n',
      'svc/AGENTS.md': '# A\n',
      'svc/GEMINI.md': '# A\n',
      'CLAUDE.md': '# root\n',
      'svc/db/1.sql': '',
    });
    try {
      const snapshot = openWorkspace(ws.dir, { managedSettingsPath: null });
      const s = createSignal(
        { kind: 'failure', summary: 'x', agent: 'codex', files: ['svc/db/1.sql'] },
        { now: new Date(), capturedBy: '@c' },
      ).signal;
      assert.deepEqual(conventionTargets(snapshot, s), {
        target: 'svc/AGENTS.md',
        targets: ['svc/AGENTS.md', 'svc/CLAUDE.md', 'svc/GEMINI.md'],
      });
      const root = createSignal(
        { kind: 'failure', summary: 'x', agent: 'claude', files: ['README.md'] },
        { now: new Date(), capturedBy: '@c' },
      ).signal;
      assert.deepEqual(conventionTargets(snapshot, root), { target: 'CLAUDE.md', targets: ['CLAUDE.md'] });
    } finally {
      ws.cleanup();
    }
  });
  it('rejects related files outside the repository and incidents without a root cause', () => {
    const ctx = { now: new Date(), capturedBy: '@c' };
    assert.throws(() => createSignal({ kind: 'failure', summary: 'x', files: ['../etc/passwd'] }, ctx));
    assert.throws(() =>
      createSignal({ kind: 'failure', summary: 'x', incident: { severity: 'high', owner: '@a' } }, ctx),
    );
    assert.throws(() => createSignal({ kind: 'nope', summary: 'x' }, ctx));
  });
});
