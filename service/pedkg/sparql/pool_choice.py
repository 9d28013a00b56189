"""Which query pool a server worker answers with: query processes on the embedded store, or
slots on a SPARQL server, chosen once from the settings as ``store.backend`` chooses the store."""

from __future__ import annotations

from ..config import Settings
from ..store.backend import remote_store
from .pool import MemoryPlan, Pool, QueryPool
from .remote_pool import RemotePool


def query_pool(settings: Settings) -> Pool:
    """The pool a server worker answers with."""
    if settings.remote:
        return RemotePool(remote_store(settings), settings.threads, settings.query_timeout)
    memory = MemoryPlan(settings.store_in_memory, settings.memory_share)
    return QueryPool(settings.store, settings.query_processes, settings.query_timeout, memory=memory)
