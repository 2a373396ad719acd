import type { Rule } from '../../rule';
import { rule as agentCanRead } from './agent-can-read';
import { rule as filterSideEffect } from './filter-side-effect';
import { rule as invalidPattern } from './invalid-pattern';

export const rules: Rule[] = [agentCanRead, filterSideEffect, invalidPattern];
