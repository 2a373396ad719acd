// Is the flywheel turning? The numbers of `flywheel report` and the editor's report page, computed from the flywheel
// state (signals, proposals, the ledger) and the flywheel findings (stale and review-due rules); rendered as Markdown
// or as one offline HTML file with simple generated SVG charts (no script, no remote content).

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

function weekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const v = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  return Math.round(v * 10) / 10;
}

export function computeReport(
  st: FlywheelState,
  findings: readonly { ruleId: string; message: string; file: string }[],
  now: Date,
): FlywheelReport {
  const signals = st.signals.map((s) => s.signal);
  const weeksMap = new Map<string, Record<string, number>>();
  for (const s of signals) {
    const w = weekOf(s.captured);
    const row = weeksMap.get(w) ?? {};
    row[s.kind] = (row[s.kind] ?? 0) + 1;
    weeksMap.set(w, row);
  }
  const weeks = [...weeksMap].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, counts]) => ({ week, counts }));

  const toRatified: number[] = [];
  const toApplied: number[] = [];
  const owners = new Map<string, { open: number; ratified: number; rejected: number }>();
  const rulesByRoute: Record<string, number> = {};
  const effects: RuleEffect[] = [];
  for (const { proposal: p } of st.proposals) {
    const first = p.signals
      .map((id) => st.signalById.get(id))
      .filter((s): s is Signal => !!s)
      .map((s) => Date.parse(s.captured))
      .sort((a, b) => a - b)[0];
    const events = st.chains.get(p.id)?.events ?? [];
    const ratified = events.find((e) => e.action === 'ratified');
    const applied = events.find((e) => e.action === 'applied');
    if (first !== undefined && ratified) toRatified.push((Date.parse(ratified.time) - first) / DAY_MS);
    if (first !== undefined && applied) toApplied.push((Date.parse(applied.time) - first) / DAY_MS);
    for (const o of p.owners) {
      const row = owners.get(o) ?? { open: 0, ratified: 0, rejected: 0 };
      if (p.status === 'proposed') row.open++;
      else if (p.status === 'ratified' || p.status === 'applied') row.ratified++;
      else if (p.status === 'rejected') row.rejected++;
      owners.set(o, row);
    }
    if (p.status === 'applied') {
      rulesByRoute[p.route] = (rulesByRoute[p.route] ?? 0) + 1;
      const at = applied ? Date.parse(applied.time) : Date.parse(p.created);
      // The groups (same lesson) of the proposal's signals: their members are the signals to count.
      const groups = new Set(p.signals.map((id) => st.groupOf.get(id)).filter((g): g is Signal[] => g !== undefined));
      // Signal times have whole seconds: one captured in the second the rule was applied counts as after it.
      const from = Math.floor(at / 1000) * 1000;
      let after = 0;
      for (const g of groups)
        for (const s of g) if (Date.parse(s.captured) >= from && !p.signals.includes(s.id)) after++;
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

  const causes = new Map<string, number>();
  for (const s of signals) {
    const c = s.rootCause?.trim();
    if (c) causes.set(c, (causes.get(c) ?? 0) + 1);
  }
  const rootCauses = [...causes]
    .map(([cause, count]) => ({ cause, count }))
    .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : 1))
    .slice(0, 10);

  const pick = (id: string) =>
    findings
      .filter((f) => f.ruleId === id)
      .map((f) => ({ id: /P-\S+/.exec(f.message)?.[0] ?? f.file, message: f.message }));
  return {
    generated: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    signals: signals.length,
    proposals: st.proposals.length,
    weeks,
    medianDaysToRatified: median(toRatified),
    medianDaysToApplied: median(toApplied),
    owners: ownerRows,
    rootCauses,
    rulesByRoute,
    effects: effects.sort((a, b) => b.after - a.after || (a.proposal < b.proposal ? -1 : 1)),
    staleRules: pick('flywheel/stale-rule'),
    reviewDue: pick('flywheel/review-due'),
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
  const max = Math.max(1, ...r.weeks.map((w) => Object.values(w.counts).reduce((a, b) => a + b, 0)));
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
  const max = Math.max(1, ...rows.map((r) => r.value));
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
