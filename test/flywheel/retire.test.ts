// Retiring applied rules through the CLI on a fresh git repository: a convention rule and a Managed deny rule are
// applied, then retired (`flywheel propose --retire`), ratified by the same owners and applied; the rule and the deny
// rule are gone from their targets, the retired proposals are superseded (reason: retired by …), the check stays
// clean and the ledger verifies. Superseding an applied rule replaces its text.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { markerLines } from '../../server/src/engine/conventions/ratified';
import { removeJsonArrayValues, removeMarkedRule } from '../../server/src/engine/flywheel/change';
import { proposalChanges, type ProposalRecord } from '../../server/src/engine/flywheel/proposal';
import { commitAll, flywheel, freshRepo, PEOPLE, read, SCENARIO_FILES } from './harness';

interface Finding {
  ruleId: string;
  file: string;
}

async function check(dir: string): Promise<Finding[]> {
  const r = await flywheel(dir, PEOPLE.carol, [
    'check',
    dir,
    '--format',
    'json',
    '--managed',
    path.join(dir, 'no-managed-settings.json'),
  ]);
  return (r.json.findings as Finding[]) ?? [];
}

type Rec = Record<string, unknown>;

describe('flywheel propose --retire, through the CLI on a fresh git repository', () => {
  const ws = freshRepo(SCENARIO_FILES);
  after(() => ws.cleanup());
  const dir = ws.dir;
  const claudeMd = 'services/billing/CLAUDE.md';
  const managedJson = '.governance/managed/claude-managed-settings.json';
  let rule = '';
  let deny = '';
  let retireRule = '';
  let retireDeny = '';
  let originalClaude = '';
  let originalManaged = '';

  async function ok(who: string, args: string[]): Promise<Rec> {
    const r = await flywheel(dir, who, [...args, '--root', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.out + r.err);
    return r.json;
  }

  it('applies a rule and a deny rule', async () => {
    originalClaude = read(dir, claudeMd);
    originalManaged = read(dir, managedJson);
    const s = await ok(PEOPLE.carol, [
      'signal',
      'add',
      '--kind',
      'failure',
      '--summary',
      'Agent introduced a risky schema migration',
      '--agent',
      'claude',
      '--file',
      'services/billing/migrations/0042_drop_invoices.sql:1',
    ]);
    const signal = String((s.signal as Rec).id);
    const p = await ok(PEOPLE.carol, [
      'propose',
      signal,
      '--section',
      'Migration checklist',
      '--text=- Schema migrations include a rollback plan.',
      '--deny',
      'Bash(migrate --destructive *)',
    ]);
    const [a, b] = p.proposals as [Rec, Rec];
    rule = String(a.id);
    deny = String(b.id);
    commitAll(dir, 'flywheel: capture and propose');
    await ok(PEOPLE.alice, ['ratify', rule]);
    await ok(PEOPLE.bob, ['ratify', deny]);
    commitAll(dir, 'flywheel: ratify', PEOPLE.bob);
    await ok(PEOPLE.carol, ['apply', rule]);
    await ok(PEOPLE.carol, ['apply', deny]);
    assert.match(read(dir, claudeMd), /rollback plan/);
    assert.match(read(dir, managedJson), /migrate --destructive/);
    commitAll(dir, 'flywheel: apply');
    assert.deepEqual(await check(dir), []);
  });

  it('drafts the retirement of each, with the diff, routed to the same owners', async () => {
    const r = await ok(PEOPLE.carol, ['propose', '--retire', rule]);
    const [a] = r.proposals as [Rec];
    assert.deepEqual(
      [a.route, a.target, a.status, a.owners],
      ['convention', claudeMd, 'proposed', ['@acme/billing-leads']],
    );
    assert.match(
      String(a.diff),
      /\n-<!-- flywheel:rule \S+ sha256=[0-9a-f]{64} -->\n-- Schema migrations include a rollback plan\.\n/,
    );
    assert.doesNotMatch(String(a.diff), /\n\+(?!\+\+ )/);
    retireRule = String(a.id);
    const d = await ok(PEOPLE.carol, ['propose', '--retire', deny]);
    const [b] = d.proposals as [Rec];
    assert.deepEqual([b.route, b.target, b.owners], ['managed-deny', managedJson, ['@acme/platform']]);
    assert.match(String(b.diff), /\n- {6}"Bash\(migrate --destructive \*\)"/);
    retireDeny = String(b.id);
    // Nothing changes before it is ratified and applied; a second retirement of the same rule is refused.
    assert.match(read(dir, claudeMd), /rollback plan/);
    const again = await flywheel(dir, PEOPLE.carol, ['propose', '--retire', rule, '--root', dir, '--format', 'json']);
    assert.equal((again.json.error as Rec).code, 'exists');
    const mixed = await flywheel(dir, PEOPLE.carol, ['propose', '--retire', rule, '--text', 'x', '--root', dir]);
    assert.equal(mixed.code, 2, mixed.err);
    const notApplied = await flywheel(dir, PEOPLE.carol, [
      'propose',
      '--retire',
      retireRule,
      '--root',
      dir,
      '--format',
      'json',
    ]);
    assert.equal((notApplied.json.error as Rec).code, 'not-applied');
    commitAll(dir, 'flywheel: propose retirements');
  });

  it('is ratified by the owners and applied: the rules are gone, the retired proposals superseded', async () => {
    const m = await flywheel(dir, PEOPLE.bob, ['ratify', retireRule, '--root', dir, '--format', 'json']);
    assert.equal((m.json.error as Rec).code, 'not-owner');
    await ok(PEOPLE.alice, ['ratify', retireRule]);
    await ok(PEOPLE.bob, ['ratify', retireDeny]);
    commitAll(dir, 'flywheel: ratify retirements', PEOPLE.bob);
    await ok(PEOPLE.carol, ['apply', retireRule]);
    await ok(PEOPLE.carol, ['apply', retireDeny]);
    assert.equal(read(dir, claudeMd), originalClaude);
    // The deny rule's line goes; the rest of the list keeps the layout the apply gave it.
    assert.notEqual(originalManaged, '');
    assert.equal(
      read(dir, managedJson),
      '{\n  "permissions": {\n    "deny": [\n      "Bash(rm -rf *)"\n    ]\n  }\n}\n',
    );
    const old = read(dir, `.governance/proposals/${rule}.md`);
    assert.match(old, /^status: superseded$/m);
    assert.match(old, new RegExp(`^reason: retired by ${retireRule}$`, 'm'));
    assert.match(read(dir, `.governance/proposals/${deny}.md`), /^status: superseded$/m);
    const list = await ok(PEOPLE.carol, ['proposals']);
    const status = new Map((list.proposals as Rec[]).map((p) => [p.id, [p.status, p.ledgerStatus]]));
    assert.deepEqual(status.get(rule), ['superseded', 'superseded']);
    assert.deepEqual(status.get(retireRule), ['applied', 'applied']);
    commitAll(dir, 'flywheel: apply retirements');
  });

  it('checks clean and the ledger verifies', async () => {
    assert.deepEqual(await check(dir), []);
    const v = await ok(PEOPLE.carol, ['ledger', 'verify']);
    assert.equal(v.ok, true);
  });
});

describe('removing a marked rule', () => {
  const rule = markerLines('P-1', '- Old rule.').join('\n');
  it('removes the marker, the text and one blank line, in the middle, at the end and with CRLF', () => {
    assert.equal(removeMarkedRule(`# T\n\n- a\n\n${rule}\n\n## Next\n`, 'P-1'), '# T\n\n- a\n\n## Next\n');
    assert.equal(removeMarkedRule(`# T\n\n- a\n\n${rule}\n`, 'P-1'), '# T\n\n- a\n');
    const crlf = `# T\n\n${rule}\n\n- b\n`.replace(/\n/g, '\r\n');
    assert.equal(removeMarkedRule(crlf, 'P-1'), '# T\r\n\r\n- b\r\n');
    // Another id, or no marker: unchanged.
    assert.equal(removeMarkedRule(`${rule}\n`, 'P-2'), `${rule}\n`);
  });
  it('removes deny rules from a list, keeping comments', () => {
    const text = '{\n  // managed\n  "permissions": { "deny": ["A", "B", "C"] }\n}\n';
    assert.equal(
      removeJsonArrayValues(text, ['permissions', 'deny'], ['B']),
      '{\n  // managed\n  "permissions": { "deny": ["A", "C"] }\n}\n',
    );
    assert.equal(removeJsonArrayValues(text, ['permissions', 'allow'], ['B']), text);
  });
  it('a convention proposal that supersedes an applied rule replaces its text', () => {
    const p: ProposalRecord = {
      id: 'P-2',
      status: 'ratified',
      signals: [],
      route: 'convention',
      target: 'CLAUDE.md',
      targets: ['CLAUDE.md'],
      owners: [],
      author: '@carol',
      created: '2026-12-06T00:00:00Z',
      sha256: {},
      section: 'Rules',
      rule: '- New rule.',
      supersedes: 'P-1',
    };
    const [c] = proposalChanges(p, () => `## Rules\n\n${rule}\n`);
    assert.equal(c?.after, `## Rules\n\n${markerLines('P-2', '- New rule.').join('\n')}\n`);
  });
});
