"""Which search index file belongs to which store version, and making it there.

On the embedded store a version is a folder, and its index is a file in it, written before
the folder is swapped in (``versions.new_version``), so it exists before any reader and
goes with the version when it is pruned. On a SPARQL server a version is a stamp
(``remote``): its index is written after the write, beside the store link
(``PEDKG_STORE``-search/), named by a hash of the stamp, and the older stamps' files are
pruned but the one before. A version with no file (made before search indexes were, or a
stamp another machine wrote) gets one from its first reader, under a lock, once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ..errors import StoreError
from .interface import Store
from .search_index import FORMAT, INDEX_NAME, records, write


def build(store: Store, path: Path) -> None:
    """Write the index of ``store`` to ``path``; the file appears whole (written beside, then renamed)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        partial.unlink(missing_ok=True)
        write(partial, records(store)).close()
        os.replace(partial, path)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{path}: cannot write the search index: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def is_current(path: Path) -> bool:
    """Whether an index file is there, whole, in this layout."""
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            found = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
    except sqlite3.Error:
        return False
    return bool(found) and found[0] == FORMAT


def ensure(path: Path, store: Callable[[], Store]) -> Path:
    """The index file at ``path``, built from ``store()`` first if it is missing (under a lock, once).

    A version made by ``pedkg`` has its file already; this builds the file of a version made
    before search indexes were, or of a server's version stamp that another machine wrote.
    """
    if is_current(path):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f".{path.name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not is_current(path):
                build(store(), path)
    except OSError as exc:
        raise StoreError(f"{path}: no search index, and none can be written here: {exc}") from exc
    return path


def remote_file(folder: Path, version: str) -> Path:
    """The index file of a SPARQL server's version stamp, in ``folder`` beside the store link."""
    return folder / f"{hashlib.sha256(version.encode()).hexdigest()[:16]}-{INDEX_NAME}"


def remote_folder(store_link: Path) -> Path:
    """Where a SPARQL server's index files are kept: beside ``PEDKG_STORE``, named after it."""
    return store_link.with_name(f"{store_link.name}-search")


def prune_remote(folder: Path, keep: Path) -> None:
    """Delete the index files of older version stamps but the newest other one (readers may have it open)."""
    others = sorted(
        (p for p in folder.glob(f"*-{INDEX_NAME}") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[1:]:
        old.unlink(missing_ok=True)
