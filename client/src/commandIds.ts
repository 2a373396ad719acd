// The ids and titles of the extension's commands (package.json `contributes.commands` must list exactly these; a
// test checks). No `vscode` import, so the test can read it under plain Node.

export const CATEGORY = 'Flywheel';

export const COMMAND_TITLES = {
  'flywheel.restart': 'Restart the Language Server',
  'flywheel.revalidate': 'Re-check the Workspace',
  'flywheel.showOutput': 'Show Output',
  'flywheel.showOwners': 'Show Owners of the Current File',
  'flywheel.showEffectivePolicy': 'Show the Effective Policy',
  'flywheel.openRuleDocs': 'Open Rule Documentation…',
  'flywheel.openPolicy': 'Open the Policy',
  'flywheel.captureSignal': 'Capture Signal',
  'flywheel.logIncident': 'Log Incident',
  'flywheel.draftProposalFromSignal': 'Draft Proposal from Signal',
  'flywheel.openProposal': 'Open Proposal…',
  'flywheel.ratifyProposal': 'Ratify Proposal',
  'flywheel.rejectProposal': 'Reject Proposal',
  'flywheel.applyProposal': 'Apply Proposal',
  'flywheel.proposeFix': 'Propose a Fix to the Owners',
  'flywheel.acceptCandidate': 'Accept Session Candidate as Signal',
  'flywheel.dismissCandidate': 'Dismiss Session Candidate',
  'flywheel.refreshGovernance': 'Refresh the Governance View',
  'flywheel.showGovernance': 'Show the Governance View',
  'flywheel.showReport': 'Show Report',
  'flywheel.useGitHubIdentity': 'Use My GitHub Identity',
  'flywheel.useGitIdentity': 'Use My Git Identity',
} as const;

export type CommandId = keyof typeof COMMAND_TITLES;
