"""Label, synonym and code search over pedkg's entities, in English and Korean.

The index is built once per store version, from one SELECT through the query pool, and
kept in the web worker's memory: a keystroke of the autocomplete looks up a few hundred
keys in Python and never scans the store. A build swaps the store link to a new
directory, so ``store.current_version`` (the link's real path) names it; the next search after a
swap rebuilds the index.

Keys are every literal of ``rdfs:label`` and ``skos:prefLabel`` (field ``label``),
``skos:altLabel`` and ``pko:seedLabel`` (``synonym``), with their language, and the codes
of the external concepts an entity maps to with a SKOS mapping property (``code``): the
concept's ``skos:notation`` ("C64", "9500/3") and the code with its prefix as the CURIE
converter writes it ("icd10:C64", "MONDO:0005072"). Only pedkg's own IRIs are results;
an external concept lends its codes to the entity that maps to it.

Matching folds both sides the same way (``fold``):

- Unicode NFKC, then ``casefold`` (Latin case, ligatures, full-width forms);
- NFKD, so a Hangul syllable becomes its jamo and a compatibility jamo typed alone
  (ㅁ) becomes the same leading consonant: "신경ㅁ" and "신경모" are prefixes of 신경모세포종;
- a final consonant is written as the leading consonant it is typed as, and a compound
  vowel as its two vowels, because an input method shows "신경못" on the way to
  "신경모세": both stay prefixes;
- spaces, dashes, apostrophes and combining marks are dropped: "Wilms' tumor",
  "wilms tumor", "윌름스 종양" and "윌름스종양" fold alike.

A query of leading consonants only ("ㅅㄱㅁ") is matched against the initials of the
labels' syllables (초성 search). Python's ``unicodedata`` does all of it; the Hangul
packages on PyPI (jamo, hgtk, hangulpy) wrap the same Unicode arithmetic.

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

from .. import namespaces
from ..namespaces import BASE, compress
from ..sparql.pool import Pool, QueryJob
from ..store.embedded import PerVersion

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

FIELDS = {
    RDFS_LABEL: "label",
    SKOS + "prefLabel": "label",
    SKOS + "altLabel": "synonym",
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

_DROPPED = frozenset("'`´‘’‚‛′ʹʻʼʽ\u02bc")
_WORD_BREAK = re.compile(r"[\s\-‐‑‒–—―/(),.:;_]+")
_CHOSEONG = range(0x1100, 0x1113)
_VOWEL_PAIRS = {"ᅪ": "ᅩᅡ", "ᅫ": "ᅩᅢ", "ᅬ": "ᅩᅵ", "ᅯ": "ᅮᅥ", "ᅰ": "ᅮᅦ", "ᅱ": "ᅮᅵ", "ᅴ": "ᅳᅵ"}


def _jamo_table() -> dict[str, str]:
    """Final consonants (and compound vowels) as the letters typed for them."""
    table = dict(_VOWEL_PAIRS)
    for code in range(0x11A8, 0x11C3):
        name = unicodedata.name(chr(code)).removeprefix("HANGUL JONGSEONG ")
        try:
            table[chr(code)] = "".join(unicodedata.lookup("HANGUL CHOSEONG " + p) for p in name.split("-"))
        except KeyError:  # pragma: no cover - every modern final has its initials
            continue
    return table


_JAMO = _jamo_table()


def fold(text: str) -> str:
    """The form both keys and queries are compared in (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    out: list[str] = []
    for char in decomposed:
        if char in _DROPPED or char.isspace() or unicodedata.category(char) in ("Mn", "Pd"):
            continue
        out.append(_JAMO.get(char, char))
    return "".join(out)


def initials(text: str) -> str:
    """The leading consonants of a text's Hangul syllables (초성), for 초성 queries."""
    letters = []
    for char in unicodedata.normalize("NFKC", text):
        if "가" <= char <= "힣":
            letters.append(unicodedata.normalize("NFD", char)[0])
    return "".join(letters)


def _is_initials_query(folded: str) -> bool:
    return len(folded) >= 2 and all(ord(c) in _CHOSEONG for c in folded)


@dataclass(frozen=True)
class Key:
    """One searchable text of an entity: a label, a synonym or a code."""

    text: str
    lang: str | None
    field: str
    folded: str
    words: tuple[str, ...]  # the folded key from each later word start on
    initials: str
    preferred: bool = False  # a skos:prefLabel, shown before an rdfs:label

    @classmethod
    def of(cls, text: str, lang: str | None, field: str, preferred: bool = False) -> Key:
        normal = unicodedata.normalize("NFKC", text)
        starts = [m.end() for m in _WORD_BREAK.finditer(normal) if 0 < m.end() < len(normal)]
        words = tuple(w for w in (fold(normal[i:]) for i in starts) if w)
        return cls(text, lang, field, fold(normal), words, initials(normal), preferred)

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

    def label(self, lang: str) -> tuple[str, str | None]:
        """The label to show: ``skos:prefLabel@lang > rdfs:label@lang > another language > CURIE``."""
        labels = sorted((k for k in self.keys if k.field == "label"), key=lambda k: not k.preferred)
        for wanted in (lang, None):
            for key in labels:
                if wanted is None or key.lang == wanted:
                    return key.text, key.lang
        return compress(self.iri), None


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
    """Every pedkg entity's keys, for one version of the store."""

    version: str
    entities: dict[str, Entity]

    @classmethod
    def from_rows(cls, version: str, rows: Iterable[dict[str, dict[str, str]]]) -> SearchIndex:
        """Build from SPARQL JSON bindings of ``INDEX_QUERY``."""
        entities: dict[str, Entity] = {}
        for row in rows:
            subject = row["s"]["value"]
            if not subject.startswith(BASE):
                continue
            entity = entities.setdefault(subject, Entity(subject))
            kind, text = row["kind"]["value"], row["text"]
            if kind == RDF_TYPE:
                entity.types.add(text["value"])
            elif kind in FIELDS:
                preferred = kind == SKOS + "prefLabel"
                entity.keys.append(Key.of(text["value"], text.get("xml:lang"), FIELDS[kind], preferred))
            elif "concept" in row:
                code = text["value"]
                entity.keys.append(Key.of(code, None, "code"))
                curie = compress(row["concept"]["value"])
                if curie != row["concept"]["value"] and curie != code:
                    entity.keys.append(Key.of(curie, None, "code"))
        for entity in entities.values():  # one key per distinct text and field, in a stable order
            entity.keys = sorted(set(entity.keys), key=lambda k: (FIELD_RANK[k.field], k.lang or "", k.text))
        return cls(version, {iri: e for iri, e in entities.items() if e.keys})

    def type_curie(self, wanted: str) -> str | None:
        """The CURIE of the type ``wanted`` names (CURIE, IRI or local name), None if no entity has it."""
        for iri in sorted({t for e in self.entities.values() for t in e.types}):
            if _names(iri, wanted):
                return compress(iri)
        return None

    def type_options(self, lang: str) -> list[tuple[str, str, str | None]]:
        """(CURIE, label, label's language) of every type entities carry, in ranking order."""
        iris = {t for e in self.entities.values() for t in e.types}
        ranked = sorted(iris, key=lambda t: (TYPE_RANK.get(compress(t), OTHER_TYPE_RANK), compress(t)))
        return [(compress(t), *self.label(t, lang)) for t in ranked]

    def types(self) -> list[str]:
        """The types that entities carry, as CURIEs (the values ``type=`` accepts)."""
        return sorted({compress(t) for e in self.entities.values() for t in e.types})

    def search(self, query: str, lang: str, type: str | None = None, limit: int = 10) -> list[Hit]:
        """The best ``limit`` entities for ``query``; ``type`` is a CURIE, an IRI or a local name."""
        folded = fold(query)
        if not folded:
            return []
        by_initials = _is_initials_query(folded)
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

    def label(self, iri: str, lang: str) -> tuple[str, str | None]:
        """An IRI's label in ``lang`` (else another language) if it is indexed, else its CURIE."""
        entity = self.entities.get(iri)
        return entity.label(lang) if entity else (compress(iri), None)

    def _hit(self, entity: Entity, key: Key, how: int, lang: str) -> Hit:
        label, label_lang = entity.label(lang)
        type_label, type_lang = self.label(entity.type_iri, lang) if entity.types else ("", None)
        return Hit(
            iri=entity.iri,
            label=label,
            lang=label_lang,
            fallback=label_lang != lang,
            matched=key.text,
            matched_lang=key.lang,
            match=MATCHES[how],
            field=key.field,
            type=entity.type,
            type_label=type_label,
            type_label_lang=type_lang,
            href=namespaces.href(entity.iri) or entity.iri,
        )


def has_type(entity: Entity, wanted: str) -> bool:
    """Whether one of the entity's types is ``wanted`` (a CURIE, an IRI or a local name)."""
    return any(_names(iri, wanted) for iri in entity.types)


def _names(iri: str, wanted: str) -> bool:
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
