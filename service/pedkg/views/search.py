"""Label, synonym and code search over every graph of the store, in English and Korean.

The index is a file made with each store version (``store.search_index``: what is
indexed; ``store.search_versions``: where the file lives) and opened read-only by every
worker (``store.search_file``); a keystroke of the autocomplete reads a few rows of it and
never scans the store. A build or a write swaps in a new version, so ``pool.version()``
names it, and the next search opens that version's file: nothing is built on a request.

Matching folds both sides the same way (``pedkg.folding.fold``: case, width, spaces,
dashes, apostrophes; Hangul as jamo), and a query of leading consonants only ("ㅅㄱㅁ") is
matched against the initials of the labels' syllables (초성 search). A Latin word of five
letters or more also finds words one edit away (five to seven letters) or two (eight or
more): "neuroblastma" finds neuroblastoma, "leukaemia" leukemia.

A hit is named by the one label rule of ``pedkg.labels`` (``skos:prefLabel`` before
``rdfs:label`` and ``schema:name``, the reader's language before the other, then the CURIE).

Ranking: pedkg's own entities before those of imported graphs; then exact, prefix of the
whole key, prefix of a word in it, substring; ties go to the shorter key, then to the
entity's type (diseases before departments before ontology terms and mapping axioms), then
to the field (label, synonym, related synonym, code). Typo matches come after every other
match, own entities first, one edit before two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

import pyoxigraph as ox

from .. import namespaces
from ..folding import fold, is_initials_query
from ..labels import PREF_LABEL, RDFS_LABEL, Labels, Text
from ..namespaces import GRAPH, STANDARD, compress
from ..sparql.pool import Pool
from ..store.per_version import PerVersion
from ..store.search_file import SearchFile
from ..store.search_index import NOTATION, OTHER_TYPE_RANK, TYPE_RANK, Record, is_latin_word, type_rank

SKOS = STANDARD["skos"]
MATCHES = ("exact", "prefix", "prefix", "substring", "typo")  # match class -> the name hits carry
_STAGES = (("exact", 0), ("prefix", 1), ("word", 2), ("substring", 3))
_INITIALS_STAGES = (("initials", 1), ("initials-substring", 3))
_TYPO = 4


@dataclass
class Entity:
    """An indexed resource: its IRI and types."""

    iri: str
    types: set[str] = field(default_factory=set)
    type_iri: str = ""  # the type that ranks first ("" when it has none)

    @property
    def type(self) -> str:
        return compress(self.type_iri) if self.type_iri else ""

    @property
    def type_rank(self) -> int:
        return type_rank(self.type_iri)


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    lang: str | None
    fallback: bool  # the label is not in the language asked for
    matched: str
    matched_lang: str | None
    match: str
    field: str
    type: str
    type_label: str
    type_label_lang: str | None
    href: str | None  # pedkg's own pages; None for other IRIs (the web links those)

    def as_dict(self) -> dict[str, object]:
        """The hit's fields by name, in order (``dataclasses.asdict`` without its deep copies)."""
        return {name: getattr(self, name) for name in _HIT_FIELDS}


_HIT_FIELDS = tuple(f.name for f in fields(Hit))


class SearchIndex:
    """One store version's search index: lookups, and the labels that name hits."""

    def __init__(self, version: str, file: SearchFile) -> None:
        self.version = version
        self.file = file
        self._types = file.types()
        self._graphs = file.graphs()
        self._type_labels: dict[tuple[str, str], tuple[str, Text]] = {}

    @classmethod
    def from_rows(cls, version: str, rows: Iterable[dict[str, dict[str, str]]]) -> SearchIndex:
        """An index held in memory, from SPARQL JSON bindings of ``s``, ``kind``, ``text``
        (and ``concept`` when ``text`` is the notation of a concept ``s`` maps to), all in one graph."""
        graph = GRAPH + version

        def statements() -> Iterable[Record]:
            for row in rows:
                subject, kind, text = row["s"]["value"], row["kind"]["value"], row["text"]
                if "concept" in row:
                    yield graph, subject, NOTATION + "#mapped", text["value"], None
                    curie = compress(row["concept"]["value"])
                    if curie not in (row["concept"]["value"], text["value"]):
                        yield graph, subject, NOTATION + "#mapped", curie, None
                else:
                    yield graph, subject, kind, text["value"], text.get("xml:lang")

        return cls(version, SearchFile.of(statements()))

    # Types and graphs --------------------------------------------------------------------

    def type_curie(self, wanted: str) -> str | None:
        """The CURIE of the type ``wanted`` names (CURIE, IRI or local name), None if no entity has it."""
        for iri in self._types:
            if is_named_by(iri, wanted):
                return compress(iri)
        return None

    def type_options(self, lang: str) -> list[tuple[str, str, str | None]]:
        """(CURIE, label, label's language) of every type entities carry, in ranking order."""
        ranked = sorted(self._types, key=lambda t: (TYPE_RANK.get(compress(t), OTHER_TYPE_RANK), compress(t)))
        labels = [(compress(t), self.label(t, lang)) for t in ranked]
        return [(curie, label.value, label.language) for curie, label in labels]

    def types(self) -> list[str]:
        """The types that entities carry, as CURIEs (the values ``type=`` accepts)."""
        return sorted({compress(t) for t in self._types})

    def graph_iri(self, wanted: str) -> str | None:
        """The IRI of the graph ``wanted`` names (its name as ``pedkg graphs`` shows it, its IRI or
        ``pkg:`` CURIE), None if the index read no such graph."""
        for _, iri in self._graphs:
            if wanted in (iri, iri.removeprefix(GRAPH), "pkg:" + iri.removeprefix(GRAPH)):
                return iri
        return None

    def graph_names(self) -> list[str]:
        return [iri.removeprefix(GRAPH) for _, iri in self._graphs]

    # Searching ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        lang: str,
        type: str | None = None,
        limit: int = 10,
        graph: str | None = None,
        own_only: bool = False,
    ) -> list[Hit]:
        """The best ``limit`` entities for ``query``; ``type`` is a CURIE, an IRI or a local name,
        ``graph`` a graph's name or IRI; ``own_only`` keeps pedkg's own entities."""
        folded = fold(query)
        if not folded or limit < 1:
            return []
        types = [t for t in self._types if is_named_by(t, type)] if type else []
        graph_iri = self.graph_iri(graph) if graph else None
        graph_id = next((n for n, iri in self._graphs if iri == graph_iri), None)
        if (type and not types) or (graph and graph_id is None):
            return []
        by_initials = is_initials_query(folded)
        seen: set[int] = set()
        found: list[tuple[int, int]] = []  # (key, match class)
        tiers = self.file.tiers(own_only)
        for tier in tiers:
            for stage, how in _INITIALS_STAGES if by_initials else _STAGES:
                if self._take(
                    self.file.lookup(stage, folded, tier, types, graph_id), how, seen, found, limit
                ):
                    return self._hits(found, lang)
        if not by_initials and is_latin_word(folded):
            for tier in tiers:
                if self._take(self.file.typos(folded, tier, types, graph_id), _TYPO, seen, found, limit):
                    break
        return self._hits(found, lang)

    @staticmethod
    def _take(
        rows: Iterable[tuple[int, int]], how: int, seen: set[int], found: list[tuple[int, int]], limit: int
    ) -> bool:
        """Add each new entity's first key (its best: rows come in ranking order); True once full."""
        for key, entity in rows:
            if entity not in seen:
                seen.add(entity)
                found.append((key, how))
                if len(found) >= limit:
                    return True
        return False

    def _hits(self, found: list[tuple[int, int]], lang: str) -> list[Hit]:
        keys = self.file.hits([key for key, _ in found])
        names = self._names({row[0]: row[4] for row in keys.values()})
        hits = []
        for key, how in found:
            _, field_name, text, text_lang, iri, own, type_iri = keys[key]
            label = names.label(iri, lang)
            type_curie, type_label = self._type(type_iri, lang) if type_iri else ("", Text("", "zxx"))
            hits.append(
                Hit(
                    iri=iri,
                    label=label.value,
                    lang=label.language,
                    fallback=label.language != lang,
                    matched=text,
                    matched_lang=text_lang,
                    match=MATCHES[how],
                    field=field_name,
                    type=type_curie,
                    type_label=type_label.value,
                    type_label_lang=type_label.language,
                    href=namespaces.href(iri) if own else None,
                )
            )
        return hits

    def _type(self, type_iri: str, lang: str) -> tuple[str, Text]:
        """A type's CURIE and label: types are few and a version's never change, so each is read once."""
        found = self._type_labels.get((type_iri, lang))
        if found is None:
            found = self._type_labels[(type_iri, lang)] = compress(type_iri), self.label(type_iri, lang)
        return found

    # Names and entities ------------------------------------------------------------------

    def label(self, iri: str, lang: str) -> Text:
        """An indexed IRI's label by the one rule (``pedkg.labels``); other IRIs get their CURIE."""
        return self._names(self._entity(iri)).label(iri, lang)

    def label_in(self, iri: str, lang: str) -> Text | None:
        """The IRI's label written in ``lang`` itself, None when it has none."""
        return self._names(self._entity(iri)).label_in(iri, lang)

    def _entity(self, iri: str) -> dict[int, str]:
        found = self.file.entity_id(iri)
        return {} if found is None else {found: iri}

    def _names(self, entities: dict[int, str]) -> Labels:
        """The names of indexed entities (id -> IRI), for the one label rule; read in one statement."""
        names = Labels()
        for entity, text, text_lang, naming in self.file.names(list(entities)) if entities else ():
            kind = PREF_LABEL if naming == 0 else RDFS_LABEL
            names.add(entities[entity], kind, ox.Literal(text, language=text_lang))
        return names

    def has(self, iri: str) -> bool:
        """Whether the IRI is an indexed entity."""
        return self.file.entity_id(iri) is not None

    def own_entities(self) -> dict[str, Entity]:
        """pedkg's own entities, by IRI."""
        return {iri: Entity(iri, set(types), type_iri) for iri, type_iri, _, types in self.file.own()}


def is_named_by(iri: str, wanted: str) -> bool:
    """Whether ``wanted`` names ``iri``: the IRI itself, its CURIE, or the CURIE's local part in any case."""
    curie = compress(iri)
    return wanted in (iri, curie) or wanted.casefold() == curie.partition(":")[2].casefold()


_indexes: PerVersion[SearchIndex] = PerVersion()


def index_for(pool: Pool) -> SearchIndex:
    """The index of the pool's current store version, opened once per worker and version.

    The file is made with the version (``store.search_index``); a build or a write makes a
    new version, and the next call opens that one's file.
    """
    return _indexes.get(
        pool.version(), "index", lambda v: SearchIndex(v, SearchFile.open(pool.search_index(v)))
    )
