"""pedkg with its data on a real ``oxigraph serve``: what differs from the embedded store.

The web contract itself runs on both stores (``BACKENDS`` in the contract's test modules);
these tests cover what only a server has: parameters sent as text, builds and writes over the
Graph Store Protocol, the version stamp that empties caches, timeouts and an absent server.
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace

import pyoxigraph as ox
import pytest

from pedkg.errors import QueryTimeout, StoreError
from pedkg.ingest.build import build
from pedkg.namespaces import BASE, GRAPH
from pedkg.sparql.pool import QueryJob
from pedkg.sparql.pool_choice import query_pool
from pedkg.store.backend import open_reader, remote_store
from pedkg.store.embedded import GraphStore
from pedkg.store.remote import VERSION_GRAPH, RemoteStore
from pedkg.store.sparql_lexer import bind_values as bind
from pedkg.web import create_app

from conftest import Server

E = {ox.Variable("e"): ox.NamedNode(BASE + "neuroblastoma")}


def _graphs(nquads: bytes) -> dict[str, ox.Dataset]:
    by_graph: dict[str, ox.Dataset] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name.value, ox.Dataset()).add(quad)
    return by_graph


def test_parameters_become_a_values_block_opening_the_where_clause():
    assert bind("SELECT ?p WHERE { ?e ?p ?o }", E) == (
        f"SELECT ?p WHERE {{ VALUES (?e) {{ (<{BASE}neuroblastoma>) }}  ?e ?p ?o }}"
    )
    # the CONSTRUCT template is not the WHERE clause; FROM and no WHERE keyword still work
    construct = bind("CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }", E)
    assert construct.startswith("CONSTRUCT { ?e ?p ?o } WHERE { VALUES (?e)"), construct
    assert "{ VALUES (?e)" in bind("SELECT * FROM <urn:g> { ?e ?p ?o }", E)
    assert bind("ASK { ?e ?p ?o }", E).startswith("ASK { VALUES (?e)")
    # the short form's pattern is its template too: the block goes at the end
    short = bind("CONSTRUCT WHERE { ?e ?p ?o }", E)
    assert short.endswith(f"VALUES (?e) {{ (<{BASE}neuroblastoma>) }}"), short
    # braces inside strings, IRIs and comments are not the clause
    tricky = bind('SELECT ?p # {\nWHERE { ?e ?p "}" }', E)
    assert tricky.index("VALUES") > tricky.index("WHERE"), tricky


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?e ?p ?o WHERE { ?e ?p ?o } ORDER BY ?p ?o",
        "CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }",
        "SELECT ?e ?s WHERE { { ?s ?p ?e } UNION { ?e ?p ?s } } ORDER BY ?s",
        "ASK { ?e a <https://w3id.org/pedkg/ontology/Disease> }",
    ],
)
def test_bound_queries_answer_as_on_the_embedded_store(sparql, oxigraph_server, store):
    remote = remote_store(oxigraph_server)
    embedded = store.query(sparql, substitutions=E)
    answered = remote.query(sparql, substitutions=E)
    if isinstance(embedded, ox.QueryBoolean):
        assert bool(answered) is bool(embedded)
    elif isinstance(embedded, ox.QuerySolutions):
        assert isinstance(answered, ox.QuerySolutions)
        assert [str(s) for s in answered] == [str(s) for s in embedded]
    else:
        assert set(map(str, answered)) == set(map(str, embedded))
    remote.release()


def test_the_server_holds_exactly_the_built_dataset(oxigraph_server, built):
    remote = remote_store(oxigraph_server)
    embedded = GraphStore.open_read_only(built[0].store)
    assert remote.named_graphs() == embedded.named_graphs()
    assert len(remote) == len(embedded)
    assert _graphs(remote.dump()).keys() == _graphs(embedded.dump()).keys()
    for graph, dataset in _graphs(remote.dump()).items():
        expected = _graphs(embedded.dump())[graph]
        assert len(dataset) == len(expected), graph
    # the version stamp is pedkg's bookkeeping: on the server, but in no graph list or dump
    assert remote.query(f"ASK {{ GRAPH <{VERSION_GRAPH}> {{ ?s ?p ?o }} }}", union_default=False)
    assert VERSION_GRAPH not in remote.named_graphs()


def test_a_rebuild_replaces_its_graphs_and_drops_stale_ones(own_server):
    remote = remote_store(own_server)
    stale = GRAPH + "from-an-older-build"
    remote.replace_graph(
        stale, [ox.Triple(ox.NamedNode(BASE + "x"), ox.NamedNode(BASE + "y"), ox.Literal("z"))]
    )
    remote.replace_graph(
        GRAPH + "division", [ox.Triple(ox.NamedNode(BASE + "x"), ox.NamedNode(BASE + "y"), ox.Literal("old"))]
    )
    first = build(own_server)
    assert first.store == own_server.remote_query
    assert stale not in remote.named_graphs()
    assert len(remote) == first.total, "the division graph was replaced, not added to"
    version = remote.version()
    build(own_server)
    assert len(remote) == first.total
    assert remote.version() != version, "every write moves the stamp, seen at once in this process"


def test_caches_follow_the_stamp_of_writes_through_pedkg(own_server):
    build(own_server)
    app = create_app(own_server)
    client = app.test_client()
    assert client.get("/api/search?q=zzqx").get_json()["hits"] == []
    with_label = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA { GRAPH <https://w3id.org/pedkg/graph/division> {
          <https://w3id.org/pedkg/anemia> skos:altLabel "zzqx anaemia"@en } }"""
    from pedkg.store.backend import writing

    with writing(own_server) as store:
        store.update(with_label)
    import time

    time.sleep(1.1)  # the stamp read from the server is trusted for a second
    found = client.get("/api/search?q=zzqx").get_json()["hits"]
    assert [hit["iri"] for hit in found] == [BASE + "anemia"], found


def test_a_query_longer_than_the_limit_is_a_timeout(own_server):
    build(own_server)
    pool = query_pool(replace(own_server, query_timeout=1.0))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        pool.run(QueryJob(slow, "json", False, 10))
    answer = pool.run(QueryJob("ASK { ?s ?p ?o }", "json", False, 1))
    assert json.loads(answer.body)["boolean"] is True, "the pool answers again after a timeout"


def test_an_absent_server_is_a_clear_error_and_a_503(built):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    url = f"http://127.0.0.1:{port}"
    settings = replace(
        built[0],
        remote_query=url + "/query",
        remote_update=url + "/update",
        remote_graph_store=url + "/store",
    )
    with pytest.raises(StoreError, match="cannot be reached"):
        len(open_reader(settings))
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)


def test_a_remote_setting_without_its_partners_is_refused(built):
    with pytest.raises(StoreError, match="PEDKG_REMOTE_UPDATE and PEDKG_REMOTE_GRAPH_STORE"):
        remote_store(replace(built[0], remote_query="http://127.0.0.1:9/query"))


def test_the_real_server_runs_on_a_remote_store(oxigraph_server):
    running = Server(oxigraph_server.store, oxigraph_server, query_timeout="5", workers="1", threads="4")
    try:
        import urllib.request

        with urllib.request.urlopen(running.url + "/id/neuroblastoma.nt", timeout=10) as response:
            body = response.read()
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        assert any(t.object == ox.Literal("neuroblastoma", language="en") for t in triples)
    finally:
        running.stop()


def test_the_store_kinds_share_one_interface():
    """Build, import and the CLI use these methods on whichever store they hold."""
    shared = (
        "query",
        "update",
        "triples",
        "replace_graph",
        "add_to_graph",
        "has_graph",
        "named_graphs",
        "dump",
        "add_quads",
        "flush",
        "replace_graph_from_file",
        "add_quads_from_file",
        "drop_graph",
    )
    for name in shared:
        assert callable(getattr(GraphStore, name)) and callable(getattr(RemoteStore, name)), name
