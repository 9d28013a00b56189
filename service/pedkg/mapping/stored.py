"""Every mapping in the store, curated, accepted or imported, for ``/mappings`` and ``/mappings.sssom.tsv``.

A mapping is an ``owl:Axiom`` with ``owl:annotatedSource``/``Property``/``Target`` and a
``sssom:mapping_justification`` (``curated.to_quads`` and ``reviewed.to_quads`` write
them alike); its other ``sssom:`` properties and ``rdfs:seeAlso`` fill the SSSOM slots.
Both ends are named by the one label rule (``pedkg.labels``), ``schema:name`` standing
for ``rdfs:label`` where an end has no label in a language.
Everything is read with two SELECTs through the query pool, so it works on any store
behind ``pool.run``. The export's ``curie_map`` covers every prefix it uses: pedkg's,
and those imported graphs declared (``sh:declare`` in ``pkg:imports``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..labels import PREF_LABEL, RDFS_LABEL, Labels
from ..namespaces import BASE, GRAPH, STANDARD, VOCABULARY_NAMES, converter_with
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
    "reviewed mappings accepted with pedkg link and the mapping sets imported with pedkg import, as the "
    "store holds them now; mapping_source names the graph each comes from.",
    "license": "https://creativecommons.org/licenses/by/4.0/",
}
LABELS = (PREF_LABEL, RDFS_LABEL)


@dataclass(frozen=True)
class Names:
    """The names of one IRI, named by the one label rule (``labels.Labels``), and its code."""

    iri: str
    labels: Labels
    code: str = ""

    def label(self, lang: str) -> tuple[str, str | None]:
        """(label, its language) by the label rule; ("", None) when it has none."""
        text = self.labels.label(self.iri, lang)
        return ("", None) if text.lang == "zxx" else (text.value, text.lang)  # "zxx": only the CURIE


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

    @property
    def kind(self) -> str:
        """Where the mapping came from: "curated" (the build's files), "accepted" (``pedkg link
        --accept``) or "imported" (a published set, ``pedkg import``)."""
        if self.curated:
            return "curated"
        return "accepted" if self.graph_name.startswith("links-") else "imported"


@dataclass(frozen=True)
class AllMappings:
    mappings: list[StoredMapping]
    prefixes: dict[str, str]  # declared by imported graphs
    prefix_graphs: dict[str, str]  # declared prefix -> the graph that declared it

    @cached_property
    def converter(self) -> curies.Converter:
        return converter_with(sssom_tsv.AGENT_PREFIXES, self.prefixes)

    def curie(self, iri: str) -> str:
        """The CURIE of an IRI, with imported graphs' prefixes too; else the IRI."""
        return self.converter.compress(iri, passthrough=True)

    def vocabulary(self, iri: str) -> tuple[str, str]:
        """(prefix, name) of the vocabulary or graph an IRI belongs to."""
        reference = self.converter.parse_uri(iri)
        prefix = reference.prefix if reference is not None else ""
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
    labels = Labels()
    codes: dict[str, str] = {}
    name_rows = select(pool, NAMES, ROW_LIMIT)
    # schema:name stands for rdfs:label where an IRI has neither label in that language
    labelled = {(r["x"].value, r["text"].language) for r in name_rows if r["kind"].value in LABELS}
    for row in name_rows:
        iri, kind, text = row["x"].value, row["kind"].value, row["text"]
        lang = text.language
        if kind == STANDARD["skos"] + "notation":
            codes[iri] = text.value
        elif kind in LABELS or (iri, lang) not in labelled:
            labels.add(iri, kind if kind in LABELS else RDFS_LABEL, ox.Literal(text.value, language=lang))
    declared = plain(select(pool, DECLARED, ROW_LIMIT))
    prefixes = {r["prefix"]: r["namespace"] for r in declared}
    # a prefix names the graph that holds the entities, not the links graph that reused it
    by_kind = sorted(declared, key=lambda r: not r["g"].startswith(GRAPH + "links-"))
    prefix_graphs = {r["prefix"]: r["g"] for r in by_kind}
    found = []
    for (graph, axiom), ends in sorted(slots.items(), key=lambda item: (item[1]["s"], item[1]["o"], item[0])):
        mapping = _mapping(ends, values[graph, axiom])
        subject, obj = (Names(ends[e], labels, codes.get(ends[e], "")) for e in ("s", "o"))
        found.append(StoredMapping(graph, axiom, mapping, subject, obj))
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
