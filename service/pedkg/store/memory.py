"""A store version copied into memory, for the query processes that serve from RAM.

The engine searches an in-memory store several times faster than RocksDB, but making the
copy is slow: dumping takes most of the time (each term is looked up in RocksDB). So the
first process to copy a version keeps the dump, split in two parts, in that version's
folder, which is otherwise never written to and goes when the version is pruned; a later
copy of the same version (after a restart) only loads them, which takes seconds.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .embedded import GraphStore

DUMP_NAME = "pedkg-dump.nq"  # a version's N-Quads dump, kept in its folder for in-memory copies


def in_memory_copy(store: GraphStore) -> GraphStore:
    """The whole dataset copied into an in-memory store, blank nodes keeping their ids.

    The quads without blank nodes are bulk-loaded in Rust from the kept dump, lenient (the
    data was checked on the way in); the few with blank nodes are parsed and added here,
    because a load would rename them and answers would differ from the disk's.
    """
    copy = ox.Store()
    with tempfile.TemporaryDirectory(prefix="pedkg-copy-") as scratch:
        try:  # kept in the version's folder, so the next copy of this version only loads it
            plain, blank = (
                _kept_parts(Path(os.path.realpath(store.path)), store)
                if store.path
                else _split(store, Path(scratch))
            )
        except OSError:  # a store folder this process may not write to
            plain, blank = _split(store, Path(scratch))
        copy.bulk_load(path=str(plain), format=ox.RdfFormat.N_QUADS, lenient=True)
        copy.extend(ox.parse(path=str(blank), format=ox.RdfFormat.N_QUADS))
    return GraphStore(copy)


def _split(store: GraphStore, folder: Path) -> tuple[Path, Path]:
    """The store dumped into ``folder`` as two files: the lines without blank nodes, and those with
    (or with "_:" in a literal)."""
    whole, plain, blank = folder / f"whole-{DUMP_NAME}", folder / DUMP_NAME, folder / f"blank-{DUMP_NAME}"
    store.dump_to(whole)
    with open(whole, "rb") as lines, open(plain, "wb") as plain_out, open(blank, "wb") as blank_out:
        for line in lines:
            (blank_out if b"_:" in line else plain_out).write(line)
    whole.unlink()
    return plain, blank


def _kept_parts(folder: Path, store: GraphStore) -> tuple[Path, Path]:
    """``_split`` of the store, kept in its version folder by the first process that asks."""
    names = (folder / DUMP_NAME, folder / f"blank-{DUMP_NAME}")
    with open(folder / f"{DUMP_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all(name.exists() for name in names):
            with tempfile.TemporaryDirectory(prefix=".pedkg-copy-", dir=folder) as scratch:
                for made, name in zip(_split(store, Path(scratch)), names, strict=True):
                    os.replace(made, name)
    return names
