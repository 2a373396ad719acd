// Policy section `ownership` (schema: schemas/policy/ownership.json; rules: server/src/engine/rules/owners/).
// Globs are picomatch globs over root-relative paths, dotfiles included (`**/CLAUDE.md`, `.claude/**`).

export interface OwnershipPolicy {
  /** A CODEOWNERS file must exist where the platform reads it (owners/missing-file). Tighten-only: true wins. */
  requireCodeowners?: boolean;
  /** The platform whose CODEOWNERS rules apply; by default from the file's location (.gitlab/ → gitlab,
   * .bitbucket/ → bitbucket, else github). */
  dialect?: 'github' | 'gitlab' | 'bitbucket';
  /** Globs whose paths must resolve to an owner, including paths that do not exist yet (owners/unowned-path,
   * owners/catch-all-only). Union across floors. */
  mustOwn?: string[];
  /** For a glob, the owners that must be among the effective owners of its paths (owners/wrong-owner). */
  owners?: Record<string, string[]>;
  /** Owners must be teams, on every line (true) or on the lines deciding for these globs (owners/individual-owner). */
  teamsOnly?: boolean | string[];
  /** Offline snapshot of the org's valid users and teams (owners/unknown-owner; owner completions). */
  knownOwners?: string[];
  /** Minimum fraction (0..1) of tracked files with an owner (owners/coverage). */
  minCoverage?: number;
  /** The PR-template field naming the human author of record (owners/author-of-record); unset (the baseline) = the
   * rule is off. */
  authorOfRecordField?: string;
}
