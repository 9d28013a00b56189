"""An external SPARQL 1.1 server standing in for the embedded store.

When one machine's pyoxigraph is not enough, pedkg can keep its data on a SPARQL
server (Oxigraph server, Virtuoso, QLever, GraphDB, Fuseki, a managed cluster) and
speak only the standards to it: the SPARQL 1.1 Protocol for queries and updates and
the Graph Store HTTP Protocol for whole graphs. ``RemoteStore`` satisfies ``interface.Store``
as ``embedded.GraphStore`` does, so build, import, the CLI and the pages do not know which
one they hold (``sparql.remote_pool`` puts the query pool's ``run`` over it).

Results are parsed by pyoxigraph as they stream in, so the row cap stops reading
early. Caches key on a version stamp that every write made through pedkg changes
(graph ``pkg:version``); writes made on the server directly are seen by the
caches after the next pedkg write or restart.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import pyoxigraph as ox
import requests
import requests.adapters
import requests.auth
import urllib3

from ..errors import QueryError, QueryRefused, QueryTimeout, StoreError
from ..namespaces import GRAPH, STANDARD
from . import server_quirks
from .interface import QueryResult, Substitutions
from .sparql_lexer import bind_values, form, without_from

VERSION_GRAPH = GRAPH + "version"
#: a graph no store holds: the dataset parameter that means "no graphs"
NO_GRAPH = GRAPH + "none"
_VERSION_INFO = STANDARD["owl"] + "versionInfo"
_SELECT_ACCEPT = (
    "text/tab-separated-values, application/sparql-results+json;q=0.9, application/sparql-results+xml;q=0.8"
)
#: for a server whose TSV is not the standard's
_JSON_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
_RESULT_TYPES = {
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_NTRIPLES = "application/n-triples"
_VERSION_TTL = 1.0  # seconds a version stamp read from the server is trusted
#: the stamp last read from each server (by query endpoint) and when, shared by the process's
#: stores: a write through one (``flush``) is seen at once by the others, such as the query pool's
_STAMPS: dict[str, tuple[str, float]] = {}
#: how each server (by query endpoint) differs from the standards, from its latest answer's
#: ``Server`` header, shared by the process's stores so that one ``ASK {}`` per process tells
_QUIRKS: dict[str, server_quirks.Quirks] = {}


@dataclass(frozen=True)
class Endpoints:
    """Where the server takes queries, updates and Graph Store requests, and how to sign in."""

    query: str
    update: str
    graph_store: str
    authorization: str = ""  # an Authorization header value ("Basic ...", "Bearer ...")
    digest: tuple[str, str] | None = None  # user and password for HTTP Digest (Virtuoso's writes)


class RemoteStore:
    """A SPARQL 1.1 server, used through the standard protocols only."""

    def __init__(
        self,
        endpoints: Endpoints,
        timeout: float,
        connections: int = 16,
        index_folder: Path = Path("var/store-search"),
    ) -> None:
        self.endpoints = endpoints
        self.index_folder = index_folder  # the search index files of its version stamps (``search_index``)
        self.timeout = timeout
        self._http = requests.Session()
        pooled = requests.adapters.HTTPAdapter(pool_maxsize=connections, max_retries=0)
        self._http.mount("http://", pooled)
        self._http.mount("https://", pooled)
        self._http.headers.update({"User-Agent": "pedkg"})
        if endpoints.authorization:
            self._http.headers["Authorization"] = endpoints.authorization
        if endpoints.digest is not None:  # requests answers the server's Digest challenge, once per nonce
            self._http.auth = requests.auth.HTTPDigestAuth(*endpoints.digest)
        self._open = threading.local()
        self._graph_list: tuple[str, list[str]] = ("", [])

    # Reading --------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        substitutions: Substitutions | None = None,
        prefixes: dict[str, str] | None = None,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        union_default: bool = True,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Send a query; its result is parsed while it streams in.

        Servers disagree on what the default graph is (Virtuoso: every graph; Oxigraph: its own
        default graph), so the union default is asked for by the protocol itself: every named
        graph given as ``default-graph-uri`` and ``named-graph-uri``.
        """
        default_graphs, named_graphs = list(default_graphs), list(named_graphs)
        if union_default and not default_graphs and not named_graphs:
            default_graphs = named_graphs = self._graphs()
        elif bool(default_graphs) != bool(named_graphs):
            # one given, the other empty (Query 13.2): said as a graph that never exists, since
            # a server may read a parameter not sent as "all graphs" (Virtuoso does)
            default_graphs, named_graphs = default_graphs or [NO_GRAPH], named_graphs or [NO_GRAPH]
        quirks = self._known_quirks()
        if (default_graphs or named_graphs) and not quirks.protocol_dataset_wins:
            sparql = without_from(sparql)
        text = bind_values(sparql, substitutions or {})
        if prefixes:
            text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + text
        text = _with_base(text, base_iri)
        if not quirks.standard_syntax_errors:
            _parse(text)
        query_form = form(text)
        returns_graph = query_form in ("CONSTRUCT", "DESCRIBE")
        if query_form == "DESCRIBE":
            text = quirks.describe_prologue + text
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in default_graphs]
        fields += [("named-graph-uri", g) for g in named_graphs]
        response = self._send(
            "POST",
            self.endpoints.query,
            body=urlencode(fields).encode(),
            content_type="application/x-www-form-urlencoded",
            accept=_GRAPH_ACCEPT
            if returns_graph
            else _SELECT_ACCEPT
            if quirks.standard_tsv
            else _JSON_ACCEPT,
            timeout=timeout,
            stream=True,
        )
        media_type = _media_type(response)
        try:
            if returns_graph:
                rdf_format = ox.RdfFormat.from_media_type(media_type)
                if rdf_format is None:
                    raise StoreError(f"the SPARQL server answered a graph query with {media_type}")
                triples: Iterator[ox.Triple] = iter(ox.parse(response, format=rdf_format))
                return triples
            results_format = _RESULT_TYPES.get(media_type)
            if results_format is None:
                raise StoreError(f"the SPARQL server answered a query with {media_type}")
            if results_format == ox.QueryResultsFormat.JSON:
                response = server_quirks.json_results(response, quirks)
            parsed: QueryResult = ox.parse_query_results(response, format=results_format)
            return parsed
        except SyntaxError as exc:
            raise StoreError(f"the SPARQL server's answer could not be read: {exc}") from exc

    def release(self) -> None:
        """Close the responses this thread left half read (a row cap stops reading early)."""
        for response in getattr(self._open, "responses", []):
            if not response.isclosed():
                response.close()  # unread rows: the connection cannot be reused
            response.release_conn()
        self._open.responses = []

    def triples(self, graph: str | None) -> list[ox.Triple]:
        if graph is None and not self._own_default_graph():
            return []
        response = self._send("GET", self._graph_url(graph), accept="application/n-triples", ok=(200, 404))
        if response.status == 404:
            return []
        return list(ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES))

    def has_graph(self, graph: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union_default=False))

    def named_graphs(self) -> list[str]:
        """The data's named graphs (not pedkg's version stamp, nor the server's own graphs)."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default=False)
        assert isinstance(rows, ox.QuerySolutions)
        found = (row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))
        quirks = self._known_quirks()
        return sorted(g for g in found if g != VERSION_GRAPH and not server_quirks.is_system_graph(g, quirks))

    def dump(self) -> bytes:
        """Every named graph as N-Quads, from one query so blank nodes stay consistent, then the
        server's own default graph (through the Graph Store Protocol; the union is not asked for)."""
        graphs = self.named_graphs()
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=graphs)
        assert isinstance(rows, ox.QuerySolutions)
        quads = (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
        named = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        return named + (ox.serialize(self.triples(None), format=ox.RdfFormat.N_TRIPLES) or b"")

    def __len__(self) -> int:
        graphs = self.named_graphs()
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=graphs)
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def _graphs(self) -> list[str]:
        """The named graphs, listed once per version stamp (the union default sends them)."""
        stamp = self.version()
        if self._graph_list[0] != stamp or not stamp:
            self._graph_list = (stamp, self.named_graphs())
        return self._graph_list[1]

    def version(self) -> str:
        """The stamp pedkg's last write left on the server, read at most once a second (at once
        after a write through this process)."""
        stamp, read_at = _STAMPS.get(self.endpoints.query, ("", 0.0))
        if time.monotonic() - read_at < _VERSION_TTL:
            return stamp
        rows = self.query(
            f"SELECT ?v WHERE {{ GRAPH <{VERSION_GRAPH}> {{ ?s <{_VERSION_INFO}> ?v }} }}",
            union_default=False,
        )
        assert isinstance(rows, ox.QuerySolutions)
        stamp = "remote:" + ",".join(sorted(row["v"].value for row in rows))
        _STAMPS[self.endpoints.query] = (stamp, time.monotonic())
        return stamp

    # Writing --------------------------------------------------------------------------------

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._send(
            "POST",
            self.endpoints.update,
            body=_with_base(sparql, base_iri).encode(),
            content_type="application/sparql-update",
            ok=(200, 201, 204),
        )

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """One request per graph the quads name."""
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for q in quads:
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            by_graph.setdefault(name, []).append(ox.Triple(q.subject, q.predicate, q.object))
        for graph, triples in by_graph.items():
            self.add_to_graph(graph, triples)

    def add_quads_from_file(self, source: IO[bytes], format: ox.RdfFormat) -> None:
        """Parsed whole first, so a parse error sends nothing; then one request per graph (a blank
        node shared by two graphs becomes two on the server)."""
        self.add_quads(list(ox.parse(source, format, rename_blank_nodes=True)))

    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        self._check_default_graph(graph)
        self._send(
            "POST", self._graph_url(graph), body=_ntriples(triples), content_type="application/n-triples"
        )

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """One request, atomic on the server."""
        self._check_default_graph(graph)
        self._send(
            "PUT", self._graph_url(graph), body=_ntriples(triples), content_type="application/n-triples"
        )

    def replace_graph_from_file(
        self, source: IO[bytes], format: ox.RdfFormat, graph: str, base_iri: str | None = None
    ) -> dict[str, str]:
        """Parsed whole, then sent in one request: a parse error sends nothing."""
        parser = ox.parse(source, format, base_iri=base_iri, rename_blank_nodes=True)
        self.replace_graph(graph, [quad.triple for quad in parser])
        return dict(parser.prefixes)

    def drop_graph(self, graph: str | None) -> None:
        if graph is None and not self._own_default_graph():
            return  # nothing but the named graphs, which are dropped by name
        self._send("DELETE", self._graph_url(graph), ok=(200, 204, 404))

    def flush(self) -> None:
        """Mark the data as changed, so every pedkg process empties its caches."""
        stamp = ox.Literal(f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}")
        self.replace_graph(
            VERSION_GRAPH, [ox.Triple(ox.NamedNode(VERSION_GRAPH), ox.NamedNode(_VERSION_INFO), stamp)]
        )
        _STAMPS.pop(self.endpoints.query, None)

    def close(self) -> None:
        """Close the connections to the server."""
        self._http.close()

    # HTTP -----------------------------------------------------------------------------------

    def _known_quirks(self) -> server_quirks.Quirks:
        """How the server differs from the standards; the first time, an ``ASK {}`` tells."""
        if self.endpoints.query not in _QUIRKS:
            self._send("GET", f"{self.endpoints.query}?{urlencode({'query': 'ASK {}'})}")
        return _QUIRKS[self.endpoints.query]  # every answer, a refusal too, has set it

    def _own_default_graph(self) -> bool:
        """Whether the server keeps a default graph apart from its named graphs."""
        return self._known_quirks().own_default_graph

    def _check_default_graph(self, graph: str | None) -> None:
        if graph is None and not self._own_default_graph():
            raise StoreError("this SPARQL server has no default graph of its own (Virtuoso): name a graph")

    def _graph_url(self, graph: str | None) -> str:
        query = urlencode({"graph": graph}) if graph else "default"
        return f"{self.endpoints.graph_store}{'&' if '?' in self.endpoints.graph_store else '?'}{query}"

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        timeout: float | None = None,
        stream: bool = False,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> Any:
        headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
        limit = timeout or self.timeout
        try:
            reply = self._http.request(
                method, url, data=body, headers=headers, timeout=(5.0, limit), stream=True
            )
            response = reply.raw  # the urllib3 response: pyoxigraph parses it as it streams in
            response.decode_content = True
            if not stream:
                response.data  # noqa: B018 - read whole now, so the connection goes back to the pool
                response.release_conn()
        except (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError) as exc:
            raise QueryTimeout(f"the SPARQL server took longer than the limit of {limit:g} s") from exc
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise StoreError(f"the SPARQL server at {url.split('?')[0]} cannot be reached: {exc}") from exc
        _QUIRKS[self.endpoints.query] = server_quirks.of_server(str(response.headers.get("Server", "")))
        if response.status in ok:
            if stream:
                self._open.responses = [*getattr(self._open, "responses", []), response]
            return response
        message = response.data.decode("utf-8", "replace").strip()[:2000]
        if response.status == 400:
            raise QueryError(f"the SPARQL server refused the request: {message}")
        if response.status in (401, 403):
            raise StoreError(f"the SPARQL server refused pedkg's credentials ({response.status}): {message}")
        if response.status == 503:
            raise QueryRefused(503, f"the SPARQL server is busy: {message}")
        raise StoreError(f"the SPARQL server answered {response.status}: {message}")


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _media_type(response: Any) -> str:
    return str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The text with the request's base declared first, on its first line so that the server's
    error positions keep their line numbers; a ``BASE`` in the text comes later and wins."""
    return sparql if base_iri is None else f"BASE <{base_iri}> {sparql}"


#: an empty in-memory store: pyoxigraph's parser for a server that reports syntax errors its own way
_PARSER = ox.Store()


def _parse(sparql: str) -> None:
    """Refuse a query that is not SPARQL as the embedded store does (message and position);
    on an empty store nothing is evaluated until read, and nothing is read."""
    try:
        _PARSER.query(sparql, base_iri="http://localhost/")
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from exc
