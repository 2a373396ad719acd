import type { Rule } from '../../rule';
import { rule as disabledByPolicy } from './disabled-by-policy';
import { rule as inlineCredential } from './inline-credential';
import { rule as insecureRemote } from './insecure-remote';
import { rule as invalidConfig } from './invalid-config';
import { rule as registryInvalid } from './registry-invalid';
import { rule as transportMismatch } from './transport-mismatch';
import { rule as unapprovedTool } from './unapproved-tool';
import { rule as unregisteredServer } from './unregistered-server';
import { rule as versionMismatch } from './version-mismatch';

export const rules: Rule[] = [
  disabledByPolicy,
  inlineCredential,
  insecureRemote,
  invalidConfig,
  registryInvalid,
  transportMismatch,
  unapprovedTool,
  unregisteredServer,
  versionMismatch,
];
