// Credentials in convention files. Convention files are committed and loaded into every agent session, so a key
// pasted there leaks to the repository and to the model provider. Built-in JavaScript patterns (ours, linear).

export interface SecretHit {
  kind: string;
  start: number;
  end: number;
}

const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  {
    kind: 'AWS secret access key',
    re: /\baws_?secret_?access_?key\b["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
  },
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/g },
  { kind: 'GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'Slack token', re: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'Slack webhook', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{20,}/g },
  { kind: 'Stripe secret key', re: /\b[rs]k_live_[0-9A-Za-z]{20,}\b/g },
  { kind: 'Anthropic API key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  {
    kind: 'OpenAI API key',
    re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-proj-[A-Za-z0-9_-]{40,}/g,
  },
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
  { kind: 'credentials in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/([^\s:/@]{1,64}):([^\s:/@]{6,128})@([^\s/`'"<>)]+)/gi },
];

/** `password=…`-style assignments; the value must look like a real secret, not a placeholder. */
const ASSIGNMENT =
  /\b(password|passwd|pwd|secret|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key)\b["']?\s*[:=]\s*(["']?)([^\s"'`,;)]{8,})\2/gi;

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|<.*>|\{.*\}|\$.*|%.*%|\[.*\]|.*(?:example|sample|placeholder|changeme|change_me|your|redacted|dummy|test|fake|xxxx|\.\.\.|secret|password|process\.env|os\.environ|getenv|env\.|vault|\$\{).*)$/i;

const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|host\.docker\.internal)(?::\d+)?$/i;

function looksSecret(v: string): boolean {
  if (PLACEHOLDER.test(v)) return false;
  if (!/[A-Za-z]/.test(v) || !/[0-9]/.test(v)) return false;
  // Identifiers like `config.apiKey2` are code, not secrets.
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(v)) return false;
  return new Set(v).size >= 6;
}

/** Credentials in `text` (at most 50). */
export function findSecrets(text: string): SecretHit[] {
  const out: SecretHit[] = [];
  for (const { kind, re } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m && out.length < 50; m = re.exec(text)) {
      if (kind === 'credentials in a URL') {
        const [, user, pw, host] = m as unknown as [string, string, string, string];
        // Local development defaults (`postgres://postgres:postgres@localhost`) are not secrets.
        if (PLACEHOLDER.test(pw) || /^\$|^\{/.test(pw) || pw === user || LOCAL_HOST.test(host)) continue;
      }
      out.push({ kind, start: m.index, end: m.index + m[0].length });
    }
  }
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m && out.length < 50; m = ASSIGNMENT.exec(text)) {
    const value = m[3]!;
    if (!looksSecret(value)) continue;
    const start = m.index + m[0].lastIndexOf(value);
    if (out.some((h) => h.start <= start && start < h.end)) continue;
    out.push({ kind: `${m[1]!.toLowerCase()} value`, start, end: start + value.length });
  }
  return out.sort((a, b) => a.start - b.start);
}
