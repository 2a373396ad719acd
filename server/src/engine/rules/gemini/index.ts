import type { Rule } from '../../rule';
import { rule as excludeOnly } from './exclude-only';
import { rule as yoloNotDisabled } from './yolo-not-disabled';

export const rules: Rule[] = [excludeOnly, yoloNotDisabled];
