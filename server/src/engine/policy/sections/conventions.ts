// Policy section `conventions` (schema: schemas/policy/conventions.json). Patterns are RE2 (re2js): linear time,
// no backreferences or lookaround; an invalid pattern is a `policy/invalid` finding and the entry is ignored.

/** Where an entry applies: file kinds (`claude-md`, `agents-md` …) or root-relative globs (`packages/*\/AGENTS.md`). */
export type ConventionScope = string[];

/** A file (or one of several alternatives) that must exist. */
export type RequiredFile =
  | string
  | {
      /** Any one of these root-relative paths satisfies the requirement (a symlink counts). */
      anyOf: string[];
      /** A glob of folders: the requirement holds in each matching folder (paths are then relative to it). */
      in?: string;
    };

/** A heading that must exist (text compared case-insensitively, any level), or alternatives. */
export type RequiredSection = string | { anyOf: string[] };

export interface RequiredRule {
  id: string;
  /** Text that must appear (case-insensitive; whitespace and Markdown emphasis ignored). */
  text?: string;
  /** RE2 pattern that must match. */
  pattern?: string;
  /** Files that must hold it; default: the root's entry files (CLAUDE.md, AGENTS.md, GEMINI.md, .cursorrules,
   * .github/copilot-instructions.md), each counted with what it imports. */
  in?: ConventionScope;
  /** Why the rule stands (shown in the finding). */
  why?: string;
}

export interface ProhibitedContent {
  id: string;
  /** RE2 pattern that must not match. */
  pattern: string;
  /** Why it is prohibited (shown in the finding). */
  message?: string;
  /** Files it applies to; default every convention file. */
  in?: ConventionScope;
  /** A match on a line that forbids it ("never", "do not", "don't" …) is not a finding. Default true. */
  ignoreNegated?: boolean;
}

export interface ConventionsPolicy {
  /** The single source of truth when several agents' files share a folder, e.g. `AGENTS.md`. */
  source?: string;
  requiredFiles?: RequiredFile[];
  /** Headings by file kind or glob. */
  requiredSections?: Record<string, RequiredSection[]>;
  requiredRules?: RequiredRule[];
  prohibited?: ProhibitedContent[];
  /** Estimated tokens of a convention file plus everything it imports. */
  maxTokens?: number;
}
