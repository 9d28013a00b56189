"""Which query pool a server worker answers with: query processes on the embedded store, or
slots on a SPARQL server, chosen once from the settings as ``store.backend`` chooses the store."""

from __future__ import annotations

from ..config import Settings
from ..store.backend import remote_store
from .pool import Keeper, MemoryPlan, Pool, QueryPool
from .remote_pool import RemotePool


def memory_plan(settings: Settings) -> MemoryPlan:
    """Each query process's share of the memory budget: every one holds its own copy."""
    processes = max(1, settings.workers * settings.query_processes)
    return MemoryPlan(settings.store_in_memory, (settings.memory_budget << 20) // processes)


def keeper(settings: Settings) -> Keeper | None:
    """The server's keeper, which starts the query processes, made once before the workers fork
    (none for a SPARQL server)."""
    return None if settings.remote else Keeper(settings.store, memory_plan(settings))


def query_pool(settings: Settings, keeper: Keeper | None = None) -> Pool:
    """The pool a server worker answers with; its own keeper unless the server's is given."""
    if settings.remote:
        return RemotePool(remote_store(settings), settings.threads, settings.query_timeout)
    return QueryPool(
        settings.store,
        settings.query_processes,
        settings.query_timeout,
        memory=memory_plan(settings),
        keeper=keeper,
    )
