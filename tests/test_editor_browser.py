"""The query editor and the catalogue in a real headless Chromium against the real server.

Debian's ``chromium`` driven by Playwright (never ``playwright install``). Every request a
page makes is recorded, and each test ends by checking that none left 127.0.0.1.
Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
from browser import ARGS, CHROMIUM, require_chromium  # noqa: E402 - after the skip above
from browser import Tab as Visit  # noqa: E402

require_chromium()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser, server) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    visiting = Visit(context.new_page(), server.url)
    yield visiting
    context.close()
    visiting.stayed_home()


def table_rows(page) -> list[list[str]]:
    """The rows of YASGUI's result table, as cell texts (the row number column left out)."""
    return page.eval_on_selector_all(
        ".yasr table.dataTable tbody tr",
        "rows => rows.map(r => [...r.querySelectorAll('td')].slice(1).map(td => td.innerText.trim()))",
    )


def wait_for_rows(page, count: int) -> list[list[str]]:
    page.wait_for_function(
        "n => document.querySelectorAll('.yasr table.dataTable tbody tr').length === n", arg=count
    )
    return table_rows(page)


def test_the_editor_runs_an_example_and_its_permalink_reproduces_it(visit, browser, server):
    page = visit.page
    visit.open("/sparql")
    page.wait_for_selector(".yasgui .CodeMirror")
    assert page.is_hidden("form.query-form"), "YASGUI is up, so the no-JavaScript form gives way"
    editor = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "PREFIX pko: <https://w3id.org/pedkg/ontology/>" in editor
    assert "PREFIX MONDO: <http://purl.obolibrary.org/obo/MONDO_>" in editor

    page.click("a.example[data-name='tumours-by-icdo']")
    rows = wait_for_rows(page, 11)
    assert any("pedkg:neuroblastoma" in row[0] and "9500/3" in row for row in rows), rows
    visit.shot("editor-example-result")

    permalink = page.get_attribute("#live-links a.permalink", "href")
    assert permalink.startswith("/sparql?query=")
    assert page.url == server.url + permalink, "the address bar is the permalink"
    downloads = page.eval_on_selector_all("#live-links ul.downloads a", "links => links.map(a => a.href)")
    assert [urllib.parse.parse_qs(urllib.parse.urlsplit(u).query)["format"][0] for u in downloads] == [
        "json",
        "xml",
        "csv",
        "tsv",
    ]
    with urllib.request.urlopen(next(u for u in downloads if "format=csv" in u), timeout=10) as response:
        assert response.headers["Content-Disposition"] == 'attachment; filename="query.csv"'
        assert len(list(csv.DictReader(io.StringIO(response.read().decode())))) == 11

    again = Visit(page.context.new_page(), server.url)
    again.open(permalink)
    assert wait_for_rows(again.page, 11) == rows
    again.stayed_home()


def test_typing_a_known_prefix_declares_it_and_looks_up_nothing_elsewhere(visit):
    page = visit.page
    visit.open("/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE {\n  ?s  ?o }"}))
    page.wait_for_selector(".yasgui .CodeMirror")
    page.evaluate(
        "() => { const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus(); cm.setCursor({line: 1, ch: 5}); }"
    )
    page.keyboard.type("skos:pref")
    page.keyboard.press("Control+Space")  # ask for completions: none may come from outside
    page.wait_for_timeout(500)
    text = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert text.startswith("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"), text


def test_a_cut_result_shows_the_truncation_banner(visit):
    page = visit.page
    visit.open("/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}))
    page.wait_for_selector("#live-truncated:not([hidden])")
    assert "only the first 1000 rows are shown" in page.inner_text("#live-truncated")
    page.click("a.example[data-name='support-programs']")
    page.wait_for_selector("#live-truncated", state="hidden")


def test_the_catalogue_runs_a_query_with_a_typed_value_and_opens_it_in_the_editor(visit):
    page = visit.page
    visit.open("/queries/code-lookup")
    page.fill("#param-code", "9500/3")
    with page.expect_navigation():
        page.click("form.param-form button[type=submit]")
    assert "code=9500%2F3" in page.url
    cells = page.eval_on_selector_all("table.results tbody td", "tds => tds.map(td => td.innerText)")
    assert "pedkg:neuroblastoma" in cells and "신경모세포종" in cells and "9500/3" in cells
    assert page.get_attribute("table.results span[lang=ko]", "lang") == "ko"
    visit.shot("catalogue-code-lookup")

    with page.expect_navigation():
        page.click("a.open-editor")
    rows = wait_for_rows(page, 1)
    assert "pedkg:neuroblastoma" in rows[0]
    assert 'VALUES ?code { "9500/3" }' in page.evaluate(
        "() => document.querySelector('.CodeMirror').CodeMirror.getValue()"
    )


def test_the_korean_pages_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    visit = Visit(context.new_page(), server.url)
    visit.open("/sparql")
    visit.page.wait_for_selector(".yasgui .CodeMirror")
    assert visit.page.get_attribute("html", "lang") == "ko"
    assert visit.page.inner_text("h1") == "SPARQL 질의 편집기"
    visit.shot("editor-ko-phone")
    visit.open("/queries")
    assert visit.page.inner_text("h1") == "저장된 질의"
    visit.shot("catalogue-ko-phone")
    context.close()
    visit.stayed_home()


def test_without_javascript_the_form_and_table_work(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    visit = Visit(context.new_page(), server.url)
    visit.open("/sparql")
    visit.page.fill(
        "textarea#query-text", "SELECT ?d WHERE { ?d a <https://w3id.org/pedkg/ontology/Disease> }"
    )
    with visit.page.expect_navigation():
        visit.page.click("form.query-form button[type=submit]")
    assert visit.page.locator("table.results tbody tr").count() == 17
    visit.shot("editor-no-javascript")
    context.close()
    visit.stayed_home()
