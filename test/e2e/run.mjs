// Editor tests: the extension in a real VS Code, through @vscode/test-electron's runTests() with mocha in the
// extension host. The VS Code build comes from, in order: $VSCODE_EXECUTABLE; the code-server shim of the team's
// real-vscode kit (../shared/tools/real-vscode/code-shim.js, when code-server is installed — `npm run test:editor`
// installs it); a build cached in .vscode-test/. With none present it says so in one line and exits 0 only when
// CI is unset. Usage: node test/e2e/run.mjs (after `npm run build`).
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function findVSCode() {
  if (process.env.VSCODE_EXECUTABLE) return { path: process.env.VSCODE_EXECUTABLE, from: '$VSCODE_EXECUTABLE' };
  const shim = path.resolve(repo, '..', 'shared', 'tools', 'real-vscode', 'code-shim.js');
  const codeServer =
    process.env.CODE_SERVER_BIN ??
    path.join(
      process.env.CODE_SERVER_HOME ?? path.join(os.homedir(), '.cache', 'code-server-npm'),
      'node_modules',
      '.bin',
      'code-server',
    );
  if (fs.existsSync(shim) && fs.existsSync(codeServer))
    return { path: shim, from: `code-server (${codeServer}) via ${shim}` };
  const cache = path.join(repo, '.vscode-test');
  if (fs.existsSync(cache)) {
    for (const dir of fs
      .readdirSync(cache)
      .filter((d) => d.startsWith('vscode-'))
      .sort()
      .reverse()) {
      for (const exe of [
        'code',
        'bin/code',
        'VSCode-linux-x64/code',
        'Visual Studio Code.app/Contents/MacOS/Electron',
        'Code.exe',
      ]) {
        const p = path.join(cache, dir, exe);
        if (fs.existsSync(p)) return { path: p, from: p };
      }
    }
  }
  return undefined;
}

const vscode = findVSCode();
if (!vscode) {
  console.log(
    'e2e: no VS Code build found (set VSCODE_EXECUTABLE, run `npm run test:editor` once to install code-server, or cache one in .vscode-test/); editor tests not run.',
  );
  process.exit(process.env.CI ? 1 : 0);
}
for (const f of ['out/extension.cjs', 'out/server.cjs']) {
  if (!fs.existsSync(path.join(repo, f))) {
    console.error(`e2e: ${f} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
}

// The suite runs inside the extension host, which loads CommonJS: bundle it (vscode and mocha stay external).
const suite = path.join(repo, 'out', 'test', 'e2e', 'index.cjs');
await esbuild.build({
  entryPoints: [path.join(repo, 'test', 'e2e', 'suite', 'index.ts')],
  outfile: suite,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

// A temporary copy of examples/ (the quick fix edits a file), opened at the monorepo.
const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'flywheel-e2e-'));
fs.cpSync(path.join(repo, 'examples'), path.join(tmp, 'examples'), { recursive: true });
const workspace = path.join(tmp, 'examples', 'acme-monorepo');
console.log(`e2e: VS Code from ${vscode.from}; workspace ${workspace}`);
let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath: vscode.path,
    extensionDevelopmentPath: repo,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: {
      FLYWHEEL_MANAGED_SETTINGS: path.join(tmp, 'no-managed-settings.json'),
      // git's identity for the flywheel (the suite writes user.email here to act as each person in turn).
      GIT_CONFIG_GLOBAL: path.join(tmp, 'gitconfig'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_EMAIL: '',
      FLYWHEEL_E2E_GITCONFIG: path.join(tmp, 'gitconfig'),
      // The shim lives outside this repository and needs our playwright-core.
      NODE_PATH: [path.join(repo, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
    },
  });
} catch (err) {
  console.error('e2e: the run failed:', err);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
