// The `flywheel.*` settings, read once per use (see package.json `contributes.configuration`).

import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type FlywheelSettings } from '../../server/src/lsp/protocol';

export const SECTION = 'flywheel';

export function readSettings(): FlywheelSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    enable: c.get<boolean>('enable', DEFAULT_SETTINGS.enable),
    policyPath: c.get<string>('policyPath', DEFAULT_SETTINGS.policyPath),
    managedSettingsPath: c.get<string>('managedSettingsPath', DEFAULT_SETTINGS.managedSettingsPath),
    userSettings: c.get<boolean>('userSettings', DEFAULT_SETTINGS.userSettings),
    debounceMs: c.get<number>('debounceMs', DEFAULT_SETTINGS.debounceMs),
    maxDiagnosticsPerFile: c.get<number>('maxDiagnosticsPerFile', DEFAULT_SETTINGS.maxDiagnosticsPerFile),
    sessionSignals: c.get<string>('sessionSignals', DEFAULT_SETTINGS.sessionSignals) === 'off' ? 'off' : 'on',
  };
}

/** `flywheel.enable` is resource-scoped: true when some workspace folder (or, without folders, the window) has it on. */
export function enabledInSomeFolder(): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) return readSettings().enable;
  return folders.some((f) =>
    vscode.workspace.getConfiguration(SECTION, f.uri).get<boolean>('enable', DEFAULT_SETTINGS.enable),
  );
}
