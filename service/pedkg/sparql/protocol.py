"""The SPARQL Protocol's two operations: what a request asks for, and the base it resolves against.

Reads a request's method, content type, URL parameters and body, and returns the query or
the update with its dataset and version, or raises ``QueryRefused`` with the status the
protocol prescribes (SPARQL 1.1 Protocol, and the 1.2 draft's ``version`` parameter).
Bodies are read by ``body_text``'s one rule (UTF-8 only). Parameters the protocol does not
name (``format``, ``output``, ``results``, request ids) are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from werkzeug.http import parse_options_header

from .. import body_text
from ..errors import QueryRefused
from ..namespaces import IriError, checked_iri

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
#: the operation versions a request may announce (the ``version`` parameter); the engine reads
#: SPARQL 1.1 with 1.2's VERSION and LANGDIR, so 1.2-only syntax (triple terms) is a 400 saying where
VERSIONS = ("1.0", "1.1", "1.2", "1.2-basic")

Params = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class SparqlRequest:
    query: str | None  # None: no query given (the editor or the service description)
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    version: str | None = None


@dataclass(frozen=True)
class UpdateRequest:
    update: str
    using_graphs: tuple[str, ...]  # using-graph-uri: a USING clause for each operation
    using_named_graphs: tuple[str, ...]  # using-named-graph-uri: a USING NAMED clause
    version: str | None = None


def read(method: str, content_type: str, url_params: Params, body: bytes, max_bytes: int) -> SparqlRequest:
    """The query operation a request asks for."""
    media_type = body_text.media_type(content_type)
    if method in ("GET", "HEAD"):
        return _from_params(url_params, max_bytes, query_required=False)
    if method != "POST":
        raise QueryRefused(405, f"{method} is not a SPARQL query method; use GET or POST")
    if media_type == FORM:
        params = _merge(url_params, body_text.form_fields(body, content_type))
        return _from_params(params, max_bytes, query_required=True)
    if media_type == QUERY_BODY:
        if "query" in url_params:
            raise QueryRefused(400, "the query is given twice: in the body and in the URL")
        if "update" in url_params:
            raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is refused")
        text = body_text.decode(body, content_type)
        if not text.strip():
            raise QueryRefused(400, "the query is empty")
        request = _from_params(_with_media_version(url_params, content_type), max_bytes, query_required=False)
        return replace(request, query=text)
    if media_type == UPDATE_BODY:
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is refused")
    raise QueryRefused(
        415, f"a query is POSTed as {FORM} or {QUERY_BODY}, not {media_type or 'an untyped body'}"
    )


def read_update(content_type: str, url_params: Params, body: bytes) -> UpdateRequest:
    """The update operation a POST asks for: a form with ``update=``, or the update as the body."""
    media_type = body_text.media_type(content_type)
    if media_type == UPDATE_BODY:
        if "update" in url_params:
            raise QueryRefused(400, "the update is given twice: in the body and in the URL")
        params: Params = _with_media_version(url_params, content_type)
        text = body_text.decode(body, content_type)
    elif media_type == FORM:
        params = _merge(url_params, body_text.form_fields(body, content_type))
        updates = params.get("update", [])
        if len(updates) != 1:
            raise QueryRefused(400, "give the update exactly once, in the update parameter")
        text = updates[0]
    else:
        raise QueryRefused(415, f"an update is POSTed as {UPDATE_BODY} or {FORM}")
    if "query" in params:
        raise QueryRefused(400, "a query is sent to /sparql; /update takes the update parameter")
    if not text.strip():
        raise QueryRefused(400, "the update is empty")
    return UpdateRequest(
        text,
        _graphs(params, "using-graph-uri"),
        _graphs(params, "using-named-graph-uri"),
        _version(params),
    )


def base_iri(configured: str, endpoint_url: str) -> str | None:
    """The IRI a request's relative IRIs resolve against (SPARQL Query 4.1.1): the configured
    base, else the URL the request was sent to; None if that URL is not an IRI (a forged Host)."""
    if configured:
        return configured
    try:
        return checked_iri(endpoint_url)
    except IriError:
        return None


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
        _graphs(params, "default-graph-uri"),
        _graphs(params, "named-graph-uri"),
        formats[0] if formats else None,
        _version(params),
    )


def _graphs(params: Params, name: str) -> tuple[str, ...]:
    """A dataset parameter's graphs, each an absolute IRI (400 otherwise)."""
    graphs = tuple(params.get(name, []))
    for graph in graphs:
        try:
            checked_iri(graph)
        except IriError as exc:
            raise QueryRefused(400, f"{name} {graph[:200]!r} is not an absolute IRI ({exc.reason})") from exc
    return graphs


def _version(params: Params) -> str | None:
    """The version the request announces, at most once and one this endpoint knows (400 otherwise)."""
    given = params.get("version", [])
    if len(given) > 1:
        raise QueryRefused(400, "the version is given more than once")
    if given and given[0] not in VERSIONS:
        raise QueryRefused(400, f"version {given[0][:40]!r} is not one of {', '.join(VERSIONS)}")
    return given[0] if given else None


def _with_media_version(url_params: Params, content_type: str) -> Params:
    """A direct POST announces its version as a media-type parameter; it counts as a ``version``."""
    announced = parse_options_header(content_type)[1].get("version")
    if announced is None:
        return url_params
    return _merge(url_params, {"version": [announced]})


def _merge(first: Params, second: Params) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {k: list(v) for k, v in first.items()}
    for key, values in second.items():
        merged.setdefault(key, []).extend(values)
    return merged
