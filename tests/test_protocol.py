"""/sparql against the W3C SPARQL 1.1 Protocol: a table of requests and what each must answer.

Every case goes to the real server (``pedkg serve``, the session fixture) through
http.client, so no header is added behind the test's back. Every successful body is
parsed in the format its Content-Type names and compared with the same query run
in-process on the built store.

Clauses cited:
  Protocol §x   SPARQL 1.1 Protocol, W3C Recommendation 21 March 2013
  SD §x         SPARQL 1.1 Service Description, W3C Recommendation 21 March 2013
  Query §x      SPARQL 1.1 Query Language, W3C Recommendation 21 March 2013
  RFC 9110 §x   HTTP Semantics (content negotiation, status codes)
  W3C test x    a test of the W3C SPARQL 1.1 protocol test suite (rdf-tests, sparql11/protocol)
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.query import Result

from pedkg.config import PROJECT_ROOT
from pedkg.sparql.catalogue import catalogue
from pedkg.store.embedded import GraphStore

from conftest import ALL_BACKENDS
from raw_http import Reply, send

BACKENDS = ALL_BACKENDS  # the web contract holds on the embedded store and on oxigraph serve

# --------------------------------------------------------------------------------------------
# the requests' ingredients

G = "https://w3id.org/pedkg/graph/"
DIVISION, PROVENANCE, SHAPES, DISEASE_MAPPINGS = (
    G + "division",
    G + "provenance",
    G + "shapes",
    G + "mappings-diseases",
)
PREFIXES = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX pko: <https://w3id.org/pedkg/ontology/>\n"
)
SELECT = (
    PREFIXES
    + "SELECT ?disease ?label WHERE { ?disease a pko:Disease ; rdfs:label ?label } ORDER BY ?disease ?label"
)
# every kind of term CSV and TSV must write: IRI, tab/newline/quote/comma in a string, decimal,
# integer, a language tag with Hangul, an unbound variable
MIXED = (
    'SELECT ?s ("tab\\there\\nnew line, \\"quoted\\"" AS ?text) (1.50 AS ?dec) (42 AS ?int) '
    '("신경모세포종"@ko AS ?ko) ?unbound WHERE { VALUES ?s { <https://w3id.org/pedkg/neuroblastoma> } }'
)
KOREAN = PREFIXES + 'SELECT ?disease WHERE { ?disease rdfs:label "신경모세포종"@ko }'
ASK = PREFIXES + "ASK { ?disease a pko:Disease }"
ASK_FALSE = "ASK { <urn:pedkg-test:nothing> ?p ?o }"
CONSTRUCT = (
    PREFIXES + "CONSTRUCT { ?d a pko:Disease ; rdfs:label ?l } WHERE { ?d a pko:Disease ; rdfs:label ?l }"
)
DESCRIBE = "DESCRIBE <https://w3id.org/pedkg/neuroblastoma>"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
# a default graph joined with a named graph (W3C test query_dataset_full), and the same in-process
FULL = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o GRAPH <{DISEASE_MAPPINGS}> {{ ?s ?p2 ?o2 }} }}"
FULL_IN_GRAPHS = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DIVISION}> {{ ?s ?p ?o }} GRAPH <{DISEASE_MAPPINGS}> {{ ?s ?p2 ?o2 }} }}"
MALFORMED = "SELECT ?s\nWHERE { ?s ?p }"
BIG = 1_000_000  # PEDKG_MAX_REQUEST_BYTES, the default

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ORIGIN = "http://localhost:8888"  # a notebook or a YASGUI page on another origin
AUTO = "auto"  # the content type that goes with how the query is sent


# --------------------------------------------------------------------------------------------
# HTTP without surprises


# --------------------------------------------------------------------------------------------
# bodies, parsed in their own format, and the same answers in-process

Row = dict[str, object]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term(value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> object:
    """A pyoxigraph term as the rdflib term the result parsers produce."""
    if value is None:
        return None
    if isinstance(value, ox.NamedNode):
        return rdflib.URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return rdflib.BNode(value.value)
    if isinstance(value, ox.Literal):
        if value.language:
            return rdflib.Literal(value.value, lang=value.language)
        if value.datatype.value == XSD_STRING:
            return rdflib.Literal(value.value)
        return rdflib.Literal(value.value, datatype=rdflib.URIRef(value.datatype.value))
    raise AssertionError(f"unexpected term {value!r}")


def expected_solutions(store: GraphStore, query: str) -> tuple[list[str], list[Row]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions), query
    names = [v.value for v in result.variables]
    return names, [{n: term(s[n]) for n in names} for s in result]


def expected_graph(store: GraphStore, query: str) -> rdflib.Graph:
    result = store.query(query)
    assert isinstance(result, ox.QueryTriples), query
    return rdflib.Graph().parse(data=ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")


def parsed_solutions(reply: Reply) -> tuple[list[str], list[Row]]:
    """Variables and rows of a SELECT result, checked for the shape of its format first."""
    fmt = RESULT_TYPES[reply.media_type]
    if fmt == "json":
        document = json.loads(reply.body)
        assert set(document) >= {"head", "results"}, reply
        assert isinstance(document["results"]["bindings"], list), reply
        names = document["head"]["vars"]
    elif fmt == "xml":
        root = ET.fromstring(reply.body)
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert root.tag == ns + "sparql", reply
        names = [v.get("name") for v in root.iter(ns + "variable")]
        assert root.find(ns + "results") is not None, reply
    elif fmt == "csv":
        assert reply.body.endswith(b"\r\n"), f"CSV lines end with CRLF (RFC 4180)\n{reply}"
        names = next(csv.reader(io.StringIO(reply.body.decode("utf-8"))))
    else:
        header = reply.body.decode("utf-8").split("\n", 1)[0]
        assert all(h.startswith("?") for h in header.split("\t") if h), reply
        names = [h[1:] for h in header.split("\t") if h]
    result = Result.parse(io.BytesIO(reply.body), format=fmt)
    assert result.type == "SELECT", reply
    assert [str(v) for v in result.vars] == names, reply
    return names, [{n: row[i] for i, n in enumerate(names)} for row in result]


def parsed_boolean(reply: Reply) -> bool:
    fmt = RESULT_TYPES[reply.media_type]
    if fmt == "json":
        document = json.loads(reply.body)
        assert "head" in document and isinstance(document["boolean"], bool), reply
        return document["boolean"]
    if fmt == "xml":
        root = ET.fromstring(reply.body)
        found = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        assert found is not None and found.text in ("true", "false"), reply
        return found.text == "true"
    # SPARQL 1.1 CSV/TSV define no boolean document; pedkg writes the bare word
    word = reply.text.strip()
    assert word in ("true", "false"), reply
    return word == "true"


def parsed_graph(reply: Reply) -> rdflib.Graph:
    """An RDF body as an rdflib graph.

    rdflib parses Turtle, N-Triples and RDF/XML; pyoxigraph parses JSON-LD, N-Quads and TriG
    (rdflib's parsers for those emit deprecation warnings, errors in this suite). A graph
    written as N-Quads or TriG must sit in the default graph.
    """
    fmt = GRAPH_TYPES[reply.media_type]
    if fmt in ("json-ld", "nquads", "trig"):
        if fmt == "json-ld":
            json.loads(reply.body)
        syntax = {"json-ld": ox.RdfFormat.JSON_LD, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[
            fmt
        ]
        quads = list(ox.parse(reply.body, format=syntax))
        assert all(q.graph_name == ox.DefaultGraph() for q in quads), (
            f"a graph result is in the default graph\n{reply}"
        )
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return rdflib.Graph().parse(data=nt, format="nt")
    return rdflib.Graph().parse(data=reply.body, format=fmt)


def csv_values(rows: list[Row]) -> list[dict[str, str]]:
    """What CSV keeps of a row: the lexical form, or '' when unbound."""
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


def assert_same_solutions(reply: Reply, names: list[str], rows: list[Row], ordered: bool) -> None:
    got_names, got_rows = parsed_solutions(reply)
    assert set(got_names) == set(names), reply
    if reply.media_type == "text/csv":
        got_rows, rows = csv_values(got_rows), csv_values(rows)
    if not ordered:
        got_rows, rows = sorted(got_rows, key=repr), sorted(rows, key=repr)
    assert got_rows == rows, f"rows differ from the in-process answer\n{reply}"


# --------------------------------------------------------------------------------------------
# the table


@dataclass(frozen=True)
class Case:
    id: str
    clause: str  # where the expected behaviour comes from
    query: str | None = SELECT
    method: str = "GET"
    via: str = "url"  # url: query= in the URL; form: in a form body; direct: the body itself
    params: tuple[tuple[str, str], ...] = ()  # more URL parameters
    form: tuple[tuple[str, str], ...] = ()  # more form fields (via="form")
    content_type: str | None = AUTO  # None: no Content-Type header at all
    body: bytes | None = None  # a body given as is (overrides via)
    accept: str | None = None
    status: int | tuple[int, ...] = 200
    media: str | tuple[str, ...] | None = None  # expected media type(s); None: any of the form's
    says: tuple[str, ...] = ()  # regexes the body must match (error messages)
    # expected rows where the in-process union-graph answer is not the right one (dataset cases)
    rows: Callable[[GraphStore], list[dict[str, str]]] | None = None
    negotiated: bool = True  # a response that must carry Vary: Accept and CORS


def count_of(query: str) -> Callable[[GraphStore], list[dict[str, str]]]:
    """Expected COUNT row, computed in-process by a query that needs no dataset parameters."""

    def rows(store: GraphStore) -> list[dict[str, str]]:
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        return [{"n": next(iter(result))[0].value}]

    return rows


def graph_rows(*graphs: str) -> Callable[[GraphStore], list[dict[str, str]]]:
    return lambda store: [{"g": g} for g in sorted(graphs)]


def in_graphs(*graphs: str) -> str:
    """The size of the RDF merge of some graphs (Query §13.2: the default graph is their merge)."""
    values = " ".join(f"<{g}>" for g in graphs)
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {values} }} }} }}"


OFFERED_RESULTS = tuple(re.escape(t) for t in RESULT_TYPES)
OFFERED_GRAPHS = tuple(
    re.escape(t)
    for t in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
)

CASES = [
    # --- the three ways to send a query (Protocol §2.1, table "query operation") ---
    Case("get", "Protocol §2.1.1 query via GET", accept="application/sparql-results+json"),
    Case("post-form", "Protocol §2.1.2 query via POST with URL-encoded parameters", method="POST", via="form"),
    Case("post-form-charset", "Protocol §2.1.2; browsers and SPARQLWrapper add '; charset=UTF-8' to the form type",
         method="POST", via="form", content_type=FORM + "; charset=UTF-8"),
    Case("post-direct", "Protocol §2.1.3 query via POST directly", method="POST", via="direct"),
    Case("post-direct-charset", "Protocol §2.1.3: 'UTF-8 is the only valid charset here' (so it may be stated)",
         method="POST", via="direct", content_type=DIRECT + "; charset=utf-8"),
    Case("post-direct-charset-quoted", "Protocol §2.1.3; RFC 9110 §8.3.1 parameter values may be quoted and any case",
         method="POST", via="direct", content_type='Application/SPARQL-Query; Charset="UTF-8"'),
    Case("get-korean", "Protocol §3.1.13 SELECT with internationalization (UTF-8, percent-encoded)", query=KOREAN),
    Case("post-direct-korean", "Protocol §2.1.3 (UTF-8 body) and §3.1.13", query=KOREAN, method="POST", via="direct"),
    Case("post-form-korean", "Protocol §2.1.2 and §3.1.13", query=KOREAN, method="POST", via="form"),
    Case("post-direct-long", "Protocol §3.1.12 Long SELECT query using direct POST (~900 kB, under the limit)",
         query=SELECT + "\n#" + "x" * 900_000, method="POST", via="direct", accept="text/csv"),
    Case("post-form-long", "Protocol §3.1.11 Long SELECT query using POST with URL encoding",
         query=SELECT + "\n#" + "x" * 600_000, method="POST", via="form", accept="text/csv"),
    # --- the dataset (Protocol §2.1.4) ---
    Case("no-dataset-count", "Protocol §2.1.4: no dataset given, the service's own: the union of the data's graphs "
         "and nothing else (not a server's own graphs, not pedkg's version stamp)", query=COUNT),
    Case("no-dataset-graphs", "Protocol §2.1.4: with no dataset given, GRAPH ?g finds the data's graphs and only those",
         query=GRAPHS),
    Case("default-graph-uri", "Protocol §2.1.4: default-graph-uri replaces the service's default dataset (the union)",
         query=COUNT, params=(("default-graph-uri", DIVISION),), rows=count_of(in_graphs(DIVISION))),
    Case("default-graph-uri-twice", "Protocol §2.1 table: default-graph-uri (0 or more); W3C test query_dataset_default_graphs_get",
         query=COUNT, params=(("default-graph-uri", DIVISION), ("default-graph-uri", PROVENANCE)),
         rows=count_of(in_graphs(DIVISION, PROVENANCE))),
    Case("default-graph-uri-post-direct", "Protocol §2.1.3: dataset parameters in the URL of a direct POST; W3C test query_dataset_default_graphs_post",
         query=COUNT, method="POST", via="direct", params=(("default-graph-uri", DIVISION),), rows=count_of(in_graphs(DIVISION))),
    Case("default-graph-uri-post-form", "Protocol §2.1.2 table: dataset parameters in the form body",
         query=COUNT, method="POST", via="form", form=(("default-graph-uri", DIVISION),), rows=count_of(in_graphs(DIVISION))),
    Case("named-graph-uri", "Protocol §2.1.4: named-graph-uri restricts GRAPH ?g; W3C test query_dataset_named_graphs_get",
         query=GRAPHS, params=(("named-graph-uri", DIVISION), ("named-graph-uri", DISEASE_MAPPINGS)),
         rows=graph_rows(DIVISION, DISEASE_MAPPINGS)),
    Case("named-graph-uri-post-direct", "Protocol §2.1.4; W3C test query_dataset_named_graphs_post",
         query=GRAPHS, method="POST", via="direct", params=(("named-graph-uri", SHAPES),), rows=graph_rows(SHAPES)),
    Case("named-graph-uri-only-empty-default", "Protocol §2.1.4 with Query §13.2: FROM NAMED without FROM gives an empty default graph",
         query=COUNT, params=(("named-graph-uri", DIVISION),), rows=lambda store: [{"n": "0"}]),
    Case("default-graph-uri-only-no-named-graphs", "Protocol §2.1.4 with Query §13.2: FROM without FROM NAMED gives no named graphs",
         query=GRAPHS, params=(("default-graph-uri", DIVISION),), rows=lambda store: []),
    Case("full-dataset", "Protocol §2.1.4; W3C test query_dataset_full (default and named graphs together)",
         query=FULL,
         method="POST", via="direct", params=(("default-graph-uri", DIVISION), ("named-graph-uri", DISEASE_MAPPINGS)),
         rows=count_of(FULL_IN_GRAPHS)),
    Case("protocol-dataset-wins-over-from", "Protocol §2.1.4: 'the SPARQL service must execute the query using the RDF Dataset given in the protocol request'; W3C test query_multiple_dataset",
         query=f"SELECT (COUNT(*) AS ?n) FROM <{SHAPES}> WHERE {{ ?s ?p ?o }}", params=(("default-graph-uri", DIVISION),),
         rows=count_of(in_graphs(DIVISION))),
    Case("from-in-the-query", "Protocol §2.1.4: the dataset may be given 'in the SPARQL query string using the FROM and FROM NAMED keywords'; Query §13.2",
         query=f"SELECT (COUNT(*) AS ?n) FROM <{SHAPES}> WHERE {{ ?s ?p ?o }}", rows=count_of(in_graphs(SHAPES))),
    Case("from-named-in-the-query", "Protocol §2.1.4; Query §13.2.2 FROM NAMED",
         query=f"SELECT DISTINCT ?g FROM NAMED <{SHAPES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", rows=graph_rows(SHAPES)),
    # --- exactly one query (Protocol §2.1: 'must include exactly one SPARQL query string') ---
    Case("get-query-twice", "Protocol §2.1 (exactly one query); W3C test bad_multiple_queries",
         query=None, params=(("query", ASK), ("query", ASK_FALSE)), status=400, says=("query",)),
    Case("post-form-query-twice", "Protocol §2.1 (exactly one query)", method="POST", via="form",
         form=(("query", ASK_FALSE),), status=400, says=("query",)),
    Case("post-form-query-in-url-and-body", "Protocol §2.1 and §2.1.2 (no query string parameters; exactly one query)",
         method="POST", via="form", params=(("query", ASK),), status=400, says=("query",)),
    Case("post-direct-query-in-url-too", "Protocol §2.1.3 ('the SPARQL query string, unencoded, and nothing else' in the body; exactly one)",
         method="POST", via="direct", params=(("query", ASK),), status=400, says=("query",)),
    Case("post-form-no-query", "Protocol §2.1 (exactly one query)", query=None, method="POST",
         body=b"default-graph-uri=" + quote(DIVISION, safe="").encode(), content_type=FORM, status=400, says=("query",)),
    Case("post-form-empty", "Protocol §2.1 (exactly one query)", query=None, method="POST", body=b"",
         content_type=FORM, status=400, says=("query",)),
    Case("post-direct-empty", "Protocol §2.1 and §2.1.7 (400: not a legal SPARQL query)", query=None, method="POST",
         body=b"", content_type=DIRECT, status=400),
    Case("get-empty-query", "Protocol §2.1.7 (400: the empty string is not a legal SPARQL query)", query="", status=400),
    # --- methods and body types ---
    Case("put", "Protocol §2.1 'MUST be invoked with either the HTTP GET or HTTP POST method'; W3C test bad_query_method; RFC 9110 §15.5.6 (405 with Allow)",
         method="PUT", via="direct", status=405, negotiated=False),
    Case("post-text-plain", "Protocol §2.1.3 (application/sparql-query) / §2.1.7 other 4XX; W3C test bad_query_wrong_media_type; RFC 9110 §15.5.16",
         method="POST", via="direct", content_type="text/plain", status=415, says=(re.escape(FORM), re.escape(DIRECT))),
    Case("post-form-without-type", "Protocol §2.1.2 'content type ... must be set'; W3C test bad_query_missing_form_type",
         method="POST", via="form", content_type=None, status=415),
    Case("post-direct-without-type", "Protocol §2.1.3 'Clients must set the content type'; W3C test bad_query_missing_direct_type",
         method="POST", via="direct", content_type=None, status=415),
    Case("post-json-body", "Protocol §2.1.7 other 4XX; RFC 9110 §15.5.16 415 Unsupported Media Type", method="POST",
         body=json.dumps({"query": ASK}).encode(), content_type="application/json", status=415),
    Case("post-direct-utf16", "Protocol §2.1.3 'UTF-8 is the only valid charset here'; W3C test bad_query_non_utf8",
         query=None, method="POST", body=ASK.encode("utf-16"), content_type=DIRECT + "; charset=UTF-16", status=(400, 415)),
    Case("post-form-not-utf8", "Protocol §2.1.2; W3C test bad_query_non_utf8 (form variant)", query=None, method="POST",
         body=b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%E9%22%20%7D", content_type=FORM, status=(400, 415)),
    # --- sizes (RFC 9110 §15.5.14 413 Content Too Large; Protocol §2.1.7 other 4XX) ---
    Case("get-oversized-query", "RFC 9110 §15.5.15 414 URI Too Long: gunicorn bounds the request line at 8190 bytes (long queries go by POST)",
         query=SELECT + "\n#" + "x" * BIG, status=414, negotiated=False),  # answered by gunicorn, before pedkg
    Case("post-direct-oversized", "RFC 9110 §15.5.14 (body over PEDKG_MAX_REQUEST_BYTES)",
         query=SELECT + "\n#" + "x" * BIG, method="POST", via="direct", status=413),
    Case("post-form-oversized", "RFC 9110 §15.5.14 (body over PEDKG_MAX_REQUEST_BYTES)",
         query=SELECT + "\n#" + "x" * BIG, method="POST", via="form", status=413),
    Case("post-oversized-wrong-type", "RFC 9110 §15.5.14 (the size is refused whatever the body is)",
         query=None, method="POST", body=b"x" * (BIG + 1), content_type="text/plain", status=(413, 415)),
    # --- malformed queries (Protocol §2.1.7: 400 'not a legal sequence of characters') ---
    Case("get-malformed", "Protocol §2.1.7 400; W3C test bad_query_syntax", query=MALFORMED, status=400,
         says=(r"error at 2:\d+",)),
    Case("post-form-malformed", "Protocol §2.1.7 400", query=MALFORMED, method="POST", via="form", status=400,
         says=(r"error at 2:\d+",)),
    Case("post-direct-malformed", "Protocol §2.1.7 400", query=MALFORMED, method="POST", via="direct", status=400,
         says=(r"error at 2:\d+",)),
    Case("get-update-as-query", "Protocol §2.1 (a query operation carries a query, not an update)",
         query="CLEAR ALL", status=(400, 403)),
    # --- content negotiation, SELECT (Protocol §2.1.5, §2.1.6; RFC 9110 §12.5.1) ---
    Case("select-no-accept", "Protocol §2.1.6: the body is a SPARQL Results Document whose media type is the Content-Type"),
    Case("select-any", "RFC 9110 §12.5.1 */*", accept="*/*"),
    Case("select-json", "Protocol §2.1.6 SPARQL JSON Results", accept="application/sparql-results+json",
         media="application/sparql-results+json"),
    Case("select-xml", "Protocol §2.1.6 SPARQL XML Results", accept="application/sparql-results+xml",
         media="application/sparql-results+xml"),
    Case("select-csv", "Protocol §2.1.6 SPARQL CSV Results", accept="text/csv", media="text/csv"),
    Case("select-tsv", "Protocol §2.1.6 SPARQL TSV Results", accept="text/tab-separated-values",
         media="text/tab-separated-values"),
    Case("select-mixed-csv", "SPARQL 1.1 Query Results CSV §2 (quoting, unbound) behind Protocol §2.1.6", query=MIXED,
         accept="text/csv", media="text/csv"),
    Case("select-mixed-tsv", "SPARQL 1.1 Query Results TSV §3 (escapes, language tags) behind Protocol §2.1.6", query=MIXED,
         accept="text/tab-separated-values", media="text/tab-separated-values"),
    Case("select-mixed-json", "SPARQL 1.1 Query Results JSON §3 behind Protocol §2.1.6", query=MIXED,
         accept="application/sparql-results+json", media="application/sparql-results+json"),
    Case("select-mixed-xml", "SPARQL Query Results XML §2 behind Protocol §2.1.6", query=MIXED,
         accept="application/sparql-results+xml", media="application/sparql-results+xml"),
    Case("select-text-wildcard", "RFC 9110 §12.5.1 text/* (CSV or TSV)", accept="text/*",
         media=("text/csv", "text/tab-separated-values")),
    Case("select-q-values", "RFC 9110 §12.5.1 q-values: text/csv;q=0.9 beats JSON;q=0.5",
         accept="application/sparql-results+json;q=0.5, text/csv;q=0.9", media="text/csv"),
    Case("select-q-values-order-free", "RFC 9110 §12.5.1 (the order of the list does not matter, q does)",
         accept="text/csv;q=0.2, application/sparql-results+xml;q=0.8, application/sparql-results+json;q=0.5",
         media="application/sparql-results+xml"),
    Case("select-charset-param", "RFC 9110 §12.5.1 (a media type with parameters, e.g. charset)",
         accept="application/sparql-results+json; charset=utf-8", media="application/sparql-results+json"),
    Case("select-q-zero", "RFC 9110 §12.4.2 'q=0 means not acceptable'", accept="text/csv;q=0, */*;q=0.1",
         media=("application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values")),
    Case("select-specific-beats-range", "RFC 9110 §12.5.1 (the most specific range has precedence)",
         accept="text/*;q=0.9, text/csv;q=0.1, application/sparql-results+xml;q=0.5", media="text/tab-separated-values"),
    Case("select-application-json", "what SPARQLWrapper and YASGUI send for JSON", accept="application/json",
         media="application/sparql-results+json"),
    Case("select-sparqlwrapper-json", "SPARQLWrapper 2.0's Accept for JSON",
         accept="application/sparql-results+json,application/json,text/javascript,application/javascript",
         media="application/sparql-results+json"),
    Case("select-sparqlwrapper-xml", "SPARQLWrapper 2.0's Accept for XML",
         accept="application/sparql-results+xml", media="application/sparql-results+xml"),
    Case("select-nothing-acceptable", "RFC 9110 §15.5.7 406 Not Acceptable, naming what is offered", accept="image/png",
         status=406, says=OFFERED_RESULTS),
    Case("select-q-zero-only", "RFC 9110 §12.4.2 + §15.5.7", accept="application/sparql-results+json;q=0", status=406,
         says=OFFERED_RESULTS),
    Case("select-as-turtle", "Protocol §2.1.6 (SELECT is answered with a results document, not RDF) + RFC 9110 §15.5.7",
         accept="text/turtle", status=406, says=OFFERED_RESULTS),
    # --- ASK ---
    Case("ask-json", "Protocol §2.1.6 (ASK: SPARQL JSON boolean)", query=ASK, accept="application/sparql-results+json",
         media="application/sparql-results+json"),
    Case("ask-xml", "Protocol §2.1.6 (ASK: SPARQL XML boolean)", query=ASK, accept="application/sparql-results+xml",
         media="application/sparql-results+xml"),
    Case("ask-csv", "Protocol §2.1.6 (ASK as CSV)", query=ASK, accept="text/csv", media="text/csv"),
    Case("ask-tsv", "Protocol §2.1.6 (ASK as TSV)", query=ASK, accept="text/tab-separated-values",
         media="text/tab-separated-values"),
    Case("ask-false", "Protocol §2.1.6", query=ASK_FALSE, accept="application/sparql-results+json",
         media="application/sparql-results+json"),
    Case("ask-post-form", "W3C test query_post_form (ASK via URL-encoded POST)", query=ASK, method="POST", via="form",
         accept="application/sparql-results+xml, application/sparql-results+json"),
    Case("ask-nothing-acceptable", "RFC 9110 §15.5.7", query=ASK, accept="application/rdf+xml", status=406,
         says=OFFERED_RESULTS),
    # --- CONSTRUCT and DESCRIBE (Protocol §2.1.6: an RDF graph serialisation) ---
    Case("construct-no-accept", "Protocol §2.1.6 (an RDF graph; Content-Type names its syntax)", query=CONSTRUCT),
    Case("construct-any", "RFC 9110 §12.5.1 */*", query=CONSTRUCT, accept="*/*"),
    Case("construct-turtle", "Protocol §2.1.6 Turtle; W3C test query_content_type_construct", query=CONSTRUCT,
         accept="text/turtle", media="text/turtle"),
    Case("construct-ntriples", "Protocol §2.1.6 N-Triples", query=CONSTRUCT, accept="application/n-triples",
         media="application/n-triples"),
    Case("construct-jsonld", "Protocol §2.1.6 JSON-LD", query=CONSTRUCT, accept="application/ld+json",
         media="application/ld+json"),
    Case("construct-rdfxml", "Protocol §2.1.6 RDF/XML (the spec's own example)", query=CONSTRUCT,
         accept="application/rdf+xml", media="application/rdf+xml"),
    Case("construct-nquads", "Protocol §2.1.6 'or an equivalent RDF graph serialization' (N-Quads)", query=CONSTRUCT,
         accept="application/n-quads", media="application/n-quads"),
    Case("construct-trig", "Protocol §2.1.6 (TriG)", query=CONSTRUCT, accept="application/trig", media="application/trig"),
    Case("construct-q-values", "RFC 9110 §12.5.1", query=CONSTRUCT,
         accept="text/turtle;q=0.4, application/n-triples;q=0.8, application/rdf+xml;q=0.6", media="application/n-triples"),
    Case("construct-q-zero", "RFC 9110 §12.4.2 'q=0 means not acceptable'", query=CONSTRUCT,
         accept="text/turtle;q=0, */*;q=0.1", media=tuple(t for t in GRAPH_TYPES if t != "text/turtle")),
    Case("construct-specific-beats-range", "RFC 9110 §12.5.1: text/turtle;q=0.1 overrides text/*;q=0.9, so RDF/XML (0.5) is best",
         query=CONSTRUCT, accept="text/*;q=0.9, text/turtle;q=0.1, application/rdf+xml;q=0.5", media="application/rdf+xml"),
    Case("construct-text-wildcard", "RFC 9110 §12.5.1 text/*", query=CONSTRUCT, accept="text/*", media="text/turtle"),
    Case("construct-charset-param", "RFC 9110 §12.5.1", query=CONSTRUCT, accept="text/turtle; charset=utf-8",
         media="text/turtle"),
    Case("construct-rdflib-accept", "what rdflib's SPARQLStore sends for a graph",
         accept="application/rdf+xml", query=CONSTRUCT, media="application/rdf+xml"),
    Case("construct-post-direct", "Protocol §2.1.3 + §2.1.6", query=CONSTRUCT, method="POST", via="direct",
         accept="text/turtle", media="text/turtle"),
    Case("construct-as-results", "Protocol §2.1.6 (CONSTRUCT is answered with RDF) + RFC 9110 §15.5.7", query=CONSTRUCT,
         accept="application/sparql-results+json", status=406, says=OFFERED_GRAPHS),
    Case("describe-turtle", "Protocol §2.1.6; W3C test query_content_type_describe", query=DESCRIBE, accept="text/turtle",
         media="text/turtle"),
    Case("describe-ntriples", "Protocol §2.1.6", query=DESCRIBE, accept="application/n-triples",
         media="application/n-triples"),
    Case("describe-jsonld", "Protocol §2.1.6", query=DESCRIBE, accept="application/ld+json", media="application/ld+json"),
    Case("describe-rdfxml", "Protocol §2.1.6", query=DESCRIBE, accept="application/rdf+xml", media="application/rdf+xml"),
    # --- what clients add: extra parameters and format= (Protocol §2.1 names only query, default-graph-uri, named-graph-uri) ---
    Case("extra-params-sparqlwrapper", "tolerated: SPARQLWrapper adds format/output/results",
         params=(("format", "json"), ("output", "json"), ("results", "json")), accept="application/sparql-results+json",
         media="application/sparql-results+json"),
    Case("extra-params-request-id", "tolerated: request ids and unknown parameters",
         params=(("requestId", "4f2c9a"), ("x-client", "notebook"), ("timeout", "0")), accept="text/csv", media="text/csv"),
    Case("extra-params-in-form", "tolerated in a form body too", method="POST", via="form",
         form=(("format", "json"), ("output", "json"), ("results", "json"), ("requestId", "7")),
         accept="application/sparql-results+json", media="application/sparql-results+json"),
    Case("format-csv-for-browsers", "format= picks the download format even when a browser asks for HTML",
         params=(("format", "csv"),), accept=BROWSER, media="text/csv"),
    Case("format-tsv-no-accept", "format= picks the format", params=(("format", "tsv"),),
         media="text/tab-separated-values"),
    Case("format-xml-sparqlwrapper", "SPARQLWrapper XML: format=xml&output=xml&results=xml",
         params=(("format", "xml"), ("output", "xml"), ("results", "xml")), accept="application/sparql-results+xml",
         media="application/sparql-results+xml"),
    Case("format-turtle-construct", "format= for a graph", query=CONSTRUCT, params=(("format", "turtle"),), accept=BROWSER,
         media="text/turtle"),
    Case("format-jsonld-construct", "format= for a graph (SPARQLWrapper JSONLD)", query=CONSTRUCT,
         params=(("format", "json-ld"),), media="application/ld+json"),
    # --- HTML for browsers (the editor and its server-rendered result table) ---
    Case("html-editor", "SD §2 'may be embedded in (X)HTML'; the editor for a browser", query=None, accept=BROWSER,
         media="text/html"),
    Case("html-results", "the editor's result table for a browser (no JavaScript needed)", accept=BROWSER,
         media="text/html", says=("neuroblastoma",)),
]  # fmt: skip


def build_request(case: Case) -> tuple[list[tuple[str, str]], bytes | None, dict[str, str]]:
    params = list(case.params)
    body = case.body
    content_type = case.content_type
    if case.query is not None and body is None:
        if case.via == "url":
            params.insert(0, ("query", case.query))
        elif case.via == "form":
            body = urlencode([("query", case.query), *case.form], quote_via=quote).encode()
            content_type = FORM if content_type == AUTO else content_type
        else:
            body = case.query.encode()
            content_type = DIRECT if content_type == AUTO else content_type
    elif case.via == "form" and body is None:
        body = urlencode(list(case.form), quote_via=quote).encode()
        content_type = FORM if content_type == AUTO else content_type
    headers = {"Origin": ORIGIN}
    if content_type not in (None, AUTO):
        headers["Content-Type"] = content_type
    if case.accept is not None:
        headers["Accept"] = case.accept
    return params, body, headers


def form_of(query: str) -> str:
    code = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.I)
    assert found, query
    return found.group(1).upper()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_protocol_case(case: Case, server, store) -> None:
    params, body, headers = build_request(case)
    reply = send(server.url, case.method, params, body, headers)
    statuses = case.status if isinstance(case.status, tuple) else (case.status,)
    assert reply.status in statuses, f"{case.id} ({case.clause}): expected {statuses}\n{reply}"

    if case.negotiated:
        # Vary: RFC 9110 §12.5.5 (the answer depends on Accept); CORS: Fetch standard, for browser clients
        vary = {v.strip().lower() for v in (reply.headers.get("Vary") or "").split(",")}
        assert "accept" in vary, f"Vary: Accept missing\n{reply}"
        assert reply.headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN), f"no CORS header\n{reply}"
    elif reply.status == 405:
        assert "GET" in (reply.headers.get("Allow") or ""), (
            f"405 needs an Allow header (RFC 9110 §15.5.6)\n{reply}"
        )

    for pattern in case.says:
        assert re.search(pattern, reply.text), f"{case.id}: body should match {pattern!r}\n{reply}"

    if reply.status >= 400:
        # Protocol §2.1.7: the body is implementation defined; pedkg sends a short text/plain message
        # (gunicorn's own refusals, before pedkg sees the request, come as a short HTML page)
        expected = "text/plain" if case.negotiated else reply.media_type
        assert reply.media_type == expected and reply.text.strip(), (
            f"an error is explained in text/plain\n{reply}"
        )
        return
    if case.media == "text/html":
        assert reply.media_type == "text/html", reply
        assert re.search(r"<!doctype html|<html", reply.text, re.I), reply
        return

    assert case.query is not None
    form = form_of(case.query)
    offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    allowed = case.media if isinstance(case.media, tuple) else (case.media,) if case.media else tuple(offered)
    # Protocol §2.1.6: 'The content type of the response ... must be the media type defined for the format'
    assert reply.media_type in allowed, f"{case.id}: expected one of {allowed}\n{reply}"
    charset = re.search(r"charset=\"?([\w-]+)", reply.headers.get("Content-Type", ""), re.I)
    assert charset is None or charset.group(1).lower() == "utf-8", reply

    if form in ("CONSTRUCT", "DESCRIBE"):
        got = parsed_graph(reply)
        want = expected_graph(store, case.query)
        assert len(want) > 0
        assert isomorphic(got, want), (
            f"graph differs from the in-process answer ({len(got)} vs {len(want)} triples)\n{reply}"
        )
    elif form == "ASK":
        result = store.query(case.query)
        assert isinstance(result, ox.QueryBoolean)
        assert parsed_boolean(reply) is bool(result), reply
    elif case.rows is not None:
        names, rows = parsed_solutions(reply)
        assert csv_values(rows) == case.rows(store), f"{case.id} ({case.clause})\n{reply}"
    else:
        names, rows = expected_solutions(store, case.query)
        assert rows, "a case should compare something"
        assert_same_solutions(reply, names, rows, ordered="ORDER BY" in case.query)


# --------------------------------------------------------------------------------------------
# the malformed query's message is the parser's, with its position


@pytest.mark.parametrize("via", ["url", "form", "direct"])
def test_malformed_query_reports_the_parsers_message_and_position(via, server, store) -> None:
    """Protocol §2.1.7: 400 for a query that is not legal SPARQL; the body says where and why."""
    try:
        store.query(MALFORMED)
    except Exception as exc:  # noqa: BLE001 - the in-process message is what we compare with
        message = str(exc)
    else:
        raise AssertionError("MALFORMED should not parse")
    position = re.search(r"error at (\d+):(\d+): (.*)", message)
    assert position, message
    case = Case("malformed", "", query=MALFORMED, method="GET" if via == "url" else "POST", via=via)
    reply = send(server.url, case.method, *build_request(case))
    assert reply.status == 400, reply
    assert f"error at {position.group(1)}:{position.group(2)}" in reply.text, f"position missing\n{reply}"
    assert position.group(3).strip() in reply.text, f"the parser's message is missing\n{reply}"


# --------------------------------------------------------------------------------------------
# CORS preflight (Fetch standard, CORS protocol) for browser clients on other origins


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cors_preflight(method, server) -> None:
    reply = send(
        server.url,
        "OPTIONS",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert 200 <= reply.status < 300, reply
    assert reply.headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN), reply
    methods = {
        m.strip().upper() for m in (reply.headers.get("Access-Control-Allow-Methods") or "").split(",")
    }
    assert {"GET", "POST"} <= methods, reply
    allowed = {
        h.strip().lower() for h in (reply.headers.get("Access-Control-Allow-Headers") or "").split(",")
    }
    assert {"content-type", "accept"} <= allowed or "*" in allowed, reply
    vary = {v.strip().lower() for v in (reply.headers.get("Vary") or "").split(",")}
    assert "accept" in vary, reply


def test_cors_exposes_the_truncation_headers(server) -> None:
    """A page on another origin can read the row-cap signal only if it is exposed."""
    reply = send(server.url, "GET", [("query", ASK)], headers={"Origin": ORIGIN})
    exposed = {
        h.strip().lower() for h in (reply.headers.get("Access-Control-Expose-Headers") or "").split(",")
    }
    assert {"pedkg-result-truncated", "pedkg-row-limit"} <= exposed, reply


# --------------------------------------------------------------------------------------------
# the service description (SPARQL 1.1 Service Description)

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
W3C_FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
EXECUTABLE = {"SELECT": SH.select, "ASK": SH.ask, "CONSTRUCT": SH.construct, "DESCRIBE": SH.describe}


def service_description(server, accept: str | None) -> tuple[Reply, rdflib.Graph]:
    headers = {"Accept": accept} if accept else {}
    reply = send(server.url, "GET", headers=headers)
    assert reply.status == 200, reply
    assert reply.media_type in GRAPH_TYPES, f"SD §2: the description is RDF\n{reply}"
    return reply, parsed_graph(reply)


@pytest.fixture(scope="module")
def description(server) -> rdflib.Graph:
    reply, graph = service_description(server, "text/turtle")
    assert reply.media_type == "text/turtle", reply
    vary = {v.strip().lower() for v in (reply.headers.get("Vary") or "").split(",")}
    assert "accept" in vary, reply
    return graph


def test_service_description_names_the_service_and_its_endpoint(description, server) -> None:
    """SD §2: GET on the endpoint without a query returns the description; SD §3.2.1 sd:Service, §3.4 sd:endpoint."""
    services = set(description.subjects(rdflib.RDF.type, SD.Service))
    assert len(services) == 1, description.serialize(format="turtle")
    service = services.pop()
    assert (service, SD.endpoint, rdflib.URIRef(server.url + "/sparql")) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description


def test_service_description_lists_the_result_formats(description) -> None:
    """SD §3.4 sd:resultFormat, with the W3C format IRIs (http://www.w3.org/ns/formats/)."""
    formats = set(description.objects(None, SD.resultFormat))
    wanted = {
        W3C_FORMATS[name]
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
            "N-Quads",
            "TriG",
        )
    }
    assert wanted <= formats, sorted(formats)


def test_service_description_has_the_union_default_graph_and_the_named_graphs(description, store) -> None:
    """SD §3.3 sd:UnionDefaultGraph; SD §3.4 sd:defaultDataset, sd:defaultGraph, sd:namedGraph, sd:name."""
    service = next(description.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    dataset = description.value(service, SD.defaultDataset)
    assert dataset is not None
    assert description.value(dataset, SD.defaultGraph) is not None
    names = {str(description.value(g, SD.name)) for g in description.objects(dataset, SD.namedGraph)}
    assert names == set(store.named_graphs())


def test_service_description_lists_the_named_queries_as_shacl_executables(description) -> None:
    """The catalogue as sh:SPARQLExecutable (the SIB SPARQL examples convention), one per queries/*.rq."""
    named = catalogue(PROJECT_ROOT / "queries")
    assert named, "the repository has named queries"
    executables = set(description.subjects(rdflib.RDF.type, SH.SPARQLExecutable))
    texts = {}
    for node in executables:
        for predicate in EXECUTABLE.values():
            for text in description.objects(node, predicate):
                texts[str(text)] = node
    for query in named.values():
        assert query.text in texts, f"{query.name} is not in the service description"
        node = texts[query.text]
        assert (node, EXECUTABLE[form_of(query.text)], rdflib.Literal(query.text)) in description, query.name
        assert str(description.value(node, rdflib.RDFS.label)) == query.title, query.name
    assert len(executables) == len(named)


def test_service_description_claims_no_federation_it_refuses(description) -> None:
    """SD §3.3 sd:BasicFederatedQuery says SERVICE is supported; this server refuses every SERVICE by default."""
    service = next(description.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.feature, SD.BasicFederatedQuery) not in description


@pytest.mark.parametrize(
    "accept",
    [
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-quads",
        "application/trig",
        "*/*",
        None,
        "application/rdf+xml;q=0.5, text/turtle;q=0.9",
    ],
)
def test_service_description_in_every_rdf_format(accept, description, server) -> None:
    """SD §2: 'must be made available in an RDF serialization ... should use content negotiation'."""
    reply, graph = service_description(server, accept)
    if accept and "," not in accept and accept != "*/*":
        assert reply.media_type == accept, reply
    assert isomorphic(graph, description), reply


def test_service_description_not_acceptable(server) -> None:
    """RFC 9110 §15.5.7: nothing the client accepts is offered."""
    reply = send(server.url, "GET", headers={"Accept": "image/png"})
    assert reply.status == 406, reply
    assert "text/turtle" in reply.text, reply
