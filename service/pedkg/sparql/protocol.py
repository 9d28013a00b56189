"""The SPARQL 1.1 Protocol's query operation: where the query and the dataset come from.

Reads a request's method, content type, URL parameters and body, and returns the
query with its dataset, or raises ``QueryRefused`` with the status the protocol
prescribes. Parameters the protocol does not name (``format``, ``output``,
``results``, request ids) are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..errors import QueryRefused

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"

Params = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class SparqlRequest:
    query: str | None  # None: no query given (the editor or the service description)
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


def read(method: str, content_type: str, url_params: Params, body: bytes, max_bytes: int) -> SparqlRequest:
    """The query operation a request asks for."""
    media_type = content_type.split(";")[0].strip().lower()
    if method in ("GET", "HEAD"):
        return _from_params(url_params, max_bytes, query_required=False)
    if method != "POST":
        raise QueryRefused(405, f"{method} is not a SPARQL query method; use GET or POST")
    if media_type == FORM:
        try:
            form = parse_qs(_text(body), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            raise QueryRefused(400, f"a form value is not UTF-8 ({exc.reason})") from exc
        params = _merge(url_params, form)
        return _from_params(params, max_bytes, query_required=True)
    if media_type == QUERY_BODY:
        if "query" in url_params:
            raise QueryRefused(400, "the query is given twice: in the body and in the URL")
        if "update" in url_params:
            raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is refused")
        request = _from_params(url_params, max_bytes, query_required=False)
        return SparqlRequest(_text(body), request.default_graphs, request.named_graphs, request.format)
    if media_type == UPDATE_BODY:
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is refused")
    raise QueryRefused(
        415, f"a query is POSTed as {FORM} or {QUERY_BODY}, not {media_type or 'an untyped body'}"
    )


def _from_params(params: Params, max_bytes: int, query_required: bool) -> SparqlRequest:
    if params.get("update"):
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is refused")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise QueryRefused(400, "the query parameter is given more than once")
    if not queries and query_required:
        raise QueryRefused(400, "no query: send it in the query parameter")
    query = queries[0] if queries else None
    if query is not None and len(query.encode()) > max_bytes:
        raise QueryRefused(413, f"the query is longer than {max_bytes} bytes")
    if query is not None and not query.strip():
        raise QueryRefused(400, "the query is empty")
    formats = params.get("format", [])
    return SparqlRequest(
        query,
        tuple(params.get("default-graph-uri", [])),
        tuple(params.get("named-graph-uri", [])),
        formats[0] if formats else None,
    )


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryRefused(400, f"the request body is not UTF-8 ({exc.reason} at byte {exc.start})") from exc


def _merge(first: Params, second: Params) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {k: list(v) for k, v in first.items()}
    for key, values in second.items():
        merged.setdefault(key, []).extend(values)
    return merged
