"""Servers to benchmark, their CPU use, HTTP load from client processes, result comparison.

Nothing here knows the query mix or the data: ``bench_sparql`` composes them. A new
system (Virtuoso, rdflib-endpoint, ...) is one more ``Server`` subclass; a new user path
(an HTML page, ``/api/search``) is one more ``Request`` path.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPARQL_JSON = "application/sparql-results+json"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, accept: str = SPARQL_JSON, timeout: float = 60) -> tuple[int, bytes]:
    status, _, body = fetch(port, path, accept, timeout)
    return status, body


def fetch(port: int, path: str, accept: str = SPARQL_JSON, timeout: float = 60) -> tuple[int, str, bytes]:
    """(status, content type without parameters, body) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return response.status, kind, response.read()
    finally:
        conn.close()


def sparql_path(endpoint: str, query: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'query': query})}"


# --------------------------------------------------------------------------- servers


class Server:
    """A server process on 127.0.0.1 that we started, with its log in a file."""

    name = "server"
    endpoint = "/sparql"

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.log_path = log_dir / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def ready_path(self) -> str:
        return self.endpoint

    def query_path(self, query: str) -> str:
        """The GET path that asks this server ``query`` over its default graph."""
        return sparql_path(self.endpoint, query)

    def start(self, timeout: float = 60) -> None:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so stop() ends all of it and only it
            )
        deadline = time.monotonic() + timeout
        probe = (
            sparql_path(self.endpoint, "ASK {}") if self.ready_path() == self.endpoint else self.ready_path()
        )
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if get(self.port, probe, timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not start on port {self.port}; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # start_new_session: the group id is the server's pid
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # leftovers of its own process group, if any
            os.killpg(group, signal.SIGKILL)

    def as_store(self) -> dict[str, str] | None:
        """The ``PEDKG_REMOTE_*`` settings that make this server pedkg's store, or None if it cannot be."""
        return None

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and all its descendants, living or reaped."""
        assert self.process is not None
        return tree_cpu_seconds(self.process.pid)

    def processes(self) -> int:
        assert self.process is not None
        return len(descendants(self.process.pid))

    def memory_bytes(self, stats: dict[int, tuple[int, float]] | None = None) -> int:
        """Proportional set size of the server's process tree (shared pages counted once)."""
        if self.process is None or self.process.poll() is not None:
            return 0
        return sum(pss_bytes(pid) for pid in descendants(self.process.pid, stats))


class PedkgServer(Server):
    """``pedkg serve`` (gunicorn) on a store link; settings through ``PEDKG_*``."""

    name = "pedkg"
    endpoint = "/sparql"

    def __init__(self, log_dir: Path, store_link: Path, settings: dict[str, str]) -> None:
        super().__init__(log_dir)
        self.store_link = store_link
        self.settings = settings

    def command(self) -> list[str]:
        return [sys.executable, "-m", "pedkg", "serve"]

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEDKG_")}
        env.update(self.settings)
        env.update(
            {"PEDKG_STORE": str(self.store_link), "PEDKG_HOST": "127.0.0.1", "PEDKG_PORT": str(self.port)}
        )
        return env

    def ready_path(self) -> str:
        return "/readyz"  # 200 once the store is copied into memory; until then it answers from disk

    def start(self, timeout: float = 1800) -> None:
        super().start(timeout)  # a copy of 5M quads into memory takes minutes the first time


class PedkgOnServer(PedkgServer):
    """``pedkg serve`` with a running peer as its store (``PEDKG_REMOTE_*``): the extra hop.

    The peer does the query work, so its CPU and memory count as this system's too (each
    phase is timed alone, so nothing is counted twice within one phase). ``folder`` holds
    the store link setting's folder: a server's search index files are written beside it.
    """

    def __init__(
        self, log_dir: Path, folder: Path, settings: dict[str, str], backing: Server, remote: dict[str, str]
    ) -> None:
        self.name = f"pedkg@{backing.name}"
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(log_dir, folder / "store", {**settings, **remote})
        self.backing = backing

    def cpu_seconds(self) -> float:
        return super().cpu_seconds() + self.backing.cpu_seconds()

    def memory_bytes(self, stats: dict[int, tuple[int, float]] | None = None) -> int:
        return super().memory_bytes(stats) + self.backing.memory_bytes(stats)


class OxigraphServer(Server):
    """``oxigraph serve-read-only`` from PyPI ``oxigraph``, union default graph like pedkg."""

    name = "oxigraph"
    endpoint = "/query"

    def __init__(self, log_dir: Path, binary: str, location: Path) -> None:
        super().__init__(log_dir)
        self.binary = binary
        self.location = location

    def command(self) -> list[str]:
        return [
            self.binary,
            "serve-read-only",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--union-default-graph",
        ]

    def as_store(self) -> dict[str, str]:
        url = f"http://127.0.0.1:{self.port}"  # read-only: pedkg's writes would be refused, reads are all it does
        return {
            "PEDKG_REMOTE_QUERY": url + "/query",
            "PEDKG_REMOTE_UPDATE": url + "/update",
            "PEDKG_REMOTE_GRAPH_STORE": url + "/store",
        }


class RdflibServer(Server):
    """rdflib-endpoint (FastAPI + uvicorn) on an rdflib ``Dataset`` with ``default_union``,
    parsed from the N-Quads file at start (so its load time is its start time)."""

    name = "rdflib"
    endpoint = "/"

    def __init__(self, log_dir: Path, nquads: Path) -> None:
        super().__init__(log_dir)
        self.nquads = nquads

    def command(self) -> list[str]:
        script = Path(__file__).resolve().parent / "rdflib_serve.py"
        return [sys.executable, str(script), str(self.nquads), str(self.port)]


class VirtuosoServer(Server):
    """Virtuoso Open Source (``virtuoso-t``) on its own database and ini in ``folder``.

    Its default graph, with no ``default-graph-uri``, is every graph it holds: the union
    of the loaded named graphs, as pedkg's (plus Virtuoso's own system graphs, which the
    query mix never matches; the answer check would show it if one did).
    """

    name = "virtuoso"
    endpoint = "/sparql"

    def __init__(self, log_dir: Path, folder: Path, buffers: int = 170_000) -> None:
        super().__init__(log_dir)
        self.folder = folder
        self.sql_port = free_port()
        self.ini = folder / "virtuoso.ini"
        self.buffers = buffers

    def write_ini(self, template: Path) -> None:
        """The packaged ini with our database files, ports, buffers and loading folder."""
        db = self.folder / "db"
        db.mkdir(parents=True, exist_ok=True)
        values = {
            "DatabaseFile": None,  # per section below
            "ServerPort": None,
            "NumberOfBuffers": str(self.buffers),
            "MaxDirtyBuffers": str(self.buffers * 3 // 4),
            "DirsAllowed": f"., {self.folder / 'load'}",
            "MaxClientConnections": "32",
            "ServerThreads": "32",
            "MaxKeepAlives": "32",
            "ResultSetMaxRows": "1000000",
            "MaxQueryExecutionTime": "0",
            "MaxQueryCostEstimationTime": "0",
        }
        section = ""
        out = []
        for line in template.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith("[") and stripped.endswith("]"):
                section = stripped[1:-1]
            key = stripped.split("=")[0].strip() if "=" in stripped and not stripped.startswith(";") else ""
            if key in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"):
                stem = "virtuoso-temp" if section == "TempDatabase" else "virtuoso"
                ext = {"DatabaseFile": "db", "ErrorLogFile": "log", "LockFile": "lck"}
                ext |= {"TransactionFile": "trx", "xa_persistent_file": "pxa"}
                line = f"{key} = {db / (stem + '.' + ext[key])}"
            elif key == "ServerPort":
                line = f"ServerPort = {self.sql_port if section == 'Parameters' else self.port}"
            elif key in values and values[key] is not None:
                line = f"{key} = {values[key]}"
            out.append(line)
        self.ini.write_text("\n".join(out) + "\n")

    def command(self) -> list[str]:
        return ["virtuoso-t", "+foreground", "+configfile", str(self.ini)]

    def as_store(self) -> dict[str, str]:
        url = f"http://127.0.0.1:{self.port}"  # the packaged endpoints; writes need Digest as dba
        return {
            "PEDKG_REMOTE_QUERY": url + "/sparql",
            "PEDKG_REMOTE_UPDATE": url + "/sparql-auth",
            "PEDKG_REMOTE_GRAPH_STORE": url + "/sparql-graph-crud-auth",
            "PEDKG_REMOTE_DIGEST": "dba:dba",
        }

    def isql(self, statements: str, timeout: float = 3600) -> str:
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout


def pss_bytes(pid: int) -> int:
    """A process's proportional set size (RSS where smaps_rollup is unreadable), 0 if gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        field_name = "Pss:"
    except OSError:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
            field_name = "VmRSS:"
        except OSError:
            return 0
    for line in text.splitlines():
        if line.startswith(field_name):
            return int(line.split()[1]) * 1024
    return 0


class MemoryWatch:
    """Samples the servers' memory every second in a thread (one pass over /proc for all of
    them, to take little of the CPU the servers are measured on); keeps each one's peak."""

    def __init__(self, servers: list[Server], interval: float = 1.0) -> None:
        self.servers = servers
        self.interval = interval
        self.peak: dict[str, int] = {s.name: 0 for s in servers}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            stats = process_table()
            for server in self.servers:
                with contextlib.suppress(Exception):
                    self.peak[server.name] = max(self.peak.get(server.name, 0), server.memory_bytes(stats))

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return ppid, (utime + stime + cutime + cstime) / CLOCK_TICKS


def process_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds) of every process, from one pass over /proc."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (found := _stat(int(entry))) is not None:
            stats[int(entry)] = found
    return stats


def descendants(root: int, stats: dict[int, tuple[int, float]] | None = None) -> dict[int, float]:
    """pid -> CPU seconds, for ``root`` and every process below it."""
    stats = process_table() if stats is None else stats
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    out: dict[int, float] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats and pid not in out:
            out[pid] = stats[pid][1]
            todo.extend(children.get(pid, []))
    return out


def tree_cpu_seconds(root: int) -> float:
    return sum(descendants(root).values())


# --------------------------------------------------------------------------- results


def solutions(body: bytes) -> tuple[tuple[str, ...], Counter[tuple[tuple[str, ...], ...]]]:
    """SPARQL JSON results as (sorted variables, multiset of solutions), blank nodes anonymised.

    A literal's absent datatype and ``xsd:string`` are the same term; ``typed-literal``
    (the pre-2013 spelling) is a literal.
    """
    data = json.loads(body)
    if "boolean" in data:
        return ("boolean",), Counter([(("boolean", str(data["boolean"])),)])
    variables = tuple(sorted(data["head"].get("vars", [])))
    bag: Counter[tuple[tuple[str, ...], ...]] = Counter()
    for binding in data["results"]["bindings"]:
        row = []
        for var in sorted(binding):
            term = binding[var]
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            value = "_:" if kind == "bnode" else term["value"]
            datatype = term.get("datatype", "")
            if datatype == "http://www.w3.org/2001/XMLSchema#string":
                datatype = ""
            row.append((var, kind, value, datatype, term.get("xml:lang", "").lower()))
        bag[tuple(row)] += 1
    return variables, bag


GRAPH_FORMATS = {
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "text/ntriples": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N_QUADS",
}
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"


def graph_triples(
    body: bytes, content_type: str
) -> tuple[tuple[str, ...], Counter[tuple[tuple[str, ...], ...]]]:
    """A CONSTRUCT answer as a set of triples, blank nodes anonymised, in ``solutions``' shape."""
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, GRAPH_FORMATS.get(content_type, "N_TRIPLES"))
    bag: Counter[tuple[tuple[str, ...], ...]] = Counter()
    seen = set()
    for triple in ox.parse(body, format=fmt):
        row = tuple(
            ("_:",)
            if isinstance(t, ox.BlankNode)
            else (str(t).replace("^^<http://www.w3.org/2001/XMLSchema#string>", ""),)
            for t in (triple.subject, triple.predicate, triple.object)
        )
        if row not in seen:  # a graph is a set; some servers repeat triples
            seen.add(row)
            bag[row] += 1
    return ("subject", "predicate", "object"), bag


# --------------------------------------------------------------------------- load


@dataclass
class Phase:
    """What one timed phase measured: every request's latency, and the server's CPU."""

    system: str
    kind: str
    clients: int
    latencies: list[float] = field(default_factory=list)  # seconds, every completed 200 response
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    cpu: float = 0.0  # server CPU seconds over the phase
    response_bytes: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in seconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
        return ordered[rank - 1]

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / self.requests if self.requests else float("nan")

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "kind": self.kind,
            "clients": self.clients,
            "requests": self.requests,
            "errors": dict(self.errors),
            "elapsed_s": round(self.elapsed, 3),
            "throughput_rps": round(self.throughput, 2),
            "p50_ms": round(self.percentile(50) * 1000, 3),
            "p99_ms": round(self.percentile(99) * 1000, 3),
            "server_cpu_ms_per_request": round(self.cpu_per_request * 1000, 3),
            "response_bytes": self.response_bytes,
        }


def _client(
    port: int,
    paths: list[str],
    offset: int,
    seconds: float,
    barrier: Any,
    results: Any,
    index: int,
    accept: str = SPARQL_JSON,
) -> None:
    """One client process: one keep-alive connection, requests back to back until the deadline."""
    headers = {"Accept": accept}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    size = 0
    try:
        conn.request("GET", paths[offset % len(paths)], headers=headers)  # connect and warm up
        conn.getresponse().read()
    except (OSError, http.client.HTTPException) as exc:
        errors[f"warm-up: {type(exc).__name__}"] += 1
    barrier.wait()
    start = time.monotonic()
    deadline = start + seconds
    i = offset
    while True:
        now = time.perf_counter()
        if time.monotonic() >= deadline:
            break
        path = paths[i % len(paths)]
        i += 1
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors[type(exc).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        if response.status != 200:
            errors[f"HTTP {response.status}"] += 1
            continue
        latencies.append(time.perf_counter() - now)
        size += len(body)
    end = time.monotonic()
    conn.close()
    results.put((index, start, end, latencies, dict(errors), size))


def run_phase(
    server: Server, kind: str, paths: list[str], clients: int, seconds: float, accept: str = SPARQL_JSON
) -> Phase:
    """``clients`` client processes send ``paths`` round-robin for ``seconds`` to ``server``.

    Client processes, not threads, so the clients do not queue on one interpreter's lock
    and the latencies are the server's. Each keeps one HTTP/1.1 connection open.
    """
    warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
    # fork, not spawn: a spawned client would re-import the benchmark script (pedkg, pyoxigraph),
    # ~1 s of CPU per client on the very cores the servers use. The clients only use http.client.
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients + 1)
    results = context.Queue()
    workers = [
        context.Process(
            target=_client,
            args=(
                server.port,
                paths,
                i * max(1, len(paths) // clients),
                seconds,
                barrier,
                results,
                i,
                accept,
            ),
            daemon=True,
        )
        for i in range(clients)
    ]
    for worker in workers:
        worker.start()
    phase = Phase(server.name, kind, clients)
    try:
        barrier.wait(timeout=120)
        cpu_before = server.cpu_seconds()
        outcomes = [results.get(timeout=seconds + 180) for _ in workers]
        phase.cpu = server.cpu_seconds() - cpu_before
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
                worker.join()
    phase.elapsed = max(o[2] for o in outcomes) - min(o[1] for o in outcomes)
    for _, _, _, latencies, errors, size in sorted(outcomes):
        phase.latencies.extend(latencies)
        phase.errors.update(errors)
        phase.response_bytes += size
    return phase
