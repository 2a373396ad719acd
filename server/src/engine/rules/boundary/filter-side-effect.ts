// boundary/filter-side-effect (info): with exclude filters active, Cody disables some features (Prompts in chat).
// The seed: the boundary is a compliance mechanism — resist loosening it to get a feature back.

import type { Rule } from '../../rule';
import { codyFilters } from '../../boundary/index';
import { rangeAt } from '../../permissions/json';

export const rule: Rule = {
  meta: {
    id: 'boundary/filter-side-effect',
    surface: 'boundary',
    defaultSeverity: 'info',
    description: 'Cody exclude filters disable Prompts; keep the boundary rather than loosen it',
    fixable: false,
    messages: {
      prompts:
        'With exclude filters in cody.contextFilters, Cody disables Prompts (and some other chat features). That is the price of the boundary: when users ask for Prompts back, resist loosening the filters — the boundary is a compliance control.',
    },
  },
  check(ctx) {
    const f = codyFilters(ctx.snapshot, ctx.cache, ctx.policy);
    if (!f || 'unreadable' in f || !f.exclude?.length) return;
    ctx.report({ messageId: 'prompts', file: f.file, range: rangeAt(f.parsed, [...f.path, 'exclude'], true) });
  },
};
