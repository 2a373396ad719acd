// The flywheel loop in a real VS Code, on a copy of examples/acme-monorepo: capture a signal, draft a proposal from
// it (the command), open its page, ratify it as the owner and apply it (the commands, as the keyboard and the page's
// buttons run them); the target file changes. Each person is git's identity (user.email), as on their machine.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FlywheelApi } from '../../../client/src/extension';
// By method name: the suite's bundle has its own copy of the protocol classes.
import {
  CaptureSignalRequest,
  ListProposalsRequest,
  ProposalDetailsRequest,
  type CaptureSignalResult,
  type ListProposalsResult,
  type ProposalDetails,
} from '../../../server/src/lsp/protocol';

const EXTENSION_ID = 'governance-flywheel.governance-flywheel';

function as(email: string): void {
  const file = process.env.FLYWHEEL_E2E_GITCONFIG;
  assert.ok(file, 'FLYWHEEL_E2E_GITCONFIG is set by test/e2e/run.mjs');
  fs.writeFileSync(file, `[user]\n\temail = ${email}\n`);
}

export function flywheelTests(): void {
  describe('the flywheel loop in VS Code', () => {
    let api: FlywheelApi;
    let signal = '';
    let proposal = '';

    before(async () => {
      api = await vscode.extensions.getExtension<FlywheelApi>(EXTENSION_ID)!.activate();
    });

    it('captures a signal (the Capture Signal request) and drafts a proposal from it (the command)', async () => {
      as('frank@acme.example');
      const client = api.client!;
      const r = await client.sendRequest<CaptureSignalResult>(CaptureSignalRequest.method, {
        kind: 'failure',
        summary: 'Agent ran a destructive migration without a rollback plan',
        rootCause: 'The payments instructions do not require a rollback plan',
        agent: 'claude',
        files: ['services/payments/CLAUDE.md:1'],
      });
      assert.equal(r.error, undefined, JSON.stringify(r.error));
      signal = r.id!;
      const ids = await vscode.commands.executeCommand<string[]>(
        'flywheel.draftProposalFromSignal',
        signal,
        '- Every migration ships with a rollback plan.',
      );
      assert.ok(ids?.length, 'a proposal was drafted');
      proposal = ids[0]!;
    });

    it('shows it to its owner as awaiting ratification, with the page saying the owner may ratify', async () => {
      as('dana@acme.example');
      const list = await api.client!.sendRequest<ListProposalsResult>(ListProposalsRequest.method, {});
      assert.equal(list.proposals[0]?.id, proposal);
      assert.equal(list.proposals[0]?.awaitingMe, true);
      await vscode.commands.executeCommand('flywheel.openProposal', proposal);
      const d = await api.client!.sendRequest<ProposalDetails>(ProposalDetailsRequest.method, { id: proposal });
      assert.equal(d.may.ratify.allowed, true, d.may.ratify.reason);
      assert.match(d.diff, /\+- Every migration ships with a rollback plan\./);
    });

    it('ratifies and applies it through the commands: the target file changes', async () => {
      const target = (await api.client!.sendRequest<ProposalDetails>(ProposalDetailsRequest.method, { id: proposal }))
        .proposal!.target;
      const [uri] = await vscode.workspace.findFiles(target, undefined, 1);
      assert.ok(uri, target);
      assert.equal(await vscode.commands.executeCommand('flywheel.ratifyProposal', proposal), true);
      assert.equal(await vscode.commands.executeCommand('flywheel.applyProposal', proposal), true);
      assert.match(fs.readFileSync(uri.fsPath, 'utf8'), /Every migration ships with a rollback plan\./);
      const d = await api.client!.sendRequest<ProposalDetails>(ProposalDetailsRequest.method, { id: proposal });
      assert.deepEqual(
        d.history.map((e) => e.action),
        ['drafted', 'proposed', 'ratified', 'applied'],
      );
    });
  });
}
