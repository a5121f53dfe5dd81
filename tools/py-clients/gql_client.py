"""Python `gql` against EngLog with an API token: a query over HTTP
(aiohttp) and a subscription over graphql-transport-ws (websockets).
Prints one JSON object: {"query": <data>, "requested": <insight>,
"subscription": <first insightUpdates payload>}.

    python3 gql_client.py http://127.0.0.1:8080/graphql ws://127.0.0.1:8080/graphql/ws <api token>
"""

import asyncio
import json
import sys

from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.websockets import WebsocketsTransport


async def main(http_url: str, ws_url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with Client(transport=AIOHTTPTransport(url=http_url, headers=headers)) as session:
        me = await session.execute(gql("query Me { me { id email } }"))
        requested = await session.execute(
            gql(
                "mutation Request($input: RequestInsightInput!) "
                "{ requestInsight(input: $input) { id status } }"
            ),
            variable_values={
                "input": {
                    "reportType": "WEEKLY",
                    "periodStart": "2026-11-23",
                    "periodEnd": "2026-11-29",
                }
            },
        )
    insight = requested["requestInsight"]
    transport = WebsocketsTransport(
        url=ws_url,
        init_payload=headers,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with Client(transport=transport) as session:
        subscription = gql(
            "subscription Updates($id: UUID!) { insightUpdates(id: $id) { insightId status } }"
        )
        first = None
        async for event in session.subscribe(subscription, variable_values={"id": insight["id"]}):
            first = event
            break
    print(json.dumps({"query": me, "requested": insight, "subscription": first}))


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(*sys.argv[1:4]), timeout=30))
