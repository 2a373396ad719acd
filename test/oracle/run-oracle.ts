// npm run test:oracle — runs the permission decision table (test/permissions/decisions.json) through the real
// Claude Code CLI with ../shared/tools/cc-oracle (pinned CLI, offline, local mock API) and fails on any
// disagreement between what the table expects and what Claude Code decides. Not part of `npm test`: it needs the
// oracle installed (its install.sh) and root for the managed scope.
//
// Usage: node --import tsx test/oracle/run-oracle.ts [--oracle DIR] [--jobs N] [--keep] [stack-id…]
// Oracle verdicts: denied → deny; allowed → allow; ask → ask or prompt (print mode cannot tell them apart).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseToolCall } from '../../server/src/engine/permissions/call';

interface Decision {
  call: string;
  expect: 'allow' | 'ask' | 'deny' | 'prompt';
  rule?: string;
  scope?: string;
  cite: string;
}
interface Stack {
  id: string;
  project?: unknown;
  local?: unknown;
  user?: unknown;
  managed?: unknown;
  managedDropins?: Record<string, unknown>;
  oracle?: string;
  decisions: Decision[];
}

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    oracle: { type: 'string' },
    jobs: { type: 'string' },
    keep: { type: 'boolean' },
    table: { type: 'string' },
    json: { type: 'string' },
  },
});
const ORACLE = path.resolve(values.oracle ?? path.join(REPO, '..', 'shared', 'tools', 'cc-oracle'));
const JOBS = Number(values.jobs ?? 4);
const table = JSON.parse(
  fs.readFileSync(values.table ?? path.join(REPO, 'test', 'permissions', 'decisions.json'), 'utf8'),
) as { stacks: Stack[] };
const stacks = table.stacks.filter((s) => positionals.length === 0 || positionals.includes(s.id));

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) + '\n');
function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** The tool_use the mock API sends for a call string. */
export function toolUse(call: string): { name: string; input: Record<string, unknown> } {
  const c = parseToolCall(call);
  const arg = c.arg ?? '';
  switch (c.tool) {
    case 'Bash':
      return { name: 'Bash', input: { command: arg, description: 'oracle' } };
    case 'Read':
      return { name: 'Read', input: { file_path: arg } };
    case 'Edit':
      return { name: 'Edit', input: { file_path: arg, old_string: 'alpha', new_string: 'alpha-edited' } };
    case 'Write':
      return { name: 'Write', input: { file_path: arg, content: 'written by the oracle\n' } };
    case 'WebFetch':
      return { name: 'WebFetch', input: { url: arg, prompt: 'summarise' } };
    case 'WebSearch':
      return { name: 'WebSearch', input: { query: arg } };
    default:
      return { name: c.tool, input: {} };
  }
}

function buildCase(dir: string, s: Stack): void {
  const project = path.join(dir, 'project');
  fs.mkdirSync(project, { recursive: true });
  write(path.join(project, 'README.md'), 'alpha\n');
  // MCP calls need servers: a stub stdio server per name, passed with --mcp-config (no approval needed, and the
  // settings files stay exactly the stack under test); tool search off so the MCP tools are in the first turn.
  const servers = [
    ...new Set(
      s.decisions
        .map((d) => parseToolCall(d.call).tool)
        .filter((t) => t.startsWith('mcp__'))
        .map((t) => t.split('__')[1]!),
    ),
  ];
  let projectSettings = s.project;
  if (servers.length) {
    const stub = path.join(REPO, 'test', 'oracle', 'mcp-server.cjs');
    write(
      path.join(dir, 'mcp.json'),
      JSON.stringify(
        { mcpServers: Object.fromEntries(servers.map((n) => [n, { command: process.execPath, args: [stub, n] }])) },
        null,
        2,
      ),
    );
    write(path.join(dir, 'args'), '--mcp-config\n@CASE@/mcp.json\n--strict-mcp-config\n');
    projectSettings = { ...((typeof s.project === 'object' && s.project) || {}), env: { ENABLE_TOOL_SEARCH: 'false' } };
  }
  if (projectSettings !== undefined) write(path.join(project, '.claude', 'settings.json'), text(projectSettings));
  if (s.local !== undefined) write(path.join(project, '.claude', 'settings.local.json'), text(s.local));
  if (s.user !== undefined) write(path.join(dir, 'user-settings.json'), text(s.user));
  if (s.managed !== undefined || s.managedDropins) {
    fs.mkdirSync(path.join(dir, 'managed'), { recursive: true });
    if (s.managed !== undefined) write(path.join(dir, 'managed', 'managed-settings.json'), text(s.managed));
    for (const [name, v] of Object.entries(s.managedDropins ?? {}))
      write(path.join(dir, 'managed', 'managed-settings.d', name), text(v));
  }
  // Every relative file a call reads or edits exists (with the text the Edit replaces), so only permissions decide.
  for (const d of s.decisions) {
    const c = parseToolCall(d.call);
    if (!['Read', 'Edit'].includes(c.tool) || !c.arg || c.arg.startsWith('/') || c.arg.startsWith('~')) continue;
    const f = path.join(project, c.arg);
    if (!fs.existsSync(f)) write(f, 'alpha\n');
  }
  write(
    path.join(dir, 'script.json'),
    JSON.stringify({ tool_calls: s.decisions.map((d) => toolUse(d.call)), final_text: 'done' }, null, 1),
  );
}

interface Verdict {
  verdict: string;
  tool_result: string;
}
function runOracle(dir: string, s: Stack): Promise<{ verdicts: Verdict[]; stderr: string }> {
  // The dry-run shell prefix also wraps MCP stdio servers, so they could not start: a stack with MCP calls and no
  // Bash call (nothing that could run a command) runs without it.
  const noBash = s.decisions.every((d) => parseToolCall(d.call).tool !== 'Bash');
  const mcp = s.decisions.some((d) => parseToolCall(d.call).tool.startsWith('mcp__'));
  const env = { ...process.env, ...(mcp && noBash ? { DRY_RUN: '0' } : {}) };
  return new Promise((resolve) => {
    const p = spawn(path.join(ORACLE, 'run-oracle.sh'), [dir], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', () => {
      const verdicts = out
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Verdict];
          } catch {
            return [];
          }
        });
      // run-oracle.sh leaves its run folder behind; remove it unless asked to keep it.
      const run = err.match(/^RUN_DIR=(.+)$/m)?.[1];
      if (run && !values.keep && path.basename(run).startsWith('cc-oracle-run.'))
        fs.rmSync(run, { recursive: true, force: true });
      resolve({ verdicts, stderr: err });
    });
  });
}

function classify(v: Verdict | undefined): string {
  if (!v) return 'missing';
  // A bare deny removes the tool from the model's context: the call fails as an unknown tool.
  if (/No such tool available/.test(v.tool_result)) return 'deny';
  // The kit tells ask from denied itself (its permission-prompt tool is called exactly when a person would be
  // asked): its verdict is trusted, never the wording of the refusal.
  if (v.verdict === 'denied') return 'deny';
  if (v.verdict === 'allowed') return 'allow';
  if (v.verdict === 'ask') return 'ask';
  // The tool ran and failed for its own reasons (a fetch with no network): the permission check let it through.
  if (v.verdict === 'error' && !/permission|denied|approval|not allowed/i.test(v.tool_result)) return 'allow';
  return v.verdict;
}

/** The version of the Claude Code the oracle runs (its install.sh pins it). */
function ccVersion(): string {
  const bin = path.join(
    process.env.CC_ORACLE_HOME ?? path.join(os.homedir(), '.cache', 'cc-oracle'),
    'node_modules',
    '@anthropic-ai',
    'claude-code',
    'package.json',
  );
  try {
    return (JSON.parse(fs.readFileSync(bin, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(ORACLE, 'run-oracle.sh'))) {
    console.error(`cc-oracle not found at ${ORACLE} (use --oracle DIR)`);
    return 2;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-oracle-'));
  const queue = stacks.filter((s) => !s.oracle);
  const results = new Map<string, { verdicts: Verdict[]; stderr: string }>();
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const dir = path.join(work, s.id);
      buildCase(dir, s);
      results.set(s.id, await runOracle(dir, s));
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  const verdicts: Record<string, string[]> = {};
  let agree = 0;
  let disagree = 0;
  let skipped = 0;
  for (const s of stacks) {
    console.log(`=== ${s.id}${s.oracle ? `  (${s.oracle})` : ''}`);
    if (s.oracle) {
      skipped += s.decisions.length;
      continue;
    }
    const r = results.get(s.id)!;
    verdicts[s.id] = s.decisions.map((_, i) => classify(r.verdicts[i]));
    s.decisions.forEach((d, i) => {
      const got = classify(r.verdicts[i]);
      const want = d.expect === 'prompt' ? 'ask' : d.expect;
      const ok = got === want;
      if (ok) agree++;
      else disagree++;
      const detail = ok
        ? ''
        : `   <-- expected ${d.expect}; Claude Code: ${(r.verdicts[i]?.tool_result ?? '').replace(/\s+/g, ' ').slice(0, 140)}`;
      console.log(
        `  ${ok ? 'ok  ' : 'DIFF'} ${d.call.padEnd(44)} expect ${d.expect.padEnd(6)} oracle ${got.padEnd(6)}${detail}`,
      );
    });
    if (r.verdicts.length === 0) console.log('  oracle stderr: ' + r.stderr.split('\n').slice(0, 8).join('\n    '));
  }
  // --json FILE: every oracle verdict by stack (test/oracle/draft.ts turns them into table rows).
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(verdicts, null, 1));
  console.log(`\nCases in ${work}`);
  console.log(
    `oracle: ${agree} passed, ${disagree} failed, ${skipped} not run through the oracle (${stacks.length} stacks, Claude Code ${ccVersion()})`,
  );
  if (!values.keep && disagree === 0) fs.rmSync(work, { recursive: true, force: true });
  return disagree === 0 && agree > 0 ? 0 : 1;
}

process.exitCode = await main();
