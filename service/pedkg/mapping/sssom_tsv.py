"""Writing SSSOM TSV: a ``#``-commented YAML metadata block, then one row per mapping.

Mappings arrive with full IRIs; this module turns them into CURIEs with pedkg's
converter (widened with an imported graph's declared prefixes), so the ``curie_map`` it
writes holds exactly the prefixes the file uses (pedkg's, the standard and external
vocabularies', an imported graph's declared ones), and an IRI no known prefix covers
gets a derived one (``ns1``, ``ns2`` ...) rather than being written as a bare IRI, which
SSSOM's entity-reference slots do not allow. Reading and checking SSSOM is ``sssom``'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, fields

import yaml

from ..namespaces import converter_with

#: prefixes SSSOM files commonly use for people and agents, beyond pedkg's own table
AGENT_PREFIXES = {"orcid": "https://orcid.org/"}

#: SSSOM slots that hold entity references (written as CURIEs), single or multivalued
ENTITY_SLOTS = frozenset(
    {
        "subject_id",
        "predicate_id",
        "object_id",
        "mapping_justification",
        "author_id",
        "reviewer_id",
        "subject_match_field",
        "object_match_field",
        "mapping_source",
        "subject_source",
        "object_source",
        "creator_id",
    }
)


@dataclass(frozen=True)
class Mapping:
    """One SSSOM mapping with full IRIs; field names are the SSSOM slot names."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    predicate_modifier: str = ""  # "Not" for a mapping a reviewer rejected
    object_label: str = ""
    confidence: float | None = None
    author_id: tuple[str, ...] = ()
    reviewer_id: tuple[str, ...] = ()
    reviewer_label: tuple[str, ...] = ()
    mapping_tool: str = ""
    mapping_tool_version: str = ""
    mapping_date: str = ""
    subject_match_field: tuple[str, ...] = ()
    object_match_field: tuple[str, ...] = ()
    match_string: tuple[str, ...] = ()
    similarity_score: float | None = None
    similarity_measure: str = ""
    mapping_source: str = ""
    mapping_cardinality: str = ""  # "1:1", "1:n", "n:1" or "n:n" among the rows of the set
    object_source_version: str = ""
    see_also: tuple[str, ...] = ()
    comment: str = ""

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.subject_id, self.object_id))


COLUMNS = [f.name for f in fields(Mapping)]

_NAMESPACE_END = re.compile(r"^(.*[/#:])[^/#:]+$")


def prefix_map(iris: Iterable[str], preferred: MappingOf[str, str]) -> dict[str, str]:
    """The prefixes that write ``iris`` as CURIEs: pedkg's first, then ``preferred``, then derived.

    A ``preferred`` prefix (from a graph's own declarations) is dropped when it renames
    a namespace pedkg has a prefix for, or reuses one of pedkg's names for another one.
    """
    return _curies(iris, preferred)[1]


def write(
    mappings: Iterable[Mapping], metadata: MappingOf[str, object], preferred: MappingOf[str, str]
) -> str:
    """An SSSOM TSV document: ``metadata`` (entity-valued keys given as IRIs) plus ``curie_map``."""
    rows = list(mappings)
    iris = [iri for m in rows for iri in _entity_values(m)]
    iris += [str(metadata[k]) for k in metadata if k in ENTITY_SLOTS]
    written, curie_map = _curies(iris, preferred)
    curie = written.__getitem__
    header = {k: (curie(str(v)) if k in ENTITY_SLOTS else v) for k, v in metadata.items()}
    header["curie_map"] = curie_map
    text = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=10_000)
    lines = ["# " + line if line else "#" for line in text.rstrip("\n").split("\n")]
    columns = [c for c in COLUMNS if any(_cell(getattr(m, c), c, curie) for m in rows)] or COLUMNS[:4]
    lines.append("\t".join(columns))
    for m in rows:
        lines.append("\t".join(_cell(getattr(m, c), c, curie) for c in columns))
    return "\n".join(lines) + "\n"


def _curies(iris: Iterable[str], preferred: MappingOf[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(IRI -> its CURIE, prefix -> namespace of the prefixes used) for ``iris``."""
    converter = converter_with(AGENT_PREFIXES, preferred)
    written: dict[str, str] = {}
    used: dict[str, str] = {}
    derived = 0
    for iri in sorted(set(iris)):
        reference = converter.parse_uri(iri)
        if reference is not None and reference.identifier:
            prefix, local = reference.prefix, reference.identifier
        else:  # no prefix covers it, or it is a namespace itself: a prefix for its own namespace
            match = _NAMESPACE_END.match(iri)
            namespace = match.group(1) if match else iri[:-1]  # an IRI ending in / or #
            found = converter.reverse_prefix_map.get(namespace)
            if found is None:
                derived += 1
                while converter.has_prefix(f"ns{derived}"):
                    derived += 1
                found = f"ns{derived}"
                converter.add_prefix(found, namespace)
            prefix, local = found, iri.removeprefix(namespace)
        written[iri] = converter.format_curie(prefix, local)
        used[prefix] = converter.prefix_map[prefix]
    return written, dict(sorted(used.items(), key=lambda item: item[0].casefold()))


def _entity_values(mapping: Mapping) -> Iterable[str]:
    for slot in ENTITY_SLOTS:
        value = getattr(mapping, slot, None)
        if isinstance(value, tuple):
            yield from value
        elif value:
            yield value


def _cell(value: object, column: str, curie: Callable[[str], str]) -> str:
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    values = value if isinstance(value, tuple) else (value,)
    texts = (curie(str(v)) if column in ENTITY_SLOTS else str(v) for v in values)
    return "|".join(_clean(text) for text in texts)


def _clean(text: str) -> str:
    """A cell never holds a tab or a line break (they would split the table)."""
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text
