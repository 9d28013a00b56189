"""Request bodies sent without a length (``Transfer-Encoding: chunked``), read before the application.

Werkzeug bounds such a stream at ``MAX_CONTENT_LENGTH`` by stopping there without an error,
so a chunked query longer than ``PEDKG_MAX_REQUEST_BYTES`` would be cut short and run as its
prefix; and a malformed chunk raises from inside the server's reader, deep in a view, as a
500. This middleware reads a chunked body up to the limit first: past it the answer is 413,
a body that cannot be read is a 400 that says why, and the application gets the bytes with
their ``Content-Length`` like any other request. A body with a ``Content-Length`` within the
limit is read whole too, so one that ends early (the client gone half-way) is a 400 rather
than a shorter query run as if it were the whole; a longer one is werkzeug's 413. A GET or
HEAD with a body is a 400: answering it as if the body were absent would answer another request.
A 413 names ``PEDKG_MAX_REQUEST_BYTES``, and says what to do instead where the application
gives advice for the path or its subpaths (``/store``: ``pedkg import``, see ``graph_store``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .errors import plain_before_flask

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


#: methods whose requests have no body: one sent anyway would be ignored, so it is refused
BODILESS = frozenset({"GET", "HEAD"})
NO_BODY = "a GET or HEAD request carries no body; send a query in the URL, or POST it"


class BoundedBody:
    """WSGI middleware: a body is read whole (at most ``max_bytes``) before ``app`` runs."""

    def __init__(self, app: WSGIApplication, max_bytes: int, advice: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.advice = dict(advice or {})  # path (and its subpaths) -> what to do instead of a body too long

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        length = environ.get("CONTENT_LENGTH", "")
        # (werkzeug ignores a Content-Length beside chunked, and so does this)
        expected = None if chunked or not length.isdigit() else int(length)
        bodiless = environ.get("REQUEST_METHOD") in BODILESS
        if bodiless and expected:
            return _refuse(start_response, "400 Bad Request", NO_BODY)
        if not chunked and (expected is None or not 0 < expected <= self.max_bytes):
            return self.app(environ, start_response)
        try:
            body = environ["wsgi.input"].read(self.max_bytes + 1 if expected is None else expected)
        except Exception as exc:  # the server's chunk parser: whatever it raises, the body was malformed
            return _refuse(start_response, "400 Bad Request", f"the request body could not be read: {exc}")
        if bodiless and body:
            return _refuse(start_response, "400 Bad Request", NO_BODY)
        if expected is not None and len(body) < expected:
            message = f"the request body ended after {len(body)} of its {expected} bytes"
            return _refuse(start_response, "400 Bad Request", message)
        if len(body) > self.max_bytes:
            message = f"the request body is longer than {self.max_bytes} bytes (PEDKG_MAX_REQUEST_BYTES)"
            advice = _advice_for(self.advice, environ.get("PATH_INFO", ""))
            message = f"{message}; {advice}" if advice else message
            return _refuse(start_response, "413 Content Too Large", message)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)  # the body now has a length, which werkzeug trusts
        return self.app(environ, start_response)


def _refuse(start_response: StartResponse, status: str, message: str) -> list[bytes]:
    # the rest of the body is not read, so the connection cannot carry another request
    return plain_before_flask(start_response, status, message[:400], ("Connection", "close"))


def _advice_for(advice: Mapping[str, str], path: str) -> str | None:
    """The advice of the path, or of the route it is under (``/store`` for ``/store/<name>``)."""
    return next(
        (text for prefix, text in advice.items() if path == prefix or path.startswith(prefix + "/")), None
    )
