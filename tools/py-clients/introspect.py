"""graphql-core's standard introspection query against a server, then
build_client_schema: prints "equal" when the schema built from the answer
is the committed SDL (both sorted and printed by graphql-core).

    python3 introspect.py http://127.0.0.1:8080/graphql schema.graphql [--all-options]

--all-options turns on every option of get_introspection_query
(descriptions, specifiedByURL, isRepeatable, schema description, deprecated
input values), the fullest query tools send.
"""

import json
import sys
import urllib.request

from graphql import (
    build_client_schema,
    build_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)


def main() -> int:
    url, sdl_path = sys.argv[1], sys.argv[2]
    if "--all-options" in sys.argv:
        query = get_introspection_query(
            descriptions=True,
            specified_by_url=True,
            directive_is_repeatable=True,
            schema_description=True,
            input_value_deprecation=True,
        )
    else:
        query = get_introspection_query()
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    if body.get("errors"):
        print("errors: " + json.dumps(body["errors"]))
        return 1
    served = lexicographic_sort_schema(build_client_schema(body["data"]))
    with open(sdl_path, encoding="utf-8") as file:
        committed = lexicographic_sort_schema(build_schema(file.read()))
    served_sdl, committed_sdl = print_schema(served), print_schema(committed)
    if "--all-options" not in sys.argv:
        # Without specifiedByURL in the query, the client cannot know it.
        committed_sdl = "\n".join(
            line.split(" @specifiedBy(")[0] if line.startswith("scalar ") else line
            for line in committed_sdl.splitlines()
        )
    if served_sdl == committed_sdl:
        print("equal")
        return 0
    for number, (a, b) in enumerate(zip(served_sdl.splitlines(), committed_sdl.splitlines())):
        if a != b:
            print(f"differ at line {number + 1}:\n< {a}\n> {b}")
            break
    else:
        print("differ in length")
    return 1


if __name__ == "__main__":
    sys.exit(main())
