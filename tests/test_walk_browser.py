"""A reader's walk through the pages in Debian's Chromium, checked with axe-core on each page.

home → a node of the division's diagram → that entity's page → the Korean version of it
→ the header's search box, used with the keyboard only (type, ArrowDown, Enter) → another
entity's page. Each page is saved to tests/artifacts/walk-*.png and checked with axe-core
(from npm, node_modules of the web assets) against WCAG 2.1 A and AA: no serious or
critical violation may remain. Every request stays on 127.0.0.1.

axe is evaluated through DevTools (``page.evaluate`` of the file's text) rather than added
as a ``<script>`` tag: the pages' Content-Security-Policy forbids inline scripts, and
evaluating keeps that policy in force, so a page that breaks it still fails the walk.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from browser import ARGS, AXE, CHROMIUM, Tab, require_chromium, serious_violations  # noqa: E402 - after the skip

require_chromium()
if not AXE.exists():
    pytest.fail(f"{AXE} is missing: make installs the web assets (npm ci)", pytrace=False)


class Walk(Tab):
    def check(self, name: str) -> None:
        """Save the page's picture, then fail on any serious or critical axe violation."""
        self.shot(f"walk-{name}")
        bad = serious_violations(self.page)
        assert not bad, f"axe on {self.path()}: " + "; ".join(bad)


@pytest.fixture
def walk(server) -> Iterator[Walk]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        walking = Walk(context.new_page(), server.url)
        yield walking
        context.close()
        browser.close()
    walking.stayed_home()


def test_home_diagram_entity_korean_and_keyboard_search(walk):
    page = walk.page
    page.goto(walk.base + "/")
    assert page.get_attribute("html", "lang") == "en"
    walk.check("1-home")

    node = page.locator("figure.diagram svg a[href='/id/neuroblastoma']:visible").first
    with page.expect_navigation():
        node.click()
    assert walk.path() == "/id/neuroblastoma"
    assert "neuroblastoma" in page.inner_text("h1")
    walk.check("2-entity")

    with page.expect_navigation():
        page.click("header.site a.language")
    assert page.get_attribute("html", "lang") == "ko"
    assert walk.path() == "/id/neuroblastoma?lang=ko"
    assert "신경모세포종" in page.inner_text("h1")
    walk.check("3-entity-ko")

    box = page.locator("#site-search")
    box.focus()
    page.keyboard.type("윌름스", delay=40)
    page.wait_for_selector("#site-search-list [role=option][id^='site-search-option-']")
    assert box.get_attribute("aria-expanded") == "true"
    first = page.locator("#site-search-list [role=option]").first
    assert "윌름스종양" in first.inner_text()
    walk.check("4-suggestions-ko")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert walk.path() == "/id/wilms-tumor?lang=ko"
    assert page.get_attribute("html", "lang") == "ko"
    assert "윌름스종양" in page.inner_text("h1")
    walk.check("5-other-entity-ko")


def test_search_page_and_escape_on_a_phone(walk):
    page = walk.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(walk.base + "/search?q=%ED%98%88%EC%86%8C%ED%8C%90&lang=ko")
    assert page.locator("ol.hits a.hit-label").first.inner_text() == "혈소판감소증"
    walk.check("6-search-ko-phone")
    box = page.locator("#site-search")
    box.focus()
    page.keyboard.type("C64", delay=40)
    page.wait_for_selector("#site-search-list:not([hidden]) [role=option]")
    page.keyboard.press("Escape")
    assert page.is_hidden("#site-search-list") and box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert box.input_value() == ""


@pytest.mark.parametrize(
    "path",
    [
        "/sparql",
        "/sparql?lang=ko",
        "/queries/code-lookup",
        "/ontology",
        "/void",
        "/mappings",
        "/mappings?lang=ko",
        "/resource?iri=http%3A%2F%2Fpurl.obolibrary.org%2Fobo%2FMONDO_0005072",
    ],
)
def test_the_other_page_families_pass_axe(walk, path):
    walk.page.goto(walk.base + path)
    walk.page.wait_for_load_state("networkidle")
    walk.check("7-" + path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-"))


def test_without_javascript_the_header_search_is_a_form(server):
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        walking = Walk(context.new_page(), server.url)
        walking.page.goto(server.url + "/id/neuroblastoma?lang=ko")
        walking.page.fill("#site-search", "C64")
        with walking.page.expect_navigation():
            walking.page.keyboard.press("Enter")
        assert walking.path() == "/search?lang=ko&q=C64"
        assert walking.page.locator("ol.hits a.hit-label").first.inner_text() == "윌름스종양"
        walking.shot("walk-7-search-no-javascript")
        context.close()
        browser.close()
    walking.stayed_home()
