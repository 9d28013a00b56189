"""The only module that talks to ``pyoxigraph.Store``.

Everything else receives a ``GraphStore`` and asks it for query results or hands
it quads. The default graph of every query is the union of the named graphs
unless a dataset is given.

The built store is a link (``PEDKG_STORE``) to a versioned folder. Nothing writes
to a folder that readers have open: a build writes a new folder, a write copies the
current one (a RocksDB checkpoint, hard links, milliseconds), changes the copy, and
then the link is swapped atomically. Readers notice the new target and reopen.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Generic, TypeVar, cast

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..sparql import text as sparql_text

# A graph result is an iterator of triples: pyoxigraph's QueryTriples, or triples parsed from a server.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]
Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
T = TypeVar("T")
#: a copy leaving out graphs bulk-loads the rest instead when rest <= left out × this (loading runs
#: about 4 times as fast as deleting; bench_engine.py import)
REBUILD_SHARE = 3
DUMP_NAME = "pedkg-dump.nq"  # a version's N-Quads dump, kept in its folder for in-memory copies


class GraphStore:
    """A pyoxigraph store, on disk or in memory."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self._store = store
        self.path = path
        self.bulk_loaded = False  # a graph came in through the bulk loader, already compact

    @classmethod
    def in_memory(cls) -> GraphStore:
        return cls(ox.Store())

    @classmethod
    def open_read_only(cls, path: Path) -> GraphStore:
        """Open a built store for reading; it must exist."""
        if not path.exists():
            raise StoreError(f"{path}: no store here; run `pedkg build` first")
        try:
            return cls(ox.Store.read_only(str(path.resolve())), path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc

    @classmethod
    def create(cls, path: Path) -> GraphStore:
        """A new, empty on-disk store at ``path`` (which must not exist yet)."""
        if path.exists():
            raise StoreError(f"{path}: already exists")
        try:
            return cls(ox.Store(str(path)), path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create a store: {exc}") from exc

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self._store.bulk_extend(quads)

    def add_dataset(self, source: IO[bytes], format: ox.RdfFormat) -> None:
        """Bulk-load an N-Quads or TriG file keeping its graphs (a restore, into a new version).

        Blank nodes get fresh ids, the same for one label across the file's graphs. Not atomic:
        a ``SyntaxError`` (with its line) leaves part loaded, which ``new_version`` discards.
        """
        self.bulk_loaded = True
        self._store.bulk_load(source, format)

    def flush(self) -> None:
        """Write everything out, compacted: the bulk loader writes sorted files already, and
        compacting the whole store after it would cost more than the load (bench_engine.py import)."""
        self._store.flush()
        if not self.bulk_loaded:
            self._store.optimize()

    def query(
        self,
        sparql: str,
        substitutions: Substitutions | None = None,
        prefixes: dict[str, str] | None = None,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        union_default: bool = True,
    ) -> QueryResult:
        """Evaluate a SPARQL query.

        A dataset given by the protocol (``default_graphs``/``named_graphs``) replaces the
        query's own; one not given leaves the other empty (SPARQL 1.1 Query 13.2). Without
        either, the default graph is the union of all graphs, unless ``union_default`` is
        False (the query names its dataset with FROM).
        """
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(g) for g in default_graphs
        ]
        named: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(g) for g in named_graphs]
        dataset = bool(default or named)
        if substitutions:  # bound in the text: pyoxigraph plans its substitutions as if unbound
            sparql, substitutions = sparql_text.bind_values(sparql, substitutions), None
        try:
            return self._store.query(
                sparql,
                use_default_graph_as_union=union_default and not dataset,
                default_graph=default if dataset else None,
                named_graphs=named if dataset else None,
                substitutions=substitutions,
                prefixes=prefixes,
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed update: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"update failed: {exc}") from exc

    def triples(self, graph: str | None) -> list[ox.Triple]:
        """The triples of a named graph, or of the default graph when ``graph`` is None."""
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, name)
        ]

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple] | None) -> None:
        """Empty a graph and fill it with ``triples`` (None: drop it)."""
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        if isinstance(name, ox.NamedNode) and self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        elif isinstance(name, ox.DefaultGraph):
            self._store.clear_graph(name)
        if triples is not None:
            self.extend_graph(graph, triples)

    def extend_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self) -> bytes:
        """The whole dataset as N-Quads."""
        return self._store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def close(self) -> None:
        """Let go of the store before it is swapped in, so that RocksDB closes it (pyoxigraph closes
        a store when it is released) and stops its background work: a writer still holding it
        could compact after the swap and delete files that a reader had just opened."""
        del self._store

    def backup(self, target: Path) -> None:
        self._store.backup(str(target))

    def copy(self, target: Path, without: frozenset[str] = frozenset()) -> GraphStore:
        """A writable copy at ``target`` without the graphs ``without`` names.

        A checkpoint (hard links, milliseconds) whose left-out graphs are then deleted, quad
        by quad (RocksDB: about 20,000 a second); or, when those graphs are large next to the
        rest, a new store bulk-loaded with the rest (dumped as one N-Quads file, so a blank
        node shared by two graphs stays one), which is faster than deleting them.
        """
        names = [ox.NamedNode(g) for g in without if self.has_graph(g)]
        leaving = sum(self._count(name) for name in names)
        if leaving and leaving * REBUILD_SHARE >= len(self) - leaving:
            copy = GraphStore.create(target)
            with tempfile.TemporaryFile(dir=target.parent) as spool:
                for graph in [ox.DefaultGraph(), *self._store.named_graphs()]:
                    if graph in names:
                        continue
                    data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
                    # N-Triples lines end in " .\n" (a literal's newlines are escaped): name the graph there
                    spool.write(
                        data
                        if isinstance(graph, ox.DefaultGraph)
                        else data.replace(b" .\n", f" {graph} .\n".encode())
                    )
                spool.seek(0)
                copy._store.bulk_load(spool, ox.RdfFormat.N_QUADS)
            copy.bulk_loaded = True
            return copy
        self.backup(target)
        copy = GraphStore(ox.Store(str(target)), target)
        for name in names:
            copy._store.remove_graph(name)
        return copy

    def in_memory_copy(self) -> GraphStore:
        """The whole dataset copied into an in-memory store, blank nodes keeping their ids.

        Dumped as N-Quads; the quads without blank nodes are bulk-loaded in Rust, lenient (the
        data was checked on the way in); the few with blank nodes are parsed and added here,
        because a load would rename them and answers would differ from the disk's. Dumping
        takes most of the time (each term is looked up in RocksDB), so the first process to
        copy a version keeps the two parts in that version's folder, which is otherwise never
        written to and goes when the version is pruned; the other query processes, and those
        that replace a killed one, only load them.
        """
        plain, blank = (
            _parts(self.dump()) if self.path is None else _kept_parts(Path(os.path.realpath(self.path)), self)
        )
        copy = ox.Store()
        copy.bulk_load(plain, ox.RdfFormat.N_QUADS, lenient=True)
        copy.extend(ox.parse(blank, ox.RdfFormat.N_QUADS))
        return GraphStore(copy)

    def _count(self, graph: ox.NamedNode) -> int:
        found = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        assert isinstance(found, ox.QuerySolutions)
        return int(next(found)["n"].value)

    def __len__(self) -> int:
        return len(self._store)

    def load(
        self, source: IO[bytes], format: ox.RdfFormat, graph: str, base_iri: str | None = None
    ) -> dict[str, str]:
        """Replace ``graph`` with RDF streamed in by the bulk loader; return the prefixes the file declared.

        Every quad goes to ``graph``, whatever graph a dataset format (N-Quads, TriG, JSON-LD)
        names; blank nodes get fresh ids so they never merge with another graph's (the parser
        and the bulk loader both rename them). A graph format goes to the bulk loader whole, in
        Rust, at ``oxigraph load``'s speed; a dataset format is parsed here to move its quads.
        The bulk loader is not atomic: load into a new version (``new_version``), which a failure
        discards. Raises ``SyntaxError`` (with the line, where the parser gives one) for bad input.
        """
        name = ox.NamedNode(graph)
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        if format not in TRIPLE_FORMATS:
            parser = ox.parse(source, format, base_iri=base_iri, rename_blank_nodes=True)
            self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in parser)
            return dict(parser.prefixes)
        self.bulk_loaded = True
        directives = _Directives(source) if format == ox.RdfFormat.TURTLE else None
        self._store.bulk_load(
            cast(IO[bytes], directives) if directives else source, format, base_iri=base_iri, to_graph=name
        )
        return directives.prefixes(base_iri) if directives else {}


#: Formats without graph names, which the bulk loader can put into one graph itself.
TRIPLE_FORMATS = frozenset({ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML})
_DIRECTIVE = re.compile(rb"^[ \t]*(?:@prefix|@base|prefix|base)\b[^\n]*", re.MULTILINE | re.IGNORECASE)


class _Directives:
    """A Turtle file read by the bulk loader, keeping its ``@prefix``/``@base`` lines on the way.

    The bulk loader reports no prefixes, and parsing the whole file again in Python would
    cost half the load; the directive lines alone, parsed after the load, give the same
    prefixes for any file that writes its directives on lines of their own (tools do). A kept
    line that does not parse as a directive (a prefixed name ``prefix:x`` starting a line) is
    skipped; a directive inside a multi-line literal would be reported, a known limit.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._kept: list[bytes] = []
        self._tail = b""
        self._mid_line = False  # a line too long to be a directive is being skipped

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        lines = self._tail + data
        start = lines.find(b"\n") + 1 if self._mid_line else 0
        cut = lines.rfind(b"\n") + 1 if data else len(lines)
        if start or not self._mid_line:
            self._kept.extend(_DIRECTIVE.findall(lines, start, cut))
        self._tail = lines[max(cut, start) :]
        self._mid_line = (self._mid_line and not start) or len(self._tail) > 65_536
        if self._mid_line:
            self._tail = b""
        return data

    def prefixes(self, base_iri: str | None) -> dict[str, str]:
        text = b""
        found: dict[str, str] = {}
        for line in self._kept:
            parser = ox.parse(text + line + b"\n", ox.RdfFormat.TURTLE, base_iri=base_iri)
            try:
                for _ in parser:
                    pass
            except SyntaxError:
                continue
            text += line + b"\n"
            found = dict(parser.prefixes)
        return found


def _parts(dump: bytes) -> tuple[bytes, bytes]:
    """An N-Quads dump split into the lines without blank nodes and those with (or with "_:" in a literal)."""
    if b"_:" not in dump:
        return dump, b""
    plain, blank = bytearray(), bytearray()
    for line in io.BytesIO(dump):
        (blank if b"_:" in line else plain).extend(line)
    return bytes(plain), bytes(blank)


def _kept_parts(folder: Path, store: GraphStore) -> tuple[bytes, bytes]:
    """``_parts`` of the store's dump, kept in its version folder by the first process that asks."""
    names = [folder / DUMP_NAME, folder / f"blank-{DUMP_NAME}"]
    try:
        with open(folder / f"{DUMP_NAME}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not all(name.exists() for name in names):
                for name, part in zip(names, _parts(store.dump()), strict=True):
                    name.with_suffix(f".{os.getpid()}").write_bytes(part)
                    os.replace(name.with_suffix(f".{os.getpid()}"), name)
            return names[0].read_bytes(), names[1].read_bytes()
    except OSError:  # a store folder this process may not write to
        return _parts(store.dump())


def new_version_dir(link: Path) -> Path:
    """A fresh folder name beside the store link."""
    link.parent.mkdir(parents=True, exist_ok=True)
    return link.parent / f"{link.name}-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def swap_in(new_dir: Path, link: Path) -> None:
    """Point ``link`` at ``new_dir`` atomically, keeping the previous version for open readers.

    A crash before the rename leaves the old store in place.
    """
    if link.exists() and not link.is_symlink():
        raise StoreError(f"{link}: exists and is not a store link made by `pedkg build`")
    previous = link.resolve() if link.is_symlink() else None
    tmp_link = link.with_name(f".{link.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    tmp_link.symlink_to(new_dir.name if new_dir.parent == link.parent else new_dir.resolve())
    os.replace(tmp_link, link)
    _prune(link, previous)


def _prune(link: Path, previous: Path | None) -> None:
    """Delete every version beside the link but the current one and ``previous`` (the one before,
    which readers may still have open); and what a killed write left: a version it never swapped
    in (however new), a link it never moved into place. Called under the write lock."""
    keep = {link.resolve(), previous}
    for old in link.parent.glob(f"{link.name}-*"):
        if old.is_dir() and old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in link.parent.glob(f".{link.name}.*.*"):
        if stale.is_symlink():
            stale.unlink(missing_ok=True)


@contextlib.contextmanager
def new_version(link: Path, from_current: bool, without: Iterable[str] = ()) -> Iterator[GraphStore]:
    """A new version of the store beside ``link``: empty, or a copy of the current one.

    It is swapped in if the block succeeds and deleted if not, so the current store is
    never half-changed. Builds and writes are serialised by a lock file beside the link,
    across processes. ``without``: named graphs the copy leaves out (a replace or a drop).
    """
    link.parent.mkdir(parents=True, exist_ok=True)
    if from_current and not link.exists():
        raise StoreError(f"{link}: no store here; run `pedkg build` first")
    with open(link.with_name(f".{link.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        new_dir = new_version_dir(link)
        try:
            if from_current:
                store = GraphStore.open_read_only(link).copy(new_dir, frozenset(without))
            else:
                store = GraphStore.create(new_dir)
            yield store
            store.flush()
            store.close()
            swap_in(new_dir, link)
        except BaseException:
            shutil.rmtree(new_dir, ignore_errors=True)
            raise


def current_version(link: Path) -> str:
    """The name of the store version the link points to now (its folder's real path)."""
    return os.path.realpath(link)


class PerVersion(Generic[T]):
    """Values worked out once per store version and kept in this process until the link moves.

    Statistics, dumps and the search index are costly to make and only change when a
    build or a write swaps in a new version; each is computed once, under a lock, and the
    values of older versions are dropped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._values: dict[str, T] = {}

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get(self, version: str, key: str, make: Callable[[str], T]) -> T:
        """The value for ``key`` in ``version`` (the pool's current one); ``make(version)`` builds it once."""
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            if key not in self._values:
                self._values[key] = make(version)
            return self._values[key]
