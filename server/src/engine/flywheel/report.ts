// Is the flywheel turning? The numbers of `flywheel report` and the editor's report page, computed from the flywheel
// state (signals, proposals, the ledger) and the flywheel findings (stale and review-due rules); rendered as Markdown
// or as one offline HTML file with simple generated SVG charts (no script, no remote content).

import type { LedgerEvent } from './ledger';
import { SIGNAL_KINDS, type Signal } from './signal';
import type { FlywheelState } from './state';

const DAY_MS = 86_400_000;

export interface OwnerLoad {
  owner: string;
  /** Proposals waiting for this owner (status proposed). */
  open: number;
  ratified: number;
  rejected: number;
  /** ratified / (ratified + rejected + open); null when nothing was routed to them. */
  ratificationRate: number | null;
  /** The seed's review-capacity warning: a queue that grows faster than it is decided. */
  bottleneck: boolean;
}

export interface RuleEffect {
  proposal: string;
  target: string;
  applied: string;
  /** Signals of the same lesson (group or fingerprint) captured after the rule was applied. */
  after: number;
  working: boolean;
}

export interface FlywheelReport {
  generated: string;
  signals: number;
  proposals: number;
  /** ISO week start (Monday, YYYY-MM-DD) → signals per kind, oldest first. */
  weeks: { week: string; counts: Record<string, number> }[];
  /** Median days from the first signal of a proposal to its ratification / application (null: none yet). */
  medianDaysToRatified: number | null;
  medianDaysToApplied: number | null;
  owners: OwnerLoad[];
  rootCauses: { cause: string; count: number }[];
  /** Applied rules per route (convention, managed-deny, …). */
  rulesByRoute: Record<string, number>;
  effects: RuleEffect[];
  staleRules: { id: string; message: string }[];
  reviewDue: { id: string; message: string }[];
}

/** The Monday (YYYY-MM-DD, UTC) of the week of a time in ms; the strings are made once per week. */
function weekOfMs(ms: number, cache: Map<number, string>): string {
  // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is the day's index from Monday.
  const day = Math.floor(ms / DAY_MS);
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  let w = cache.get(monday);
  if (w === undefined) cache.set(monday, (w = new Date(monday * DAY_MS).toISOString().slice(0, 10)));
  return w;
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const v = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  return Math.round(v * 10) / 10;
}

/** The first index of a sorted array whose value is at least `x` (its length when none). */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rules whose findings the report lists: stale ratified rules and proposals due for review. */
export const STALE_RULE = 'flywheel/stale-rule';
export const REVIEW_DUE = 'flywheel/review-due';
export const REPORT_RULES: ReadonlySet<string> = new Set([STALE_RULE, REVIEW_DUE]);

/**
 * The report's numbers. One pass over the signals (their times parsed once, their weeks, their root causes), one over
 * the proposals; the recurrence after a rule counts a group's signals from a time by a binary search in the group's
 * sorted times (each group's sorted once), not by scanning the group for every applied rule.
 */
export function computeReport(
  st: FlywheelState,
  findings: readonly { ruleId: string; message: string; file: string }[],
  now: Date,
): FlywheelReport {
  // Signals: the time of each (parsed once), signals per week by kind, root causes.
  const capturedMs = new Map<string, number>();
  const weeksMap = new Map<string, Record<string, number>>();
  const weekNames = new Map<number, string>();
  const causes = new Map<string, number>();
  for (const { signal: s } of st.signals) {
    const ms = Date.parse(s.captured);
    capturedMs.set(s.id, ms);
    const w = weekOfMs(ms, weekNames);
    let row = weeksMap.get(w);
    if (!row) weeksMap.set(w, (row = {}));
    row[s.kind] = (row[s.kind] ?? 0) + 1;
    const c = s.rootCause?.trim();
    if (c) causes.set(c, (causes.get(c) ?? 0) + 1);
  }
  const weeks = [...weeksMap].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, counts]) => ({ week, counts }));

  // A group's signal times, sorted (the unparseable left out: they never count), made on first use.
  const sortedTimes = new Map<Signal[], number[]>();
  const timesOf = (g: Signal[]): number[] => {
    let xs = sortedTimes.get(g);
    if (!xs) {
      xs = [];
      for (const s of g) {
        const ms = capturedMs.get(s.id)!;
        if (!Number.isNaN(ms)) xs.push(ms);
      }
      xs.sort((a, b) => a - b);
      sortedTimes.set(g, xs);
    }
    return xs;
  };

  const toRatified: number[] = [];
  const toApplied: number[] = [];
  const owners = new Map<string, { open: number; ratified: number; rejected: number }>();
  const rulesByRoute: Record<string, number> = {};
  const effects: RuleEffect[] = [];
  for (const { proposal: p } of st.proposals) {
    // The first signal of the proposal (the earliest of its signals that exist).
    let first: number | undefined;
    for (const id of p.signals) {
      const ms = capturedMs.get(id);
      if (ms !== undefined && (first === undefined || ms < first)) first = ms;
    }
    let ratified: LedgerEvent | undefined;
    let applied: LedgerEvent | undefined;
    for (const e of st.chains.get(p.id)?.events ?? []) {
      if (!ratified && e.action === 'ratified') ratified = e;
      else if (!applied && e.action === 'applied') applied = e;
    }
    const appliedMs = applied ? Date.parse(applied.time) : undefined;
    if (first !== undefined && ratified) toRatified.push((Date.parse(ratified.time) - first) / DAY_MS);
    if (first !== undefined && appliedMs !== undefined) toApplied.push((appliedMs - first) / DAY_MS);
    for (const o of p.owners) {
      let row = owners.get(o);
      if (!row) owners.set(o, (row = { open: 0, ratified: 0, rejected: 0 }));
      if (p.status === 'proposed') row.open++;
      else if (p.status === 'ratified' || p.status === 'applied') row.ratified++;
      else if (p.status === 'rejected') row.rejected++;
    }
    if (p.status === 'applied') {
      rulesByRoute[p.route] = (rulesByRoute[p.route] ?? 0) + 1;
      const at = appliedMs ?? Date.parse(p.created);
      // Signal times have whole seconds: one captured in the second the rule was applied counts as after it.
      const from = Math.floor(at / 1000) * 1000;
      // The groups (same lesson) of the proposal's signals: their members captured from then on, less the proposal's
      // own signals (each signal is in exactly one group).
      const own = new Set(p.signals);
      const groups = new Set<Signal[]>();
      let mine = 0;
      for (const id of own) {
        const g = st.groupOf.get(id);
        if (!g) continue;
        groups.add(g);
        if (capturedMs.get(id)! >= from) mine++;
      }
      let after = -mine;
      for (const g of groups) {
        const xs = timesOf(g);
        after += xs.length - lowerBound(xs, from);
      }
      effects.push({
        proposal: p.id,
        target: p.target,
        applied: new Date(at).toISOString(),
        after,
        working: after === 0,
      });
    }
  }
  const ownerRows: OwnerLoad[] = [...owners]
    .map(([owner, r]) => {
      const total = r.open + r.ratified + r.rejected;
      const decided = r.ratified + r.rejected;
      return {
        owner,
        ...r,
        ratificationRate: total ? Math.round((r.ratified / total) * 100) / 100 : null,
        bottleneck: r.open >= 3 && r.open > decided,
      };
    })
    .sort((a, b) => b.open - a.open || (a.owner < b.owner ? -1 : 1));

  const rootCauses = [...causes]
    .map(([cause, count]) => ({ cause, count }))
    .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : 1))
    .slice(0, 10);

  const staleRules: FlywheelReport['staleRules'] = [];
  const reviewDue: FlywheelReport['reviewDue'] = [];
  for (const f of findings) {
    const list = f.ruleId === STALE_RULE ? staleRules : f.ruleId === REVIEW_DUE ? reviewDue : null;
    list?.push({ id: /P-\S+/.exec(f.message)?.[0] ?? f.file, message: f.message });
  }
  return {
    generated: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    signals: st.signals.length,
    proposals: st.proposals.length,
    weeks,
    medianDaysToRatified: median(toRatified),
    medianDaysToApplied: median(toApplied),
    owners: ownerRows,
    rootCauses,
    rulesByRoute,
    effects: effects.sort((a, b) => b.after - a.after || (a.proposal < b.proposal ? -1 : 1)),
    staleRules,
    reviewDue,
  };
}

// ---- Rendering ----

const days = (d: number | null) => (d === null ? 'n/a' : `${d} days`);
const pct = (r: number | null) => (r === null ? 'n/a' : `${Math.round(r * 100)}%`);

export function reportMarkdown(r: FlywheelReport): string {
  const out: string[] = [
    `# Flywheel report`,
    '',
    `Generated ${r.generated}: ${r.signals} signals, ${r.proposals} proposals.`,
    '',
  ];
  out.push(
    '## Signals per week',
    '',
    `| Week | ${SIGNAL_KINDS.join(' | ')} |`,
    `|---|${SIGNAL_KINDS.map(() => '---:').join('|')}|`,
  );
  for (const w of r.weeks) out.push(`| ${w.week} | ${SIGNAL_KINDS.map((k) => w.counts[k] ?? 0).join(' | ')} |`);
  out.push(
    '',
    '## Time to a rule',
    '',
    `- Median from signal to ratified: ${days(r.medianDaysToRatified)}`,
    `- Median from signal to applied: ${days(r.medianDaysToApplied)}`,
    '',
  );
  out.push(
    '## Owners: open proposals and ratification rate',
    '',
    '| Owner | Open | Ratified | Rejected | Rate | |',
    '|---|---:|---:|---:|---:|---|',
  );
  for (const o of r.owners)
    out.push(
      `| ${o.owner} | ${o.open} | ${o.ratified} | ${o.rejected} | ${pct(o.ratificationRate)} | ${o.bottleneck ? '⚠ bottleneck: the queue grows faster than it is decided' : ''} |`,
    );
  out.push('', '## Top root causes', '');
  for (const c of r.rootCauses) out.push(`- ${c.count}× ${c.cause}`);
  if (!r.rootCauses.length) out.push('- none recorded');
  out.push('', '## Rules added per route', '');
  for (const [k, v] of Object.entries(r.rulesByRoute)) out.push(`- ${k}: ${v}`);
  if (!Object.keys(r.rulesByRoute).length) out.push('- none applied yet');
  out.push('', '## Did the rules work? (recurrence after a rule was applied)', '');
  for (const e of r.effects)
    out.push(
      `- ${e.proposal} (${e.target}): ${e.after} signal${e.after === 1 ? '' : 's'} since ${e.applied.slice(0, 10)} — ${e.working ? 'working' : 'NOT working'}`,
    );
  if (!r.effects.length) out.push('- no applied rules');
  out.push('', '## Stale and review-due rules', '');
  for (const s of r.staleRules) out.push(`- stale: ${s.message}`);
  for (const s of r.reviewDue) out.push(`- review due: ${s.message}`);
  if (!r.staleRules.length && !r.reviewDue.length) out.push('- none');
  return out.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const KIND_COLORS: Record<string, string> = {
  'context-gap': '#4e79a7',
  'instruction-gap': '#f28e2b',
  'workflow-pattern': '#59a14f',
  failure: '#e15759',
};

/** Stacked columns: signals per week by kind. */
function weeksChart(r: FlywheelReport): string {
  const W = 640;
  const H = 200;
  let max = 1;
  for (const w of r.weeks) {
    let total = 0;
    for (const n of Object.values(w.counts)) total += n;
    max = Math.max(max, total);
  }
  const bw = r.weeks.length ? Math.min(40, (W - 40) / r.weeks.length - 4) : 0;
  const bars = r.weeks
    .map((w, i) => {
      let y = H - 20;
      const x = 30 + i * (bw + 4);
      const rects = SIGNAL_KINDS.map((k) => {
        const n = w.counts[k] ?? 0;
        const h = (n / max) * (H - 40);
        y -= h;
        return n
          ? `<rect x="${x}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="${KIND_COLORS[k]}"><title>${w.week} ${k}: ${n}</title></rect>`
          : '';
      }).join('');
      return rects + `<text x="${x}" y="${H - 5}" font-size="9">${w.week.slice(5)}</text>`;
    })
    .join('');
  const legend = SIGNAL_KINDS.map(
    (k, i) =>
      `<rect x="${30 + i * 150}" y="4" width="10" height="10" fill="${KIND_COLORS[k]}"/><text x="${44 + i * 150}" y="13" font-size="11">${k}</text>`,
  ).join('');
  return `<svg role="img" aria-label="Signals per week by kind" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><text x="0" y="${H - 22}" font-size="9">0</text><text x="0" y="30" font-size="9">${max}</text>${legend}${bars}</svg>`;
}

/** Horizontal bars with a label and a value. */
function barChart(label: string, rows: { name: string; value: number; note?: string; color?: string }[]): string {
  const W = 640;
  const row = 22;
  const H = Math.max(row, rows.length * row) + 4;
  let max = 1; // a loop, not Math.max(...values): thousands of rows (applied rules) are no call's arguments
  for (const r of rows) max = Math.max(max, r.value);
  const bars = rows
    .map((r, i) => {
      const w = (r.value / max) * 300;
      return `<text x="0" y="${i * row + 15}" font-size="11">${esc(r.name.slice(0, 40))}</text><rect x="260" y="${i * row + 4}" width="${w.toFixed(1)}" height="14" fill="${r.color ?? '#4e79a7'}"><title>${esc(r.name)}: ${r.value}</title></rect><text x="${(266 + w).toFixed(1)}" y="${i * row + 15}" font-size="11">${r.value}${r.note ? ` ${esc(r.note)}` : ''}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${bars}</svg>`;
}

export function reportHtml(r: FlywheelReport, opts: { csp?: string } = {}): string {
  const csp = opts.csp ?? "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  const owners = barChart(
    'Open proposals per owner',
    r.owners.map((o) => ({
      name: o.owner,
      value: o.open,
      note: `open · ratified ${pct(o.ratificationRate)}${o.bottleneck ? ' · ⚠ bottleneck' : ''}`,
      color: o.bottleneck ? '#e15759' : '#4e79a7',
    })),
  );
  const causes = barChart(
    'Top root causes',
    r.rootCauses.map((c) => ({ name: c.cause, value: c.count })),
  );
  const routes = barChart(
    'Rules added per route',
    Object.entries(r.rulesByRoute).map(([name, value]) => ({ name, value, color: '#59a14f' })),
  );
  const effects = barChart(
    'Signals after a rule was applied',
    r.effects.map((e) => ({
      name: `${e.proposal} ${e.target}`,
      value: e.after,
      note: e.working ? 'working' : 'not working',
      color: e.working ? '#59a14f' : '#e15759',
    })),
  );
  const list = (xs: { message: string }[]) =>
    xs.length ? `<ul>${xs.map((x) => `<li>${esc(x.message)}</li>`).join('')}</ul>` : '<p>None.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>Flywheel report</title>
<style>
body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); max-width: 720px; margin: 0 auto; padding: 1em; }
svg text { fill: currentColor; } h2 { border-bottom: 1px solid #8884; font-size: 1.1em; margin-top: 1.6em; }
.kpi { display: flex; gap: 2em; } .kpi div { font-size: 1.6em; } .kpi small { display: block; font-size: .5em; opacity: .7; }
</style></head>
<body>
<h1>Flywheel report</h1>
<p>Generated ${esc(r.generated)}: ${r.signals} signals, ${r.proposals} proposals.</p>
<div class="kpi"><div>${days(r.medianDaysToRatified)}<small>median signal → ratified</small></div><div>${days(r.medianDaysToApplied)}<small>median signal → applied</small></div></div>
<h2>Signals per week, by kind</h2>${weeksChart(r)}
<h2>Open proposals per owner (and ratification rate)</h2>${r.owners.length ? owners : '<p>No proposals routed yet.</p>'}
<h2>Top root causes</h2>${r.rootCauses.length ? causes : '<p>None recorded.</p>'}
<h2>Rules added per route</h2>${Object.keys(r.rulesByRoute).length ? routes : '<p>None applied yet.</p>'}
<h2>Did the rules work? Signals of the same lesson after the rule was applied</h2>${r.effects.length ? effects : '<p>No applied rules.</p>'}
<h2>Stale rules</h2>${list(r.staleRules)}
<h2>Rules due for review</h2>${list(r.reviewDue)}
</body></html>
`;
}
