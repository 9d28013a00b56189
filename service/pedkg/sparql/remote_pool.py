"""The query pool's interface over a SPARQL server (``store.remote``).

The embedded store answers in query processes (``pool``), which a time limit can kill; a
server keeps its own time and processes, so this pool only bounds how many queries one
worker sends at once and gives the answers the same row cap and serialisers.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import QueryRefused
from ..store import search_versions
from ..store.remote import RemoteStore
from .pool import QueryAnswer, QueryJob
from .runner import capped


class RemotePool:
    """At most ``size`` queries at once on the server; a query waits ``wait`` seconds for a slot."""

    def __init__(self, store: RemoteStore, size: int, timeout: float, wait: float = 10.0) -> None:
        self.store = store
        self.timeout = timeout
        self.wait = wait
        self._slots = threading.BoundedSemaphore(size)

    def run(self, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
        if not self._slots.acquire(timeout=self.wait):
            raise QueryRefused(503, "every query slot is busy; try again shortly")
        try:
            result = self.store.query(
                job.query,
                substitutions=job.substitutions or None,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
                union_default=job.union_default,
                base_iri=job.base_iri,
                timeout=timeout or self.timeout,
            )
            return capped(result, job)  # the same row cap and serialisers as the embedded store
        finally:
            self.store.release()
            self._slots.release()

    def version(self) -> str:
        return self.store.version()

    def search_index(self, version: str) -> Path:
        """Kept beside the store link, keyed by the server's version stamp (``store.search_versions``)."""
        path = search_versions.remote_file(self.store.index_folder, version)
        return search_versions.ensure(path, lambda: self.store)

    def dump(self) -> bytes:
        return self.store.dump()

    def ready(self) -> bool:
        return True  # the SPARQL server holds the data; nothing is copied here

    def close(self) -> None:
        self.store.close()
