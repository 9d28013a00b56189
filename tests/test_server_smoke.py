"""The real server starts, reports its health and answers a query over HTTP."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request


def test_healthz_and_a_query(server):
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        assert json.load(response) == {"status": "ok", "store": True}
    query = urllib.parse.quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/pedkg/ontology/Disease> }"
    )
    request = urllib.request.Request(
        f"{server.url}/sparql?query={query}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Vary"] == "Accept"
        assert json.load(response)["results"]["bindings"][0]["n"]["value"] == "17"
