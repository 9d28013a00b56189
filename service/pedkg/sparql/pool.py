"""Runs queries in separate processes, so a time limit really stops the work.

pyoxigraph has no query time limit and cannot be interrupted from Python; a query
that runs too long is stopped by killing the process that runs it, and a new one
takes its place. A query that crashes the engine kills only its process too.
The processes are forked by the server's keeper (``keeper``) and answer from an in-memory
copy of the store version when it fits the memory budget (``MemoryPlan``): the engine
searches it several times faster than RocksDB. This module is the server worker's side:
the jobs, the answers, and a pool of processes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import QueryError, QueryRefused, QueryTimeout, StoreError
from ..store import search_versions
from ..store.embedded import GraphStore
from ..store.search_index import INDEX_NAME
from ..store.versions import current_version


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
    base_iri: str | None = None  # what relative IRIs resolve against (the endpoint's URL)


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

    def ready(self) -> bool:
        """Whether the pool answers as it will from now on (an in-memory copy under way is not)."""
        ...

    def close(self) -> None: ...


#: Resident bytes an in-memory copy takes per quad: 494 MiB of PSS for 999,900 synthetic quads
#: (pyoxigraph 0.5.13, the 1M benchmark data), rounded up: the estimate ``MemoryPlan`` compares
#: with the budget.
BYTES_PER_QUAD = 520
#: Seconds a query must have run before the next one, finding every process busy, is given a new
#: process that reads the disk rather than wait for it.
LONG_QUERY = 1.0
#: Longest a query process may take to copy a store version into memory when asked to finish it.
LOAD_LIMIT = 3600.0
KEEPER_SOCKET = "keeper.sock"
WHERE = "where"  # a message asking a query process where it answers from


@dataclass(frozen=True)
class MemoryPlan:
    """Whether a query process answers from an in-memory copy: ``on``, ``off`` or ``auto`` (when
    the store's estimated size fits ``budget`` bytes, its share of PEDKG_MEMORY_BUDGET)."""

    mode: str = "off"
    budget: int = 0

    def wanted(self, quads: int) -> bool:
        if self.mode not in ("auto", "on", "off"):
            raise StoreError(f"PEDKG_STORE_IN_MEMORY={self.mode!r}: use auto, on or off")
        return self.mode == "on" or (self.mode == "auto" and quads * BYTES_PER_QUAD <= self.budget)


class Keeper:
    """The server's keeper process (``keeper``), as each server worker reaches it.

    Started once, before gunicorn forks its workers; each process connects on first use.
    """

    def __init__(self, store_link: Path, memory: MemoryPlan) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pedkg-keeper-"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pedkg.sparql.keeper", str(self.folder), str(store_link), memory.mode,
             str(memory.budget)],
        )  # fmt: skip
        self._starter = os.getpid()  # the process that may ask the Popen whether the keeper stopped
        self._lock = threading.Lock()
        self._owner = 0
        self._connection: Connection | None = None

    def fork(self, disk: bool = False) -> tuple[int, Connection]:
        """A new query process (one that never copies the store, if ``disk``): its pid and socket."""
        with self._lock:
            connection = self._connected()
            connection.send(("fork", disk))
            _, pid = connection.recv()
            return pid, Connection(recv_handle(connection))

    def close(self) -> None:
        """Stop the keeper; only the process that started it may (a forked worker's copy of this
        handle must not remove the socket the other workers use)."""
        if os.getpid() != self._starter:
            return
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _connected(self) -> Connection:
        """This process's connection to the keeper (a forked worker makes its own)."""
        if self._connection is None or self._owner != os.getpid():
            self._connection, self._owner = self._connect(), os.getpid()
        return self._connection

    def _connect(self) -> Connection:
        deadline = time.monotonic() + 60
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(self.folder / KEEPER_SOCKET))
                return Connection(sock.detach())
            except OSError as exc:
                sock.close()
                stopped = os.getpid() == self._starter and self.process.poll() is not None
                if stopped or time.monotonic() > deadline:
                    raise StoreError(f"the query keeper did not start: {exc}") from exc
                time.sleep(0.02)


class QueryPool:
    """Query processes shared by the threads of one server worker: ``size`` of them with their
    copy of the store, and as many again reading the disk, started only while long queries hold
    every one, so a light query need not wait behind a long one."""

    def __init__(
        self,
        store_link: Path,
        size: int,
        timeout: float,
        wait: float = 10.0,
        memory: MemoryPlan = MemoryPlan(),
        keeper: Keeper | None = None,
    ) -> None:
        self.store_link = store_link
        self.timeout = timeout
        self.wait = wait
        self._own_keeper = keeper is None
        self.keeper = keeper or Keeper(store_link, memory)
        self._all: list[_Process] = []
        self._free: list[_Process] = []
        self._lock = threading.RLock()
        self._freed = threading.Condition(self._lock)
        self._extra = 0  # processes that read the disk, started while every process was busy
        self._most_extra = size
        for _ in range(size):
            self._free.append(self._start(extra=False))

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
            self._give(process)
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        if kind == "store":
            raise StoreError(payload)
        raise QueryError(payload)

    def _take(self) -> _Process:
        """An idle query process, one with a copy first. When none is idle and every one with a
        copy has been on its query for ``LONG_QUERY`` seconds, a new one reading the disk joins
        (if there is room), so a light query does not wait behind a long one; queries that keep
        the processes briefly busy wait their turn (a disk process would answer them slower).
        Waits at most ``wait`` seconds."""
        deadline = time.monotonic() + self.wait
        taken: _Process | None = None
        with self._freed:
            while True:
                free = sorted(self._free, key=lambda process: process.extra)  # a copy first
                if free and not free[0].extra:
                    taken = free[0]
                    break
                now = time.monotonic()
                # the latest start among the processes with a copy, all busy
                latest = max((p.busy_since for p in self._all if not p.extra), default=now)
                long_under_way = now - latest >= LONG_QUERY
                if long_under_way and free:
                    taken = free[0]
                    break
                if long_under_way and self._extra < self._most_extra:
                    self._extra += 1
                    break
                if now >= deadline:
                    raise QueryRefused(503, "every query process is busy; try again shortly")
                wake = deadline if long_under_way else min(deadline, latest + LONG_QUERY)
                self._freed.wait(max(0.001, wake - now))
            if taken is not None:
                self._free.remove(taken)
                taken.busy_since = time.monotonic()
                return taken
        try:
            taken = self._start(extra=True)
        except BaseException:
            with self._freed:
                self._extra -= 1
            raise
        taken.busy_since = time.monotonic()
        return taken

    def _give(self, process: _Process) -> None:
        with self._freed:
            self._free.append(process)
            self._freed.notify()

    @staticmethod
    def _receive(process: _Process, limit: float) -> tuple[str, Any]:
        """The process's answer, or ("timeout", None) after ``limit`` seconds of evaluating; what
        it says about where it serves from on the way is noted."""
        deadline = time.monotonic() + limit
        while True:
            if not process.connection.poll(max(0.0, deadline - time.monotonic())):
                return "timeout", None
            kind, payload = process.connection.recv()
            if kind != "serving":
                return kind, payload
            process.serving = payload

    def serving(self) -> str:
        """Where the query processes answer from for the current version, once any copy under way
        is done: "memory" or "disk"."""
        process = self._take()
        try:
            process.connection.send(WHERE)
            kind, payload = self._receive(process, LOAD_LIMIT)
        finally:
            self._give(process)
        if kind == "store":
            raise StoreError(payload)
        return str(payload)

    def ready(self) -> bool:
        """Whether no query process is still copying the store into memory."""
        with self._freed:  # an idle process is heard here; a busy one says it with its answer
            for process in self._free:
                process.hear()
            return all(process.serving != "copying" for process in self._all)

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
        if self._own_keeper:
            self.keeper.close()

    def _start(self, extra: bool) -> _Process:
        pid, connection = self.keeper.fork(disk=extra)
        process = _Process(pid, connection, extra, "disk" if extra else "copying")
        with self._lock:
            self._all.append(process)
        return process

    def _replace(self, process: _Process) -> _Process:
        process.stop()
        with self._lock:
            if process in self._all:
                self._all.remove(process)
        return self._start(process.extra)


@dataclass(eq=False)
class _Process:
    pid: int
    connection: Connection
    extra: bool  # started while a long query held every process: reads the disk
    serving: str  # "copying" until it says "memory", or "disk"
    busy_since: float = 0.0  # when it was last taken

    def hear(self) -> None:
        """Note what an idle process has said about where it serves from (it says nothing else)."""
        with contextlib.suppress(EOFError, OSError):  # a process that died is replaced when next used
            while self.connection.poll():
                kind, payload = self.connection.recv()
                if kind == "serving":
                    self.serving = payload

    def stop(self) -> None:
        self.connection.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)  # the keeper's side reaps it
