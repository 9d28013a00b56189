"""Hostile data on every page: markup in labels is text, data never makes a script link, and the
security headers are on every response.

A Turtle graph whose labels, synonyms, definitions and comments hold ``<script>``, an attribute
break-out with ``onerror``, ``</script>`` (for the JSON-LD block), a Jinja expression and Korean
text, and whose IRIs include ``javascript:`` and ``data:`` ones, is imported with the real
``pedkg import`` into a copy of the built store. Its entities reach the home page's diagram,
their entity pages, search and autocomplete, the SPARQL editor and its results, a named query's
results, the mappings page and the VoID summary. Debian's Chromium loads each page and checks
that every payload is there as text, that nothing was made from it (no injected element, no
``window.__pwned``), that no link points to ``javascript:`` or ``data:``, and that the pages
broke no rule of their own Content-Security-Policy (``securitypolicyviolation`` events and
console reports). The Flask client checks the headers on every route of the URL map, on errors,
static files, cache hits and 304s.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from other_hospital import copy_store, load_graph
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.namespaces import BASE, href
from pedkg.web import create_app, headers
from pedkg.web.admission import Counts

from conftest import Server

SCRIPT = "<script>window.__pwned=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__pwned=1">'
CLOSE_SCRIPT = "</script><script>window.__pwned=1</script>"
JAVASCRIPT = "javascript:window.__pwned=1"
TEMPLATE = "{{ 7*7 }}"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

LABEL_EN = f"Hostile {SCRIPT} program"
LABEL_KO = f"적대적 {SCRIPT} 프로그램"
SYNONYM_KO = f"{TEMPLATE} 템플릿"
DEFINITION = f"{CLOSE_SCRIPT} 정의"
SCRIPT_IRI_LABEL = f"Script IRI {TEMPLATE} <b>bold</b>"
HOSTILE_QUERY = (
    f"# {CLOSE_SCRIPT}\n"
    "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/pedkg/graph/hostile> { ?s ?p ?o } } ORDER BY ?s ?p ?o"
)


def turtle_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid Turtle string here


HOSTILE_TTL = f"""\
@prefix pedkg: <https://w3id.org/pedkg/> .
@prefix pko: <https://w3id.org/pedkg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sssom: <https://w3id.org/sssom/> .
@prefix semapv: <https://w3id.org/semapv/vocab/> .

pedkg:hemato-oncology-division pko:operates pedkg:hostile-program, <{JAVASCRIPT}> .
pedkg:hostile-program a pko:SupportProgram, <{JAVASCRIPT}> ;
  rdfs:label {turtle_string(LABEL_EN)}@en, {turtle_string(LABEL_KO)}@ko ;
  skos:altLabel {turtle_string(ATTRIBUTE)}@en, {turtle_string(SYNONYM_KO)}@ko ;
  skos:definition {turtle_string(DEFINITION)}@en ;
  rdfs:comment {turtle_string(JAVASCRIPT)} ;
  rdfs:seeAlso <{JAVASCRIPT}>, <data:text/html,%3Cscript%3Ewindow.__pwned=1%3C/script%3E> ;
  dcterms:isPartOf <{JAVASCRIPT}> .
<{JAVASCRIPT}> a pko:SupportProgram ;
  rdfs:label {turtle_string(SCRIPT_IRI_LABEL)}@en, "스크립트 주소"@ko .
pedkg:hostile-axiom owl:annotatedSource pedkg:hostile-program ;
  owl:annotatedProperty skos:exactMatch ;
  owl:annotatedTarget <{JAVASCRIPT}> ;
  sssom:mapping_justification semapv:ManualMappingCuration .
"""

#: path -> the payloads the page must show as text (the JSON-LD and title aside)
PAGES = {
    "/": [LABEL_EN, SCRIPT_IRI_LABEL],
    "/?lang=ko": [LABEL_KO],
    "/id/hostile-program": [LABEL_EN, ATTRIBUTE, DEFINITION, JAVASCRIPT],
    "/id/hostile-program?lang=ko": [LABEL_KO, SYNONYM_KO],
    "/id/hostile-axiom": [LABEL_EN],
    "/resource?iri=" + urllib.parse.quote(JAVASCRIPT): [SCRIPT_IRI_LABEL, JAVASCRIPT],
    "/search?q=hostile": [LABEL_EN],
    "/search?lang=ko&q=" + urllib.parse.quote("적대적"): [LABEL_KO],
    "/queries/support-programs": [LABEL_EN, LABEL_KO, JAVASCRIPT],
    "/sparql?query=" + urllib.parse.quote(HOSTILE_QUERY): [LABEL_EN, ATTRIBUTE, DEFINITION, CLOSE_SCRIPT],
    "/mappings": [LABEL_EN, SCRIPT_IRI_LABEL],
    "/void": [JAVASCRIPT],
    "/ontology": [],
    "/queries": [],
    "/reconcile/preview?id=hostile-program": [LABEL_EN],
    "/diagram.svg": [LABEL_EN, SCRIPT_IRI_LABEL],
    # the reader's own input, reflected: a search term and a named query's parameter
    "/search?q=" + urllib.parse.quote(ATTRIBUTE + SCRIPT): [ATTRIBUTE + SCRIPT],
    "/queries/code-lookup?code=" + urllib.parse.quote(CLOSE_SCRIPT + ATTRIBUTE): [],
    "/resource?iri=" + urllib.parse.quote(ATTRIBUTE + SCRIPT): [ATTRIBUTE + SCRIPT],  # a 400 repeats it
}

#: run in every page before its own scripts: CSP refusals, as the page itself sees them
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push({
    directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample || "", source: e.sourceFile,
    element: e.target === document ? "document" : (e.target.outerHTML || String(e.target)).slice(0, 200),
  });
});
"""

#: YASGUI's sanitizer (DOMPurify) parses a result's raw text into an inert document to clean it
#: (for the table's search index); an ``onerror=`` in that text makes Chromium report the handler
#: it refused to compile there, against the page's document. Nothing reaches the page (the
#: checks below look for handlers in the DOM); any other refusal fails the test.
SANITIZER = "/static/vendor/yasgui/yasgui.min.js"


def real_violations(reports: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        r
        for r in reports
        if not (
            r["directive"] == "script-src-attr"
            and r["element"] == "document"
            and r["source"].endswith(SANITIZER)
        )
    ]


#: what a page's DOM says about the payloads, read after it has settled
INSPECT = """() => ({
  pwned: typeof window.__pwned,
  text: document.documentElement.textContent,
  violations: window.__violations,
  badLinks: [...document.querySelectorAll("[href], [src], [action], [formaction], [xlink\\\\:href]")]
    .flatMap(e => ["href", "src", "action", "formaction", "xlink:href"].map(a => e.getAttribute(a)))
    .filter(v => v && /^\\s*(javascript|data|vbscript):/i.test(v)),
  images: [...document.images].map(i => i.getAttribute("src")),
  handlers: [...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a => /^on/i.test(a.name)))
    .map(e => e.outerHTML.slice(0, 120)),
  scripts: [...document.scripts].filter(s => s.type !== "application/ld+json" && s.type !== "application/json")
    .map(s => s.src || s.textContent.slice(0, 120)),
  bold: [...document.querySelectorAll("b")].filter(b => b.textContent === "bold").length,
  jsonld: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
})"""


@pytest.fixture(scope="module")
def hostile_store(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store with the hostile graph imported as ``pkg:hostile``."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.ttl"
    source.write_text(HOSTILE_TTL, encoding="utf-8")
    link = copy_store(built[0].store, folder / "stores")
    load_graph(link, "hostile", source)
    return link


@pytest.fixture(scope="module")
def hostile_app(hostile_store: Path) -> Iterator[Flask]:
    """The application over the hostile store, with the admin routes present too."""
    application = create_app(Settings.from_env({}, store=hostile_store, admin_token="t" * 32))
    yield application
    application.extensions["pedkg"].pool.close()


@pytest.fixture
def hostile_client(hostile_app: Flask) -> FlaskClient:
    return hostile_app.test_client()


# --- links from data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (BASE + "neuroblastoma", "/id/neuroblastoma"),
        (BASE + "javascript:alert(1)", "/id/javascript:alert(1)"),  # a path here, not a scheme
        ("http://purl.obolibrary.org/obo/MONDO_0005072", "http://purl.obolibrary.org/obo/MONDO_0005072"),
        ("HTTPS://example.org/x", "HTTPS://example.org/x"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("urn:isbn:0451450523", None),
        ("mailto:someone@example.org", None),
        ("http:relative", None),
        ("//example.org/x", None),
    ],
)
def test_only_http_iris_and_own_pages_become_links(iri: str, expected: str | None) -> None:
    assert href(iri) == expected


def test_the_entity_page_shows_every_payload_as_text(hostile_client: FlaskClient) -> None:
    html = hostile_client.get("/id/hostile-program", headers=BROWSER).get_data(as_text=True)
    assert "<script>window" not in html and "<img src=x" not in html, html
    assert "Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt; program" in html
    assert re.search(r'href="\s*(javascript|data):', html) is None
    assert JAVASCRIPT in html and TEMPLATE in html  # shown, not linked, not evaluated


def test_the_json_ld_block_cannot_be_left(hostile_client: FlaskClient) -> None:
    html = hostile_client.get("/id/hostile-program", headers=BROWSER).get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None and "<" not in block.group(1) and ">" not in block.group(1)
    names = json.dumps(json.loads(block.group(1)), ensure_ascii=False)
    assert "Hostile <script>window.__pwned=1</script> program" in names


# --- headers on every response --------------------------------------------------------------------


def expected_policy(path: str, mimetype: str | None) -> str:
    if path.startswith(("/reconcile/preview", "/reconcile/1.0-draft/preview")):
        return headers.PREVIEW
    if mimetype != "text/html":
        return headers.DOCUMENT
    return headers.EDITOR if urllib.parse.urlsplit(path).path == "/sparql" else headers.PAGE


def assert_secure(path: str, response) -> None:  # type: ignore[no-untyped-def]
    where = f"{path} -> {response.status_code} {response.mimetype}"
    assert response.headers.get("Content-Security-Policy") == expected_policy(path, response.mimetype), where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == headers.REFERRER_POLICY, where
    framed = expected_policy(path, response.mimetype) == headers.PREVIEW
    assert response.headers.get("X-Frame-Options") == (None if framed else "DENY"), where


#: a value for each kind of URL variable, so every rule can be called
ARGUMENTS = {"name": "neuroblastoma", "kind": "entity", "filename": "pedkg.css"}


def rule_paths(app: Flask) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        path = rule.rule
        for variable in rule.arguments:
            path = re.sub(rf"<(?:[^:>]+:)?{variable}>", ARGUMENTS.get(variable, "x"), path)
        for method in sorted(rule.methods or ()):
            found.append((method, path))
    return found


def test_every_route_and_method_carries_the_headers(hostile_app: Flask, hostile_client: FlaskClient) -> None:
    calls = rule_paths(hostile_app)
    assert ("GET", "/update") in calls or ("POST", "/update") in calls  # the admin routes are there too
    for method, path in calls:
        for accept in (BROWSER, {}):
            with hostile_client.open(path, method=method, headers=accept) as response:
                assert_secure(path, response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/no/such/page"),
        ("DELETE", "/search"),
        ("GET", "/queries/no-such-query"),
        ("GET", "/id/%3Cscript%3E"),
        ("GET", "/resource?iri=%3Cscript%3E"),
        ("GET", "/resource?iri=https://example.org/not-in-the-store"),
        ("GET", "/resource"),
        ("GET", "/sparql?query=SELEC"),
        ("GET", "/search?limit=-1"),
        ("POST", "/update"),  # no token
        ("GET", "/static/no-such-file.js"),
        ("GET", "/reconcile/preview?id=no-such-entity"),
        ("GET", "/reconcile/preview"),
    ],
)
def test_errors_carry_the_headers(hostile_client: FlaskClient, method: str, path: str) -> None:
    response = hostile_client.open(path, method=method, headers={"Accept": "text/html"})
    assert response.status_code >= 400, response.get_data(as_text=True)
    assert_secure(path, response)


def test_a_refusal_made_outside_flask_carries_the_headers(hostile_app: Flask) -> None:
    """The admission gate answers 503 before Flask runs; the outermost layer still adds the headers."""
    world = hostile_app.extensions["pedkg"]
    counts = Counts(2)
    counts.add(0, 0, 1)  # another worker is busy with the one request the server may answer
    full = create_app(replace(world.settings, max_queries=1), world.pool, counts, row=1)
    response = full.test_client().get("/search?q=hostile", headers=BROWSER)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert_secure("/search", response)


def test_a_crash_carries_the_headers(hostile_app: Flask) -> None:
    """A view that fails unexpectedly answers 500, still with every header."""
    crashing = create_app(hostile_app.extensions["pedkg"].settings, hostile_app.extensions["pedkg"].pool)

    @crashing.get("/crash")
    def crash() -> str:
        raise RuntimeError("a bug")

    for accept in (BROWSER, {}):
        response = crashing.test_client().get("/crash", headers=accept)
        assert response.status_code == 500
        assert_secure("/crash", response)


@pytest.mark.parametrize(
    "path", ["/", "/id/hostile-program", "/api/search?q=hostile", "/reconcile/preview?id=hostile-program"]
)
def test_cache_hits_and_304s_keep_the_headers(hostile_client: FlaskClient, path: str) -> None:
    first = hostile_client.get(path, headers={"Accept": "text/html"})
    again = hostile_client.get(path, headers={"Accept": "text/html"})
    assert again.headers["Pedkg-Cache"] == "hit"
    assert_secure(path, first)
    assert_secure(path, again)
    unchanged = hostile_client.get(
        path, headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]}
    )
    assert unchanged.status_code == 304
    assert unchanged.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert unchanged.headers["X-Content-Type-Options"] == "nosniff"
    assert unchanged.headers.get("X-Frame-Options") == first.headers.get("X-Frame-Options")


def test_static_files_and_their_304s_carry_the_headers(hostile_client: FlaskClient) -> None:
    with hostile_client.get("/static/search.js") as first:
        assert first.status_code == 200
        assert_secure("/static/search.js", first)
    with hostile_client.get(
        "/static/search.js", headers={"If-None-Match": first.headers["ETag"]}
    ) as unchanged:
        assert unchanged.status_code == 304
        assert_secure("/static/search.js", unchanged)


def test_the_page_policy_is_strict() -> None:
    directives = dict(d.strip().split(" ", 1) for d in headers.PAGE.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in headers.PAGE and "unsafe" not in headers.PREVIEW
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert "script-src" not in headers.PREVIEW and "default-src 'none'" in headers.PREVIEW
    editor = dict(d.strip().split(" ", 1) for d in headers.EDITOR.split(";"))
    assert editor["script-src"] == "'self'" and "unsafe" not in headers.EDITOR
    assert editor["style-src"] == "'self' " + headers.YASGUI_STYLE


# --- in Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_server(hostile_store: Path) -> Iterator[Server]:
    running = Server(hostile_store, query_timeout="10", workers="1", threads="8")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    from browser import ARGS, CHROMIUM, require_chromium

    require_chromium()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium, hostile_server: Server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from browser import Tab

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.add_init_script(WATCH_VIOLATIONS)
    visiting = Tab(context.new_page(), hostile_server.url)
    yield visiting
    context.close()
    refused = "Executing inline event handler violates"  # the console's words for the same reports
    for _ in range(getattr(visiting, "sanitized", 0)):
        visiting.errors.remove(next(e for e in visiting.errors if e.startswith(refused)))
    visiting.stayed_home()


def settle(tab, path: str) -> None:  # type: ignore[no-untyped-def]
    """Load a page and wait until its scripts are done (the editor: until its results are drawn)."""
    tab.open(path)
    tab.page.wait_for_load_state("networkidle")
    if path.startswith("/sparql"):
        tab.page.wait_for_selector(".yasr table.dataTable tbody tr")


def assert_harmless(tab, path: str, payloads: list[str]) -> dict:  # type: ignore[no-untyped-def]
    seen = tab.page.evaluate(INSPECT)
    where = f"{path}: "
    assert seen["pwned"] == "undefined", where + "a payload ran"
    real = real_violations(seen["violations"])
    tab.sanitized = len(seen["violations"]) - len(real)
    assert real == [], where + f"the page broke its own policy: {seen['violations']}"
    assert seen["badLinks"] == [], where + f"links from data: {seen['badLinks']}"
    assert "x" not in seen["images"], where + "an <img> was made from a label"
    assert seen["handlers"] == [], where + f"event handler attributes: {seen['handlers']}"
    assert all("__pwned" not in script for script in seen["scripts"]), where + str(seen["scripts"])
    assert seen["bold"] == 0, where + "a <b> was made from a label"
    for payload in payloads:
        assert payload in seen["text"], where + f"{payload!r} is not shown as text"
    assert "Script IRI 49" not in seen["text"] and "49 템플릿" not in seen["text"]
    for block in seen["jsonld"]:
        json.loads(block)
    return seen


@pytest.mark.parametrize("path", list(PAGES))
def test_a_page_shows_hostile_data_as_text(tab, path: str) -> None:  # type: ignore[no-untyped-def]
    settle(tab, path)
    assert_harmless(tab, path, PAGES[path])


def test_the_editor_draws_hostile_results_as_text(tab) -> None:  # type: ignore[no-untyped-def]
    path = "/sparql?query=" + urllib.parse.quote(HOSTILE_QUERY)
    settle(tab, path)
    cells = tab.page.eval_on_selector_all(
        ".yasr table.dataTable tbody td", "cells => cells.map(c => c.textContent)"
    )
    assert any(LABEL_EN in cell for cell in cells), cells
    assert any(ATTRIBUTE in cell for cell in cells), cells
    links = tab.page.eval_on_selector_all(".yasr a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert links and not [link for link in links if not link.startswith(("http", "/"))], links
    assert_harmless(tab, path, [LABEL_EN])
    tab.page.click(".yasr .select_response")  # the raw answer, in CodeMirror
    tab.page.wait_for_selector(".yasr .CodeMirror")
    assert_harmless(tab, path + " (response view)", [])


def test_the_autocomplete_shows_hostile_labels_as_text(tab) -> None:  # type: ignore[no-untyped-def]
    settle(tab, "/queries")
    tab.page.locator("#site-search").focus()
    tab.page.keyboard.type("hostile", delay=30)
    tab.page.wait_for_selector("#site-search-list [role=option][id^='site-search-option-']")
    options = tab.page.eval_on_selector_all(
        "#site-search-list [role=option]", "os => os.map(o => o.textContent)"
    )
    assert any(LABEL_EN in option for option in options), options
    assert_harmless(tab, "/queries (autocomplete)", [LABEL_EN])


def test_an_api_answer_opened_in_the_browser_runs_nothing(tab) -> None:  # type: ignore[no-untyped-def]
    tab.open("/api/search?q=hostile")
    seen = tab.page.evaluate("() => ({pwned: typeof window.__pwned, text: document.body.textContent})")
    assert seen["pwned"] == "undefined" and "Hostile <script>" in seen["text"]


def test_only_the_reconciliation_preview_may_be_framed(chromium, hostile_server: Server) -> None:  # type: ignore[no-untyped-def]
    """OpenRefine frames the preview from its own origin; every other page refuses any frame."""
    context = chromium.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    base = hostile_server.url
    page.set_content(
        f'<iframe name="preview" src="{base}/reconcile/preview?id=hostile-program"></iframe>'
        f'<iframe name="entity" src="{base}/id/hostile-program"></iframe>',
        wait_until="load",
    )
    preview = page.frame(name="preview")
    assert preview is not None and LABEL_EN in preview.inner_text("h1")
    assert preview.evaluate("getComputedStyle(document.body).marginTop") == "8px"  # its stylesheet loaded
    entity = page.frame(name="entity")
    assert entity is None or not entity.url.startswith(base), entity and entity.url
    assert any("frame-ancestors 'none'" in text for text in refused), refused
    context.close()


def test_a_parameter_comes_back_as_the_value_it_was(tab) -> None:  # type: ignore[no-untyped-def]
    path = "/queries/code-lookup?code=" + urllib.parse.quote(CLOSE_SCRIPT + ATTRIBUTE)
    settle(tab, path)
    assert tab.page.input_value("form.param-form [name=code]") == CLOSE_SCRIPT + ATTRIBUTE
    assert_harmless(tab, path, [])
