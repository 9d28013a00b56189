"""The web view of ``pedkg.views.search``: label, synonym and code search at ``/search`` and ``/api/search``.

Both read the store version's search index file (``views.search.index_for``), made with the
version and opened read-only by every worker. ``graph=`` keeps the entities of one graph
(its name as ``pedkg graphs`` shows it, or its IRI). pedkg's own entities link to their
page at ``/id/``; any other IRI to the page of any resource (``resource.page``).
The page works without JavaScript (a GET form); ``static/search.js`` turns the header's
search box into an autocomplete over ``/api/search``. The API answers any origin (CORS)
and reports bad parameters as ``{"error": {"status", "message"}}`` with 400.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, render_template, request

from ..errors import QueryError, QueryRefused, QueryTimeout, StoreError
from ..views import search
from . import chrome, responses, world
from .urls import iri_href, link

blueprint = Blueprint("search", __name__)

MAX_QUERY = 200  # characters: longer is not a label anyone types
DEFAULT_LIMIT = 10
MAX_LIMIT = 50  # the API caps ``limit`` here; the page shows this many


class BadParameter(ValueError):
    """A search parameter out of range; the message names it."""


def _parameters(lang: str | None = None) -> tuple[str, str, str | None, int]:
    """``q``, ``lang``, ``type`` and ``limit`` from the query string, checked (``graph``: ``_graph``).

    The API checks ``lang`` (default English); the page passes the reader's language.
    """
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        raise BadParameter(f"q is longer than {MAX_QUERY} characters")
    if lang is None:
        lang = request.args.get("lang") or "en"
        if lang not in chrome.LANGUAGES:
            raise BadParameter(f"lang must be one of {', '.join(chrome.LANGUAGES)}, not {lang!r}")
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw_limit)
    except ValueError:
        raise BadParameter(f"limit must be a whole number, not {raw_limit!r}") from None
    if limit < 1:
        raise BadParameter("limit must be at least 1")
    return q, lang, request.args.get("type") or None, min(limit, MAX_LIMIT)


def _index() -> search.SearchIndex:
    return search.index_for(world().pool)


def _chosen(
    what: str, wanted: str | None, resolve: Callable[[str], str | None], offered: Callable[[], list[str]]
) -> str | None:
    """What the asked-for ``what`` (a type, a graph) names: None for all; an unknown name is a bad
    parameter naming the ``offered`` ones."""
    if not wanted:
        return None
    found = resolve(wanted)
    if found is None:
        raise BadParameter(f"unknown {what} {wanted[:80]!r}; one of: {', '.join(offered())}")
    return found


def _type(index: search.SearchIndex, wanted: str | None) -> str | None:
    """The CURIE of the asked-for type (None: any type)."""
    return _chosen("type", wanted, index.type_curie, index.types)


def _graph(index: search.SearchIndex) -> str | None:
    """The IRI of the asked-for graph (None: every graph)."""
    return _chosen("graph", request.args.get("graph"), index.graph_iri, index.graph_names)


def resource_href(iri: str, keep_lang: bool) -> str:
    """The page of any IRI in the store (``resource.page``), keeping the reader's ``?lang=`` on a
    page (not in the API's answers)."""
    return link("resource.page", iri=iri, **({} if keep_lang else {"lang": None}))


def _linked(hits: list[search.Hit], page: bool) -> list[search.Hit]:
    """Hits with a link each: pedkg's own pages as the view made them (on the page with the reader's
    language kept), any other IRI to its resource page."""
    if page:
        return [
            replace(hit, href=iri_href(hit.iri) if hit.href else resource_href(hit.iri, True)) for hit in hits
        ]
    return [hit if hit.href else replace(hit, href=resource_href(hit.iri, False)) for hit in hits]


def _json(body: dict[str, Any], status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return responses.data_response(text, "application/json; charset=utf-8", status=status, vary=False)


def _error(status: int, message: str) -> Response:
    return _json({"error": {"status": status, "message": message}}, status)


@blueprint.get("/api/search")
def api() -> Response:
    """Hits as JSON, best first: the autocomplete's source and the page's machine twin."""
    try:
        q, lang, wanted, limit = _parameters()
        if not q:
            raise BadParameter("q is required: the text to search for")
        index = _index()
        wanted = _type(index, wanted)
        graph = _graph(index)
    except BadParameter as exc:
        return _error(400, str(exc))
    except (QueryError, QueryTimeout, QueryRefused, StoreError) as exc:
        return _error(503, f"the search index could not be read: {exc}")
    hits = [hit.as_dict() for hit in _linked(index.search(q, lang, wanted, limit, graph), page=False)]
    return _json({"query": q, "lang": lang, "type": wanted, "graph": graph, "limit": limit, "hits": hits})


@blueprint.get("/search")
def page() -> Response:
    """The results page: a GET form and a list of hits, no JavaScript needed."""
    lang = chrome.reader_language()
    context: dict[str, Any] = {"q": request.args.get("q", ""), "wanted": None, "hits": None, "types": []}
    status = 200
    try:
        q, _, wanted, _ = _parameters(lang)
        context["q"] = q
        index = _index()
        context["types"] = index.type_options(lang)
        context["wanted"] = wanted = _type(index, wanted)
        context["graph"] = graph = _graph(index)
        if q:
            context["hits"] = _linked(index.search(q, lang, wanted, MAX_LIMIT, graph), page=True)
            context["api"] = link("search.api", q=q, lang=lang, type=wanted, graph=graph, limit=MAX_LIMIT)
    except BadParameter as exc:
        context["error"], status = str(exc), 400
    except (QueryError, QueryTimeout, QueryRefused, StoreError) as exc:
        context["error"], status = str(exc), 503
    html = render_template("search.html", **context)
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    if context.get("api"):
        response.headers["Link"] = f'<{context["api"]}>; rel="alternate"; type="application/json"'
    return response
