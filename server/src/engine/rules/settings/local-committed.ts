// settings/local-committed: `.claude/settings.local.json` tracked by git. Local is a personal scratchpad that
// outranks the team's Project settings; committed, one developer's allow rules reach everyone who clones.

import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'settings/local-committed',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description: '.claude/settings.local.json is tracked by git',
    fixable: false,
    messages: {
      committed:
        "{file} is committed. Local settings are a personal scratchpad that outranks the team's .claude/settings.json, so every clone now inherits one developer's rules. Move shared rules to .claude/settings.json, then `git rm --cached {file}` and add it to .gitignore.",
    },
    dependsOn: ['claude-settings-local', 'files'],
  },
  check(ctx) {
    for (const g of ctx.snapshot.byKind('claude-settings-local')) {
      if (g.tracked === true)
        ctx.report({ messageId: 'committed', data: { file: g.path }, file: g.path, range: FILE_START });
    }
  },
};
