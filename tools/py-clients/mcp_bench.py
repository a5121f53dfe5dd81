"""Latency of EngLog's MCP tools for one user with many entries, measured
with the official MCP Python SDK client (see scripts/bench-mcp).

    python3 mcp_bench.py <graphql-url> <mcp-url> <entries> <calls>

Registers a user, seeds <entries> entries over the past year through
`bulkCreateLogEntries` (100 per request), creates an API token, then
calls each measured tool <calls> times over one Streamable HTTP
connection, one call at a time, and prints a Markdown table of p50/p99
(milliseconds, client side: request sent to answer parsed).
"""

import asyncio
import datetime as dt
import json
import statistics
import sys
import time
import urllib.request
import uuid

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

TYPES = ["CODE", "REVIEW", "MEETING", "DEBUG", "DOCS", "PLANNING", "OPS"]
VALUES = ["LOW", "MEDIUM", "HIGH"]
IMPACTS = ["PERSONAL", "TEAM", "PRODUCT", "COMPANY"]
WORDS = ["refund", "deploy", "checkout", "latency", "migration", "oncall", "review", "cache"]


def graphql(url, query, variables=None, token=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(req, timeout=120) as resp:
        out = json.load(resp)
    if out.get("errors"):
        raise RuntimeError(out["errors"])
    return out["data"]


def seed(url, entries):
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    session = graphql(
        url,
        "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
        {"i": {"email": email, "password": "correct horse battery staple", "firstName": "Bench",
               "lastName": "Mark", "timezone": "Europe/Paris"}},
    )["register"]["accessToken"]
    projects = [
        graphql(url, "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                {"i": {"name": name}}, session)["createProject"]["id"]
        for name in ["Payments API", "Checkout", "Platform"]
    ]
    now = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    step = dt.timedelta(days=365) / entries
    batch = []
    for n in range(entries):
        start = now - dt.timedelta(days=365) + n * step
        word = WORDS[n % len(WORDS)]
        batch.append({
            "title": f"{word.capitalize()} work item {n}",
            "description": f"Notes about the {word} task number {n}.",
            "activityType": TYPES[n % len(TYPES)],
            "projectId": projects[n % len(projects)] if n % 4 else None,
            "tags": [word, "bench"],
            "startTime": start.isoformat(),
            "endTime": (start + dt.timedelta(minutes=30 + n % 90)).isoformat(),
            "valueRating": VALUES[n % len(VALUES)],
            "impactLevel": IMPACTS[n % len(IMPACTS)],
        })
        if len(batch) == 100:
            graphql(url, "mutation($i: [CreateLogEntryInput!]!) { bulkCreateLogEntries(inputs: $i) { id } }",
                    {"i": batch}, session)
            batch = []
    token = graphql(url, 'mutation { createApiToken(input: {name: "bench", scope: READ}) { token } }',
                    token=session)["createApiToken"]["token"]
    return token, now.date()


async def measure(mcp_url, token, calls, today):
    quarter = (today - dt.timedelta(days=91)).isoformat()
    year = (today - dt.timedelta(days=364)).isoformat()
    cases = [
        ("search_entries", "text, newest 20", {"text": "refund"}),
        ("search_entries", "quarter + project + type, 50", {"from": quarter, "to": today.isoformat(),
                                                            "project": "Payments API", "types": ["code"], "limit": 50}),
        ("period_summary", "one quarter", {"from": quarter, "to": today.isoformat()}),
        ("period_summary", "one year", {"from": year, "to": today.isoformat()}),
    ]
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60.0)
    rows = []
    async with Client(streamable_http_client(mcp_url, http_client=http), cache=None) as client:
        for tool, label, args in cases:
            for _ in range(5):  # warm-up
                await client.call_tool(tool, args)
            times = []
            for _ in range(calls):
                t0 = time.perf_counter()
                result = await client.call_tool(tool, args)
                times.append((time.perf_counter() - t0) * 1000)
                if result.is_error:
                    raise RuntimeError(f"{tool} failed: {result.content}")
            times.sort()
            p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
            size = len(result.content[0].text)
            rows.append(f"| `{tool}` | {label} | {statistics.median(times):.1f} | {p99:.1f} | {size:,} |")
    return rows


def main(graphql_url, mcp_url, entries, calls):
    t0 = time.time()
    token, today = seed(graphql_url, int(entries))
    print(f"seeded {entries} entries in {time.time() - t0:.0f} s", file=sys.stderr)
    rows = asyncio.run(measure(mcp_url, token, int(calls), today))
    print(f"| tool | call | p50 ms | p99 ms | answer bytes |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main(*sys.argv[1:5])
