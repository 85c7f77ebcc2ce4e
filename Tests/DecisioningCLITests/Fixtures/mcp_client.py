"""The official MCP Python SDK (PyPI `mcp`) as a client of `decisioning mcp` (stdio) or of `/mcp` on
`decisioning serve` (streamable HTTP). Runs the calls of a plan and prints what it saw as one JSON
object on standard output, for MCPClientTests to check against the database's own figures.

    python3 mcp_client.py stdio BINARY DATABASE_URL PLAN_JSON
    python3 mcp_client.py http URL KEY PLAN_JSON

PLAN_JSON is a list of [tool, arguments]; after a start_run that succeeds, the client polls get_run
until the run has finished (at most 180 s) and records its last status.
"""
import asyncio
import json
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client


async def exercise(session, plan):
    init = await session.initialize()
    seen = {"server": init.serverInfo.name, "protocol": init.protocolVersion, "calls": []}
    tools = await session.list_tools()
    seen["tools"] = sorted(tool.name for tool in tools.tools)
    seen["read_only"] = sorted(tool.name for tool in tools.tools if tool.annotations and tool.annotations.readOnlyHint)
    for name, arguments in plan:
        result = await session.call_tool(name, arguments)
        text = result.content[0].text if result.content else ""
        call = {"tool": name, "arguments": arguments, "is_error": bool(result.isError), "text": text,
                "structured": result.structuredContent}
        if not result.isError and result.structuredContent is not None:
            call["text_matches_structured"] = json.loads(text) == result.structuredContent
        if name == "start_run" and not result.isError:
            run_id = result.structuredContent["id"]
            deadline = time.time() + 180
            status = result.structuredContent["status"]
            while status in ("queued", "running") and time.time() < deadline:
                await asyncio.sleep(0.5)
                polled = await session.call_tool("get_run", {"id": run_id})
                status = polled.structuredContent["status"]
            call["final_status"] = status
        seen["calls"].append(call)
    resources = await session.list_resources()
    seen["resources"] = sorted(str(resource.uri) for resource in resources.resources)
    results = await session.read_resource("decisioning://runs/latest/results.json")
    seen["latest_results_run_id"] = json.loads(results.contents[0].text)["run"]["run_id"]
    report = await session.read_resource("decisioning://runs/latest/report.md")
    seen["report_starts"] = report.contents[0].text[:200]
    return seen


async def main():
    mode = sys.argv[1]
    plan = json.loads(sys.argv[4])
    if mode == "stdio":
        parameters = StdioServerParameters(command=sys.argv[2], args=["mcp", "--database", sys.argv[3]])
        async with stdio_client(parameters) as (read, write):
            async with ClientSession(read, write) as session:
                seen = await exercise(session, plan)
    elif mode == "http":
        headers = {"Authorization": f"Bearer {sys.argv[3]}"}
        async with streamablehttp_client(sys.argv[2], headers=headers) as (read, write, _):
            async with ClientSession(read, write) as session:
                seen = await exercise(session, plan)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(seen))


if __name__ == "__main__":
    asyncio.run(main())
