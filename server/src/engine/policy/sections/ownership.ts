// Policy section `ownership` (schema: schemas/policy/ownership.json).

export interface OwnershipPolicy {
  /** A CODEOWNERS file must exist. */
  requireCodeowners?: boolean;
  /** Dialect override; by default from the file's location. */
  dialect?: 'github' | 'gitlab' | 'bitbucket';
  /** Globs that must resolve to an owner (also paths that do not exist yet). */
  mustOwn?: string[];
  /** For a glob, owners that must be among its effective owners. */
  owners?: Record<string, string[]>;
  /** Teams only, everywhere (true) or for these globs. */
  teamsOnly?: boolean | string[];
  /** Offline snapshot of the org's valid users and teams. */
  knownOwners?: string[];
  /** Minimum fraction (0..1) of files with an owner. */
  minCoverage?: number;
  /** The PR-template field naming the human author of record. */
  authorOfRecordField?: string;
}
