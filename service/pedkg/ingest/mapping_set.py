"""A published SSSOM mapping set (MONDO's ``mondo.sssom.tsv``) imported as a mappings graph.

Read and checked by ``mapping.sssom``'s rules, every problem ``file:line: reason`` and
nothing loaded unless the whole file is clean; read ``as_published``: the file's
``curie_map`` expands its CURIEs even where it names a namespace otherwise than pedkg
(MONDO's ``mesh:`` is identifiers.org's, pedkg's the NLM's): those are the IRIs its
publisher meant. Neither end of a mapping has to be in the store.

Each row becomes what a curated or accepted mapping is (``reviewed.to_quads``): an
``owl:Axiom`` with the SSSOM slots as ``sssom:`` properties, which ``/mappings`` and the
entity pages list, plus the mapping triple. Only SKOS's mapping properties are asserted
as triples; a row with another predicate (MONDO's per-source files use
``oboInOwl:hasDbXref``) keeps its axiom and is counted in the notes: asserted,
``hasDbXref`` with an IRI would contradict the string value OBO gives it, and
``owl:equivalentClass`` or ``rdfs:subClassOf`` would change the class tree. A
``predicate_modifier: Not`` row keeps its axiom only, as an accepted one does.

The set itself is described in the graph at its ``mapping_set_id``: an ``sssom:MappingSet``
with its title, version, license and the other scalar metadata slots; where the file came
from (name, SHA-256, media type) is in ``pkg:imports`` like any import.
"""

from __future__ import annotations

import datetime
import gzip
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, Problem, ValidationFailed
from ..mapping import reviewed, sssom
from ..mapping.sssom import MappingSet
from ..mapping.sssom_tsv import AGENT_PREFIXES
from ..namespaces import BASE, PREFIXES, STANDARD, IriError, checked_iri
from .converted import Converted

MEDIA_TYPE = "text/tab-separated-values"
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
SKOS, SSSOM, RDF, RDFS = STANDARD["skos"], STANDARD["sssom"], STANDARD["rdf"], STANDARD["rdfs"]
#: the mapping properties a row asserts as a triple
ASSERTED = frozenset(SKOS + curie.removeprefix("skos:") for curie in sssom.PREDICATES)
#: metadata slots whose value is an IRI; the other scalar ones are kept as text
IRI_SLOTS = ("license", "mapping_provider", "issue_tracker")
#: metadata not described on the set: its identity, and what the graph holds in other ways
NOT_DESCRIBED = frozenset({"mapping_set_id", "curie_map", "extension_definitions"})


def read(path: Path, name: str) -> Converted:
    """The triples of a mapping set for the graph ``pkg:NAME``, checked first and whole; raises
    ``ValidationFailed`` (every problem) or ``InputError``."""
    mapping_set = sssom.read(path, as_published=True, data=_bytes(path))
    problems = check(mapping_set)
    if problems:
        raise ValidationFailed(problems)
    return Converted(_triples(mapping_set, name), _declared(mapping_set), _notes(mapping_set))


def check(mapping_set: MappingSet) -> list[Problem]:
    """Every problem of a published mapping set: ``sssom``'s rules (any predicate that is a CURIE of
    the file), and a ``mapping_set_id`` and ``license`` that are IRIs."""
    problems = sssom.check(mapping_set, REQUIRED_COLUMNS, lambda row: (), predicates=None)
    for key in ("mapping_set_id", *IRI_SLOTS):
        value = mapping_set.metadata.get(key)
        if value is not None and not _is_iri(value):
            problems.append(Problem(mapping_set.path, 1, f"SSSOM metadata {key} {value!r} is not an IRI"))
    return problems


def _triples(mapping_set: MappingSet, name: str) -> Iterator[ox.Quad]:
    """The set's description, then its mappings; axioms are named after the graph, so that the
    same mapping in two graphs is two axioms, each with its own justification. Quads of the
    default graph (what ``reviewed.to_quads`` makes, at no cost of copying them into triples):
    the spool is N-Triples, which ``importer`` loads into pkg:NAME."""
    default = ox.DefaultGraph()
    yield from (ox.Quad(t.subject, t.predicate, t.object, default) for t in _set_description(mapping_set))
    yield from reviewed.to_quads(mapping_set, default, f"{BASE}{name}-mapping-", ASSERTED)


def _set_description(mapping_set: MappingSet) -> Iterator[ox.Triple]:
    node = ox.NamedNode(str(mapping_set.metadata["mapping_set_id"]))
    yield ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(SSSOM + "MappingSet"))
    for key, value in mapping_set.metadata.items():
        if key in NOT_DESCRIBED or isinstance(value, dict):
            continue
        for item in value if isinstance(value, list) else [value]:
            term = ox.NamedNode(str(item)) if key in IRI_SLOTS else _literal(item)
            yield ox.Triple(node, ox.NamedNode(SSSOM + key), term)
    title = mapping_set.metadata.get("mapping_set_title")
    if isinstance(title, str) and title:
        yield ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(title))


def _literal(value: object) -> ox.Literal:
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2024-01-31 as a date
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(STANDARD["xsd"] + "date"))
    return ox.Literal(str(value))


def _notes(mapping_set: MappingSet) -> list[str]:
    """How the rows were read: the mapping triples asserted, and the axioms kept without one."""
    title = mapping_set.metadata.get("mapping_set_title") or mapping_set.metadata["mapping_set_id"]
    version = mapping_set.metadata.get("mapping_set_version")
    notes = [f"mapping set {title}" + (f", version {version}" if version else "")]
    rejected = sum(1 for row in mapping_set.rows if row["predicate_modifier"] == "Not")
    others: Counter[str] = Counter(
        row["predicate_id"]
        for row in mapping_set.rows
        if row["predicate_modifier"] != "Not" and mapping_set.iri(row["predicate_id"]) not in ASSERTED
    )
    asserted = len(mapping_set.rows) - rejected - sum(others.values())
    notes.append(f"{asserted} mapping(s) asserted as SKOS triples, each with its axiom")
    for predicate, count in sorted(others.items()):
        notes.append(f"{count} {predicate} mapping(s) kept as axioms only (not a SKOS mapping property)")
    if rejected:
        notes.append(f"{rejected} rejection(s) (predicate_modifier Not) kept as axioms only")
    return notes


def _declared(mapping_set: MappingSet) -> dict[str, str]:
    """The file's prefixes that name neither a prefix nor a namespace of pedkg's, for ``pkg:imports``."""
    taken = {**PREFIXES, **AGENT_PREFIXES}
    namespaces = set(taken.values())
    return {k: v for k, v in mapping_set.curie_map.items() if k not in taken and v not in namespaces}


def _is_iri(value: object) -> bool:
    try:
        checked_iri(str(value))
    except IriError:
        return False
    return "://" in str(value) or str(value).startswith("urn:")


def _bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data
    except FileNotFoundError:
        raise InputError(path, 0, "no such file") from None
    except (OSError, EOFError) as exc:
        raise InputError(path, 0, f"cannot read: {exc}") from None
