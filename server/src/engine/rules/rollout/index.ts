import type { Rule } from '../../rule';
import { rule as prerequisite } from './prerequisite';

export const rules: Rule[] = [prerequisite];
