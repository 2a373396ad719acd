// `npm run bench`: performance figures (never timed assertions in tests). Each part is a module in scripts/bench/
// exporting `default async function (r: Reporter)`. `npm run bench -- owners` runs the parts whose name matches.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Reporter {
  /** One figure: a name, a value, a unit, and an optional target it must meet (printed as ok / MISSED). */
  figure(name: string, value: number, unit: string, target?: { max?: number; min?: number }): void;
  note(text: string): void;
}

const dir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'bench');
const filters = process.argv.slice(2);
const parts = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)));

let missed = 0;
const reporter: Reporter = {
  figure(name, value, unit, target) {
    let verdict = '';
    if (target) {
      const ok = (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
      if (!ok) missed++;
      verdict = ok ? '  ok' : '  MISSED';
      verdict += target.max !== undefined ? ` (target ≤ ${target.max} ${unit})` : ` (target ≥ ${target.min} ${unit})`;
    }
    const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
    console.log(`  ${name.padEnd(64)} ${shown.padStart(10)} ${unit}${verdict}`);
  },
  note(text) {
    console.log(`  ${text}`);
  },
};

for (const f of parts) {
  console.log(`\n## ${f.replace(/\.ts$/, '')}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: (r: Reporter) => Promise<void> };
  await mod.default(reporter);
}
console.log(missed ? `\n${missed} target(s) missed` : '\nall targets met');
