"""The SPARQL 1.1 Service Description of the endpoint, as RDF.

It names the endpoint, the query language and the versions of it (SPARQL 1.0 and 1.1: the
engine reads 1.2's VERSION and LANGDIR but not its triple terms, so 1.2 is not claimed), the
base that relative IRIs resolve against, every result format (by its W3C format
IRI), the union default graph and the named graphs, and the catalogue's named
queries as SHACL SPARQL executables (the convention of the SIB SPARQL examples), so
that a client can discover what to ask.
"""

from __future__ import annotations

import pyoxigraph as ox

from .catalogue import NamedQuery

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"
SPARQL = "http://www.w3.org/ns/sparql#"
#: the language versions the service description claims (``sd:supportedVersion``)
VERSIONS = ("version-1.0", "version-1.1")

#: pedkg format name -> W3C format IRI
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "nquads": "N-Quads",
    "trig": "TriG",
}
EXECUTABLE = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}


def describe(
    endpoint: str,
    graphs: list[str],
    examples: list[tuple[NamedQuery, str, str]],
    federates: bool = False,
    base_iri: str | None = None,
) -> list[ox.Triple]:
    """Triples describing the endpoint; ``examples`` are (query, its page IRI, its form).

    ``federates``: SERVICE is allowed to some endpoints, so basic federated query is a feature.
    """
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), service),
        ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQLQuery")),
        *(
            ox.Triple(service, ox.NamedNode(SD + "supportedVersion"), ox.NamedNode(SPARQL + v))
            for v in VERSIONS
        ),
        ox.Triple(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset")),
    ]
    if base_iri is not None:
        said = (
            f"Relative IRIs in a query resolve against <{base_iri}> unless the query declares its own BASE."
        )
        triples.append(ox.Triple(service, ox.NamedNode(RDFS + "comment"), ox.Literal(said, language="en")))
    if federates:
        triples.append(
            ox.Triple(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "BasicFederatedQuery"))
        )
    triples += [
        ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS + name))
        for name in FORMAT_IRIS.values()
    ]
    default_graph = ox.BlankNode()
    triples += [
        ox.Triple(dataset, ox.NamedNode(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, ox.NamedNode(SD + "Graph")),
    ]
    for graph in graphs:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, ox.NamedNode(SD + "NamedGraph")),
            ox.Triple(named, ox.NamedNode(SD + "name"), ox.NamedNode(graph)),
        ]
    for query, page, form in examples:
        node = ox.NamedNode(page)
        kind = EXECUTABLE.get(form, "select")
        triples += [
            ox.Triple(node, RDF_TYPE, ox.NamedNode(SH + "SPARQLExecutable")),
            ox.Triple(node, RDF_TYPE, ox.NamedNode(SH + f"SPARQL{kind.capitalize()}Executable")),
            ox.Triple(node, ox.NamedNode(SH + kind), ox.Literal(query.text)),
            ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(query.title, language="en")),
            ox.Triple(node, ox.NamedNode(RDFS + "comment"), ox.Literal(query.description, language="en")),
            ox.Triple(node, ox.NamedNode(SCHEMA + "target"), service),
        ]
    return triples
