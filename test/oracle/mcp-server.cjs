#!/usr/bin/env node
// A minimal MCP server over stdio for the oracle runs: `node mcp-server.cjs <server-name>` offers a few tools that
// only answer "ok", so Claude Code has real mcp__<server>__<tool> tools to decide on.
'use strict';
const TOOLS = {
  github: ['search_repositories', 'create_issue'],
  postgres: ['execute', 'query'],
  jira: ['create_issue', 'search'],
};
const name = process.argv[2] || 'github';
const tools = (TOOLS[name] || ['ping']).map((t) => ({ name: t, description: `${name} ${t} (oracle stub)`, inputSchema: { type: 'object', properties: {} } }));
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let i;
  while ((i = buf.indexOf('\n')) !== -1) {
    const line = buf.slice(0, i).trim();
    buf = buf.slice(i + 1);
    if (!line) continue;
    let msg;
    try { msg = JSON.parse(line); } catch { continue; }
    if (msg.id === undefined) continue; // a notification
    let result;
    if (msg.method === 'initialize') result = { protocolVersion: (msg.params && msg.params.protocolVersion) || '2025-06-18', capabilities: { tools: {} }, serverInfo: { name, version: '0.0.1' } };
    else if (msg.method === 'tools/list') result = { tools };
    else if (msg.method === 'tools/call') result = { content: [{ type: 'text', text: 'ok' }] };
    else if (msg.method === 'ping') result = {};
    else {
      process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'not supported' } }) + '\n');
      continue;
    }
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }) + '\n');
  }
});
