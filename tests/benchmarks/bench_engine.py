"""The engine side of pedkg, measured: import speed, in-memory serving, worker models.

Run on demand (never collected by pytest)::

    .venv/bin/python tests/benchmarks/bench_engine.py import --triples 1000000 --runs 3
    .venv/bin/python tests/benchmarks/bench_engine.py memory --triples 1000000
    .venv/bin/python tests/benchmarks/bench_engine.py workers --triples 100000 --seconds 10

``import`` times ``pedkg import`` of an N-Triples file against ``oxigraph load`` of the same file
(alternating, fresh stores each run), and ``pedkg import --replace`` / ``graphs --drop`` of it.
``memory`` times the query mix in-process on the read-only on-disk store and on an in-memory
copy of it (and the copy's load time and resident memory). ``workers`` serves the store with
``pedkg serve`` under a few gunicorn/query-process configurations and drives ``/sparql`` with
client processes on 127.0.0.1. Data: ``synthetic.py``'s graph as N-Triples, or ``--file``.
Every number is printed with its runs' range: the machine may be shared, so compare within a run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from bench_sparql import query_mix  # noqa: E402

from pedkg.store.embedded import GraphStore  # noqa: E402
from pedkg.store.memory import DUMP_NAME, in_memory_copy  # noqa: E402

ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench" / "engine"
GRAPH = "https://w3id.org/pedkg/graph/bench"


def synthetic_file(triples: int, seed: int) -> Path:
    """The synthetic graph as N-Triples, made once per size and seed."""
    path = WORK / f"synthetic-{triples}-{seed}-v{synthetic.GENERATOR_VERSION}.nt"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        shape = synthetic.Shape.for_target(triples, seed)
        part = path.with_suffix(".part")
        with part.open("wb") as out:
            ox.serialize((q.triple for q in synthetic.generate(shape)), out, ox.RdfFormat.N_TRIPLES)
        part.rename(path)
    return path


def disk_store(source: Path) -> Path:
    """A pedkg-style on-disk store of the file (one named graph), made once."""
    folder = source.with_suffix(".store")
    if not folder.exists():
        part = source.with_suffix(".store-part")
        shutil.rmtree(part, ignore_errors=True)
        store = ox.Store(str(part))
        store.bulk_load(
            path=str(source), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(synthetic.GRAPH)
        )
        store.flush()
        store.optimize()
        del store
        part.rename(folder)
    return folder


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak resident KB) of a command run to completion."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def span(values: list[float], fmt: str = "{:.2f}") -> str:
    low, high = min(values), max(values)
    return fmt.format(statistics.median(values)) + f" ({fmt.format(low)}–{fmt.format(high)})"


# --------------------------------------------------------------------------- import


def bench_import(source: Path, runs: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="pedkg-import-", dir=WORK))
    env = {**os.environ, "PEDKG_STORE": str(scratch / "store")}
    pedkg = str(BIN / "pedkg")
    subprocess.run([pedkg, "build"], env=env, check=True, capture_output=True)
    rows: dict[str, list[tuple[float, float, int]]] = {}
    for run in range(runs):
        location = scratch / f"oxigraph-{run}"
        steps: list[tuple[str, list[str]]] = [
            (
                "oxigraph load",
                [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(source)],
            ),
            (  # the same work as pedkg's: a named graph is indexed twice as many ways as the default graph
                "oxigraph load --graph",
                [
                    str(BIN / "oxigraph"),
                    "load",
                    "--location",
                    f"{location}-g",
                    "--file",
                    str(source),
                    "--graph",
                    GRAPH,
                ],
            ),
            ("pedkg import", [pedkg, "import", str(source), "--graph", "bench"]),
            ("pedkg import --replace", [pedkg, "import", str(source), "--graph", "bench", "--replace"]),
            ("pedkg graphs --drop", [pedkg, "graphs", "--drop", "bench"]),
            ("pedkg start-up alone (import pedkg.cli)", [sys.executable, "-c", "import pedkg.cli"]),
        ]
        if run % 2:  # alternate which goes first
            steps[0], steps[1] = steps[1], steps[0]
        for label, command in steps:
            rows.setdefault(label, []).append(timed(command, env))
        shutil.rmtree(location, ignore_errors=True)
        shutil.rmtree(f"{location}-g", ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"\n## import of {source.name} ({source.stat().st_size / 1e6:.1f} MB), {runs} runs: median (range)\n"
    )
    print("| step | wall s | CPU s | peak RSS MB |\n|---|---:|---:|---:|")
    for label, values in rows.items():
        print(
            f"| {label} | {span([v[0] for v in values])} | {span([v[1] for v in values])} "
            f"| {span([v[2] / 1024 for v in values], '{:.0f}')} |"
        )
    for peer in ("oxigraph load", "oxigraph load --graph"):
        for what, k in (("wall", 0), ("CPU", 1)):
            ratios = [o[k] / p[k] for o, p in zip(rows[peer], rows["pedkg import"], strict=True)]
            print(f"\n{peer} {what} ÷ pedkg import {what}, per run: {', '.join(f'{r:.2f}' for r in ratios)}")


# --------------------------------------------------------------------------- memory


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_memory(source: Path, triples: int, seed: int, repeat: int) -> None:
    folder = disk_store(source)
    shape = synthetic.Shape.for_target(triples, seed)
    base = rss_mb()
    graph_store = GraphStore.open_read_only(folder)
    for kept in folder.glob(f"*{DUMP_NAME}"):
        kept.unlink()
    started = time.monotonic()
    copy = in_memory_copy(graph_store)
    first = time.monotonic() - started
    resident = rss_mb()
    again = []
    for _ in range(2):
        started = time.monotonic()
        in_memory_copy(graph_store)
        again.append(time.monotonic() - started)
    disk, memory = ox.Store.read_only(str(folder)), copy._store
    print(f"\n## in-process queries at {len(disk):,} quads ({source.name})\n")
    print(
        f"in-memory copy: the first of a version (dump + load) {first:.1f} s, RSS {base:.0f} → {resident:.0f} MB;"
    )
    print(f"the next ones (load the kept dump) {span(again)} s")
    du = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and DUMP_NAME not in p.name) / 1e6
    print(f"on-disk store: {du:.0f} MB of files\n")
    print("| kind | on disk ms | in memory ms | disk ÷ memory |\n|---|---:|---:|---:|")
    for kind in query_mix(shape) if repeat else []:

        def run(store: ox.Store, kind: object = kind) -> float:
            started = time.monotonic()
            for query in kind.queries:  # type: ignore[attr-defined]
                result = store.query(query, use_default_graph_as_union=True)
                result.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
            return (time.monotonic() - started) * 1000 / len(kind.queries)  # type: ignore[attr-defined]

        on_disk = [run(disk) for _ in range(repeat)]
        in_memory = [run(memory) for _ in range(repeat)]
        ratio = statistics.median(on_disk) / statistics.median(in_memory)
        print(f"| {kind.name} | {span(on_disk, '{:.1f}')} | {span(in_memory, '{:.1f}')} | {ratio:.1f} |")


# --------------------------------------------------------------------------- workers


def bench_workers(
    source: Path, triples: int, seed: int, seconds: float, clients: int, configs: list[str]
) -> None:
    shape = synthetic.Shape.for_target(triples, seed)
    folder = disk_store(source)
    scratch = Path(tempfile.mkdtemp(prefix="pedkg-workers-", dir=WORK))
    link = scratch / "store"
    link.symlink_to(folder)
    kinds = {k.name: k for k in query_mix(shape)}
    print(f"\n## /sparql throughput at {triples:,} triples, {clients} client processes, {seconds:g} s each\n")
    print(
        "| workers × threads × query processes, memory | kind | req/s | p50 ms | p99 ms |\n|---|---|---:|---:|---:|"
    )
    for config in configs:
        workers, threads, processes, mode = config.split(":")
        port = _free_port()
        env = {
            **os.environ,
            "PEDKG_STORE": str(link),
            "PEDKG_PORT": str(port),
            "PEDKG_WORKERS": workers,
            "PEDKG_THREADS": threads,
            "PEDKG_QUERY_PROCESSES": processes,
            "PEDKG_STORE_IN_MEMORY": mode,
        }
        server = subprocess.Popen(
            [str(BIN / "pedkg"), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait(port, kinds["point"].queries[0])
            for name in ("point", "join"):
                rate, p50, p99 = _drive(port, kinds[name].queries, clients, seconds)
                label = f"{workers} × {threads} × {processes}, {mode}"
                print(f"| {label} | {name} | {rate:.0f} | {p50:.1f} | {p99:.1f} |", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(scratch, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _url(port: int, query: str) -> str:
    return f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})


def _wait(port: int, query: str, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            with urllib.request.urlopen(_url(port, query), timeout=60) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _client(port: int, queries: tuple[str, ...], seconds: float, offset: int, out: object) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    deadline = time.monotonic() + seconds
    k = offset
    while time.monotonic() < deadline:
        started = time.monotonic()
        path = "/sparql?" + urllib.parse.urlencode({"query": queries[k % len(queries)]})
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            latencies.append(time.monotonic() - started)
        k += 1
    out.send(latencies)  # type: ignore[attr-defined]


def _drive(port: int, queries: tuple[str, ...], clients: int, seconds: float) -> tuple[float, float, float]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for c in range(clients):
        parent, child = context.Pipe()
        process = context.Process(target=_client, args=(port, queries, seconds, c, child))
        process.start()
        pipes.append(parent)
        processes.append(process)
    latencies: list[float] = []
    for pipe in pipes:
        latencies += pipe.recv()
    for process in processes:
        process.join()
    latencies.sort()
    if not latencies:
        return 0.0, 0.0, 0.0
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return len(latencies) / seconds, p(0.5), p(0.99)


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["import", "memory", "workers"])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", type=Path, help="an N-Triples file instead of the synthetic graph (import)")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each step (memory: 0 times only the copy)"
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--configs",
        default="2:8:2:off,2:8:2:on,1:16:2:on,2:8:4:on,4:4:1:on",
        help="workers:threads:query-processes:in-memory, comma-separated",
    )
    args = parser.parse_args(argv)
    source = args.file or synthetic_file(args.triples, args.seed)
    what: dict[str, Callable[[], None]] = {
        "import": lambda: bench_import(source, args.runs),
        "memory": lambda: bench_memory(source, args.triples, args.seed, args.runs),
        "workers": lambda: bench_workers(
            source, args.triples, args.seed, args.seconds, args.clients, args.configs.split(",")
        ),
    }
    what[args.what]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
