"""Every mapping in the store, curated, accepted or imported, for ``/mappings`` and ``/mappings.sssom.tsv``.

A mapping is an ``owl:Axiom`` with ``owl:annotatedSource``/``Property``/``Target`` and a
``sssom:mapping_justification`` (``curated.to_quads`` and ``reviewed.to_quads`` write
them alike); its other ``sssom:`` properties and ``rdfs:seeAlso`` fill the SSSOM slots.
Both ends are named by the one label rule (``pedkg.labels``), ``schema:name`` standing
for ``rdfs:label`` where an end has no label in a language.
Everything is read with SELECTs through the query pool, so it works on any store
behind ``pool.run``. The export's ``curie_map`` covers every prefix it uses: pedkg's,
and those imported graphs declared (``sh:declare`` in ``pkg:imports``).

An imported mapping set can hold 100,000 mappings (MONDO's), more than a page can read in a
query's time: ``index`` reads every axiom's key (subject, object, graph, justification) in one
query, which a page sorts, counts and filters, and ``load`` reads the slots of a window of it,
naming only the ends it read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from string import Template
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

PREFIXES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sssom: <https://w3id.org/sssom/>
"""
#: every mapping axiom with what a page sorts, counts and filters it by
KEYS = (
    PREFIXES
    + """SELECT ?g ?axiom ?s ?o ?j WHERE {
  GRAPH ?g { ?axiom sssom:mapping_justification ?j ; owl:annotatedSource ?s ; owl:annotatedTarget ?o }
}"""
)
AXIOMS = Template(
    PREFIXES
    + """SELECT ?g ?axiom ?s ?p ?o ?slot ?value WHERE {
  $window
  GRAPH ?g {
    ?axiom owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
      sssom:mapping_justification ?j ; ?slot ?value
    FILTER(STRSTARTS(STR(?slot), "https://w3id.org/sssom/") || ?slot = rdfs:seeAlso)
  }
}"""
)
#: what an object IRI's namespace is taken to be: all but its local part
OBJECT_NAMESPACE = re.compile(r"[^/#_:=]+$")

NAMES = Template("""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX sssom: <https://w3id.org/sssom/>
SELECT DISTINCT ?x ?kind ?text WHERE {
  $ends
  ?x ?kind ?text
  VALUES ?kind { skos:prefLabel rdfs:label schema:name skos:notation }
  FILTER(isLiteral(?text))
}""")
EVERY_END = "?axiom sssom:mapping_justification ?j ; owl:annotatedSource|owl:annotatedTarget ?x ."

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
class Key:
    """One mapping axiom, as a page sorts (subject, object), counts and filters it."""

    subject: str
    object: str
    graph: str
    axiom: str
    justification: str

    @property
    def namespace(self) -> str:
        return OBJECT_NAMESPACE.sub("", self.object)


@dataclass(frozen=True)
class Index:
    """Every mapping axiom's key, sorted: a page is a slice of it, the same in every query process
    (the store's own order differs between the in-memory copy and the disk)."""

    keys: list[Key]

    def matching(
        self, graph: str = "", justification: str = "", namespaces: frozenset[str] | None = None
    ) -> list[Key]:
        """The keys of one graph and justification (IRIs; "" for any), objects in ``namespaces``."""
        return [
            key
            for key in self.keys
            if (not graph or key.graph == graph)
            and (not justification or key.justification == justification)
            and (namespaces is None or key.namespace in namespaces)
        ]

    def examples(self) -> dict[str, str]:
        """An object of each object namespace, to name the namespace's vocabulary by."""
        return {key.namespace: key.object for key in reversed(self.keys)}


def index(pool: Pool) -> Index:
    """Every mapping axiom's key, sorted by subject and object (one query: 0.7 s for MONDO's 125,000)."""
    rows = plain(select(pool, KEYS, ROW_LIMIT))
    keys = [Key(r["s"], r["o"], r["g"], r["axiom"], r["j"]) for r in rows]
    return Index(sorted(keys, key=lambda k: (k.subject, k.object, k.graph, k.axiom)))


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


def declared(pool: Pool) -> AllMappings:
    """No mappings, only the prefixes imported graphs declared: what names vocabularies and CURIEs."""
    rows = plain(select(pool, DECLARED, ROW_LIMIT))
    prefixes = {r["prefix"]: r["namespace"] for r in rows}
    # a prefix names the graph that holds the entities, not the links graph that reused it
    by_kind = sorted(rows, key=lambda r: not r["g"].startswith(GRAPH + "links-"))
    return AllMappings([], prefixes, {r["prefix"]: r["g"] for r in by_kind})


def load(pool: Pool, window: list[Key] | None = None) -> AllMappings:
    """The mapping axioms of a window of the index (else every one) with the names of both ends."""
    pairs = ""
    if window is not None:
        listed = " ".join(f"({ox.NamedNode(key.graph)} {ox.NamedNode(key.axiom)})" for key in window)
        pairs = f"VALUES (?g ?axiom) {{ {listed} }}"
    slots: dict[tuple[str, str], dict[str, Any]] = {}
    values: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cells in plain(select(pool, AXIOMS.substitute(window=pairs), ROW_LIMIT)):
        key = (cells["g"], cells["axiom"])
        slots.setdefault(key, {"s": cells["s"], "p": cells["p"], "o": cells["o"]})
        slot = cells["slot"]
        name = "see_also" if slot == RDFS + "seeAlso" else slot.removeprefix(SSSOM)
        values[key][name].append(cells["value"])
    labels = Labels()
    codes: dict[str, str] = {}
    named = EVERY_END
    if window is not None:  # a window: name only its ends
        iris = sorted({axiom[end] for axiom in slots.values() for end in ("s", "o")})
        named = "VALUES ?x { " + " ".join(str(ox.NamedNode(iri)) for iri in iris) + " }"
    name_rows = select(pool, NAMES.substitute(ends=named), ROW_LIMIT) if slots else []
    # schema:name stands for rdfs:label where an IRI has neither label in that language
    labelled = {(r["x"].value, r["text"].language) for r in name_rows if r["kind"].value in LABELS}
    for row in name_rows:
        iri, kind, text = row["x"].value, row["kind"].value, row["text"]
        lang = text.language
        if kind == STANDARD["skos"] + "notation":
            codes[iri] = text.value
        elif kind in LABELS or (iri, lang) not in labelled:
            labels.add(iri, kind if kind in LABELS else RDFS_LABEL, ox.Literal(text.value, language=lang))
    names = declared(pool)
    found = []
    for (graph, axiom), ends in sorted(slots.items(), key=lambda item: (item[1]["s"], item[1]["o"], item[0])):
        mapping = _mapping(ends, values[graph, axiom])
        subject, obj = (Names(ends[e], labels, codes.get(ends[e], "")) for e in ("s", "o"))
        found.append(StoredMapping(graph, axiom, mapping, subject, obj))
    return AllMappings(found, names.prefixes, names.prefix_graphs)


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
