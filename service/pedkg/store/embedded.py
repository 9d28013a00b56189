"""The only module that talks to ``pyoxigraph.Store``.

Everything else receives a store (``interface.Store``) and asks it for query results or
hands it triples; ``GraphStore`` is that store on this machine, on disk or in memory. The
default graph of every query is the union of the named graphs unless a dataset is given.
Writes go to a new version of the store, never to one readers have open (``versions``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from .interface import QueryResult, Substitutions
from .sparql_lexer import bind_values
from .turtle_prefixes import TurtleDirectives

#: a copy leaving out graphs bulk-loads the rest instead when rest <= left out × this (loading runs
#: about 4 times as fast as deleting; bench_engine.py import)
REBUILD_SHARE = 3
#: Formats without graph names, which the bulk loader can put into one graph itself.
TRIPLE_FORMATS = frozenset({ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML})


class GraphStore:
    """A pyoxigraph store, on disk or in memory; its methods' contracts are ``interface.Store``'s."""

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

    # Reading --------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        substitutions: Substitutions | None = None,
        prefixes: dict[str, str] | None = None,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        union_default: bool = True,
        base_iri: str | None = None,
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
            sparql, substitutions = bind_values(sparql, substitutions), None
        try:
            return self._store.query(
                sparql,
                use_default_graph_as_union=union_default and not dataset,
                default_graph=default if dataset else None,
                named_graphs=named if dataset else None,
                substitutions=substitutions,
                prefixes=prefixes,
                base_iri=base_iri,
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def triples(self, graph: str | None) -> list[ox.Triple]:
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, name)
        ]

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def dump_to(self, path: Path) -> None:
        """The whole dataset as N-Quads into a file, written by the engine without a copy in Python."""
        self._store.dump(str(path), format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)

    # Writing --------------------------------------------------------------------------------

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(f"malformed update: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"update failed: {exc}") from exc

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self._store.bulk_extend(quads)

    def add_quads_from_file(self, source: IO[bytes], format: ox.RdfFormat) -> None:
        """Bulk-loaded: blank nodes get fresh ids, the same for one label across the file's graphs."""
        self.bulk_loaded = True
        self._store.bulk_load(source, format)

    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        self.drop_graph(graph)
        self.add_to_graph(graph, triples)

    def replace_graph_from_file(
        self, source: IO[bytes], format: ox.RdfFormat, graph: str, base_iri: str | None = None
    ) -> dict[str, str]:
        """Streamed in by the bulk loader.

        A graph format goes to the bulk loader whole, in Rust, at ``oxigraph load``'s speed; a
        dataset format is parsed here to move its quads into ``graph``. The parser and the bulk
        loader both rename blank nodes.
        """
        name = ox.NamedNode(graph)
        self.drop_graph(graph)
        if format not in TRIPLE_FORMATS:
            parser = ox.parse(source, format, base_iri=base_iri, rename_blank_nodes=True)
            self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in parser)
            return dict(parser.prefixes)
        self.bulk_loaded = True
        directives = TurtleDirectives(source) if format == ox.RdfFormat.TURTLE else None
        self._store.bulk_load(
            cast(IO[bytes], directives) if directives else source, format, base_iri=base_iri, to_graph=name
        )
        return directives.prefixes(base_iri) if directives else {}

    def drop_graph(self, graph: str | None) -> None:
        if not graph:
            self._store.clear_graph(ox.DefaultGraph())
        elif self._store.contains_named_graph(ox.NamedNode(graph)):
            self._store.remove_graph(ox.NamedNode(graph))

    def flush(self) -> None:
        """Write everything out, compacted: the bulk loader writes sorted files already, and
        compacting the whole store after it would cost more than the load (bench_engine.py import)."""
        self._store.flush()
        if not self.bulk_loaded:
            self._store.optimize()

    # Versions -------------------------------------------------------------------------------

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
                copy.add_quads_from_file(spool, ox.RdfFormat.N_QUADS)
            return copy
        self.backup(target)
        copy = GraphStore(ox.Store(str(target)), target)
        for name in names:
            copy._store.remove_graph(name)
        return copy

    def _count(self, graph: ox.NamedNode) -> int:
        found = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        assert isinstance(found, ox.QuerySolutions)
        return int(next(found)["n"].value)
