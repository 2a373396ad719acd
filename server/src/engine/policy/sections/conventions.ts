// Policy section `conventions` (schema: schemas/policy/conventions.json).

export interface ConventionsPolicy {
  [key: string]: unknown;
}
