"""Store versions: nothing writes to a folder that readers have open.

The built store is a link (``PEDKG_STORE``) to a versioned folder beside it. A build writes a
new folder; a write copies the current one (a RocksDB checkpoint, hard links, milliseconds)
and changes the copy; then the link is swapped atomically. Readers notice the new target and
reopen; the version before stays for readers that still have it open, older ones go.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import StoreError
from . import search_versions
from .embedded import GraphStore
from .search_index import INDEX_NAME


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
    never half-changed; its search index is written into its folder before the swap
    (``search_index``), so every version has one from its first reader on. Builds and
    writes are serialised by a lock file beside the link, across processes. ``without``:
    named graphs the copy leaves out (a replace or a drop).
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
            search_versions.build(store, new_dir / INDEX_NAME)
            store.close()
            swap_in(new_dir, link)
        except BaseException:
            shutil.rmtree(new_dir, ignore_errors=True)
            raise


def current_version(link: Path) -> str:
    """The name of the store version the link points to now (its folder's real path)."""
    return os.path.realpath(link)
