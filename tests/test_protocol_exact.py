"""The SPARQL Protocol to the letter, on a real server over each store: the base IRI, the
dataset parameters of ``/update``, the one charset rule, the 1.2 ``version`` parameter and
GET with a body. Every refusal leaves the store as it was."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest

from pedkg.config import Settings
from pedkg.ingest.build import build

from conftest import Server, oxigraph_serve
from raw_http import Reply, send

TOKEN = "protocol-exact-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
G1 = "https://example.org/exact/g1"
G2 = "https://example.org/exact/g2"
OUT = "https://example.org/exact/out"
SEED = (
    f"INSERT DATA {{ GRAPH <{G1}> {{ <https://example.org/x> <https://example.org/p> 1 }} "
    f"GRAPH <{G2}> {{ <https://example.org/x> <https://example.org/p> 2 }} }}"
)
FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"
QUERY = "application/sparql-query"
NTRIPLES = {"Accept": "application/n-triples"}


@pytest.fixture(scope="module", params=["embedded", "oxigraph-server"])
def server(
    request: pytest.FixtureRequest, built: tuple[Settings, object], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """pedkg serve with write routes, on its own store: embedded, or an ``oxigraph serve``."""
    folder = tmp_path_factory.mktemp(f"exact-{request.param}")
    settings = replace(built[0], store=folder / "store")
    if request.param == "embedded":
        build(settings)
        running = Server(settings.store, admin_token=TOKEN, max_queries_per_client="0", workers="1")
        yield running
        running.stop()
        return
    with oxigraph_serve(folder / "oxigraph", settings) as remote:
        build(remote)
        running = Server(remote.store, remote, admin_token=TOKEN, max_queries_per_client="0", workers="1")
        yield running
        running.stop()


@pytest.fixture
def seeded(server: Server) -> Iterator[Server]:
    """Two small graphs, G1 and G2, each with one triple; dropped again after the test."""
    assert update(server, SEED).status == 204
    yield server
    for graph in (G1, G2, OUT):
        update(server, f"DROP SILENT GRAPH <{graph}>")


def update(server: Server, text: str, params: list[tuple[str, str]] | None = None) -> Reply:
    return send(
        server.url, "POST", params or [], text.encode(), {"Content-Type": UPDATE, **AUTH}, path="/update"
    )


def form_update(server: Server, fields: list[tuple[str, str]], content_type: str = FORM) -> Reply:
    body = urlencode(fields, quote_via=quote).encode()
    return send(server.url, "POST", [], body, {"Content-Type": content_type, **AUTH}, path="/update")


def state(server: Server) -> tuple[int, int, list[str]]:
    """What a refusal must not change: all triples, all named-graph quads, and the graph names."""
    counts = []
    for pattern in ("{ ?s ?p ?o }", "{ GRAPH ?g { ?s ?p ?o } }"):
        reply = send(server.url, "GET", [("query", f"SELECT (COUNT(*) AS ?n) WHERE {pattern}")])
        counts.append(int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"]))
    reply = send(server.url, "GET", [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g")])
    graphs = [row["g"]["value"] for row in json.loads(reply.body)["results"]["bindings"]]
    return counts[0], counts[1], graphs


def subjects(reply: Reply) -> list[str]:
    assert reply.status == 200, reply
    return sorted(t.subject.value for t in ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES))


def values_in(server: Server, graph: str) -> list[str]:
    reply = send(server.url, "GET", [("query", f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")])
    return sorted(row["o"]["value"] for row in json.loads(reply.body)["results"]["bindings"])


# --- the base IRI ------------------------------------------------------------------------------

RELATIVE = "CONSTRUCT { <s> <p> 1 } WHERE {}"


def test_a_relative_iri_in_a_query_resolves_against_the_endpoint_url(server: Server) -> None:
    got = send(server.url, "GET", [("query", RELATIVE)], headers=NTRIPLES)
    assert subjects(got) == [f"{server.url}/s"]
    direct = send(server.url, "POST", [], RELATIVE.encode(), {"Content-Type": QUERY, **NTRIPLES})
    assert subjects(direct) == [f"{server.url}/s"]
    body = urlencode({"query": RELATIVE}).encode()
    form = send(server.url, "POST", [], body, {"Content-Type": FORM, **NTRIPLES})
    assert subjects(form) == [f"{server.url}/s"]


def test_base_in_the_text_wins_and_a_relative_base_resolves_against_the_endpoint(server: Server) -> None:
    absolute = send(
        server.url, "GET", [("query", "BASE <https://example.org/q/> " + RELATIVE)], headers=NTRIPLES
    )
    assert subjects(absolute) == ["https://example.org/q/s"]
    relative = send(server.url, "GET", [("query", "BASE <here/> " + RELATIVE)], headers=NTRIPLES)
    assert subjects(relative) == [f"{server.url}/here/s"]


def test_a_relative_iri_in_an_update_resolves_against_the_update_endpoint(seeded: Server) -> None:
    assert update(seeded, f"INSERT DATA {{ GRAPH <{OUT}> {{ <a> <b> <c> }} }}").status == 204
    reply = send(seeded.url, "GET", [("query", f"SELECT ?s WHERE {{ GRAPH <{OUT}> {{ ?s ?p ?o }} }}")])
    assert [r["s"]["value"] for r in json.loads(reply.body)["results"]["bindings"]] == [f"{seeded.url}/a"]


def test_the_base_setting_replaces_the_endpoint_url_and_the_service_description_says_so(
    tmp_path: Path, built: tuple[Settings, object]
) -> None:
    running = Server(built[0].store, base_iri="https://kg.example.org/sparql")
    try:
        got = send(running.url, "GET", [("query", RELATIVE)], headers=NTRIPLES)
        assert subjects(got) == ["https://kg.example.org/s"]
        described = send(running.url, "GET", headers={"Accept": "application/n-triples"})
        assert described.status == 200, described
        triples = list(ox.parse(described.body, format=ox.RdfFormat.N_TRIPLES))
        comments = [t.object.value for t in triples if t.predicate.value.endswith("#comment")]
        assert any("<https://kg.example.org/sparql>" in c for c in comments), comments
        versions = {t.object.value for t in triples if t.predicate.value.endswith("#supportedVersion")}
        assert versions == {
            "http://www.w3.org/ns/sparql#version-1.0",
            "http://www.w3.org/ns/sparql#version-1.1",
        }
    finally:
        running.stop()


# --- using-graph-uri and using-named-graph-uri on /update -----------------------------------------

COPY_DEFAULT = f"INSERT {{ GRAPH <{OUT}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
COPY_NAMED = f"INSERT {{ GRAPH <{OUT}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


def test_using_graph_uri_is_the_default_graph_of_the_update_direct_and_form(seeded: Server) -> None:
    assert update(seeded, COPY_DEFAULT, [("using-graph-uri", G1)]).status == 204
    assert values_in(seeded, OUT) == ["1"]
    update(seeded, f"DROP GRAPH <{OUT}>")
    fields = [("update", COPY_DEFAULT), ("using-graph-uri", G1), ("using-graph-uri", G2)]
    assert form_update(seeded, fields).status == 204
    assert values_in(seeded, OUT) == ["1", "2"]  # two USING graphs: their merge


def test_using_named_graph_uri_names_the_graphs_graph_patterns_see(seeded: Server) -> None:
    assert update(seeded, COPY_NAMED, [("using-named-graph-uri", G2)]).status == 204
    assert values_in(seeded, OUT) == ["2"]
    update(seeded, f"DROP GRAPH <{OUT}>")
    # a using-named-graph-uri alone leaves the default graph empty: nothing to copy
    assert form_update(seeded, [("update", COPY_DEFAULT), ("using-named-graph-uri", G2)]).status == 204
    assert values_in(seeded, OUT) == []


def test_delete_where_takes_the_dataset_too(seeded: Server) -> None:
    text = "DELETE WHERE { GRAPH ?g { ?s <https://example.org/p> ?o } }"
    assert update(seeded, text, [("using-named-graph-uri", G1)]).status == 204
    assert values_in(seeded, G1) == []
    assert values_in(seeded, G2) == ["2"]  # outside the dataset: untouched


@pytest.mark.parametrize(
    "text",
    [
        f"DELETE {{ ?s ?p ?o }} USING <{G1}> WHERE {{ ?s ?p ?o }}",
        f"DELETE {{ ?s ?p ?o }} using named <{G1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"WITH <{G1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    ],
    ids=["USING", "USING NAMED", "WITH"],
)
def test_a_dataset_in_the_text_and_in_the_request_is_an_error(seeded: Server, text: str) -> None:
    before = state(seeded)
    direct = update(seeded, text, [("using-graph-uri", G2)])
    assert direct.status == 400 and "its own dataset" in direct.text, direct
    form = form_update(seeded, [("update", text), ("using-named-graph-uri", G2)])
    assert form.status == 400, form
    assert state(seeded) == before
    assert update(seeded, text).status == 204  # the same text alone runs


@pytest.mark.parametrize("name", ["using-graph-uri", "using-named-graph-uri"])
@pytest.mark.parametrize("value", ["not an iri", "relative/path", "http://exa mple.org/"])
def test_a_dataset_parameter_that_is_not_an_iri_is_refused(seeded: Server, name: str, value: str) -> None:
    before = state(seeded)
    reply = update(seeded, f"CLEAR GRAPH <{G1}>", [(name, value)])
    assert reply.status == 400 and "not an absolute IRI" in reply.text, reply
    assert form_update(seeded, [("update", f"CLEAR GRAPH <{G1}>"), (name, value)]).status == 400
    assert state(seeded) == before


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
def test_a_query_dataset_parameter_that_is_not_an_iri_is_refused(server: Server, name: str) -> None:
    reply = send(server.url, "GET", [("query", "ASK {}"), (name, "no iri")])
    assert reply.status == 400 and "not an absolute IRI" in reply.text, reply


# --- one charset rule -----------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "utf-16", "windows-1252", "no-such-charset"])
def test_a_body_labelled_with_another_charset_is_refused_by_both_operations(
    seeded: Server, label: str
) -> None:
    before = state(seeded)
    query = send(seeded.url, "POST", [], b"ASK {}", {"Content-Type": f"{QUERY}; charset={label}"})
    assert query.status == 415 and "UTF-8" in query.text, query
    form = send(seeded.url, "POST", [], b"query=ASK+%7B%7D", {"Content-Type": f"{FORM}; charset={label}"})
    assert form.status == 415, form
    cleared = send(
        seeded.url,
        "POST",
        [],
        b"CLEAR ALL",
        {"Content-Type": f"{UPDATE}; charset={label}", **AUTH},
        path="/update",
    )
    assert cleared.status == 415 and "UTF-8" in cleared.text, cleared
    assert form_update(seeded, [("update", "CLEAR ALL")], f"{FORM}; charset={label}").status == 415
    assert state(seeded) == before


def test_utf8_labels_in_any_spelling_are_read(server: Server) -> None:
    for label in ("utf-8", "UTF-8", "utf8", '"utf-8"'):
        reply = send(server.url, "POST", [], b"ASK {}", {"Content-Type": f"{QUERY}; charset={label}"})
        assert reply.status == 200, (label, reply)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("CLEAR ALL".encode("utf-16"), UPDATE),
        (b"CLEAR GRAPH <https://example.org/\xff>", UPDATE),
        (b"update=CLEAR+ALL%FF", FORM),
        (b"update=CLEAR+ALL&x=\xe9", FORM),
    ],
    ids=["utf-16 update", "raw 0xFF", "form escape", "form raw latin-1"],
)
def test_an_update_body_that_is_not_utf8_is_refused_and_runs_nothing(
    seeded: Server, body: bytes, content_type: str
) -> None:
    before = state(seeded)
    reply = send(seeded.url, "POST", [], body, {"Content-Type": content_type, **AUTH}, path="/update")
    assert reply.status == 400 and "not UTF-8" in reply.text, reply
    assert state(seeded) == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("ASK {}".encode("utf-16"), QUERY), (b"query=ASK+%7B%7D%FF", FORM), (b"ASK { FILTER('\xe9') }", QUERY)],
    ids=["utf-16 query", "form escape", "raw latin-1"],
)
def test_a_query_body_that_is_not_utf8_is_refused(server: Server, body: bytes, content_type: str) -> None:
    reply = send(server.url, "POST", [], body, {"Content-Type": content_type})
    assert reply.status == 400 and "not UTF-8" in reply.text, reply


# --- the version parameter (SPARQL 1.2 Protocol) ---------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.2-basic"])
def test_a_known_version_is_accepted_by_both_operations(seeded: Server, version: str) -> None:
    assert send(seeded.url, "GET", [("query", "ASK {}"), ("version", version)]).status == 200
    direct = send(seeded.url, "POST", [], b"ASK {}", {"Content-Type": f"{QUERY}; version={version}"})
    assert direct.status == 200, direct
    text = (
        f"INSERT DATA {{ GRAPH <{OUT}> {{ <https://example.org/v> <https://example.org/p> '{version}' }} }}"
    )
    assert update(seeded, text, [("version", version)]).status == 204
    assert form_update(seeded, [("update", f"DROP GRAPH <{OUT}>"), ("version", version)]).status == 204


@pytest.mark.parametrize(
    "params",
    [[("version", "2.0")], [("version", "")], [("version", "1.1"), ("version", "1.2")]],
    ids=["unknown", "empty", "twice"],
)
def test_an_unknown_or_repeated_version_is_refused(seeded: Server, params: list[tuple[str, str]]) -> None:
    before = state(seeded)
    query = send(seeded.url, "GET", [("query", "ASK {}"), *params])
    assert query.status == 400 and "version" in query.text, query
    form = send(
        seeded.url, "POST", [], urlencode([("query", "ASK {}"), *params]).encode(), {"Content-Type": FORM}
    )
    assert form.status == 400, form
    assert update(seeded, "CLEAR ALL", params).status == 400
    assert form_update(seeded, [("update", "CLEAR ALL"), *params]).status == 400
    assert state(seeded) == before


def test_a_version_in_the_media_type_and_the_url_is_given_twice(seeded: Server) -> None:
    before = state(seeded)
    query = send(
        seeded.url, "POST", [("version", "1.1")], b"ASK {}", {"Content-Type": f"{QUERY}; version=1.2"}
    )
    assert query.status == 400, query
    cleared = send(
        seeded.url,
        "POST",
        [("version", "1.1")],
        b"CLEAR ALL",
        {"Content-Type": f"{UPDATE}; version=1.1", **AUTH},
        path="/update",
    )
    assert cleared.status == 400, cleared
    bad = send(
        seeded.url, "POST", [], b"CLEAR ALL", {"Content-Type": f"{UPDATE}; version=9", **AUTH}, path="/update"
    )
    assert bad.status == 400, bad
    assert state(seeded) == before


# --- GET with a body ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_get_with_a_body_is_refused(server: Server, method: str) -> None:
    reply = send(server.url, method, [("query", "ASK {}")], b"SELECT * { ?s ?p ?o }", {"Content-Type": QUERY})
    assert reply.status == 400, reply
    if method == "GET":
        assert "no body" in reply.text
    empty = send(server.url, method, [("query", "ASK {}")], b"", {"Content-Length": "0"})
    assert empty.status == 200, empty


def test_a_chunked_get_with_a_body_is_refused(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]), timeout=30)
    try:
        target = "/sparql?" + urlencode({"query": "ASK {}"})
        connection.request("GET", target, body=iter([b"ASK ", b"{}"]), encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 400, response.read()
    finally:
        connection.close()
