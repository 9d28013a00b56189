"""A bound on the requests a server works on at once, in all and per client address.

Past the bound a request is refused at once, 503 when the server is full and 429 when
its client already has its share, both with ``Retry-After``, rather than queueing behind
the others: a queue makes every later request slower and lets one client take the
server. Requests that cost nothing are never counted: ``/healthz``, ``/static/``, and the
response cache's hits (the cache wraps this gate, so a hit never reaches it). A worker
also admits one request fewer than it has threads, so a refusal never waits for a thread; it
has one more thread than the server's bound (``Settings.worker_threads``), because keep-alive
connections stay with the worker that accepted them, and one worker may hold them all.

The counts live in shared memory (``Counts``) made by the gunicorn master before it
forks, so the bound is the server's, not each worker's. Each worker writes only its own
row and reads the others' without a lock, so a worker that is killed can neither leave
a lock held nor leak counts: its row is cleared for the worker that replaces it. The
price is that two workers admitting at the same instant can pass the bound by one each.
Client addresses share ``BUCKETS`` counters by hash; two clients in one bucket share
one share. Behind a reverse proxy every request has the proxy's address: set the
per-client bound to 0 there and bound clients at the proxy.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import threading
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import plain_before_flask

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BUCKETS = 1021  # a prime, so addresses that differ in one octet spread
TOTAL = 0  # column of a row holding the worker's requests in progress; buckets follow
UNCOUNTED_PREFIXES = ("/static/", "/healthz")
RETRY_AFTER_SECONDS = 1
SERVER_FULL = "the server is answering as many requests as it may"


class Counts:
    """Requests in progress, one row per worker slot: ``[total, bucket 0, bucket 1, ...]``."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.width = 1 + BUCKETS
        self.cells = multiprocessing.RawArray(ctypes.c_int, rows * self.width)

    def clear(self, row: int) -> None:
        start = row * self.width
        self.cells[start : start + self.width] = [0] * self.width

    def total(self) -> int:
        return sum(self.cells[r * self.width + TOTAL] for r in range(self.rows))

    def in_row(self, row: int) -> int:
        return int(self.cells[row * self.width + TOTAL])

    def in_bucket(self, bucket: int) -> int:
        return sum(self.cells[r * self.width + 1 + bucket] for r in range(self.rows))

    def add(self, row: int, bucket: int, step: int) -> None:
        start = row * self.width
        self.cells[start + TOTAL] += step
        self.cells[start + 1 + bucket] += step


class Gate:
    """WSGI middleware admitting at most ``most`` requests at once, ``per_client`` from one address.

    ``row`` is this worker's row of ``counts``; a bound of 0 means no bound. ``threads``: the
    worker's threads; it admits one fewer, so a thread is always free to refuse the next
    request at once instead of leaving it queued for a thread.
    """

    def __init__(
        self,
        app: WSGIApplication,
        most: int,
        per_client: int,
        counts: Counts | None = None,
        row: int = 0,
        threads: int = 0,
    ) -> None:
        self.app = app
        self.most = most
        self.per_client = per_client
        self.in_worker = max(1, threads - 1) if threads else 0
        self.counts = counts or Counts(1)
        self.row = row
        self.lock = threading.Lock()  # this worker's threads take turns on its row
        self.counts.clear(row)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if (not self.most and not self.per_client) or path.startswith(UNCOUNTED_PREFIXES):
            return self.app(environ, start_response)
        bucket = zlib.crc32(environ.get("REMOTE_ADDR", "").encode()) % BUCKETS
        with self.lock:
            if (self.most and self.counts.total() >= self.most) or (
                self.in_worker and self.counts.in_row(self.row) >= self.in_worker
            ):
                return _refuse(
                    start_response,
                    "503 Service Unavailable",
                    SERVER_FULL,
                )
            if self.per_client and self.counts.in_bucket(bucket) >= self.per_client:
                return _refuse(
                    start_response,
                    "429 Too Many Requests",
                    f"this address already has {self.per_client} requests in progress",
                )
            self.counts.add(self.row, bucket, 1)
        try:  # a response is built whole (the query has run) before it is returned
            return self.app(environ, start_response)
        finally:
            self._release(bucket)

    def _release(self, bucket: int) -> None:
        with self.lock:
            self.counts.add(self.row, bucket, -1)


def _refuse(start_response: StartResponse, status: str, reason: str) -> list[bytes]:
    return plain_before_flask(
        start_response,
        status,
        f"{reason}; retry after {RETRY_AFTER_SECONDS} s",
        ("Retry-After", str(RETRY_AFTER_SECONDS)),
        ("Cache-Control", "no-store"),
    )
