"""The search index of a store version: one SQLite file, written with the version, read by every worker.

A keystroke of the autocomplete must not scan the store, and every server worker must not
build its own index, so the index is made once, where the version is made
(``search_versions``: which file is whose). Workers open it read-only (``search_file``) and
share it through the page cache. SQLite (standard library, FTS5 trigram tokenizer) was
chosen over tantivy by measuring both (tests/benchmarks/results/search-index.md).

What is indexed, from every named graph: the labels (``rdfs:label``, ``skos:prefLabel``,
``schema:name``), synonyms (``skos:altLabel``, ``pko:seedLabel``, ``oboInOwl:hasExactSynonym``,
``schema:alternateName``; related, broad and narrow OBO synonyms as ``related``, ranked after
them) and notations (``skos:notation``) of every IRI, its types, the codes of the concepts it
maps to with a SKOS mapping property (the concept's notation and CURIE) and, for IRIs not
pedkg's own, its own CURIE. The curated mapping graphs (``pkg:mappings-*``) and accepted
link sets (``pkg:links-*``) describe other vocabularies' concepts only as far as a mapping
needs: a concept described only there lends its codes and is not a result of its own.

Keys are laid out in ranking order (pedkg's own IRIs first, then shorter folded keys, then
the entity's type, then the field, the text and the IRI), so a lookup reads matches in rank
order and stops once it has enough. A prefix has its matches in text order, not rank order:
the head indexes (the first ``HEAD`` characters, then the key) let a lookup with many matches
walk them in rank order and stop early, where sorting them all took tens of milliseconds at
five million quads.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import repeat
from pathlib import Path

import pyoxigraph as ox

from ..folding import fold, initials
from ..labels import ALT_LABEL, PREF_LABEL, RDF_TYPE, RDFS_LABEL
from ..namespaces import BASE, EXTERNAL, GRAPH, ONTOLOGY, STANDARD, compress
from .interface import Store

INDEX_NAME = "search-index.sqlite"  # in a version's folder
FORMAT = "3"  # the file's layout; a file of another layout is rebuilt
#: characters of a folded text that the head indexes lead with: a prefix lookup of this length or
#: more walks the keys of one head in key (ranking) order instead of sorting every match
HEAD = 3

SKOS = STANDARD["skos"]
SCHEMA = EXTERNAL["schema"]
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
NOTATION = SKOS + "notation"

#: predicate -> (field, naming rank: 0 names first, 1 next, None never names)
PREDICATES: dict[str, tuple[str, int | None]] = {
    PREF_LABEL: ("label", 0),
    RDFS_LABEL: ("label", 1),
    SCHEMA + "name": ("label", 1),
    ALT_LABEL: ("synonym", None),
    ONTOLOGY + "seedLabel": ("synonym", None),
    OBO_IN_OWL + "hasExactSynonym": ("synonym", None),
    SCHEMA + "alternateName": ("synonym", None),
    OBO_IN_OWL + "hasRelatedSynonym": ("related", None),
    OBO_IN_OWL + "hasBroadSynonym": ("related", None),
    OBO_IN_OWL + "hasNarrowSynonym": ("related", None),
    NOTATION: ("code", None),
}
MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
FIELD_RANK = {"label": 0, "synonym": 1, "related": 2, "code": 3}
FIELDS = tuple(FIELD_RANK)  # field number -> name

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

KEYS_QUERY = f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{
  VALUES ?p {{ {" ".join(f"<{p}>" for p in [*PREDICATES, RDF_TYPE])} }}
  ?s ?p ?o FILTER(isIRI(?s)) }} }}"""
CODES_QUERY = f"""SELECT DISTINCT ?g ?s ?concept ?code WHERE {{
  GRAPH ?g {{ VALUES ?m {{ {" ".join(f"<{SKOS}{m}>" for m in MAPPINGS)} }}
    ?s ?m ?concept FILTER(isIRI(?s) && isIRI(?concept)) }}
  ?concept <{NOTATION}> ?code }}"""

_WORD_BREAK = re.compile(r"[\s\-‐‑‒–—―/(),.:;_]+")
_KEPT_BREAKS = "/(),.:;_"  # the word breaks folding keeps
_LATIN_WORD = re.compile(r"[a-z]{5,}")  # a word typo tolerance applies to, folded
SEPARATOR = "\x1f"
_BATCH = 20_000


def type_rank(type_iri: str | None) -> int:
    """Where an entity of this (best) type goes among equally good matches."""
    if not type_iri:
        return UNTYPED_RANK
    return TYPE_RANK.get(compress(type_iri), OTHER_TYPE_RANK)


def best_type(types: Iterable[str]) -> str:
    """The type that ranks first ("" when there is none)."""
    ranked = sorted((*_type_order(t), t) for t in types)
    return ranked[0][2] if ranked else ""


@cache
def _type_order(type_iri: str) -> tuple[int, str]:
    """(rank, CURIE) of a type, which ``best_type`` orders types by; few types, many entities."""
    curie = compress(type_iri)
    return TYPE_RANK.get(curie, OTHER_TYPE_RANK), curie


def is_lending_graph(graph: str) -> bool:
    """Whether a graph describes other vocabularies' concepts only for its mappings."""
    return graph.startswith((GRAPH + "mappings-", GRAPH + "links-"))


def key_parts(text: str) -> tuple[str, str, str, str]:
    """(folded, initials, word suffixes, typo terms) of a key's text; lists joined by ``SEPARATOR``.

    Word suffixes: the folded text from each later word start on ("tumor" of "Wilms tumor"),
    for word-prefix matches. Typo terms: each folded Latin word of five letters or more.
    Each word is folded once, with the breaks after it (folding drops spaces and dashes and
    keeps the other breaks), and the suffixes are joined from the folded words.
    """
    normal = unicodedata.normalize("NFKC", text)
    starts = [0, *(m.end() for m in _WORD_BREAK.finditer(normal) if 0 < m.end() < len(normal))]
    pieces = [fold(normal[a:b]) for a, b in zip(starts, [*starts[1:], len(normal)], strict=True)]
    words = {"".join(pieces[k:]) for k in range(1, len(pieces))} - {""}
    terms = {t for t in (p.strip(_KEPT_BREAKS) for p in pieces) if is_latin_word(t)}
    return "".join(pieces), initials(normal), SEPARATOR.join(sorted(words)), SEPARATOR.join(sorted(terms))


def is_latin_word(folded: str) -> bool:
    """Whether a folded text is a word typo tolerance applies to: five Latin letters or more."""
    return bool(_LATIN_WORD.fullmatch(folded))


#: a key as first written: subject, graph, field, naming, text, lang, folded, its length,
#: initials, words, terms
_Raw = tuple[str, str | None, int, int | None, str, str | None, str, int, str, str, str]
#: a record: (graph, subject IRI, predicate, text or type IRI, language)
Record = tuple[str, str, str, str, str | None]


def records(store: Store) -> Iterator[Record]:
    """Every indexed statement of the store, as records (``CODES_QUERY``'s as ``code`` of the mapping)."""
    found = store.query(KEYS_QUERY)
    assert isinstance(found, ox.QuerySolutions)
    for graph, subject, predicate, value in found:
        if predicate.value == RDF_TYPE:
            if isinstance(value, ox.NamedNode):
                yield graph.value, subject.value, RDF_TYPE, value.value, None
        elif isinstance(value, ox.Literal):
            yield graph.value, subject.value, predicate.value, value.value, value.language
    found = store.query(CODES_QUERY)
    assert isinstance(found, ox.QuerySolutions)
    for graph_node, subject_node, concept_node, code in found:
        graph, subject, concept = graph_node.value, subject_node.value, concept_node.value
        yield graph, subject, NOTATION + "#mapped", code.value, None
        curie = compress(concept)
        if curie not in (concept, code.value):
            yield graph, subject, NOTATION + "#mapped", curie, None


def write(target: str | Path, statements: Iterable[Record]) -> sqlite3.Connection:
    """Write the index of ``statements`` to ``target`` (a path, or ":memory:") and return it open."""
    db = sqlite3.connect(str(target), check_same_thread=False)
    db.executescript(_SCHEMA)
    types: list[tuple[str, str, str]] = []
    keys: list[_Raw] = []
    parts: dict[str, tuple[str, str, str, str]] = {}  # text -> key_parts(text): texts repeat
    for graph, subject, predicate, value, lang in statements:
        if predicate == RDF_TYPE:
            types.append((subject, graph, value))
        else:
            field, naming = PREDICATES.get(predicate, ("code", None))
            keys.append(_raw(subject, graph, FIELD_RANK[field], naming, value, lang, parts))
        if len(keys) >= _BATCH or len(types) >= _BATCH:
            _flush(db, keys, types)
    _flush(db, keys, types)
    _arrange(db, parts)
    db.commit()
    return db


_SCHEMA = """
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;
PRAGMA locking_mode = EXCLUSIVE;
CREATE TEMP TABLE raw(subject TEXT, graph TEXT, field INT, naming INT, text TEXT, lang TEXT,
  folded TEXT, flen INT, initials TEXT, words TEXT, terms TEXT);
CREATE TEMP TABLE raw_types(subject TEXT, graph TEXT, type TEXT);
CREATE TEMP TABLE raw_words(word TEXT, key INT);
CREATE TEMP TABLE raw_term_keys(term INT, key INT);
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE graphs(id INTEGER PRIMARY KEY, iri TEXT UNIQUE);
CREATE TABLE entities(id INTEGER PRIMARY KEY, iri TEXT UNIQUE, own INT, type TEXT, type_rank INT);
CREATE TABLE types(id INTEGER PRIMARY KEY, iri TEXT UNIQUE);
CREATE TABLE entity_types(type INT, entity INT, PRIMARY KEY(type, entity)) WITHOUT ROWID;
CREATE TABLE entity_graphs(graph INT, entity INT, PRIMARY KEY(graph, entity)) WITHOUT ROWID;
CREATE TABLE keys(id INTEGER PRIMARY KEY, entity INT, field INT, naming INT, text TEXT, lang TEXT,
  folded TEXT, initials TEXT);
CREATE TABLE words(word TEXT, key INT, PRIMARY KEY(word, key)) WITHOUT ROWID;
CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT UNIQUE, len INT);
CREATE TABLE term_keys(term INT, key INT, PRIMARY KEY(term, key)) WITHOUT ROWID;
CREATE TABLE term_grams(gram TEXT, len INT, term INT, PRIMARY KEY(gram, len, term)) WITHOUT ROWID;
"""


def _raw(
    subject: str,
    graph: str | None,
    field: int,
    naming: int | None,
    text: str,
    lang: str | None,
    parts: dict[str, tuple[str, str, str, str]],
) -> _Raw:
    found = parts.get(text)
    if found is None:
        found = parts[text] = key_parts(text)
    folded, letters, words, terms = found
    return subject, graph, field, naming, text, lang, folded, len(folded), letters, words, terms


def _flush(db: sqlite3.Connection, keys: list[_Raw], types: list[tuple[str, str, str]]) -> None:
    db.executemany("INSERT INTO raw VALUES (?,?,?,?,?,?,?,?,?,?,?)", (k for k in keys if k[6]))
    db.executemany("INSERT INTO raw_types VALUES (?,?,?)", types)
    keys.clear()
    types.clear()


def _arrange(db: sqlite3.Connection, parts: dict[str, tuple[str, str, str, str]]) -> None:
    """From the raw rows: graphs, entities, keys in ranking order, and the lookup tables."""
    db.executescript(f"""
        CREATE INDEX temp.raw_types_subject ON raw_types(subject);
        CREATE TEMP TABLE described AS
          SELECT subject FROM raw WHERE {_OWN.format("subject")} OR NOT {_LENDS}
          UNION SELECT subject FROM raw_types WHERE NOT {_LENDS};
        CREATE TEMP TABLE subjects AS
          SELECT DISTINCT subject FROM raw WHERE subject IN (SELECT subject FROM described);
        INSERT INTO graphs(iri) SELECT graph FROM raw UNION SELECT graph FROM raw_types ORDER BY 1;
        """)
    rows = db.execute(
        "SELECT s.subject, t.type FROM subjects s LEFT JOIN raw_types t ON t.subject = s.subject ORDER BY 1"
    )
    db.executemany(
        "INSERT INTO entities(iri, own, type, type_rank) VALUES (?,?,?,?)",
        ((iri, iri.startswith(BASE), t, type_rank(t)) for iri, t in _best_types(rows)),
    )
    curies = (
        (iri, compress(iri)) for (iri,) in db.execute("SELECT iri FROM entities WHERE NOT own").fetchall()
    )
    _flush(
        db,
        [
            _raw(iri, None, FIELD_RANK["code"], None, curie, None, parts)
            for iri, curie in curies
            if curie != iri
        ],
        [],
    )
    db.executescript("""
        CREATE TEMP TABLE sorted AS
          SELECT e.id AS entity, r.field, MIN(r.naming) AS naming, r.text, r.lang, r.folded, r.initials,
                 MIN(r.words) AS words, MIN(r.terms) AS terms
          FROM raw r JOIN entities e ON e.iri = r.subject
          GROUP BY e.id, r.field, r.text, r.lang
          ORDER BY e.own DESC, MIN(r.flen), e.type_rank, r.field, r.text, e.iri, COALESCE(r.lang, '');
        INSERT INTO keys(id, entity, field, naming, text, lang, folded, initials)
          SELECT rowid, entity, field, naming, text, lang, folded, initials FROM sorted ORDER BY rowid;
        INSERT INTO types(iri) SELECT DISTINCT type FROM raw_types WHERE subject IN (SELECT iri FROM entities)
          ORDER BY 1;
        INSERT OR IGNORE INTO entity_types
          SELECT y.id, e.id FROM raw_types t
          JOIN entities e ON e.iri = t.subject JOIN types y ON y.iri = t.type;
        INSERT OR IGNORE INTO entity_graphs
          SELECT g.id, e.id
          FROM (SELECT subject, graph FROM raw UNION SELECT subject, graph FROM raw_types) x
          JOIN entities e ON e.iri = x.subject JOIN graphs g ON g.iri = x.graph;
        """)
    _words_and_terms(db)
    own_last = db.execute(
        "SELECT COALESCE(MAX(k.id), 0) FROM keys k JOIN entities e ON e.id = k.entity AND e.own"
    )
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("own_last", str(own_last.fetchone()[0]))]
    )
    db.executescript(f"""
        CREATE INDEX keys_folded ON keys(folded);
        CREATE INDEX keys_head ON keys(substr(folded, 1, {HEAD}), id);
        CREATE INDEX keys_initials ON keys(initials);
        CREATE INDEX keys_entity ON keys(entity);
        CREATE VIRTUAL TABLE grams USING fts5(folded, initials, content='keys', content_rowid='id',
          tokenize='trigram case_sensitive 1', detail='none', columnsize=0);
        INSERT INTO grams(grams) VALUES ('rebuild');
        DROP TABLE temp.raw; DROP TABLE temp.raw_types; DROP TABLE temp.sorted;
        """)


#: SQL for ``iri.startswith(BASE)`` and for ``is_lending_graph(graph)`` (no Python call per row)
_OWN = f"substr({{}}, 1, {len(BASE)}) = '{BASE}'"
_LENDS = (
    "("
    + " OR ".join(f"substr(graph, 1, {len(p)}) = '{p}'" for p in (GRAPH + "mappings-", GRAPH + "links-"))
    + ")"
)


def _best_types(rows: Iterable[tuple[str, str | None]]) -> Iterator[tuple[str, str]]:
    """(subject, its best type) from (subject, type) rows sorted by subject."""
    current, types = "", list[str]()
    for subject, type_iri in rows:
        if subject != current and current:
            yield current, best_type(types)
            types = []
        current = subject
        if type_iri:
            types.append(type_iri)
    if current:
        yield current, best_type(types)


def _words_and_terms(db: sqlite3.Connection) -> None:
    """The word suffixes of every key, and its typo terms with their trigrams (``grams``)."""
    term_ids: dict[str, int] = {}
    words: list[tuple[str, int]] = []
    links: list[tuple[int, int]] = []
    grams: list[tuple[str, int, int]] = []
    for key, joined_words, joined_terms in db.execute("SELECT rowid, words, terms FROM sorted"):
        words.extend(zip(filter(None, joined_words.split(SEPARATOR)), repeat(key)))
        for term in joined_terms.split(SEPARATOR) if joined_terms else ():
            number = term_ids.get(term)
            if number is None:
                number = term_ids[term] = len(term_ids) + 1
                grams.extend((gram, len(term), number) for gram in set(trigrams(term)))
            links.append((number, key))
        if len(words) + len(links) + len(grams) >= _BATCH:
            _flush_words(db, words, links, grams)
    _flush_words(db, words, links, grams)
    db.executescript(f"""
        INSERT OR IGNORE INTO words SELECT word, key FROM raw_words ORDER BY 1, 2;
        CREATE INDEX words_head ON words(substr(word, 1, {HEAD}), key);
        INSERT OR IGNORE INTO term_keys SELECT term, key FROM raw_term_keys ORDER BY 1, 2;
        DROP TABLE temp.raw_words; DROP TABLE temp.raw_term_keys;
        """)
    db.executemany("INSERT INTO terms VALUES (?,?,?)", ((n, t, len(t)) for t, n in term_ids.items()))


def _flush_words(
    db: sqlite3.Connection,
    words: list[tuple[str, int]],
    links: list[tuple[int, int]],
    grams: list[tuple[str, int, int]],
) -> None:
    db.executemany("INSERT INTO raw_words VALUES (?,?)", words)  # into words in key order at the end
    db.executemany("INSERT INTO raw_term_keys VALUES (?,?)", links)
    db.executemany("INSERT OR IGNORE INTO term_grams VALUES (?,?,?)", grams)
    for batch in (words, links, grams):
        batch.clear()


def trigrams(term: str) -> list[str]:
    """The trigrams of a term padded with two ``$`` each side: an edit changes at most three."""
    padded = f"$${term}$$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]
