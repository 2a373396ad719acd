// Policy section `permissions` (schema: schemas/policy/permissions.json): what the Claude Code and Gemini CLI
// settings stack must enforce, and where.

export interface PermissionsPolicy {
  /** The repository-held Managed source: the file the org deploys as managed-settings.json. */
  managedSource?: string;
  /** Rules that must be enforced from Managed (e.g. `Bash(git push *)`, `Read(~/.aws/**)`, `Edit(./.env*)`). */
  hardDeny?: string[];
  /** Patterns no scope may allow (e.g. `Bash`, `Bash(*)`, `Bash(curl *)`). */
  forbidAllow?: string[];
  /** Managed settings must set `permissions.disableBypassPermissionsMode: "disable"`. */
  requireDisableBypass?: boolean;
  /** Several tenants share machines or credentials: auto-memory must be off from Managed. */
  multiTenant?: boolean;
  /** Paths whose reads must be denied for every read-capable tool, not only `Read`. */
  sensitivePaths?: string[];
  gemini?: {
    /** Gemini CLI must allow-list tools with `tools.core` (a `tools.exclude` blocklist alone is not enough). */
    requireAllowlist?: boolean;
    /** `security.disableYoloMode` must be true. */
    requireDisableYolo?: boolean;
  };
}
