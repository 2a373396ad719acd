// Literal credentials in an MCP server entry: `env`, `headers`, `args`, `url`. A reference the client expands
// (`${VAR}`, `${VAR:-}`, `${env:VAR}`, `${input:id}`, `$VAR`) is fine: the secret stays in the environment or the
// client's secret store. Known token formats come from the conventions surface's secret detector; beyond those,
// a Basic or Bearer `Authorization` header, a credential-named env var or header, a `--token`-style argument or a
// credential query parameter holding a literal value.

import { findSecrets } from '../conventions/secrets';
import type { McpServer } from './config';
import { isReference } from './config';

export interface CredentialHit {
  /** JSON path (under the server entry) of the value. */
  path: (string | number)[];
  kind: string;
}

const CREDENTIAL_NAME =
  /(?:^|[_-])(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credentials?|pat)(?:$|[_-])/i;
const CREDENTIAL_FLAG =
  /^--?(?:api[-_]?key|apikey|token|access[-_]?token|auth[-_]?token|secret|client[-_]?secret|password|pat)(?:=(.*))?$/i;
const CREDENTIAL_QUERY = /[?&](?:api[_-]?key|apikey|token|access_token|auth|key|secret|password)=([^&#]+)/i;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Values people leave for the user to fill in (`<paste-your-token-here>`, `your-api-key`, `xxxx`). Narrower than
 * the conventions' list: a Notion token starts with `secret_`, and that is a secret. */
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|<.*>|\{.*\}|\[.*\]|%.*%|.*(?:your|example|sample|placeholder|changeme|change_me|replace|redacted|dummy|xxxx|\.\.\.).*)$/i;

/** A literal that is neither a reference nor a placeholder. */
function literal(v: string): boolean {
  const t = v.trim();
  return t.length >= 4 && !isReference(t) && !PLACEHOLDER.test(t);
}

function looksSecret(t: string): boolean {
  return /[A-Za-z]/.test(t) && /[0-9]/.test(t) && new Set(t).size >= 6;
}

/** A value that looks like a generated secret (not a word, a mode, a URL or a path). */
function secretish(v: string): boolean {
  const t = v.trim();
  if (!literal(t) || !looksSecret(t) || /\s|:\/\//.test(t) || (t.startsWith('/') && !t.includes('=')) || t.length < 12)
    return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[-_+/=.]/].filter((r) => r.test(t)).length;
  return classes >= 3 || (t.length >= 24 && classes >= 2);
}

export function credentialsOf(s: McpServer): CredentialHit[] {
  const out: CredentialHit[] = [];
  const e = s.entry;
  const known = (v: string, path: (string | number)[]) => {
    const hit = findSecrets(v)[0];
    if (hit && !isReference(v.slice(hit.start, hit.end))) {
      out.push({ path, kind: `a ${hit.kind}` });
      return true;
    }
    return false;
  };
  if (isObj(e.headers)) {
    for (const [k, v] of Object.entries(e.headers)) {
      if (typeof v !== 'string') continue;
      const path = ['headers', k];
      if (known(v, path)) continue;
      const auth = /^\s*(Basic|Bearer|Token)\s+(\S.*)$/i.exec(v);
      if (auth) {
        if (literal(auth[2]!))
          out.push({ path, kind: `${auth[1]!.replace(/^./, (c) => c.toUpperCase())} credentials in the ${k} header` });
        continue;
      }
      if ((/^authorization$/i.test(k) || CREDENTIAL_NAME.test(k) || /^x-api-key$/i.test(k)) && secretish(v)) {
        out.push({ path, kind: `a literal ${k} header` });
      }
    }
  }
  if (isObj(e.env)) {
    for (const [k, v] of Object.entries(e.env)) {
      if (typeof v !== 'string') continue;
      const path = ['env', k];
      if (known(v, path)) continue;
      if (CREDENTIAL_NAME.test(k) && secretish(v)) out.push({ path, kind: `a literal value of ${k}` });
    }
  }
  const args = Array.isArray(e.args) ? e.args : [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string') continue;
    if (known(a, ['args', i])) continue;
    const m = CREDENTIAL_FLAG.exec(a);
    if (!m) continue;
    if (m[1] !== undefined) {
      if (secretish(m[1])) out.push({ path: ['args', i], kind: `a literal ${a.slice(0, a.indexOf('='))} argument` });
    } else {
      const next = args[i + 1];
      if (typeof next === 'string' && secretish(next))
        out.push({ path: ['args', i + 1], kind: `a literal ${a} argument` });
    }
  }
  if (s.url && s.urlKey) {
    if (!known(s.url, [s.urlKey])) {
      const q = CREDENTIAL_QUERY.exec(s.url);
      if (q && secretish(decodeSafe(q[1]!))) out.push({ path: [s.urlKey], kind: 'a credential in the URL query' });
    }
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
