"""The home page (/) and its picture (/diagram.svg), in-process over the session's built store.

Expected numbers and nodes are asked of the store itself (COUNT queries, the division's
links), never written down here: the page must say what the graph says.
"""

from __future__ import annotations

import html
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pedkg.config import Settings
from pedkg.ingest.build import build
from pedkg.namespaces import BASE
from pedkg.store.embedded import GraphStore
from pedkg.web import create_app

from browser import ARGS, ARTIFACTS, AXE, CHROMIUM, serious_violations
from conftest import rows

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SVG = "{http://www.w3.org/2000/svg}"
PKO = "https://w3id.org/pedkg/ontology/"
PREFIXES = """PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: everything the picture must show: the division and each of its neighbours
NEIGHBOURS = (
    PREFIXES
    + """SELECT DISTINCT ?node WHERE {
  ?division a pko:Division .
  { ?node a pko:Division }
  UNION { ?division pko:targetDisease|pko:offersProcedure|pko:collaboratesWith ?node }
  UNION { ?division pko:operates ?node . ?node a ?kind VALUES ?kind { pko:CareTeam pko:SupportProgram } }
  UNION { ?division pko:targetDisease ?d . ?node a pko:DiseaseGroup ; skos:member ?d }
}"""
)


def get(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers=BROWSER)
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:2000]
    return body


def count(store: GraphStore, pattern: str) -> int:
    return int(rows(store, PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


@pytest.mark.parametrize(
    ("class_name", "words"),
    [
        ("Disease", "diseases"),
        ("DiseaseGroup", "disease groups"),
        ("SurgicalDepartment", "surgical departments"),
        ("DiagnosticSupportTeam", "diagnostic support teams"),
        ("CareTeam", "care teams"),
        ("SupportProgram", "support programs"),
    ],
)
def test_counts_come_from_the_graph_and_link_to_their_class(
    client: FlaskClient, store: GraphStore, class_name: str, words: str
) -> None:
    n = count(store, f"SELECT DISTINCT ?s WHERE {{ ?s a pko:{class_name} }}")
    assert n > 0
    body = get(client, "/?lang=en")
    tile = f'<a href="/id/ontology/{class_name}?lang=en"><span class="number">{n}</span> <span class="what">{words}</span>'
    assert tile in body


def test_mapping_and_triple_counts(client: FlaskClient, store: GraphStore) -> None:
    mappings = count(
        store,
        "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch "
        'skos:narrowMatch skos:relatedMatch } ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/pedkg/")) }',
    )
    triples = count(store, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    body = get(client, "/")
    assert (
        f'<span class="number">{mappings}</span> <span class="what">mappings to standard codes</span>' in body
    )
    assert f'<a href="/void"><span class="number">{triples}</span> <span class="what">triples</span>' in body
    mondo = count(
        store,
        'SELECT ?s WHERE { ?s skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?o FILTER(STRSTARTS(STR(?o), "http://purl.obolibrary.org/obo/MONDO_")) }',
    )
    assert re.search(rf'href="/void#linkset-MONDO">.*?<span class="number">{mondo}</span>', body)


def test_definition_in_the_readers_language_or_marked(client: FlaskClient, store: GraphStore) -> None:
    definition = rows(
        store, PREFIXES + "SELECT ?d WHERE { ?x a pko:Division ; skos:definition ?d FILTER(LANG(?d) = 'en') }"
    )[0]["d"]
    english = get(client, "/?lang=en")
    assert f'<span lang="en">{html.escape(definition, quote=False)}</span>' in english
    assert "no Korean definition" not in english
    korean = get(client, "/?lang=ko")
    assert (
        '<h1 id="division-name"><a href="/id/hemato-oncology-division?lang=ko" lang="ko">소아혈액종양과</a></h1>'
        in korean
    )
    korean_definition = rows(
        store, PREFIXES + "SELECT ?d WHERE { ?x a pko:Division ; skos:definition ?d FILTER(LANG(?d) = 'ko') }"
    )[0]["d"]
    assert f'<span lang="ko">{html.escape(korean_definition, quote=False)}</span>' in korean
    assert "아직 한국어 정의가 없습니다" not in korean  # the fallback mark only where Korean is missing


def test_an_english_only_definition_is_marked_on_the_korean_home(project_copy: Path) -> None:
    """Every entity is defined in Korean today, so a copy without the division's Korean definition shows the mark."""
    division = project_copy / "data" / "division.ttl"
    text = division.read_text(encoding="utf-8")
    korean = re.search(r'( ,\n\s*"[^"]*"@ko)(?= ;\n    schema:parentOrganization)', text)
    assert korean, "the division's Korean definition moved"
    division.write_text(text.replace(korean.group(1), ""), encoding="utf-8")
    settings = Settings.from_env({}, project=project_copy, store=project_copy / "store")
    build(settings)
    app = create_app(settings)
    try:
        korean_home = get(app.test_client(), "/?lang=ko")
    finally:
        app.extensions["pedkg"].pool.close()
    assert "아직 한국어 정의가 없습니다" in korean_home


def test_links_to_the_other_pages(client: FlaskClient) -> None:
    body = get(client, "/")
    for path in ("/search", "/sparql", "/queries", "/ontology", "/void"):
        assert f'href="{path}' in body or f'action="{path}' in body, path


def svg_hrefs(document: ET.Element) -> list[str]:
    return [a.get("href", "") for a in document.iter(SVG + "a")]


@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_picture_is_svg_with_a_link_on_every_node(
    app: Flask, client: FlaskClient, store: GraphStore, layout: str, lang: str
) -> None:
    response = client.get(f"/diagram.svg?layout={layout}&lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    document = ET.fromstring(response.data)
    assert document.tag == SVG + "svg"
    assert document.find(SVG + "title") is not None and document.find(SVG + "desc") is not None
    assert "Noto Sans CJK KR" in document.get("font-family", "")
    assert document.get("viewBox")
    hrefs = svg_hrefs(document)
    expected = {row["node"] for row in rows(store, NEIGHBOURS)}
    shown = {BASE + href.removeprefix("/id/").split("?")[0] for href in hrefs}
    assert expected <= shown
    for href in hrefs:  # pedkg IRIs only, each at /id/<local name> keeping the chosen language
        assert re.fullmatch(rf"/id/[A-Za-z0-9/_-]+\?lang={lang}", href), href
    # every pill (a rect with a rounded end) sits inside a link
    linked = {id(rect) for a in document.iter(SVG + "a") for rect in a.iter(SVG + "rect")}
    pills = [
        r
        for r in document.iter(SVG + "rect")
        if r.get("stroke-width") == "1.5" and r.get("fill") != "#ffffff"
    ]
    assert pills and all(id(r) in linked for r in pills)
    # labels in the reader's language, each text marked with it
    texts = " ".join("".join(t.itertext()) for t in document.iter(SVG + "text"))
    assert ("신경모세포종" in texts) == (lang == "ko")
    assert ("neuroblastoma" in texts) == (lang == "en")
    assert all(t.get("lang") in ("en", "ko") for t in document.iter(SVG + "text"))


def test_each_node_resolves_on_the_server(app: Flask, client: FlaskClient) -> None:
    """Every href of the picture answers 200, once the entity pages (/id/...) exist."""
    document = ET.fromstring(client.get("/diagram.svg").data)
    hrefs = sorted(set(svg_hrefs(document)))
    if "entities" not in app.blueprints:
        pytest.skip("the entity pages (/id/...) are not built yet")
    for href in hrefs:
        response = client.get(href, headers=BROWSER)
        assert response.status_code == 200, (href, response.status_code)


def test_inline_pictures_parse_and_have_a_list_twin(client: FlaskClient, store: GraphStore) -> None:
    body = get(client, "/?lang=ko")
    svgs = re.findall(r"<svg .*?</svg>", body, flags=re.S)
    assert len(svgs) == 2  # the wide and the phone layout
    for svg in svgs:
        ET.fromstring(svg)
    listed = re.search(r'<details class="diagram-list">.*?</details>', body, flags=re.S)
    assert listed
    for row in rows(store, NEIGHBOURS):
        assert f'href="/id/{row["node"].removeprefix(BASE)}?lang=ko"' in listed.group()


def test_the_page_loads_nothing_from_elsewhere(client: FlaskClient) -> None:
    response = client.get("/", headers=BROWSER)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r'(src|href)="https?://(?!w3id)', response.get_data(as_text=True))


#: (path, language, width, run axe-core): every page at both widths, each language once at least
VISITS = [
    ("/", "en", 1400, True),
    ("/", "ko", 1400, False),
    ("/", "en", 390, False),
    ("/", "ko", 390, True),
    ("/ontology", "en", 1400, True),
    ("/ontology", "ko", 390, False),
    ("/void", "en", 1400, False),
    ("/void", "ko", 390, True),
]


def test_in_chromium_at_desktop_and_phone_width(server) -> None:
    """The pages in Chromium: screenshots, no serious axe-core violation, a click on the picture."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM) or not AXE.exists():
        pytest.skip("needs Debian's chromium and npm's axe-core (make installs both)")
    ARTIFACTS.mkdir(exist_ok=True)
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pages = {
                width: browser.new_page(viewport={"width": width, "height": 900}) for width in (1400, 390)
            }
            for page in pages.values():
                page.on("request", lambda request: requests.append(request.url))
            for path, lang, width, check in VISITS:
                page = pages[width]
                page.goto(f"{server.url}{path}?lang={lang}")
                name = (path.strip("/") or "home") + f"-{lang}-{'phone' if width < 600 else 'desktop'}"
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                if check:
                    serious = serious_violations(page)
                    assert not serious, (name, serious)
            for page in pages.values():  # the picture shown at each width is made of links: follow one
                page.goto(f"{server.url}/?lang=en")
                page.locator("svg.division-diagram:visible a.node", has_text="neuroblastoma").first.click()
                page.wait_for_url("**/id/neuroblastoma?lang=en")
                assert "neuroblastoma" in page.content()
        finally:
            browser.close()
    away = [url for url in requests if urllib.parse.urlsplit(url).hostname != "127.0.0.1"]
    assert not away, away
