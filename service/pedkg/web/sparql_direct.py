"""``GET`` and ``POST /sparql`` asking for data, answered straight from WSGI without Flask.

A point lookup takes the engine a fraction of a millisecond; Flask's request context, routing,
response object and hooks cost the web worker more than that (issue 13's light-path profile:
about a sixth of the server's CPU). So the query operation's common case, a query that passes
its checks and asks for a result format, is answered here, with the headers the Flask view
gives it: ``responses.data_headers`` for an answer, ``errors.answer_of`` for a query that
fails, the endpoint's cross-origin headers and ``Vary: Accept`` on both; the security headers
are added by ``headers.Guard`` as to every answer made outside Flask. Everything else goes on
to the Flask view unchanged, which works it out again: no query (the editor, the service
description), ``HEAD`` and ``OPTIONS``, a page for a browser, a request the protocol or the
text checks refuse, ``406``, a body without a length or longer than the limit, a URL that is
not ASCII. The admission gate, the response cache and the body reader wrap this layer as
they wrap Flask.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_current_url

from ..errors import QueryRefused
from ..sparql import formats, protocol
from ..sparql import text as sparql_text
from . import errors, responses
from .sparql import job

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from . import World

PATH = "/sparql"


class DirectQueries:
    """WSGI middleware in front of Flask: answers ``/sparql`` requests for data, passes on the rest."""

    def __init__(self, app: WSGIApplication, world: World) -> None:
        self.app = app
        self.world = world  # read at each request: tests may swap its pool or settings

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return self.app(environ, start_response)
        planned = self._plan(environ)
        if planned is None:
            return self.app(environ, start_response)
        asked, text, fmt, download = planned
        settings = self.world.settings
        try:
            base = protocol.base_iri(settings.base_iri, get_current_url(environ, strip_querystring=True))
            answer = self.world.pool.run(job(asked, text, fmt.name, settings, base))
        except errors.QUERY_ERRORS as exc:
            status, message, extra = errors.answer_of(exc)
            return _plain(start_response, status, message, extra)
        except Exception:
            errors.log.exception("unexpected error")
            return _plain(start_response, 500, "internal error; it has been logged", {})
        headers = responses.data_headers(
            fmt.content_type,
            truncated_at=settings.row_limit if answer.truncated else None,
            filename=f"query.{fmt.suffix}" if download else None,
        )
        headers.insert(1, ("Content-Length", str(len(answer.body))))
        start_response(_STATUS[200], headers)
        return [answer.body]

    def _plan(
        self, environ: WSGIEnvironment
    ) -> tuple[protocol.SparqlRequest, sparql_text.QueryText, formats.Format, bool] | None:
        """What to run and how to write it, or None when the Flask view answers the request."""
        method = environ.get("REQUEST_METHOD")
        query_string = environ.get("QUERY_STRING", "")
        if method not in ("GET", "POST") or not query_string.isascii():
            return None
        params: dict[str, list[str]] = {}
        # as werkzeug reads ``request.args``: blank values kept, undecodable bytes left quoted
        for key, value in parse_qsl(query_string, keep_blank_values=True, errors="werkzeug.url_quote"):
            params.setdefault(key, []).append(value)
        settings = self.world.settings
        body = b""
        content_type = environ.get("CONTENT_TYPE", "")
        if method == "POST":
            length = environ.get("CONTENT_LENGTH", "")
            if not length.isdigit() or int(length) > settings.max_request_bytes:
                return None  # no length (werkzeug's rules) or too long (its 413)
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)  # for Flask, should it answer after all
        try:
            asked = protocol.read(method, content_type, params, body, settings.max_request_bytes)
            if asked.query is None:
                return None
            text = sparql_text.read(asked.query, settings.max_nesting, settings.allowed_services)
            offered = formats.offers(text.returns_graph)
            fmt = formats.choose(environ.get("HTTP_ACCEPT"), asked.format, None, offered, page="asked")
        except QueryRefused:
            return None
        if fmt is formats.PAGE:
            return None
        download = params.get("download", [])
        if method == "POST" and not download and content_type.split(";")[0].strip().lower() == protocol.FORM:
            # ``request.values``: the URL's parameters, then the form's (which protocol.read found UTF-8)
            download = [v for k, v in parse_qsl(body.decode(), keep_blank_values=True) if k == "download"]
        return asked, text, fmt, bool(download and download[0])


#: status lines as werkzeug writes them
_STATUS = {code: f"{code} {name.upper()}" for code, name in HTTP_STATUS_CODES.items()}


def _plain(start_response: StartResponse, status: int, message: str, extra: dict[str, str]) -> list[bytes]:
    """``errors.plain`` with the endpoint's cross-origin headers, as its Flask hook adds them."""
    body = (message.rstrip() + "\n").encode()
    start_response(
        _STATUS[status],
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *extra.items(),
            *responses.CROSS_ORIGIN,
            ("Vary", "Accept"),
        ],
    )
    return [body]
