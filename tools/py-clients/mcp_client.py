"""Drives EngLog's MCP server with the official MCP Python SDK (PyPI `mcp`).

    python3 mcp_client.py http  <url> <token|-> <plan.json>
    python3 mcp_client.py stdio <command> <config-home> <plan.json>

`plan.json` is a list of `{"tool": name, "args": {...}}`. Prints one JSON
object: the tool names the server lists and, per call, either the result
(`isError`, `text` of each content block, `structured`) or the JSON-RPC
error (`error: {code, message}`). The assertions live in the Rust tests;
this script only speaks the protocol, the way an assistant's client does.
"""

import asyncio
import json
import os
import sys

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError


def transport(kind, target, credential):
    if kind == "http":
        headers = {} if credential == "-" else {"Authorization": f"Bearer {credential}"}
        http = httpx2.AsyncClient(headers=headers, timeout=30.0)
        return streamable_http_client(target, http_client=http)
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = credential
    env["HOME"] = credential
    return StdioServerParameters(command=target, args=["mcp", "--stdio"], env=env)


async def main(kind, target, credential, plan_file):
    with open(plan_file) as f:
        plan = json.load(f)
    out = {"tools": [], "calls": []}
    async with Client(transport(kind, target, credential), cache=None, mode=os.environ.get("MCP_MODE", "auto")) as client:
        listed = await client.list_tools()
        out["tools"] = sorted(t.name for t in listed.tools)
        out["schemas"] = {t.name: t.input_schema for t in listed.tools}
        for step in plan:
            try:
                result = await client.call_tool(step["tool"], step.get("args", {}))
                out["calls"].append(
                    {
                        "isError": bool(result.is_error),
                        "text": [getattr(c, "text", None) for c in result.content],
                        "structured": result.structured_content,
                    }
                )
            except MCPError as e:
                out["calls"].append({"error": {"code": e.error.code, "message": e.error.message}})
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
