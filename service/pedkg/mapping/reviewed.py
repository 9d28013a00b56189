"""Reviewed SSSOM files: checked, then loaded into a mappings graph ``pkg:links-NAME``.

``pedkg link`` writes proposals; a person reviews them (deletes rows, fixes predicates,
marks a rejection with ``predicate_modifier: Not``, signs with ``reviewer_id`` or
``reviewer_label``) and ``pedkg link --accept FILE`` loads the result. A proposal is not
a fact: a row nobody reviewed (no reviewer, and not ``semapv:ManualMappingCuration``)
is refused. The justification stays what the matching was (SEMAPV keeps *how* a
mapping was found apart from *who checked it*, which ``reviewer_id`` records).

The file is read and checked by ``sssom``'s rules, plus what a reviewed row must be:
reviewed, about two IRIs the store has, and about a pair no curated mapping
(``pkg:mappings-*``) relates already: curated mappings are never overwritten. Every
problem is reported as ``file:line: reason`` and nothing is loaded unless the whole file
is clean.

The graph has the representation ``curated.to_quads`` gives curated sets (a SKOS
triple plus an ``owl:Axiom`` carrying the SSSOM slots as ``sssom:`` properties), so
every page and query that shows mappings shows accepted ones too; a ``Not`` row keeps
its axiom but asserts no SKOS triple. The graph is described in ``pkg:imports`` like an
imported graph (so a rebuild keeps it), with the prefixes the file declared.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import InputError, Problem, ValidationFailed
from ..namespaces import BASE, PREFIXES, STANDARD, graph_iri
from ..sparql.rows import result_rows
from ..store import register
from ..store.backend import open_reader, writing
from ..store.interface import Store
from ..store.register import IMPORTS_IRI
from . import sssom
from .sssom import MappingRow, MappingSet
from .sssom_tsv import AGENT_PREFIXES

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
SSSOM, OWL, XSD = STANDARD["sssom"], STANDARD["owl"], STANDARD["xsd"]
RDF_TYPE = ox.NamedNode(STANDARD["rdf"] + "type")
TSV = "text/tab-separated-values"
LITERAL_SLOTS = ("subject_label", "object_label", "mapping_tool", "mapping_tool_version", "comment")
LITERAL_LISTS = ("reviewer_label", "author_label")

EXISTS = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"
CURATED = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?g ?s ?o WHERE {
  GRAPH ?g { ?axiom owl:annotatedSource ?s ; owl:annotatedTarget ?o }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/pedkg/graph/mappings-"))
}"""


@dataclass(frozen=True)
class AcceptReport:
    graph: str
    mappings: int  # rows that assert a SKOS mapping
    rejected: int  # rows marked predicate_modifier Not
    triples: int


def graph_name(path: Path, name: str | None) -> str:
    """``links-NAME``: NAME as given, else the file's name without ``.sssom.tsv``."""
    chosen = name or path.name.removesuffix(".tsv").removesuffix(".sssom")
    chosen = chosen.removeprefix("links-")
    if not NAME.fullmatch(chosen):
        raise InputError(path, 0, f"graph name {chosen!r} is not [a-z0-9][a-z0-9-]*; give --graph NAME")
    return "links-" + chosen


def check(mapping_set: MappingSet, store: Store) -> list[Problem]:
    """Every problem of a reviewed mapping set, located by line."""
    curated = _curated(store)
    existing: dict[str, bool] = {}

    def rules(row: MappingRow) -> Iterator[str]:
        reviewed = row["reviewer_id"] or row["reviewer_label"]
        if not reviewed and row["mapping_justification"] != "semapv:ManualMappingCuration":
            yield "not reviewed: give reviewer_id or reviewer_label (a proposal is not a fact)"
        subject = sssom.expanded(mapping_set, row["subject_id"])
        obj = sssom.expanded(mapping_set, row["object_id"])
        for column, iri in (("subject_id", subject), ("object_id", obj)):
            if iri is not None and not _exists(iri, existing, store):
                yield f"{column} {row[column]} is in no graph of the store"
        graph = curated.get(frozenset((subject, obj))) if subject and obj else None
        if graph is not None:
            yield (
                f"{row['subject_id']} and {row['object_id']} are already related in {graph}; "
                "curated mappings are never overwritten"
            )

    return sssom.check(mapping_set, REQUIRED_COLUMNS, rules)


def to_quads(
    mapping_set: MappingSet,
    graph: ox.NamedNode | ox.DefaultGraph,
    axiom_base: str = f"{BASE}link-",
    asserts: frozenset[str] | None = None,
) -> Iterator[ox.Quad]:
    """The RDF of a checked mapping set, in ``graph``: its axioms named ``axiom_base`` + a digest
    of the mapping; a row asserts its triple unless rejected or (``asserts``: the predicate IRIs
    that may be asserted) its predicate is not one of them (an imported set's ``oboInOwl:hasDbXref``)."""

    def iri(curie: str) -> ox.NamedNode:
        return ox.NamedNode(mapping_set.iri(curie))

    date = str(mapping_set.metadata.get("mapping_date", ""))
    for row in mapping_set.rows:
        subject, predicate, obj = iri(row["subject_id"]), iri(row["predicate_id"]), iri(row["object_id"])
        if row["predicate_modifier"] != "Not" and (asserts is None or predicate.value in asserts):
            yield ox.Quad(subject, predicate, obj, graph)
        digest = hashlib.sha1(f"{subject.value} {predicate.value} {obj.value}".encode()).hexdigest()[:16]
        axiom = ox.NamedNode(f"{axiom_base}{digest}")

        def slot(name: str, value: ox.NamedNode | ox.Literal, axiom: ox.NamedNode = axiom) -> ox.Quad:
            return ox.Quad(axiom, ox.NamedNode(SSSOM + name), value, graph)

        yield ox.Quad(axiom, RDF_TYPE, ox.NamedNode(OWL + "Axiom"), graph)
        yield ox.Quad(axiom, ox.NamedNode(OWL + "annotatedSource"), subject, graph)
        yield ox.Quad(axiom, ox.NamedNode(OWL + "annotatedProperty"), predicate, graph)
        yield ox.Quad(axiom, ox.NamedNode(OWL + "annotatedTarget"), obj, graph)
        yield slot("mapping_justification", iri(row["mapping_justification"]))
        if row["predicate_modifier"]:
            yield slot("predicate_modifier", ox.Literal(row["predicate_modifier"]))
        if row["confidence"]:
            yield slot("confidence", ox.Literal(row["confidence"], datatype=ox.NamedNode(XSD + "double")))
        for column in sssom.MULTIVALUED_REFERENCES:
            yield from (slot(column, iri(v)) for v in row.values_of(column))
        for column in LITERAL_SLOTS:
            if row[column]:
                yield slot(column, ox.Literal(row[column]))
        for column in LITERAL_LISTS:
            yield from (slot(column, ox.Literal(v)) for v in row.values_of(column))
        when = row["mapping_date"] or date
        if when:
            yield slot("mapping_date", ox.Literal(when, datatype=ox.NamedNode(XSD + "date")))
        for url in row.values_of("see_also"):
            yield ox.Quad(axiom, ox.NamedNode(STANDARD["rdfs"] + "seeAlso"), ox.NamedNode(url), graph)


def accept(settings: Settings, path: Path, name: str | None = None) -> AcceptReport:
    """Check a reviewed file and load it into ``pkg:links-NAME`` in a new store version.

    Raises ``ValidationFailed`` (every problem, nothing changed) or ``InputError``.
    """
    graph_name_ = graph_name(path, name)
    mapping_set = sssom.read(path)
    problems = check(mapping_set, open_reader(settings))
    if problems:
        raise ValidationFailed(problems)
    graph = ox.NamedNode(graph_iri(graph_name_))
    quads = list(dict.fromkeys(to_quads(mapping_set, graph)))
    with writing(settings) as store:
        store.replace_graph(graph.value, [ox.Triple(q.subject, q.predicate, q.object) for q in quads])
        register.forget(store, graph.value)  # described as `pedkg import` describes its graphs
        origin = register.Origin(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), TSV)
        own = {
            k: str(v)
            for k, v in mapping_set.curie_map.items()
            if k not in PREFIXES and k not in AGENT_PREFIXES
        }
        store.add_to_graph(IMPORTS_IRI, register.describe(graph.value, len(quads), origin, own))
    rejected = sum(1 for row in mapping_set.rows if row["predicate_modifier"] == "Not")
    return AcceptReport(graph_name_, len(mapping_set.rows) - rejected, rejected, len(quads))


def _exists(iri: str, cache: dict[str, bool], store: Store) -> bool:
    if iri not in cache:
        cache[iri] = bool(
            result_rows(store.query(EXISTS, substitutions={ox.Variable("x"): ox.NamedNode(iri)}))
        )
    return cache[iri]


def _curated(store: Store) -> dict[frozenset[str], str]:
    found: dict[frozenset[str], str] = {}
    for row in result_rows(store.query(CURATED)):
        graph = row["g"]
        found[frozenset((row["s"].value, row["o"].value))] = "pkg:" + graph.value.removeprefix(graph_iri(""))
    return found
