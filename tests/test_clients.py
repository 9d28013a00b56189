"""Real SPARQL clients against the real server get the same answers as an in-process query.

SPARQLWrapper (JSON, XML, CSV, TSV; GET, URL-encoded POST and direct POST; CONSTRUCT into
an rdflib Graph), rdflib's SPARQLStore, and federation: a pyoxigraph store and the
``oxigraph`` command line, each following ``SERVICE <.../sparql>`` into the server.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from pedkg.store.embedded import GraphStore

from conftest import ALL_BACKENDS

BACKENDS = ALL_BACKENDS  # the web contract holds on the embedded store and on oxigraph serve

PREFIXES = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX pko: <https://w3id.org/pedkg/ontology/>\n"
)
# labels in both languages, codes (typed and plain literals), an OPTIONAL that leaves some unbound
SELECT = (
    PREFIXES
    + """SELECT ?disease ?label ?target ?notation WHERE {
  ?disease a pko:Disease ; rdfs:label ?label .
  OPTIONAL { ?disease skos:exactMatch ?target . OPTIONAL { ?target skos:notation ?notation } }
} ORDER BY ?disease ?label ?target ?notation"""
)
COUNT = PREFIXES + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pko:Disease }"
ASK = PREFIXES + 'ASK { ?d a pko:Disease ; rdfs:label "신경모세포종"@ko }'
CONSTRUCT = (
    PREFIXES
    + "CONSTRUCT { ?d a pko:Disease ; rdfs:label ?l ; skos:exactMatch ?t } WHERE { ?d a pko:Disease ; rdfs:label ?l OPTIONAL { ?d skos:exactMatch ?t } }"
)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# the oxigraph command line installed next to this Python (PyPI oxigraph), else on PATH
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def endpoint(server) -> str:
    return server.url + "/sparql"


# --------------------------------------------------------------------------------------------
# expected answers, in-process, as plain comparable values


def plain(value: object) -> tuple[str, str, str] | None:
    """A term as (kind, lexical form, language or datatype), whoever parsed it."""
    if value is None:
        return None
    if isinstance(value, ox.NamedNode | rdflib.URIRef):
        return ("iri", str(value.value if isinstance(value, ox.NamedNode) else value), "")
    if isinstance(value, ox.Literal):
        extra = value.language or ("" if value.datatype.value == XSD_STRING else value.datatype.value)
        return ("literal", value.value, extra)
    if isinstance(value, rdflib.Literal):
        datatype = str(value.datatype) if value.datatype and str(value.datatype) != XSD_STRING else ""
        return ("literal", str(value), value.language or datatype)
    raise AssertionError(f"unexpected term {value!r}")


def expected(store: GraphStore, query: str) -> tuple[list[str], list[dict[str, tuple[str, str, str] | None]]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows = [{n: plain(s[n]) for n in names} for s in result]
    assert rows
    return names, rows


def expected_graph(store: GraphStore, query: str) -> rdflib.Graph:
    result = store.query(query)
    assert isinstance(result, ox.QueryTriples)
    graph = rdflib.Graph().parse(data=ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    assert len(graph)
    return graph


def lexical(rows):
    """What CSV keeps: the lexical form only, '' for unbound."""
    return [{k: "" if v is None else v[1] for k, v in row.items()} for row in rows]


# --------------------------------------------------------------------------------------------
# SPARQLWrapper


def wrapper(
    server, query: str, fmt: str, method: str = GET, request_method: str = URLENCODED
) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint(server))
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    client.setTimeout(30)
    return client


@pytest.mark.parametrize(
    ("method", "request_method"),
    [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)],
    ids=["get", "post-form", "post-direct"],
)
def test_sparqlwrapper_json(method, request_method, server, store) -> None:
    names, rows = expected(store, SELECT)
    document = wrapper(server, SELECT, JSON, method, request_method).query().convert()
    assert document["head"]["vars"] == names
    got = []
    for binding in document["results"]["bindings"]:
        row = {}
        for n in names:
            b = binding.get(n)
            if b is None:
                row[n] = None
            elif b["type"] == "uri":
                row[n] = ("iri", b["value"], "")
            else:
                extra = b.get("xml:lang") or b.get("datatype", "")
                row[n] = ("literal", b["value"], "" if extra == XSD_STRING else extra)
        got.append(row)
    assert got == rows


def test_sparqlwrapper_xml(server, store) -> None:
    names, rows = expected(store, SELECT)
    document = wrapper(server, SELECT, XML).query().convert()  # an xml.dom.minidom Document
    assert [v.getAttribute("name") for v in document.getElementsByTagName("variable")] == names
    got = []
    for result in document.getElementsByTagName("result"):
        row: dict[str, tuple[str, str, str] | None] = dict.fromkeys(names)
        for binding in result.getElementsByTagName("binding"):
            node = next(c for c in binding.childNodes if c.nodeType == c.ELEMENT_NODE)
            text = "".join(t.data for t in node.childNodes if t.nodeType == t.TEXT_NODE)
            if node.tagName == "uri":
                row[binding.getAttribute("name")] = ("iri", text, "")
            else:
                extra = node.getAttribute("xml:lang") or node.getAttribute("datatype")
                row[binding.getAttribute("name")] = ("literal", text, "" if extra == XSD_STRING else extra)
        got.append(row)
    assert got == rows


@pytest.mark.parametrize("fmt", [CSV, TSV])
def test_sparqlwrapper_csv_and_tsv(fmt, server, store) -> None:
    names, rows = expected(store, SELECT)
    body = wrapper(server, SELECT, fmt).query().convert()
    assert isinstance(body, bytes)
    if fmt == CSV:
        table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert table[0] == names
        assert [dict(zip(names, line, strict=True)) for line in table[1:]] == lexical(rows)
    else:
        result = rdflib.query.Result.parse(io.BytesIO(body), format="tsv")
        assert [str(v) for v in result.vars] == names
        assert [{n: plain(r[i]) for i, n in enumerate(names)} for r in result] == rows


def test_sparqlwrapper_ask(server, store) -> None:
    assert wrapper(server, ASK, JSON).query().convert()["boolean"] is True
    assert bool(store.query(ASK)) is True


def test_sparqlwrapper_construct_into_an_rdflib_graph(server, store) -> None:
    # SPARQLWrapper 2.0 parses RDF/XML into an rdflib ConjunctiveGraph, which rdflib 7 deprecates
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph = wrapper(server, CONSTRUCT, RDFXML).query().convert()
    assert isinstance(graph, rdflib.Graph)
    assert isomorphic(graph, expected_graph(store, CONSTRUCT))


def test_sparqlwrapper_construct_as_turtle(server, store) -> None:
    body = wrapper(server, CONSTRUCT, TURTLE, POST).query().convert()
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert isomorphic(graph, expected_graph(store, CONSTRUCT))


# --------------------------------------------------------------------------------------------
# rdflib's SPARQLStore


@pytest.mark.parametrize(
    ("return_format", "method"),
    [("xml", "GET"), ("json", "GET"), ("json", "POST"), ("xml", "POST_FORM"), ("csv", "GET")],
)
def test_rdflib_sparqlstore_select(return_format, method, server, store) -> None:
    names, rows = expected(store, SELECT)
    remote = SPARQLStore(endpoint(server), returnFormat=return_format, method=method)
    try:
        result = rdflib.Graph(store=remote).query(SELECT)
        assert [str(v) for v in result.vars] == names
        got = [{n: plain(r[i]) for i, n in enumerate(names)} for r in result]
    finally:
        remote.close()
    if return_format == "csv":  # CSV loses term kinds; compare what it keeps
        assert lexical(got) == lexical(rows)
    else:
        assert got == rows


def test_rdflib_sparqlstore_ask_and_count(server, store) -> None:
    remote = SPARQLStore(endpoint(server), returnFormat="json")
    try:
        graph = rdflib.Graph(store=remote)
        assert graph.query(ASK).askAnswer is True
        (count,) = next(iter(graph.query(COUNT)))
    finally:
        remote.close()
    assert plain(count) == expected(store, COUNT)[1][0]["n"]


def test_rdflib_sparqlstore_construct(server, store) -> None:
    remote = SPARQLStore(endpoint(server))
    try:
        result = rdflib.Graph(store=remote).query(CONSTRUCT)
        assert result.graph is not None
        assert isomorphic(result.graph, expected_graph(store, CONSTRUCT))
    finally:
        remote.close()


# --------------------------------------------------------------------------------------------
# federation: other engines follow SERVICE into pedkg


def federated(server, query_body: str, select: str = "SELECT *") -> str:
    """The same query, its pattern moved into SERVICE <endpoint>."""
    return f"{PREFIXES}{select} WHERE {{ SERVICE <{endpoint(server)}> {{ {query_body} }} }}"


SELECT_BODY = """
  ?disease a pko:Disease ; rdfs:label ?label .
  OPTIONAL { ?disease skos:exactMatch ?target . OPTIONAL { ?target skos:notation ?notation } }
"""
LOCAL = PREFIXES + f"SELECT ?disease ?label ?target ?notation WHERE {{ {SELECT_BODY} }}"


def solutions(result: ox.QuerySolutions) -> list[dict[str, tuple[str, str, str] | None]]:
    names = [v.value for v in result.variables]
    return sorted(({n: plain(s[n]) for n in names} for s in result), key=repr)


def test_pyoxigraph_federates_into_the_server(server, store) -> None:
    """pyoxigraph follows SERVICE by default (SPARQL 1.1 Federated Query §3); same rows as in-process."""
    local = ox.Store()
    got = local.query(federated(server, SELECT_BODY, "SELECT ?disease ?label ?target ?notation"))
    assert isinstance(got, ox.QuerySolutions)
    want = store.query(LOCAL)
    assert isinstance(want, ox.QuerySolutions)
    got_rows, want_rows = solutions(got), solutions(want)
    assert want_rows and got_rows == want_rows


def test_pyoxigraph_joins_local_data_with_the_server(server, store) -> None:
    """A join across engines: local notes on two diseases, labels from pedkg."""
    local = ox.Store()
    note = ox.NamedNode("urn:pedkg-test:note")
    for name in ("neuroblastoma", "nephroblastoma"):
        local.add(ox.Quad(ox.NamedNode(f"https://w3id.org/pedkg/{name}"), note, ox.Literal(f"seen {name}")))
    query = (
        PREFIXES
        + "SELECT ?d ?note ?label WHERE { ?d <urn:pedkg-test:note> ?note "
        + f"SERVICE <{endpoint(server)}> {{ ?d rdfs:label ?label FILTER(lang(?label) = 'ko') }} }} ORDER BY ?d"
    )
    got = local.query(query)
    assert isinstance(got, ox.QuerySolutions)
    rows = [(s["d"].value, s["label"].value) for s in got]
    want = store.query(
        PREFIXES + "SELECT ?d ?label WHERE { VALUES ?d { <https://w3id.org/pedkg/neuroblastoma> "
        "<https://w3id.org/pedkg/nephroblastoma> } ?d rdfs:label ?label FILTER(lang(?label) = 'ko') } ORDER BY ?d"
    )
    assert isinstance(want, ox.QuerySolutions)
    assert rows == [(s["d"].value, s["label"].value) for s in want]
    assert len(rows) >= 1


def test_pyoxigraph_federated_ask_and_construct(server, store) -> None:
    local = ox.Store()
    ask = local.query(
        PREFIXES
        + f'ASK {{ SERVICE <{endpoint(server)}> {{ ?d a pko:Disease ; rdfs:label "신경모세포종"@ko }} }}'
    )
    assert bool(ask) is bool(store.query(ASK)) is True
    construct = local.query(
        PREFIXES
        + "CONSTRUCT { ?d a pko:Disease ; rdfs:label ?l ; skos:exactMatch ?t } WHERE { "
        + f"SERVICE <{endpoint(server)}> {{ ?d a pko:Disease ; rdfs:label ?l OPTIONAL {{ ?d skos:exactMatch ?t }} }} }}"
    )
    graph = rdflib.Graph().parse(
        data=ox.serialize(construct, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt"
    )
    assert isomorphic(graph, expected_graph(store, CONSTRUCT))


def test_oxigraph_cli_federates_into_the_server(server, store, tmp_path) -> None:
    """The Oxigraph server's own command line, in another process, federating with SERVICE."""
    assert OXIGRAPH, "the oxigraph command line comes with the dev extras (PyPI oxigraph)"
    location = tmp_path / "store"
    empty = ox.Store(str(location))  # `oxigraph query` opens an existing store
    empty.flush()
    del empty
    query = federated(server, SELECT_BODY, "SELECT ?disease ?label ?target ?notation")
    run = subprocess.run(
        [
            str(OXIGRAPH),
            "query",
            "--location",
            str(location),
            "--query",
            query,
            "--results-format",
            "tsv",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    result = rdflib.query.Result.parse(io.BytesIO(run.stdout), format="tsv")
    names = [str(v) for v in result.vars]
    got = sorted(({n: plain(r[i]) for i, n in enumerate(names)} for r in result), key=repr)
    want = store.query(LOCAL)
    assert isinstance(want, ox.QuerySolutions)
    assert got == solutions(want)
