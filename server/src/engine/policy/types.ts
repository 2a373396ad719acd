// The resolved (merged) policy the rules read. Each surface's section type lives in ./sections/<surface>.ts and its
// JSON Schema fragment in schemas/policy/<surface>.json (scripts/gen-schema.ts assembles schemas/policy.schema.json).

import type { PolicySection } from '../surfaces';
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

/** The sections that have a type of their own (./sections/<surface>.ts); the others are plain objects so far. */
interface SectionTypes {
  ownership: OwnershipPolicy;
  conventions: ConventionsPolicy;
  permissions: PermissionsPolicy;
}

/** One key per policy section of SURFACES (../surfaces.ts). */
export type PolicySections = {
  [K in PolicySection]: K extends keyof SectionTypes ? SectionTypes[K] : Record<string, unknown>;
};

export interface ResolvedPolicy extends PolicySections {
  sources: PolicySource[];
  rules: Record<string, SeveritySetting>;
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
