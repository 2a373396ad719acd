// Classify a root-relative path into a governance file kind (or none).

import type { FileKind } from './types';

/** Where the platforms look for CODEOWNERS, in the order GitHub reads them (first found wins). */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;
export const GITLAB_CODEOWNERS_LOCATIONS = ['CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] as const;
export const BITBUCKET_CODEOWNERS_LOCATIONS = ['.bitbucket/CODEOWNERS', 'CODEOWNERS'] as const;

export const MARKDOWN_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'claude-md',
  'claude-local-md',
  'claude-rules',
  'agents-md',
  'gemini-md',
  'cursorrules',
  'cursor-mdc',
  'copilot-instructions',
  'copilot-scoped-instructions',
  'pr-template',
  'governance-proposal',
]);

export const CONVENTION_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'claude-md',
  'claude-local-md',
  'claude-rules',
  'agents-md',
  'gemini-md',
  'cursorrules',
  'cursor-mdc',
  'copilot-instructions',
  'copilot-scoped-instructions',
]);

export const JSON_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'claude-settings',
  'claude-settings-local',
  'claude-managed-settings',
  'mcp-json',
  'vscode-mcp-json',
  'cursor-mcp-json',
  'amazonq-mcp-json',
  'gemini-settings',
  'governance-policy',
]);

const MAYBE_GOVERNANCE = /\.(md|mdc|json|ya?ml)$/i;

function base(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/** The kind of a root-relative path, or undefined when it is not a governance file. */
export function classify(path: string): FileKind | undefined {
  const name = base(path);
  // Fast exit for the bulk of a repository (source files): no governance file kind ends otherwise.
  if (name !== 'CODEOWNERS' && name[0] !== '.' && !path.startsWith('.governance/') && !MAYBE_GOVERNANCE.test(name)) {
    return undefined;
  }
  const lower = path.toLowerCase();

  if (path.startsWith('.governance/')) {
    if (path === '.governance/policy.json') return 'governance-policy';
    if (path.startsWith('.governance/signals/')) return 'governance-signal';
    if (path.startsWith('.governance/proposals/') && name.endsWith('.md')) return 'governance-proposal';
    // managed-mcp.json beside the Managed source: Claude Code's exclusive managed MCP config (mcp/claude.ts), not settings.
    if (name === 'managed-mcp.json') return 'mcp-json';
    if (/^\.governance\/managed\/.*\.json$/.test(path)) return 'claude-managed-settings';
    return 'governance-other';
  }

  if (name === 'CODEOWNERS') {
    if (path === name || /^(\.github|docs|\.gitlab|\.bitbucket)\/CODEOWNERS$/.test(path)) return 'codeowners';
    // A package's own `.github/` or `.gitlab/` (packages/x/.github/CODEOWNERS): never read by the platform, which looks
    // only at the repository's root; listed so that owners/ignored-file says so.
    if (/\/(\.github|\.gitlab)\/CODEOWNERS$/.test(path) && !path.includes('node_modules/')) return 'codeowners';
    return undefined;
  }

  // PR templates: .github/pull_request_template.md, root, docs/, .github/PULL_REQUEST_TEMPLATE/*.md,
  // GitLab's .gitlab/merge_request_templates/*.md.
  if (
    /^(\.github\/|docs\/)?pull_request_template\.md$/i.test(path) ||
    /^(\.github\/|docs\/)?pull_request_template\/[^/]+\.md$/i.test(path) ||
    /^\.gitlab\/merge_request_templates\/[^/]+\.md$/i.test(path)
  ) {
    return 'pr-template';
  }

  if (name === 'CLAUDE.local.md') return 'claude-local-md';
  if (name === 'CLAUDE.md') return 'claude-md';
  if (/(^|\/)\.claude\/rules\/.+\.md$/.test(path)) return 'claude-rules';
  if (name === 'AGENTS.md') return 'agents-md';
  if (name === 'GEMINI.md') return 'gemini-md';
  if (name === '.cursorrules') return 'cursorrules';
  if (/(^|\/)\.cursor\/rules\/.+\.mdc$/.test(path)) return 'cursor-mdc';
  if (path === '.github/copilot-instructions.md') return 'copilot-instructions';
  if (/^\.github\/instructions\/.+\.instructions\.md$/.test(path)) return 'copilot-scoped-instructions';

  if (/(^|\/)\.claude\/settings\.json$/.test(path)) return 'claude-settings';
  if (/(^|\/)\.claude\/settings\.local\.json$/.test(path)) return 'claude-settings-local';
  if (name === 'managed-settings.json' && !path.includes('/node_modules/')) return 'claude-managed-settings';
  if (name === '.mcp.json') return 'mcp-json';
  if (name === 'managed-mcp.json' && !path.includes('node_modules/')) return 'mcp-json';
  if (/(^|\/)\.vscode\/mcp\.json$/.test(path)) return 'vscode-mcp-json';
  if (/(^|\/)\.cursor\/mcp\.json$/.test(path)) return 'cursor-mcp-json';
  if (/^\.amazonq\/(mcp|default)\.json$/.test(path)) return 'amazonq-mcp-json';
  if (/(^|\/)\.gemini\/settings\.json$/.test(path)) return 'gemini-settings';
  if (name === '.cursorignore' || name === '.geminiignore' || name === '.aiexclude' || name === '.codeiumignore') {
    return 'agent-ignore';
  }
  if (
    /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) ||
    lower === '.gitlab-ci.yml' ||
    path === 'bitbucket-pipelines.yml'
  ) {
    return 'ci-workflow';
  }
  return undefined;
}
