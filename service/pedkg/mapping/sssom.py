"""SSSOM TSV files read and checked: one reader and one set of rules for every kind of file.

pedkg reads two kinds: the division's curated mappings (``curated``: ``pedkg validate``
and ``pedkg build``) and the link sets a reviewer accepted (``reviewed``: ``pedkg link
--accept FILE``). Both are read here, keeping the line of every row and of every
``curie_map`` entry, and checked by the same rules, each problem a ``file:line: reason``:

- the metadata block is YAML with ``mapping_set_id``, ``license`` and ``curie_map``; the
  ``curie_map`` may add prefixes, never rename pedkg's or give a namespace pedkg names a
  second prefix, and each namespace is an IRI;
- the table has the columns the kind requires, none of them empty, and at least one row;
- every entity reference (``subject_id``, ``predicate_id``, ``object_id``,
  ``mapping_justification``, ``author_id``, ``reviewer_id``) is a CURIE that pedkg's
  converter, widened with the file's prefixes, expands to an IRI pyoxigraph accepts, and
  every ``see_also`` is such an IRI: nothing reaches the store unchecked;
- ``predicate_id`` is a SKOS mapping property, ``mapping_justification`` a SEMAPV matching
  process, ``predicate_modifier`` empty or ``Not``, ``confidence`` a number from 0 to 1, and
  no mapping comes twice.

What only one kind asks for (curated: codes in their code lists, subjects in the graph;
reviewed: a reviewer, both ends in the store, no curated pair overwritten) its module
adds as ``kind_rules``. Writing SSSOM is ``sssom_tsv``'s.

A third kind is a set someone else published (``ingest.mapping_set``: MONDO's
``mondo.sssom.tsv``), read ``as_published``: its ``curie_map`` expands its own CURIEs even
where it names a namespace otherwise than pedkg does (MONDO's ``mesh:`` is
identifiers.org's), since those are the IRIs its publisher meant; and its caller may let
predicates other than SKOS's through (``check(..., predicates=None)``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import yaml

from ..errors import InputError, Problem
from ..namespaces import PREFIX_NAME, PREFIXES, IriError, checked_iri, converter_with, expand
from .sssom_tsv import AGENT_PREFIXES

if TYPE_CHECKING:
    import curies

REQUIRED_METADATA = ("mapping_set_id", "license", "curie_map")
#: the slots that hold entity references; the multivalued ones separate values with "|"
REFERENCES = ("subject_id", "predicate_id", "object_id", "mapping_justification")
MULTIVALUED_REFERENCES = ("author_id", "reviewer_id")
PREDICATES = frozenset(
    f"skos:{name}" for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
)
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
        "InstanceBasedMatching",
        "BackgroundKnowledgeBasedMatching",
        "MappingInversion",
    )
)  # every matching process of SEMAPV (mapping-commons/semantic-mapping-vocabulary, semapv-terms.tsv)

#: the rules a kind of file adds: the reasons a row breaks them
KindRules = Callable[["MappingRow"], Iterable[str]]


@dataclass(frozen=True)
class MappingRow:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def values_of(self, column: str) -> list[str]:
        """The values of a multivalued slot ("|" between them)."""
        text = self.values.get(column)
        return [v.strip() for v in text.split("|") if v.strip()] if text else []


@dataclass(frozen=True)
class MappingSet:
    path: Path
    metadata: dict[str, object]
    rows: list[MappingRow]
    columns: list[str] = field(default_factory=list)
    header_line: int = 1  # the line of the table's column names
    prefix_lines: dict[str, int] = field(default_factory=dict)  # where curie_map declares each
    as_published: bool = False  # the file's curie_map wins over pedkg's prefixes (a published set)

    @property
    def curie_map(self) -> dict[str, str]:
        value = self.metadata.get("curie_map")
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    @cached_property
    def converter(self) -> curies.Converter:
        """pedkg's converter, widened with the agents' prefixes and the file's own; for a
        published set, the file's own first, then pedkg's where they take neither name nor namespace."""
        if not self.as_published:
            return converter_with(AGENT_PREFIXES, self.curie_map)
        import curies

        own = {k: v for k, v in self.curie_map.items() if PREFIX_NAME.fullmatch(k)}
        taken = set(own.values())
        rest = {k: v for k, v in {**PREFIXES, **AGENT_PREFIXES}.items() if k not in own and v not in taken}
        return curies.Converter.from_prefix_map({**own, **rest})

    @cached_property
    def namespaces(self) -> dict[str, str]:
        """The converter's prefix map, read once (``curies`` builds it again on every expansion)."""
        return dict(self.converter.prefix_map)

    def iri(self, curie: str) -> str:
        """The IRI of a CURIE of this file; raises ``IriError`` naming it.

        The expansion ``expand`` makes, without its cost per call (a file has 100,000 rows);
        a CURIE this cannot expand goes to ``expand`` itself, which says why."""
        prefix, colon, local = curie.partition(":")
        namespace = self.namespaces.get(prefix) if colon and local else None
        if namespace is not None:
            try:
                return ox.NamedNode(namespace + local).value
            except ValueError:
                pass
        return expand(curie, self.converter)

    def reference(self, curie: str) -> tuple[str, str]:
        """(prefix, local identifier) of a CURIE of this file; raises ``IriError`` naming it."""
        self.iri(curie)
        reference = self.converter.parse_curie(curie, strict=True)
        return reference.prefix, reference.identifier


def read(path: Path, as_published: bool = False, data: bytes | None = None) -> MappingSet:
    """Parse an SSSOM TSV file: a ``#``-commented YAML block, then a table (``data``: its bytes,
    when the caller has read them, e.g. out of a gzip file).

    Raises ``InputError`` for a missing or non-UTF-8 file and a malformed metadata block.
    """
    try:
        lines = (path.read_bytes() if data is None else data).decode("utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(path, 0, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, 0, f"not UTF-8 text: {exc}") from None
    header = 0
    while header < len(lines) and lines[header].startswith("#"):
        header += 1
    try:
        metadata = yaml.safe_load("\n".join(line[1:] for line in lines[:header])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(exc).split())
        raise InputError(path, line, f"SSSOM metadata is not valid YAML: {reason}") from exc
    if not isinstance(metadata, dict):
        raise InputError(path, 1, "the SSSOM metadata block is not a YAML mapping")
    reader = csv.reader(lines[header:], delimiter="\t")
    columns = [c.strip() for c in next(reader, [])]
    rows, start = [], reader.line_num + 1
    for record in reader:
        if record:
            values = {c: v.strip() for c, v in zip(columns, record, strict=False)}
            rows.append(MappingRow(header + start, values))
        start = reader.line_num + 1
    prefix_lines = _prefix_lines(lines[:header])
    return MappingSet(path, metadata, rows, columns, header + 1, prefix_lines, as_published)


def _prefix_lines(header: list[str]) -> dict[str, int]:
    """The line of each ``curie_map`` entry of the metadata block (top-level keys are the least indented)."""
    texts = [line[1:] for line in header]
    top = min((len(t) - len(t.lstrip()) for t in texts if t.strip()), default=0)
    found: dict[str, int] = {}
    inside = False
    for number, text in enumerate(texts, start=1):
        if not text.strip():
            continue
        if len(text) - len(text.lstrip()) == top:
            inside = text.strip().startswith("curie_map:")
        elif inside:
            found.setdefault(text.strip().partition(":")[0].strip("'\""), number)
    return found


def check(
    mapping_set: MappingSet,
    required: Sequence[str],
    kind_rules: KindRules,
    predicates: frozenset[str] | None = PREDICATES,
) -> list[Problem]:
    """Every problem of a mapping set by the rules above and the kind's, located by line;
    ``predicates=None`` lets any predicate through that is a CURIE of the file."""
    path = mapping_set.path
    problems = [Problem(path, line, reason) for line, reason in _metadata_problems(mapping_set)]
    missing = [c for c in required if c not in mapping_set.columns]
    problems += [Problem(path, mapping_set.header_line, f"missing column {c}") for c in missing]
    if missing:
        return problems
    if not mapping_set.rows:
        return [*problems, Problem(path, mapping_set.header_line, "no mappings in the file")]
    seen: dict[tuple[str, str, str], int] = {}
    for row in mapping_set.rows:
        reasons = [*_row_problems(row, mapping_set, required, seen, predicates), *kind_rules(row)]
        problems += [Problem(path, row.line, reason) for reason in reasons]
    return problems


def expanded(mapping_set: MappingSet, curie: str) -> str | None:
    """The IRI of a CURIE, or None when it names none (a problem ``check`` reports)."""
    try:
        return mapping_set.iri(curie)
    except IriError:
        return None


def _metadata_problems(mapping_set: MappingSet) -> Iterator[tuple[int, str]]:
    for key in REQUIRED_METADATA:
        if key not in mapping_set.metadata:
            yield 1, f"SSSOM metadata lacks {key}"
    declared = mapping_set.metadata.get("curie_map")
    if declared is not None and not isinstance(declared, dict):
        yield 1, "curie_map is not a map of prefixes to namespaces"
    pedkg_names = {namespace: prefix for prefix, namespace in {**PREFIXES, **AGENT_PREFIXES}.items()}
    for prefix, namespace in mapping_set.curie_map.items():
        line = mapping_set.prefix_lines.get(prefix, 1)
        renaming = None if mapping_set.as_published else _renaming(prefix, namespace, pedkg_names)
        if renaming:
            yield line, renaming
        elif not PREFIX_NAME.fullmatch(prefix):
            yield line, f"curie_map prefix {prefix!r} is not a prefix name"
        else:
            try:
                checked_iri(namespace)
            except IriError as exc:
                yield line, f"curie_map gives {prefix}: as {namespace!r}, which {exc.reason}"
    if mapping_set.as_published:
        first: dict[str, str] = {}
        for prefix, namespace in mapping_set.curie_map.items():
            if first.setdefault(namespace, prefix) != prefix:
                line = mapping_set.prefix_lines.get(prefix, 1)
                yield line, f"curie_map gives {prefix}: the namespace of {first[namespace]}: ({namespace})"


def _renaming(prefix: str, namespace: str, pedkg_names: dict[str, str]) -> str | None:
    """Why a curie_map entry renames one of pedkg's prefixes or namespaces, if it does."""
    if prefix in PREFIXES and PREFIXES[prefix] != namespace:
        return f"curie_map gives {prefix}: as {namespace}, pedkg uses {PREFIXES[prefix]}"
    if pedkg_names.get(namespace, prefix) != prefix:
        return f"curie_map gives {prefix}: as {namespace}, which pedkg writes {pedkg_names[namespace]}:"
    return None


def _row_problems(
    row: MappingRow,
    mapping_set: MappingSet,
    required: Sequence[str],
    seen: dict[tuple[str, str, str], int],
    predicates: frozenset[str] | None,
) -> Iterator[str]:
    for column in required:
        if not row[column]:
            yield f"empty {column}"
    for column in (*REFERENCES, *MULTIVALUED_REFERENCES):
        values = row.values_of(column) if column in MULTIVALUED_REFERENCES else [row[column]]
        for value in filter(None, values):
            try:
                mapping_set.iri(value)
            except IriError as exc:
                yield f"{column} {exc}"
    for url in row.values_of("see_also"):
        try:
            checked_iri(url)
        except IriError as exc:
            yield f"see_also {exc}"
    if row["predicate_id"] and predicates is not None and row["predicate_id"] not in predicates:
        yield f"predicate_id {row['predicate_id']!r} is not one of {', '.join(sorted(predicates))}"
    if row["mapping_justification"] and row["mapping_justification"] not in JUSTIFICATIONS:
        yield f"mapping_justification {row['mapping_justification']!r} is not a SEMAPV matching process"
    if row["predicate_modifier"] not in ("", "Not"):
        yield f"predicate_modifier {row['predicate_modifier']!r} is not Not"
    if row["confidence"] and not _is_score(row["confidence"]):
        yield f"confidence {row['confidence']!r} is not a number from 0 to 1"
    key = (row["subject_id"], row["predicate_id"], row["object_id"])
    if all(key) and key in seen:
        yield f"the same mapping as line {seen[key]}"
    seen.setdefault(key, row.line)


def _is_score(text: str) -> bool:
    try:
        return 0.0 <= float(text) <= 1.0
    except ValueError:
        return False
