// The `flywheel` policy section (schema: schemas/policy/flywheel.json), read with its defaults.

import type { ResolvedPolicy } from '../policy/types';
import { SIGNAL_KINDS, type SignalKind } from './signal';

export const ROUTES = ['convention', 'command', 'playbook', 'managed-deny', 'hook', 'registry', 'boundary', 'test-harness', 'spec-template'] as const;
export type Route = (typeof ROUTES)[number];

/** The seed's routing table: context gaps → priming documents (the convention file), instruction gaps → commands,
 * workflow patterns → playbooks, failures → a guardrail (by default a convention rule; `--deny` adds a Managed deny). */
export const DEFAULT_ROUTES: Readonly<Record<SignalKind, readonly Route[]>> = {
  'context-gap': ['convention'],
  'instruction-gap': ['command'],
  'workflow-pattern': ['playbook'],
  failure: ['convention'],
};

export interface FlywheelPolicy {
  routes: Record<SignalKind, Route[]>;
  people: Record<string, string[]>;
  teams: Record<string, string[]>;
  ratifiers: Partial<Record<Route, string[]>>;
  requireSignedRatification: boolean;
  allowedSigners?: string;
  slaDays: number;
  reviewDays?: number;
  registry?: string;
}

export const DEFAULT_SLA_DAYS = 14;

const isRoute = (v: unknown): v is Route => typeof v === 'string' && (ROUTES as readonly string[]).includes(v);

function stringLists(v: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, list] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(list)) out[k] = list.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

export function flywheelPolicy(policy: ResolvedPolicy): FlywheelPolicy {
  const f = (policy.flywheel ?? {}) as Record<string, unknown>;
  const routes = {} as Record<SignalKind, Route[]>;
  const given = (f.routes && typeof f.routes === 'object' ? f.routes : {}) as Record<string, unknown>;
  for (const k of SIGNAL_KINDS) {
    const v = given[k];
    const list = Array.isArray(v) ? v.filter(isRoute) : isRoute(v) ? [v] : [];
    routes[k] = list.length ? list : [...DEFAULT_ROUTES[k]];
  }
  const ratifiers: Partial<Record<Route, string[]>> = {};
  for (const [k, list] of Object.entries(stringLists(f.ratifiers))) if (isRoute(k)) ratifiers[k] = list;
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
  const out: FlywheelPolicy = {
    routes,
    people: stringLists(f.people),
    teams: stringLists(f.teams),
    ratifiers,
    requireSignedRatification: f.requireSignedRatification === true,
    slaDays: int(f.slaDays) ?? DEFAULT_SLA_DAYS,
  };
  if (typeof f.allowedSigners === 'string' && f.allowedSigners) out.allowedSigners = f.allowedSigners.replace(/^\.\//, '');
  const review = int(f.reviewDays);
  if (review !== undefined) out.reviewDays = review;
  if (typeof f.registry === 'string' && f.registry) out.registry = f.registry.replace(/^\.\//, '');
  return out;
}
