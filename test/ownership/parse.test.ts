// The CODEOWNERS parser: token ranges, escapes, CRLF, comments, GitLab sections, per-line error recovery.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCodeowners } from '../../server/src/engine/ownership/parse';

const at = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
  `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

describe('parseCodeowners', () => {
  it('gives every token a range (0-based), with CRLF and tabs', () => {
    const p = parseCodeowners('# head\r\n\t/src/\t@acme/web   @alice # note\r\n', 'github');
    const r = p.rules[0]!;
    assert.equal(r.line, 1);
    assert.equal(at(r.pattern.range), '1:1-1:6');
    assert.deepEqual(
      r.owners.map((o) => [o.text, at(o.range), o.kind]),
      [
        ['@acme/web', '1:7-1:16', 'team'],
        ['@alice', '1:19-1:25', 'user'],
      ],
    );
    assert.equal(at(r.comment!.range), '1:26-1:32');
    assert.deepEqual(
      p.comments.map((c) => c.text),
      ['# head', '# note'],
    );
  });
  it('keeps escaped spaces in the pattern', () => {
    const r = parseCodeowners('/path\\ with\\ spaces/ @a\n', 'github').rules[0]!;
    assert.equal(r.pattern.text, '/path\\ with\\ spaces/');
    assert.deepEqual(r.effectiveOwners, ['@a']);
  });
  it('recovers per line: a bad line is skipped and the rest applies', () => {
    const p = parseCodeowners('* @a\n***/x @b\n* nope\n/src/ @c\n', 'github');
    assert.deepEqual(
      p.rules.map((r) => r.skipped ?? 'ok'),
      ['ok', 'invalid pattern', 'invalid owner', 'ok'],
    );
    assert.deepEqual(
      p.problems.map((x) => [x.line, x.messageId]),
      [
        [1, 'invalidPattern'],
        [2, 'invalidOwner'],
      ],
    );
  });
  it('GitLab: sections, optional, approvals, default owners, merged duplicate names, exclusions, roles', () => {
    const p = parseCodeowners(
      '* @all\n^[Docs][2] @docs @@maintainer\n/docs/\n!/docs/gen/\n[docs] @more\n*.md\n[Group/Path] @g/sub/team\n',
      'gitlab',
    );
    assert.deepEqual(
      p.sections.map((s) => [s.name, s.optional, s.approvals, s.headers.length]),
      [
        ['', false, 1, 0],
        ['Docs', false, 2, 2],
        ['Group/Path', false, 1, 1],
      ],
    );
    const [all, docs, excl, md] = p.rules;
    assert.equal(all!.section, 0);
    assert.deepEqual(docs!.effectiveOwners, ['@docs', '@@maintainer']);
    assert.equal(docs!.inheritsSectionOwners, true);
    assert.equal(excl!.negated, true);
    assert.equal(excl!.pattern.text, '/docs/gen/');
    assert.deepEqual(md!.effectiveOwners, ['@more']);
    assert.equal(md!.section, 1);
    assert.deepEqual(
      p.sections[1]!.headers[0]!.defaultOwners.map((o) => o.kind),
      ['user', 'role'],
    );
    assert.equal(at(p.sections[1]!.headers[0]!.name.range), '1:2-1:6');
    assert.deepEqual(p.problems, []);
  });
  it('GitLab: an unterminated header is an entry, as GitLab reads it', () => {
    const p = parseCodeowners('[Section name @a\n', 'gitlab');
    assert.equal(p.sections.length, 1);
    assert.equal(p.rules[0]!.pattern.text, '[Section');
  });
  it('GitHub: `!`, `\\#` are skipped with a problem; `[x-y]` and `/` warn', () => {
    const p = parseCodeowners('!a @x\n\\#b @x\n/[a-z]/ @x\n/ @x\n', 'github');
    assert.deepEqual(
      p.problems.map((x) => [x.messageId, x.severity]),
      [
        ['negation', 'error'],
        ['escapedHash', 'warning'],
        ['literalBrackets', 'warning'],
        ['rootSlash', 'warning'],
      ],
    );
    assert.deepEqual(
      p.rules.map((r) => Boolean(r.skipped)),
      [true, true, false, false],
    );
  });
  it('Bitbucket owners: groups with selectors', () => {
    const p = parseCodeowners('* @ws/reviewers:random(2) @teams/x a@b.io @user\n', 'bitbucket');
    assert.deepEqual(p.problems, []);
    assert.deepEqual(
      p.rules[0]!.owners.map((o) => o.kind),
      ['team', 'team', 'email', 'user'],
    );
  });
});
