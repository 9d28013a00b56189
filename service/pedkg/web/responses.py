"""Data responses: the headers every answer meant for programs carries, set in one place.

A data response (SPARQL results, RDF, JSON, TSV, the dumps) is readable from any origin
(``Access-Control-Allow-Origin: *``, with pedkg's own headers exposed to scripts), says
``Vary: Accept`` when ``Accept`` chose it, says when the row cap cut it
(``Pedkg-Result-Truncated``, ``Pedkg-Row-Limit``) and, for a download, names its file
(``Content-Disposition``). Blueprints whose every answer is cross-origin, errors and
preflights included (``/sparql``, ``/reconcile``), call ``cross_origin`` from a hook.
Security headers are not set here: web/headers.py sets them on everything.
"""

from __future__ import annotations

from flask import Response, request

from ..sparql.formats import Format

TRUNCATED = "Pedkg-Result-Truncated"
ROW_LIMIT = "Pedkg-Row-Limit"
EXPOSED = f"{TRUNCATED}, {ROW_LIMIT}, Content-Type"
PREFLIGHT_MAX_AGE = "86400"
CROSS_ORIGIN = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED))


def data_response(
    body: bytes | str,
    fmt: Format | str,
    *,
    status: int = 200,
    vary: bool = True,
    truncated_at: int | None = None,
    filename: str | None = None,
    inline: bool = False,
) -> Response:
    """``body`` in ``fmt`` (a Format, or a full Content-Type) with the data headers.

    ``vary``: ``Accept`` chose the format (False where the URL alone fixes it: a suffix
    document, a dump, an API with one format). ``truncated_at``: the row limit the
    result was cut at (None: complete). ``filename``: offer the body as this file, an
    attachment unless ``inline``.
    """
    content_type = fmt.content_type if isinstance(fmt, Format) else fmt
    headers = data_headers(
        content_type, vary=vary, truncated_at=truncated_at, filename=filename, inline=inline
    )
    return Response(body, status=status, headers=headers)


def data_headers(
    content_type: str,
    *,
    vary: bool = True,
    truncated_at: int | None = None,
    filename: str | None = None,
    inline: bool = False,
) -> list[tuple[str, str]]:
    """The headers of a data response, as ``data_response`` says (also for web/sparql_direct.py,
    which answers without Flask); the length is the server's to add."""
    headers = [("Content-Type", content_type), *CROSS_ORIGIN]
    if vary:
        headers.append(("Vary", "Accept"))
    if truncated_at is not None:
        headers += [(TRUNCATED, "true"), (ROW_LIMIT, str(truncated_at))]
    if filename is not None:
        kind = "inline" if inline else "attachment"
        headers.append(("Content-Disposition", f'{kind}; filename="{filename}"'))
    return headers


def cross_origin(response: Response, methods: str | None = None, headers: str | None = None) -> Response:
    """Let a page on any origin read ``response``; with ``methods``, a preflight (``OPTIONS``) is
    also told the methods and request ``headers`` allowed, remembered for a day."""
    for name, value in CROSS_ORIGIN:
        response.headers[name] = value
    if methods is not None and request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = methods
        response.headers["Access-Control-Allow-Headers"] = headers or "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
