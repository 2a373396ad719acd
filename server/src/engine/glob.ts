// Policy globs (picomatch, dotfiles included), compiled once and kept in a bounded cache shared by the surfaces.

import picomatch from 'picomatch';
import { BoundedMap } from './cache';

const matchers = new BoundedMap<string, (p: string) => boolean>(10_000);

/** A policy glob's matcher; a glob picomatch cannot compile matches nothing. */
export function policyGlob(glob: string): (p: string) => boolean {
  let m = matchers.get(glob);
  if (!m) {
    try {
      m = picomatch(glob, { dot: true });
    } catch {
      m = () => false;
    }
    matchers.set(glob, m);
  }
  return m;
}
