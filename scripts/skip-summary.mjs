// A node:test reporter that closes the run with every skipped test and its reason (e.g. a real-world suite whose
// ../shared/realworld folder is absent), so a skip is seen in the summary and not only in the scroll-back.
import { relative } from 'node:path';

export default async function* skipSummary(source) {
  const skipped = [];
  for await (const event of source) {
    // A test that runs but leaves out a part says so with t.diagnostic('partly skipped: <reason>').
    if (event.type === 'test:diagnostic' && String(event.data.message).startsWith('partly skipped: ')) {
      skipped.push(`${event.data.file ? relative(process.cwd(), event.data.file) : 'a test'}: ${event.data.message}`);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    const where = file ? ` (${relative(process.cwd(), file)})` : '';
    skipped.push(`${name}${where}${typeof skip === 'string' ? `: ${skip}` : ''}`);
  }
  if (skipped.length)
    yield `ℹ skipped ${skipped.length}, with the reason:\n${skipped.map((s) => `ℹ   ${s}`).join('\n')}\n`;
}
