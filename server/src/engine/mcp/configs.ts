// Every client's MCP config file of the workspace, parsed once (memoised in the AnalysisCache).

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { geminiStack } from '../permissions/index';
import { MCP_CONFIG_KINDS, parseMcpConfig, type McpConfigFile, type McpServer } from './config';

/** Every MCP config file of the workspace, parsed (memoised). */
export function mcpConfigs(snapshot: Snapshot, cache: AnalysisCache): McpConfigFile[] {
  const files = snapshot.byKind(...MCP_CONFIG_KINDS);
  const gem = snapshot.byKind('gemini-settings').filter((g) => g.path === '.gemini/settings.json');
  const deps = [snapshot.filesVersion, ...[...files, ...gem].map((g) => g.path + '@' + snapshot.version(g.path))].join(
    '\0',
  );
  return cache.memo('mcp/configs', deps, () => {
    const out: McpConfigFile[] = [];
    for (const g of files) {
      if (g.path.includes('node_modules/')) continue;
      const r = snapshot.read(g.path);
      if (!r.ok) continue;
      const f = parseMcpConfig(g.path, g.kind, r.text);
      if (f) out.push(f);
    }
    if (gem.length) {
      // The Gemini settings file is parsed once, by the permissions surface.
      const w = geminiStack(snapshot, cache).files.find((f) => f.inWorkspace && f.file === '.gemini/settings.json');
      if (w) {
        const f = parseMcpConfig(w.file, 'gemini-settings', w.parsed.text, w.parsed);
        if (f) out.push(f);
      }
    }
    return out;
  });
}

export function allServers(snapshot: Snapshot, cache: AnalysisCache): McpServer[] {
  return mcpConfigs(snapshot, cache).flatMap((f) => f.servers);
}
