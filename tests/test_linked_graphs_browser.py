"""Linked graphs as a user meets them: HPO, ICD-10 and another hospital imported, then searched
and opened on a real ``pedkg serve``, each result's page naming its graph and passing axe-core
in Debian's Chromium.

The project is built and imported into by the real command line, as a curator would.
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from browser import ARGS, AXE, CHROMIUM, Tab, require_chromium, serious_violations  # noqa: E402 - after the skip
from conftest import PROJECT_ROOT, Server, pedkg  # noqa: E402

require_chromium()
if not AXE.exists():
    pytest.fail(f"{AXE} is missing: make installs the web assets (npm ci)", pytrace=False)

PEDKG = "https://w3id.org/pedkg/"
HPO = "http://purl.obolibrary.org/obo/HP_"
HOSPITAL = "https://example.org/other-hospital/"

#: (query, reader's language, the IRI it must find, the graph its page names)
FINDS = [
    ("Hepatosplenomegaly", "en", HPO + "0001433", "hpo"),
    ("소아심장과", "ko", HOSPITAL + "cardiology", "other-hospital"),
    ("neuroblastma", "en", PEDKG + "neuroblastoma", "division"),
    (
        "Malignant neoplasm of kidney, except renal pelvis",
        "en",
        "https://icd.who.int/browse10/2019/en#/C64",
        "icd10",
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    project = tmp_path_factory.mktemp("linked")
    for folder in ("ontology", "data", "queries"):
        os.symlink(PROJECT_ROOT / folder, project / folder)
    for args in (
        ("build",),
        (
            "import",
            str(PROJECT_ROOT / "data" / "examples" / "other-hospital.ttl"),
            "--graph",
            "other-hospital",
        ),
        ("import", "--vocabulary", "hpo"),
        ("import", "--vocabulary", "icd10"),
    ):
        done = pedkg(project, *args)
        assert done.returncode == 0, f"pedkg {' '.join(args)}: {done.stderr}"
    running = Server(project / "var" / "store", workers="1", threads="4")
    yield running
    running.stop()


def get(server: Server, path: str, accept: str = "text/html") -> str:
    request = urllib.request.Request(
        server.url + path, headers={"Accept": accept, "Cache-Control": "no-cache"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200, path
        return response.read().decode("utf-8")


def found(server: Server, query: str, lang: str) -> list[dict[str, str]]:
    params = urllib.parse.urlencode({"q": query, "lang": lang, "limit": "20"})
    hits: list[dict[str, str]] = json.loads(get(server, f"/api/search?{params}", "application/json"))["hits"]
    return hits


@pytest.mark.parametrize(("query", "lang", "iri", "graph"), FINDS, ids=[f[3] for f in FINDS])
def test_search_finds_it_and_its_page_names_its_graph(server, query, lang, iri, graph):
    hits = {hit["iri"]: hit for hit in found(server, query, lang)}
    assert iri in hits, f"{query!r} did not find {iri}: {list(hits)}"
    page = get(server, hits[iri]["href"])
    assert graph in page, f"the page of {iri} ({hits[iri]['href']}) does not name its graph {graph!r}"


@pytest.fixture
def tab(server) -> Iterator[Tab]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        opened = Tab(context.new_page(), server.url)
        yield opened
        context.close()
        browser.close()
    opened.stayed_home()


@pytest.mark.parametrize(
    ("query", "lang", "iri", "graph"), FINDS[:2] + FINDS[3:], ids=["hpo", "other-hospital", "icd10"]
)
def test_another_graph_s_page_passes_axe(server, tab, query, lang, iri, graph):
    (hit,) = [h for h in found(server, query, lang) if h["iri"] == iri]
    tab.open(hit["href"])
    tab.page.wait_for_load_state("networkidle")
    tab.shot(f"linked-{graph}")
    bad = serious_violations(tab.page)
    assert not bad, f"axe on {tab.path()}: " + "; ".join(bad)
