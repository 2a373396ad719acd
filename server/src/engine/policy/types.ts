// The resolved (merged) policy the rules read. Each surface's section type lives in ./sections/<surface>.ts and its
// JSON Schema fragment in schemas/policy/<surface>.json (scripts/gen-schema.mjs assembles schemas/policy.schema.json).

import type { Range, RelatedLocation, SeveritySetting } from '../types';
import type { OwnershipPolicy } from './sections/ownership';
import type { ConventionsPolicy } from './sections/conventions';
import type { PermissionsPolicy } from './sections/permissions';

export interface PolicySource {
  /** 'baseline' = the embedded baseline; 'floor' = reached through `extends`; 'team' = the workspace's own file. */
  kind: 'baseline' | 'floor' | 'team';
  /** Root-relative path when inside the workspace, else absolute; `flywheel:baseline` for the embedded one. */
  path: string;
}

export interface ResolvedPolicy {
  sources: PolicySource[];
  rules: Record<string, SeveritySetting>;
  ownership: OwnershipPolicy;
  conventions: ConventionsPolicy;
  permissions: PermissionsPolicy;
  mcp: Record<string, unknown>;
  boundary: Record<string, unknown>;
  rollout: Record<string, unknown>;
  flywheel: Record<string, unknown>;
  /**
   * Where a value of the merged policy was set: a JSON pointer such as `/ownership/mustOwn/2` → the location in
   * the policy file that set it (the team's file, a floor, or the baseline). For `related` locations in findings.
   */
  origin(pointer: string): RelatedLocation | undefined;
  /** Changes whenever any source changes. */
  version: string;
  /** Problems met while loading: reported by `policy/invalid` and `policy/loosens-floor`. */
  problems: PolicyProblem[];
}

export interface PolicyProblem {
  ruleId: 'policy/invalid' | 'policy/loosens-floor';
  messageId: string;
  data?: Record<string, string | number>;
  /** Root-relative path, or absolute outside the root. */
  file: string;
  range: Range;
  related?: RelatedLocation[];
}
