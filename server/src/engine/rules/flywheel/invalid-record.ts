// flywheel/invalid-record: a signal or proposal file the flywheel cannot read (broken frontmatter, a missing key, an
// unknown status). The record is skipped; every other record still works.

import type { Rule } from '../../rule';
import { lineRange, state } from './shared';

export const rule: Rule = {
  meta: {
    id: 'flywheel/invalid-record',
    surface: 'flywheel',
    defaultSeverity: 'error',
    description: 'A signal or proposal file of .governance/ is malformed, so the flywheel skips it',
    fixable: false,
    messages: {
      invalid: '{path} is not a valid {what}: {message}. The flywheel skips it until it is fixed (docs/flywheel.md, "File formats").',
    },
    dependsOn: ['governance-proposal', 'governance-signal', 'files'],
  },
  check(ctx) {
    const { st } = state(ctx);
    for (const i of st.invalid) {
      ctx.report({
        messageId: 'invalid',
        data: { path: i.path, what: i.path.startsWith('.governance/signals/') ? 'signal' : 'proposal', message: i.message },
        file: i.path,
        range: lineRange(ctx, i.path, i.line),
      });
    }
  },
};
