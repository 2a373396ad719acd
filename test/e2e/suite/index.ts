// Entry of the editor tests inside the extension host (bundled to out/test/e2e/index.cjs by test/e2e/run.mjs).

import * as mochaModule from 'mocha';
import { editorTests } from './editor.test';
import { flywheelTests } from './flywheel.test';

// mocha 12 is an ES module; how its class arrives through the extension host's require() varies.
type MochaClass = typeof import('mocha');
const loaded = mochaModule as unknown as { default?: MochaClass | { default?: MochaClass }; Mocha?: MochaClass };
const Mocha =
  (typeof loaded.default === 'function' ? loaded.default : loaded.default?.default) ??
  loaded.Mocha ??
  (mochaModule as unknown as MochaClass);

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'editor.test', mocha);
  editorTests();
  flywheelTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} editor test(s) failed`)) : resolve()));
  });
}
