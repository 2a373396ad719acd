#!/bin/sh
# Vendored from the team kit ../shared/tools/real-vscode/install-code-server.sh, so a fresh machine or CI can run
# `npm run test:editor` (scripts/test-editor.mjs calls it once; the result is cached under ~/.cache).
# Offline-friendly install of code-server from npm (only npm registry + Debian apt reachable).
# Prereqs (apt): build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep
set -eu
DIR=${1:-${CODE_SERVER_HOME:-$HOME/.cache/code-server-npm}}
VER=${CODE_SERVER_VERSION:-4.100.3}
mkdir -p "$DIR" && cd "$DIR"
[ -f package.json ] || npm init -y >/dev/null
# 1. fetch code-server without running its postinstall (which would hit GitHub for ripgrep)
npm i "code-server@$VER" --ignore-scripts --no-audit --no-fund
# 2. build code-server's own native dep (argon2: prebuilt download fails -> falls back to node-gyp source build)
npm rebuild argon2 --foreground-scripts
# 3. replicate code-server's postinstall.sh by hand
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg   # ripgrep postinstall then says "bin/ folder already exists"
npm_config_yes=true npm rebuild --foreground-scripts                          # (yes=true: node-pty post-install runs "npx node-gyp"); node-gyp builds spdlog, node-pty, kerberos, watcher, ...
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && rm -f code-server && ln -s code-linux.sh code-server)
(cd bin/helpers && rm -f browser.sh && ln -s browser-linux.sh browser.sh)
cd extensions
npm install --omit=dev --no-audit --no-fund
echo "code-server installed: $DIR/node_modules/.bin/code-server"
