"""Reading a version's search index (``search_index``): the lookups, each in ranking order.

Every worker opens the file read-only and immutable (no locks: a version's file never
changes), one connection per thread, memory-mapped so that the workers share its pages.
Each lookup yields ``(key, entity)`` ids in the file's key order, which is the ranking
order, so the caller stops reading once it has enough entities; filters by type and graph
are applied in the same statement.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import StoreError
from .search_index import FIELDS, HEAD, Record, trigrams, write

_LAST = "\U0010ffff"  # sorts after every character: q <= text < q + _LAST is "starts with q"
#: 1-2 character substrings cannot use trigrams: look for them in the best-ranked keys only
SHORT_SCAN = 200_000
TYPO_TERMS = 500  # candidate words a typo lookup checks at most
TYPO_KEYS = 2_000  # keys it reads for them at most
#: a prefix with at least this many matches is walked in key order on its head index (few of
#: its keys are read before the page is full); with fewer, its matches are read and sorted
MANY = 2_000

_STAGES = {
    "exact": "SELECT k.id, k.entity FROM keys k WHERE k.folded = ? AND k.id BETWEEN ? AND ?{} ORDER BY k.id",
    "prefix": "SELECT k.id, k.entity FROM keys k INDEXED BY keys_folded"
    " WHERE k.folded > ? AND k.folded < ? AND k.id BETWEEN ? AND ?{} ORDER BY k.id",
    "word": "SELECT w.key, k.entity FROM words w JOIN keys k ON k.id = w.key"
    " WHERE w.word >= ? AND w.word < ? AND w.key BETWEEN ? AND ?{} ORDER BY w.key",
    "prefix-walk": "SELECT k.id, k.entity FROM keys k INDEXED BY keys_head"
    f" WHERE substr(k.folded, 1, {HEAD}) = ? AND k.id BETWEEN ? AND ? AND k.folded > ? AND k.folded < ?{{}}"
    " ORDER BY k.id",
    "word-walk": "SELECT w.key, k.entity FROM words w INDEXED BY words_head JOIN keys k ON k.id = w.key"
    f" WHERE substr(w.word, 1, {HEAD}) = ? AND w.key BETWEEN ? AND ? AND w.word >= ? AND w.word < ?{{}}"
    " ORDER BY w.key",
    "initials": "SELECT k.id, k.entity FROM keys k INDEXED BY keys_initials"
    " WHERE k.initials >= ? AND k.initials < ? AND k.id BETWEEN ? AND ?{} ORDER BY k.id",
    "grams": "SELECT k.id, k.entity FROM grams JOIN keys k ON k.id = grams.rowid"
    " WHERE grams.{} GLOB ? AND grams.rowid BETWEEN ? AND ?{} ORDER BY grams.rowid",
    "scan": "SELECT k.id, k.entity FROM keys k"
    " WHERE k.id BETWEEN ? AND ? AND instr(k.{}, ?) > 0{} ORDER BY k.id",
}
#: whether a prefix has ``MANY`` matches, over every tier and filter (the index's text order)
_COUNTS = {
    "prefix": "SELECT COUNT(*) FROM (SELECT 1 FROM keys WHERE folded > ? AND folded < ? LIMIT ?)",
    "word": "SELECT COUNT(*) FROM (SELECT 1 FROM words WHERE word >= ? AND word < ? LIMIT ?)",
}


class SearchFile:
    """One version's search index, open for reading."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], name: str) -> None:
        self._connect = connect
        self._local = threading.local()
        self.name = name
        meta = dict(self.db().execute("SELECT name, value FROM meta").fetchall())
        self.own_last = int(meta["own_last"])
        self.last = int(self.db().execute("SELECT COALESCE(MAX(id), 0) FROM keys").fetchone()[0])

    @classmethod
    def open(cls, path: Path) -> SearchFile:
        """Open a version's index file read-only (it must exist)."""
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"

        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            db.execute("PRAGMA mmap_size = 1073741824")
            return db

        try:
            return cls(connect, str(path))
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot read the search index: {exc}") from exc

    @classmethod
    def of(cls, statements: Iterable[Record]) -> SearchFile:
        """An index of ``statements`` held in memory (tests, and examples too small for a file)."""
        db = write(":memory:", statements)
        return cls(lambda: db, ":memory:")

    def db(self) -> sqlite3.Connection:
        """This thread's connection."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    def tiers(self, own_only: bool = False) -> list[tuple[int, int]]:
        """The key id ranges of pedkg's own entities, then of the others."""
        ranges = [(1, self.own_last), (self.own_last + 1, self.last)]
        return [r for r in ranges[: 1 if own_only else 2] if r[0] <= r[1]]

    # Lookups: (key, entity) in ranking order -------------------------------------------------

    def lookup(
        self, stage: str, query: str, tier: tuple[int, int], types: list[str], graph: int | None
    ) -> Iterator[tuple[int, int]]:
        """The keys a stage finds: ``exact``, ``prefix``, ``word`` (prefix of a later word),
        ``substring``; ``initials`` and ``initials-substring`` for a 초성 query."""
        where, params = _filters(types, graph)
        if stage == "exact":
            yield from self.db().execute(_STAGES["exact"].format(where), (query, *tier, *params))
        elif stage in _COUNTS and len(query) >= HEAD and self._many(stage, query):
            sql = _STAGES[f"{stage}-walk"].format(where)
            yield from self.db().execute(sql, (query[:HEAD], *tier, query, query + _LAST, *params))
        elif stage in ("prefix", "word", "initials"):
            yield from self.db().execute(_STAGES[stage].format(where), (query, query + _LAST, *tier, *params))
        else:
            column = "initials" if stage == "initials-substring" else "folded"
            if len(query) >= 3:
                pattern = "*" + "".join(f"[{c}]" if c in "*?[" else c for c in query) + "*"
                yield from self.db().execute(
                    _STAGES["grams"].format(column, where), (pattern, *tier, *params)
                )
            else:
                bounded = (tier[0], min(tier[1], tier[0] + SHORT_SCAN))
                sql = _STAGES["scan"].format(column, where)
                yield from self.db().execute(sql, (*bounded, query, *params))

    def _many(self, stage: str, query: str) -> bool:
        """Whether ``query`` is the prefix of ``MANY`` keys (stage ``prefix``) or words (``word``)."""
        (count,) = self.db().execute(_COUNTS[stage], (query, query + _LAST, MANY)).fetchone()
        return bool(count >= MANY)

    def typos(
        self, query: str, tier: tuple[int, int], types: list[str], graph: int | None
    ) -> list[tuple[int, int]]:
        """Keys with a word (or a whole text) one edit from ``query`` (5-7 letters) or two (8 or more).

        Candidate words share enough of the query's trigrams (an edit changes at most three)
        and have about its length; the edit distance is then checked on them alone.
        """
        distance = 1 if len(query) <= 7 else 2
        grams = sorted(set(trigrams(query)))
        needed = max(1, len(query) + 2 - 3 * distance)
        candidates = self.db().execute(
            f"SELECT t.id, t.term FROM (SELECT term, COUNT(*) AS shared FROM term_grams"
            f" WHERE gram IN ({','.join('?' * len(grams))}) AND len BETWEEN ? AND ?"
            f" GROUP BY term HAVING shared >= ? ORDER BY shared DESC LIMIT {TYPO_TERMS}) x"
            f" JOIN terms t ON t.id = x.term",
            (*grams, len(query) - distance, len(query) + distance, needed),
        )
        close: dict[int, int] = {}
        for term_id, term in candidates:
            found = edit_distance(query, term, distance)
            if found <= distance:
                close[term_id] = found
        if not close:
            return []
        where, params = _filters(types, graph)
        rows = self.db().execute(
            f"SELECT tk.key, k.entity, tk.term FROM term_keys tk JOIN keys k ON k.id = tk.key"
            f" WHERE tk.term IN ({','.join('?' * len(close))}) AND tk.key BETWEEN ? AND ?{where}"
            f" ORDER BY tk.key LIMIT {TYPO_KEYS}",
            (*close, *tier, *params),
        )
        ranked = sorted((close[term], key, entity) for key, entity, term in rows)
        return [(key, entity) for _, key, entity in ranked]

    # What a hit shows ------------------------------------------------------------------------

    def hits(self, keys: list[int]) -> dict[int, tuple[int, str, str, str | None, str, bool, str]]:
        """(entity, field, text, language, entity IRI, whether pedkg's own, best type IRI or "") of keys."""
        rows = self.db().execute(
            "SELECT k.id, k.entity, k.field, k.text, k.lang, e.iri, e.own, e.type"
            f" FROM keys k JOIN entities e ON e.id = k.entity WHERE k.id IN ({','.join('?' * len(keys))})",
            keys,
        )
        return {
            key: (entity, FIELDS[field], text, lang, iri, bool(own), type_iri or "")
            for key, entity, field, text, lang, iri, own, type_iri in rows
        }

    def entity_id(self, iri: str) -> int | None:
        found = self.db().execute("SELECT id FROM entities WHERE iri = ?", (iri,)).fetchone()
        return int(found[0]) if found else None

    def names(self, entities: list[int]) -> list[tuple[int, str, str | None, int]]:
        """(entity, text, language, naming rank) of the keys that name the entities."""
        return (
            self.db()
            .execute(
                "SELECT entity, text, lang, naming FROM keys"
                f" WHERE entity IN ({','.join('?' * len(entities))}) AND naming IS NOT NULL",
                entities,
            )
            .fetchall()
        )

    def types_of(self, entity: int) -> list[str]:
        rows = self.db().execute(
            "SELECT y.iri FROM entity_types t JOIN types y ON y.id = t.type WHERE t.entity = ?", (entity,)
        )
        return [t for (t,) in rows]

    def types(self) -> list[str]:
        """Every type an indexed entity has."""
        return [t for (t,) in self.db().execute("SELECT iri FROM types ORDER BY 1")]

    def graphs(self) -> list[tuple[int, str]]:
        """(id, IRI) of every graph the index read."""
        return self.db().execute("SELECT id, iri FROM graphs ORDER BY iri").fetchall()

    def own(self) -> Iterator[tuple[str, str, int, list[str]]]:
        """(IRI, best type, type rank, every type) of each of pedkg's own entities."""
        rows = (
            self.db()
            .execute("SELECT id, iri, type, type_rank FROM entities WHERE own ORDER BY iri")
            .fetchall()
        )
        for entity, iri, type_iri, rank in rows:
            yield iri, type_iri or "", rank, self.types_of(entity)


def _filters(types: list[str], graph: int | None) -> tuple[str, list[object]]:
    """SQL that keeps the entities of one of ``types`` (when any) in ``graph`` (when given)."""
    where = ""
    params: list[object] = []
    if types:
        marks = ",".join("?" * len(types))
        where += (
            f" AND EXISTS (SELECT 1 FROM entity_types t JOIN types y ON y.id = t.type"
            f" WHERE y.iri IN ({marks}) AND t.entity = k.entity)"
        )
        params.extend(types)
    if graph is not None:
        where += " AND EXISTS (SELECT 1 FROM entity_graphs g WHERE g.graph = ? AND g.entity = k.entity)"
        params.append(graph)
    return where, params


def edit_distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``bound + 1`` as soon as it must exceed ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return min(previous[-1], bound + 1)
