"""``/update`` and ``/store``: SPARQL Update and the Graph Store Protocol, for administrators.

They exist only when ``PEDKG_ADMIN_TOKEN`` is set, and then answer only requests
with ``Authorization: Bearer <token>`` (compared in constant time). Each write
changes a copy of the store that is swapped in when complete (see ``store``), so
readers never see half a write. Every write is logged with who, when and how the
number of triples changed; the token is never logged.

A graph sent to ``/store`` is one request body, so ``PEDKG_MAX_REQUEST_BYTES`` bounds it;
past it the answer is 413 naming the setting and ``pedkg import``, which loads a file of any
size on the server (``LARGE_GRAPHS``; ``body`` says the same of a chunked body).
"""

from __future__ import annotations

import hmac
import io
import logging

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ..errors import QueryError, QueryRefused
from ..ingest import doctype, importer
from ..sparql import formats, protocol, update_dataset
from ..sparql import text as sparql_text
from ..store.backend import open_reader, writing
from . import world

blueprint = Blueprint("admin", __name__)
log = logging.getLogger("pedkg.writes")
#: what to do instead of sending a graph larger than a request may be
LARGE_GRAPHS = (
    "load a large graph on the server with `pedkg import FILE --graph NAME` (any size, all or nothing), "
    "or raise PEDKG_MAX_REQUEST_BYTES"
)


def too_large(limit: int) -> str:
    """The 413 of a graph over the request limit: the limit, the setting, and ``pedkg import``."""
    limit_text = "the most PEDKG_MAX_REQUEST_BYTES lets a request carry"
    return f"the graph is larger than {limit} bytes, {limit_text}; {LARGE_GRAPHS}"


@blueprint.before_request
def require_token() -> Response | None:
    token = world().settings.admin_token
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        response = Response("a valid bearer token is required\n", status=401, mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="pedkg"'
        return response
    return None


@blueprint.post("/update")
def update() -> Response:
    asked = protocol.read_update(
        request.content_type or "", request.args.to_dict(flat=False), request.get_data()
    )
    settings = world().settings
    sparql_text.read_update(asked.update, settings.max_nesting, settings.allowed_services)
    text = update_dataset.apply(asked.update, asked.using_graphs, asked.using_named_graphs)
    base = protocol.base_iri(settings.base_iri, request.base_url)
    with writing(settings) as store:
        before = len(store)
        store.update(text, base_iri=base)
        after = len(store)
    _log_write("update", before, after)
    return Response(status=204)


@blueprint.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    graph = _target_graph()
    settings = world().settings
    if request.method in ("GET", "HEAD"):
        store = open_reader(settings)
        if graph is not None and not store.has_graph(graph):
            raise QueryRefused(404, f"no graph {graph}")
        fmt = formats.choose(
            request.headers.get("Accept"), request.args.get("format"), None, formats.offers(True)
        )
        body = ox.serialize(store.triples(graph), format=formats.GRAPH_FORMATS[fmt.name][1]) or b""
        response = Response(body, content_type=fmt.content_type)
        response.vary.add("Accept")
        return response
    triples = _body_triples() if request.method in ("PUT", "POST") else None
    with writing(settings) as store:
        existed = graph is None or store.has_graph(graph)
        if request.method == "DELETE" and not existed:
            raise QueryRefused(404, f"no graph {graph}")
        before = len(store)
        if triples is None:
            store.drop_graph(graph)
        elif request.method == "POST":
            store.add_to_graph(graph, triples)
        else:
            store.replace_graph(graph, triples)
        after = len(store)
    _log_write(f"{request.method} {graph or 'default graph'}", before, after)
    return Response(status=204 if existed or request.method == "DELETE" else 201)


def _target_graph() -> str | None:
    """The graph a Graph Store request names: ``?graph=IRI`` or ``?default``, exactly one."""
    graphs = request.args.getlist("graph")
    if ("default" in request.args) == bool(graphs) or len(graphs) > 1:
        raise QueryRefused(400, "name exactly one graph: ?graph=<IRI> or ?default")
    if graphs and "://" not in graphs[0]:
        raise QueryRefused(400, f"{graphs[0]!r} is not an absolute IRI")
    return graphs[0] if graphs else None


def _body_triples() -> list[ox.Triple]:
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if rdf_format is None or rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        raise QueryRefused(
            415, f"send a graph as Turtle, N-Triples, RDF/XML or JSON-LD, not {media_type or 'untyped'}"
        )
    limit = world().settings.max_request_bytes
    if request.content_length is not None and request.content_length > limit:
        raise QueryRefused(413, too_large(limit))
    body = request.get_data()
    if rdf_format == ox.RdfFormat.RDF_XML:  # entities: what the parser would fetch or expand (doctype)
        refused = doctype.first_refusal(io.BytesIO(body))
        if refused is not None:
            raise QueryError(f"the body is refused: line {refused[0]}: {refused[1]}")
    try:
        parsed = ox.parse(body, format=rdf_format, without_named_graphs=True)
        return [ox.Triple(t.subject, t.predicate, t.object) for t in parsed]
    except SyntaxError as exc:
        reason = importer.REMOTE_CONTEXT if importer.fetches_context(exc) else exc.msg
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise QueryError(f"the body is not valid {media_type}: {where}{reason}") from exc


def _log_write(what: str, before: int, after: int) -> None:
    log.info(
        "write %s by %s: %d -> %d triples (%+d)", what, request.remote_addr, before, after, after - before
    )
