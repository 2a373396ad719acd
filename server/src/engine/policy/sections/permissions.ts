// Policy section `permissions` (schema: schemas/policy/permissions.json).

export interface PermissionsPolicy {
  [key: string]: unknown;
}
