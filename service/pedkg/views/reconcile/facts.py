"""What reconciliation knows beyond the search index, read once per store version.

The search index finds entities by name; a query also matches codes (an entity's SKOS
mappings to an external vocabulary, each scored by how close the mapping is), a candidate
carries its definition, and a type selects its subclasses' entities, so the class
hierarchy is needed too, with the labels of classes from other graphs (schema.org's).
One SELECT (``FACTS_QUERY``) through the query pool reads all of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ...labels import DEFINITION, RDFS_LABEL, Labels
from ...namespaces import BASE, EXTERNAL, STANDARD, compress
from ...sparql.pool import Pool
from ...sparql.rows import Row, select
from ...store.per_version import PerVersion

SKOS = STANDARD["skos"]
SUBCLASS_OF = STANDARD["rdfs"] + "subClassOf"
#: how much a code found through each mapping relation scores; relatedMatch and others less
RELATION_SCORES = {"exactMatch": 100.0, "closeMatch": 90.0, "broadMatch": 70.0, "narrowMatch": 70.0}
RELATED_SCORE = 50.0

FACTS_QUERY = f"""
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?kind ?o WHERE {{
  {{ VALUES ?kind {{ skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }}
    ?s ?kind ?o FILTER(isIRI(?o) && STRSTARTS(STR(?s), "{BASE}")) }}
  UNION
  {{ ?s skos:definition ?o BIND(skos:definition AS ?kind) FILTER(STRSTARTS(STR(?s), "{BASE}")) }}
  UNION
  {{ SELECT DISTINCT ?s ?kind ?o WHERE {{
      ?entity rdf:type ?type FILTER(STRSTARTS(STR(?entity), "{BASE}"))
      ?type rdfs:subClassOf* ?s . ?s rdfs:subClassOf ?o FILTER(isIRI(?o))
      BIND(rdfs:subClassOf AS ?kind) }} }}
  UNION
  {{ SELECT DISTINCT ?s ?kind ?o WHERE {{
      ?entity rdf:type ?type FILTER(STRSTARTS(STR(?entity), "{BASE}"))
      ?type rdfs:subClassOf* ?s . ?s rdfs:label ?o FILTER(isIRI(?s) && !STRSTARTS(STR(?s), "{BASE}"))
      BIND(rdfs:label AS ?kind) }} }}
}}
"""  # the namespace is pedkg's own constant, written in once; nothing from a request goes in
FACTS_ROW_LIMIT = 1_000_000


@dataclass(frozen=True)
class Code:
    prefix: str
    code: str
    relation: str  # exactMatch, closeMatch, ...

    @property
    def score(self) -> float:
        return RELATION_SCORES.get(self.relation, RELATED_SCORE)


@dataclass
class Facts:
    """What reconciliation needs beyond the search index, for one store version."""

    codes: dict[str, list[Code]] = field(default_factory=lambda: defaultdict(list))
    by_code: dict[tuple[str, str], list[tuple[str, Code]]] = field(default_factory=lambda: defaultdict(list))
    names: Labels = field(default_factory=Labels)  # entities' definitions, other graphs' class labels
    broader: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> Facts:
        """Build from the rows (terms) of ``FACTS_QUERY``."""
        facts = cls()
        for row in rows:
            subject, kind, value = row["s"].value, row["kind"].value, row["o"]
            if kind in (DEFINITION, RDFS_LABEL):
                if isinstance(value, ox.Literal):
                    facts.names.add(subject, kind, value)
            elif kind == SUBCLASS_OF:
                facts.broader[subject].add(value.value)
            else:
                prefix, _, code = compress(value.value).partition(":")
                if prefix in EXTERNAL and code:
                    found = Code(prefix, code, kind.removeprefix(SKOS))
                    facts.codes[subject].append(found)
                    facts.by_code[(prefix, code.casefold())].append((subject, found))
        return facts

    def ancestors(self, type_iri: str) -> set[str]:
        """The type and every class above it."""
        seen, todo = {type_iri}, [type_iri]
        while todo:
            for parent in self.broader.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


_facts: PerVersion[Facts] = PerVersion()


def facts_for(pool: Pool) -> Facts:
    """The facts of the pool's current store version, fetched once per version."""

    def build(version: str) -> Facts:
        return Facts.from_rows(select(pool, FACTS_QUERY, FACTS_ROW_LIMIT))

    return _facts.get(pool.version(), "reconcile-facts", build)
