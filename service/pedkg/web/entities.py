"""``/id/<name>``: every pedkg IRI resolves here, as a page for people and as RDF for machines.

Cool URIs, the direct way: ``https://w3id.org/pedkg/X`` is served at ``/id/X`` with a 200,
in the representation ``Accept`` asks for (``Vary: Accept``): HTML when a browser names
``text/html`` above every RDF type, else Turtle, JSON-LD, N-Triples or RDF/XML (Turtle
without ``Accept``), chosen by ``formats.choose``. The suffix URLs ``/id/X.ttl``,
``.jsonld``, ``.nt``, ``.rdf`` (or any other name ``format=`` takes, such as ``.json``) are
the format-specific documents: they never vary, and every response names them in ``Link:
rel="alternate"`` headers, with ``rel="canonical"`` to ``/id/X``. Local names never contain
dots (STYLE.md), so a suffix is never part of a name. The RDF is a data response
(web/responses.py: any origin may read it). An IRI the graph does not mention is a 404:
a page for browsers, ``text/plain`` for everyone else.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from ..errors import NotFound
from ..namespaces import BASE
from ..sparql import formats
from ..views import entity as entity_view
from . import chrome, responses, world
from .urls import link

blueprint = Blueprint("entities", __name__)

#: the entity's formats, in the order offered (the first is the default)
OFFERS = [formats.GRAPH_FORMATS[name][0] for name in ("turtle", "jsonld", "ntriples", "rdfxml")]


@blueprint.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"language_name": language_name}


def language_name(tag: str) -> str:
    """What the fallback mark calls a literal's language, in the reader's language."""
    key = {"en": "entity_fallback", "ko": "entity_fallback_ko"}.get(tag, "entity_fallback_none")
    return chrome.translate(chrome.reader_language(), key)


@blueprint.get("/id/<path:name>")
def resource(name: str) -> Response:
    name, suffix = formats.split_suffix(name, OFFERS)
    iri = BASE + name
    fmt = formats.choose(
        request.headers.get("Accept"), request.args.get("format"), suffix, OFFERS, page="asked"
    )
    try:
        _check_iri(iri)
        response = _page(iri, name) if fmt is formats.PAGE else _data(iri, fmt, vary=suffix is None)
    except NotFound as exc:
        response = _not_found(iri, str(exc), fmt is formats.PAGE)
    if suffix is not None:
        response.headers["Content-Location"] = request.path
    else:
        response.vary.add("Accept")
    if response.status_code == 200:
        response.headers["Link"] = _links(name)
    return response


def _check_iri(iri: str) -> None:
    """A path that makes no valid IRI (a space, ``<``, ``"`` ...) names nothing in the graph."""
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise NotFound(f"{iri} is not a valid IRI, so not in the graph") from exc


def _page(iri: str, name: str) -> Response:
    lang = chrome.reader_language()
    paging: dict[str, int] = {}
    group = request.args.get("group")
    if group:
        paging[group] = request.args.get("page", 1, type=int) or 1
    size = current_app.config.get("PEDKG_ENTITY_PAGE_SIZE", entity_view.PAGE_SIZE)  # tests page small groups
    entity = entity_view.describe(world().pool, iri, lang, paging, size)
    html = render_template(
        "entity.html",
        entity=entity,
        name=name,
        downloads=[
            (fmt, link("entities.resource", name=f"{name}.{fmt.suffix}", lang=None)) for fmt in OFFERS
        ],
        canonical=link("entities.resource", name=name, _external=True, lang=None),
        query_link=link("sparql.endpoint", query=entity_view.sparql_about(iri)),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    return response


def _data(iri: str, fmt: formats.Format, vary: bool) -> Response:
    row_limit = world().settings.row_limit
    answer = entity_view.graph_of(world().pool, iri, fmt.name, row_limit)
    return responses.data_response(
        answer.body, fmt, vary=vary, truncated_at=row_limit if answer.truncated else None
    )


def _not_found(iri: str, message: str, page: bool) -> Response:
    if page:
        html = render_template("entity_404.html", iri=iri)
        response = Response(html, status=404, content_type="text/html; charset=utf-8")
        return response
    return Response(message + "\n", status=404, mimetype="text/plain")


def _links(name: str) -> str:
    """``Link`` header: the canonical page and one alternate document per format."""
    canonical = link("entities.resource", name=name, _external=True, lang=None)
    alternates = [
        f"<{link('entities.resource', name=f'{name}.{fmt.suffix}', _external=True, lang=None)}>; "
        f'rel="alternate"; type="{fmt.media_type}"'
        for fmt in OFFERS
    ]
    return ", ".join([f'<{canonical}>; rel="canonical"', *alternates])
