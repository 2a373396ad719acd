// What Claude Code and Gemini CLI accept in their settings files (shared reference, formats §1.3–1.6 and §2), as
// small type descriptors: enough to say which value is invalid and what the tool does about it. Unknown keys are
// reported but never fatal; a wrong type or enum value makes Claude Code drop a user/project/local file whole
// (seen with the real CLI, cc-oracle) and drops the top-level key from a managed file (validated leniently).

export type TypeSpec =
  | { t: 'string' }
  | { t: 'boolean' }
  | { t: 'number' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'string[]' }
  | { t: 'string-map' }
  | { t: 'object'; keys?: Record<string, TypeSpec>; open?: boolean }
  | { t: 'array' }
  | { t: 'any' }
  | { t: 'bool-or-string[]' }
  | { t: 'string-or-string[]' };

export const DEFAULT_MODES = [
  'default',
  'manual',
  'acceptEdits',
  'plan',
  'auto',
  'dontAsk',
  'bypassPermissions',
  'delegate',
] as const;

const s = { t: 'string' } as const;
const b = { t: 'boolean' } as const;
const n = { t: 'number' } as const;
const sa = { t: 'string[]' } as const;
const any = { t: 'any' } as const;
const obj = { t: 'object', open: true } as const;

export const PERMISSIONS_KEYS: Record<string, TypeSpec> = {
  allow: sa,
  ask: sa,
  deny: sa,
  additionalDirectories: sa,
  defaultMode: { t: 'enum', values: DEFAULT_MODES },
  disableBypassPermissionsMode: { t: 'enum', values: ['disable'] },
  disableAutoMode: { t: 'enum', values: ['disable'] },
};

/** Keys Claude Code reads only from managed settings (formats §1.6). */
export const MANAGED_ONLY_KEYS: readonly string[] = [
  'allowManagedPermissionRulesOnly',
  'allowManagedHooksOnly',
  'allowManagedMcpServersOnly',
  'allowAllClaudeAiMcps',
  'strictKnownMarketplaces',
  'blockedMarketplaces',
  'strictPluginOnlyCustomization',
  'pluginTrustMessage',
  'pluginSuggestionMarketplaces',
  'disableCommandPluginSources',
  'disableSideloadFlags',
  'forceRemoteSettingsRefresh',
  'parentSettingsBehavior',
  'policyHelper',
  'requiredMinimumVersion',
  'requiredMaximumVersion',
  'claudeMd',
  'channelsEnabled',
  'allowedChannelPlugins',
  'forceLoginGatewayUrl',
  'sshHostAllowlist',
  'browserExternalPageTools',
  'disableBrowserExternalNavigation',
  'disableMobileSimulatorTools',
  'wslInheritsWindowsSettings',
];
/** Managed-only keys below `sandbox`. */
export const MANAGED_ONLY_SANDBOX_KEYS: readonly string[][] = [
  ['sandbox', 'bwrapPath'],
  ['sandbox', 'socatPath'],
  ['sandbox', 'network', 'allowManagedDomainsOnly'],
  ['sandbox', 'filesystem', 'allowManagedReadPathsOnly'],
];
/** Keys read only from user or managed settings; ignored in project and local files (formats §1.5). */
export const USER_OR_MANAGED_KEYS: readonly string[] = [
  'autoMode',
  'processWrapper',
  'sshConfigs',
  'skipAutoPermissionPrompt',
];

export const CLAUDE_KEYS: Record<string, TypeSpec> = {
  $schema: s,
  env: { t: 'string-map' },
  permissions: { t: 'object', keys: PERMISSIONS_KEYS },
  hooks: obj,
  disableAllHooks: b,
  allowedHttpHookUrls: sa,
  httpHookAllowedEnvVars: sa,
  autoMemoryEnabled: b,
  autoMemoryDirectory: s,
  enableAllProjectMcpServers: b,
  enabledMcpjsonServers: sa,
  disabledMcpjsonServers: sa,
  allowedMcpServers: { t: 'array' },
  deniedMcpServers: { t: 'array' },
  claudeMdExcludes: sa,
  availableModels: sa,
  model: s,
  fallbackModel: any,
  effortLevel: { t: 'enum', values: ['low', 'medium', 'high', 'xhigh'] },
  forceLoginMethod: { t: 'enum', values: ['claudeai', 'console', 'gateway'] },
  forceLoginOrgUUID: { t: 'string-or-string[]' },
  enabledPlugins: obj,
  extraKnownMarketplaces: obj,
  sandbox: obj,
  autoMode: any,
  processWrapper: any,
  sshConfigs: any,
  skipAutoPermissionPrompt: b,
  skipDangerousModePermissionPrompt: b,
  useAutoModeDuringPlan: b,
  syncClaudeAiSkills: b,
  disableAutoMode: { t: 'enum', values: ['disable'] },
  disableClaudeAiConnectors: b,
  isolatePeerMachines: b,
  remoteControlAtStartup: b,
  crossSessionInbound: any,
  apiKeyHelper: s,
  awsAuthRefresh: s,
  awsCredentialExport: s,
  gcpAuthRefresh: s,
  otelHeadersHelper: s,
  cleanupPeriodDays: n,
  includeCoAuthoredBy: b,
  includeGitInstructions: b,
  attribution: obj,
  statusLine: obj,
  outputStyle: s,
  alwaysThinkingEnabled: b,
  spinnerTipsEnabled: b,
  spinnerVerbs: any,
  spinnerTipsOverride: any,
  companyAnnouncements: sa,
  autoUpdatesChannel: { t: 'enum', values: ['stable', 'latest'] },
  language: s,
  respectGitignore: b,
  prefersReducedMotion: b,
  terminalProgressBarEnabled: b,
  showTurnDuration: b,
  plansDirectory: s,
  fileSuggestion: obj,
  teammateMode: any,
  worktree: obj,
  skipWebFetchPreflight: b,
  feedbackSurveyRate: n,
  // managed-only keys (valid in managed files; reported elsewhere by settings/managed-only-key)
  allowManagedPermissionRulesOnly: b,
  allowManagedHooksOnly: b,
  allowManagedMcpServersOnly: b,
  allowAllClaudeAiMcps: b,
  strictKnownMarketplaces: { t: 'array' },
  blockedMarketplaces: { t: 'array' },
  strictPluginOnlyCustomization: { t: 'bool-or-string[]' },
  pluginTrustMessage: s,
  pluginSuggestionMarketplaces: any,
  disableCommandPluginSources: b,
  disableSideloadFlags: b,
  forceRemoteSettingsRefresh: b,
  parentSettingsBehavior: { t: 'enum', values: ['first-wins', 'merge'] },
  policyHelper: obj,
  requiredMinimumVersion: s,
  requiredMaximumVersion: s,
  claudeMd: s,
  channelsEnabled: b,
  allowedChannelPlugins: any,
  forceLoginGatewayUrl: s,
  sshHostAllowlist: any,
  browserExternalPageTools: { t: 'enum', values: ['disabled'] },
  disableBrowserExternalNavigation: b,
  disableMobileSimulatorTools: b,
  wslInheritsWindowsSettings: b,
};

/** Deprecated Claude Code keys: the key, what replaced it. */
export const CLAUDE_LEGACY_KEYS: Record<string, string> = {
  includeCoAuthoredBy: '`attribution`',
  allowedTools: '`permissions.allow`',
  ignorePatterns: '`permissions.deny` with `Read(...)` rules',
  'permissions.allowedTools': '`permissions.allow`',
  'permissions.disallowedTools': '`permissions.deny`',
};

/** Gemini CLI v1 flat keys that the current CLI ignores (formats §2.2), and their v2 home. */
export const GEMINI_LEGACY_KEYS: Record<string, string> = {
  coreTools: 'tools.core',
  excludeTools: 'tools.exclude',
  allowedTools: 'tools.allowed',
  allowMCPServers: 'mcp.allowed',
  excludeMCPServers: 'mcp.excluded',
  mcpServerCommand: 'mcp.serverCommand',
  contextFileName: 'context.fileName',
  autoAccept: 'tools.autoAccept',
  sandbox: 'tools.sandbox',
  theme: 'ui.theme',
  vimMode: 'general.vimMode',
  checkpointing: 'general.checkpointing',
  preferredEditor: 'general.preferredEditor',
  usageStatisticsEnabled: 'privacy.usageStatisticsEnabled',
  hideTips: 'ui.hideTips',
  hideBanner: 'ui.hideBanner',
  selectedAuthType: 'security.auth.selectedType',
  fileFiltering: 'context.fileFiltering',
  memoryDiscoveryMaxDirs: 'context.discoveryMaxDirs',
  includeDirectories: 'context.includeDirectories',
  loadMemoryFromIncludeDirectories: 'context.loadMemoryFromIncludeDirectories',
  summarizeToolOutput: 'model.summarizeToolOutput',
  toolDiscoveryCommand: 'tools.discoveryCommand',
  toolCallCommand: 'tools.callCommand',
  folderTrust: 'security.folderTrust.enabled',
  maxSessionTurns: 'model.maxSessionTurns',
  chatCompression: 'model.chatCompression',
  showLineNumbers: 'ui.showLineNumbers',
  disableAutoUpdate: 'general.disableAutoUpdate',
};

/** Gemini CLI v2 top-level keys. */
export const GEMINI_KEYS: ReadonlySet<string> = new Set([
  '$schema',
  'general',
  'output',
  'ui',
  'ide',
  'privacy',
  'telemetry',
  'model',
  'modelConfigs',
  'agents',
  'context',
  'tools',
  'mcp',
  'useWriteTodos',
  'security',
  'advanced',
  'experimental',
  'extensions',
  'skills',
  'hooksConfig',
  'hooks',
  'mcpServers',
  'policyPaths',
  'adminPolicyPaths',
  'admin',
  'billing',
  'useSmartEdit',
  'useRipgrep',
]);

/** Checks a value against a spec; returns a description of what is wrong, or undefined. */
export function typeError(spec: TypeSpec, v: unknown): string | undefined {
  switch (spec.t) {
    case 'string':
      return typeof v === 'string' ? undefined : 'must be a string';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      return typeof v === 'number' ? undefined : 'must be a number';
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v)
        ? undefined
        : `must be one of ${spec.values.map((x) => `"${x}"`).join(', ')}`;
    case 'string[]':
      return Array.isArray(v) ? undefined : 'must be a list of strings';
    case 'string-map':
      return v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be an object of strings';
    case 'object':
      return v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be an object';
    case 'array':
      return Array.isArray(v) ? undefined : 'must be a list';
    case 'bool-or-string[]':
      return typeof v === 'boolean' || Array.isArray(v) ? undefined : 'must be true, false or a list';
    case 'string-or-string[]':
      return typeof v === 'string' || Array.isArray(v) ? undefined : 'must be a string or a list of strings';
    case 'any':
      return undefined;
  }
}
