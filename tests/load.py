"""A bounded load test: many clients, each from its own loopback address, mixing what users do.

Used by tests/test_overload.py (a few seconds, in the suite) and by
tests/benchmarks/bench_load.py (60 s, on demand). Each client is a thread with one
keep-alive connection bound to its own source address (127.0.0.2, 127.0.0.3, ...: all of
127.0.0.0/8 reaches the loopback on Linux), so the server sees as many clients as there
are threads, as it would on a network. Requests: SPARQL queries (varied so no two are
the same text), named queries, entity pages, the search page and its API. The server's
memory is the summed proportional set size (PSS) of its process and all its descendants.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

BASE = "https://w3id.org/pedkg/"  # pedkg's IRIs; each has its page at /id/ + the rest
JSON_RESULTS = "application/sparql-results+json"
SEARCH_TERMS = (
    "leuk",
    "lymphoma",
    "신경",
    "tumour",
    "blood",
    "transplant",
    "surgery",
    "뇌",
    "neuro",
    "anemia",
)
SPARQL_KINDS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?s ?label WHERE {{ ?s rdfs:label ?label }} ORDER BY ?label LIMIT {n}",
    "SELECT ?type (COUNT(?s) AS ?n) WHERE {{ ?s a ?type }} GROUP BY ?type ORDER BY DESC(?n) LIMIT {n}",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?s ?code WHERE {{ ?s skos:exactMatch|skos:closeMatch ?code }} LIMIT {n}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {n}",
)


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    retry_after: str | None


@dataclass
class LoadReport:
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    memory_mib: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, PSS MiB)
    failures: list[str] = field(default_factory=list)  # connection errors, not HTTP statuses

    def statuses(self) -> Counter[int]:
        return Counter(s.status for s in self.samples)

    def percentile(self, fraction: float, status: int | None = None) -> float:
        times = sorted(s.seconds for s in self.samples if status is None or s.status == status)
        if not times:
            return 0.0
        return times[min(len(times) - 1, int(fraction * len(times)))]

    def summary(self) -> dict[str, object]:
        answered = [s for s in self.samples if s.status == 200]
        return {
            "clients": self.clients,
            "seconds": self.seconds,
            "requests": len(self.samples),
            "requests_per_second": round(len(self.samples) / self.seconds, 1),
            "answered_per_second": round(len(answered) / self.seconds, 1),
            "statuses": dict(sorted(self.statuses().items())),
            "by_kind": {
                kind: dict(sorted(Counter(s.status for s in self.samples if s.kind == kind).items()))
                for kind in sorted({s.kind for s in self.samples})
            },
            "p50_ms": round(1000 * self.percentile(0.50), 1),
            "p99_ms": round(1000 * self.percentile(0.99), 1),
            "p50_ms_200": round(1000 * self.percentile(0.50, 200), 1),
            "p99_ms_200": round(1000 * self.percentile(0.99, 200), 1),
            "max_ms": round(1000 * max((s.seconds for s in self.samples), default=0.0), 1),
            "memory_mib_start": self.memory_mib[0][1] if self.memory_mib else None,
            "memory_mib_end": self.memory_mib[-1][1] if self.memory_mib else None,
            "memory_mib_peak": max((m for _, m in self.memory_mib), default=None),
            "connection_failures": len(self.failures),
        }


def process_tree_pss_mib(pid: int) -> float:
    """PSS of ``pid`` and every descendant, in MiB (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier.extend(children)
    kib = 0
    for member in tree:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    kib += int(line.split()[1])
        except OSError:
            continue
    return round(kib / 1024, 1)


def targets(url: str) -> tuple[list[str], list[str]]:
    """Entity paths and named-query names to visit, read from the server itself."""
    host = urlsplit(url)
    connection = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
    query = f"SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), '{BASE}')) }}"
    connection.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": JSON_RESULTS})
    rows = json.loads(connection.getresponse().read())["results"]["bindings"]
    entities = ["/id/" + quote(r["s"]["value"].removeprefix(BASE)) for r in rows]
    connection.request("GET", "/queries.json", headers={"Accept": "application/json"})
    listed = json.loads(connection.getresponse().read())
    names = [q["name"] for q in (listed["queries"] if isinstance(listed, dict) else listed)]
    connection.close()
    return entities, names


def request_maker(
    entities: list[str], names: list[str]
) -> Callable[[random.Random], tuple[str, str, dict[str, str]]]:
    """A function drawing the next request: (kind, path with query string, headers)."""

    def draw(rng: random.Random) -> tuple[str, str, dict[str, str]]:
        pick = rng.random()
        language = {"Accept-Language": rng.choice(("en", "ko"))}
        if pick < 0.35:
            sparql = rng.choice(SPARQL_KINDS).format(n=rng.randint(1, 500))
            accept = "text/turtle" if sparql.startswith("CONSTRUCT") else JSON_RESULTS
            return "sparql", "/sparql?" + urlencode({"query": sparql}), {"Accept": accept}
        if pick < 0.50:
            return "named query", f"/queries/{rng.choice(names)}", {"Accept": "text/html", **language}
        if pick < 0.75:
            return "entity page", rng.choice(entities), {"Accept": "text/html", **language}
        if pick < 0.87:
            term = rng.choice(SEARCH_TERMS)
            return "search page", "/search?" + urlencode({"q": term}), {"Accept": "text/html", **language}
        term = rng.choice(SEARCH_TERMS)[: rng.randint(2, 4)]
        return "search api", "/api/search?" + urlencode({"q": term}), {"Accept": "application/json"}

    return draw


def run(
    url: str, server_pid: int, clients: int = 32, seconds: float = 60.0, greedy: int = 8, seed: int = 7
) -> LoadReport:
    """``clients`` threads request without pause for ``seconds``; memory is sampled every second.

    The first ``greedy`` clients share one address, as one user running that many requests
    in parallel would; every other client has an address of its own.
    """
    entities, names = targets(url)
    draw = request_maker(entities, names)
    report = LoadReport(clients, seconds)
    lock = threading.Lock()
    host = urlsplit(url)
    started = time.monotonic()
    deadline = started + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        address = "127.0.0.2" if number < greedy else f"127.0.0.{3 + number % 250}"
        connection: http.client.HTTPConnection | None = None
        while time.monotonic() < deadline:
            kind, path, headers = draw(rng)
            if connection is None:
                connection = http.client.HTTPConnection(
                    host.hostname or "127.0.0.1", host.port, timeout=60, source_address=(address, 0)
                )
            began = time.monotonic()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    report.failures.append(f"{kind} {path[:80]}: {exc!r}")
                connection.close()
                connection = None
                continue
            sample = Sample(
                kind, response.status, time.monotonic() - began, response.getheader("Retry-After")
            )
            with lock:
                report.samples.append(sample)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    report.memory_mib.append((0.0, process_tree_pss_mib(server_pid)))
    for thread in threads:
        thread.start()
    while time.monotonic() < deadline:
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        report.memory_mib.append((round(time.monotonic() - started, 1), process_tree_pss_mib(server_pid)))
    for thread in threads:
        thread.join(timeout=90)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def median_growth(report: LoadReport) -> float:
    """MiB between the median of the first and of the last third of the memory samples."""
    values = [m for _, m in report.memory_mib[1:]]
    third = max(1, len(values) // 3)
    return statistics.median(values[-third:]) - statistics.median(values[:third])
