"""Label, synonym and code search over pedkg's entities, in English and Korean.

The index is built once per store version, from one SELECT through the query pool, and
kept in the web worker's memory: a keystroke of the autocomplete looks up a few hundred
keys in Python and never scans the store. A build swaps the store link to a new
directory, so ``store.versions.current_version`` (the link's real path) names it; the next search after a
swap rebuilds the index.

Keys are every literal of ``rdfs:label`` and ``skos:prefLabel`` (field ``label``),
``skos:altLabel`` and ``pko:seedLabel`` (``synonym``), with their language, and the codes
of the external concepts an entity maps to with a SKOS mapping property (``code``): the
concept's ``skos:notation`` ("C64", "9500/3") and the code with its prefix as the CURIE
converter writes it ("icd10:C64", "MONDO:0005072"). Only pedkg's own IRIs are results;
an external concept lends its codes to the entity that maps to it.

Matching folds both sides the same way (``pedkg.folding.fold``: case, width, spaces,
dashes, apostrophes; Hangul as jamo), and a query of leading consonants only ("ㅅㄱㅁ") is
matched against the initials of the labels' syllables (초성 search).

A hit is named by the one label rule of ``pedkg.labels`` (``skos:prefLabel`` before
``rdfs:label``, the reader's language before the other, then the CURIE).

Ranking: exact, then prefix of the whole key, then prefix of a word in it, then
substring; ties go to the shorter key, then to the entity's type (diseases before
departments before ontology terms and mapping axioms), then to the field (label,
synonym, code).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces
from ..folding import fold, initials, is_initials_query
from ..labels import ALT_LABEL, PREF_LABEL, RDF_TYPE, RDFS_LABEL, Labels, Text
from ..namespaces import BASE, STANDARD, compress
from ..sparql.pool import Pool, QueryJob
from ..store.per_version import PerVersion

SKOS = STANDARD["skos"]

FIELDS = {
    RDFS_LABEL: "label",
    PREF_LABEL: "label",
    ALT_LABEL: "synonym",
    BASE + "ontology/seedLabel": "synonym",
}
MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")

#: every key and type of the graph in one SELECT; Python keeps pedkg's own subjects
INDEX_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX pko: <https://w3id.org/pedkg/ontology/>
SELECT DISTINCT ?s ?kind ?text ?concept WHERE {
  { VALUES ?kind { rdfs:label skos:prefLabel skos:altLabel pko:seedLabel }
    ?s ?kind ?text FILTER(isIRI(?s) && isLiteral(?text)) }
  UNION
  { VALUES ?kind { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }
    ?s ?kind ?concept . ?concept skos:notation ?text FILTER(isIRI(?s) && isIRI(?concept)) }
  UNION
  { ?s rdf:type ?text BIND(rdf:type AS ?kind) FILTER(isIRI(?s) && isIRI(?text)) }
}
"""
#: far more rows than the graph has keys: the index must never be cut
INDEX_ROW_LIMIT = 1_000_000

#: the order of types among equally good matches; unknown types come after the named ones
TYPE_RANK = {
    "pko:Disease": 0,
    "pko:Procedure": 1,
    "pko:DiseaseGroup": 2,
    "pko:Division": 3,
    "pko:Department": 3,
    "pko:SurgicalDepartment": 3,
    "pko:DiagnosticSupportTeam": 3,
    "pko:CareTeam": 3,
    "pko:SupportProgram": 4,
    "pko:Ward": 4,
    "pko:PopulationGroup": 5,
    "schema:Country": 5,
    "owl:Class": 8,
    "owl:ObjectProperty": 9,
    "owl:DatatypeProperty": 9,
    "owl:AnnotationProperty": 9,
    "owl:Axiom": 10,
}
OTHER_TYPE_RANK = 6
UNTYPED_RANK = 11
MATCHES = ("exact", "prefix", "prefix", "substring")  # match class -> the name hits carry
FIELD_RANK = {"label": 0, "synonym": 1, "code": 2}

_WORD_BREAK = re.compile(r"[\s\-‐‑‒–—―/(),.:;_]+")


@dataclass(frozen=True)
class Key:
    """One searchable text of an entity: a label, a synonym or a code."""

    text: str
    lang: str | None
    field: str
    folded: str
    words: tuple[str, ...]  # the folded key from each later word start on
    initials: str

    @classmethod
    def of(cls, text: str, lang: str | None, field: str) -> Key:
        normal = unicodedata.normalize("NFKC", text)
        starts = [m.end() for m in _WORD_BREAK.finditer(normal) if 0 < m.end() < len(normal)]
        words = tuple(w for w in (fold(normal[i:]) for i in starts) if w)
        return cls(text, lang, field, fold(normal), words, initials(normal))

    def match(self, query: str, by_initials: bool) -> int | None:
        """The match class (0 exact, 1 prefix, 2 word prefix, 3 substring), None if none."""
        if by_initials:
            if self.initials.startswith(query):
                return 1
            return 3 if query in self.initials else None
        if self.folded == query:
            return 0
        if self.folded.startswith(query):
            return 1
        if any(word.startswith(query) for word in self.words):
            return 2
        return 3 if query in self.folded else None


@dataclass
class Entity:
    iri: str
    keys: list[Key] = field(default_factory=list)
    types: set[str] = field(default_factory=set)

    @property
    def type_iri(self) -> str:
        """The entity's type that ranks first ("" when it has none)."""
        ranked = sorted((TYPE_RANK.get(compress(t), OTHER_TYPE_RANK), compress(t), t) for t in self.types)
        return ranked[0][2] if ranked else ""

    @property
    def type(self) -> str:
        return compress(self.type_iri) if self.types else ""

    @property
    def type_rank(self) -> int:
        return TYPE_RANK.get(self.type, OTHER_TYPE_RANK) if self.types else UNTYPED_RANK


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
    href: str


@dataclass
class SearchIndex:
    """Every pedkg entity's keys, and their labels for naming hits, for one version of the store."""

    version: str
    entities: dict[str, Entity]
    names: Labels = field(default_factory=Labels)

    @classmethod
    def from_rows(cls, version: str, rows: Iterable[dict[str, dict[str, str]]]) -> SearchIndex:
        """Build from SPARQL JSON bindings of ``INDEX_QUERY``."""
        entities: dict[str, Entity] = {}
        names = Labels()
        for row in rows:
            subject = row["s"]["value"]
            if not subject.startswith(BASE):
                continue
            entity = entities.setdefault(subject, Entity(subject))
            kind, text = row["kind"]["value"], row["text"]
            if kind == RDF_TYPE:
                entity.types.add(text["value"])
            elif kind in FIELDS:
                entity.keys.append(Key.of(text["value"], text.get("xml:lang"), FIELDS[kind]))
                if FIELDS[kind] == "label":  # named by the one rule: skos:prefLabel before rdfs:label
                    names.add(subject, kind, ox.Literal(text["value"], language=text.get("xml:lang")))
            elif "concept" in row:
                code = text["value"]
                entity.keys.append(Key.of(code, None, "code"))
                curie = compress(row["concept"]["value"])
                if curie != row["concept"]["value"] and curie != code:
                    entity.keys.append(Key.of(curie, None, "code"))
        for entity in entities.values():  # one key per distinct text and field, in a stable order
            entity.keys = sorted(set(entity.keys), key=lambda k: (FIELD_RANK[k.field], k.lang or "", k.text))
        return cls(version, {iri: e for iri, e in entities.items() if e.keys}, names)

    def type_curie(self, wanted: str) -> str | None:
        """The CURIE of the type ``wanted`` names (CURIE, IRI or local name), None if no entity has it."""
        for iri in sorted({t for e in self.entities.values() for t in e.types}):
            if is_named_by(iri, wanted):
                return compress(iri)
        return None

    def type_options(self, lang: str) -> list[tuple[str, str, str | None]]:
        """(CURIE, label, label's language) of every type entities carry, in ranking order."""
        iris = {t for e in self.entities.values() for t in e.types}
        ranked = sorted(iris, key=lambda t: (TYPE_RANK.get(compress(t), OTHER_TYPE_RANK), compress(t)))
        labels = [(compress(t), self.label(t, lang)) for t in ranked]
        return [(curie, label.value, label.language) for curie, label in labels]

    def types(self) -> list[str]:
        """The types that entities carry, as CURIEs (the values ``type=`` accepts)."""
        return sorted({compress(t) for e in self.entities.values() for t in e.types})

    def search(self, query: str, lang: str, type: str | None = None, limit: int = 10) -> list[Hit]:
        """The best ``limit`` entities for ``query``; ``type`` is a CURIE, an IRI or a local name."""
        folded = fold(query)
        if not folded:
            return []
        by_initials = is_initials_query(folded)
        ranked: list[tuple[tuple[int, int, int, int, str, str], Entity, Key, int]] = []
        for entity in self.entities.values():
            if type and not has_type(entity, type):
                continue
            best: tuple[tuple[int, int, int, int, str, str], Key, int] | None = None
            for key in entity.keys:
                how = key.match(folded, by_initials)
                if how is None:
                    continue
                order = (how, len(key.folded), entity.type_rank, FIELD_RANK[key.field], key.text, entity.iri)
                if best is None or order < best[0]:
                    best = (order, key, how)
            if best is not None:
                ranked.append((best[0], entity, best[1], best[2]))
        ranked.sort(key=lambda item: item[0])
        return [self._hit(entity, key, how, lang) for _, entity, key, how in ranked[:limit]]

    def label(self, iri: str, lang: str) -> Text:
        """An indexed IRI's label by the one rule (``pedkg.labels``); other IRIs get their CURIE."""
        return self.names.label(iri, lang)

    def _hit(self, entity: Entity, key: Key, how: int, lang: str) -> Hit:
        label = self.label(entity.iri, lang)
        type_label = self.label(entity.type_iri, lang) if entity.types else Text("", "zxx")
        return Hit(
            iri=entity.iri,
            label=label.value,
            lang=label.language,
            fallback=label.language != lang,
            matched=key.text,
            matched_lang=key.lang,
            match=MATCHES[how],
            field=key.field,
            type=entity.type,
            type_label=type_label.value,
            type_label_lang=type_label.language,
            href=namespaces.href(entity.iri) or entity.iri,
        )


def has_type(entity: Entity, wanted: str) -> bool:
    """Whether one of the entity's types is ``wanted`` (a CURIE, an IRI or a local name)."""
    return any(is_named_by(iri, wanted) for iri in entity.types)


def is_named_by(iri: str, wanted: str) -> bool:
    """Whether ``wanted`` names ``iri``: the IRI itself, its CURIE, or the CURIE's local part in any case."""
    curie = compress(iri)
    return wanted in (iri, curie) or wanted.casefold() == curie.partition(":")[2].casefold()


_indexes: PerVersion[SearchIndex] = PerVersion()


def index_for(pool: Pool) -> SearchIndex:
    """The index of the pool's current store version, built on first use.

    Kept per worker process; a build or a write makes a new version, and the next call
    builds the index again, once.
    """

    def build(version: str) -> SearchIndex:
        answer = pool.run(QueryJob(INDEX_QUERY, "json", returns_graph=False, row_limit=INDEX_ROW_LIMIT))
        return SearchIndex.from_rows(version, json.loads(answer.body)["results"]["bindings"])

    return _indexes.get(pool.version(), "index", build)
