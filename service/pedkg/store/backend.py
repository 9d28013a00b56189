"""Which store pedkg uses: the embedded pyoxigraph store or an external SPARQL 1.1 server.

Chosen once from the settings (``PEDKG_REMOTE_QUERY`` set or not); build, import, the
CLI and the server ask here and then use the methods of ``interface.Store``, which both
kinds satisfy. On the embedded store a write changes a copy that is swapped in when
complete (``versions``); on a server each graph is replaced by one request, and the
version stamp moves at the end.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..config import Settings
from ..errors import StoreError
from . import search_versions
from .embedded import GraphStore
from .interface import Store
from .remote import Endpoints, RemoteStore
from .versions import new_version

# mypy --strict checks here that both kinds of store satisfy the interface.
_EMBEDDED_IS_A_STORE: type[Store] = GraphStore
_REMOTE_IS_A_STORE: type[Store] = RemoteStore


def remote_store(settings: Settings) -> RemoteStore:
    missing = [
        name
        for name, value in (
            ("PEDKG_REMOTE_UPDATE", settings.remote_update),
            ("PEDKG_REMOTE_GRAPH_STORE", settings.remote_graph_store),
        )
        if not value
    ]
    if missing:
        raise StoreError(f"PEDKG_REMOTE_QUERY is set, so {' and '.join(missing)} must be too")
    endpoints = Endpoints(
        settings.remote_query,
        settings.remote_update,
        settings.remote_graph_store,
        settings.remote_authorization,
        _digest(settings.remote_digest),
    )
    return RemoteStore(
        endpoints,
        settings.query_timeout,
        connections=max(4, settings.threads * 2),
        index_folder=search_versions.remote_folder(settings.store),
    )


def open_reader(settings: Settings) -> Store:
    """The store, for reading."""
    if settings.remote:
        return remote_store(settings)
    return GraphStore.open_read_only(settings.store)


@contextlib.contextmanager
def writing(settings: Settings, fresh: bool = False, without: tuple[str, ...] = ()) -> Iterator[Store]:
    """The store, for a write that readers see whole or not at all (per graph on a server).

    ``fresh``: start the embedded store empty (the first build); else from the current data,
    leaving out the named graphs ``without`` lists on the embedded store (a replace or a drop
    deletes them anyway; a copy without them is much faster than deleting a large graph).
    A server's data is always changed in place; its version stamp moves when the block ends,
    and the search index of the new stamp is written beside the store link (``search_versions``);
    on the embedded store it is written into the new version (``versions.new_version``).
    """
    if not settings.remote:
        with new_version(settings.store, from_current=not fresh, without=without) as embedded:
            yield embedded
        return
    store = remote_store(settings)
    yield store
    store.flush()
    path = search_versions.remote_file(store.index_folder, store.version())
    path.parent.mkdir(parents=True, exist_ok=True)
    search_versions.build(store, path)
    search_versions.prune_remote(store.index_folder, path)


def _digest(setting: str) -> tuple[str, str] | None:
    """``PEDKG_REMOTE_DIGEST``'s user and password (``user:password``), or None when unset."""
    if not setting:
        return None
    user, colon, password = setting.partition(":")
    if not colon or not user:
        raise StoreError("PEDKG_REMOTE_DIGEST is user:password (the password is never shown)")
    return user, password
