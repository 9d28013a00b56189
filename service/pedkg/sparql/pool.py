"""Runs queries in separate processes, so a time limit really stops the work.

pyoxigraph has no query time limit and cannot be interrupted from Python; a query
that runs too long is stopped by killing the process that runs it, and a new one
takes its place. A query that crashes the engine kills only its process too.
Each process opens the store read-only through the store link and reopens it when
a build has swapped in a new one; when the store fits its share of the memory budget
(``MemoryPlan``) it answers from an in-memory copy instead, which the engine searches
several times faster than RocksDB. Results leave the process serialised, capped at a
row limit by pyoxigraph itself (line-based TSV/N-Triples cut, re-serialised only when
the requested format is another).
"""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import QueryError, QueryRefused, QueryTimeout, StoreError
from ..store import search_versions
from ..store.embedded import GraphStore
from ..store.interface import QueryResult
from ..store.memory import in_memory_copy
from ..store.search_index import INDEX_NAME
from ..store.versions import current_version

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryJob:
    query: str
    format_name: str
    returns_graph: bool
    row_limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: dict[ox.Variable, Any] = field(default_factory=dict)
    union_default: bool = True  # False when the query names its dataset with FROM


@dataclass(frozen=True)
class QueryAnswer:
    body: bytes
    format_name: str
    rows: int | None  # rows or triples sent; None for ASK
    truncated: bool


class Pool(Protocol):
    """What the pages and the endpoint need from a store: answers, its version, a dump."""

    def run(self, job: QueryJob, timeout: float | None = None) -> QueryAnswer: ...

    def version(self) -> str: ...

    def search_index(self, version: str) -> Path:
        """The search index file of a store version (``store.search_versions``), built first only if
        that version has none (one made before search indexes were)."""
        ...

    def dump(self) -> bytes: ...

    def close(self) -> None: ...


#: Resident bytes an in-memory copy takes per quad, measured at 1M synthetic quads (bench_engine.py
#: memory), rounded up: the estimate ``MemoryPlan`` compares with the budget.
BYTES_PER_QUAD = 400
#: Longest a query process may take to load its store before a query counts as waiting on it.
LOAD_LIMIT = 3600.0


@dataclass(frozen=True)
class MemoryPlan:
    """Whether a query process serves from an in-memory copy: ``on``, ``off`` or ``auto`` (when the
    store's estimated size fits ``budget`` bytes, the process's share of PEDKG_MEMORY_BUDGET)."""

    mode: str = "off"
    budget: int = 0

    def wanted(self, quads: int) -> bool:
        if self.mode not in ("auto", "on", "off"):
            raise StoreError(f"PEDKG_STORE_IN_MEMORY={self.mode!r}: use auto, on or off")
        return self.mode == "on" or (self.mode == "auto" and quads * BYTES_PER_QUAD <= self.budget)


class QueryPool:
    """A fixed number of query processes shared by the threads of one server worker."""

    def __init__(
        self,
        store_link: Path,
        size: int,
        timeout: float,
        wait: float = 10.0,
        memory: MemoryPlan = MemoryPlan(),
    ) -> None:
        self.store_link = store_link
        self.timeout = timeout
        self.wait = wait
        self.memory = memory
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Process] = queue.Queue()
        self._all: list[_Process] = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def run(self, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
        """Answer a job, or raise QueryError, QueryTimeout or QueryRefused(503)."""
        limit = self.timeout if timeout is None else timeout
        process = self._take()
        try:
            process.connection.send(job)
            kind, payload = self._receive(process, limit)
            if kind == "timeout":
                process = self._replace(process)
                raise QueryTimeout(f"the query ran longer than the limit of {limit:g} s and was stopped")
        except (EOFError, OSError) as exc:
            process = self._replace(process)
            raise QueryError("the query engine stopped while answering this query") from exc
        finally:
            self._idle.put(process)
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        if kind == "store":
            raise StoreError(payload)
        raise QueryError(payload)

    def _take(self) -> _Process:
        """An idle query process, waiting at most ``wait`` seconds for one."""
        try:
            return self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise QueryRefused(503, "every query process is busy; try again shortly") from None

    @staticmethod
    def _receive(process: _Process, limit: float) -> tuple[str, Any]:
        """The process's answer, or ("timeout", None) after ``limit`` seconds of evaluating.

        Time spent starting and (re)loading the store, which the process announces, does not count.
        """
        deadline = time.monotonic() + (limit if process.serving else LOAD_LIMIT)
        while True:
            if not process.connection.poll(max(0.0, deadline - time.monotonic())):
                return "timeout", None
            kind, payload = process.connection.recv()
            if kind == "loading":
                deadline = time.monotonic() + LOAD_LIMIT
            elif kind == "loaded":
                process.serving = payload
                deadline = time.monotonic() + limit
            else:
                return kind, payload

    def serving(self) -> str:
        """Where a query process answers from for the current version: "memory" or "disk"."""
        process = self._take()
        try:
            process.connection.send(_WHERE)
            kind, payload = self._receive(process, LOAD_LIMIT)  # waits for a copy under way
        finally:
            self._idle.put(process)
        if kind == "store":
            raise StoreError(payload)
        return str(payload)

    def version(self) -> str:
        """The store version the link points to now; per-version caches key on it."""
        return current_version(self.store_link)

    def search_index(self, version: str) -> Path:
        folder = Path(version)
        return search_versions.ensure(folder / INDEX_NAME, lambda: GraphStore.open_read_only(folder))

    def dump(self) -> bytes:
        """The whole dataset as N-Quads, read in this process (a dump is not a query)."""
        return GraphStore.open_read_only(self.store_link).dump()

    def close(self) -> None:
        with self._lock:
            for process in self._all:
                process.stop()
            self._all.clear()

    def _start(self) -> _Process:
        parent, child = self._context.Pipe()
        worker = self._context.Process(
            target=_serve, args=(child, str(self.store_link), self.memory), daemon=True, name="pedkg-query"
        )
        worker.start()
        child.close()
        process = _Process(worker, parent)
        with self._lock:
            self._all.append(process)
        return process

    def _replace(self, process: _Process) -> _Process:
        process.stop()
        with self._lock:
            if process in self._all:
                self._all.remove(process)
        return self._start()


@dataclass(eq=False)
class _Process:
    worker: Any  # multiprocessing.Process from the spawn context
    connection: Connection
    serving: str = ""  # "memory" or "disk", once the process has said

    def stop(self) -> None:
        self.connection.close()
        if self.worker.is_alive():
            self.worker.kill()
        self.worker.join(timeout=5)


_WHERE = "where"  # a message asking a query process where it answers from


def _serve(connection: Connection, store_link: str, memory: MemoryPlan) -> None:
    """A query process: open the store, answer jobs until the pipe closes."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [%(process)d] [INFO] %(message)s")
    version: _Version | None = None
    with contextlib.suppress(StoreError):  # open early so the first query does not wait
        version = _Version(connection, os.path.realpath(store_link), memory)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        target = os.path.realpath(store_link)
        if version is None or target != version.target:
            try:
                version = _Version(connection, target, memory)
            except StoreError as exc:
                connection.send(("store", str(exc)))
                continue
        if job == _WHERE:
            connection.send(("ok", version.settled()))
            continue
        try:
            connection.send(("ok", answer(version.store(), job)))
        except Exception as exc:  # the engine's errors carry their own message
            connection.send(("error", str(exc)))


class _Version:
    """A store version in a query process: read-only on disk at once, and copied into memory in a
    thread when the plan says, so queries are answered from disk until the copy is ready rather
    than waiting for it (at 1M triples a copy takes half a minute or more)."""

    def __init__(self, connection: Connection, target: str, memory: MemoryPlan) -> None:
        connection.send(("loading", None))
        self.target = target
        self.disk = GraphStore.open_read_only(Path(target))
        self.copy: GraphStore | None = None
        quads = len(self.disk)
        self._loader: threading.Thread | None = None
        wanted = memory.wanted(quads)
        log.info(
            "query process serves %s from %s (%s quads, ~%d MB in memory, budget %d MB, %s)",
            target, "memory once copied" if wanted else "disk", f"{quads:,}",
            quads * BYTES_PER_QUAD >> 20, memory.budget >> 20, memory.mode,
        )  # fmt: skip
        if wanted:
            self._loader = threading.Thread(target=self._load, daemon=True, name="pedkg-copy")
            self._loader.start()
        connection.send(("loaded", "disk"))

    def _load(self) -> None:
        started = time.monotonic()
        self.copy = in_memory_copy(self.disk)
        log.info(
            "query process serves %s from memory: copied in %.1f s", self.target, time.monotonic() - started
        )

    def store(self) -> GraphStore:
        return self.copy if self.copy is not None else self.disk  # not `or`: a store's truth is its length

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
    )
    return capped(result, job)


def capped(result: QueryResult, job: QueryJob) -> QueryAnswer:
    """A result serialised in the job's format, cut at its row limit by pyoxigraph's own writers."""
    from .formats import GRAPH_FORMATS, RESULT_FORMATS  # imported here: keeps process start light

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
