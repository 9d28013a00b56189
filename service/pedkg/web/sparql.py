"""``/sparql``: the SPARQL 1.1 Protocol query operation, the editor and the service description.

The view stays thin: ``protocol`` reads the request, ``sparql_text`` checks the query,
``formats`` negotiates, the query pool runs it, and this module assembles the response.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from ..config import Settings
from ..errors import QueryError, QueryRefused, QueryTimeout
from ..namespaces import PREFIXES
from ..sparql import formats, protocol
from ..sparql import text as sparql_text
from ..sparql.pool import QueryAnswer, QueryJob
from ..sparql.service_description import describe
from ..store.backend import open_reader
from . import responses, world
from .urls import link

blueprint = Blueprint("sparql", __name__)

#: what a preflight may ask for: the Protocol's methods and the headers clients send
METHODS = "GET, HEAD, POST, OPTIONS"
REQUEST_HEADERS = "Accept, Content-Type"


@blueprint.after_request
def cors_and_vary(response: Response) -> Response:
    """Every answer of the endpoint, errors and pages included, is cross-origin and negotiated."""
    responses.cross_origin(response, METHODS, REQUEST_HEADERS)
    response.vary.add("Accept")
    return response


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    settings = world().settings
    body = request.get_data(cache=True) if request.method == "POST" else b""
    asked = protocol.read(
        request.method,
        request.content_type or "",
        request.args.to_dict(flat=False),
        body,
        settings.max_request_bytes,
    )
    accept = request.headers.get("Accept")
    if asked.query is None:
        described = formats.choose(accept, asked.format, None, formats.offers(True), page="asked")
        return editor() if described is formats.PAGE else service_description(described)
    try:
        text = sparql_text.read(asked.query, settings.max_nesting, settings.allowed_services)
    except QueryRefused as exc:
        if formats.asks_for_page(accept, asked.format, formats.offers(False)):
            return editor(asked.query, error=exc.reason, status=exc.status)
        raise
    fmt = formats.choose(accept, asked.format, None, formats.offers(text.returns_graph), page="asked")
    if fmt is formats.PAGE:
        return results_page(asked, text)
    answer = run(asked, text, fmt.name)
    return responses.data_response(
        answer.body,
        fmt,
        truncated_at=settings.row_limit if answer.truncated else None,
        filename=f"query.{fmt.suffix}" if request.values.get("download") else None,
    )


def run(asked: protocol.SparqlRequest, text: sparql_text.QueryText, format_name: str) -> QueryAnswer:
    base = protocol.base_iri(world().settings.base_iri, request.base_url)
    return world().pool.run(job(asked, text, format_name, world().settings, base))


def job(
    asked: protocol.SparqlRequest,
    text: sparql_text.QueryText,
    format_name: str,
    settings: Settings,
    base_iri: str | None,
) -> QueryJob:
    """The query job of a request (also web/sparql_direct.py's); ``base_iri`` from ``protocol.base_iri``."""
    assert asked.query is not None
    return QueryJob(
        asked.query,
        format_name,
        text.returns_graph,
        settings.row_limit,
        asked.default_graphs,
        asked.named_graphs,
        union_default=not text.has_from,
        base_iri=base_iri,
    )


def service_description(fmt: formats.Format) -> Response:
    w = world()
    endpoint_iri = link("sparql.endpoint", _external=True, lang=None)
    examples = [
        (q, link("sparql.endpoint", _external=True, _anchor=f"example-{q.name}", lang=None), _form_of(q.text))
        for q in w.catalogue.values()
    ]
    graphs = _graph_names()
    base = protocol.base_iri(w.settings.base_iri, request.base_url)
    federates = bool(w.settings.allowed_services)
    triples = describe(endpoint_iri, graphs, examples, federates=federates, base_iri=base)
    body = (
        ox.serialize(
            triples,
            format=formats.GRAPH_FORMATS[fmt.name][1],
            prefixes={
                "sd": "http://www.w3.org/ns/sparql-service-description#",
                "formats": "http://www.w3.org/ns/formats/",
                "sh": "http://www.w3.org/ns/shacl#",
                "sparql": "http://www.w3.org/ns/sparql#",
            },
        )
        or b""
    )
    return responses.data_response(body, fmt)


def editor(query: str = "", error: str | None = None, status: int = 200, **context: object) -> Response:
    w = world()
    html = render_template(
        "sparql.html",
        query=query or _default_query(),
        error=error,
        examples=list(w.catalogue.values()),
        prefixes=PREFIXES,
        row_limit=w.settings.row_limit,
        **context,
    )
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def results_page(asked: protocol.SparqlRequest, text: sparql_text.QueryText) -> Response:
    """The result as an HTML table: the editor's fallback that needs no JavaScript."""
    assert asked.query is not None
    try:
        answer = run(asked, text, "turtle" if text.returns_graph else "json")
    except (QueryError, QueryTimeout) as exc:
        return editor(asked.query, error=str(exc), status=400 if isinstance(exc, QueryError) else 503)
    if text.returns_graph:
        return editor(asked.query, graph_text=answer.body.decode(), truncated=answer.truncated)
    data = json.loads(answer.body)
    if "boolean" in data:
        return editor(asked.query, boolean=data["boolean"])
    return editor(asked.query, table=data, truncated=answer.truncated)


def _graph_names() -> list[str]:
    """The store's named graphs, asked of the store itself (``GRAPH ?g {}`` finds none on Virtuoso)."""
    return open_reader(world().settings).named_graphs()[:1000]


def _form_of(query_text: str) -> str:
    try:
        return sparql_text.read(query_text, 10_000).form
    except QueryRefused:
        return "SELECT"


def _default_query() -> str:
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX pko: <https://w3id.org/pedkg/ontology/>\n\n"
        "SELECT ?disease ?label WHERE {\n  ?disease a pko:Disease ; rdfs:label ?label .\n}\n"
        "ORDER BY ?label\nLIMIT 50\n"
    )
