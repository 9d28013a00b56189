"""The division's curated mapping files (``data/mappings/*.sssom.tsv``): checked, then RDF.

Read and checked by ``sssom``'s rules, plus what a curated row must give: its object's
label, its justification and a source (``see_also``), a subject that is an entity of the
graph, and a code that its code list (where one ships) has under that label; the code
lists are the caller's (``ingest.codelists``), handed in as ``code_problem``.

A row becomes a SKOS mapping triple (``subject skos:exactMatch object``) plus an
``owl:Axiom`` annotating it with the SSSOM slots (justification, source, label), so
pages and queries can show why a mapping holds; a ``predicate_modifier: Not`` row keeps
its axiom and asserts no triple. The external concept gets its label and code
(``skos:notation``) so that search by code works.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from ..errors import Problem
from ..namespaces import BASE, EXTERNAL, STANDARD
from . import sssom
from .sssom import MappingRow, MappingSet

REQUIRED_COLUMNS = (
    "subject_id",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "see_also",
)

SKOS = STANDARD["skos"]
OWL = STANDARD["owl"]
RDF_TYPE = ox.NamedNode(STANDARD["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(STANDARD["rdfs"] + "label")
RDFS_SEE_ALSO = ox.NamedNode(STANDARD["rdfs"] + "seeAlso")
SSSOM = STANDARD["sssom"]

#: (prefix, local id, label, the row's see_also) -> why the code list refuses the code, None
#: when it has it (see_also tells which pinned copy of a source a row is checked against)
CodeProblem = Callable[[str, str, str, list[str]], "str | None"]


def check(mapping_set: MappingSet, known_subjects: set[str], code_problem: CodeProblem) -> list[Problem]:
    """Every problem of a curated mapping set, located by line."""

    def rules(row: MappingRow) -> Iterator[str]:
        subject = sssom.expanded(mapping_set, row["subject_id"])
        if subject is not None and subject.startswith(BASE) and subject not in known_subjects:
            yield f"subject_id {row['subject_id']} is not an entity of the graph"
        if sssom.expanded(mapping_set, row["object_id"]) is None:
            return
        prefix, local_id = mapping_set.reference(row["object_id"])
        if prefix in EXTERNAL:
            reason = code_problem(prefix, local_id, row["object_label"], row.values_of("see_also"))
            if reason is not None:
                yield reason

    return sssom.check(mapping_set, REQUIRED_COLUMNS, rules)


def to_quads(mapping_set: MappingSet, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The RDF of a checked mapping set, in ``graph``."""

    def iri(curie: str) -> ox.NamedNode:
        return ox.NamedNode(mapping_set.iri(curie))

    for row in mapping_set.rows:
        subject, predicate, obj = (
            iri(row["subject_id"]),
            iri(row["predicate_id"]),
            iri(row["object_id"]),
        )
        if row["predicate_modifier"] != "Not":
            yield ox.Quad(subject, predicate, obj, graph)
        yield ox.Quad(obj, RDFS_LABEL, ox.Literal(row["object_label"], language="en"), graph)
        notation = mapping_set.reference(row["object_id"])[1]
        yield ox.Quad(obj, ox.NamedNode(SKOS + "notation"), ox.Literal(notation), graph)
        digest = hashlib.sha1(
            f"{row['subject_id']} {row['predicate_id']} {row['object_id']}".encode()
        ).hexdigest()[:16]
        axiom = ox.NamedNode(f"{BASE}mapping-{digest}")
        yield ox.Quad(axiom, RDF_TYPE, ox.NamedNode(OWL + "Axiom"), graph)
        yield ox.Quad(axiom, ox.NamedNode(OWL + "annotatedSource"), subject, graph)
        yield ox.Quad(axiom, ox.NamedNode(OWL + "annotatedProperty"), predicate, graph)
        yield ox.Quad(axiom, ox.NamedNode(OWL + "annotatedTarget"), obj, graph)
        yield ox.Quad(
            axiom,
            ox.NamedNode(SSSOM + "mapping_justification"),
            iri(row["mapping_justification"]),
            graph,
        )
        for url in row.values_of("see_also"):
            yield ox.Quad(axiom, RDFS_SEE_ALSO, ox.NamedNode(url), graph)
        for column in ("predicate_modifier", "object_source_version", "comment"):
            if row[column]:
                yield ox.Quad(axiom, ox.NamedNode(SSSOM + column), ox.Literal(row[column]), graph)
