"""Result formats: names, media types and serialisation by pyoxigraph.

Results of SELECT/ASK and graphs of CONSTRUCT/DESCRIBE have separate lists; the
first entry of each is the default.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import QueryError
from .store import QueryResult


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str


RESULT_FORMATS: dict[str, tuple[Format, ox.QueryResultsFormat]] = {
    "json": (Format("json", "application/sparql-results+json", "srj"), ox.QueryResultsFormat.JSON),
    "xml": (Format("xml", "application/sparql-results+xml", "srx"), ox.QueryResultsFormat.XML),
    "csv": (Format("csv", "text/csv", "csv"), ox.QueryResultsFormat.CSV),
    "tsv": (Format("tsv", "text/tab-separated-values", "tsv"), ox.QueryResultsFormat.TSV),
}

GRAPH_FORMATS: dict[str, tuple[Format, ox.RdfFormat]] = {
    "turtle": (Format("turtle", "text/turtle", "ttl"), ox.RdfFormat.TURTLE),
    "ntriples": (Format("ntriples", "application/n-triples", "nt"), ox.RdfFormat.N_TRIPLES),
    "jsonld": (Format("jsonld", "application/ld+json", "jsonld"), ox.RdfFormat.JSON_LD),
    "rdfxml": (Format("rdfxml", "application/rdf+xml", "rdf"), ox.RdfFormat.RDF_XML),
}


def serialize(result: QueryResult, name: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise a query result in the named format (``json``, ``csv``, ``turtle``, ...)."""
    if isinstance(result, ox.QueryTriples):
        if name not in GRAPH_FORMATS:
            raise QueryError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}, not {name}")
        return ox.serialize(result, format=GRAPH_FORMATS[name][1], prefixes=prefixes) or b""
    if name not in RESULT_FORMATS:
        raise QueryError(
            f"a SELECT or ASK result is written as {', '.join(RESULT_FORMATS)}, not {name}"
        )
    return result.serialize(format=RESULT_FORMATS[name][1]) or b""
