// boundary/agent-can-read: an agent the org uses can read a path the policy excludes (`boundary.exclude`), because
// the agent's own mechanism does not cover it. Names the agent, the path and the missing line; the quick fix adds
// it (to the ignore file; to the Managed source's Read denies as a proposal, since Managed changes need ratifying).

import type { Rule } from '../../rule';
import { AGENT_NAMES, boundaryGaps, boundaryPolicy, codyExcludesRepo, codyFilters } from '../../boundary/index';
import { claudeEffective } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { addToManagedDeny, allOrNothing } from '../../permissions/report';
import { appendLinesEdit, FILE_START } from '../../text';
import type { Fix, Range, RelatedLocation } from '../../types';

export const rule: Rule = {
  meta: {
    id: 'boundary/agent-can-read',
    surface: 'boundary',
    defaultSeverity: 'error',
    description: 'An agent the org uses can read a path the data boundary excludes',
    fixable: true,
    messages: {
      claude:
        'Claude Code can read {path}: no Read deny rule in the Managed source ({file}) covers it. Add {missing} to its permissions.deny.',
      claudeProject:
        "Claude Code's Read deny for {path} is only in Project settings, which a developer's Local settings or a command-line flag can override. Move {missing} into the Managed source ({file}).",
      ignoreFile: '{agent} can read {path}: {file} does not exclude it{note}. Add the line {missing}.',
      codyRepo:
        "Cody can read {paths}: Cody's context filters ({file}) are repo-level, and they do not exclude {repo}. Exclude the repository in cody.contextFilters, or take Cody off this repository's agents.",
      codyUnknown:
        "Cody is one of the org's agents, but its context filters cannot be checked: set boundary.codyContextFilters to a copy of the site configuration's cody.contextFilters{repoHint}. Until then nothing shows that Cody cannot read {paths}.",
      copilot:
        "GitHub Copilot's content exclusion lives in the repository's or organization's settings on GitHub: not verifiable from the repository. Check that it excludes {paths}.",
    },
  },
  check(ctx) {
    const bp = boundaryPolicy(ctx.policy);
    const globs = Array.isArray(bp.exclude) ? bp.exclude : [];
    const agents = Array.isArray(bp.agents) ? bp.agents : [];
    if (!globs.length || !agents.length) return;
    const policyAt = (i: number): RelatedLocation | undefined => {
      const o = ctx.policy.origin(`/boundary/exclude/${i}`);
      return o ? { ...o, message: 'the policy excludes this path' } : undefined;
    };
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy, { shadows: false });
    for (const gap of boundaryGaps(ctx.snapshot, ctx.cache, ctx.policy)) {
      const rel = policyAt(gap.index);
      const exists = ctx.snapshot.fileSet.has(gap.file);
      const where = whereTo(gap.file, exists, rel);
      let fixes: Fix[];
      if (gap.agent === 'claude-code') {
        const source = e.stack.managedSource;
        fixes = allOrNothing(
          `Add ${gap.missing} to the Managed source (${gap.file})`,
          [addToManagedDeny(gap.file, source, [gap.missing])],
          { kind: 'proposal', isPreferred: true },
        );
      } else {
        const r = ctx.snapshot.read(gap.file);
        const text = r.ok ? r.text : '';
        const edit = appendLinesEdit(text, [gap.missing]);
        fixes = [
          {
            title: `Add ${gap.missing} to ${gap.file}`,
            edits: [{ file: gap.file, ...edit, ...(exists ? {} : { create: true }) }],
            isPreferred: true,
          },
        ];
      }
      const messageId = gap.agent === 'claude-code' ? (gap.weaker ? 'claudeProject' : 'claude') : 'ignoreFile';
      ctx.report({
        messageId,
        data: {
          agent: AGENT_NAMES[gap.agent],
          path: gap.glob,
          file: gap.file,
          missing: gap.missing,
          note: gap.note ? ` (${gap.note})` : '',
        },
        file: where.file,
        range: where.range,
        ...(rel && rel.file !== where.file ? { related: [rel] } : {}),
        ...(gap.weaker ? { severity: 'warning' as const } : {}),
        fixes,
        extra: { agent: gap.agent, path: gap.glob },
      });
    }
    const agentsAt = ctx.policy.origin('/boundary/agents');
    if (!agentsAt) return;
    const paths = globs.slice(0, 5).join(', ') + (globs.length > 5 ? ', …' : '');
    if (agents.includes('cody')) {
      const f = codyFilters(ctx.snapshot, ctx.cache, ctx.policy);
      if (!f || 'unreadable' in f) {
        ctx.report({
          messageId: 'codyUnknown',
          data: { paths, repoHint: bp.repoName ? '' : " (and boundary.repoName to this repository's name)" },
          file: agentsAt.file,
          range: agentsAt.range,
          severity: 'warning',
        });
      } else if (!bp.repoName) {
        ctx.report({
          messageId: 'codyUnknown',
          data: { paths, repoHint: " and boundary.repoName to this repository's name" },
          file: agentsAt.file,
          range: agentsAt.range,
          severity: 'warning',
        });
      } else if (f.present && !codyExcludesRepo(f, bp.repoName)) {
        ctx.report({
          messageId: 'codyRepo',
          data: { paths, file: f.file, repo: bp.repoName },
          file: f.file,
          range: rangeAt(f.parsed, f.path, true),
          related: [{ ...agentsAt, message: "Cody is one of the org's agents" }],
        });
      }
    }
    if (agents.includes('copilot')) {
      ctx.report({
        messageId: 'copilot',
        data: { paths },
        file: agentsAt.file,
        range: agentsAt.range,
        severity: 'info',
      });
    }
  },
};

/** On the agent's file when it exists, else on the policy's line (a finding on a missing file has nowhere to show). */
function whereTo(file: string, exists: boolean, rel: RelatedLocation | undefined): { file: string; range: Range } {
  if (exists || !rel) return { file, range: FILE_START };
  return { file: rel.file, range: rel.range };
}
