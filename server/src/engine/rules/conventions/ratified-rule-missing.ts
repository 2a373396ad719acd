// conventions/ratified-rule-missing: a rule the flywheel applied (a proposal with `status: applied` in
// .governance/proposals/, written into its target marked `<!-- flywheel:rule <id> sha256=… -->`) was removed
// from its target, or its text was changed outside a proposal. Ratified rules change only through a new
// proposal, so the team's decision and the file never disagree silently. Format: docs/rules/conventions/ratified-rule-missing.md.

import type { Rule } from '../../rule';
import { appendLinesEdit, FILE_START } from '../../text';
import { parseConvention } from '../../conventions/parse';
import { markerLines, markersOf, normaliseRuleText, proposals, ruleHash } from '../../conventions/ratified';
import { rangeOf } from '../../conventions/report';
import { conventionFiles } from '../../conventions/text';
import type { RelatedLocation } from '../../types';

export const rule: Rule = {
  meta: {
    id: 'conventions/ratified-rule-missing',
    surface: 'conventions',
    defaultSeverity: 'error',
    description: 'A ratified rule applied by the flywheel was removed from its file or changed outside a proposal',
    fixable: true,
    messages: {
      missing:
        'Ratified rule {id} ("{rule}") is missing from {path}: it was applied by proposal {id} and removed since. Restore it (quick fix), or retire it through a new proposal so the ledger records the decision.',
      targetMissing:
        'Proposal {id} is applied to {path}, but that file does not exist. Restore the file with the rule, or record the move in a new proposal.',
      changed:
        'The text of ratified rule {id} changed outside a proposal (its sha256 no longer matches{detail}). Ratified rules change only through a proposal: restore the ratified text (quick fix) or draft a proposal for the change.',
      unknown:
        'This marks ratified rule {id}, but no proposal {id} is applied in .governance/proposals/. Keep the ledger and the file in step: restore the proposal, or remove the marker.',
    },
    dependsOn: [
      'governance-proposal',
      'claude-md',
      'claude-local-md',
      'claude-rules',
      'agents-md',
      'gemini-md',
      'cursorrules',
      'cursor-mdc',
      'copilot-instructions',
      'copilot-scoped-instructions',
      'files',
    ],
  },
  check(ctx) {
    const all = proposals(ctx.snapshot, ctx.cache);
    const applied = all.filter(
      (p) =>
        p.status === 'applied' &&
        p.target &&
        p.retires === undefined &&
        (p.route === undefined || p.route === 'convention'),
    );
    const byTarget = new Map<string, typeof applied>();
    const govByPath = applied.length ? new Map(ctx.snapshot.governance.map((g) => [g.path, g])) : undefined;
    for (const p of applied) {
      // One rule, every agent: a convention proposal may carry the rule to several agents' files.
      for (const target of new Set([p.target!, ...(p.targets ?? [])])) {
        const t = govByPath?.get(target)?.symlinkTo ?? target;
        const list = byTarget.get(t) ?? [];
        if (!list.includes(p)) byTarget.set(t, [...list, p]);
      }
    }
    const targets = new Set<string>(byTarget.keys());
    // Markers without an applied proposal can sit in any convention file.
    for (const g of conventionFiles(ctx.snapshot)) targets.add(g.path);
    for (const target of targets) {
      const props = byTarget.get(target) ?? [];
      const parsed = ctx.snapshot.fileSet.has(target) ? parseConvention(ctx.snapshot, ctx.cache, target) : undefined;
      const markers = parsed ? markersOf(parsed) : [];
      if (!props.length && !markers.length) continue;
      for (const prop of props) {
        const proposalLoc: RelatedLocation = {
          file: prop.path,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `proposal ${prop.id} (applied)`,
        };
        if (!parsed) {
          if (!ctx.snapshot.fileSet.has(target)) {
            ctx.report({
              messageId: 'targetMissing',
              data: { id: prop.id, path: target },
              file: prop.path,
              range: FILE_START,
            });
          }
          continue;
        }
        const mine = markers.filter((m) => m.id === prop.id);
        const ruleText = prop.rule !== undefined ? normaliseRuleText(prop.rule) : undefined;
        if (!mine.length) {
          // Without a marker, the exact text still counts as present (a hand-applied rule).
          if (ruleText && normaliseRuleText(parsed.text).includes(ruleText)) continue;
          ctx.report({
            messageId: 'missing',
            data: { id: prop.id, rule: (ruleText ?? '(text in the proposal)').slice(0, 120), path: target },
            file: target,
            range: FILE_START,
            related: [proposalLoc],
            ...(ruleText
              ? {
                  fixes: [
                    {
                      title: `Restore ratified rule ${prop.id}`,
                      isPreferred: true,
                      edits: [
                        { file: target, ...appendLinesEdit(parsed.text, ['', ...markerLines(prop.id, ruleText)]) },
                      ],
                    },
                  ],
                }
              : {}),
          });
          continue;
        }
        for (const m of mine) {
          const current = m.text !== undefined ? normaliseRuleText(m.text) : '';
          const hashOk = !m.sha256 || (m.text !== undefined && ruleHash(m.text) === m.sha256);
          const textOk =
            ruleText === undefined ||
            current === ruleText ||
            (m.text !== undefined && current.replace(/^[-*+]\s+/, '') === ruleText.replace(/^[-*+]\s+/, ''));
          if (hashOk && textOk && m.text !== undefined) continue;
          const span = m.textSpan ?? m.marker;
          const restore = ruleText ?? undefined;
          ctx.report({
            messageId: 'changed',
            data: {
              id: prop.id,
              detail: ruleText !== undefined && !textOk ? ', and it differs from the proposal' : '',
            },
            file: target,
            range: rangeOf(parsed, span),
            related: [proposalLoc],
            ...(restore !== undefined
              ? {
                  fixes: [
                    {
                      title: `Restore the ratified text of ${prop.id}`,
                      edits: [
                        {
                          file: target,
                          range: rangeOf(parsed, { start: m.marker.start, end: m.textSpan?.end ?? m.marker.end }),
                          newText: markerLines(prop.id, restore).join(parsed.text.includes('\r\n') ? '\r\n' : '\n'),
                        },
                      ],
                    },
                  ],
                }
              : {}),
          });
        }
      }
      const known = new Set(
        all
          .filter(
            (p) =>
              p.status === 'applied' && p.retires === undefined && (p.route === undefined || p.route === 'convention'),
          )
          .map((p) => p.id),
      );
      for (const m of markers) {
        if (known.has(m.id) || !parsed) continue;
        ctx.report({
          messageId: 'unknown',
          data: { id: m.id },
          file: target,
          range: rangeOf(parsed, m.marker),
          severity: 'warning',
        });
      }
    }
  },
};
