"""/store is the SPARQL 1.1 Graph Store HTTP Protocol, status for status, on a real server.

Every case runs on both stores (the embedded one and ``oxigraph serve``), each built by
``pedkg build``, through ``pedkg serve`` with the admin token and no response cache (so every
count is read from the store). Section numbers are those of the W3C Recommendation of
21 March 2013 (https://www.w3.org/TR/sparql11-http-rdf-update/). Every refusal is checked
to leave the store as it was: its quads counted through /sparql and its default graph.
"""

from __future__ import annotations

import contextlib
import http.client
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from pedkg.config import Settings
from pedkg.ingest.build import BuildReport, build
from pedkg.web import create_app

from conftest import ALL_BACKENDS, Server, oxigraph_serve
from raw_http import Reply, send

TOKEN = "graph-store-protocol-token"
LIMIT = 20_000  # PEDKG_MAX_REQUEST_BYTES of the servers here
TWO = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> , <https://example.org/d> ."
ONE = b"<https://example.org/e> <https://example.org/f> <https://example.org/g> ."
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TURTLE = {"Content-Type": "text/turtle"}
NTRIPLES = {"Accept": "application/n-triples"}


@dataclass(frozen=True)
class Served:
    """A running ``pedkg serve`` and, on ``oxigraph serve``, that server's own query endpoint."""

    url: str
    backend_query: str | None


@pytest.fixture(scope="module", params=ALL_BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A real ``pedkg serve`` with the admin routes, over a store of its own."""
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("gsp") / "store")
    with contextlib.ExitStack() as stack:
        remote = None
        if request.param == "oxigraph-server":
            remote = stack.enter_context(oxigraph_serve(settings.store.parent / "oxigraph", settings))
        build(remote or settings)
        server = Server(
            settings.store, remote, admin_token=TOKEN, cache_bytes="0", max_request_bytes=str(LIMIT),
            workers="1", threads="4",
        )  # fmt: skip
        stack.callback(server.stop)
        yield Served(server.url, remote.remote_query if remote else None)


def graph() -> str:
    """A graph IRI no other test uses."""
    return f"https://example.org/gsp/{uuid.uuid4().hex}"


def call(
    url: str, method: str, target: str = "/store", graph: str | None = None, body: bytes | None = None,
    token: str = TOKEN, **headers: str,
) -> Reply:  # fmt: skip
    """One request; ``graph`` goes into ``?graph=``, and ``headers`` are given with - for _."""
    given = {k.replace("_", "-"): v for k, v in headers.items()}
    return send(
        url, method, [("graph", graph)] if graph else [], body=body,
        headers={"Authorization": f"Bearer {token}", **given}, path=target,
    )  # fmt: skip


def triples(reply: Reply) -> set[str]:
    assert reply.status == 200, reply
    return {line for line in reply.text.splitlines() if line}


def count(url: str, path: str = "/sparql") -> int:
    counted = send(url, "GET", [("query", COUNT)], headers={"Accept": "text/csv"}, path=path)
    assert counted.status == 200, counted
    return int(counted.text.splitlines()[1])


def state(served: Served) -> tuple[int, set[str], int | None]:
    """The quads of the named graphs counted through /sparql, the default graph, and on
    ``oxigraph serve`` the quads that server itself counts (pedkg trusts a remote store's
    version stamp for a second, store/remote.py, so its /sparql alone could be a second late)."""
    default = triples(call(served.url, "GET", "/store?default", Accept=NTRIPLES["Accept"]))
    backend = urlsplit(served.backend_query) if served.backend_query else None
    return count(served.url), default, count(served.backend_query, backend.path) if backend else None


def settled_count(served: Served, expected: int) -> int:
    """The /sparql count once it is ``expected``, or what it is after three seconds."""
    deadline = time.monotonic() + 3
    while (found := count(served.url)) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


@contextlib.contextmanager
def unchanged(served: Served) -> Iterator[None]:
    before = state(served)
    yield
    assert state(served) == before


# --- 5.3 PUT, 5.5 POST: 201 for a graph made, 204 for a graph changed -------------------------


def test_put_creates_with_201_and_replaces_with_204(served: Served) -> None:
    url = served.url
    name = graph()
    before = count(url)
    assert call(url, "PUT", graph=name, body=TWO, **TURTLE).status == 201
    assert len(triples(call(url, "GET", graph=name, **NTRIPLES))) == 2
    assert settled_count(served, before + 2) == before + 2
    assert call(url, "PUT", graph=name, body=ONE, **TURTLE).status == 204
    assert triples(call(url, "GET", graph=name, **NTRIPLES)) == {ONE.decode()}  # replaced, not merged
    assert call(url, "DELETE", graph=name).status == 204
    assert settled_count(served, before) == before


def test_post_creates_with_201_merges_with_204_and_keeps_blank_nodes_apart(served: Served) -> None:
    url = served.url
    name = graph()
    blank = b'_:x <https://example.org/p> "1" .'
    assert call(url, "POST", graph=name, body=blank, **TURTLE).status == 201
    assert call(url, "POST", graph=name, body=blank, **TURTLE).status == 204
    got = triples(call(url, "GET", graph=name, **NTRIPLES))
    assert len(got) == 2, got  # an RDF merge: the second _:x is another node (5.5)
    assert call(url, "DELETE", graph=name).status == 204


def test_the_default_graph_always_exists(served: Served) -> None:
    url = served.url
    assert call(url, "PUT", "/store?default", body=TWO, **TURTLE).status == 204
    assert len(triples(call(url, "GET", "/store?default", **NTRIPLES))) == 2
    assert call(url, "POST", "/store?default", body=ONE, **TURTLE).status == 204
    assert len(triples(call(url, "GET", "/store?default", **NTRIPLES))) == 3
    assert call(url, "PUT", "/store?default", body=b"", **TURTLE).status == 204  # emptied
    assert triples(call(url, "GET", "/store?default", **NTRIPLES)) == set()
    assert call(url, "DELETE", "/store?default").status == 204


# --- 5.5 POST to the graph store itself: a new graph, its IRI in Location ---------------------


def test_post_to_the_store_makes_a_new_graph_whose_location_answers_get(served: Served) -> None:
    url = served.url
    before = count(url)
    made = call(url, "POST", body=TWO, **TURTLE)
    assert made.status == 201, made
    location = made.headers["Location"]
    assert location.startswith(url + "/store/") and location != url + "/store"
    path = location.removeprefix(url)
    assert len(triples(call(url, "GET", path, **NTRIPLES))) == 2
    # the Location is the graph's IRI: the same graph by ?graph=, and in SPARQL
    assert len(triples(call(url, "GET", graph=location, **NTRIPLES))) == 2
    assert settled_count(served, before + 2) == before + 2
    asked = send(url, "GET", [("query", f"ASK {{ GRAPH <{location}> {{ ?s ?p ?o }} }}")])
    assert b"true" in asked.body, asked
    other = call(url, "POST", body=ONE, **TURTLE)
    assert other.status == 201 and other.headers["Location"] != location
    # the graph's own URL takes every method (direct identification, 4.1)
    assert call(url, "POST", path, body=ONE, **TURTLE).status == 204
    assert len(triples(call(url, "GET", path, **NTRIPLES))) == 3
    assert call(url, "DELETE", path).status == 204
    assert call(url, "GET", path).status == 404
    assert call(url, "DELETE", other.headers["Location"].removeprefix(url)).status == 204
    assert settled_count(served, before) == before


def test_empty_posts_answer_204_and_make_nothing(served: Served) -> None:
    url = served.url
    name = graph()
    with unchanged(served):
        for target, given in (("/store", None), ("/store", name), ("/store?default", None)):
            reply = call(url, "POST", target, graph=given, body=b"", **TURTLE)
            assert reply.status == 204 and "Location" not in reply.headers, reply
        assert call(url, "GET", graph=name).status == 404


# --- 5.2 GET, 5.6 HEAD -----------------------------------------------------------------------


def test_head_answers_as_get_without_the_body(served: Served) -> None:
    url = served.url
    name = graph()
    assert call(url, "PUT", graph=name, body=TWO, **TURTLE).status == 201
    for accept in ("application/n-triples", "application/ld+json", "*/*"):
        got = call(url, "GET", graph=name, Accept=accept)
        head = call(url, "HEAD", graph=name, Accept=accept)
        assert got.status == head.status == 200
        assert head.body == b"" and got.body
        assert {k: v for k, v in head.headers.items() if k != "Date"} == {
            k: v for k, v in got.headers.items() if k != "Date"
        }
        assert int(head.headers["Content-Length"]) == len(got.body)
    assert call(url, "DELETE", graph=name).status == 204


def test_get_without_accept_is_turtle_and_an_unoffered_type_is_406(served: Served) -> None:
    url = served.url
    name = graph()
    assert call(url, "PUT", graph=name, body=TWO, **TURTLE).status == 201
    got = send(url, "GET", [("graph", name)], headers={"Authorization": f"Bearer {TOKEN}"}, path="/store")
    assert got.status == 200 and got.media_type == "text/turtle", got  # 5: one of RDF/XML, Turtle, N-Triples
    assert len(list(ox.parse(got.body, format=ox.RdfFormat.TURTLE))) == 2
    assert call(url, "GET", graph=name, Accept="image/png").status == 406
    assert call(url, "DELETE", graph=name).status == 204


def test_get_is_conditional_on_its_etag(served: Served) -> None:
    url = served.url
    name = graph()
    assert call(url, "PUT", graph=name, body=TWO, **TURTLE).status == 201
    got = call(url, "GET", graph=name, **NTRIPLES)
    etag = got.headers["ETag"]
    again = call(url, "GET", graph=name, If_None_Match=etag, **NTRIPLES)
    assert again.status == 304 and again.body == b"", again
    assert call(url, "PUT", graph=name, body=ONE, **TURTLE).status == 204
    assert call(url, "GET", graph=name, If_None_Match=etag, **NTRIPLES).status == 200  # changed since
    assert call(url, "DELETE", graph=name).status == 204


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_a_graph_not_in_the_store_is_404(served: Served, method: str) -> None:
    url = served.url
    with unchanged(served):
        reply = call(url, method, graph=graph())
        assert reply.status == 404, reply
        assert reply.body == b"" if method == "HEAD" else b"no graph" in reply.body, reply
        assert call(url, method, f"/store/{uuid.uuid4().hex}").status == 404


# --- 4.2 which graph: an absolute IRI, exactly one of ?graph= and ?default ---------------------


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/store?graph=relative/graph", "is not an absolute IRI"),
        ("/store?graph=%2F%2Fexample.org%2Fno-scheme", "is not an absolute IRI"),
        ("/store?graph=https%3A%2F%2Fexample.org%2Fa%20space", "is not an absolute IRI"),
        ("/store?graph=https%3A%2F%2Fexample.org%2F%3Cangle%3E", "is not an absolute IRI"),
        ("/store?graph=", "is not an absolute IRI"),
        # percent-decoded (4.2), %FF is no text at all; it does not name <https://example.org/%FF>
        ("/store?graph=https%3A%2F%2Fexample.org%2F%FF", "not UTF-8"),
    ],
)
def test_a_graph_that_is_not_an_absolute_iri_is_400(served: Served, target: str, message: str) -> None:
    url = served.url
    with unchanged(served):
        for method in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            reply = call(url, method, target, body=TWO if method in ("PUT", "POST") else None, **TURTLE)
            assert reply.status == 400 and (method == "HEAD" or message in reply.text), (method, reply)


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("GET", "/store"),
        ("HEAD", "/store"),
        ("PUT", "/store"),
        ("DELETE", "/store"),
        ("GET", "/store?default&graph=https%3A%2F%2Fexample.org%2Fg"),
        ("PUT", "/store?default&graph=https%3A%2F%2Fexample.org%2Fg"),
        ("POST", "/store?default&graph=https%3A%2F%2Fexample.org%2Fg"),
        ("PUT", "/store?graph=https%3A%2F%2Fexample.org%2Fg&graph=https%3A%2F%2Fexample.org%2Fh"),
        ("PUT", "/store/abc?default"),
        ("GET", "/store/abc?graph=https%3A%2F%2Fexample.org%2Fg"),
    ],
)
def test_exactly_one_graph_is_named_except_when_posting_to_the_store(
    served: Served, method: str, target: str
) -> None:
    url = served.url
    with unchanged(served):
        reply = call(url, method, target, body=TWO if method in ("PUT", "POST") else None, **TURTLE)
        assert reply.status == 400, reply


# --- 5.1 the payload: 415, 413, 400 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", TWO),
        (None, TWO),
        ("application/n-quads", ONE),
        ("application/trig", b"<https://example.org/g> { " + ONE + b" }"),
        ("text/turtle; charset=iso-8859-1", TWO),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\n" + TWO + b"\r\n--x--\r\n"),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_media_type_pedkg_does_not_read_is_415(
    served: Served, method: str, content_type: str | None, body: bytes
) -> None:
    url = served.url
    with unchanged(served):
        for target, name in (("/store", graph()), ("/store?default", None), ("/store", None)):
            if method == "PUT" and target == "/store" and name is None:
                continue  # PUT to the store itself names no graph (a 400, above)
            headers = {"Content-Type": content_type} if content_type else {}
            reply = call(url, method, target, graph=name, body=body, **headers)
            assert reply.status == 415, reply


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("text/turtle", b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
         b"<https://example.org/a> <https://example.org/b> .", "line 2"),
        ("application/n-triples", b"<https://example.org/a> <https://example.org/b> \"\xff\" .", "not UTF-8"),
        ("application/rdf+xml", b"<?xml version=\"1.0\"?>\n<r>\xe9</r>", "not UTF-8"),
        ("application/ld+json", b"", "line 1"),
        ("application/rdf+xml", b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]><r/>',
         "line 3: external entity &x;"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("target", ["named", "default", "store"])
def test_a_payload_that_does_not_parse_is_400_naming_why(
    served: Served, target: str, content_type: str, body: bytes, message: str
) -> None:
    url = served.url
    where = {"named": ("/store", graph()), "default": ("/store?default", None), "store": ("/store", None)}
    with unchanged(served):
        for method in ("PUT", "POST") if target != "store" else ("POST",):
            reply = call(
                url, method, where[target][0], graph=where[target][1], body=body, Content_Type=content_type
            )
            assert reply.status == 400 and message in reply.text, reply


def test_a_put_without_triples_to_a_named_graph_is_400(served: Served) -> None:
    url = served.url
    name = graph()
    assert call(url, "PUT", graph=name, body=ONE, **TURTLE).status == 201
    with unchanged(served):
        for given in (name, graph()):
            reply = call(url, "PUT", graph=given, body=b"# nothing\n", **TURTLE)
            assert reply.status == 400 and b"DELETE" in reply.body, reply
    assert call(url, "DELETE", graph=name).status == 204


def test_a_payload_over_the_limit_is_413_naming_pedkg_import(served: Served) -> None:
    url = served.url
    body = b"\n".join(
        b"<https://example.org/s%d> <https://example.org/p> <https://example.org/o> ." % n for n in range(400)
    )
    assert len(body) > LIMIT
    with unchanged(served):
        for method, target in (("PUT", "/store?default"), ("POST", "/store")):
            reply = call(url, method, target, body=body, **TURTLE)
            assert reply.status == 413 and "pedkg import" in reply.text, reply

    # a chunked body, to a graph named directly: the same advice (web/body.py reads it first)
    connection = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=30)
    try:
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
        connection.request("PUT", "/store/abc", body=iter([body]), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413 and b"pedkg import" in response.read()
    finally:
        connection.close()


# --- 5.1 methods, 6 security --------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/store?default", "/store", "/store/abc"])
def test_an_unsupported_method_is_405_with_allow(served: Served, target: str) -> None:
    url = served.url
    with unchanged(served):
        for method in ("PATCH", "PROPFIND"):
            reply = call(url, method, target, body=ONE, **TURTLE)
            assert reply.status == 405, reply
            allowed = {m.strip() for m in reply.headers["Allow"].split(",")}
            assert {"GET", "HEAD", "PUT", "POST", "DELETE"} <= allowed and method not in allowed


def test_every_graph_store_request_needs_the_token(served: Served) -> None:
    url = served.url
    with unchanged(served):
        for method, target in (("POST", "/store"), ("PUT", "/store/abc"), ("GET", "/store?default")):
            body = None if method == "GET" else ONE  # a GET with a body is a 400 before any token check
            reply = call(url, method, target, body=body, token=TOKEN + "x", **TURTLE)
            assert reply.status == 401 and reply.headers["WWW-Authenticate"].startswith("Bearer"), reply


def test_without_an_admin_token_no_graph_store_route_exists(built: tuple[Settings, BuildReport]) -> None:
    application = create_app(built[0])
    try:
        client = application.test_client()
        assert client.post("/store", data=ONE, content_type="text/turtle").status_code == 404
        assert client.get("/store/abc").status_code == 404
    finally:
        application.extensions["pedkg"].pool.close()
