"""A store version copied into memory, for the query processes that serve from RAM.

The engine searches an in-memory store several times faster than RocksDB, but making the
copy is slow: dumping takes most of the time (each term is looked up in RocksDB). So the
first process to copy a version keeps the dump, split in two parts, in that version's
folder, which is otherwise never written to and goes when the version is pruned; the other
query processes, and those that replace a killed one, only load them.
"""

from __future__ import annotations

import fcntl
import io
import os
from pathlib import Path

import pyoxigraph as ox

from .embedded import GraphStore

DUMP_NAME = "pedkg-dump.nq"  # a version's N-Quads dump, kept in its folder for in-memory copies


def in_memory_copy(store: GraphStore) -> GraphStore:
    """The whole dataset copied into an in-memory store, blank nodes keeping their ids.

    Dumped as N-Quads; the quads without blank nodes are bulk-loaded in Rust, lenient (the
    data was checked on the way in); the few with blank nodes are parsed and added here,
    because a load would rename them and answers would differ from the disk's.
    """
    plain, blank = (
        _parts(store.dump()) if store.path is None else _kept_parts(Path(os.path.realpath(store.path)), store)
    )
    copy = ox.Store()
    copy.bulk_load(plain, ox.RdfFormat.N_QUADS, lenient=True)
    copy.extend(ox.parse(blank, ox.RdfFormat.N_QUADS))
    return GraphStore(copy)


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
