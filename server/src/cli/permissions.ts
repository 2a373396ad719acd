// `flywheel permissions explain "<tool call>" [--agent claude|gemini] [--root DIR] [--managed FILE] [--user FILE]
//  [--format text|json]` — which file decides a tool call, and which rules it beat;
// `flywheel permissions effective [...]` — the merged permission table, each rule with origin and status.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache } from '../engine/cache';
import {
  claudeEffective,
  explain,
  explainGemini,
  loadGeminiStack,
  parseToolCall,
  type Effective,
  type PermRule,
} from '../engine/permissions/index';
import { loadPolicy } from '../engine/policy/load';
import { findRoot, openWorkspace } from '../node/discovery';
import { EXIT_OK, paint, UsageError, type CliIO, parseFlags } from './io';
import { loadShellParser } from '../node/shell-parser';

const HELP = `Usage: flywheel permissions explain "<tool call>" [options]
       flywheel permissions effective [options]

explain     what Claude Code (or Gemini CLI) decides for one tool call under this workspace's settings stack —
            allow, ask, deny, or prompt (no rule decides) — with the deciding rule, its file, line and scope,
            and the rules it beat. A tool call: Bash(git push origin main), Read(./.env), Edit(src/a.ts),
            WebFetch(https://example.com), mcp__postgres__execute; for Gemini run_shell_command(git push).
effective   the merged permission table: every rule with its origin and whether it is live, dead or overridden.

Options:
  --agent claude|gemini  which agent's settings (default: claude)
  --root DIR             the workspace (default: the git root or .governance/ folder above the current folder)
  --managed FILE         the machine's managed settings file (Claude: managed-settings.json; Gemini: the system
                         settings file). Default for Claude: the OS path; "none" for no managed file
  --user FILE            the user settings file (only read when given)
  --home DIR             the home folder for ~/ paths (default: your home)
  --policy FILE          the policy file (default: <root>/.governance/policy.json, else the baseline)
  --format text|json     output format (default: text); json is a stable contract (version 1)
  -h, --help             this help
`;

/** What `explain` accepts: a tool name, optionally with its argument in parentheses (taken verbatim). */
const TOOL_CALL = /^\s*[A-Za-z_][\w.-]*\s*(?:\([\s\S]*\))?\s*$/;

interface Where {
  rule: string;
  file: string;
  line: number;
  scope: string;
}

function where(r: PermRule): Where {
  return { rule: r.text, file: r.file.file, line: r.line, scope: r.scope };
}

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  agent: { type: 'string', default: 'claude' },
  root: { type: 'string' },
  managed: { type: 'string' },
  user: { type: 'string' },
  home: { type: 'string' },
  policy: { type: 'string' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const [verb, ...rest] = positionals;
  if (verb !== 'explain' && verb !== 'effective')
    throw new UsageError('give "explain <tool call>" or "effective" (see --help)');
  if (verb === 'explain' && rest.length !== 1)
    throw new UsageError(
      'explain takes one tool call, quoted: flywheel permissions explain "Bash(git push origin main)"',
    );
  if (verb === 'effective' && rest.length) throw new UsageError('effective takes no arguments');
  if (verb === 'explain' && !TOOL_CALL.test(rest[0] ?? '')) {
    throw new UsageError(
      `not a tool call: ${JSON.stringify(rest[0] ?? '')}; write Tool or Tool(argument), e.g. "Bash(git push origin main)"`,
    );
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got "${format}")`);
  const agent = values.agent;
  if (agent !== 'claude' && agent !== 'gemini')
    throw new UsageError(`--agent must be claude or gemini (got "${agent}")`);
  const root = values.root !== undefined ? path.resolve(io.cwd, values.root) : findRoot(io.cwd);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory())
    throw new UsageError(`--root ${values.root}: not a folder`);
  const file = (v: string | undefined, flag: string) => {
    if (v === undefined || v === 'none') return v;
    const p = path.resolve(io.cwd, v);
    if (!fs.existsSync(p)) throw new UsageError(`${flag} ${v}: no such file`);
    return p;
  };
  const managed = file(values.managed, '--managed');
  const user = file(values.user, '--user');
  const home = values.home !== undefined ? path.resolve(io.cwd, values.home) : os.homedir();
  const c = paint(io.color);
  await loadShellParser();

  if (agent === 'gemini') {
    const snapshot = openWorkspace(root, { managedSettingsPath: null });
    const stack = loadGeminiStack(snapshot, {
      ...(user ? { user } : {}),
      ...(managed && managed !== 'none' ? { system: managed } : {}),
    });
    if (verb === 'effective') {
      if (format === 'json')
        io.out(
          JSON.stringify(
            {
              version: 1,
              agent: 'gemini',
              files: stack.files.map((f) => ({ file: f.file, layer: f.layer })),
              settings: stack.merged,
            },
            null,
            2,
          ) + '\n',
        );
      else {
        io.out(c.bold('Gemini CLI settings, merged (system defaults < user < workspace < system overrides)') + '\n');
        for (const f of stack.files) io.out(`  ${f.layer.padEnd(16)} ${f.file}\n`);
        io.out(JSON.stringify(stack.merged, null, 2) + '\n');
      }
      return EXIT_OK;
    }
    const x = explainGemini(stack, rest[0]!);
    const f = stack.files.find((g) => g.file === x.file);
    let line: number | null = null;
    if (f && x.key && x.entry !== undefined) {
      const idx = (
        x.key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], f.value) as
          unknown[] | undefined
      )?.indexOf(x.entry);
      const { nodeAt } = await import('../engine/permissions/json');
      const n = idx !== undefined && idx >= 0 ? nodeAt(f.parsed.tree, [...x.key.split('.'), idx]) : undefined;
      if (n) line = f.parsed.lines.positionAt(n.offset).line + 1;
    }
    const decided = x.decision !== 'prompt';
    const out = {
      version: 1,
      call: x.call,
      decision: x.decision,
      rule: decided ? (x.entry ?? x.key ?? null) : null,
      file: decided ? (x.file ?? null) : null,
      line: decided ? line : null,
      scope: decided ? (f?.layer ?? null) : null,
      beaten: [],
    };
    if (format === 'json') io.out(JSON.stringify(out) + '\n');
    else
      io.out(
        `${x.call} → ${label(c, x.decision)}\n  ${x.reason}${out.file ? ` (${out.file}${line ? `:${line}` : ''}, ${out.scope})` : ''}\n`,
      );
    return EXIT_OK;
  }

  const snapshot = openWorkspace(root, {
    ...(managed !== undefined ? { managedSettingsPath: managed === 'none' ? null : managed } : {}),
    ...(user ? { userSettingsPath: user } : {}),
  });
  const policy = loadPolicy(snapshot, values.policy ? { policyPath: path.resolve(io.cwd, values.policy) } : {});
  // explain reads only the rules that can decide this tool's calls; effective reads them all, with shadows.
  const tool = verb === 'explain' ? parseToolCall(rest[0]!).tool.replace(/^Task$/, 'Agent') : undefined;
  const e = claudeEffective(snapshot, new AnalysisCache(), policy, tool ? { home, onlyFor: tool } : { home });

  if (verb === 'effective') return effective(e, format, io);

  const x = explain(e, rest[0]!);
  const r = x.rule;
  if (format === 'json') {
    const out = {
      version: 1,
      call: x.call,
      decision: x.decision,
      rule: r?.text ?? null,
      file: r?.file.file ?? null,
      line: r?.line ?? null,
      scope: r?.scope ?? null,
      beaten: x.beaten.map((b) => ({ ...where(b), list: b.list })),
    };
    io.out(JSON.stringify(out) + '\n');
    return EXIT_OK;
  }
  const lines = [`${x.call} → ${label(c, x.decision)}`];
  if (r) lines.push(`  decided by  ${r.list.padEnd(5)} ${r.text}   ${c.dim(`${r.file.file}:${r.line} (${r.scope})`)}`);
  else lines.push(`  ${x.reason}`);
  for (const b of x.beaten)
    lines.push(`  beats       ${b.list.padEnd(5)} ${b.text}   ${c.dim(`${b.file.file}:${b.line} (${b.scope})`)}`);
  for (const d of x.dead)
    lines.push(
      `  void        ${d.list.padEnd(5)} ${d.text}   ${c.dim(`${d.file.file}:${d.line} (${d.scope})`)} — ${d.reason}`,
    );
  if (x.parts)
    for (const p of x.parts)
      lines.push(`  part        ${p.command} → ${p.decision}${p.rule ? ` (${p.rule.text})` : ''}`);
  if (r && x.decision !== r.list) lines.push(`  ${x.reason}`);
  io.out(lines.join('\n') + '\n');
  return EXIT_OK;
}

function label(c: ReturnType<typeof paint>, d: string): string {
  return d === 'deny'
    ? c.red('DENY')
    : d === 'ask'
      ? c.yellow('ASK')
      : d === 'allow'
        ? c.blue('ALLOW')
        : c.bold('PROMPT (no rule decides)');
}

function effective(e: Effective, format: string, io: CliIO): number {
  const files = e.stack.files.map((f) => ({ file: f.file, scope: f.scope, origin: f.origin, ignored: f.dropped }));
  if (format === 'json') {
    io.out(
      JSON.stringify(
        {
          version: 1,
          files,
          mode: { value: e.mode.value, file: e.mode.file?.file ?? null, scope: e.mode.file?.scope ?? null },
          managedRulesOnly: e.managedOnly ? { file: e.managedOnly.file!.file } : null,
          bypassDisabled: e.bypassDisabled ? { file: e.bypassDisabled.file!.file } : null,
          rules: e.rules.map((r) => ({
            ...where(r),
            list: r.list,
            status: r.status,
            ...(r.reason ? { reason: r.reason } : {}),
            ...(r.by ? { by: where(r.by) } : {}),
          })),
        },
        null,
        2,
      ) + '\n',
    );
    return EXIT_OK;
  }
  const c = paint(io.color);
  const out: string[] = [c.bold('Settings files (highest scope first)')];
  if (!files.length) out.push('  (none)');
  for (const f of files)
    out.push(`  ${f.scope.padEnd(8)} ${f.file}${f.ignored ? c.red('  ignored by Claude Code (invalid)') : ''}`);
  out.push(
    '',
    `${c.bold('Mode')} ${e.mode.value}${e.mode.file ? c.dim(` (${e.mode.file.file})`) : ''}` +
      (e.bypassDisabled ? `; bypass disabled by ${e.bypassDisabled.file!.file}` : ''),
  );
  if (e.managedOnly)
    out.push(`${c.bold('allowManagedPermissionRulesOnly')} in ${e.managedOnly.file!.file}: only managed rules apply`);
  for (const list of ['deny', 'ask', 'allow'] as const) {
    const rs = e.byList[list];
    out.push('', c.bold(`${list} (${rs.length})`));
    for (const r of rs) {
      const status = r.status === 'live' ? 'live' : r.status === 'dead' ? c.red('dead') : c.yellow('overridden');
      out.push(
        `  ${status.padEnd(io.color ? 19 : 10)} ${r.text}   ${c.dim(`${r.file.file}:${r.line} (${r.scope})`)}${r.reason ? `\n  ${''.padEnd(10)} ${c.dim(r.reason)}` : ''}`,
      );
    }
  }
  io.out(out.join('\n') + '\n');
  return EXIT_OK;
}
