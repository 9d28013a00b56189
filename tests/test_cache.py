"""The response cache: hits, validators and 304s, no-cache, keys by negotiation, emptied by writes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import http_date

from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.store.embedded import GraphStore
from pedkg.web import create_app

from conftest import Server
from raw_http import send

LOOKUP = "SELECT ?label WHERE { <https://w3id.org/pedkg/neuroblastoma> <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
TOKEN = "cache-test-token"


def get(client: FlaskClient, path: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.get(path, headers=headers)


def sparql(query: str = LOOKUP) -> str:
    from urllib.parse import urlencode

    return "/sparql?" + urlencode({"query": query})


def test_a_repeated_request_is_a_hit_with_the_same_body_and_etag(client: FlaskClient) -> None:
    first = get(client, sparql(), Accept="application/sparql-results+json", **{"Cache-Control": "no-cache"})
    second = get(client, sparql(), Accept="application/sparql-results+json")
    assert first.status_code == second.status_code == 200, second.text
    assert first.headers["Pedkg-Cache"] == "bypass" and second.headers["Pedkg-Cache"] == "hit"
    assert second.data == first.data and "신경모세포종" in second.text
    assert second.headers["ETag"] == first.headers["ETag"] and second.headers["ETag"].startswith('"')
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert second.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


@pytest.mark.parametrize(
    "path",
    ["/id/neuroblastoma", "/id/neuroblastoma.ttl", "/api/search?q=neuro&lang=ko", "/search?q=C64", "/void",
     "/", "/ontology", "/mappings", "/mappings.sssom.tsv", "/queries/code-lookup?code=C64",
     "/reconcile", "/reconcile/suggest/entity?prefix=neuro", "/reconcile/preview?id=neuroblastoma"],
)  # fmt: skip
def test_every_read_route_is_cached(client: FlaskClient, path: str) -> None:
    get(client, path)
    again = get(client, path)
    assert again.status_code == 200 and again.headers["Pedkg-Cache"] == "hit", again.text
    assert "ETag" in again.headers and "Last-Modified" in again.headers


def test_if_none_match_gets_a_304_without_a_body(client: FlaskClient) -> None:
    etag = get(client, "/id/neuroblastoma").headers["ETag"]
    for asked in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = get(client, "/id/neuroblastoma", **{"If-None-Match": asked})
        assert response.status_code == 304, asked
        assert response.data == b"" and response.headers["ETag"] == etag
        assert "Content-Type" not in response.headers
    changed = get(client, "/id/neuroblastoma", **{"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.data


def test_if_modified_since_gets_a_304_and_an_older_date_the_answer(client: FlaskClient) -> None:
    modified = get(client, "/api/search?q=C64").headers["Last-Modified"]
    assert get(client, "/api/search?q=C64", **{"If-Modified-Since": modified}).status_code == 304
    older = get(client, "/api/search?q=C64", **{"If-Modified-Since": http_date(0)})
    assert older.status_code == 200 and b"C64" in older.data
    # If-None-Match decides when both are sent (RFC 9110 13.2.2)
    both = get(client, "/api/search?q=C64", **{"If-Modified-Since": modified, "If-None-Match": '"x"'})
    assert both.status_code == 200


@pytest.mark.parametrize(
    "headers", [{"Cache-Control": "no-cache"}, {"Cache-Control": "max-age=0"}, {"Pragma": "no-cache"}]
)
def test_no_cache_answers_afresh_and_refreshes(client: FlaskClient, headers: dict[str, str]) -> None:
    get(client, "/id/wilms-tumor")
    fresh = client.get("/id/wilms-tumor", headers=headers)
    assert fresh.headers["Pedkg-Cache"] == "bypass" and fresh.status_code == 200
    assert get(client, "/id/wilms-tumor").headers["Pedkg-Cache"] == "hit"


@pytest.mark.parametrize(
    ("path", "first", "second"),
    [
        (sparql(), {"Accept": "application/sparql-results+json"}, {"Accept": "application/sparql-results+xml"}),
        ("/id/neuroblastoma", {"Accept": "text/turtle"}, {"Accept": "application/ld+json"}),
        ("/id/neuroblastoma", {"Accept": "text/html", "Accept-Language": "en"},
         {"Accept": "text/html", "Accept-Language": "ko"}),
        ("/search?q=neuro", {"Accept-Language": "en"}, {"Accept-Language": "ko"}),
    ],
)  # fmt: skip
def test_negotiated_answers_are_never_served_across(
    client: FlaskClient, path: str, first: dict[str, str], second: dict[str, str]
) -> None:
    one, other = client.get(path, headers=first), client.get(path, headers=second)
    again_one, again_other = client.get(path, headers=first), client.get(path, headers=second)
    assert one.data != other.data
    assert again_one.data == one.data and again_other.data == other.data
    assert again_one.headers["Content-Type"] == one.headers["Content-Type"]
    assert again_other.headers["Content-Type"] == other.headers["Content-Type"]
    assert again_one.headers["Pedkg-Cache"] == again_other.headers["Pedkg-Cache"] == "hit"
    assert one.headers["ETag"] != other.headers["ETag"]


def test_format_and_lang_parameters_are_part_of_the_key(client: FlaskClient) -> None:
    turtle, jsonld = (
        get(client, "/id/neuroblastoma?format=ttl"),
        get(client, "/id/neuroblastoma?format=jsonld"),
    )
    assert turtle.mimetype == "text/turtle" and jsonld.mimetype == "application/ld+json"
    english = get(client, "/id/neuroblastoma?lang=en", Accept="text/html")
    korean = get(client, "/id/neuroblastoma?lang=ko", Accept="text/html")
    assert "신경모세포종" in korean.text and korean.data != english.data
    # the parameters' order does not matter; their values do
    assert get(client, "/api/search?lang=ko&q=C64").headers["Pedkg-Cache"] == "miss"
    assert get(client, "/api/search?q=C64&lang=ko").headers["Pedkg-Cache"] == "hit"


def test_a_value_holding_an_ampersand_is_not_two_parameters(client: FlaskClient) -> None:
    together = get(client, "/api/search?lang=en&q=blastoma%26type%3Dpko:Disease")
    apart = get(client, "/api/search?lang=en&q=blastoma&type=pko:Disease")
    assert together.status_code == apart.status_code == 200, apart.text
    assert together.get_json()["query"] == "blastoma&type=pko:Disease"
    assert apart.get_json()["query"] == "blastoma" and apart.get_json()["hits"]


def test_jsonp_answers_are_keyed_by_their_callback(client: FlaskClient) -> None:
    first = get(client, "/reconcile?callback=first")
    second = get(client, "/reconcile?callback=second")
    assert first.text.startswith("/**/first(") and second.text.startswith("/**/second(")
    assert get(client, "/reconcile?callback=second").text == second.text


def test_errors_are_not_cached_but_404s_are(client: FlaskClient) -> None:
    for _ in range(2):
        bad = get(client, sparql("SELECT ?x WHERE { ?x"))
        assert bad.status_code == 400 and bad.headers["Pedkg-Cache"] == "miss"
        unacceptable = get(client, sparql(), Accept="image/png")
        assert unacceptable.status_code == 406 and unacceptable.headers["Pedkg-Cache"] == "miss"
    get(client, "/id/no-such-thing")
    missing = get(client, "/id/no-such-thing")
    assert missing.status_code == 404 and missing.headers["Pedkg-Cache"] == "hit"
    assert "ETag" not in missing.headers


def test_posted_queries_are_cached_by_their_body(client: FlaskClient) -> None:
    def post(query: str):  # type: ignore[no-untyped-def]
        return client.post("/sparql", data=query, content_type="application/sparql-query")

    first = post(LOOKUP + " # one")
    again = post(LOOKUP + " # one")
    other = post(LOOKUP + " # two")
    assert [first.headers["Pedkg-Cache"], again.headers["Pedkg-Cache"]] == ["miss", "hit"]
    assert other.headers["Pedkg-Cache"] == "miss" and other.data == first.data == again.data
    form = client.post("/sparql", data={"query": LOOKUP + " # one"})
    assert form.headers["Pedkg-Cache"] == "miss" and form.data == first.data
    assert client.post("/sparql", data={"query": LOOKUP + " # one"}).headers["Pedkg-Cache"] == "hit"


def test_cors_and_vary_survive_hits_and_304s(client: FlaskClient) -> None:
    first = get(client, sparql())
    hit = get(client, sparql())
    not_modified = get(client, sparql(), **{"If-None-Match": first.headers["ETag"]})
    for response in (hit, not_modified):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Vary"] == first.headers["Vary"] and "Accept" in response.headers["Vary"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not_modified.status_code == 304 and hit.headers["Pedkg-Cache"] == "hit"


def test_head_shares_the_get_entry(client: FlaskClient) -> None:
    got = get(client, "/id/neuroblastoma.nt")
    head = client.head("/id/neuroblastoma.nt")
    assert head.status_code == 200 and head.data == b"" and head.headers["Pedkg-Cache"] == "hit"
    assert (
        head.headers["Content-Length"] == str(len(got.data)) and head.headers["ETag"] == got.headers["ETag"]
    )
    first_head = client.head("/id/retinoblastoma.nt")  # a HEAD answered afresh fills the GET's entry
    assert first_head.headers["Pedkg-Cache"] == "miss" and first_head.data == b""
    then = get(client, "/id/retinoblastoma.nt")
    assert then.headers["Pedkg-Cache"] == "hit" and len(then.data) == int(
        first_head.headers["Content-Length"]
    )


def test_private_requests_and_other_routes_are_not_cached(client: FlaskClient) -> None:
    assert "Pedkg-Cache" not in get(client, sparql(), Authorization="Bearer x").headers
    client.set_cookie("a", "b")
    assert "Pedkg-Cache" not in get(client, sparql()).headers
    assert "Pedkg-Cache" not in get(client, "/healthz").headers
    assert "Pedkg-Cache" not in get(client, "/dumps/pedkg.nq").headers


@pytest.fixture
def small_cache(built: tuple[Settings, BuildReport]) -> Iterator[Flask]:
    application = create_app(dataclasses.replace(built[0], cache_bytes=12_000, query_processes=1))
    yield application
    application.extensions["pedkg"].pool.close()


def test_the_byte_bound_evicts_the_least_recently_used(small_cache: Flask) -> None:
    client = small_cache.test_client()
    cache = small_cache.extensions["pedkg_cache"]
    paths = [f"/api/search?q=neuro&limit={n}" for n in range(1, 13)]
    for path in paths:
        assert get(client, path).headers["Pedkg-Cache"] == "miss"
    assert cache.entries.bytes <= 12_000 and 2 < len(cache.entries) < len(paths)
    assert get(client, paths[-1]).headers["Pedkg-Cache"] == "hit"  # the most recent stay
    assert get(client, paths[0]).headers["Pedkg-Cache"] == "miss"  # the oldest went
    big = get(client, "/id/neuroblastoma.nt")  # over an eighth of the budget: answered, never kept
    assert big.status_code == 200 and len(big.data) > 1_000 and "ETag" not in big.headers
    assert get(client, "/id/neuroblastoma.nt").headers["Pedkg-Cache"] == "miss"


@pytest.fixture
def writable(built: tuple[Settings, BuildReport], tmp_path: Path) -> Iterator[Flask]:
    """An app over a private copy of the built store, with the admin routes on."""
    GraphStore.open_read_only(built[0].store).backup(tmp_path / "store-copy")
    (tmp_path / "store").symlink_to("store-copy")
    settings = dataclasses.replace(built[0], store=tmp_path / "store", admin_token=TOKEN, query_processes=1)
    application = create_app(settings)
    yield application
    application.extensions["pedkg"].pool.close()


def test_a_store_change_empties_the_cache(writable: Flask) -> None:
    client = writable.test_client()
    before = get(client, sparql(), Accept="text/csv")
    assert get(client, sparql(), Accept="text/csv").headers["Pedkg-Cache"] == "hit"
    update = 'INSERT DATA { GRAPH <https://w3id.org/pedkg/graph/extra> { <https://w3id.org/pedkg/neuroblastoma> <http://www.w3.org/2000/01/rdf-schema#label> "NB (cache test)"@en } }'
    written = client.post(
        "/update",
        data=update,
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert written.status_code == 204, written.text
    after = get(client, sparql(), Accept="text/csv")
    assert after.headers["Pedkg-Cache"] == "miss" and "NB (cache test)" in after.text
    assert "NB (cache test)" not in before.text and after.headers["ETag"] != before.headers["ETag"]
    stale = get(client, sparql(), Accept="text/csv", **{"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200 and "NB (cache test)" in stale.text


def test_a_real_server_answers_hits_and_304s(server: Server) -> None:
    params = [("query", LOOKUP + " # real server")]
    accept = {"Accept": "application/sparql-results+json"}
    first = send(server.url, params=params, headers=accept)
    second = send(server.url, params=params, headers=accept)
    assert first.status == second.status == 200, str(second)
    assert first.headers["Pedkg-Cache"] == "miss" and second.headers["Pedkg-Cache"] == "hit"
    assert second.body == first.body and second.headers["ETag"] == first.headers["ETag"]
    conditional = send(server.url, params=params, headers={**accept, "If-None-Match": first.headers["ETag"]})
    assert conditional.status == 304 and conditional.body == b"", str(conditional)
    assert conditional.headers["ETag"] == first.headers["ETag"]
    assert (
        conditional.headers["Access-Control-Allow-Origin"] == "*" and "Accept" in conditional.headers["Vary"]
    )
    fresh = send(server.url, params=params, headers={**accept, "Cache-Control": "no-cache"})
    assert fresh.headers["Pedkg-Cache"] == "bypass" and fresh.body == first.body
