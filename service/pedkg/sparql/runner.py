"""A query process: answers the jobs its server worker sends down a socket until the socket closes.

Query processes are forked by the server's keeper (``keeper``). Each opens the store version
read-only on disk at once and, when the memory plan says so, copies it into memory in a thread
(``store.memory``: the first process to copy a version keeps its dump, the others only load it),
answering from disk until the copy is ready. Results leave the process serialised, capped at a
row limit by pyoxigraph itself (line-based TSV/N-Triples cut, re-serialised only when the
requested format is another).
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import StoreError
from ..store.embedded import GraphStore
from ..store.interface import QueryResult
from ..store.memory import in_memory_copy
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .pool import BYTES_PER_QUAD, WHERE, MemoryPlan, QueryAnswer, QueryJob

log = logging.getLogger("pedkg.query")


def serve(connection: Connection, link: str, plan: MemoryPlan) -> None:
    """Answer jobs from the version the link points to, until the socket closes.

    Besides answers, the process says where it serves from: ``("serving", "copying" | "disk")``
    when it opens a version, ``("serving", "memory")`` when the copy is ready (from the copying
    thread, so sends are serialised by a lock).
    """
    channel = _Channel(connection)
    version: _Version | None = None
    try:
        version = _Version(channel, os.path.realpath(link), plan)
    except StoreError as exc:  # no store yet, or a plan naming no mode: said with every job
        channel.send(("serving", "disk"))
        log.info("query process: %s", exc)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        target = os.path.realpath(link)
        if version is None or target != version.target:
            try:
                version = _Version(channel, target, plan)
            except StoreError as exc:
                channel.send(("store", str(exc)))
                continue
        if job == WHERE:
            channel.send(("ok", version.settled()))
            continue
        try:
            channel.send(("ok", answer(version.store(), job)))
        except Exception as exc:  # the engine's errors carry their own message
            channel.send(("error", str(exc)))


class _Channel:
    """The process's socket, written by its main thread and by the thread that copies the store."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._lock = threading.Lock()

    def send(self, message: object) -> None:
        with self._lock:
            self.connection.send(message)


class _Version:
    """A store version in a query process: read-only on disk at once, and copied into memory in a
    thread when the plan says, so queries are answered from disk until the copy is ready rather
    than waiting for it."""

    def __init__(self, channel: _Channel, target: str, plan: MemoryPlan) -> None:
        self.target = target
        self.disk: GraphStore | None = GraphStore.open_read_only(Path(target))
        self.copy: GraphStore | None = None
        quads = len(self.disk)
        wanted = plan.wanted(quads)
        self._channel = channel
        self._loader: threading.Thread | None = None
        log.info(
            "query process serves %s from %s (%s quads, ~%d MB in memory, budget %d MB, %s)",
            target, "memory once copied" if wanted else "disk", f"{quads:,}",
            quads * BYTES_PER_QUAD >> 20, plan.budget >> 20, plan.mode,
        )  # fmt: skip
        channel.send(("serving", "copying" if wanted else "disk"))
        if wanted:
            self._loader = threading.Thread(target=self._load, daemon=True, name="pedkg-copy")
            self._loader.start()

    def _load(self) -> None:
        started = time.monotonic()
        assert self.disk is not None
        self.copy = in_memory_copy(self.disk)
        self.disk = None  # RocksDB's caches and files are not needed once the copy answers
        log.info(
            "query process serves %s from memory: copied in %.1f s", self.target, time.monotonic() - started
        )
        self._channel.send(("serving", "memory"))

    def store(self) -> GraphStore:
        copy, disk = self.copy, self.disk  # read once: the copying thread swaps them
        if copy is not None:
            return copy
        assert disk is not None
        return disk

    def settled(self) -> str:
        """Where the process answers from once any copy under way is done: "memory" or "disk"."""
        if self._loader is not None:
            self._loader.join()
        return "memory" if self.copy is not None else "disk"


def answer(store: GraphStore, job: QueryJob) -> QueryAnswer:
    """Evaluate a job on a store and serialise its result; used in the query processes."""
    result = store.query(
        job.query,
        substitutions=job.substitutions or None,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        union_default=job.union_default,
        base_iri=job.base_iri,
    )
    return capped(result, job)


def capped(result: QueryResult, job: QueryJob) -> QueryAnswer:
    """A result serialised in the job's format, cut at its row limit by pyoxigraph's own writers."""
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=RESULT_FORMATS[job.format_name][1]) or b""
        return QueryAnswer(body, job.format_name, None, False)
    if isinstance(result, ox.QuerySolutions):
        solutions = result
        lines, truncated = _first_lines(
            lambda out: solutions.serialize(out, format=ox.QueryResultsFormat.TSV), job.row_limit + 1
        )
        rows = len(lines) - 1
        body = b"".join(lines)
        if job.format_name != "tsv":  # TSV is what the cut wrote; any other format is written from it
            capped = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
            assert isinstance(capped, ox.QuerySolutions)
            body = capped.serialize(format=RESULT_FORMATS[job.format_name][1]) or b""
        return QueryAnswer(body, job.format_name, rows, truncated)
    triples = result
    lines, truncated = _first_lines(
        lambda out: ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES), job.row_limit
    )
    body = b"".join(lines)
    if job.format_name != "ntriples":
        parsed = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        body = ox.serialize(parsed, format=GRAPH_FORMATS[job.format_name][1]) or b""
    return QueryAnswer(body, job.format_name, len(lines), truncated)


class _Enough(Exception):
    pass


class _LineCap(io.RawIOBase):
    """A sink that keeps the first ``limit`` lines and stops the writer after them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        self.lines += bytes(chunk).count(b"\n")  # count the new chunk only: linear in the result
        if self.lines > self.limit:
            raise _Enough
        return len(chunk)


def _first_lines(write: Any, limit: int) -> tuple[list[bytes], bool]:
    """Run a serialiser into a capped sink: its first ``limit`` lines, and whether more came."""
    sink = _LineCap(limit)
    truncated = False
    try:
        write(sink)
    except _Enough:
        truncated = True
    lines = bytes(sink.data).splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        lines.pop()
    return lines[:limit], truncated or len(lines) > limit
