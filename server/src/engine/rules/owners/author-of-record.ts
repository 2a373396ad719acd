// owners/author-of-record: the pull-request template has no field naming the human author of record
// (`ownership.authorOfRecordField`). With coding agents writing the change, review needs a named person accountable
// for it; the template is where every PR gets that field. The field is this product's convention, not the
// platform's: the rule speaks only when a policy names the field (the embedded baseline does not).

import { chooseCodeowners } from '../../ownership/analysis';
import type { Rule } from '../../rule';
import { appendLinesEdit, FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'owners/author-of-record',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'The pull-request template lacks the author-of-record field',
    fixable: true,
    dependsOn: ['pr-template', 'codeowners', 'files'],
    messages: {
      missingField:
        'This pull-request template has no "{field}" field: with agents writing code, each PR should name the human accountable for it (policy ownership.authorOfRecordField). Add a "{field}:" line.',
      noTemplate:
        'There is no pull-request template, so PRs do not ask for the "{field}" (the human accountable for an agent-written change; policy ownership.authorOfRecordField). Add {file} with that field.',
    },
  },
  check(ctx) {
    const field = ctx.policy.ownership.authorOfRecordField;
    if (!field) return;
    const line = `**${field}:** <!-- @handle of the human accountable for this change -->`;
    const templates = ctx.snapshot.byKind('pr-template');
    if (!templates.length) {
      const dialect = chooseCodeowners(ctx.snapshot, ctx.policy).dialect;
      const file =
        dialect === 'gitlab' ? '.gitlab/merge_request_templates/Default.md' : '.github/pull_request_template.md';
      const related = ctx.policy.origin('/ownership/authorOfRecordField');
      ctx.report({
        messageId: 'noTemplate',
        data: { field, file },
        file,
        range: FILE_START,
        ...(related ? { related: [related] } : {}),
        severity: 'info',
        fixes: [
          {
            title: `Create ${file} with the "${field}" field`,
            edits: [
              {
                file,
                range: FILE_START,
                newText: `## Summary\n\n<!-- What does this change and why? -->\n\n${line}\n`,
                create: true,
              },
            ],
            kind: 'quickfix',
            isPreferred: true,
          },
        ],
      });
      return;
    }
    const needle = field.toLowerCase();
    for (const t of templates) {
      const r = ctx.snapshot.read(t.path);
      if (!r.ok || r.text.toLowerCase().includes(needle)) continue;
      ctx.report({
        messageId: 'missingField',
        data: { field },
        file: t.path,
        range: FILE_START,
        fixes: [
          {
            title: `Add the "${field}" field`,
            edits: [{ file: t.path, ...appendLinesEdit(r.text, ['', line]) }],
            kind: 'quickfix',
            isPreferred: true,
          },
        ],
      });
    }
  },
};
