// `npm run test:editor`: the extension in a real VS Code, looked at as a person would. code-server (VS Code's server
// and web workbench, from npm) serves on 127.0.0.1 only; the extension is installed from the .vsix that
// `npm run package` builds; a copy of examples/acme-monorepo is opened; Debian's Chromium, driven by playwright-core,
// checks that the Problems panel lists our diagnostics (of every surface), that a quick fix changes the file, that the
// hover shows a file's owners and an MCP server's registry entry and Claude Code status, and that the `Flywheel:`
// commands are in the command palette; then the flywheel loop: Capture Signal from the palette, Draft Proposal (a
// convention rule and a Managed deny rule), the Governance view showing it to its owner, the proposal page, Ratify and
// Apply (the target files change), the Flywheel diagnostics clean after apply and conventions/ratified-rule-missing back
// when the rule is deleted. Screenshots go to docs/images/.
//
// One browser, one server, one workspace. On a fresh machine it first installs what it needs: Debian packages
// (apt-get, when missing) and code-server (scripts/install-code-server.sh, cached in ~/.cache/code-server-npm).
// Environment: CODE_SERVER_HOME, CODE_SERVER_VERSION (4.100.3), CHROMIUM_BIN (/usr/bin/chromium),
// SCREENSHOTS=0 to leave docs/images/ alone, KEEP=1 to keep the temporary folders.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_HOME = process.env.CODE_SERVER_HOME ?? path.join(os.homedir(), '.cache', 'code-server-npm');
const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION ?? '4.100.3';
const CODE_SERVER = path.join(CODE_SERVER_HOME, 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const APT_PACKAGES = [
  'build-essential',
  'python3',
  'pkg-config',
  'libkrb5-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'ripgrep',
  'chromium',
];
const SHOTS = path.join(repo, 'docs', 'images');
const screenshots = process.env.SCREENSHOTS !== '0';
const COMMAND_TITLES = Object.fromEntries(
  [
    ...fs
      .readFileSync(path.join(repo, 'client', 'src', 'commandIds.ts'), 'utf8')
      .matchAll(/'(flywheel\.\w+)': '([^']+)'/g),
  ].map((m) => [m[1], m[2]]),
);

const t0 = Date.now();
const step = (msg) => console.log(`[test:editor ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const fail = (msg) => {
  throw new Error(msg);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Debian packages code-server's build and the browser need; installed only when missing. */
function ensurePackages() {
  const missing = APT_PACKAGES.filter(
    (p) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes(
        'install ok installed',
      ) !== true,
  );
  if (!missing.length) return;
  step(`installing Debian packages: ${missing.join(' ')}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq']);
  run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensureCodeServer() {
  const pkg = path.join(CODE_SERVER_HOME, 'node_modules', 'code-server', 'package.json');
  if (
    fs.existsSync(CODE_SERVER) &&
    fs.existsSync(pkg) &&
    JSON.parse(fs.readFileSync(pkg, 'utf8')).version === CODE_SERVER_VERSION
  )
    return;
  step(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_HOME} (once; about 1.5 minutes)`);
  run('sh', [path.join(repo, 'scripts', 'install-code-server.sh'), CODE_SERVER_HOME], {
    env: { ...process.env, CODE_SERVER_VERSION },
  });
}

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function main() {
  ensurePackages();
  ensureCodeServer();
  if (!fs.existsSync(CHROMIUM))
    fail(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_BIN)`);

  step('building the .vsix (npm run package)');
  const vsix = path.join(repo, 'out', 'governance-flywheel.vsix');
  fs.rmSync(vsix, { force: true });
  run('npm', ['run', 'package', '--silent', '--', '--out', vsix], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!fs.existsSync(vsix)) fail(`npm run package did not produce ${vsix}`);

  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'flywheel-editor-'));
  const udd = path.join(tmp, 'user-data');
  const ext = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(udd, 'User'), { recursive: true });
  fs.mkdirSync(ext, { recursive: true });
  fs.writeFileSync(
    path.join(udd, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'security.workspace.trust.enabled': false,
        'editor.hover.delay': 100,
        'window.commandCenter': false,
        'chat.commandCenter.enabled': false,
      },
      null,
      2,
    ),
  );
  fs.cpSync(path.join(repo, 'examples'), path.join(tmp, 'examples'), { recursive: true });
  const workspace = path.join(tmp, 'examples', 'acme-monorepo');
  const port = await freePort();
  const config = path.join(tmp, 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const csArgs = [
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    udd,
    '--extensions-dir',
    ext,
  ];
  // The machine's own managed settings stay out of the test.
  // git's identity for the flywheel: the test writes user.email here to act as each person in turn.
  const gitconfig = path.join(tmp, 'gitconfig');
  fs.writeFileSync(gitconfig, '');
  const env = {
    ...process.env,
    FLYWHEEL_MANAGED_SETTINGS: path.join(tmp, 'no-managed-settings.json'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_EMAIL: '',
  };

  step(`installing the .vsix into code-server ${CODE_SERVER_VERSION}`);
  run(CODE_SERVER, [...csArgs, '--install-extension', vsix], { env, stdio: ['ignore', 'ignore', 'inherit'] });

  step(`starting code-server on 127.0.0.1:${port}`);
  const log = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
  const cs = spawn(CODE_SERVER, csArgs, { env, detached: true, stdio: ['ignore', log, log] });
  let browser;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (cs.exitCode !== null || i > 300) fail(`code-server did not start; see ${path.join(tmp, 'code-server.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 800 },
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench');
    await page.waitForSelector('.explorer-folders-view .monaco-list-row');
    step('workbench loaded');

    // 1. The Problems panel lists our diagnostics, for files nobody opened.
    await page.keyboard.press('Control+Shift+M');
    const panelText = await page
      .waitForFunction(() => {
        const t = document.querySelector('.markers-panel')?.innerText ?? '';
        // Each problem shows its source and code: `flywheel(owners/wrong-owner)`.
        return /\bflywheel\b/.test(t) && /^[a-z]+\/[a-z0-9-]+$/m.test(t) ? t : false;
      })
      .then((h) => h.jsonValue());
    const codes = [...new Set(panelText.split('\n').filter((l) => /^[a-z]+\/[a-z-]+$/.test(l.trim())))];
    step(`Problems panel lists ${codes.length} rule(s): ${codes.join(', ')}`);
    if (screenshots) await page.screenshot({ path: path.join(SHOTS, 'problems.png') });
    // Every landed surface is there: the panel is virtualised (only visible rows exist), so filter it per surface.
    const filter = page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
    for (const surface of ['policy', 'owners', 'conventions', 'permissions', 'gemini', 'mcp', 'boundary', 'rollout']) {
      await filter.fill(`${surface}/`);
      const shown = await page
        .waitForFunction(
          // A row shows its source and its code on lines of their own: `flywheel`, `owners/wrong-owner`.
          (prefix) =>
            [...document.querySelectorAll('.markers-panel .monaco-list-row')]
              .map((r) => r.innerText.split('\n').map((l) => l.trim()))
              .flatMap((lines) =>
                lines.includes('flywheel')
                  ? lines.filter((l) => l.startsWith(prefix) && /^[a-z]+\/[a-z0-9-]+$/.test(l))
                  : [],
              )[0],
          `${surface}/`,
          { timeout: 20_000 },
        )
        .then((h) => h.jsonValue());
      step(`Problems panel, filtered to ${surface}/: ${shown}`);
    }

    // 2. A quick fix changes the file: walk the CODEOWNERS problems until one offers a fix, apply it, save.
    const codeowners = path.join(workspace, '.github', 'CODEOWNERS');
    const before = fs.readFileSync(codeowners, 'utf8');
    // The panel is virtualised (only visible rows exist): filter it down to CODEOWNERS first.
    await filter.fill('CODEOWNERS');
    await page.waitForFunction(
      () => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /owners\//.test(r.innerText)),
      null,
      { timeout: 20_000 },
    );
    const rows = page.locator('.markers-panel .monaco-list-row');
    const count = await rows.count();
    let fixed;
    for (let i = 0; i < count && !fixed; i++) {
      const row = rows.nth(i);
      const label = await row.innerText();
      if (!/\bflywheel\b/.test(label) || !/owners\//.test(label)) continue;
      await row.click();
      await page.keyboard.press('Enter'); // open the problem in the editor, cursor on it
      await page
        .waitForSelector('.tabs-container .tab.active:has-text("CODEOWNERS")', { timeout: 15_000 })
        .catch(() => undefined);
      await page.keyboard.press('Control+.');
      const widget = await page
        .waitForSelector('.action-widget .monaco-list-row.action', { timeout: 10_000 })
        .catch(() => undefined);
      if (!widget) {
        await page.keyboard.press('Escape');
        continue;
      }
      const title = (await page.locator('.action-widget .monaco-list-row.action').first().innerText()).trim();
      if (screenshots) await page.screenshot({ path: path.join(SHOTS, 'quick-fix.png') });
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+S');
      fixed = { title, label };
    }
    if (!fixed) fail('no flywheel problem in CODEOWNERS offered a quick fix');
    const changed = await waitUntil(() => fs.readFileSync(codeowners, 'utf8') !== before, 20_000);
    if (!changed) fail(`the quick fix "${fixed.title}" did not change ${codeowners}`);
    step(`quick fix "${fixed.title}" changed .github/CODEOWNERS`);

    // 3. The hover on an MCP server's name shows its registry entry and whether Claude Code starts it. (Before the
    // owners hover: the flywheel loop below captures its signal about the file that hover leaves open.)
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type('.mcp.json');
    const mcpRow = page.locator('.quick-input-list .monaco-list-row', { hasText: '.mcp.json' }).first();
    await mcpRow.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tabs-container .tab.active:has-text(".mcp.json")', { timeout: 15_000 });
    // The token itself (a line is a span of token spans): `"postgres"`, the key on its own line.
    const serverName = page.locator('.view-lines .view-line span[class*="mtk"]', { hasText: /^"postgres"$/ }).first();
    let mcpHover = '';
    for (let attempt = 0; attempt < 5 && !/Claude Code/.test(mcpHover); attempt++) {
      await serverName.waitFor({ state: 'visible', timeout: 15_000 });
      const box = await serverName.boundingBox();
      if (!box) continue;
      await page.mouse.move(box.x + box.width / 2 + attempt * 2 - 4, box.y + box.height / 2);
      mcpHover = await page
        .waitForFunction(
          () => {
            const t = [...document.querySelectorAll('.monaco-hover')].map((e) => e.innerText).join('\n');
            return /MCP server/.test(t) && /Claude Code/.test(t) ? t : false;
          },
          null,
          { timeout: 8_000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => '');
    }
    if (!/Registry entry/.test(mcpHover) || !/Claude Code (starts|asks|never)/.test(mcpHover))
      fail(
        `the hover on the MCP server "postgres" in .mcp.json shows no registry entry or Claude Code status: ${mcpHover}`,
      );
    const mcpLines = mcpHover.split('\n').filter((l) => /MCP server|Registry entry|Claude Code/.test(l));
    step(`MCP hover: ${mcpLines.join(' / ')}`);
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');

    // 3b. The hover on a source file shows its owners and the deciding CODEOWNERS line.
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type('refunds.ts');
    await page.waitForSelector('.quick-input-list .monaco-list-row:has-text("refunds.ts")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tabs-container .tab.active:has-text("refunds.ts")');
    const firstLine = page.locator('.editor-instance .view-lines .view-line').first();
    let hoverText = '';
    for (let attempt = 0; attempt < 5 && !/Owners:/.test(hoverText); attempt++) {
      await firstLine.waitFor({ state: 'visible' });
      const box = await firstLine.boundingBox();
      if (!box) continue; // laid out again meanwhile
      await page.mouse.move(box.x + 20 + attempt * 7, box.y + box.height / 2);
      hoverText = await page
        .waitForFunction(
          () => {
            const t = [...document.querySelectorAll('.monaco-hover')].map((e) => e.innerText).join('\n');
            // Not the .mcp.json hover of the step before, should it linger.
            return /Owners:/.test(t) && !/MCP server/.test(t) ? t : false;
          },
          null,
          { timeout: 8_000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => '');
    }
    if (!/Owners:/.test(hoverText)) fail('the hover on services/payments/src/refunds.ts shows no owners');
    step(`hover: ${hoverText.split('\n').filter(Boolean).slice(0, 2).join(' / ')}`);
    if (screenshots) await page.screenshot({ path: path.join(SHOTS, 'hover.png') });
    await page.mouse.move(1, 1);

    // 4. The Flywheel commands are in the command palette.
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type('Flywheel:');
    const listed = await page
      .waitForFunction(
        (n) => {
          const rows = [...document.querySelectorAll('.quick-input-list .monaco-list-row')].map(
            (r) => r.getAttribute('aria-label') ?? r.innerText,
          );
          const ours = rows.filter((r) => r.includes('Flywheel: '));
          return ours.length >= n ? ours : false;
        },
        Math.min(5, Object.keys(COMMAND_TITLES).length),
      )
      .then((h) => h.jsonValue());
    step(`command palette lists ${listed.length} Flywheel commands`);
    if (screenshots) await page.screenshot({ path: path.join(SHOTS, 'commands.png') });
    const missing = Object.values(COMMAND_TITLES).filter((t) => !listed.some((r) => r.includes(`Flywheel: ${t}`)));
    if (missing.length > Object.keys(COMMAND_TITLES).length - 5)
      fail(`the command palette lacks: ${missing.join(', ')}`);
    await page.keyboard.press('Escape');

    // 5. The flywheel loop: Capture Signal from the palette (as Frank), draft both proposals (the convention rule and
    // a Managed deny rule), see the rule awaiting its owner (Dana) in the Governance view, read its page, ratify and
    // apply it: the target file changes; then the deny rule's ratifier (Erin) ratifies and applies it.
    const QI = '.quick-input-widget:not([style*="display: none"])';
    // A webview that has just opened (the proposal page) can hold the focus and swallow F1: retry, with the focus
    // given back to the workbench, until the palette shows the command.
    const palette = async (title) => {
      const row = `${QI} .quick-input-list .monaco-list-row:has-text("Flywheel: ${title}")`;
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
          await page.keyboard.press('Escape');
          await page.evaluate(() =>
            document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined,
          );
        }
        await page.keyboard.press('F1');
        const listed = await page
          .waitForSelector(`${QI} input`, { timeout: 10_000 })
          .then(() => page.fill(`${QI} input`, `>Flywheel: ${title}`))
          .then(() => page.waitForSelector(row, { timeout: 20_000 }))
          .then(() => true)
          .catch(() => false);
        if (listed) break;
        if (attempt >= 3) fail(`the command palette never listed "Flywheel: ${title}"`);
      }
      await page.keyboard.press('Enter');
    };
    const answer = async (titlePart, text, shot) => {
      await page.waitForSelector(`${QI} .quick-input-title:has-text("${titlePart}")`);
      if (text) await page.keyboard.type(text);
      if (shot && screenshots) await page.screenshot({ path: path.join(SHOTS, shot) });
      await page.keyboard.press('Enter');
    };
    const notification = (text, timeout = 15_000) =>
      page.waitForSelector(`.notifications-toasts .notification-list-item:has-text("${text}")`, { timeout });
    const target = path.join(workspace, 'services', 'payments', 'CLAUDE.md');
    const rule = 'Every migration ships with a rollback plan.';
    fs.writeFileSync(gitconfig, '[user]\n\temail = frank@acme.example\n');
    await palette('Capture Signal');
    await page.waitForSelector(`${QI} .quick-input-list .monaco-list-row:has-text("failure")`);
    await answer('(1/4)', 'failure', 'capture-signal.png');
    await answer('(2/4)', 'Agent ran a destructive migration without a rollback plan');
    await answer('(3/4)', 'The payments instructions do not require a rollback plan');
    await answer('(4/4)', `- ${rule}`);
    const captured = await notification('captured S-', 60_000);
    const signalId = /S-\d{8}T\d{6,9}Z-[0-9a-f]+/.exec(await captured.innerText())?.[0];
    step(`Capture Signal in 4 steps wrote ${signalId}`);
    await page.keyboard.press('Escape');
    await palette('Draft Proposal from Signal');
    await page.waitForSelector(`${QI} .quick-input-list .monaco-list-row:has-text("${signalId}")`);
    await page.keyboard.type(signalId);
    await page.keyboard.press('Enter');
    await answer('the rule to add', '');
    // The seed's second proposal: a Managed deny rule, to the Managed source's ratifiers (platform security).
    const denyRule = 'Bash(migrate --destructive *)';
    await answer('Managed deny rule', denyRule);
    const idIn = async (toast) => /P-\d{8}T\d{6,9}Z-[0-9a-f]+/.exec(await toast.innerText())?.[0];
    const proposalId = await idIn(await notification('(convention →', 60_000));
    const denyId = await idIn(await notification('(managed-deny →', 60_000));
    if (!proposalId || !denyId) fail(`Draft Proposal drafted ${proposalId} and ${denyId}: both proposals expected`);
    step(`drafted ${proposalId} (convention) and ${denyId} (Managed deny rule)`);
    await page.waitForSelector('.tabs-container .tab.active:has-text("Proposal")');

    fs.writeFileSync(gitconfig, '[user]\n\temail = dana@acme.example\n');
    await palette('Show the Governance View');
    await page.waitForSelector('.pane-body .monaco-list-row:has-text("Awaiting my ratification")');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.pane-body .monaco-list-row')].map((r) => r.innerText);
      const i = rows.findIndex((r) => r.includes('Awaiting my ratification'));
      const j = rows.findIndex((r) => /^Proposals/.test(r.trim()));
      return i >= 0 && rows.slice(i + 1, j > i ? j : undefined).some((r) => r.includes('without a rollback plan'));
    });
    step('the Governance view lists the proposal under "Awaiting my ratification" for its owner');
    if (screenshots) await page.screenshot({ path: path.join(SHOTS, 'governance-view.png') });

    await palette('Open Proposal…');
    await page.waitForSelector(`${QI} .quick-input-list .monaco-list-row:has-text("${proposalId}")`);
    await page.keyboard.type(proposalId);
    await page.keyboard.press('Enter');
    // The page is a webview (nested iframes): wait until a button is enabled (the engine said so), then press it.
    const pageButton = async (action) => {
      let button;
      await waitUntilAsync(async () => {
        for (const f of page.frames()) {
          const b = await f.$(`button[data-action="${action}"]`).catch(() => null);
          if (b && !(await b.isDisabled().catch(() => true))) {
            button = b;
            return true;
          }
        }
        return false;
      }, 60_000);
      return button;
    };
    await pageButton('ratify');
    step('the proposal page enables Ratify for its owner');
    if (screenshots) await page.screenshot({ path: path.join(SHOTS, 'proposal-page.png') });
    // The page may re-render between finding a button and pressing it: press until the outcome shows.
    const press = async (action, outcome) => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const b = await pageButton(action);
        await b.click().catch(() => undefined);
        if (
          await notification(outcome).then(
            () => true,
            () => false,
          )
        )
          return;
      }
      fail(`pressing ${action} on the proposal page never showed "${outcome}"`);
    };
    await press('ratify', `${proposalId} ratified`);
    await press('apply', `${proposalId} applied`);
    if (!fs.readFileSync(target, 'utf8').includes(rule)) fail(`${target} does not carry the applied rule`);
    step(`ratified and applied ${proposalId}: services/payments/CLAUDE.md carries the rule`);

    // The Managed deny rule: its ratifier (Erin, platform security) opens it, ratifies and applies it.
    fs.writeFileSync(gitconfig, '[user]\n\temail = erin@acme.example\n');
    await palette('Open Proposal…');
    await page.waitForSelector(`${QI} .quick-input-list .monaco-list-row:has-text("${denyId}")`);
    await page.keyboard.type(denyId);
    await page.keyboard.press('Enter');
    await press('ratify', `${denyId} ratified`);
    await press('apply', `${denyId} applied`);
    const managed = path.join(workspace, '.governance', 'managed', 'claude-managed-settings.json');
    if (!fs.readFileSync(managed, 'utf8').includes(denyRule)) fail(`${managed} does not carry ${denyRule}`);
    step(`ratified and applied ${denyId} as its ratifier: the Managed source denies ${denyRule}`);

    // The applied rule keeps the Flywheel diagnostics clean; deleting it from the file (outside a proposal) brings
    // conventions/ratified-rule-missing back.
    const problemsWith = (text) =>
      page.evaluate(
        (t) => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.innerText.includes(t)),
        text,
      );
    if (!(await filter.isVisible())) {
      // The Problems panel was closed: give the focus back to the workbench (a webview may hold it) and open it.
      await page.evaluate(() =>
        document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined,
      );
      await page.keyboard.press('Control+Shift+M');
    }
    await filter.fill('ratified-rule-missing');
    if (await problemsWith('ratified-rule-missing')) fail('the applied rule is reported missing right after apply');
    step('Problems panel: no conventions/ratified-rule-missing after the rule was applied');
    fs.writeFileSync(
      target,
      fs
        .readFileSync(target, 'utf8')
        .split('\n')
        .filter((l) => !l.includes(rule))
        .join('\n'),
    );
    const back = (timeout) =>
      page
        .waitForFunction(
          () =>
            [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) =>
              r.innerText.includes('ratified-rule-missing'),
            ),
          null,
          { timeout },
        )
        .then(() => true)
        .catch(() => false);
    if (await back(30_000)) {
      step('deleting the rule from services/payments/CLAUDE.md brings conventions/ratified-rule-missing back');
    } else {
      // Seen once in CI under load, never here: say so loudly with the server's log, then check that a full re-check
      // finds it (the finding itself must come back; only the incremental path is in doubt).
      console.log(`NOTE: conventions/ratified-rule-missing not back 30 s after the edit on disk; language server log:`);
      console.log(serverLog(udd));
      await palette('Re-check the Workspace');
      if (!(await back(60_000))) fail('deleting the applied rule did not bring conventions/ratified-rule-missing back');
      step('deleting the rule brings conventions/ratified-rule-missing back (only after a full re-check: see NOTE)');
    }
    step(
      `passed in ${((Date.now() - t0) / 1000).toFixed(1)}s${screenshots ? `; screenshots in ${path.relative(repo, SHOTS)}/` : ''}`,
    );
  } catch (err) {
    // Leave evidence: what the page showed, and where code-server's logs are.
    const page = browser?.pages()[0];
    if (page) {
      await page.screenshot({ path: path.join(tmp, 'failure.png') }).catch(() => undefined);
      const panel = await page
        .evaluate(() => document.querySelector('.markers-panel')?.innerText ?? '(no Problems panel)')
        .catch(() => '');
      console.error(
        `Problems panel at the failure:\n${panel}\nscreenshot: ${path.join(tmp, 'failure.png')}; logs: ${path.join(udd, 'logs')}`,
      );
      console.error(serverLog(udd));
    }
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-cs.pid, 'SIGTERM'); // code-server's whole process group: server, extension host, our server
    } catch {
      /* already gone */
    }
    await Promise.race([new Promise((r) => cs.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
    if (process.env.KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`kept ${tmp}`);
  }
}

/** The last lines of the language server's output channel log (code-server keeps it under the user data folder). */
function serverLog(udd, lines = 60) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/flywheel/i.test(e.name)) found.push(p);
    }
  };
  try {
    walk(path.join(udd, 'logs'));
  } catch {
    return '(no logs folder)';
  }
  return (
    found.map((f) => `--- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-lines).join('\n')}`).join('\n') ||
    '(no Flywheel log found)'
  );
}

async function waitUntilAsync(test, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (await test()) return true;
  return fail('waited too long');
}

async function waitUntil(test, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return test();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`test:editor failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
