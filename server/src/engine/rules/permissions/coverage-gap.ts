// permissions/coverage-gap: a denied path or command that is still reachable another way — a Read deny (or a
// policy sensitive path) while an allow rule lets a program read files itself (`Bash`, `Bash(*)`, `Bash(python3 *)`,
// `Bash(tar *)`): Claude Code checks the file arguments of cat & co. against Read denies, not what a program opens;
// a deny on `rm -rf *` while `rm *` is allowed (`rm -fr`, `rm -r -f` pass the allow only); an allowed command that
// looks read-only but writes or runs anything (`gh api -X DELETE`, `env <cmd>`, `sed -i`, `xargs <cmd>`, `sort -o`).
// Each of these was checked with the real CLI (test/permissions/decisions.json); `find -delete` and awk's system()
// are not reported: Claude Code refuses to auto-approve them itself.
// Ways around a deny under a broad allow (issue 16, class 9; stacks c9-* of the table): Claude Code does not match
// deny rules inside `eval "…"` nor, for a deny of more than one word, inside `sh -c '…'` (a one-word deny such as
// `Bash(rm:*)` named inside `sh -c` is asked, so it is no gap); and it does not check the files that allowed
// commands read through a flag (`gh pr create --body-file`, `git commit -F`) against Read denies.

import type { Rule } from '../../rule';
import { claudeEffective, covers, type PermRule } from '../../permissions/index';
import { literalWords, matchBash } from '../../permissions/bash';
import { parseRule } from '../../permissions/rules';
import { related } from '../../permissions/report';

/** Programs that open files themselves: Claude Code cannot check what they read against Read denies (seen with
 * the real CLI: `python3 -c "open(...)"` and `tar cf - ~/.aws` run under Bash(*), while cat, head, grep and cp have
 * their file arguments checked and are blocked outside the working folders). */
const OPENS_FILES = new Set([
  'python',
  'python3',
  'node',
  'ruby',
  'perl',
  'php',
  'deno',
  'bun',
  'tar',
  'zip',
  'rsync',
  'bash',
  'sh',
  'zsh',
  'osascript',
]);

/** Allowed commands that read a file named by a flag (checked with the real CLI: not matched against Read denies). */
const FILE_FLAGS: { first: string[]; sample: (path: string) => string }[] = [
  { first: ['gh', 'pr', 'create'], sample: (f) => `gh pr create --body-file ${f}` },
  { first: ['git', 'commit'], sample: (f) => `git commit -F ${f}` },
];

const WRITES: { first: string[]; sample: string; what: string }[] = [
  {
    first: ['gh', 'api'],
    sample: 'gh api -X DELETE /repos/o/r',
    what: '`gh api -X DELETE …` deletes through the GitHub API',
  },
  { first: ['env'], sample: 'env rm -rf build', what: '`env <command>` runs any command that no deny rule names' },
  { first: ['sort'], sample: 'sort -o out.txt in.txt', what: '`sort -o FILE` overwrites a file' },
  {
    first: ['git', 'config'],
    sample: 'git config core.sshCommand x',
    what: '`git config core.sshCommand …` makes git run any command',
  },
  { first: ['sed'], sample: 'sed -i s/a/b/ f', what: '`sed -i` edits files in place' },
  { first: ['xargs'], sample: 'xargs rm -rf', what: '`xargs <command>` runs any command' },
];

export const rule: Rule = {
  meta: {
    id: 'permissions/coverage-gap',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description:
      'A denied path or command is still reachable another way, or an allowed read-only-looking command writes',
    fixable: false,
    messages: {
      readViaShell:
        'Read deny {deny} ({denyFile}) is reachable through allow rule {allow}: Claude Code checks the file arguments of cat, head, grep, cp and the like against Read denies, but not the files a program opens itself (python -c "open(…)", node -e, tar). Narrow the allow rule.',
      sensitive:
        'The policy marks {path} as sensitive, but no Read deny covers it while allow rule {allow} lets a program read any file. Add Read({path}) to the Managed deny list and narrow the allow rule.',
      prefix:
        'Deny rule {deny} ({denyFile}) covers one spelling only: allow rule {allow} approves the same command written differently ({example}). Deny the broader command or remove the allow.',
      writes: 'Allow rule {allow} looks read-only but {what}. Narrow it to the read-only forms you need.',
      shellAround:
        'Deny rule {deny} ({denyFile}) is bypassed under allow rule {allow}: Claude Code does not match deny rules ' +
        'inside {example}, and runs it. Narrow the allow rule (or deny eval and sh -c).',
      fileFlag:
        'Read deny {deny} ({denyFile}) is reachable through allow rule {allow}: Claude Code does not check a file ' +
        'read through a flag ({example}) against Read denies. Narrow the allow rule.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const allows = e.byList.allow.filter((r) => r.status === 'live' && r.parsed.tool === 'Bash');
    const shellReaders = allows.filter((r) => {
      const m = r.parsed.matcher;
      if (m.kind === 'tool') return true;
      if (m.kind !== 'bash') return false;
      if (m.pattern.all) return true;
      const w = literalWords(m.pattern);
      return m.pattern.prefix && w.length === 1 && OPENS_FILES.has(w[0]!);
    });
    const readDenies = e.byList.deny.filter(
      (r) => r.status !== 'dead' && r.parsed.matcher.kind === 'path' && r.parsed.matcher.access === 'read',
    );
    if (shellReaders.length) {
      const a = shellReaders[0]!;
      for (const d of readDenies) {
        ctx.report({
          messageId: 'readViaShell',
          data: { deny: d.text, denyFile: d.file.file, allow: a.text },
          file: d.file.file,
          range: d.range,
          related: [related(a, 'this allow rule lets shell commands read files')],
        });
      }
      for (const p of ctx.policy.permissions.sensitivePaths ?? []) {
        const probe: PermRule = { ...a, text: `Read(${p})`, list: 'deny', parsed: parseRule(`Read(${p})`, 'deny') };
        if (readDenies.some((d) => covers(e, d, probe))) continue;
        ctx.report({ messageId: 'sensitive', data: { path: p, allow: a.text }, file: a.file.file, range: a.range });
      }
    }
    // A deny that an allow covers with fewer words: the same command spelled differently passes the allow only.
    // Allow prefix rules are indexed by their literal words, so this stays linear in the number of rules.
    const byWords = new Map<string, PermRule>();
    for (const a of allows) {
      const m = a.parsed.matcher;
      if (m.kind !== 'bash' || m.pattern.all || !m.pattern.prefix) continue;
      const aw = literalWords(m.pattern);
      if (aw.length && !byWords.has(aw.join(' '))) byWords.set(aw.join(' '), a);
    }
    for (const d of e.byList.deny) {
      if (d.status === 'dead' || d.parsed.matcher.kind !== 'bash' || !d.parsed.matcher.pattern.prefix) continue;
      const dw = literalWords(d.parsed.matcher.pattern);
      for (let n = 1; n < Math.min(dw.length, 12); n++) {
        const a = byWords.get(dw.slice(0, n).join(' '));
        if (!a) continue;
        const aw = dw.slice(0, n);
        const extra = dw.slice(n);
        const example = extra[0]?.startsWith('-')
          ? `${aw.join(' ')} ${extra.map((x) => x.replace(/^-(\w)(\w+)$/, (_m, a1: string, rest: string) => `-${rest.split('').reverse().join('')}${a1}`)).join(' ')} …`
          : `${aw.join(' ')} -C . ${extra.join(' ')} …`;
        ctx.report({
          messageId: 'prefix',
          data: { deny: d.text, denyFile: d.file.file, allow: a.text, example },
          file: d.file.file,
          range: d.range,
          related: [related(a, 'the broader allow rule')],
        });
        break;
      }
    }
    // Ways around a Bash deny: eval and sh -c strings are not matched against deny rules.
    const broad = allows.find((r) => {
      const m = r.parsed.matcher;
      return m.kind === 'tool' || (m.kind === 'bash' && m.pattern.all);
    });
    if (broad) {
      for (const d of e.byList.deny) {
        const m = d.parsed.matcher;
        if (d.status === 'dead' || m.kind !== 'bash' || m.pattern.all) continue;
        const sample = sampleCommand(m.pattern.body, m.pattern.prefix);
        if (!sample) continue;
        const oneWord = !m.pattern.body.includes(' ');
        const example = oneWord
          ? `\`eval "${sample}"\``
          : `\`eval "${sample}"\`, \`sh -c '${sample}'\` or \`xargs -n1 ${sample}\``;
        ctx.report({
          messageId: 'shellAround',
          data: { deny: d.text, denyFile: d.file.file, allow: broad.text, example },
          file: d.file.file,
          range: d.range,
          related: [related(broad, 'this allow rule approves eval and sh -c')],
        });
      }
    }
    // Files read through a flag of an allowed command are not checked against Read denies.
    const sensitive = readDenies
      .map((d) => ({ d, path: concretePath(d) }))
      .filter((x): x is { d: PermRule; path: string } => x.path !== undefined);
    if (sensitive.length) {
      for (const a of allows) {
        const m = a.parsed.matcher;
        if (m.kind !== 'bash' || m.pattern.all) continue;
        const first = literalWords(m.pattern)[0];
        const flag = FILE_FLAGS.find((f) => first === f.first[0] && matchBash(m.pattern, f.sample('x')));
        if (!flag) continue;
        const { d, path } = sensitive[0]!;
        ctx.report({
          messageId: 'fileFlag',
          data: { deny: d.text, denyFile: d.file.file, allow: a.text, example: `\`${flag.sample(path)}\`` },
          file: a.file.file,
          range: a.range,
          related: [related(d, 'the Read deny it gets around')],
        });
      }
    }
    for (const a of allows) {
      const m = a.parsed.matcher;
      if (m.kind !== 'bash' || m.pattern.all) continue;
      const w = literalWords(m.pattern);
      for (const x of WRITES) {
        if (!x.first.every((f, i) => w[i] === f || w[i] === undefined) || w[0] !== x.first[0]) continue;
        if (!matchBash(m.pattern, x.sample)) continue;
        ctx.report({ messageId: 'writes', data: { allow: a.text, what: x.what }, file: a.file.file, range: a.range });
        break;
      }
    }
  },
};

/** A command a Bash deny pattern matches (its wildcards filled in), or undefined when it has none that is plain. */
function sampleCommand(body: string, prefix: boolean): string | undefined {
  const c = body.replace(/\*/g, 'x').replace(/\s+/g, ' ').trim();
  if (!c || /["'`$\\|;&<>()]/.test(c)) return undefined;
  return prefix ? `${c} x` : c;
}

/** A concrete path a Read deny covers (`~/.ssh/**` → `~/.ssh/x`), for the message's example. */
function concretePath(d: PermRule): string | undefined {
  const m = d.parsed.matcher;
  if (m.kind !== 'path' || m.anyDepth) return undefined;
  const p = m.pattern.replace(/\*\*/g, 'x').replace(/\*/g, 'x');
  if (m.base === 'home') return `~/${p.replace(/^\//, '')}`;
  if (m.base === 'root') return p.startsWith('/') ? p : `/${p}`;
  return undefined;
}
