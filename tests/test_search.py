"""Search: the examples of issue 4 in both languages, ranking, the JSON API and the page.

In-process Flask clients over real built stores (real query processes): the session's
store for the examples, and a private project whose store is rebuilt into the same link
to show that the index is built once per store version and follows a new one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from pedkg import folding
from pedkg.config import Settings
from pedkg.ingest.build import build
from pedkg.views import search
from pedkg.web import create_app

from conftest import ALL_BACKENDS

BACKENDS = ALL_BACKENDS  # the web contract holds on the embedded store and on oxigraph serve

PEDKG = "https://w3id.org/pedkg/"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def hits(client: FlaskClient, q: str, lang: str = "en", **params: str) -> list[dict[str, object]]:
    response = client.get("/api/search", query_string={"q": q, "lang": lang, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    found: list[dict[str, object]] = response.get_json()["hits"]
    return found


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("neuro", "neuroblastoma"),
        ("신경모", "neuroblastoma"),
        ("신경ㅁ", "neuroblastoma"),
        ("신경못", "neuroblastoma"),  # the input method's state on the way to 신경모세
        ("ㅅㄱㅁ", "neuroblastoma"),  # leading consonants only (초성)
        ("C64", "wilms-tumor"),
        ("icd10:C64", "wilms-tumor"),
        ("윌름스", "wilms-tumor"),
        ("윌름스 종양", "wilms-tumor"),
        ("Wilms' tumour", "wilms-tumor"),
        ("wilms tumor", "wilms-tumor"),
        ("MONDO:0005072", "neuroblastoma"),
        ("9500/3", "neuroblastoma"),
        ("platelet reduction", "thrombocytopenia"),
        ("혈소판", "thrombocytopenia"),
    ],
)
def test_the_examples_rank_the_expected_entity_first(client, q, expected, lang):
    found = hits(client, q, lang)
    assert found, f"nothing found for {q!r}"
    assert found[0]["iri"] == PEDKG + expected, found[:3]


def test_every_hit_carries_its_languages_and_its_page(client):
    for hit in hits(client, "a", "ko", limit="50"):
        assert hit["lang"] in ("en", "ko"), hit
        assert hit["fallback"] is (hit["lang"] != "ko")
        assert hit["matched_lang"] in ("en", "ko") if hit["field"] != "code" else hit["matched_lang"] is None
        assert hit["href"] == "/id/" + str(hit["iri"]).removeprefix(PEDKG)
        assert set(hit) >= {
            "iri",
            "label",
            "lang",
            "matched",
            "matched_lang",
            "match",
            "field",
            "type",
            "href",
        }


def test_the_label_follows_the_language_asked_for(client):
    (en,) = hits(client, "C64", "en")
    (ko,) = hits(client, "C64", "ko")
    assert (en["label"], en["lang"], ko["label"], ko["lang"]) == ("Wilms tumor", "en", "윌름스종양", "ko")
    assert (en["match"], en["field"], en["matched"], en["type"]) == ("exact", "code", "C64", "pko:Disease")


def _rows(*entries: tuple[str, str, str]) -> list[dict[str, dict[str, str]]]:
    """SPARQL JSON bindings as INDEX_QUERY gives them: (local name, property, English text)."""
    return [
        {
            "s": {"type": "uri", "value": PEDKG + name},
            "kind": {"type": "uri", "value": prop},
            "text": {"type": "literal", "value": text, "xml:lang": "en"},
        }
        for name, prop, text in entries
    ]


def test_exact_before_prefix_before_word_prefix_before_substring():
    label, alt = search.RDFS_LABEL, search.SKOS + "altLabel"
    index = search.SearchIndex.from_rows(
        "test",
        _rows(
            ("precancer", label, "precancer"),
            ("childhood", label, "childhood cancers"),
            ("ward", label, "cancer ward"),
            ("cancer", alt, "Cancer"),
        ),
    )
    found = index.search("cancer", "en")
    assert [(h.iri.removeprefix(PEDKG), h.match, h.field) for h in found] == [
        ("cancer", "exact", "synonym"),
        ("ward", "prefix", "label"),
        ("childhood", "prefix", "label"),
        ("precancer", "substring", "label"),
    ]
    assert (found[0].label, found[0].lang, found[0].fallback) == (
        "pedkg:cancer",
        None,
        True,
    )  # no label: its CURIE
    assert (found[1].label, found[1].lang, found[1].fallback) == ("cancer ward", "en", False)
    assert index.search("cancer", "ko")[1].fallback is True  # only an English label


def test_real_hits_come_in_match_order(client):
    for q in ("tumor", "종양", "blastoma", "c"):
        found = hits(client, q, limit="50")
        order = [("exact", "prefix", "substring").index(str(h["match"])) for h in found]
        assert found and order == sorted(order), (q, found)
    assert hits(client, "leukemia")[0]["match"] == "exact"


def test_shorter_labels_and_diseases_win_ties(client):
    neuro = hits(client, "neuro")
    # ICCC-3's neuroblastoma groups (IVa, then the longer IV) are found too, after the disease
    assert [h["iri"] for h in neuro] == [
        PEDKG + "neuroblastoma", PEDKG + "iccc3-IVa", PEDKG + "iccc3-IV", PEDKG + "pediatric-neurosurgery",
    ]  # fmt: skip
    assert hits(client, "disease", type="pko:DiseaseGroup")[0]["iri"] == PEDKG + "blood-diseases"


def test_type_filter_and_limit(client):
    assert {h["type"] for h in hits(client, "a", type="Disease", limit="50")} == {"pko:Disease"}
    response = client.get("/api/search?q=a&type=https://w3id.org/pedkg/ontology/Procedure")
    assert response.get_json()["type"] == "pko:Procedure"
    assert {h["type"] for h in response.get_json()["hits"]} == {"pko:Procedure"}
    assert len(hits(client, "a", limit="3")) == 3
    assert len(hits(client, "a", limit="5000")) <= search_max()


def search_max() -> int:
    from pedkg.web.search import MAX_LIMIT

    return MAX_LIMIT


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ({"q": ""}, "q is required"),
        ({"lang": "en"}, "q is required"),
        ({"q": "x", "lang": "fr"}, "lang"),
        ({"q": "x", "limit": "ten"}, "limit"),
        ({"q": "x", "limit": "0"}, "limit"),
        ({"q": "x", "type": "pko:Nothing"}, "unknown type"),
        ({"q": "x" * 201}, "longer than"),
    ],
)
def test_bad_parameters_are_a_json_400(client, query, word):
    response = client.get("/api/search", query_string=query)
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    error = response.get_json()["error"]
    assert error["status"] == 400 and word in error["message"], error


def test_the_api_answers_any_origin(client):
    response = client.get("/api/search?q=neuro")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype == "application/json"
    assert response.get_json()["query"] == "neuro"


def test_the_page_works_without_javascript(client):
    response = client.get("/search?q=%EC%9C%8C%EB%A6%84%EC%8A%A4&lang=ko", headers=BROWSER)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert '<html lang="ko">' in body
    assert '<a class="hit-label" href="/id/wilms-tumor?lang=ko" lang="ko">윌름스종양</a>' in body
    assert '<form class="search-form" method="get" action="/search"' in body
    assert "Content-Security-Policy" in response.headers
    assert 'rel="alternate"; type="application/json"' in response.headers["Link"]
    empty = client.get("/search", headers=BROWSER).get_data(as_text=True)
    assert 'id="search-q"' in empty and "hit-label" not in empty


def test_the_page_escapes_the_query_and_reports_bad_parameters(client):
    body = client.get("/search?q=%3Cscript%3Exx", headers=BROWSER).get_data(as_text=True)
    assert "<script>xx" not in body and html.escape("<script>xx", quote=False) in body
    response = client.get("/search?q=a&type=nothing", headers=BROWSER)
    assert response.status_code == 400 and "unknown type" in response.get_data(as_text=True)
    body = client.get("/search?q=a&type=disease&lang=fr", headers=BROWSER).get_data(as_text=True)
    assert '<option value="pko:Disease" selected lang="en">disease</option>' in body  # lang=fr: the reader's


def test_every_page_has_the_header_search_box(client):
    for url in ("/search", "/queries", "/sparql"):
        body = client.get(url, headers=BROWSER).get_data(as_text=True)
        assert re.search(r'<form class="site-search" method="get" action="/search"', body), url
        assert '<input id="site-search" type="search" name="q"' in body, url
        assert "/static/search.js" in body, url


def test_the_index_is_built_once_per_store_version(project_copy: Path, tmp_path: Path):
    settings = Settings.from_env({}, project=project_copy, store=tmp_path / "var" / "store")
    build(settings)
    application = create_app(settings)
    try:
        client = application.test_client()
        pool = application.extensions["pedkg"].pool
        first = search.index_for(pool)
        assert hits(client, "zzqx") == []
        assert search.index_for(pool) is first, "the same version reuses its index"

        data = project_copy / "data" / "division.ttl"
        data.write_text(
            data.read_text(encoding="utf-8") + '\npedkg:anemia skos:altLabel "zzqx anaemia"@en .\n',
            encoding="utf-8",
        )
        build(settings)  # a new store version, swapped into the same link
        found = hits(client, "zzqx")
        assert [h["iri"] for h in found] == [PEDKG + "anemia"], found
        assert search.index_for(pool) is not first
    finally:
        application.extensions["pedkg"].pool.close()


def test_fold_treats_spelling_variants_alike():
    assert folding.fold("Wilms' tumor") == folding.fold("wilms tumor") == folding.fold("WILMS’ TUMOR")
    assert folding.fold("윌름스 종양") == folding.fold("윌름스종양")
    assert folding.fold("신경모세포종").startswith(folding.fold("신경ㅁ"))
    assert folding.fold("ＣＶＩＤ") == "cvid"


def test_a_preferred_label_is_shown_before_rdfs_label():
    index = search.SearchIndex.from_rows(
        "test",
        _rows(("x", search.RDFS_LABEL, "alpha name"), ("x", search.SKOS + "prefLabel", "beta name")),
    )
    (hit,) = index.search("name", "en")
    assert (hit.label, hit.lang, hit.field) == ("beta name", "en", "label")
    assert index.search("ko", "en") == [] and index.search("name", "ko")[0].fallback is True
