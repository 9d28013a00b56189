"""/update and /store: absent without a token, bearer-only with one, and every write is whole."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest

from listener import Listener
from pedkg.config import Settings
from pedkg.ingest.build import build
from pedkg.web import create_app

from conftest import Server
from raw_http import send

TOKEN = "s3cret-token-for-tests"
GRAPH = "https://example.org/hospital-b"
TURTLE = (
    b"<https://example.org/a> <https://example.org/b> <https://example.org/c> , <https://example.org/d> ."
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("admin") / "store", admin_token=TOKEN)
    build(settings)
    application = create_app(settings)
    yield application
    application.extensions["pedkg"].pool.close()


@pytest.fixture
def client(app):
    return app.test_client()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def count(client) -> int:
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "text/csv"})
    return int(response.data.decode().splitlines()[1])


def test_without_a_token_the_write_routes_do_not_exist(tmp_path):
    settings = Settings.from_env({}, store=tmp_path / "store")
    build(settings)
    application = create_app(settings)
    try:
        client = application.test_client()
        assert (
            client.post("/update", data="CLEAR ALL", content_type="application/sparql-update").status_code
            == 404
        )
        assert client.put("/store?default", data=TURTLE, content_type="text/turtle").status_code == 404
    finally:
        application.extensions["pedkg"].pool.close()


@pytest.mark.parametrize(
    "headers", [{}, auth("wrong"), {"Authorization": f"Basic {TOKEN}"}, auth(TOKEN + "x")]
)
def test_writes_without_the_token_are_refused_and_change_nothing(client, headers):
    before = count(client)
    response = client.post(
        "/update", data="CLEAR ALL", content_type="application/sparql-update", headers=headers
    )
    assert response.status_code == 401, response.data
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.delete(f"/store?graph={GRAPH}", headers=headers).status_code == 401
    assert count(client) == before


def test_update_with_the_token_is_applied_and_logged_without_the_token(client, caplog):
    before = count(client)
    with caplog.at_level(logging.INFO, logger="pedkg.writes"):
        response = client.post(
            "/update",
            data=f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <https://example.org/y> 1 }} }}",
            content_type="application/sparql-update",
            headers=auth(),
        )
    assert response.status_code == 204, response.data
    assert count(client) == before + 1
    assert f"{before} -> {before + 1} triples (+1)" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("update", "status"),
    [
        ("LOAD <http://127.0.0.1:9/data.ttl>", 403),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403),
        ("INSERT DATA { <a> }", 400),
    ],
)
def test_updates_that_fetch_urls_or_do_not_parse_are_refused(client, update, status):
    before = count(client)
    response = client.post("/update", data={"update": update}, headers=auth())
    assert response.status_code == status, response.data
    assert count(client) == before


def test_graph_store_protocol_round_trip(client):
    put = client.put(f"/store?graph={GRAPH}-gsp", data=TURTLE, content_type="text/turtle", headers=auth())
    assert put.status_code == 201, put.data
    got = client.get(f"/store?graph={GRAPH}-gsp", headers={**auth(), "Accept": "application/n-triples"})
    assert got.status_code == 200 and got.data.count(b" .\n") == 2
    post = client.post(
        f"/store?graph={GRAPH}-gsp",
        data=b"<https://example.org/e> <https://example.org/f> <https://example.org/g> .",
        content_type="application/n-triples",
        headers=auth(),
    )
    assert post.status_code == 204
    got = client.get(f"/store?graph={GRAPH}-gsp", headers={**auth(), "Accept": "application/n-triples"})
    assert got.data.count(b" .\n") == 3
    assert client.delete(f"/store?graph={GRAPH}-gsp", headers=auth()).status_code == 204
    assert client.get(f"/store?graph={GRAPH}-gsp", headers=auth()).status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"<https://example.org/a> <https://example.org/b> .", "text/turtle", 400, b"line 1"),
        (TURTLE, "text/html", 415, b"not text/html"),
    ],
)
def test_bad_graph_bodies_are_refused_and_change_nothing(client, body, content_type, status, message):
    before = count(client)
    response = client.put(f"/store?graph={GRAPH}-bad", data=body, content_type=content_type, headers=auth())
    assert response.status_code == status and message in response.data, response.data
    assert count(client) == before


def test_graph_store_needs_exactly_one_graph(client):
    assert client.get("/store", headers=auth()).status_code == 400
    assert client.get(f"/store?default&graph={GRAPH}", headers=auth()).status_code == 400


# Graph Store bodies are parsed by the same rules as `pedkg import`: nothing fetched or expanded.

RDF_XML = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  {entities}
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:schema="https://schema.org/">
  <rdf:Description rdf:about="https://example.org/oncology"><schema:name>{text}</schema:name></rdf:Description>
</rdf:RDF>
"""
LAUGHS = "\n  ".join(
    ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
)


def hostile_bodies(url: str) -> dict[str, tuple[str, str, str]]:
    """name -> (body, media type, what the refusal says)."""
    return {
        "external entity": (
            RDF_XML.format(entities=f'<!ENTITY xxe SYSTEM "{url}">', text="&xxe;"),
            "application/rdf+xml",
            "line 3: external entity &xxe;",
        ),
        "file entity": (
            RDF_XML.format(entities='<!ENTITY xxe SYSTEM "file:///etc/passwd">', text="&xxe;"),
            "application/rdf+xml",
            "line 3: external entity &xxe;",
        ),
        "parameter entity": (
            RDF_XML.format(entities=f'<!ENTITY % dtd SYSTEM "{url}"> %dtd;', text="x"),
            "application/rdf+xml",
            "line 3: parameter entity %dtd",
        ),
        "billion laughs": (
            RDF_XML.format(entities=LAUGHS, text="&lol9;"),
            "application/rdf+xml",
            "line 4: entity &lol1; refers to other entities",
        ),
        "JSON-LD remote context": (
            f'{{"@context": "{url}", "@id": "https://example.org/x", "name": "x"}}',
            "application/ld+json",
            "remote JSON-LD @context is never fetched",
        ),
    }


@pytest.mark.parametrize("name", list(hostile_bodies("")))
def test_graph_store_bodies_that_would_fetch_or_expand_are_refused(client, name):
    listener = Listener()
    try:
        body, media_type, reason = hostile_bodies(listener.url)[name]
        before = count(client)
        started = time.monotonic()
        response = client.put(
            f"/store?graph={GRAPH}-hostile", data=body.encode(), content_type=media_type, headers=auth()
        )
        assert time.monotonic() - started < 10
        assert response.status_code == 400, response.data
        assert reason in response.get_data(as_text=True)
        assert count(client) == before
        assert b"root:" not in client.get(f"/store?graph={GRAPH}-hostile", headers=auth()).data
        time.sleep(0.3)  # a fetch would have connected by now
        assert listener.connections == []
    finally:
        listener.close()


def test_a_real_server_logs_each_write_with_who_when_and_how_many_triples_and_never_the_token(
    tmp_path: Path,
) -> None:
    settings = Settings.from_env({}, store=tmp_path / "store")
    build(settings)
    server = Server(settings.store, admin_token=TOKEN)
    try:
        put = send(
            server.url,
            "PUT",
            [("graph", GRAPH)],
            body=TURTLE,
            headers={"Content-Type": "text/turtle", **auth()},
            path="/store",
        )
        assert put.status == 201, put
        refused = send(server.url, "DELETE", [("graph", GRAPH)], headers=auth(TOKEN[:-1]), path="/store")
        assert refused.status == 401
        deleted = send(server.url, "DELETE", [("graph", GRAPH)], headers=auth(), path="/store")
        assert deleted.status == 204, deleted
        log = server.output()
    finally:
        server.stop()
    written = [line for line in log.splitlines() if "pedkg.writes" in line]
    assert len(written) == 2, log  # the refused DELETE wrote nothing
    # when (an ISO-like timestamp), what, who (the client's address), how many triples changed
    stamp = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    assert re.match(
        stamp + r".*write PUT https://example.org/hospital-b by 127\.0\.0\.1: \d+ -> \d+ triples \(\+2\)",
        written[0],
    ), written
    assert re.match(
        stamp + r".*write DELETE https://example.org/hospital-b by 127\.0\.0\.1: \d+ -> \d+ triples \(-2\)",
        written[1],
    ), written
    assert TOKEN not in log and TOKEN[:-1] not in log
