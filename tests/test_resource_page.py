"""``/resource?iri=``: every IRI in the store has a page, and an entity page costs one query.

A copy of the built store gets the example hospital (``pedkg import``), WHO ICD-10
(``pedkg import --vocabulary icd10``) and the hospital's reviewed links (``pedkg link
--accept``), so pedkg's crosswalk points at another graph's entities. Its departments and
ICD-10 codes open at /resource like pedkg's entities at /id/: labels in the reader's
language, statements both ways with their graphs, RDF in every format, "query this". The
other answers are pinned too: 301 to /id/ for pedkg's IRIs, 404 for an IRI the store does
not mention, 400 for a missing or malformed one, never the value unescaped. Every
/resource link the pages write answers 200, and the query pool (wrapped, never mocked)
runs one query per entity page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from other_hospital import EXAMPLE, OH, PEDKG, accept_proposals, copy_store, load_graph, run
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.views import entity_query
from pedkg.web import create_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ICD10 = "https://icd.who.int/browse10/2019/en#/"
EYE_CENTER = OH + "eye-center"
FORMATS = {  # format= name -> (media type, pyoxigraph format)
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
RESOURCE_LINK = re.compile(r'href="(/resource\?[^"]*)"')


@pytest.fixture(scope="module")
def linked_store(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built store with the example hospital, ICD-10 and the hospital's links accepted."""
    folder = tmp_path_factory.mktemp("resource-page")
    link = copy_store(built[0].store, folder)
    load_graph(link, "other-hospital", EXAMPLE)
    done = run(link, "import", "--vocabulary", "icd10")
    assert done.returncode == 0, done.stderr
    accept_proposals(link, folder)
    return link


@pytest.fixture(scope="module")
def app(linked_store: Path) -> Iterator[Flask]:
    application = create_app(Settings.from_env({}, store=linked_store))
    yield application
    application.extensions["pedkg"].pool.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def resource(iri: str, **extra: str) -> str:
    return "/resource?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in {"iri": iri, **extra}.items())


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def section(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</section>", 1)[0]


# --- another graph's entity ---------------------------------------------------------------------


def test_a_department_of_the_other_hospital_has_a_page_in_korean(client: FlaskClient) -> None:
    response = client.get(resource(EYE_CENTER, lang="ko"), headers=BROWSER)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    assert "Accept" in response.headers["Vary"]
    assert '<h1><span lang="ko">안과</span></h1>' in html  # its schema:name in Korean
    assert f"<code>{EYE_CENTER}</code>" in html
    assert f'<a href="{EYE_CENTER}" class="at-source"' in html  # and the IRI itself, one click away
    incoming = section(html, 'id="incoming-heading"')
    assert 'href="/resource?iri=https://example.org/other-hospital/hospital&amp;lang=ko"' in incoming
    assert '<span lang="ko">예시어린이병원</span>' in incoming  # the linked IRI, labelled too


def test_the_embedded_schema_org_keeps_the_graphs_own_type(client: FlaskClient) -> None:
    html = page(client, resource(EYE_CENTER))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block
    data = json.loads(block.group(1))
    assert data["@id"] == EYE_CENTER and data["@type"] == "MedicalClinic"
    assert {"@value": "안과", "@language": "ko"} in data["name"]


def test_in_english_a_name_in_korean_only_is_marked(client: FlaskClient) -> None:
    html = page(client, resource(EYE_CENTER, lang="en"))
    assert '<h1><span lang="en">Eye Center</span></h1>' in html
    neuroblastoma = page(client, resource(OH + "neuroblastoma", lang="en"))  # named in Korean only
    assert re.search(r'<h1><span lang="ko">신경모세포종</span> <small class="fallback"', neuroblastoma)


def test_the_page_names_the_graph_of_each_statement(client: FlaskClient) -> None:
    html = page(client, resource(EYE_CENTER))
    outgoing = section(html, 'id="outgoing-heading"')
    graphs = re.findall(
        r'<small class="graph"><span class="visually-hidden">from graph </span>([^<]*)</small>', outgoing
    )
    assert graphs and set(graphs) == {"other-hospital"}  # as `pedkg graphs` names it
    provenance = section(html, 'class="card provenance"')
    assert 'href="/id/graph/other-hospital"' in provenance and "other-hospital.ttl" in provenance


def test_the_link_header_and_the_downloads_name_every_format(client: FlaskClient) -> None:
    response = client.get(resource(EYE_CENTER), headers=BROWSER)
    links = response.headers["Link"]
    canonical = f"http://localhost/resource?iri={quote(EYE_CENTER, safe=':/')}"
    assert f'<{canonical}>; rel="canonical"' in links
    html = response.get_data(as_text=True)
    assert f'<link rel="canonical" href="{canonical}">' in html
    for name, (media_type, _) in FORMATS.items():
        assert f'<{canonical}&format={name}>; rel="alternate"; type="{media_type}"' in links
        assert (
            f'<a href="{canonical.removeprefix("http://localhost")}&amp;format={name}" type="{media_type}">'
            in html
        )


@pytest.mark.parametrize("name", list(FORMATS))
def test_each_download_parses_and_holds_the_entitys_triples(client: FlaskClient, name: str) -> None:
    media_type, rdf_format = FORMATS[name]
    response = client.get(resource(EYE_CENTER, format=name))
    assert response.status_code == 200 and response.mimetype == media_type
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    triples = {quad.triple for quad in ox.parse(response.get_data(), format=rdf_format)}
    eye = ox.NamedNode(EYE_CENTER)
    assert ox.Triple(eye, ox.NamedNode(SCHEMA + "name"), ox.Literal("안과", language="ko")) in triples
    assert ox.Triple(eye, ox.NamedNode(RDF_TYPE), ox.NamedNode(SCHEMA + "MedicalClinic")) in triples
    assert ox.Triple(ox.NamedNode(OH + "hospital"), ox.NamedNode(SCHEMA + "department"), eye) in triples


def test_accept_chooses_the_rdf(client: FlaskClient) -> None:
    for accept, media_type in [
        ("text/turtle", "text/turtle"),
        (None, "text/turtle"),
        ("application/ld+json", "application/ld+json"),
    ]:
        response = client.get(resource(EYE_CENTER), headers={"Accept": accept} if accept else {})
        assert response.status_code == 200 and response.mimetype == media_type
        assert "Accept" in response.headers["Vary"]


def test_an_icd10_code_has_a_page(client: FlaskClient) -> None:
    html = page(client, resource(ICD10 + "C64"))
    assert '<h1><span lang="en">Malignant neoplasm of kidney, except renal pelvis</span></h1>' in html
    outgoing = section(html, 'id="outgoing-heading"')
    assert f'href="/resource?iri={quote(ICD10, safe=":/")}C64-C68"' in outgoing  # skos:broader, here
    assert "icd10" in re.findall(r'<small class="graph">.*?</span>([^<]*)</small>', outgoing)
    incoming = section(html, 'id="incoming-heading"')
    assert 'href="/id/wilms-tumor"' in incoming  # pedkg's broader match to it


def test_a_long_group_is_paged_at_resource(app: Flask, client: FlaskClient) -> None:
    app.config["PEDKG_ENTITY_PAGE_SIZE"] = 3
    app.extensions["pedkg_cache"].entries.clear()
    try:
        html = page(client, resource(ICD10 + "C64-C68"))  # C64 ... C68 are narrower: five
        group = html.split('id="in-skos:broader"')[1].split("</div>")[0]
        assert group.count("<li>") == 3 and "page 1 of 2" in group
        following = re.search(r'<a rel="next" href="([^"]+)"', group)
        assert following
        url = urlsplit(unescape(following.group(1)))
        assert url.path == "/resource" and parse_qs(url.query) == {
            "iri": [ICD10 + "C64-C68"],
            "group": ["in-skos:broader"],
            "page": ["2"],
        }
        second = page(client, unescape(following.group(1)))
        assert second.split('id="in-skos:broader"')[1].split("</div>")[0].count("<li>") == 2
    finally:
        app.config.pop("PEDKG_ENTITY_PAGE_SIZE")
        app.extensions["pedkg_cache"].entries.clear()


def test_a_resource_with_more_statements_than_a_page_reads_is_cut_and_says_so(client: FlaskClient) -> None:
    html = page(client, resource("https://icd.who.int/browse10/2019/en"))  # 12,000 concepts are in it
    assert '<p class="banner truncated">' in html
    group = html.split('id="in-skos:inScheme"')[1].split("</dt>")[0]
    shown = re.search(r'<span class="count">\((\d+)\)</span>', group)
    assert shown and 1000 < int(shown.group(1)) <= entity_query.ROW_CAP  # what one page reads, of 12,000


def test_query_this_opens_the_editor_on_the_resource(client: FlaskClient) -> None:
    html = page(client, resource(EYE_CENTER))
    query_link = re.search(r'<a class="open-editor" href="([^"]+)"', html)
    assert query_link
    answer = client.get(unescape(query_link.group(1)), headers={"Accept": "text/csv"})
    text = answer.get_data(as_text=True)
    assert (
        answer.status_code == 200
        and EYE_CENTER in text
        and "https://w3id.org/pedkg/graph/other-hospital" in text
    )


# --- the other answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "location"),
    [
        ({}, "/id/neuroblastoma"),
        ({"lang": "ko"}, "/id/neuroblastoma?lang=ko"),
        ({"format": "turtle"}, "/id/neuroblastoma?format=turtle"),
    ],
)
def test_pedkgs_own_iri_moves_to_its_id_page(
    client: FlaskClient, extra: dict[str, str], location: str
) -> None:
    response = client.get(resource(PEDKG + "neuroblastoma", **extra), headers=BROWSER)
    assert response.status_code == 301
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [(BROWSER, "text/html"), ({}, "text/plain"), ({"Accept": "text/turtle"}, "text/plain")],
)
def test_an_iri_the_store_does_not_mention_is_404(
    client: FlaskClient, accept: dict[str, str], mimetype: str
) -> None:
    for iri in ("https://example.org/not-in-the-store", "urn:x:nothing", "javascript:alert(1)", PEDKG):
        response = client.get(resource(iri), headers=accept)
        assert response.status_code == 404, (iri, response.get_data(as_text=True)[:300])
        assert response.mimetype == mimetype and "Link" not in response.headers
    predicate_only = client.get(resource(SCHEMA + "name"), headers=accept)  # used, but no subject or object
    assert predicate_only.status_code == 404


HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


@pytest.mark.parametrize(
    "query",
    [
        "",
        "iri=",
        "iri=relative/path",
        "iri=%2F%2Fexample.org%2Fx",
        "iri=http%3A%2F%2Fx%2F%20y",
        "iri=" + quote(HOSTILE),
        "iri=http%3A%2F%2Fx%2F" + quote(HOSTILE),
        "iri=" + "a" * 5000,
    ],
)
def test_a_missing_or_malformed_iri_is_400_with_its_value_escaped(client: FlaskClient, query: str) -> None:
    for accept, mimetype in ((BROWSER, "text/html"), ({}, "text/plain")):
        response = client.get("/resource?" + query, headers=accept)
        text = response.get_data(as_text=True)
        assert response.status_code == 400 and response.mimetype == mimetype, text[:300]
        assert "<script>" not in text and "<img" not in text
        assert len(re.sub(r"<[^>]*>", " ", text).split()) >= 3  # says in words what was wrong
        assert len(text) < 20_000
    form = client.get("/resource?" + query, headers=BROWSER).get_data(as_text=True)
    assert '<form class="resource-form" method="get" action="/resource">' in form


# --- links to /resource -------------------------------------------------------------------------


def test_the_crosswalk_links_a_target_in_the_store_to_its_page(client: FlaskClient) -> None:
    crosswalk = section(page(client, "/id/neuroblastoma"), 'class="card crosswalk"')
    target = f'href="/resource?iri={quote(OH, safe=":/")}neuroblastoma"'
    assert target in crosswalk  # the other hospital's entity, accepted with pedkg link
    assert f'<a href="{OH}neuroblastoma" class="at-source"' in crosswalk
    assert 'href="/resource?iri=http://purl.obolibrary.org/obo/MONDO_0005072"' in crosswalk
    assert page(client, resource(OH + "neuroblastoma"))


def test_a_property_that_is_no_subject_or_object_links_to_itself(client: FlaskClient) -> None:
    html = page(client, resource(EYE_CENTER))
    assert '<dt><a href="https://schema.org/name" title="https://schema.org/name">' in html
    assert "/resource?iri=https://schema.org/name" not in html


def test_the_mappings_page_links_each_end_in_the_store_to_its_page(client: FlaskClient) -> None:
    html = page(client, "/mappings?lang=en")
    assert f'href="/resource?iri={quote(OH, safe=":/")}neuroblastoma&amp;lang=en"' in html
    assert f'<a href="{OH}neuroblastoma" class="at-source"' in html
    assert 'href="/id/neuroblastoma"' in html  # pedkg's own stay at /id/


@pytest.mark.parametrize(
    "path",
    [
        "/id/neuroblastoma",
        "/id/hemato-oncology-division",
        resource(EYE_CENTER),
        resource(ICD10 + "C64"),
        resource(OH + "hospital"),
        "/mappings",
    ],
)
def test_every_resource_link_answers(client: FlaskClient, path: str) -> None:
    """The rule for a /resource link (a subject or an object in the store) is the rule of its 200."""
    targets = sorted({unescape(href) for href in RESOURCE_LINK.findall(page(client, path))})
    assert targets
    failed = [t for t in targets if client.get(t, headers=BROWSER).status_code != 200]
    assert not failed, failed[:20]


# --- one query per page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/id/neuroblastoma",
        "/id/ontology/Disease",
        "/id/hemato-oncology-division?lang=ko",
        resource(EYE_CENTER),
        resource(ICD10 + "C64", lang="ko"),
    ],
)
def test_an_entity_page_costs_one_query(app: Flask, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    pool = app.extensions["pedkg"].pool
    asked: list[str] = []
    real_run = pool.run

    def counted(job, timeout=None):  # type: ignore[no-untyped-def]
        asked.append(job.query)
        return real_run(job, timeout)  # the real pool answers

    monkeypatch.setattr(pool, "run", counted)
    response = app.test_client().get(path, headers={**BROWSER, "Cache-Control": "no-cache"})
    assert response.status_code == 200
    assert len(asked) == 1, asked
