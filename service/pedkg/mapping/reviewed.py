"""Reviewed SSSOM files: checked, then loaded into a mappings graph ``pkg:links-NAME``.

``pedkg link`` writes proposals; a person reviews them (deletes rows, fixes predicates,
marks a rejection with ``predicate_modifier: Not``, signs with ``reviewer_id`` or
``reviewer_label``) and ``pedkg link --accept FILE`` loads the result. A proposal is not
a fact: a row nobody reviewed (no reviewer, and not ``semapv:ManualMappingCuration``)
is refused. The justification stays what the matching was (SEMAPV keeps *how* a
mapping was found apart from *who checked it*, which ``reviewer_id`` records).

Every problem is reported as ``file:line: reason`` and nothing is loaded unless the
whole file is clean. A row may not touch a pair that a curated mapping
(``pkg:mappings-*``) already relates: curated mappings are never overwritten.

The graph has the representation ``mappings.to_quads`` gives curated sets (a SKOS
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
from ..store import register
from ..store.backend import open_reader, writing
from ..store.interface import Store
from ..store.register import IMPORTS_IRI
from . import curated as mappings
from .curated import MappingRow, MappingSet
from .sssom_tsv import AGENT_PREFIXES

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
JUSTIFICATIONS = frozenset(
    "semapv:" + term
    for term in (
        "LexicalMatching",
        "LexicalSimilarityThresholdMatching",
        "MappingChaining",
        "ManualMappingCuration",
        "MappingReview",
        "LogicalReasoning",
        "CompositeMatching",
        "StructuralMatching",
        "SemanticSimilarityThresholdMatching",
        "UnspecifiedMatching",
    )
)
SSSOM, OWL, XSD = STANDARD["sssom"], STANDARD["owl"], STANDARD["xsd"]
RDF_TYPE = ox.NamedNode(STANDARD["rdf"] + "type")
TSV = "text/tab-separated-values"
MULTIVALUED_IRIS = ("author_id", "reviewer_id")
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


def read(path: Path) -> MappingSet:
    try:
        return mappings.read(path)
    except FileNotFoundError:
        raise InputError(path, 0, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, 0, f"not UTF-8 text: {exc}") from None


def check(mapping_set: MappingSet, store: Store) -> list[Problem]:
    """Every problem of a reviewed mapping set, located by line."""
    path = mapping_set.path
    problems = [
        Problem(path, 1, f"SSSOM metadata lacks {key}")
        for key in mappings.REQUIRED_METADATA
        if key not in mapping_set.metadata
    ]
    for prefix, namespace in mapping_set.curie_map.items():
        if PREFIXES.get(prefix, namespace) != namespace:
            problems.append(
                Problem(
                    path,
                    _header_line(path, prefix),
                    f"curie_map gives {prefix}: as {namespace}, pedkg uses {PREFIXES[prefix]}",
                )
            )
    if not mapping_set.rows:
        return [*problems, Problem(path, 1, "no mappings in the file")]
    header_line = mapping_set.rows[0].line - 1
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping_set.rows[0].values]
    problems += [Problem(path, header_line, f"missing column {c}") for c in missing]
    if missing or problems:
        return problems
    prefixes = _prefixes(mapping_set)
    curated = _curated(store)
    seen: dict[tuple[str, str, str], int] = {}
    existing: dict[str, bool] = {}
    for row in mapping_set.rows:
        for reason in _row_problems(row, prefixes, curated, seen, existing, store):
            problems.append(Problem(path, row.line, reason))
    return problems


def _row_problems(
    row: MappingRow,
    prefixes: dict[str, str],
    curated: dict[frozenset[str], str],
    seen: dict[tuple[str, str, str], int],
    existing: dict[str, bool],
    store: Store,
) -> Iterator[str]:
    for column in REQUIRED_COLUMNS:
        if not row[column]:
            yield f"empty {column}"
    for column in (*REQUIRED_COLUMNS, *MULTIVALUED_IRIS):
        for value in _values(row, column):
            if _expand(value, prefixes) is None:
                yield f"{column} {value!r} is not a CURIE with a declared prefix"
    if row["predicate_id"] and row["predicate_id"] not in mappings.PREDICATES:
        yield f"predicate_id {row['predicate_id']!r} is not one of {', '.join(sorted(mappings.PREDICATES))}"
    if row["mapping_justification"] and row["mapping_justification"] not in JUSTIFICATIONS:
        yield f"mapping_justification {row['mapping_justification']!r} is not a SEMAPV matching process"
    if row["predicate_modifier"] not in ("", "Not"):
        yield f"predicate_modifier {row['predicate_modifier']!r} is not Not"
    if row["confidence"] and not _is_score(row["confidence"]):
        yield f"confidence {row['confidence']!r} is not a number from 0 to 1"
    reviewed = row["reviewer_id"] or row["reviewer_label"]
    if not reviewed and row["mapping_justification"] != "semapv:ManualMappingCuration":
        yield "not reviewed: give reviewer_id or reviewer_label (a proposal is not a fact)"
    subject, obj = _expand(row["subject_id"], prefixes), _expand(row["object_id"], prefixes)
    for column, iri in (("subject_id", subject), ("object_id", obj)):
        if iri is not None and not _exists(iri, existing, store):
            yield f"{column} {row[column]} is in no graph of the store"
    if subject is not None and obj is not None:
        graph = curated.get(frozenset((subject, obj)))
        if graph is not None:
            yield (
                f"{row['subject_id']} and {row['object_id']} are already related in {graph}; "
                "curated mappings are never overwritten"
            )
        key = (row["subject_id"], row["predicate_id"], row["object_id"])
        if key in seen:
            yield f"the same mapping as line {seen[key]}"
        seen.setdefault(key, row.line)


def to_quads(mapping_set: MappingSet, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The RDF of a checked mapping set, in ``graph``."""
    prefixes = _prefixes(mapping_set)

    def iri(curie: str) -> ox.NamedNode:
        expanded = _expand(curie, prefixes)
        assert expanded is not None
        return ox.NamedNode(expanded)

    date = str(mapping_set.metadata.get("mapping_date", ""))
    for row in mapping_set.rows:
        subject, predicate, obj = iri(row["subject_id"]), iri(row["predicate_id"]), iri(row["object_id"])
        if row["predicate_modifier"] != "Not":
            yield ox.Quad(subject, predicate, obj, graph)
        digest = hashlib.sha1(f"{subject.value} {predicate.value} {obj.value}".encode()).hexdigest()[:16]
        axiom = ox.NamedNode(f"{BASE}link-{digest}")

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
        for column in MULTIVALUED_IRIS:
            yield from (slot(column, iri(v)) for v in _values(row, column))
        for column in LITERAL_SLOTS:
            if row[column]:
                yield slot(column, ox.Literal(row[column]))
        for column in LITERAL_LISTS:
            yield from (slot(column, ox.Literal(v)) for v in _values(row, column))
        when = row["mapping_date"] or date
        if when:
            yield slot("mapping_date", ox.Literal(when, datatype=ox.NamedNode(XSD + "date")))
        for url in _values(row, "see_also"):
            yield ox.Quad(axiom, ox.NamedNode(STANDARD["rdfs"] + "seeAlso"), ox.NamedNode(url), graph)


def accept(settings: Settings, path: Path, name: str | None = None) -> AcceptReport:
    """Check a reviewed file and load it into ``pkg:links-NAME`` in a new store version.

    Raises ``ValidationFailed`` (every problem, nothing changed) or ``InputError``.
    """
    graph_name_ = graph_name(path, name)
    mapping_set = read(path)
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


def _prefixes(mapping_set: MappingSet) -> dict[str, str]:
    return {**AGENT_PREFIXES, **PREFIXES, **{k: str(v) for k, v in mapping_set.curie_map.items()}}


def _expand(curie: str, prefixes: dict[str, str]) -> str | None:
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in prefixes or not local or any(c in local for c in ' <>"{}|\\^`'):
        return None
    return prefixes[prefix] + local


def _values(row: MappingRow, column: str) -> list[str]:
    return [v.strip() for v in row[column].split("|") if v.strip()]


def _is_score(text: str) -> bool:
    try:
        return 0.0 <= float(text) <= 1.0
    except ValueError:
        return False


def _exists(iri: str, cache: dict[str, bool], store: Store) -> bool:
    if iri not in cache:
        result = store.query(EXISTS, substitutions={ox.Variable("x"): ox.NamedNode(iri)})
        assert isinstance(result, ox.QuerySolutions)
        cache[iri] = any(True for _ in result)
    return cache[iri]


def _curated(store: Store) -> dict[frozenset[str], str]:
    result = store.query(CURATED)
    assert isinstance(result, ox.QuerySolutions)
    found: dict[frozenset[str], str] = {}
    for row in result:
        graph = row["g"]
        found[frozenset((row["s"].value, row["o"].value))] = "pkg:" + graph.value.removeprefix(graph_iri(""))
    return found


def _header_line(path: Path, prefix: str) -> int:
    """The metadata line that declares ``prefix`` (1 if it cannot be found)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#"):
            break
        if line[1:].strip().startswith(f"{prefix}:"):
            return number
    return 1
