"""The security headers of every response, set in this one place (an app-wide ``after_request``).

Every answer, pages, API, static files, errors and redirects alike, carries
``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (a query or search in a
URL never leaves for another site) and a Content-Security-Policy chosen by what it is:

- ``PAGE`` for pedkg's HTML pages: scripts, styles, fonts, fetches and forms only from this
  server, no inline script, no ``eval``, no inline style, no plugins, no ``<base>``, and no
  framing by anyone (``frame-ancestors 'none'`` with ``X-Frame-Options: DENY`` for browsers
  that predate it).
- ``EDITOR`` for the SPARQL editor (``/sparql``): ``PAGE``, plus the hash of the one
  ``<style>`` element YASGUI writes (its table column resizer's fixed rules), and ``data:``
  images (CodeMirror drags selected text with a 1-pixel GIF). Everything else
  YASGUI does works under ``PAGE``: it sets styles through the DOM, which CSP allows, and
  draws icons as inline SVG. A new YASGUI whose stylesheet differs fails the browser tests.
- ``PREVIEW`` for the reconciliation preview (``/reconcile/preview``), the one page meant to
  be framed: OpenRefine shows it in an iframe on its own origin (often 127.0.0.1:3333 on a
  reader's computer, so no list of origins can be written down). It has no script at all
  and a single link that opens in a new tab, so framing it risks nothing; it gets no
  ``frame-ancestors`` and no ``X-Frame-Options``.
- ``DOCUMENT`` for everything else (JSON, RDF, SVG, text, CSS, JavaScript): nothing may load
  and nothing may frame it, should a browser ever render it as a document.

A cached response (web/cache.py) is replayed with the headers it was sent with, and its
304 keeps them too, so a replay is never less protected than the answer it repeats. A
response made outside Flask (the admission gate's 503 and 429, web/admission.py) gets the
``DOCUMENT`` set from ``Guard``, the outermost WSGI layer, which adds them to any response
that has no Content-Security-Policy yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PAGE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: the SPARQL editor's page: ``PAGE`` and one exact stylesheet of YASGUI's (its column resizer's
#: fixed rules, which it adds as a ``<style>`` element); a hash admits that text and nothing else
YASGUI_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
EDITOR = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {YASGUI_STYLE}; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PREVIEW = "default-src 'none'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
DOCUMENT = (
    "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

#: endpoints whose pages others may frame
FRAMED = frozenset({"reconcile.preview"})
#: endpoints whose pages run the SPARQL editor
EDITORS = frozenset({"sparql.endpoint"})
REFERRER_POLICY = "same-origin"


def install(app: Flask) -> None:
    """Run ``secure`` after every request of ``app``, after every blueprint's own hooks."""
    app.after_request(secure)


def policy(endpoint: str | None, mimetype: str | None) -> str:
    """The Content-Security-Policy of a response from ``endpoint`` of this media type."""
    if endpoint in FRAMED:
        return PREVIEW
    if mimetype != "text/html":
        return DOCUMENT
    return EDITOR if endpoint in EDITORS else PAGE


def secure(response: Response) -> Response:
    """Set the security headers, replacing any a view may have set."""
    framed = request.endpoint in FRAMED
    headers = response.headers
    headers["Content-Security-Policy"] = policy(request.endpoint, response.mimetype)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = REFERRER_POLICY
    if framed:
        headers.pop("X-Frame-Options", None)
    else:
        headers["X-Frame-Options"] = "DENY"
    return response


#: the headers of a response made outside Flask: never a page, never framed
OUTSIDE_FLASK = (
    ("Content-Security-Policy", DOCUMENT),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", REFERRER_POLICY),
    ("X-Frame-Options", "DENY"),
)


class Guard:
    """WSGI middleware: a response that reaches the server without a policy gets ``OUTSIDE_FLASK``."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, sent: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = {name.lower() for name, _ in sent}
            if "content-security-policy" not in names:
                sent = [*sent, *((k, v) for k, v in OUTSIDE_FLASK if k.lower() not in names)]
            return start_response(status, sent, exc_info)

        return self.app(environ, start)
