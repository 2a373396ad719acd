import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { main } from '../../server/src/cli/main';
import { REPO_ROOT, tempWorkspace } from '../helpers';

async function cli(args: string[], cwd = REPO_ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), color: false, cwd });
  return { code, out, err };
}

const NO_MANAGED = ['--managed', '/nonexistent/managed-settings.json'];

describe('flywheel check: exit codes', () => {
  it('0 for a clean workspace', async () => {
    const ws = tempWorkspace({
      '.governance/policy.json': '{ "rules": { "owners/author-of-record": "off" } }',
      'README.md': 'hello\n',
    });
    try {
      const r = await cli(['check', ws.dir, ...NO_MANAGED]);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /no problems/);
    } finally {
      ws.cleanup();
    }
  });

  it('1 when there are errors', async () => {
    const ws = tempWorkspace({ '.governance/policy.json': '{ "bogus": true }' });
    try {
      const r = await cli(['check', ws.dir, ...NO_MANAGED]);
      assert.equal(r.code, 1);
      assert.match(r.out, /\.governance\/policy\.json\n\s+1:3\s+error\s+Policy value at \/bogus is invalid/);
      assert.match(r.out, /policy\/invalid/);
    } finally {
      ws.cleanup();
    }
  });

  it('1 when warnings exceed --max-warnings, 0 within it; --quiet shows errors only', async () => {
    const ws = tempWorkspace({ '.governance/policy.json': '{}', 'CLAUDE.md': Buffer.from([0, 1, 2]) });
    try {
      assert.equal((await cli(['check', ws.dir, ...NO_MANAGED])).code, 0);
      assert.equal((await cli(['check', ws.dir, '--max-warnings', '0', ...NO_MANAGED])).code, 1);
      assert.equal((await cli(['check', ws.dir, '--max-warnings', '1', ...NO_MANAGED])).code, 0);
      const q = await cli(['check', ws.dir, '--quiet', '--format', 'json', ...NO_MANAGED]);
      assert.deepEqual(JSON.parse(q.out).findings, []);
    } finally {
      ws.cleanup();
    }
  });

  it('2 for usage errors', async () => {
    assert.equal((await cli(['check', '--format', 'xml'])).code, 2);
    assert.equal((await cli(['check', '--max-warnings', 'many'])).code, 2);
    assert.equal((await cli(['check', '/no/such/folder'])).code, 2);
    assert.equal((await cli(['check', '--bogus'])).code, 2);
    assert.equal((await cli(['check', 'a', 'b'])).code, 2);
    assert.equal((await cli(['nonsense'])).code, 2);
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(['check', '--help'])).code, 0);
  });
});

describe('flywheel check --format json (the contract)', () => {
  it('has the documented shape, root-relative files and 1-based positions', async () => {
    const ws = tempWorkspace({ '.governance/policy.json': '{\n  "ownership": { "minCoverage": "x" }\n}\n' });
    try {
      const r = await cli(['check', ws.dir, '--format', 'json', ...NO_MANAGED]);
      const j = JSON.parse(r.out);
      assert.equal(j.version, 1);
      assert.equal(j.root, fs.realpathSync(ws.dir) === ws.dir ? ws.dir : j.root);
      assert.ok(Array.isArray(j.policy.sources));
      assert.deepEqual(Object.keys(j.summary), ['errors', 'warnings', 'infos', 'filesChecked']);
      const f = j.findings.find((x: { ruleId: string }) => x.ruleId === 'policy/invalid');
      assert.deepEqual(
        {
          ruleId: f.ruleId,
          severity: f.severity,
          surface: f.surface,
          file: f.file,
          line: f.line,
          column: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn,
        },
        {
          ruleId: 'policy/invalid',
          severity: 'error',
          surface: 'policy',
          file: '.governance/policy.json',
          line: 2,
          column: 33,
          endLine: 2,
          endColumn: 36,
        },
      );
      assert.equal(typeof f.message, 'string');
      assert.equal(j.summary.errors, j.findings.filter((x: { severity: string }) => x.severity === 'error').length);
    } finally {
      ws.cleanup();
    }
  });
});

describe('flywheel check --format sarif', () => {
  it('is valid SARIF 2.1.0 (official schema) with rule metadata and help links', async () => {
    const ws = tempWorkspace({
      '.governance/policy.json': '{ "bogus": 1 }',
      'CLAUDE.md': Buffer.from([0, 1]),
      'AGENTS.md': '<!-- flywheel-disable-next-line nope/rule -->\nx\n',
    });
    try {
      const r = await cli(['check', ws.dir, '--format', 'sarif', ...NO_MANAGED]);
      // The document was just validated against the SARIF schema; the test reads its fields as they come.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const sarif = JSON.parse(r.out) as import('sarif').Log & { runs: any[] };
      const schema = JSON.parse(
        fs.readFileSync(
          path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
          'utf8',
        ),
      );
      const Ajv = (AjvDraft04 as unknown as { default?: typeof AjvDraft04 }).default ?? AjvDraft04;
      const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
      const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
        addFormatsModule) as unknown as (a: unknown) => void;
      addFormats(ajv); // uri, uri-reference, date-time … are checked, not ignored
      const validate = ajv.compile(schema);
      const ok = validate(JSON.parse(r.out));
      assert.ok(ok, JSON.stringify(validate.errors, null, 2));
      const run = sarif.runs[0];
      assert.ok(run.tool.driver.rules.length > 0);
      for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, /docs\/rules\/[a-z]+\/[a-z0-9-]+\.md$/);
      assert.ok(run.results.length >= 3);
      for (const res of run.results) {
        assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
        assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
      }
    } finally {
      ws.cleanup();
    }
  });
});

describe('flywheel check on bad input', () => {
  it('reports each bad file and still checks the rest', async () => {
    const ws = tempWorkspace({
      '.governance/policy.json': '{}',
      'CLAUDE.md': Buffer.concat([Buffer.from('PK'), Buffer.alloc(64)]),
      'docs/CODEOWNERS/readme.txt': 'a folder named CODEOWNERS',
      'bad utf8/AGENTS.md': Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]),
      'ünïcödé dir/GEMINI.md': '# fine\n',
      // 10,000 levels deep: jsonc-parser recurses, so every JSON reader must refuse this before parsing.
      '.gemini/settings.json': '{"context":'.repeat(10000) + '1' + '}'.repeat(10000),
      '.vscode/mcp.json': '['.repeat(10000) + ']'.repeat(10000),
    });
    try {
      fs.writeFileSync(path.join(ws.dir, 'AGENTS.md'), Buffer.alloc(50 * 1024 * 1024, 0x61)); // 50 MB
      fs.symlinkSync('.claude/settings.json', path.join(ws.dir, '.mcp.json'));
      fs.mkdirSync(path.join(ws.dir, '.claude'));
      fs.symlinkSync('../.mcp.json', path.join(ws.dir, '.claude/settings.json')); // a loop of two links
      const r = await cli(['check', ws.dir, '--format', 'json', ...NO_MANAGED]);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      const j = JSON.parse(r.out);
      const unreadable = j.findings
        .filter((f: { ruleId: string }) => f.ruleId === 'workspace/unreadable')
        .map((f: { file: string; message: string }) => f.file);
      assert.deepEqual(
        unreadable.sort(),
        [
          '.claude/settings.json',
          '.mcp.json',
          'AGENTS.md',
          'CLAUDE.md',
          'bad utf8/AGENTS.md',
          'docs/CODEOWNERS',
        ].sort(),
      );
      assert.ok(j.summary.filesChecked >= 7);
      assert.deepEqual(
        j.findings.filter((f: { ruleId: string }) => f.ruleId === 'workspace/internal-error'),
        [],
      );
      assert.ok(
        j.findings.some(
          (f: { ruleId: string; file: string }) =>
            f.ruleId === 'settings/invalid' && f.file === '.gemini/settings.json',
        ),
      );
    } finally {
      ws.cleanup();
    }
  });
});

describe('the built CLI (out/cli.cjs)', () => {
  const bin = path.join(REPO_ROOT, 'out', 'cli.cjs');
  it(
    'runs the bundled example and prints findings',
    { skip: !fs.existsSync(bin) && 'run `npm run build` first' },
    () => {
      const r = spawnSync(
        process.execPath,
        [bin, 'check', 'examples/acme-monorepo', '--format', 'json', ...NO_MANAGED],
        { cwd: REPO_ROOT, encoding: 'utf8' },
      );
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.ok(j.findings.some((f: { ruleId: string }) => f.ruleId === 'policy/loosens-floor'));
    },
  );

  // The bundles validate a policy file with the validator esbuild.mjs compiled at build time, not with ajv at run
  // time: the same findings as the engine run from its sources (ajv compiling the schema).
  it(
    'reports an invalid policy as the engine does (the build-time policy validator)',
    { skip: !fs.existsSync(bin) && 'run `npm run build` first' },
    async () => {
      const ws = tempWorkspace({
        '.governance/policy.json':
          '{"extends": 5, "rules": {"owners/unowned-path": "loud"}, "flywheel": {"people": {"x": 3}}, "other": true}',
        'CLAUDE.md': '# rules\n',
      });
      try {
        const args = ['check', ws.dir, '--format', 'json', ...NO_MANAGED];
        const r = spawnSync(process.execPath, [bin, ...args], { cwd: ws.dir, encoding: 'utf8' });
        let out = '';
        const code = await main(args, { out: (t) => (out += t), err: () => {}, color: false, cwd: ws.dir });
        assert.equal(r.status, code, r.stderr);
        const invalid = (text: string) =>
          (JSON.parse(text) as { findings: { ruleId: string; message: string }[] }).findings
            .filter((f) => f.ruleId === 'policy/invalid')
            .map((f) => f.message);
        assert.ok(invalid(out).length >= 3, out);
        assert.deepEqual(invalid(r.stdout), invalid(out));
      } finally {
        ws.cleanup();
      }
    },
  );

  // The bundled permissions verb loads the shell parser's WebAssembly (a bundling setting once broke its loader).
  it(
    'explains a Bash call with the bundled shell parser',
    { skip: !fs.existsSync(bin) && 'run `npm run build` first' },
    () => {
      const args = [
        bin,
        'permissions',
        'explain',
        'Bash(ls)',
        '--root',
        'examples/acme-monorepo',
        '--format',
        'json',
        '--managed',
        'none',
      ];
      const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).decision, 'allow');
    },
  );
});
