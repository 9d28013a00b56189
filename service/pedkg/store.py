"""The only module that talks to ``pyoxigraph.Store``.

Everything else receives a ``GraphStore`` and asks it for query results or hands
it quads. The default graph of every query is the union of the named graphs.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreError

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


class GraphStore:
    """A pyoxigraph store, on disk or in memory."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self._store = store
        self.path = path

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

    def flush(self) -> None:
        self._store.flush()
        self._store.optimize()

    def query(
        self,
        sparql: str,
        substitutions: Substitutions | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query over the union of all graphs."""
        try:
            return self._store.query(
                sparql,
                use_default_graph_as_union=True,
                substitutions=substitutions,
                prefixes=prefixes,
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def dump(self) -> bytes:
        """The whole dataset as N-Quads."""
        return self._store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)


def swap_in(new_dir: Path, link: Path) -> None:
    """Point ``link`` at ``new_dir`` atomically, then delete the store it pointed at.

    Readers that opened the old store through the link keep a valid view until they
    reopen; a crash before the rename leaves the old store in place.
    """
    old_target = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        raise StoreError(f"{link}: exists and is not a store link made by `pedkg build`")
    tmp_link = link.with_name(f".{link.name}.{os.getpid()}.{time.time_ns()}")
    tmp_link.symlink_to(new_dir.name if new_dir.parent == link.parent else new_dir.resolve())
    os.replace(tmp_link, link)
    if old_target is not None and old_target != new_dir.resolve() and old_target.exists():
        shutil.rmtree(old_target, ignore_errors=True)
