"""SSSOM mapping files: read them with line numbers, check every row, turn them into RDF.

A row becomes a SKOS mapping triple (``subject skos:exactMatch object``) plus an
``owl:Axiom`` annotating it with the SSSOM slots (justification, source, label), so
pages and queries can show why a mapping holds. The external concept gets its
label and code (``skos:notation``) so that search by code works.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..errors import InputError, Problem
from ..ingest import codelists
from ..namespaces import BASE, EXTERNAL, PREFIXES, STANDARD

REQUIRED_METADATA = ("mapping_set_id", "license", "curie_map")
REQUIRED_COLUMNS = (
    "subject_id",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "see_also",
)
PREDICATES = {
    f"skos:{name}" for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
}

SKOS = STANDARD["skos"]
OWL = STANDARD["owl"]
RDF_TYPE = ox.NamedNode(STANDARD["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(STANDARD["rdfs"] + "label")
RDFS_SEE_ALSO = ox.NamedNode(STANDARD["rdfs"] + "seeAlso")
SSSOM = STANDARD["sssom"]


@dataclass(frozen=True)
class MappingRow:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class MappingSet:
    path: Path
    metadata: dict[str, object]
    rows: list[MappingRow]

    @property
    def curie_map(self) -> dict[str, str]:
        value = self.metadata.get("curie_map")
        return value if isinstance(value, dict) else {}


def read(path: Path) -> MappingSet:
    """Parse an SSSOM TSV file: a ``#``-commented YAML block, then a table.

    Raises ``InputError`` with the line of a malformed metadata block.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header_lines = 0
    while header_lines < len(lines) and lines[header_lines].startswith("#"):
        header_lines += 1
    yaml_text = "\n".join(line[1:] for line in lines[:header_lines])
    try:
        metadata = yaml.safe_load(yaml_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(exc).split())
        raise InputError(path, line, f"SSSOM metadata is not valid YAML: {reason}") from exc
    if not isinstance(metadata, dict):
        raise InputError(path, 1, "the SSSOM metadata block is not a YAML mapping")
    table = io.StringIO("\n".join(lines[header_lines:]))
    reader = csv.DictReader(table, delimiter="\t")
    rows = []
    for offset, record in enumerate(reader):
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        rows.append(MappingRow(header_lines + 2 + offset, values))
    return MappingSet(path, metadata, rows)


def check(mapping_set: MappingSet, known_subjects: set[str]) -> list[Problem]:
    """Every problem of a mapping set, located by line."""
    path = mapping_set.path
    problems = [
        Problem(path, 1, f"SSSOM metadata lacks {key}")
        for key in REQUIRED_METADATA
        if key not in mapping_set.metadata
    ]
    for prefix, iri in mapping_set.curie_map.items():
        if PREFIXES.get(prefix, iri) != iri:
            problems.append(
                Problem(path, 1, f"curie_map gives {prefix}: as {iri}, pedkg uses {PREFIXES[prefix]}")
            )
    if not mapping_set.rows:
        return problems
    header_line = mapping_set.rows[0].line - 1
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping_set.rows[0].values]
    problems += [Problem(path, header_line, f"missing column {c}") for c in missing]
    if missing:
        return problems
    prefixes = {**PREFIXES, **mapping_set.curie_map}
    for row in mapping_set.rows:
        problems += [
            Problem(path, row.line, reason) for reason in _row_problems(row, prefixes, known_subjects)
        ]
    return problems


def _row_problems(row: MappingRow, prefixes: dict[str, str], known_subjects: set[str]) -> Iterator[str]:
    for column in REQUIRED_COLUMNS:
        if not row[column]:
            yield f"empty {column}"
    for column in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
        prefix, sep, _ = row[column].partition(":")
        if row[column] and (not sep or prefix not in prefixes):
            yield f"{column} {row[column]!r} is not a CURIE with a declared prefix"
    if row["predicate_id"] and row["predicate_id"] not in PREDICATES:
        yield f"predicate_id {row['predicate_id']!r} is not one of {', '.join(sorted(PREDICATES))}"
    if row["mapping_justification"] and not row["mapping_justification"].startswith("semapv:"):
        yield f"mapping_justification {row['mapping_justification']!r} is not a semapv: term"
    subject = row["subject_id"]
    if subject.startswith("pedkg:") and BASE + subject[len("pedkg:") :] not in known_subjects:
        yield f"subject_id {subject} is not an entity of the graph"
    prefix, _, local_id = row["object_id"].partition(":")
    if prefix in EXTERNAL and local_id:
        result = codelists.check_code(prefix, local_id, row["object_label"])
        if not result.ok:
            yield str(result.reason)


def to_quads(mapping_set: MappingSet, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The RDF of a checked mapping set, in ``graph``."""
    prefixes = {**PREFIXES, **mapping_set.curie_map}

    def iri(curie: str) -> ox.NamedNode:
        prefix, _, local_id = curie.partition(":")
        return ox.NamedNode(prefixes[prefix] + local_id)

    for row in mapping_set.rows:
        subject, predicate, obj = (
            iri(row["subject_id"]),
            iri(row["predicate_id"]),
            iri(row["object_id"]),
        )
        yield ox.Quad(subject, predicate, obj, graph)
        yield ox.Quad(obj, RDFS_LABEL, ox.Literal(row["object_label"], language="en"), graph)
        notation = row["object_id"].partition(":")[2]
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
        yield ox.Quad(axiom, RDFS_SEE_ALSO, ox.NamedNode(row["see_also"]), graph)
        for column in ("object_source_version", "comment"):
            if row[column]:
                yield ox.Quad(axiom, ox.NamedNode(SSSOM + column), ox.Literal(row[column]), graph)
