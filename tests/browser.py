"""Shared parts of the browser tests: Debian's chromium driven by Playwright, and axe-core.

Playwright never downloads a browser here (``executable_path`` is Debian's chromium), and
axe-core comes from npm with the web assets. A tab records every request, script error
and Content-Security-Policy refusal, so a test can assert the page stayed on 127.0.0.1.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from pedkg.config import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = PROJECT_ROOT / "service" / "pedkg" / "web" / "assets" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 15_000


def require_chromium() -> None:
    """Skip a browser test module where chromium is missing; under CI that is a failure."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page, as readable lines.

    axe is evaluated through DevTools rather than added as a ``<script>``: the pages'
    Content-Security-Policy forbids inline scripts and stays in force this way.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Tab:
    """A browser page that records every request it makes and every script error."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        # a fetch the Content-Security-Policy blocks never becomes a request: it shows here
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and self.errors.append(message.text),
        )
        page.set_default_timeout(TIMEOUT_MS)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)

    def path(self) -> str:
        parts = urllib.parse.urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def stayed_home(self) -> None:
        assert self.requests, "the page made no request at all"
        away = [url for url in self.requests if urllib.parse.urlsplit(url).hostname != "127.0.0.1"]
        assert not away, f"requests left 127.0.0.1: {away}"
        assert not self.errors, f"script errors or blocked loads: {self.errors}"
