"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (W3C Recommendation, 21 March 2013).

It exists only when ``PEDKG_ADMIN_TOKEN`` is set, and answers only the bearer token, by the
check ``/update`` uses (``admin_access``). Every write is made in a new store version
(``store.backend.writing``), so readers see it whole or not at all and a refused request
changes nothing; each is logged with its triple counts.

Which graph a request is about (section 4):

- ``/store?graph=IRI``: that graph (indirect identification, 4.2); an IRI that is not
  absolute (pyoxigraph's IRI rule, which wants a scheme) is a 400, as 4.2 requires, and so is
  a value whose percent-escapes do not decode to UTF-8;
- ``/store?default``: the default graph (4.2); naming both, or ``graph`` twice, is a 400;
- ``/store`` alone: the graph store itself. The protocol defines only POST on it (5.5); any
  other method there is a 400 that says to name a graph;
- ``/store/NAME``: the graph whose IRI is this very URL (direct identification, 4.1). These
  are the IRIs ``POST /store`` gives new graphs, so its ``Location`` can be dereferenced.

What each answers (5.1: HTTP's own statuses):

- GET (5.2): 200 with the graph in the format ``Accept`` (or ``?format=``) asks for, Turtle
  when it asks for nothing, 406 when nothing offered fits; a strong ``ETag`` and
  ``If-None-Match`` (a 304) make it cacheable (5.2, 6). A named graph not in the store is a
  404 (5.1). HEAD (5.6) answers exactly as GET, headers and all, without the body.
- PUT (5.3): the payload replaces the graph: 201 when the graph is new, 204 when it was
  there. pedkg keeps no empty named graphs (a dump could not carry one), so a PUT whose
  payload holds no triples is a 400 that points to DELETE, as 5.3 allows.
- POST (5.5): the payload is merged into the graph, its blank nodes kept apart from the
  graph's (an RDF merge): 204 when the graph was there, 201 when the merge created it (HTTP's
  rule for a POST that creates a resource); a payload with no triples changes nothing, 204
  (an empty body, 5.5; zero bytes are no JSON-LD document, though: a 400).
  POST to ``/store`` itself makes a new graph of the payload: 201 with ``Location``, the new
  graph's IRI. 5.5 says the Location is that IRI (its example mints it under the store's own
  URL), so the IRI is ``/store/<random hex>`` on this service as the request reached it,
  and a GET of the Location is answered here (``/store/NAME`` above). A server that moves to
  another host keeps such graphs, under ``?graph=`` with their old IRI.
- DELETE (5.4): 204; a named graph not in the store is a 404. The default graph always exists:
  DELETE, or a PUT of no triples, empties it (204).
- A payload (5.1): 415 for a media type that is not a graph format pedkg reads (Turtle,
  N-Triples, RDF/XML, JSON-LD, N3; N-Quads and TriG name graphs of their own) or a charset
  other than UTF-8, 413 past ``PEDKG_MAX_REQUEST_BYTES`` (saying ``pedkg import`` loads any
  size), 400 for bytes that are not UTF-8 and for a payload that does not parse (its line and
  the parser's reason; RDF/XML entities that would fetch or expand are refused before it).
- Any other method: 405 with ``Allow`` (5.1), from Flask's routing.

Not done, on purpose: a PUT or POST without ``Content-Type`` is a 415, not parsed as
RDF/XML (5, a SHOULD: pedkg refused untyped bodies before and does not guess); no
``multipart/form-data`` uploads (5, 5.5); no PATCH (5.7, informative); no service description
at ``OPTIONS`` (5.8, informative; Flask answers it with ``Allow``); no ``If-Match`` on writes (6).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for

from .. import body_text
from ..errors import QueryError, QueryRefused
from ..ingest import doctype, importer
from ..namespaces import IriError, checked_iri
from ..sparql import formats
from ..store.backend import open_reader, writing
from ..store.interface import Store
from . import world
from .admin_access import log_write, require_token

blueprint = Blueprint("graph_store", __name__)
blueprint.before_request(require_token)

METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
#: what to do instead of sending a graph larger than a request may be
LARGE_GRAPHS = (
    "load a large graph on the server with `pedkg import FILE --graph NAME` (any size, all or nothing), "
    "or raise PEDKG_MAX_REQUEST_BYTES"
)
#: how much of a refused graph IRI a 400 repeats
SHOWN_CHARACTERS = 200


def too_large(limit: int) -> str:
    """The 413 of a graph over the request limit: the limit, the setting, and ``pedkg import``."""
    limit_text = "the most PEDKG_MAX_REQUEST_BYTES lets a request carry"
    return f"the graph is larger than {limit} bytes, {limit_text}; {LARGE_GRAPHS}"


@blueprint.route("/store", methods=METHODS)
def indirect() -> Response:
    """A graph named by ``?graph=`` or ``?default``; the graph store itself when neither (POST)."""
    graphs = _graph_parameters()
    default = "default" in request.args
    if not graphs and not default and request.method == "POST":
        return _new_graph()
    if len(graphs) + default != 1:
        raise QueryRefused(
            400, "name exactly one graph: ?graph=<IRI> or ?default (only a POST names neither: a new graph)"
        )
    return _answer(_absolute_iri(graphs[0]) if graphs else None)


@blueprint.route("/store/<name>", methods=METHODS)
def direct(name: str) -> Response:
    """The graph whose IRI is this URL."""
    if "graph" in request.args or "default" in request.args:
        raise QueryRefused(400, "this URL is a graph's own IRI: it takes no ?graph= or ?default")
    return _answer(_absolute_iri(_own_iri(name)))


def _graph_parameters() -> list[str]:
    """Each ``graph=`` value, percent-decoded as 4.2 says: escapes that are not UTF-8 are a 400
    (werkzeug's ``request.args`` would keep them as ``%FF``, naming another IRI)."""
    try:
        query = request.query_string.decode("utf-8")
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise QueryRefused(400, f"the query string is not UTF-8 once percent-decoded ({exc.reason})") from exc
    return [value for key, value in pairs if key == "graph"]


def _own_iri(name: str) -> str:
    return url_for("graph_store.direct", name=name, _external=True)


def _absolute_iri(text: str) -> str:
    """``text`` if pyoxigraph takes it as an IRI, which it does only with a scheme (an absolute
    IRI; a fragment is allowed, as RDF allows it); else a 400 saying why."""
    try:
        return checked_iri(text)
    except IriError as exc:
        raise QueryRefused(400, f"{text[:SHOWN_CHARACTERS]!r} is not an absolute IRI: {exc.reason}") from exc


def _answer(graph: str | None) -> Response:
    """One request on one graph (``None``: the default graph)."""
    if request.method in ("GET", "HEAD"):
        return _representation(graph)
    if request.method == "DELETE":
        _write(graph, lambda store: store.drop_graph(graph), must_exist=True)
        return Response(status=204)
    triples = _payload()
    if request.method == "PUT":
        if graph is not None and not triples:
            raise QueryRefused(
                400, "the payload holds no triples and pedkg keeps no empty graphs; DELETE removes a graph"
            )
        existed = _write(graph, lambda store: store.replace_graph(graph, triples))
        return Response(status=204 if existed else 201)
    if not triples:
        return Response(status=204)  # merging nothing changes nothing (5.5)
    existed = _write(graph, lambda store: store.add_to_graph(graph, triples))
    return Response(status=204 if existed else 201)


def _representation(graph: str | None) -> Response:
    store = open_reader(world().settings)
    if graph is not None and not store.has_graph(graph):
        raise QueryRefused(404, f"no graph {graph}")
    fmt = formats.choose(
        request.headers.get("Accept"), request.args.get("format"), None, formats.offers(True)
    )
    body = ox.serialize(store.triples(graph), format=formats.GRAPH_FORMATS[fmt.name][1]) or b""
    response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    response.add_etag()
    response.make_conditional(request)  # If-None-Match: a 304 (it changes the response in place)
    return response


def _new_graph() -> Response:
    """POST to the graph store itself: a new graph of the payload, at a fresh IRI (5.5)."""
    triples = _payload()
    if not triples:
        return Response(status=204)  # no graph is made of nothing (5.5: an empty body is a 204)
    graph = _own_iri(uuid.uuid4().hex)  # 122 random bits: a name no graph has (5.5 says "new")
    _write(graph, lambda store: store.add_to_graph(graph, triples))
    return Response(status=201, headers={"Location": graph})


def _write(graph: str | None, change: Callable[[Store], None], must_exist: bool = False) -> bool:
    """Make ``change`` in a new store version and log it; whether ``graph`` was there before
    (the default graph always is). A graph that ``must_exist`` and is not: 404, nothing written."""
    with writing(world().settings) as store:
        existed = graph is None or store.has_graph(graph)
        if must_exist and not existed:
            raise QueryRefused(404, f"no graph {graph}")
        before = len(store)
        change(store)
        after = len(store)
    log_write(f"{request.method} {graph or 'default graph'}", before, after)
    return existed


def _payload() -> list[ox.Triple]:
    """The triples of a PUT or POST body, read as its ``Content-Type`` says; each blank node a new one."""
    content_type = request.headers.get("Content-Type", "")
    media_type = body_text.media_type(content_type)
    rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if rdf_format is None or rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        raise QueryRefused(
            415, f"send a graph as Turtle, N-Triples, RDF/XML or JSON-LD, not {media_type or 'untyped'}"
        )
    limit = world().settings.max_request_bytes
    if request.content_length is not None and request.content_length > limit:
        raise QueryRefused(413, too_large(limit))
    body = request.get_data()
    body_text.decode(body, content_type)  # a charset label not UTF-8: 415, bytes not UTF-8: 400; the
    # text is not kept: the parser reads the bytes
    if rdf_format == ox.RdfFormat.RDF_XML:  # entities: what the parser would fetch or expand (doctype)
        refused = doctype.first_refusal(io.BytesIO(body))
        if refused is not None:
            raise QueryError(f"the body is refused: line {refused[0]}: {refused[1]}")
    try:
        parsed = ox.parse(body, format=rdf_format, without_named_graphs=True, rename_blank_nodes=True)
        return [ox.Triple(t.subject, t.predicate, t.object) for t in parsed]
    except SyntaxError as exc:
        reason = importer.REMOTE_CONTEXT if importer.fetches_context(exc) else exc.msg
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise QueryError(f"the body is not valid {media_type}: {where}{reason}") from exc
