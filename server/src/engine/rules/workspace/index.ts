import type { Rule } from '../../rule';
import { rule as suppression } from './suppression';
import { rule as unreadable } from './unreadable';

export const rules: Rule[] = [suppression, unreadable];
