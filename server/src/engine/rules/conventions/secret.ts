// conventions/secret: a credential in a convention file — a cloud key, an API token, a private key, a
// `password=`-style value. Convention files are committed and loaded into every agent session, so the secret
// leaks to everyone with the repository and to the model provider. Placeholders (`<token>`, `${API_KEY}`,
// `xxxx`, `example…`) are not findings.

import type { Rule } from '../../rule';
import { parseConvention, perChunk } from '../../conventions/parse';
import { rangeOf } from '../../conventions/report';
import { findSecrets } from '../../conventions/secrets';
import { conventionFiles } from '../../conventions/text';

export const rule: Rule = {
  meta: {
    id: 'conventions/secret',
    surface: 'conventions',
    defaultSeverity: 'error',
    description: 'A convention file contains a credential (cloud key, token, private key, password value)',
    fixable: false,
    messages: {
      secret:
        'This looks like a {kind}. Convention files are committed and sent to the model in every session, so it is exposed; revoke it, remove it, and point agents to where credentials are read from (an environment variable or the secret store).',
    },
  },
  check(ctx) {
    for (const g of conventionFiles(ctx.snapshot)) {
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p) continue;
      const hits = ctx.cache.memo('conventions:secrets:' + g.path, ctx.snapshot.version(g.path), () =>
        perChunk(p, 'secrets', findSecrets),
      );
      for (const h of hits)
        ctx.report({ messageId: 'secret', data: { kind: h.kind }, file: g.path, range: rangeOf(p, h) });
    }
  },
};
