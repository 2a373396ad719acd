// The flywheel in the editor: capture, the Governance view, the proposal page and the decisions. Thin: every answer
// (groups, counts, who may ratify, the diff, refusals) comes from the server's `flywheel/*` requests; this file
// only asks the person and shows what the server says.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CandidateActionRequest,
  CaptureSignalRequest,
  DecideRequest,
  DraftProposalRequest,
  ListProposalsRequest,
  ListSignalsRequest,
  ProposalDetailsRequest,
  SessionCandidatesRequest,
  type CaptureSignalParams,
  type FlywheelError,
  type ProposalDetails,
  type ProposalInfo,
  type SessionCandidateInfo,
  type SignalGroupInfo,
} from '../../server/src/lsp/protocol';
import {
  agentOfPath,
  captureAsSignalPreset,
  captureParams,
  CONVENTION_FILE,
  proposeRulePreset,
  type CaptureContext,
} from './capture-requests';

/** The seed's kinds, each with its one-line explanation. */
export const SIGNAL_KINDS = [
  {
    kind: 'context-gap',
    detail: 'The agent did not know something it needed (a convention, a command, where things live).',
  },
  { kind: 'instruction-gap', detail: 'The instructions were missing, unclear or contradictory, so the agent guessed.' },
  { kind: 'workflow-pattern', detail: 'A recurring way of working that should become a command, playbook or hook.' },
  { kind: 'failure', detail: 'The agent did harm or nearly did (a bad change, a risky command, a broken build).' },
] as const;

export { agentOfPath, CONVENTION_FILE, type CaptureContext };

type Client = () => LanguageClient | undefined;

function need(client: Client): LanguageClient {
  const c = client();
  if (!c) throw new Error('the Governance Flywheel language server is not running');
  return c;
}

function uriParam(c: LanguageClient): { uri?: string } {
  const u = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return u ? { uri: c.code2ProtocolConverter.asUri(u) } : {};
}

function refused(e: FlywheelError): void {
  void vscode.window.showWarningMessage(`Flywheel: refused (${e.code}): ${e.message}`);
}

function editorContext(): CaptureContext {
  const ed = vscode.window.activeTextEditor;
  if (!ed || ed.document.uri.scheme !== 'file') return {};
  const rel = vscode.workspace.asRelativePath(ed.document.uri, false);
  const sel = ed.selection;
  const line = sel.start.line + 1;
  const file = sel.isEmpty ? `${rel}:${line}` : `${rel}:${line}`;
  const text = sel.isEmpty ? '' : ed.document.getText(sel).replace(/\s+/g, ' ').trim().slice(0, 120);
  const agent = agentOfPath(rel);
  return { file, ...(text ? { summary: text } : {}), ...(agent ? { agent } : {}) };
}

/**
 * `Flywheel: Capture Signal` — at most five steps: kind, summary, root cause (optional), suggested change
 * (optional), and for an incident severity and owner. Enter on an empty optional step skips it.
 */
export async function captureSignal(
  client: Client,
  preset: CaptureContext & { kind?: string; incident?: boolean } = {},
): Promise<string | undefined> {
  const c = need(client);
  const ctx = { ...editorContext(), ...preset };
  const total = preset.incident ? 5 : 4;
  let kind = preset.incident ? 'failure' : preset.kind;
  let step = 1;
  if (!kind) {
    const pick = await vscode.window.showQuickPick(
      SIGNAL_KINDS.map((k) => ({ label: k.kind, detail: k.detail })),
      { title: `Capture Signal (${step}/${total}): what kind of lesson?`, matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    kind = pick.label;
  }
  step++;
  const summary = await vscode.window.showInputBox({
    title: `${preset.incident ? 'Log Incident' : 'Capture Signal'} (${step}/${total}): what happened, in one line`,
    value: ctx.summary ?? '',
    prompt: ctx.file ? `Related file: ${ctx.file}${ctx.agent ? ` (${ctx.agent})` : ''}` : undefined,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A summary is needed'),
  });
  if (summary === undefined) return undefined;
  step++;
  const rootCause = await vscode.window.showInputBox({
    title: `${preset.incident ? 'Log Incident' : 'Capture Signal'} (${step}/${total}): root cause${preset.incident ? '' : ' (optional, Enter to skip)'}`,
    ignoreFocusOut: true,
    validateInput: (v) => (preset.incident && !v.trim() ? 'An incident needs a root cause' : undefined),
  });
  if (rootCause === undefined) return undefined;
  let incident: CaptureSignalParams['incident'];
  let suggest: string | undefined;
  if (preset.incident) {
    step++;
    const sev = await vscode.window.showQuickPick(['low', 'medium', 'high', 'critical'], {
      title: `Log Incident (${step}/${total}): severity`,
      ignoreFocusOut: true,
    });
    if (!sev) return undefined;
    step++;
    const owner = await vscode.window.showInputBox({
      title: `Log Incident (${step}/${total}): the incident owner (@handle or email)`,
      ignoreFocusOut: true,
      validateInput: (v) => (/^@\S+$|^\S+@\S+$/.test(v.trim()) ? undefined : 'A handle (@name) or an email'),
    });
    if (!owner) return undefined;
    incident = { severity: sev, owner: owner.trim() };
  } else {
    step++;
    suggest = await vscode.window.showInputBox({
      title: `Capture Signal (${step}/${total}): the change you suggest, e.g. the rule to add (optional, Enter to skip)`,
      ignoreFocusOut: true,
    });
    if (suggest === undefined) return undefined;
  }
  const params = captureParams(
    ctx,
    { kind, summary, rootCause, ...(suggest !== undefined ? { suggest } : {}), ...(incident ? { incident } : {}) },
    uriParam(c).uri,
  );
  const r = await c.sendRequest(CaptureSignalRequest.type, params);
  if (r.error) {
    refused(r.error);
    return undefined;
  }
  const notice = r.redacted.length
    ? ` Redacted ${r.redacted.length} secret${r.redacted.length > 1 ? 's' : ''} (${[...new Set(r.redacted.map((x) => `${x.kind} in ${x.field}`))].join(', ')}) before saving.`
    : '';
  const propose = 'Draft Proposal';
  const open = 'Open';
  void vscode.window
    .showInformationMessage(`Flywheel: captured ${r.id}.${notice}`, propose, open)
    .then(async (pick) => {
      if (pick === propose && r.id) await draftFromSignal(client, r.id);
      if (pick === open && r.uri) await vscode.window.showTextDocument(c.protocol2CodeConverter.asUri(r.uri));
    });
  return r.id;
}

/**
 * `Flywheel: Draft Proposal from Signal`: the engine routes it (target, owners, the diff). Asked: the rule to add
 * (Enter: the signal's suggested change) and, optionally, a Managed deny rule — the seed's second proposal (a
 * destructive command the agents must never run), routed to the Managed source's owners. Given `ruleText` (another
 * entry point that knows the rule), nothing is asked and the deny rules are `deny`.
 */
export async function draftFromSignal(
  client: Client,
  signalId?: string,
  ruleText?: string,
  deny?: string[],
): Promise<string[] | undefined> {
  const c = need(client);
  let id = signalId;
  if (!id) {
    const list = await c.sendRequest(ListSignalsRequest.type, uriParam(c));
    const pick = await vscode.window.showQuickPick(
      list.groups.map((g) => ({ label: g.id, description: `${g.kind} ×${g.count}`, detail: g.summary })),
      { title: 'Draft Proposal from Signal', matchOnDescription: true, matchOnDetail: true },
    );
    if (!pick) return undefined;
    id = pick.label;
  }
  const text =
    ruleText ??
    (await vscode.window.showInputBox({
      title: "Draft Proposal (1/2): the rule to add (Enter: the signal's suggested change)",
      ignoreFocusOut: true,
    }));
  if (text === undefined) return undefined;
  let denyRules = deny ?? [];
  if (ruleText === undefined && deny === undefined) {
    const d = await vscode.window.showInputBox({
      title: 'Draft Proposal (2/2): a Managed deny rule too (optional, Enter to skip)',
      placeHolder: 'e.g. Bash(migrate --destructive *) — drafted as a second proposal for the Managed source',
      ignoreFocusOut: true,
      validateInput: (v) =>
        !v.trim() || /^[A-Z][A-Za-z]*(\(.*\))?$|^mcp__\S+$/.test(v.trim())
          ? undefined
          : 'A permission rule: Tool or Tool(specifier), e.g. Bash(migrate --destructive *)',
    });
    if (d === undefined) return undefined;
    denyRules = d.trim() ? [d.trim()] : [];
  }
  const r = await c.sendRequest(DraftProposalRequest.type, {
    ...uriParam(c),
    signals: [id],
    ...(text.trim() ? { text: text.trim() } : {}),
    ...(denyRules.length ? { deny: denyRules } : {}),
  });
  if (r.error) {
    refused(r.error);
    return undefined;
  }
  for (const p of r.proposals)
    void vscode.window.showInformationMessage(
      `Flywheel: drafted ${p.id} (${p.route} → ${p.target}), awaiting ${p.owners.join(' ') || 'no owner'}`,
    );
  const first = r.proposals[0];
  if (first) await ProposalPage.show(client, first.id);
  return r.proposals.map((p) => p.id);
}

async function pickProposal(
  c: LanguageClient,
  title: string,
  filter: (p: ProposalInfo) => boolean,
): Promise<string | undefined> {
  const list = await c.sendRequest(ListProposalsRequest.type, uriParam(c));
  const pick = await vscode.window.showQuickPick(
    list.proposals.filter(filter).map((p) => ({
      label: p.id,
      description: `${p.status}${p.awaitingMe ? ' · awaiting you' : ''}`,
      detail: `${p.route} → ${p.target} · ${p.title ?? ''}`,
    })),
    { title, matchOnDetail: true },
  );
  return pick?.label;
}

function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'proposalId' in arg && typeof arg.proposalId === 'string') {
    return arg.proposalId;
  }
  return undefined;
}

/** `Flywheel: Ratify|Reject|Apply Proposal`: the server checks everything; a refusal is shown as it says it. */
export async function decide(client: Client, action: 'ratify' | 'reject' | 'apply', arg?: unknown): Promise<boolean> {
  const c = need(client);
  const id =
    idOf(arg) ??
    (await pickProposal(c, `${action[0]!.toUpperCase()}${action.slice(1)} Proposal`, (p) =>
      action === 'apply' ? p.status === 'ratified' : p.status === 'proposed',
    ));
  if (!id) return false;
  let reason: string | undefined;
  if (action === 'reject') {
    reason = await vscode.window.showInputBox({
      title: `Reject ${id}: why?`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A reason is recorded with the rejection'),
    });
    if (!reason) return false;
  }
  const r = await c.sendRequest(DecideRequest.type, { ...uriParam(c), id, action, ...(reason ? { reason } : {}) });
  if (r.error) {
    refused(r.error);
    return false;
  }
  const done = action === 'ratify' ? 'ratified' : action === 'reject' ? 'rejected' : 'applied';
  void vscode.window.showInformationMessage(
    `Flywheel: ${id} ${r.changed ? done : `already ${done}`}${r.written?.length ? ` (${r.written.join(', ')})` : ''}`,
  );
  ProposalPage.refreshAll();
  GovernanceTree.current?.refresh();
  return true;
}

// ---- The Governance view ----

type Node =
  | { type: 'section'; id: 'awaiting' | 'proposals' | 'signals' | 'sessions' | 'findings'; label: string }
  | { type: 'status'; status: string; items: ProposalInfo[] }
  | { type: 'proposal'; p: ProposalInfo }
  | { type: 'kind'; kind: string; groups: SignalGroupInfo[] }
  | { type: 'signal'; g: SignalGroupInfo }
  | { type: 'candidate'; c: SessionCandidateInfo }
  | { type: 'surface'; surface: string; items: [vscode.Uri, vscode.Diagnostic][] }
  | { type: 'finding'; uri: vscode.Uri; d: vscode.Diagnostic }
  | { type: 'note'; label: string };

export class GovernanceTree implements vscode.TreeDataProvider<Node> {
  static current: GovernanceTree | undefined;
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private proposals: ProposalInfo[] | undefined;

  constructor(private readonly client: Client) {
    GovernanceTree.current = this;
  }

  private pending: ReturnType<typeof setTimeout> | undefined;

  /** Re-read everything (coalesced: a checkout changes many files at once). */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.proposals = undefined;
      this.emitter.fire(undefined);
    }, 100);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const c = this.client();
    switch (n.type) {
      case 'section': {
        const t = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.Expanded);
        t.contextValue = `flywheel.section.${n.id}`;
        return t;
      }
      case 'status':
        return new vscode.TreeItem(`${n.status} (${n.items.length})`, vscode.TreeItemCollapsibleState.Collapsed);
      case 'proposal': {
        const t = new vscode.TreeItem(n.p.title ?? n.p.id, vscode.TreeItemCollapsibleState.None);
        t.description = `${n.p.status} · ${n.p.route} → ${n.p.target}`;
        t.tooltip = `${n.p.id}\nowners: ${n.p.owners.join(' ') || '(none)'}\nauthor: ${n.p.author}`;
        t.iconPath = new vscode.ThemeIcon(n.p.awaitingMe ? 'bell-dot' : 'git-pull-request');
        t.contextValue = `flywheel.proposal.${n.p.status}${n.p.awaitingMe ? '.awaiting' : ''}`;
        t.command = { command: 'flywheel.openProposal', title: 'Open Proposal', arguments: [n.p.id] };
        return t;
      }
      case 'kind': {
        const count = n.groups.reduce((s, g) => s + g.count, 0);
        return new vscode.TreeItem(`${n.kind} (${count})`, vscode.TreeItemCollapsibleState.Collapsed);
      }
      case 'signal': {
        const t = new vscode.TreeItem(n.g.summary, vscode.TreeItemCollapsibleState.None);
        t.description = `×${n.g.count}${n.g.proposals.length ? ` → ${n.g.proposals.length} proposal${n.g.proposals.length > 1 ? 's' : ''}` : ''}`;
        t.tooltip = `${n.g.id}${n.g.rootCause ? `\nroot cause: ${n.g.rootCause}` : ''}`;
        t.iconPath = new vscode.ThemeIcon('pulse');
        t.contextValue = 'flywheel.signal';
        if (c)
          t.command = { command: 'vscode.open', title: 'Open', arguments: [c.protocol2CodeConverter.asUri(n.g.uri)] };
        return t;
      }
      case 'candidate': {
        const t = new vscode.TreeItem(n.c.summary, vscode.TreeItemCollapsibleState.None);
        t.description = `${n.c.kind} · ${n.c.agent} ×${n.c.count}${n.c.accepted ? ` · accepted ×${n.c.accepted}` : ''}`;
        t.tooltip = `${n.c.why}\n${n.c.evidence.map((e) => `${e.file}:${e.line} ${e.excerpt}`).join('\n')}`;
        t.iconPath = new vscode.ThemeIcon('comment-discussion');
        t.contextValue = 'flywheel.candidate';
        return t;
      }
      case 'surface':
        return new vscode.TreeItem(`${n.surface} (${n.items.length})`, vscode.TreeItemCollapsibleState.Collapsed);
      case 'finding': {
        const t = new vscode.TreeItem(n.d.message.split('. ')[0] ?? n.d.message, vscode.TreeItemCollapsibleState.None);
        t.description = `${vscode.workspace.asRelativePath(n.uri)}:${n.d.range.start.line + 1}`;
        t.tooltip = n.d.message;
        t.iconPath = new vscode.ThemeIcon(
          n.d.severity === vscode.DiagnosticSeverity.Error
            ? 'error'
            : n.d.severity === vscode.DiagnosticSeverity.Warning
              ? 'warning'
              : 'info',
        );
        t.command = { command: 'vscode.open', title: 'Open', arguments: [n.uri, { selection: n.d.range }] };
        t.contextValue = 'flywheel.finding';
        return t;
      }
      case 'note':
        return new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
    }
  }

  async getChildren(n?: Node): Promise<Node[]> {
    const c = this.client();
    if (!n) {
      if (!c) return [{ type: 'note', label: 'The language server is not running.' }];
      return [
        { type: 'section', id: 'awaiting', label: 'Awaiting my ratification' },
        { type: 'section', id: 'proposals', label: 'Proposals' },
        { type: 'section', id: 'signals', label: 'Signals' },
        { type: 'section', id: 'sessions', label: 'From agent sessions' },
        { type: 'section', id: 'findings', label: 'Findings' },
      ];
    }
    if (!c) return [];
    switch (n.type) {
      case 'section':
        return this.section(c, n.id);
      case 'status':
        return n.items.map((p) => ({ type: 'proposal', p }));
      case 'kind':
        return n.groups.map((g) => ({ type: 'signal', g }));
      case 'surface':
        return n.items.map(([uri, d]) => ({ type: 'finding', uri, d }));
      default:
        return [];
    }
  }

  private async section(c: LanguageClient, id: string): Promise<Node[]> {
    const p = uriParam(c);
    if (id === 'awaiting' || id === 'proposals') {
      this.proposals ??= (await c.sendRequest(ListProposalsRequest.type, p)).proposals;
      if (id === 'awaiting') {
        const mine = this.proposals.filter((x) => x.awaitingMe);
        return mine.length
          ? mine.map((x) => ({ type: 'proposal', p: x }))
          : [{ type: 'note', label: 'Nothing awaits you.' }];
      }
      const by = new Map<string, ProposalInfo[]>();
      for (const x of this.proposals) by.set(x.status, [...(by.get(x.status) ?? []), x]);
      return by.size
        ? [...by].map(([status, items]) => ({ type: 'status', status, items }))
        : [{ type: 'note', label: 'No proposals.' }];
    }
    if (id === 'signals') {
      const r = await c.sendRequest(ListSignalsRequest.type, p);
      const by = new Map<string, SignalGroupInfo[]>();
      for (const g of r.groups) by.set(g.kind, [...(by.get(g.kind) ?? []), g]);
      return by.size
        ? [...by].map(([kind, groups]) => ({ type: 'kind', kind, groups }))
        : [{ type: 'note', label: 'No signals. Flywheel: Capture Signal adds one.' }];
    }
    if (id === 'sessions') {
      const r = await c.sendRequest(SessionCandidatesRequest.type, p);
      if (!r.enabled) return [{ type: 'note', label: 'Off (flywheel.sessionSignals).' }];
      const list: Node[] = r.candidates.map((x) => ({ type: 'candidate', c: x }));
      return list.length
        ? list
        : [{ type: 'note', label: `No candidates${r.dismissed ? ` (${r.dismissed} dismissed)` : ''}.` }];
    }
    const by = new Map<string, [vscode.Uri, vscode.Diagnostic][]>();
    for (const [uri, ds] of vscode.languages.getDiagnostics()) {
      for (const d of ds) {
        if (d.source !== 'flywheel') continue;
        const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
        const surface = code.split('/')[0] || 'other';
        by.set(surface, [...(by.get(surface) ?? []), [uri, d]]);
      }
    }
    return by.size
      ? [...by].sort().map(([surface, items]) => ({ type: 'surface', surface, items }))
      : [{ type: 'note', label: 'No findings.' }];
  }
}

export async function candidateAction(client: Client, action: 'accept' | 'dismiss', arg: unknown): Promise<void> {
  const c = need(client);
  const fp =
    arg && typeof arg === 'object' && 'c' in arg
      ? (arg as { c: SessionCandidateInfo }).c.fingerprint
      : typeof arg === 'string'
        ? arg
        : undefined;
  if (!fp) return;
  const r = await c.sendRequest(CandidateActionRequest.type, { ...uriParam(c), action, fingerprints: [fp] });
  if (r.error) refused(r.error);
  else if (action === 'accept')
    void vscode.window.showInformationMessage(`Flywheel: accepted as ${r.accepted.map((a) => a.path).join(', ')}`);
  GovernanceTree.current?.refresh();
}

// ---- The proposal page ----

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function nonce(): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'.charAt(Math.floor(Math.random() * 36));
  return s;
}

export function proposalHtml(d: ProposalDetails, cspSource: string, n: string): string {
  const p = d.proposal;
  const title = p ? esc(p.title ?? p.id) : 'Proposal';
  const diff = d.diff
    .split('\n')
    .map(
      (l) =>
        `<span class="${l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : ''}">${esc(l)}</span>`,
    )
    .join('\n');
  const button = (action: string, label: string, perm: { allowed: boolean; reason: string }) =>
    `<button data-action="${action}" ${perm.allowed ? '' : 'disabled aria-disabled="true"'} title="${esc(perm.reason)}">${label}</button><span class="why">${esc(perm.reason)}</span>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${n}'; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style nonce="${n}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1.5em 2em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; border-bottom: 1px solid var(--vscode-panel-border); }
pre { background: var(--vscode-textCodeBlock-background); padding: .8em; overflow-x: auto; font-family: var(--vscode-editor-font-family); }
.add { color: var(--vscode-gitDecoration-addedResourceForeground); } .del { color: var(--vscode-gitDecoration-deletedResourceForeground); }
.hunk { color: var(--vscode-descriptionForeground); } .why { color: var(--vscode-descriptionForeground); margin: 0 1.2em 0 .5em; font-size: .9em; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: .4em 1em; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; } button:focus-visible { outline: 2px solid var(--vscode-focusBorder); }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: .3em; margin: 1em 0; }
table { border-collapse: collapse; } td, th { padding: .2em .8em .2em 0; text-align: left; }
</style></head>
<body>
${d.error ? `<p role="alert">${esc(d.error.message)}</p>` : ''}
${
  p
    ? `<h1>${title}</h1>
<p><strong>${esc(p.id)}</strong> · ${esc(p.status)} · ${esc(p.route)} → <code>${esc(p.targets.join(', '))}</code></p>
<p>Owners: ${esc(d.owners.join(' ') || '(none)')} · author ${esc(p.author)} · you: ${esc(d.me.handle ?? d.me.email ?? 'no git identity')} (${esc(d.me.source)})</p>
<div class="actions" role="toolbar" aria-label="Decisions">
${button('ratify', 'Ratify', d.may.ratify)}${button('reject', 'Reject…', d.may.reject)}${button('apply', 'Apply', d.may.apply)}
</div>
<h2>Rationale</h2><pre>${esc(d.rationale)}</pre>
<h2>Signals</h2><ul>${d.signals.map((s) => `<li>${esc(s.kind)} ×${s.count}: ${esc(s.summary)} <code>${esc(s.id)}</code></li>`).join('')}</ul>
<h2>The change</h2>${d.diffProblem ? `<p>${esc(d.diffProblem)}</p>` : ''}<pre aria-label="unified diff">${diff}</pre>
<h2>History</h2><table><thead><tr><th>When</th><th>What</th><th>Who</th><th>Why</th></tr></thead><tbody>
${d.history.map((e) => `<tr><td>${esc(e.time)}</td><td>${esc(e.action)}</td><td>${esc(e.actor)}</td><td>${esc(e.reason ?? '')}</td></tr>`).join('')}
</tbody></table>
${d.ledgerProblems.length ? `<p role="alert">Ledger: ${esc(d.ledgerProblems.join('; '))}</p>` : ''}`
    : ''
}
<script nonce="${n}">
const vscode = acquireVsCodeApi();
for (const b of document.querySelectorAll('button[data-action]')) b.addEventListener('click', () => vscode.postMessage({ action: b.dataset.action }));
</script>
</body></html>`;
}

export class ProposalPage {
  private static readonly pages = new Map<string, ProposalPage>();
  private details: ProposalDetails | undefined;

  private constructor(
    private readonly client: Client,
    private readonly id: string,
    private readonly panel: vscode.WebviewPanel,
  ) {
    panel.onDidDispose(() => ProposalPage.pages.delete(id));
    panel.webview.onDidReceiveMessage(async (m: { action?: string }) => {
      if (m.action === 'ratify' || m.action === 'reject' || m.action === 'apply') {
        await decide(client, m.action, id);
      }
    });
  }

  static async show(client: Client, id: string): Promise<ProposalPage> {
    let page = ProposalPage.pages.get(id);
    if (!page) {
      const panel = vscode.window.createWebviewPanel('flywheel.proposal', `Proposal ${id}`, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
      });
      page = new ProposalPage(client, id, panel);
      ProposalPage.pages.set(id, page);
    } else page.panel.reveal();
    await page.render();
    return page;
  }

  static refreshAll(): void {
    for (const p of ProposalPage.pages.values()) void p.render();
  }

  /** The last details shown (the editor tests read the permissions from it). */
  get shown(): ProposalDetails | undefined {
    return this.details;
  }

  async render(): Promise<void> {
    const c = need(this.client);
    const next = await c.sendRequest(ProposalDetailsRequest.type, { ...uriParam(c), id: this.id });
    // Unchanged (a status notification after an unrelated check): keep the page as it is, focus included.
    if (this.details && JSON.stringify(next) === JSON.stringify(this.details)) return;
    this.details = next;
    this.panel.title = `Proposal: ${next.proposal?.title ?? this.id}`;
    this.panel.webview.html = proposalHtml(next, this.panel.webview.cspSource, nonce());
  }
}

/** Code actions: "Capture as signal…" on any flywheel finding, "Propose a rule…" on selected text of a convention file. */
export class CaptureActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Refactor];

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range,
    ctx: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const rel = vscode.workspace.asRelativePath(doc.uri, false);
    for (const d of ctx.diagnostics) {
      if (d.source !== 'flywheel') continue;
      const a = new vscode.CodeAction('Capture as signal…', vscode.CodeActionKind.QuickFix);
      a.diagnostics = [d];
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
      a.command = {
        command: 'flywheel.captureSignal',
        title: 'Capture as signal…',
        arguments: [captureAsSignalPreset({ code, message: d.message, line: d.range.start.line }, rel)],
      };
      out.push(a);
    }
    if (!range.isEmpty && CONVENTION_FILE.test(doc.uri.fsPath)) {
      const a = new vscode.CodeAction('Propose a rule…', vscode.CodeActionKind.Refactor);
      a.command = {
        command: 'flywheel.captureSignal',
        title: 'Propose a rule…',
        arguments: [proposeRulePreset(doc.getText(range), rel, range.start.line)],
      };
      out.push(a);
    }
    return out;
  }
}

/** The ProposalActions seam's command: an owned file's quick fix becomes a signal and a proposal to its owners. */
export async function proposeFix(client: Client, arg: unknown): Promise<string[] | undefined> {
  const c = need(client);
  const a = (arg ?? {}) as {
    file?: string;
    line?: number;
    ruleId?: string;
    message?: string;
    uri?: string;
    route?: string;
    target?: string;
    text?: string;
    deny?: string[];
    json?: { path: string[]; value: unknown; arrayInsert?: boolean };
  };
  if (!a.file || !a.message || !a.route) return undefined;
  const where = a.uri ? { uri: a.uri } : uriParam(c);
  const cap = await c.sendRequest(CaptureSignalRequest.type, {
    ...where,
    kind: a.route === 'managed-deny' || a.route === 'registry' ? 'failure' : 'instruction-gap',
    summary: `${a.ruleId ?? 'flywheel'}: ${a.message.split('. ')[0] ?? a.message}`.slice(0, 200),
    files: [`${a.file}:${a.line ?? 1}`],
    ...(a.text ? { suggest: a.text } : {}),
    source: 'quick-fix',
  });
  if (cap.error || !cap.id) {
    if (cap.error) refused(cap.error);
    return undefined;
  }
  const r = await c.sendRequest(DraftProposalRequest.type, {
    ...where,
    signals: [cap.id],
    route: a.route,
    ...(a.target ? { target: a.target } : {}),
    ...(a.text ? { text: a.text } : {}),
    ...(a.deny?.length ? { deny: a.deny } : {}),
    ...(a.json ? { json: a.json } : {}),
  });
  if (r.error) {
    refused(r.error);
    return undefined;
  }
  const first = r.proposals[0];
  if (first) await ProposalPage.show(client, first.id);
  return r.proposals.map((p) => p.id);
}
