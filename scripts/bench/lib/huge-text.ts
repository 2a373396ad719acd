// Unique, non-repetitive Markdown of a given size, as a long real convention file is: headings, prose with code
// spans and links (some to files that exist, some not), bullet lists, numbered steps, shell blocks with commands,
// tables. Deterministic (a seeded generator), so a figure is comparable from run to run; no two paragraphs alike,
// so no cache keyed by text can make it cheap.

import { prng as rng } from './generate-repo';

const WORDS = (
  'agent build cache check commit config deploy docs error file folder format guide import lint merge module ' +
  'owner package policy prompt release review rule run schema script secret server session settings source ' +
  'stage style task team test token tool type update user value version workflow worker write always never ' +
  'before after when unless every each only first last other same small large quick careful strict'
).split(' ');

export function uniqueProse(bytes: number, seed = 1): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const word = () => pick(WORDS) + (r() < 0.3 ? String(Math.floor(r() * 1000)) : '');
  const sentence = () => {
    const n = 6 + Math.floor(r() * 14);
    const ws: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = r();
      if (x < 0.06) ws.push('`' + word() + '.' + pick(['ts', 'json', 'md', 'py']) + '`');
      else if (x < 0.08) ws.push(`[${word()}](docs/${word()}.md)`);
      else if (x < 0.09) ws.push('[the guide](docs/guide.md)');
      else if (x < 0.1) ws.push('`npm run ' + pick(['test', 'build', word()]) + '`');
      else ws.push(word());
    }
    const s = ws.join(' ');
    return s[0]!.toUpperCase() + s.slice(1) + '.';
  };
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    let block: string;
    const k = n++ % 7;
    if (k === 0) block = `## ${sentence().slice(0, 40)} ${n}`;
    else if (k === 1 || k === 4) block = Array.from({ length: 3 + Math.floor(r() * 4) }, sentence).join(' ');
    else if (k === 2) block = Array.from({ length: 3 + Math.floor(r() * 5) }, () => `- ${sentence()}`).join('\n');
    else if (k === 3) block = Array.from({ length: 3 }, (_, i) => `${i + 1}. ${sentence()}`).join('\n');
    else if (k === 5)
      block = '```sh\n' + `npm run build\ncd packages/${word()} && npm test -- --grep ${word()}\n` + '```';
    else block = `| ${word()} | ${word()} |\n| --- | --- |\n| ${sentence()} | ${sentence()} |`;
    parts.push(block);
    size += block.length + 2;
  }
  return parts.join('\n\n').slice(0, bytes) + '\n';
}
