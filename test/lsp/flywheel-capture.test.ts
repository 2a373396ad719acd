// Capture from the editor, over stdio, with the requests the extension sends (client/src/capture-requests.ts builds
// them, as the commands do): "Capture as signal…" on a live finding the server published, Log Incident, and
// "Propose a rule…" on text selected in a convention file, then the proposal drafted from it — and Draft Proposal
// from Signal with a Managed deny rule too (the seed's two proposals). Each ends in the signal or proposal file.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { captureAsSignalPreset, captureParams, proposeRulePreset } from '../../client/src/capture-requests';
import { parseSignal } from '../../server/src/engine/flywheel/signal';
import { CaptureSignalRequest, DraftProposalRequest, ListSignalsRequest } from '../../server/src/lsp/protocol';
import { freshRepo, git, PEOPLE, read, SCENARIO_FILES } from '../flywheel/harness';
import { Harness } from './harness';

const MANAGED = '.governance/managed/claude-managed-settings.json';
const CONVENTIONS = 'services/billing/CLAUDE.md';

describe('capture from the editor: code actions and commands → flywheel/captureSignal → the signal file', () => {
  // A project allow rule that bypasses the Managed deny rule: a live permissions/coverage-gap finding.
  const ws = freshRepo({
    ...SCENARIO_FILES,
    '.claude/settings.json': '{\n  "permissions": {\n    "allow": ["Bash(*)"]\n  }\n}\n',
  });
  const dir = fs.realpathSync(ws.dir);
  let h: Harness;

  before(async () => {
    git(dir, ['config', 'user.email', PEOPLE.carol]);
    h = await Harness.start({ root: dir, env: { GIT_AUTHOR_EMAIL: '' } });
    await h.waitForReady();
  });
  after(async () => {
    await h.stop();
    ws.cleanup();
  });

  const signalOf = (rel: string) => {
    const p = parseSignal(read(dir, rel));
    assert.ok(p.ok, rel);
    return p.signal;
  };

  it('"Capture as signal…" on a live finding captures it with its rule, file and line', async () => {
    const [d] = await h.waitForDiagnostics(MANAGED, (ds) => ds.some((x) => x.code === 'permissions/coverage-gap'));
    assert.ok(d);
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    const preset = captureAsSignalPreset({ code: String(d.code), message, line: d.range.start.line }, MANAGED);
    assert.equal(preset.file, `${MANAGED}:${d.range.start.line + 1}`);
    // The person picks the kind and keeps the prefilled summary; the optional steps are skipped (Enter).
    const r = await h.conn.sendRequest(
      CaptureSignalRequest.type,
      captureParams(preset, { kind: 'failure', summary: preset.summary!, rootCause: '', suggest: '' }),
    );
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.deepEqual(r.redacted, []);
    const s = signalOf(r.path!);
    assert.equal(s.kind, 'failure');
    assert.match(s.summary, /^permissions\/coverage-gap: Deny rule Bash\(rm -rf \*\)/);
    assert.deepEqual(s.files, [{ path: MANAGED, line: d.range.start.line + 1 }]);
    assert.equal(s.capturedBy, '@carol');
    assert.equal(s.source, 'editor');
    assert.equal(s.rootCause, undefined);
  });

  it('Log Incident: a failure with severity, owner and root cause; a secret in it is redacted and reported', async () => {
    const r = await h.conn.sendRequest(
      CaptureSignalRequest.type,
      captureParams(
        { file: 'services/billing/migrations/0042_drop_invoices.sql:1' },
        {
          kind: 'failure',
          summary: 'Agent dropped the invoices table in staging',
          rootCause: 'It used the token ghp_1234567890abcdefghijABCDEFGHIJ123456 and had no rollback plan',
          incident: { severity: 'critical', owner: '@alice' },
        },
      ),
    );
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const text = read(dir, r.path!);
    const s = signalOf(r.path!);
    assert.deepEqual(s.incident, { severity: 'critical', owner: '@alice' });
    assert.equal(s.kind, 'failure');
    assert.ok(
      r.redacted.some((x) => x.field === 'rootCause'),
      JSON.stringify(r.redacted),
    );
    assert.doesNotMatch(text, /ghp_1234567890/);
    // An incident without its owner is refused, nothing written.
    const before = fs.readdirSync(`${dir}/.governance/signals`).length;
    const bad = await h.conn.sendRequest(CaptureSignalRequest.type, {
      kind: 'failure',
      summary: 'x',
      incident: { severity: 'critical', owner: '' },
    });
    assert.equal(bad.error?.code, 'usage');
    assert.equal(fs.readdirSync(`${dir}/.governance/signals`).length, before);
  });

  it('"Propose a rule…" on selected text of a convention file: a context gap, then a convention proposal to that file', async () => {
    const preset = proposeRulePreset('  - Migrations run inside\n  a transaction.  ', CONVENTIONS, 4);
    assert.deepEqual(preset, {
      kind: 'context-gap',
      summary: '- Migrations run inside a transaction.',
      file: `${CONVENTIONS}:5`,
      agent: 'claude',
    });
    const rule = '- Every migration ships with a rollback plan.';
    const r = await h.conn.sendRequest(
      CaptureSignalRequest.type,
      captureParams(preset, { kind: preset.kind, summary: preset.summary, suggest: rule }),
    );
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const s = signalOf(r.path!);
    assert.deepEqual([s.kind, s.agent, s.suggest], ['context-gap', 'claude', rule]);
    // The notification's "Draft Proposal": Enter on the rule step keeps the suggested change; no deny rule.
    const d = await h.conn.sendRequest(DraftProposalRequest.type, { signals: [r.id!] });
    assert.equal(d.error, undefined, JSON.stringify(d.error));
    assert.deepEqual(
      d.proposals.map((p) => [p.route, p.target, p.owners]),
      [['convention', CONVENTIONS, ['@acme/billing-leads']]],
    );
    assert.match(d.proposals[0]!.diff, /\+- Every migration ships with a rollback plan\./);
    assert.ok(fs.existsSync(new URL(d.proposals[0]!.uri)));
    const list = await h.conn.sendRequest(ListSignalsRequest.type, {});
    assert.deepEqual(list.groups.find((g) => g.id === r.id)?.proposals, [d.proposals[0]!.id]);
  });

  it("Draft Proposal from Signal with a Managed deny rule too: both of the seed's proposals", async () => {
    const r = await h.conn.sendRequest(
      CaptureSignalRequest.type,
      captureParams(
        { file: 'services/billing/migrations/0042_drop_invoices.sql:1', agent: 'claude' },
        { kind: 'failure', summary: 'Agent ran a destructive migration without a rollback plan' },
      ),
    );
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const d = await h.conn.sendRequest(DraftProposalRequest.type, {
      signals: [r.id!],
      text: '- Schema migrations include a rollback plan.',
      deny: ['Bash(migrate --destructive *)'],
    });
    assert.equal(d.error, undefined, JSON.stringify(d.error));
    assert.deepEqual(
      d.proposals.map((p) => [p.route, p.target, p.owners]),
      [
        ['convention', CONVENTIONS, ['@acme/billing-leads']],
        ['managed-deny', MANAGED, ['@acme/platform']],
      ],
    );
    assert.match(d.proposals[1]!.diff, /\+.*"Bash\(migrate --destructive \*\)"/);
  });
});
