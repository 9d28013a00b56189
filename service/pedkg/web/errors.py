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


def register(app: Flask) -> None:
    @app.errorhandler(QueryRefused)
    def refused(exc: QueryRefused) -> Response:
        extra = {"Retry-After": "5"} if exc.status == 503 else {}
        return plain(exc.status, exc.reason, **extra)

    @app.errorhandler(QueryError)
    def bad_query(exc: QueryError) -> Response:
        return plain(400, str(exc))

    @app.errorhandler(QueryTimeout)
    def timeout(exc: QueryTimeout) -> Response:
        return plain(503, str(exc))

    @app.errorhandler(StoreError)
    def no_store(exc: StoreError) -> Response:
        return plain(503, f"the store is not available: {exc}", **{"Retry-After": "30"})

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Response:
        return plain(404, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = plain(exc.code or 500, f"{exc.name}: {exc.description}")
        if exc.code == 405:
            response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")
        return plain(500, "internal error; it has been logged")
