import type { Rule } from '../../rule';
import { rule as invalid } from './invalid';
import { rule as loosensFloor } from './loosens-floor';

export const rules: Rule[] = [invalid, loosensFloor];
