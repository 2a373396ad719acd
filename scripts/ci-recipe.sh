#!/usr/bin/env bash
# Runs the README's CI recipe as written: packs this repository (`npm pack`, which builds), lays out a fresh
# repository with the tarball in it, and runs every `run:` line of the block marked `<!-- ci-recipe` in README.md,
# in bash with -e as GitHub Actions does. Fails when the recipe fails, or when the README has no such block.
set -euo pipefail
cd "$(dirname "$0")/.."
recipe=$(awk '/<!-- ci-recipe/ { on = 1; next } on && /^```/ { n++; if (n == 2) exit; next } on && n == 1' README.md \
  | sed -n 's/^ *- run: //p')
[ -n "$recipe" ] || { echo "ci-recipe: no run: lines under <!-- ci-recipe --> in README.md" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
mkdir "$work/repo"
cp "$work"/governance-flywheel-*.tgz "$work/repo/"
cd "$work/repo"
git init -q
mkdir .governance
printf '{ "rules": { "owners/author-of-record": "off" } }\n' >.governance/policy.json
printf '# A repository with nothing to report\n' >README.md
git add -A
while IFS= read -r line; do
  echo "ci-recipe\$ $line"
  bash -e -c "$line" </dev/null
done <<<"$recipe"
test -s flywheel.sarif || { echo "ci-recipe: flywheel.sarif was not written" >&2; exit 1; }
echo "ci-recipe: the README's CI recipe runs as written"
