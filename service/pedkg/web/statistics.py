"""What the dataset holds, counted: triples, entities per class, triples per property, links.

The home page shows these counts and ``/void`` publishes them as VoID; both read them
from here so they cannot disagree. Every number is a COUNT over the union of the
graphs, run through the query pool like any other query. Links to an external
vocabulary are the ``skos:*Match`` triples from a pedkg subject to an IRI under one of
``namespaces.EXTERNAL``'s URI prefixes; the vocabulary is that prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..namespaces import BASE, EXTERNAL, VOCABULARY_NAMES
from ..sparql import rows
from ..store.per_version import PerVersion
from . import world

SKOS = "http://www.w3.org/2004/02/skos/core#"
MAPPING_PREDICATES = tuple(
    SKOS + name for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
)

#: one row per distinct triple of the union: the dataset's size
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?class)) }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PROPERTIES = """
SELECT ?property (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?property ?o WHERE { ?s ?property ?o } }
GROUP BY ?property ORDER BY DESC(?n) ?property
"""
LINKS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }
  ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?s), "https://w3id.org/pedkg/"))
}
"""
SUBJECTS = """
SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/pedkg/")) }
ORDER BY ?s
"""
#: far above any count query's rows; a statistic must never be cut
ROW_LIMIT = 1_000_000


@dataclass
class Linkset:
    """The links from pedkg to one external vocabulary, by mapping predicate."""

    prefix: str
    name: str
    uri_space: str
    by_predicate: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.by_predicate.values())


@dataclass
class Statistics:
    triples: int
    classes: dict[str, int]  # class IRI -> distinct instances
    properties: dict[str, int]  # property IRI -> distinct triples
    linksets: list[Linkset]

    @property
    def mappings(self) -> int:
        return sum(linkset.triples for linkset in self.linksets)

    def count(self, class_iri: str) -> int:
        return self.classes.get(class_iri, 0)


def select(sparql: str) -> list[dict[str, str]]:
    """A constant SELECT over the union through this worker's pool, as rows of plain values."""
    return rows.plain(rows.select(world().pool, sparql, ROW_LIMIT))


def vocabulary_of(iri: str) -> str | None:
    """The prefix of ``EXTERNAL`` whose URI prefix is the longest that starts ``iri``."""
    fits = [prefix for prefix, space in EXTERNAL.items() if iri.startswith(space)]
    return max(fits, key=lambda prefix: len(EXTERNAL[prefix]), default=None)


_counted: PerVersion[Statistics] = PerVersion()


def compute() -> Statistics:
    """Every count, computed once per store version (a swap makes a new version folder)."""
    return _counted.get(world().pool.version(), "statistics", lambda _: _count())


def _count() -> Statistics:
    linksets: dict[str, Linkset] = {}
    for row in select(LINKS):
        prefix = vocabulary_of(row["o"])
        if prefix is None:
            continue
        linkset = linksets.setdefault(
            prefix, Linkset(prefix, VOCABULARY_NAMES.get(prefix, prefix), EXTERNAL[prefix])
        )
        linkset.by_predicate[row["p"]] = linkset.by_predicate.get(row["p"], 0) + 1
    order = list(EXTERNAL)
    return Statistics(
        triples=int(select(TRIPLES)[0]["n"]),
        classes={row["class"]: int(row["n"]) for row in select(CLASSES)},
        properties={row["property"]: int(row["n"]) for row in select(PROPERTIES)},
        linksets=sorted(linksets.values(), key=lambda linkset: order.index(linkset.prefix)),
    )


def pedkg_subjects() -> list[str]:
    """Every IRI under pedkg's namespace that is the subject of a triple: its pages."""
    return [row["s"] for row in select(SUBJECTS) if row["s"].startswith(BASE)]
