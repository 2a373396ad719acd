// Proposals: one Markdown file per proposal under `.governance/proposals/<id>.md` — YAML frontmatter (the record)
// and a readable body (rationale, the signals with their count, the exact change as a unified diff). The
// frontmatter holds everything needed to recompute the change at apply time (route, targets, section, rule text,
// deny rules, JSON edit), and the SHA-256 of each target as drafted.
//
// The `status`/`target`/`rule` keys are the contract the conventions surface reads
// (docs/rules/conventions/ratified-rule-missing.md).

import { markerLines, normaliseRuleText } from '../conventions/ratified';
import {
  applyJsonEdit,
  contentHash,
  fromTemplate,
  insertInSection,
  removeJsonArrayValues,
  removeMarkedRule,
  unifiedDiff,
  ChangeError,
  type Change,
  type JsonEdit,
} from './change';
import { parseFrontmatter, renderFrontmatter, str, strList } from './frontmatter';
import { safeId } from './ids';
import { actorName, type Actor } from './identity';
import { ROUTES, type Route } from './policy';
import type { Signal } from './signal';

export const PROPOSAL_DIR = '.governance/proposals';
export const STATUSES = ['draft', 'proposed', 'ratified', 'rejected', 'applied', 'superseded'] as const;
export type ProposalStatus = (typeof STATUSES)[number];

export interface ProposalRecord {
  id: string;
  status: ProposalStatus;
  signals: string[];
  route: Route;
  /** The primary target (root-relative). */
  target: string;
  /** Every file the change touches (the primary first); convention proposals carry each agent's file. */
  targets: string[];
  owners: string[];
  author: string;
  authorEmail?: string;
  created: string;
  /** SHA-256 of each target as drafted (`absent` for a file the proposal creates). */
  sha256: Record<string, string>;
  section?: string;
  /** Convention route: the rule's exact text (the marker's text). */
  rule?: string;
  /** Managed-deny route: the deny rules added to `permissions.deny`. */
  deny?: string[];
  /** Registry / hook routes: the JSON edit to make. */
  json?: JsonEdit;
  /** Command / playbook / other routes: the text placed in the target. */
  text?: string;
  title?: string;
  supersedes?: string;
  /** A retirement: this proposal removes the applied rule of proposal `retires` (its `rule` or `deny` rules) from
   * the same targets; once applied, that proposal is superseded. */
  retires?: string;
  reason?: string;
}

export function proposalPath(id: string): string {
  return `${PROPOSAL_DIR}/${id}.md`;
}

export type ProposalParse =
  { ok: true; proposal: ProposalRecord; body: string } | { ok: false; message: string; line: number };

function lineOf(text: string, key: string): number {
  const m = new RegExp(`^${key}:`, 'm').exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 2;
}

/** Parse a proposal file; never throws. */
export function parseProposalRecord(text: string): ProposalParse {
  const p = parseFrontmatter(text);
  if (!p.ok) return p;
  const d = p.data;
  const id = str(d.id);
  if (!id || !safeId(id)) return { ok: false, message: 'the proposal has no valid `id`', line: lineOf(text, 'id') };
  const status = str(d.status)?.toLowerCase();
  if (!status || !(STATUSES as readonly string[]).includes(status)) {
    return { ok: false, message: `\`status\` must be one of ${STATUSES.join(', ')}`, line: lineOf(text, 'status') };
  }
  const route = str(d.route);
  if (!route || !(ROUTES as readonly string[]).includes(route)) {
    return { ok: false, message: `\`route\` must be one of ${ROUTES.join(', ')}`, line: lineOf(text, 'route') };
  }
  const target = str(d.target)?.replace(/^\.\//, '');
  if (!target) return { ok: false, message: 'the proposal has no `target`', line: lineOf(text, 'target') };
  const targets = strList(d.targets).map((t) => t.replace(/^\.\//, ''));
  const sha: Record<string, string> = {};
  if (d.sha256 && typeof d.sha256 === 'object' && !Array.isArray(d.sha256)) {
    for (const [k, v] of Object.entries(d.sha256 as Record<string, unknown>)) {
      const s = str(v);
      if (s) sha[k] = s;
    }
  } else if (typeof d.sha256 === 'string') sha[target] = d.sha256;
  const author = str(d.author);
  if (!author) return { ok: false, message: 'the proposal has no `author`', line: lineOf(text, 'author') };
  const created = str(d.created);
  if (!created || Number.isNaN(Date.parse(created)))
    return { ok: false, message: '`created` must be an ISO 8601 time', line: lineOf(text, 'created') };
  const rec: ProposalRecord = {
    id,
    status: status as ProposalStatus,
    signals: strList(d.signals),
    route: route as Route,
    target,
    targets: targets.length ? (targets.includes(target) ? targets : [target, ...targets]) : [target],
    owners: strList(d.owners),
    author,
    created,
    sha256: sha,
  };
  const opt = (k: keyof ProposalRecord & string) => {
    const v = str(d[k]);
    if (v !== undefined) (rec as unknown as Record<string, unknown>)[k] = v;
  };
  opt('authorEmail');
  opt('section');
  opt('text');
  opt('title');
  opt('supersedes');
  opt('retires');
  opt('reason');
  const rule = str(d.rule) ?? str(d.ruleText);
  if (rule !== undefined) rec.rule = rule;
  if (d.deny !== undefined) rec.deny = strList(d.deny);
  if (d.json && typeof d.json === 'object' && !Array.isArray(d.json)) {
    const j = d.json as Record<string, unknown>;
    const path = Array.isArray(j.path)
      ? j.path.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number')
      : [];
    if (!path.length)
      return { ok: false, message: '`json.path` must be a non-empty list of keys', line: lineOf(text, 'json') };
    rec.json = { path, value: j.value, ...(j.arrayInsert === true ? { arrayInsert: true, unique: true } : {}) };
  }
  if (rec.route === 'convention' && rec.rule === undefined)
    return { ok: false, message: 'a convention proposal needs its `rule` text', line: 2 };
  if (rec.route === 'managed-deny' && !rec.deny?.length)
    return { ok: false, message: 'a managed-deny proposal needs `deny` rules', line: 2 };
  return { ok: true, proposal: rec, body: p.body };
}

export function renderProposal(p: ProposalRecord, body: string): string {
  const data: Record<string, unknown> = {
    id: p.id,
    status: p.status,
    route: p.route,
    target: p.target,
    targets: p.targets.length > 1 ? p.targets : undefined,
    owners: p.owners,
    author: p.author,
    authorEmail: p.authorEmail,
    created: p.created,
    signals: p.signals,
    sha256: p.sha256,
    section: p.section,
    rule: p.rule,
    deny: p.deny,
    json: p.json
      ? { path: p.json.path, value: p.json.value, ...(p.json.arrayInsert ? { arrayInsert: true } : {}) }
      : undefined,
    title: p.title,
    text: p.text,
    supersedes: p.supersedes,
    retires: p.retires,
    reason: p.reason,
  };
  return renderFrontmatter(data, body);
}

/** Replace the status (and reason) of a proposal file, keeping its body. */
export function withStatus(text: string, status: ProposalStatus, reason?: string): string {
  const p = parseProposalRecord(text);
  if (!p.ok) return text;
  const rec: ProposalRecord = { ...p.proposal, status };
  if (reason !== undefined) rec.reason = reason;
  return renderProposal(rec, p.body);
}

/** The change a proposal makes to each target, computed from the targets' current text (`read` → null when the file
 * does not exist). Throws ChangeError when a target's shape does not allow it. */
export function proposalChanges(p: ProposalRecord, read: (path: string) => string | null): Change[] {
  const out: Change[] = [];
  for (const path of p.targets) {
    const before = read(path);
    let after: string;
    switch (p.route) {
      case 'convention': {
        if (p.retires !== undefined) {
          // A file that is gone has no rule to remove.
          if (before === null) continue;
          after = removeMarkedRule(before, p.retires);
          break;
        }
        const text = normaliseRuleText(p.rule ?? '');
        // A rule that supersedes another replaces its text: the old marked rule goes.
        const cur = p.supersedes !== undefined ? removeMarkedRule(before ?? '', p.supersedes) : (before ?? '');
        // Already there with its marker (applied before, or by hand with the same id): nothing to do.
        if (cur.includes(`<!-- flywheel:rule ${p.id} `)) after = cur;
        else after = insertInSection(cur, p.section, markerLines(p.id, text));
        break;
      }
      case 'managed-deny': {
        if (p.retires !== undefined) {
          if (before === null) continue;
          after = removeJsonArrayValues(before, ['permissions', 'deny'], p.deny ?? []);
          break;
        }
        let cur: string | null = before;
        for (const rule of p.deny ?? [])
          cur = applyJsonEdit(cur, { path: ['permissions', 'deny'], value: rule, arrayInsert: true, unique: true });
        after = cur ?? '{}\n';
        break;
      }
      default: {
        if (p.json) after = applyJsonEdit(before, p.json);
        else if (before === null) {
          const template = p.route === 'command' ? 'Command' : p.route === 'playbook' ? 'Playbook' : '';
          after = fromTemplate(template, { title: p.title ?? p.id, text: p.text ?? '' });
        } else if (/\.json$/i.test(path)) throw new ChangeError(`${path} is JSON: give the JSON edit to make`);
        else if (before.includes(p.text ?? '\u0000')) after = before;
        else after = insertInSection(before, p.section, (p.text ?? '').split('\n'));
      }
    }
    out.push({ path, before, after });
  }
  return out;
}

export interface DraftRequest {
  id: string;
  route: Route;
  signals: readonly Signal[];
  /** How many signals share the group of each signal (recurrence). */
  counts: ReadonlyMap<string, number>;
  target: string;
  targets: readonly string[];
  owners: readonly string[];
  author: Actor;
  now: Date;
  status: 'draft' | 'proposed';
  section?: string;
  rule?: string;
  deny?: readonly string[];
  json?: JsonEdit;
  text?: string;
  title?: string;
  supersedes?: string;
  retires?: string;
  read(path: string): string | null;
}

/** Draft a proposal: the record, the file's text, and the changes (for the diff). Throws ChangeError when the change
 * cannot be made. */
export function draftProposal(r: DraftRequest): { record: ProposalRecord; text: string; changes: Change[] } {
  const targets = [r.target, ...r.targets.filter((t) => t !== r.target)];
  const record: ProposalRecord = {
    id: r.id,
    status: r.status,
    signals: r.signals.map((s) => s.id),
    route: r.route,
    target: r.target,
    targets,
    owners: [...r.owners],
    author: actorName(r.author),
    authorEmail: r.author.email,
    created: r.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sha256: Object.fromEntries(targets.map((t) => [t, contentHash(r.read(t))])),
  };
  if (r.section !== undefined) record.section = r.section;
  if (r.rule !== undefined) record.rule = normaliseRuleText(r.rule);
  if (r.deny !== undefined) record.deny = [...r.deny];
  if (r.json !== undefined) record.json = r.json;
  if (r.text !== undefined) record.text = r.text;
  if (r.title !== undefined) record.title = r.title;
  if (r.supersedes !== undefined) record.supersedes = r.supersedes;
  if (r.retires !== undefined) record.retires = r.retires;
  const changes = proposalChanges(record, r.read);
  const body = proposalBody(record, r.signals, r.counts, changes);
  return { record, text: renderProposal(record, body), changes };
}

const ROUTE_WHY: Record<Route, string> = {
  convention: 'a standing rule in the convention file every agent working here reads',
  command: 'a command the agent can run instead of improvising',
  playbook: 'a playbook for the workflow',
  'managed-deny': 'a deny rule in the Managed settings, which no developer setting can override',
  hook: 'a hook that runs on every matching tool call',
  registry: 'a change to the org MCP registry',
  boundary: 'an exclusion the data boundary enforces',
  'test-harness': 'a test that fails when it happens again',
  'spec-template': 'a question the specification template asks up front',
};

function proposalBody(
  p: ProposalRecord,
  signals: readonly Signal[],
  counts: ReadonlyMap<string, number>,
  changes: Change[],
): string {
  const lines: string[] = [];
  const first = signals[0];
  lines.push('', `# ${p.title ?? first?.summary ?? p.id}`, '');
  lines.push('## Rationale', '');
  if (p.retires !== undefined) {
    lines.push(
      `Retires the applied rule of proposal ${p.retires}: removes it from ${p.targets.map((t) => `\`${t}\``).join(', ')}` +
        `, to be ratified by ${p.owners.length ? p.owners.join(', ') : 'the owners of the target'}. Once applied, ` +
        `${p.retires} is superseded and no longer enforced.`,
    );
  }
  const total = signals.reduce((n, s) => n + (counts.get(s.id) ?? 1), 0);
  const cause = signals.map((s) => s.rootCause).find((x) => x);
  if (signals.length)
    lines.push(
      `${total === 1 ? 'One signal' : `${total} signals`} of kind ${[...new Set(signals.map((s) => s.kind))].join(', ')}` +
        (cause ? ` with root cause: ${cause}` : '') +
        `. Routed to ${ROUTE_WHY[p.route]} (\`${p.target}\`), to be ratified by ${p.owners.length ? p.owners.join(', ') : 'the owners of the target'}.`,
    );
  if (p.targets.length > 1 && p.retires === undefined)
    lines.push('', `One rule, every agent: the same change goes to ${p.targets.map((t) => `\`${t}\``).join(', ')}.`);
  if (signals.length) lines.push('', '## Signals', '');
  for (const s of signals) {
    const n = counts.get(s.id) ?? 1;
    lines.push(`- ${s.id} (${s.kind}${n > 1 ? `, seen ${n} times` : ''}): ${s.summary}`);
  }
  const diff = changes.map((c) => unifiedDiff(c).replace(/\n$/, '')).join('\n');
  const longest = Math.max(0, ...[...diff.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  lines.push('', '## Change', '', fence + 'diff', diff, fence, '');
  return lines.join('\n');
}
