"""What an entity URL answers, page, RDF or 404, for ``/id/<name>`` and ``/resource?iri=`` alike.

The two routes differ only in their URLs (``Address``): ``/id/X`` names its format documents
by suffix (``/id/X.ttl``), ``/resource`` by ``format=`` (``/resource?iri=...&format=turtle``).
Everything else is one code path: the page renders ``entity.html`` from the display model
(``views.entity.describe``: one query), the RDF is ``views.entity_rdf.graph_of`` as a data
response (web/responses.py), every 200 lists its canonical URL and one alternate per format
in a ``Link`` header, and an IRI that is in no statement is a 404, a page for browsers and
``text/plain`` for everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, render_template, request

from ..sparql import formats
from ..views import entity as entity_view
from ..views import entity_rdf
from . import chrome, responses, world
from .entity_html import EntityHtml
from .urls import link

#: the entity's formats, in the order offered (the first is the default)
OFFERS = [formats.GRAPH_FORMATS[name][0] for name in ("turtle", "jsonld", "ntriples", "rdfxml")]


@dataclass(frozen=True)
class Address:
    """The URLs of one entity: ``name`` for pedkg's own (``/id/<name>``), else ``iri`` (``/resource``)."""

    iri: str
    name: str | None = None

    def canonical(self) -> str:
        if self.name is not None:
            return link("entities.resource", name=self.name, _external=True, lang=None)
        return link("resource.page", iri=self.iri, _external=True, lang=None)

    def document(self, fmt: formats.Format, external: bool = False) -> str:
        """The format-specific document: never varies with ``Accept``."""
        if self.name is not None:
            return link("entities.resource", name=f"{self.name}.{fmt.suffix}", _external=external, lang=None)
        return link("resource.page", iri=self.iri, format=fmt.name, _external=external, lang=None)

    def paged(self, group: str, page: int) -> str:
        """This page with another page of one group, in the reader's language."""
        if self.name is not None:
            return link("entities.resource", name=self.name, group=group, page=page, _anchor=group)
        return link("resource.page", iri=self.iri, group=group, page=page, _anchor=group)

    def links(self) -> str:
        """``Link`` header: the canonical page and one alternate document per format."""
        alternates = [
            f'<{self.document(fmt, external=True)}>; rel="alternate"; type="{fmt.media_type}"'
            for fmt in OFFERS
        ]
        return ", ".join([f'<{self.canonical()}>; rel="canonical"', *alternates])


def page(address: Address) -> Response:
    """The entity's page in the reader's language, one page of each group (``group=``, ``page=``)."""
    paging: dict[str, int] = {}
    group = request.args.get("group")
    if group:
        paging[group] = request.args.get("page", 1, type=int) or 1
    size = current_app.config.get("PEDKG_ENTITY_PAGE_SIZE", entity_view.PAGE_SIZE)  # tests page small groups
    lang = chrome.reader_language()
    entity = entity_view.describe(world().pool, address.iri, lang, paging, size)
    html = render_template(
        "entity.html",
        entity=entity,
        html=EntityHtml(lang),
        address=address,
        downloads=[(fmt, address.document(fmt)) for fmt in OFFERS],
        query_link=link("sparql.endpoint", query=entity_rdf.sparql_about(address.iri)),
    )
    return Response(html, content_type="text/html; charset=utf-8")


def data(iri: str, fmt: formats.Format, vary: bool) -> Response:
    """The entity's RDF in ``fmt``, cut at the row limit (and saying so)."""
    row_limit = world().settings.row_limit
    answer = entity_rdf.graph_of(world().pool, iri, fmt.name, row_limit)
    return responses.data_response(
        answer.body, fmt, vary=vary, truncated_at=row_limit if answer.truncated else None
    )


def not_found(iri: str, message: str, as_page: bool) -> Response:
    if as_page:
        html = render_template("entity_404.html", iri=iri)
        return Response(html, status=404, content_type="text/html; charset=utf-8")
    return Response(message + "\n", status=404, mimetype="text/plain")
