// The rollout surface: the policy's `rollout.stage` (1 pilot, 2 audit readiness, 3 bounded expansion, 4 steady
// state) and each stage's prerequisites, checked from the repository — not promised. The ladder and the evidence
// for each prerequisite are documented in docs/rollout.md; keep the two in step.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { boundaryGaps, boundaryPolicy } from '../boundary/index';
import { allServers, claudeGrants, matches, registryOf, unapprovedGrants } from '../mcp/index';
import { claudeEffective } from '../permissions/index';
import type { ResolvedPolicy } from '../policy/types';

export const STAGES = ['pilot', 'audit readiness', 'bounded expansion', 'steady state'] as const;

export interface Prerequisite {
  id: string;
  stage: 1 | 2 | 3 | 4;
  /** What must be true, in words. */
  what: string;
}

export const PREREQUISITES: readonly Prerequisite[] = [
  { id: 'managed-deny-floor', stage: 1, what: 'a Managed source with a deny floor' },
  { id: 'mcp-read-only', stage: 1, what: 'MCP tools limited to a read-only set' },
  { id: 'registry', stage: 2, what: 'a valid org MCP registry' },
  { id: 'audit-export', stage: 2, what: 'audit export configured' },
  { id: 'boundary-defined', stage: 2, what: 'data-boundary rules defined' },
  { id: 'boundary-covered', stage: 2, what: 'the data boundary covered for every agent in use' },
  { id: 'ci-check', stage: 3, what: 'CI runs `flywheel check`' },
  { id: 'write-tools-named', stage: 3, what: 'every MCP tool approved by name in the registry' },
  { id: 'rollout-doc', stage: 4, what: 'the rollout documented in docs/rollout.md' },
];

export interface Unmet {
  prerequisite: Prerequisite;
  /** What is missing, in words. */
  missing: string;
}

const READ_LIKE =
  /^(?:get|list|search|read|query|fetch|find|describe|show|view|lookup|browse|retrieve|count|explain|inspect|status|resolve)(?:[_-]|[A-Z]|$)/i;

export function rolloutStage(policy: ResolvedPolicy): number | undefined {
  const s = (policy.rollout as { stage?: unknown }).stage;
  return typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= 4 ? s : undefined;
}

const TELEMETRY_EXPORTERS = [
  'OTEL_LOGS_EXPORTER',
  'OTEL_METRICS_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
];

/** The prerequisites of the policy's stage (and every stage below it) that the repository does not meet. */
export function unmetPrerequisites(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): Unmet[] {
  const stage = rolloutStage(policy);
  if (!stage) return [];
  const out: Unmet[] = [];
  const need = (id: string, missing: string) => {
    const p = PREREQUISITES.find((x) => x.id === id)!;
    if (p.stage <= stage) out.push({ prerequisite: p, missing });
  };
  const e = claudeEffective(snapshot, cache, policy, { shadows: false });
  const source = e.stack.managedSource;
  const perms = source?.value.permissions as Record<string, unknown> | undefined;
  const deny = perms && Array.isArray(perms.deny) ? perms.deny : [];
  if (!source) need('managed-deny-floor', `no Managed source at ${e.stack.managedSourcePath}`);
  else if (!deny.length) need('managed-deny-floor', `the Managed source ${source.file} has no permissions.deny rules`);

  const reg = registryOf(snapshot, cache, policy);
  if (reg.state === 'ok') {
    const bad = unapprovedGrants(snapshot, cache, policy);
    if (bad.length)
      need(
        'mcp-read-only',
        `${bad.length} MCP tool approval(s) the registry does not approve (${bad
          .slice(0, 3)
          .map((g) => `${g.server.name}: ${g.tool}`)
          .join(', ')})`,
      );
  } else {
    const grants = [
      ...allServers(snapshot, cache).flatMap((s) => s.grants.map((g) => ({ server: s.name, tool: g.tool }))),
      ...claudeGrants(snapshot, cache, policy).map((g) => ({ server: g.server, tool: g.tool })),
    ];
    const wide = grants.filter((g) => g.tool === '*' || !READ_LIKE.test(g.tool));
    if (wide.length)
      need(
        'mcp-read-only',
        `MCP tools approved beyond a read-only set (${wide
          .slice(0, 3)
          .map((g) => `${g.server}: ${g.tool === '*' ? 'every tool' : g.tool}`)
          .join(', ')})`,
      );
  }

  if (reg.state === 'none') need('registry', 'the policy names no MCP registry (mcp.registry)');
  else if (reg.state === 'unreadable') need('registry', `the registry ${reg.file} cannot be read`);
  else if (reg.registry.problems.length)
    need(
      'registry',
      `the registry ${reg.registry.file} has ${reg.registry.problems.length} problem(s) (mcp/registry-invalid)`,
    );

  const env = source?.value.env as Record<string, unknown> | undefined;
  const telemetry = env && String(env.CLAUDE_CODE_ENABLE_TELEMETRY ?? '') === '1';
  const exporter =
    env && TELEMETRY_EXPORTERS.some((k) => typeof env[k] === 'string' && env[k] !== '' && env[k] !== 'none');
  if (!telemetry || !exporter) {
    need(
      'audit-export',
      `the Managed source's env does not ${!telemetry ? 'set CLAUDE_CODE_ENABLE_TELEMETRY to "1"' : 'name an OpenTelemetry exporter (OTEL_LOGS_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT)'}`,
    );
  }

  const bp = boundaryPolicy(policy);
  const defined =
    Array.isArray(bp.exclude) && bp.exclude.length > 0 && Array.isArray(bp.agents) && bp.agents.length > 0;
  if (!defined) need('boundary-defined', 'the policy sets no boundary.exclude paths or no boundary.agents');
  else {
    const gaps = boundaryGaps(snapshot, cache, policy);
    if (gaps.length)
      need(
        'boundary-covered',
        `${gaps.length} excluded path(s) an agent can still read (boundary/agent-can-read), e.g. ${gaps[0]!.agent}: ${gaps[0]!.glob}`,
      );
  }

  if (stage >= 3) {
    const ci = snapshot.byKind('ci-workflow').filter((g) => {
      const r = snapshot.read(g.path);
      return r.ok && /\bflywheel\s+check\b/.test(r.text);
    });
    if (!ci.length) need('ci-check', 'no workflow under .github/workflows/ (or .gitlab-ci.yml) runs `flywheel check`');
    if (reg.state === 'ok') {
      const unnamed = [
        ...new Set(
          matches(snapshot, cache, policy).flatMap((m) =>
            m.match && (!m.match.entry.approvedTools || m.match.entry.approvedTools.includes('*'))
              ? [m.match.entry.name]
              : [],
          ),
        ),
      ];
      if (unnamed.length)
        need(
          'write-tools-named',
          `registry entr${unnamed.length === 1 ? 'y' : 'ies'} ${unnamed.slice(0, 3).join(', ')} approve${unnamed.length === 1 ? 's' : ''} no tool by name (x-approvedTools)`,
        );
    }
  }
  if (stage >= 4 && !snapshot.fileSet.has('docs/rollout.md')) need('rollout-doc', 'docs/rollout.md does not exist');
  return out;
}
