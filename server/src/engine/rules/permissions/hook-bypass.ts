// permissions/hook-bypass: a PreToolUse hook that answers `allow` (permissionDecision / decision "approve") or
// rewrites the tool input (updatedInput) for tools that deny or ask rules govern. An allow answer approves calls
// no rule decides, without a prompt; a rewrite changes the call after the rules were written for what the model
// asked. Detected in the hook's command text, or in the hook script when it is a file of this repository.

import type { Rule } from '../../rule';
import { allClaudeFiles, claudeEffective } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';

const ALLOW = /permissionDecision["'\\\s:]+(allow)|"decision"\s*:\s*"approve"|\\"decision\\"\s*:\s*\\"approve\\"/;
const REWRITE = /updatedInput/;

function matcherCovers(matcher: string | undefined, tool: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  if (/^[A-Za-z0-9_\- ,|]+$/.test(matcher))
    return matcher
      .split(/[|,]/)
      .map((s) => s.trim())
      .includes(tool);
  try {
    return new RegExp(matcher).test(tool);
  } catch {
    return false;
  }
}

export const rule: Rule = {
  meta: {
    id: 'permissions/hook-bypass',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description: 'A PreToolUse hook answers allow or rewrites tool input for tools that deny/ask rules govern',
    fixable: false,
    messages: {
      allow:
        'This PreToolUse hook (matcher "{matcher}") answers "allow": every {tools} call no rule decides runs without a prompt, next to {rules}. Let the hook deny or ask instead, or narrow its matcher.',
      rewrite:
        'This PreToolUse hook (matcher "{matcher}") rewrites tool input (updatedInput): {rules} were checked against what the model asked, and the call that runs can differ. Make sure the rewrite cannot widen a call.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const guarded = e.rules.filter((r) => r.status !== 'dead' && (r.list === 'deny' || r.list === 'ask'));
    for (const f of allClaudeFiles(ctx.snapshot, ctx.cache, ctx.policy)) {
      const hooks = (f.value.hooks as Record<string, unknown> | undefined)?.PreToolUse;
      if (!Array.isArray(hooks)) continue;
      hooks.forEach((group, gi) => {
        if (!group || typeof group !== 'object') return;
        const matcher = (group as { matcher?: string }).matcher;
        const handlers = (group as { hooks?: unknown[] }).hooks;
        if (!Array.isArray(handlers)) return;
        handlers.forEach((h, hi) => {
          const cmd =
            typeof (h as { command?: unknown })?.command === 'string' ? (h as { command: string }).command : '';
          let text = cmd;
          const script = cmd.match(/(?:\$CLAUDE_PROJECT_DIR"?\/|\.\/)?(\.claude\/[\w./-]+)/)?.[1];
          if (script) {
            const r = ctx.snapshot.read(script);
            if (r.ok) text += '\n' + r.text;
          }
          const kind = ALLOW.test(text) ? 'allow' : REWRITE.test(text) ? 'rewrite' : undefined;
          if (!kind) return;
          const hit = guarded.filter((r) => matcherCovers(matcher, r.parsed.tool));
          if (!hit.length) return;
          const tools = [...new Set(hit.map((r) => r.parsed.tool))].join('/');
          const rules =
            hit
              .slice(0, 3)
              .map((r) => `${r.list} ${r.text} (${r.file.file})`)
              .join(', ') + (hit.length > 3 ? ` and ${hit.length - 3} more` : '');
          ctx.report({
            messageId: kind,
            data: { matcher: matcher ?? '*', tools, rules },
            file: f.file,
            range: rangeAt(f.parsed, ['hooks', 'PreToolUse', gi, 'hooks', hi]),
            related: hit
              .slice(0, 5)
              .map((r) => ({ file: r.file.file, range: r.range, message: `${r.list} rule the hook stands beside` })),
          });
        });
      });
    }
  },
};
