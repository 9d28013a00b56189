"""A query process: answers the jobs its server worker sends down a socket until the socket closes.

Query processes are forked by the keeper (``keeper``): from the holder of an in-memory copy of
the store version, or, until that copy is ready, from the keeper itself to read the store on
disk. Results leave the process serialised, capped at a row limit by pyoxigraph itself
(line-based TSV/N-Triples cut, re-serialised only when the requested format is another).
"""

from __future__ import annotations

import io
import os
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import StoreError
from ..store.embedded import GraphStore
from ..store.interface import QueryResult
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .pool import WHERE, QueryAnswer, QueryJob

#: Queries faster than this touch too little of the copy to be worth measuring the process's memory.
MEASURE_AFTER = 0.02


def serve(
    connection: Connection,
    link: str,
    copy: tuple[str, GraphStore] | None = None,
    refusal: str | None = None,
    retire_bytes: int = 0,
) -> None:
    """Answer jobs: from ``copy`` (its version's folder, the store) while the link still points
    there, else from the version on disk; every job with ``refusal`` when there is one."""
    target, store = copy if copy is not None else ("", None)
    where = "memory" if copy is not None else "disk"
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if refusal is not None:
            connection.send(("store", refusal))
            continue
        now = os.path.realpath(link)
        if store is None or now != target:
            try:
                store, target, where = GraphStore.open_read_only(Path(now)), now, "disk"
            except StoreError as exc:
                connection.send(("store", str(exc)))
                continue
        if job == WHERE:
            connection.send(("ok", where))
            continue
        started = time.monotonic()
        try:
            connection.send(("ok", answer(store, job)))
        except Exception as exc:  # the engine's errors carry their own message
            connection.send(("error", str(exc)))
        measured = where == "memory" and retire_bytes and time.monotonic() - started > MEASURE_AFTER
        if measured and _private_bytes() > retire_bytes:
            connection.send(("retire", None))  # the pool forks a fresh process in this one's place


def _private_bytes() -> int:
    """Memory this process no longer shares with the holder it was forked from."""
    with open("/proc/self/smaps_rollup", "rb") as rollup:
        for line in rollup:
            if line.startswith(b"Private_Dirty:"):
                return int(line.split()[1]) << 10
    return 0


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
