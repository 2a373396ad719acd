// A tool call as the CLI and the decision table write it: `Bash(git push origin main)`, `Read(./.env)`,
// `WebFetch(https://example.com)`, `mcp__postgres__execute`. The argument is the tool's primary field (command,
// file path, URL, query); everything between the first `(` and the final `)` is taken verbatim.

export interface ToolCall {
  tool: string;
  arg?: string;
}

export function parseToolCall(text: string): ToolCall {
  const t = text.trim();
  const open = t.indexOf('(');
  if (open > 0 && t.endsWith(')')) return { tool: t.slice(0, open).trim(), arg: t.slice(open + 1, -1) };
  return { tool: t };
}

export function formatToolCall(c: ToolCall): string {
  return c.arg === undefined ? c.tool : `${c.tool}(${c.arg})`;
}
