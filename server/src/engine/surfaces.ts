// The one table of governance surfaces (after the seed's control surfaces). Everything that lists surfaces derives
// from it: the Surface type, the policy's sections (load, merge, the resolved policy's keys, the assembled JSON Schema,
// the effective-policy view), the rule table's headings and the meta-test's prefix check.
// Adding a surface is one line here; see CONTRIBUTING.md ("Adding a surface").

export interface SurfaceInfo {
  /** The heading of the surface's rules in the rule table. */
  readonly title: string;
  /** The rule id prefixes (`<prefix>/<name>`) whose rules belong to this surface. */
  readonly prefixes: readonly string[];
  /** Whether the policy has a section of this name (schemas/policy/<surface>.json, policy/sections/<surface>.ts). */
  readonly section: boolean;
}

// Keep one surface per line: branches that add surfaces then merge without conflicts.
// prettier-ignore
export const SURFACES = {
  workspace: { title: 'Workspace', prefixes: ['workspace'], section: false },
  policy: { title: 'Policy', prefixes: ['policy'], section: false },
  ownership: { title: 'Ownership (CODEOWNERS, PR template)', prefixes: ['owners'], section: true },
  conventions: { title: 'Conventions (CLAUDE.md, AGENTS.md and kin)', prefixes: ['conventions'], section: true },
  permissions: { title: 'Layered permissions (Claude Code and Gemini CLI settings)', prefixes: ['settings', 'permissions', 'gemini'], section: true },
  mcp: { title: 'Tool scope (MCP)', prefixes: ['mcp'], section: true },
  boundary: { title: 'Data boundary', prefixes: ['boundary'], section: true },
  rollout: { title: 'Rollout', prefixes: ['rollout'], section: true },
  flywheel: { title: 'Flywheel', prefixes: ['flywheel'], section: true },
  audit: { title: 'Audit', prefixes: ['audit'], section: false },
} as const satisfies Record<string, SurfaceInfo>;

/** A governance surface. */
export type Surface = keyof typeof SURFACES;

/** A surface that has a section in the policy. */
export type PolicySection = { [K in Surface]: (typeof SURFACES)[K]['section'] extends true ? K : never }[Surface];

/** Every surface, in table order. */
export const SURFACE_NAMES = Object.keys(SURFACES) as Surface[];

/** The policy's sections, in table order (the order of the effective policy and of the assembled schema). */
export const POLICY_SECTIONS = SURFACE_NAMES.filter((s): s is PolicySection => SURFACES[s].section);

/** The surface whose rules carry this id prefix. */
export function surfaceOfPrefix(prefix: string): Surface | undefined {
  return SURFACE_NAMES.find((s) => (SURFACES[s].prefixes as readonly string[]).includes(prefix));
}
