// The CLI's error boundary: every verb, every malformed flag it accepts → exit 2, one line on stderr, no stack trace.
// In process through main() (the boundary lives there), plus a few runs of the real bundle for what only a process
// shows (EPIPE, usage text on stderr).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, main } from '../../server/src/cli/main';
import { REPO_ROOT, tempWorkspace } from '../helpers';

const CLI = path.join(REPO_ROOT, 'out', 'cli.cjs');

async function cli(args: string[], cwd = REPO_ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd });
  return { code, out, err };
}

function assertUsageError(r: { code: number; out: string; err: string }, what: string): void {
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.err}`);
  assert.equal(r.out, '', `${what}: nothing on stdout`);
  assert.match(r.err, /\S/, `${what}: a message on stderr`);
  assert.equal(r.err.trimEnd().split('\n').length, 1, `${what}: one line\n${r.err}`);
  assert.doesNotMatch(r.err, /\n\s+at |internal error|node:internal|ERR_[A-Z_]+/, `${what}: no stack trace\n${r.err}`);
}

/** What each verb needs besides the malformed flag so that the flag is the only thing wrong. */
const VALID: Record<string, string[]> = {
  check: [],
  owners: ['--unowned'],
  permissions: ['explain', 'Bash(ls)'],
  signal: ['list'],
  'signal add': ['--kind', 'failure', '--summary', 'x'],
  'signal list': [],
  propose: ['S-1'],
  proposals: [],
  ratify: ['P-1'],
  reject: ['P-1', '--reason', 'r'],
  apply: ['P-1'],
  ledger: ['verify'],
  audit: ['export'],
  signals: ['scan', '--transcripts', 'test/fixtures/sessions'],
  report: [],
};

/** Sub-commands with flags of their own: `signal add` is the module signal-add.ts. */
const SUBCOMMANDS: Record<string, string[]> = { signal: ['add', 'list'] };

interface Spec {
  type: 'string' | 'boolean';
  short?: string;
}

async function optionsOf(verb: string): Promise<Record<string, Spec>> {
  const mod = (await import(`../../server/src/cli/${verb}`)) as { OPTIONS?: Record<string, Spec> };
  assert.ok(mod.OPTIONS, `${verb} exports its OPTIONS`);
  return mod.OPTIONS;
}

/** Every malformed use of a verb's flags: the argument lists to try. */
function malformed(options: Record<string, Spec>): string[][] {
  const cases: string[][] = [['--bogus'], ['-Z'], ['--bogus=1'], ['--'.concat('x'.repeat(300))]];
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type === 'string') {
      cases.push([`--${name}`]); // no value at the end
      cases.push([`--${name}=`]); // an empty value
      cases.push([`--${name}`, '']);
      cases.push([`--${name}`, '-1']); // a value that looks like a flag
      cases.push([`--${name}`, '--help']);
    } else {
      cases.push([`--${name}=yes`]);
      if (spec.short) cases.push([`-${spec.short}=1`]);
    }
  }
  return cases;
}

describe('flywheel: malformed flags never show a stack trace', () => {
  const verbs = Object.keys(COMMANDS).flatMap((v) => [[v], ...(SUBCOMMANDS[v] ?? []).map((sub) => [v, sub])]);
  for (const words of verbs) {
    const verb = words.join(' ');
    it(`${verb}: every malformed flag → exit 2, one line on stderr`, async () => {
      assert.ok(VALID[verb], `${verb} has an entry in VALID`);
      const options = await optionsOf(words.join('-'));
      for (const bad of malformed(options)) {
        assertUsageError(await cli([...words, ...VALID[verb], ...bad]), `${verb} ${bad.join(' ')}`);
        assertUsageError(await cli([...words, ...bad, ...VALID[verb]]), `${verb} ${bad.join(' ')} (first)`);
      }
    });
  }

  it('values the verbs validate themselves', async () => {
    const bad: string[][] = [
      ['check', '--format', 'xml'],
      ['check', '--max-warnings=-1'],
      ['check', '--max-warnings', '1.5'],
      ['check', '--policy', '/no/such/policy.json'],
      ['check', '/no/such/folder'],
      ['check', 'a', 'b'],
      ['owners'],
      ['owners', '--unowned', '--coverage'],
      ['owners', '--coverage', '--depth', '0'],
      ['owners', '--unowned', '--format', 'sarif'],
      ['owners', '--unowned', '--root', '/no/such/folder'],
      ['permissions'],
      ['permissions', 'explain'],
      ['permissions', 'explain', ''],
      ['permissions', 'explain', '   '],
      ['permissions', 'explain', 'garbage(('],
      ['permissions', 'explain', 'Bash(ls'],
      ['permissions', 'explain', '(ls)'],
      ['permissions', 'explain', 'a', 'b'],
      ['permissions', 'effective', 'x'],
      ['permissions', 'explain', 'Bash(ls)', '--agent', 'copilot'],
      ['signal'],
      ['signal', 'nope'],
      ['signal', 'add'],
      ['signal', 'add', '--kind', 'failure'],
      ['signal', 'add', '--kind', 'failure', '--summary', 'x', '--severity', 'high'],
      ['signal', 'add', '--kind', 'failure', '--summary', 'x', '--incident'],
      ['signal', 'list', 'extra'],
      ['signal', 'list', '--format', 'xml'],
      ['signal', 'list', '--root', '/no/such/folder'],
      ['signal', 'list', '--policy', '/no/such/policy.json'],
      ['proposals', '--policy', '/'],
      ['propose'],
      ['propose', 'S-1', '--route', 'nowhere'],
      ['propose', 'S-1', '--name', '../x'],
      ['propose', 'S-1', '--json-path', 'a.b'],
      ['propose', 'S-1', '--json-path', 'a', '--json-value', '{'],
      ['proposals', 'extra'],
      ['proposals', '--status', 'maybe'],
      ['proposals', '--awaiting', 'alice'],
      ['ratify'],
      ['ratify', 'P-1', 'P-2'],
      ['reject', 'P-1'],
      ['reject', 'P-1', '--reason', '   '],
      ['apply'],
      ['ledger'],
      ['ledger', 'nope'],
      ['ledger', 'verify', 'extra'],
      ['audit'],
      ['audit', 'export', '--format', 'csv'],
      ['audit', 'export', '--since', 'yesterday'],
      ['nonsense'],
      ['__proto__'],
      ['constructor'],
    ];
    for (const args of bad) assertUsageError(await cli(args), args.join(' '));
  });

  it('an unexpected failure: a short message and "run with --debug"; the stack only with --debug', async () => {
    COMMANDS.boom = {
      summary: 'test only',
      run: async () => async () => {
        throw new RangeError('the bug');
      },
    };
    try {
      const r = await cli(['boom']);
      assert.equal(r.code, 2);
      assert.equal(r.err, 'flywheel boom: internal error: RangeError: the bug (run with --debug for details)\n');
      const d = await cli(['boom', '--debug']);
      assert.equal(d.code, 2);
      assert.match(d.err, /RangeError: the bug\n\s+at /);
    } finally {
      delete COMMANDS.boom;
    }
  });

  it('a system error a verb did not anticipate: one line naming the path, exit 2', async () => {
    COMMANDS.eacces = {
      summary: 'test only',
      run: async () => async () => {
        fs.readFileSync(path.join(os.tmpdir(), 'flywheel-no-such-file-' + process.pid));
        return 0;
      },
    };
    try {
      const r = await cli(['eacces']);
      assertUsageError(r, 'ENOENT');
      assert.match(r.err, /cannot open .*flywheel-no-such-file-\d+: no such file or folder/);
    } finally {
      delete COMMANDS.eacces;
    }
  });

  it('--debug is accepted anywhere and is not a verb flag', async () => {
    const r = await cli(['owners', '--debug', 'README.md', '--root', REPO_ROOT]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /README\.md/);
  });

  it('a tool call with an argument in parentheses is accepted, verbatim', async () => {
    const ws = tempWorkspace({ '.claude/settings.json': '{ "permissions": { "deny": ["Bash(rm:*)"] } }' });
    try {
      for (const call of ['Bash(rm -rf (x))', 'mcp__postgres__execute', 'WebFetch(https://example.com)', 'Read()']) {
        const r = await cli(['permissions', 'explain', call, '--root', ws.dir, '--managed', 'none']);
        assert.equal(r.code, 0, `${call}: ${r.err}`);
      }
    } finally {
      ws.cleanup();
    }
  });
});

describe('flywheel check --output writes only a regular file', () => {
  const ws = () => tempWorkspace({ 'README.md': 'hello\n' });
  const NO_MANAGED = ['--managed', '/nonexistent/managed-settings.json'];

  it('refuses a folder, a missing parent folder, a device, a FIFO, a symbolic link and /proc', async () => {
    const w = ws();
    try {
      fs.mkdirSync(path.join(w.dir, 'out'));
      const fifo = path.join(w.dir, 'fifo');
      const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;
      fs.writeFileSync(path.join(w.dir, 'elsewhere.txt'), 'keep me\n');
      fs.symlinkSync(path.join(w.dir, 'elsewhere.txt'), path.join(w.dir, 'link.sarif'));
      const targets = [
        'out',
        'out/',
        'missing/report.sarif',
        '/dev/null',
        '/dev/full',
        'link.sarif',
        '/proc/self/x',
        '/proc/nope/x',
      ];
      if (hasFifo) targets.push('fifo');
      for (const t of targets) {
        const r = await cli(['check', w.dir, ...NO_MANAGED, '--output', t], w.dir);
        assertUsageError(r, `--output ${t}`);
        assert.match(r.err, /--output/, t);
      }
      assert.ok(!fs.existsSync(path.join(w.dir, 'missing')), 'no folder created');
      assert.equal(
        fs.readFileSync(path.join(w.dir, 'elsewhere.txt'), 'utf8'),
        'keep me\n',
        'the link target is untouched',
      );
      assert.ok(fs.lstatSync(path.join(w.dir, 'link.sarif')).isSymbolicLink(), 'the link is not replaced');
      assert.ok(fs.statSync('/dev/full').isCharacterDevice(), '/dev/full is still a device');
      if (hasFifo) assert.ok(fs.lstatSync(fifo).isFIFO());
      assert.deepEqual(
        fs.readdirSync(w.dir).filter((n) => n.endsWith('.tmp')),
        [],
        'no temporary file left',
      );
    } finally {
      w.cleanup();
    }
  });

  it('writes and replaces a regular file, keeping its mode, and leaves no temporary file', async () => {
    const w = ws();
    try {
      const target = path.join(w.dir, 'report.json');
      const r = await cli(['check', w.dir, ...NO_MANAGED, '--format', 'json', '--output', 'report.json'], w.dir);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      assert.equal(JSON.parse(fs.readFileSync(target, 'utf8')).version, 1);
      fs.chmodSync(target, 0o640);
      await cli(['check', w.dir, ...NO_MANAGED, '--format', 'json', '--output', target], w.dir);
      assert.equal(fs.statSync(target).mode & 0o777, 0o640);
      assert.deepEqual(
        fs.readdirSync(w.dir).filter((n) => n.endsWith('.tmp')),
        [],
      );
    } finally {
      w.cleanup();
    }
  });

  it(
    'a folder that cannot be written: one line, exit 2',
    { skip: process.getuid?.() === 0 ? 'root writes anywhere' : false },
    async () => {
      const w = ws();
      try {
        const ro = path.join(w.dir, 'ro');
        fs.mkdirSync(ro, { mode: 0o555 });
        assertUsageError(
          await cli(['check', w.dir, ...NO_MANAGED, '--output', 'ro/x.sarif'], w.dir),
          'read-only folder',
        );
      } finally {
        w.cleanup();
      }
    },
  );

  it('--quiet --max-warnings 0 says why it exits 1', async () => {
    const w = tempWorkspace({ '.governance/policy.json': '{}', 'CLAUDE.md': Buffer.from([0, 1, 2]) });
    try {
      const r = await cli(['check', w.dir, ...NO_MANAGED, '--quiet', '--max-warnings', '0'], w.dir);
      assert.equal(r.code, 1);
      assert.match(r.err, /warnings?, more than --max-warnings 0 allows \(not shown: --quiet\)/);
      const j = await cli(['check', w.dir, ...NO_MANAGED, '--format', 'json', '--max-warnings', '0'], w.dir);
      assert.equal(j.code, 1);
      assert.match(j.err, /more than --max-warnings 0/);
    } finally {
      w.cleanup();
    }
  });
});

describe('the flywheel process', { skip: !fs.existsSync(CLI) && 'run npm run build first' }, () => {
  const run = (args: string[], opts: { input?: string; shell?: string } = {}) =>
    opts.shell
      ? spawnSync('sh', ['-c', opts.shell], { encoding: 'utf8', cwd: REPO_ROOT })
      : spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO_ROOT, input: opts.input ?? '' });

  it('usage text goes to stderr on a usage error, to stdout when asked for', () => {
    const none = run([]);
    assert.equal(none.status, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /Usage: flywheel/);
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: flywheel/);
    assert.equal(
      run(['--version']).stdout.trim(),
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version,
    );
  });

  it('a malformed flag through the bundle: exit 2, one line, no stack', () => {
    const cases = [
      ['check', '--format'],
      ['check', '--max-warnings', '-1'],
      ['owners', '--depth'],
      ['permissions', 'explain', 'garbage(('],
      ['signal', 'add', '--kind'],
      ['ledger'],
      ['audit', 'export', '--since='],
    ];
    for (const args of cases) {
      const r = run(args);
      assertUsageError({ code: r.status ?? -1, out: r.stdout, err: r.stderr }, args.join(' '));
    }
  });

  it('piped into head: a quiet exit, no EPIPE', () => {
    const r = run([], {
      shell: `node "${CLI}" owners --unowned --root "${REPO_ROOT}" | head -1; node "${CLI}" check "${REPO_ROOT}/examples" | head -1`,
    });
    assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at |internal error/, r.stderr);
  });
});
