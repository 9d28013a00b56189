"""Every mapping in the store, curated or accepted, for ``/mappings`` and ``/mappings.sssom.tsv``.

A mapping is an ``owl:Axiom`` with ``owl:annotatedSource``/``Property``/``Target`` and a
``sssom:mapping_justification`` (``mappings.to_quads`` and ``link_sets.to_quads`` write
them alike); its other ``sssom:`` properties and ``rdfs:seeAlso`` fill the SSSOM slots.
Everything is read with two SELECTs through the query pool, so it works on any store
behind ``pool.run``. The export's ``curie_map`` covers every prefix it uses: pedkg's,
and those imported graphs declared (``sh:declare`` in ``pkg:imports``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..namespaces import BASE, GRAPH, STANDARD, VOCABULARY_NAMES
from ..sparql.pool import Pool
from ..sparql.rows import plain, select
from . import sssom_tsv
from .proposals import DECLARED

if TYPE_CHECKING:
    import curies

ROW_LIMIT = 1_000_000  # the page and the export list every mapping; never cut
SSSOM, RDFS = STANDARD["sssom"], STANDARD["rdfs"]

AXIOMS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sssom: <https://w3id.org/sssom/>
SELECT ?g ?axiom ?s ?p ?o ?slot ?value WHERE {
  GRAPH ?g {
    ?axiom owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
      sssom:mapping_justification ?j ; ?slot ?value
    FILTER(STRSTARTS(STR(?slot), "https://w3id.org/sssom/") || ?slot = rdfs:seeAlso)
  }
}"""

NAMES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX sssom: <https://w3id.org/sssom/>
SELECT DISTINCT ?x ?kind ?text WHERE {
  ?axiom sssom:mapping_justification ?j ; owl:annotatedSource|owl:annotatedTarget ?x .
  ?x ?kind ?text
  VALUES ?kind { skos:prefLabel rdfs:label schema:name skos:notation }
  FILTER(isLiteral(?text))
}"""

EXPORT_METADATA: dict[str, object] = {
    "mapping_set_id": "https://w3id.org/pedkg/mappings.sssom.tsv",
    "mapping_set_title": "Every mapping in pedkg",
    "mapping_set_description": "The curated mappings of pedkg's entities to standard vocabularies and the "
    "reviewed mappings accepted with pedkg link, as the store holds them now; mapping_source names the "
    "graph each comes from.",
    "license": "https://creativecommons.org/licenses/by/4.0/",
}
NAME_RANK = {STANDARD["skos"] + "prefLabel": 0, RDFS + "label": 1, "https://schema.org/name": 2}


@dataclass
class Names:
    """The names of one IRI: labels by language, and its code if it is a concept."""

    labels: dict[str, str] = field(default_factory=dict)
    code: str = ""

    def label(self, lang: str) -> tuple[str, str | None]:
        """(label, its language) in ``lang``, else English, else any; ("", None) if none."""
        for wanted in (lang, "en", ""):
            if wanted in self.labels:
                return self.labels[wanted], wanted or None
        for other, text in sorted(self.labels.items()):
            return text, other or None
        return "", None


@dataclass(frozen=True)
class StoredMapping:
    graph: str
    axiom: str
    mapping: sssom_tsv.Mapping
    subject: Names
    object: Names

    @property
    def graph_name(self) -> str:
        return self.graph.removeprefix(GRAPH)

    @property
    def curated(self) -> bool:
        return self.graph_name.startswith("mappings-")


@dataclass(frozen=True)
class AllMappings:
    mappings: list[StoredMapping]
    prefixes: dict[str, str]  # declared by imported graphs
    prefix_graphs: dict[str, str]  # declared prefix -> the graph that declared it

    @cached_property
    def converter(self) -> curies.Converter:
        import curies  # lazily: a quarter second of every command's start

        return curies.Converter.from_prefix_map(sssom_tsv.known_prefixes(self.prefixes))

    def curie(self, iri: str) -> str:
        """The CURIE of an IRI, with imported graphs' prefixes too; else the IRI."""
        return self.converter.compress(iri, passthrough=True)

    def vocabulary(self, iri: str) -> tuple[str, str]:
        """(prefix, name) of the vocabulary or graph an IRI belongs to."""
        curie = self.curie(iri)
        prefix = curie.partition(":")[0] if curie != iri else ""
        if prefix in self.prefix_graphs:
            return prefix, "pkg:" + self.prefix_graphs[prefix].removeprefix(GRAPH)
        if iri.startswith(BASE):
            return prefix, "pedkg"
        return prefix, VOCABULARY_NAMES.get(prefix, prefix or iri)

    def to_tsv(self) -> str:
        """Every mapping as one SSSOM TSV document, its labels in English where there are some."""
        rows = []
        for stored in self.mappings:
            mapping = stored.mapping
            rows.append(
                replace(
                    mapping,
                    subject_label=mapping.subject_label or stored.subject.label("en")[0],
                    object_label=mapping.object_label or stored.object.label("en")[0],
                    mapping_source=stored.graph,
                )
            )
        rows.sort(key=lambda m: (m.subject_id, m.object_id, m.predicate_id, m.mapping_source))
        return sssom_tsv.write(rows, EXPORT_METADATA, self.prefixes)


def load(pool: Pool) -> AllMappings:
    """Every mapping axiom of the store with the names of both ends, through the query pool."""
    slots: dict[tuple[str, str], dict[str, Any]] = {}
    values: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cells in plain(select(pool, AXIOMS, ROW_LIMIT)):
        key = (cells["g"], cells["axiom"])
        slots.setdefault(key, {"s": cells["s"], "p": cells["p"], "o": cells["o"]})
        slot = cells["slot"]
        name = "see_also" if slot == RDFS + "seeAlso" else slot.removeprefix(SSSOM)
        values[key][name].append(cells["value"])
    names: dict[str, Names] = defaultdict(Names)
    ranked: dict[tuple[str, str], int] = {}
    for row in select(pool, NAMES, ROW_LIMIT):
        iri, kind, text = row["x"].value, row["kind"].value, row["text"]
        if kind == STANDARD["skos"] + "notation":
            names[iri].code = text.value
            continue
        lang = text.language or ""
        rank = NAME_RANK.get(kind, 9)
        if (iri, lang) not in ranked or rank < ranked[iri, lang]:
            ranked[iri, lang] = rank
            names[iri].labels[lang] = text.value
    declared = plain(select(pool, DECLARED, ROW_LIMIT))
    prefixes = {r["prefix"]: r["namespace"] for r in declared}
    # a prefix names the graph that holds the entities, not the links graph that reused it
    by_kind = sorted(declared, key=lambda r: not r["g"].startswith(GRAPH + "links-"))
    prefix_graphs = {r["prefix"]: r["g"] for r in by_kind}
    found = []
    for (graph, axiom), ends in sorted(slots.items(), key=lambda item: (item[1]["s"], item[1]["o"], item[0])):
        mapping = _mapping(ends, values[graph, axiom])
        found.append(StoredMapping(graph, axiom, mapping, names[ends["s"]], names[ends["o"]]))
    return AllMappings(found, prefixes, prefix_graphs)


def _mapping(ends: dict[str, str], slots: dict[str, list[str]]) -> sssom_tsv.Mapping:
    def one(name: str) -> str:
        return sorted(slots.get(name, [""]))[0]

    def many(name: str) -> tuple[str, ...]:
        return tuple(sorted(slots.get(name, [])))

    return sssom_tsv.Mapping(
        subject_id=ends["s"],
        predicate_id=ends["p"],
        object_id=ends["o"],
        mapping_justification=one("mapping_justification"),
        subject_label=one("subject_label"),
        predicate_modifier=one("predicate_modifier"),
        object_label=one("object_label"),
        confidence=_score(one("confidence")),
        author_id=many("author_id"),
        reviewer_id=many("reviewer_id"),
        reviewer_label=many("reviewer_label"),
        mapping_tool=one("mapping_tool"),
        mapping_tool_version=one("mapping_tool_version"),
        mapping_date=one("mapping_date"),
        object_source_version=one("object_source_version"),
        see_also=many("see_also"),
        comment=one("comment"),
    )


def _score(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
