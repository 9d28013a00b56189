"""The web view of ``pedkg.errors``: its exceptions mapped to HTTP statuses, once for the whole app.

SPARQL clients get ``text/plain`` messages; only unexpected errors (500) are logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from ..errors import NotFound, QueryError, QueryRefused, QueryTimeout, StoreError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

log = logging.getLogger(__name__)


def plain(status: int, message: str, **headers: str) -> Response:
    response = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers)
    return response


def plain_before_flask(
    start_response: StartResponse, status: str, message: str, *headers: tuple[str, str]
) -> list[bytes]:
    """``plain``'s twin for WSGI middleware that refuses a request before Flask sees it (the body
    reader, the admission gate); ``headers.Guard`` adds the security headers to it."""
    body = (message.rstrip() + "\n").encode("utf-8", "replace")
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))), *headers],
    )
    return [body]


#: pedkg's exceptions a query can end in, each answered as ``answer_of`` says
QUERY_ERRORS = (QueryRefused, QueryError, QueryTimeout, StoreError)


def answer_of(exc: QueryRefused | QueryError | QueryTimeout | StoreError) -> tuple[int, str, dict[str, str]]:
    """The status, message and extra headers of a query's failure: one rule for the Flask views and
    for the direct path of ``/sparql`` (web/sparql_direct.py)."""
    if isinstance(exc, QueryRefused):
        return exc.status, exc.reason, {"Retry-After": "5"} if exc.status == 503 else {}
    if isinstance(exc, QueryError):
        return 400, str(exc), {}
    if isinstance(exc, QueryTimeout):
        return 503, str(exc), {}
    return 503, f"the store is not available: {exc}", {"Retry-After": "30"}


def register(app: Flask) -> None:
    @app.errorhandler(QueryRefused)
    @app.errorhandler(QueryError)
    @app.errorhandler(QueryTimeout)
    @app.errorhandler(StoreError)
    def query_failed(exc: QueryRefused | QueryError | QueryTimeout | StoreError) -> Response:
        status, message, extra = answer_of(exc)
        return plain(status, message, **extra)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Response:
        return plain(404, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = plain(exc.code or 500, f"{exc.name}: {exc.description}")
        if exc.code == 405:  # the methods the path's routes take (werkzeug's routing lists them)
            allowed = getattr(exc, "valid_methods", None) or ["GET", "HEAD", "POST", "OPTIONS"]
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")
        return plain(500, "internal error; it has been logged")
