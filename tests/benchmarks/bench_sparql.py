"""Throughput and latency of pedkg's ``/sparql`` against ``oxigraph serve``, same data, same queries.

    .venv/bin/python tests/benchmarks/bench_sparql.py [--seconds N] [--concurrency 1,8] [--triples N]

1. Dataset: pedkg's own graph (``pedkg build`` into a temporary store, dumped) plus the
   deterministic synthetic filler of ``synthetic.py`` up to ``--triples``, as N-Quads.
   It is cached under ``--workdir`` (default ``var/bench``) with both stores, keyed by
   the content of pedkg's graph, the size and the seed; ``--rebuild`` starts afresh.
2. Stores: a pedkg store written with pedkg's own ``GraphStore`` and swapped in behind a
   store link (as ``pedkg build`` does), and an Oxigraph store from ``oxigraph load``
   (then ``oxigraph optimize``). Load times are reported.
3. Servers on 127.0.0.1: ``pedkg serve`` (default settings unless ``--pedkg-setting``)
   and ``oxigraph serve-read-only --union-default-graph`` (pedkg's default graph is the
   union of its named graphs too).
4. Every variant of every query kind is sent to both servers and the SPARQL JSON
   solutions are compared as multisets; a kind whose answers differ is not timed and
   the run exits with status 1.
5. For each kind and each concurrency, each system gets ``--seconds`` of load from that
   many client processes (one keep-alive connection each, variants round-robin), the
   two systems one right after the other. Reported: requests/s, p50/p99 latency, server
   CPU per request (the server's whole process tree, from /proc) and the ratio
   pedkg/oxigraph. The table goes to ``--output`` (Markdown) and beside it as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness, synthetic: beside this file

import harness  # noqa: E402
import synthetic  # noqa: E402
from harness import OxigraphServer, PedkgServer, Phase, Server  # noqa: E402

from pedkg.config import PROJECT_ROOT  # noqa: E402
from pedkg.store import GraphStore, new_version_dir, swap_in  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "sparql.md"

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX pko: <https://w3id.org/pedkg/ontology/>
"""
PEDKG = "https://w3id.org/pedkg/"
BLANK = re.compile(rb"_:[A-Za-z0-9_.-]+")


# --------------------------------------------------------------------------- the query mix


@dataclass(frozen=True)
class QueryKind:
    """One kind of query: a template and the parameter values clients cycle through."""

    name: str
    title: str
    queries: tuple[str, ...]


def spread(n: int, count: int) -> list[int]:
    """``count`` indexes spread evenly over ``range(n)``."""
    return sorted({(k * n) // count + (n // (2 * count)) for k in range(count)} & set(range(n)))


def query_mix(shape: synthetic.Shape) -> list[QueryKind]:
    diseases = spread(shape.diseases, 10)
    hospitals = spread(shape.hospitals, 5)
    point = [f"{PEDKG}leukemia", f"{PEDKG}hemato-oncology-division"]
    point += [shape.disease(i) for i in diseases[:5]]
    point += [shape.hospital(h) for h in hospitals[:3]] + [shape.division(h) for h in hospitals[3:5]]
    terms = ["leuk", "백혈", "blastoma", "모세포종", "sarcoma", "육종"]
    terms += ["hospital 1", "어린이병원 2", "hepatic", "림프", "neutropenia", "type 7"]
    leaves, level1, level2 = shape.leaf_groups(), shape.groups_at(1), shape.groups_at(2)
    regions = [r for r, _ in synthetic.REGIONS]
    joins = [(leaves[(k * 5) % len(leaves)], regions[k % len(regions)]) for k in range(12)]
    codes = [shape.code(k % len(synthetic.VOCABULARIES), i)[1] for k, i in enumerate(diseases)]
    codes += ["0005059", "C3161"]  # pedkg's own: leukemia's MONDO and NCIt codes
    return [
        QueryKind(
            "point",
            "point lookup: every property of one entity",
            tuple(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in point),
        ),
        QueryKind(
            "label-search",
            "label search: FILTER(CONTAINS(LCASE(STR(?label)))) over every rdfs:label, first 20",
            tuple(
                PREFIXES + "SELECT ?entity ?label WHERE {\n  ?entity rdfs:label ?label .\n"
                f'  FILTER(CONTAINS(LCASE(STR(?label)), "{term}"))\n}}\nORDER BY ?label ?entity LIMIT 20'
                for term in terms
            ),
        ),
        QueryKind(
            "join",
            "3-hop join: hospitals of a region whose division targets a disease of a group",
            tuple(
                PREFIXES + "SELECT DISTINCT ?hospital ?name WHERE {\n"
                f"  ?disease skos:broader <{leaf}> .\n"
                "  ?division pko:targetDisease ?disease .\n"
                f'  ?hospital schema:subOrganization ?division ; schema:addressRegion "{region}" ;\n'
                '    rdfs:label ?name .\n  FILTER(lang(?name) = "en")\n}\nORDER BY ?name ?hospital LIMIT 100'
                for leaf, region in joins
            ),
        ),
        QueryKind(
            "aggregate",
            "GROUP BY: divisions and targets per disease group under a top-level group",
            tuple(
                PREFIXES
                + "SELECT ?group (COUNT(DISTINCT ?division) AS ?divisions) (COUNT(*) AS ?targets) WHERE {\n"
                "  ?division pko:targetDisease ?disease .\n  ?disease skos:broader ?group .\n"
                f"  ?group skos:broader/skos:broader <{top}> .\n}}\n"
                "GROUP BY ?group ORDER BY DESC(?targets) ?group"
                for top in level1
            ),
        ),
        QueryKind(
            "property-path",
            "property path: every group and disease below a group (skos:broader+), Korean labels, first 1000",
            tuple(
                PREFIXES + "SELECT ?entity ?label WHERE {\n"
                f"  ?entity skos:broader+ <{group}> ; rdfs:label ?label .\n"
                '  FILTER(lang(?label) = "ko")\n}\nORDER BY ?entity LIMIT 1000'
                for group in level2[:12]
            ),
        ),
        QueryKind(
            "crosswalk",
            "crosswalk by code: the entity a skos:notation stands for, and its other codes",
            tuple(
                PREFIXES + "SELECT ?entity ?label ?other ?code WHERE {\n"
                f'  ?given skos:notation "{code}" .\n'
                "  ?entity skos:exactMatch ?given , ?other ; rdfs:label ?label .\n"
                "  ?other skos:notation ?code .\n"
                '  FILTER(?other != ?given && lang(?label) = "en")\n}'
                for code in codes
            ),
        ),
    ]


# --------------------------------------------------------------------------- data and stores


@dataclass
class Dataset:
    folder: Path
    manifest: dict[str, object]

    @property
    def nquads(self) -> Path:
        return self.folder / "data.nq"

    @property
    def pedkg_store(self) -> Path:
        return self.folder / "pedkg" / "store"  # the link, as PEDKG_STORE

    @property
    def oxigraph_store(self) -> Path:
        return self.folder / "oxigraph"

    @property
    def shape(self) -> synthetic.Shape:
        return synthetic.Shape(**self.manifest["shape"])


def own_graph(own_store: Path | None, scratch: Path) -> bytes:
    """pedkg's own graph as N-Quads, from a fresh ``pedkg build`` unless a built store is given."""
    if own_store is None:
        own_store = scratch / "own" / "store"
        env = {**os.environ, "PEDKG_STORE": str(own_store), "PEDKG_PROJECT": str(PROJECT_ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "pedkg", "build"], env=env, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            sys.exit(f"pedkg build failed (use --own-store var/store to dump a built store):\n{done.stderr}")
    return GraphStore.open_read_only(own_store).dump()


def prepare(args: argparse.Namespace, oxigraph: str) -> Dataset:
    args.workdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".prepare-", dir=args.workdir))
    try:
        own = own_graph(args.own_store, scratch)
        own_lines = sorted(set(own.splitlines()))
        # blank node labels differ from build to build: the key ignores them
        digest = hashlib.sha256(b"\n".join(sorted(BLANK.sub(b"_:", line) for line in own_lines))).hexdigest()
        key = hashlib.sha256(
            f"{digest}|{args.triples}|{args.seed}|{synthetic.GENERATOR_VERSION}".encode()
        ).hexdigest()[:16]
        folder = args.workdir / f"data-{key}"
        if (folder / "manifest.json").exists() and not args.rebuild:
            print(f"reusing {folder}", flush=True)
            return Dataset(folder, json.loads((folder / "manifest.json").read_text()))
        shape = synthetic.Shape.for_target(args.triples - len(own_lines), args.seed)
        print(
            f"dataset: {len(own_lines)} triples of pedkg + {shape.triples} synthetic "
            f"({shape.hospitals} hospitals, {shape.diseases} diseases)",
            flush=True,
        )
        work = Dataset(scratch / "data", {})
        work.folder.mkdir()
        with open(work.nquads, "wb") as out:
            out.write(b"\n".join(own_lines) + b"\n")
            ox.serialize(synthetic.generate(shape), out, format=ox.RdfFormat.N_QUADS)
        total = len(own_lines) + shape.triples

        started = time.perf_counter()
        new_dir = new_version_dir(work.pedkg_store)  # named as `pedkg build` names them
        store = GraphStore.create(new_dir)
        store.add(ox.parse(path=str(work.nquads), format=ox.RdfFormat.N_QUADS))
        store.flush()
        loaded = len(store)
        del store
        swap_in(new_dir, work.pedkg_store)
        pedkg_load = time.perf_counter() - started
        print(f"pedkg store: {loaded} quads in {pedkg_load:.1f} s", flush=True)

        started = time.perf_counter()
        location = str(work.oxigraph_store)
        subprocess.run(
            [oxigraph, "load", "--location", location, "--file", str(work.nquads)],
            check=True,
            capture_output=True,
        )
        oxigraph_load = time.perf_counter() - started
        subprocess.run([oxigraph, "optimize", "--location", location], check=True, capture_output=True)
        oxigraph_optimize = time.perf_counter() - started - oxigraph_load
        print(f"oxigraph store: loaded in {oxigraph_load:.1f} s, optimized in {oxigraph_optimize:.1f} s")
        if loaded != total:
            sys.exit(f"the pedkg store holds {loaded} quads, expected {total}")

        work.manifest = {
            "target": args.triples,
            "triples": total,
            "own_triples": len(own_lines),
            "own_sha256": digest,
            "nquads_sha256": hashlib.sha256(work.nquads.read_bytes()).hexdigest(),
            "shape": {"hospitals": shape.hospitals, "diseases": shape.diseases, "seed": shape.seed},
            "generator_version": synthetic.GENERATOR_VERSION,
            "load_seconds": {
                "pedkg": round(pedkg_load, 2),
                "oxigraph": round(oxigraph_load, 2),
                "oxigraph_optimize": round(oxigraph_optimize, 2),
            },
        }
        (work.folder / "manifest.json").write_text(json.dumps(work.manifest, indent=2))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(work.folder, folder)  # the store link is relative, so it survives the move
        for stale in args.workdir.glob("data-*"):  # the same size and seed from an older pedkg graph
            manifest = stale / "manifest.json"
            if stale != folder and manifest.exists():
                old = json.loads(manifest.read_text())
                if (old.get("target"), old.get("shape", {}).get("seed")) == (args.triples, args.seed):
                    shutil.rmtree(stale, ignore_errors=True)
        return Dataset(folder, work.manifest)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------- checking answers


def check(servers: list[Server], kinds: list[QueryKind], expected_triples: int) -> tuple[dict, list[str]]:
    """Send every query to every server; answers must be equal. Returns rows per kind, problems."""
    problems: list[str] = []
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    for server in servers:
        status, body = harness.get(server.port, harness.sparql_path(server.endpoint, count))
        n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) if status == 200 else None
        if n != expected_triples:
            problems.append(f"{server.name} holds {n} quads, expected {expected_triples}")
    rows: dict[str, list[int]] = {}
    for kind in kinds:
        rows[kind.name] = []
        for k, query in enumerate(kind.queries):
            answers = []
            for server in servers:
                status, body = harness.get(server.port, harness.sparql_path(server.endpoint, query))
                if status != 200:
                    problems.append(f"{kind.name}[{k}]: {server.name} answered {status}: {body[:300]!r}")
                    break
                answers.append(harness.solutions(body))
            else:
                first = answers[0]
                for server, other in zip(servers[1:], answers[1:], strict=True):
                    if other != first:
                        missing = first[1] - other[1]
                        extra = other[1] - first[1]
                        problems.append(
                            f"{kind.name}[{k}]: {servers[0].name} and {server.name} differ "
                            f"(vars {first[0]} / {other[0]}; {sum(missing.values())} solutions only in "
                            f"{servers[0].name}, e.g. {list(missing)[:1]}; {sum(extra.values())} only in "
                            f"{server.name}, e.g. {list(extra)[:1]})\n{query}"
                        )
                rows[kind.name].append(sum(first[1].values()))
        if rows[kind.name] and not any(rows[kind.name]):
            problems.append(
                f"{kind.name}: every variant answered no rows; the query mix does not fit the data"
            )
    return rows, problems


# --------------------------------------------------------------------------- report


def _ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:.2f}"


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def report(
    args: argparse.Namespace,
    dataset: Dataset,
    kinds: list[QueryKind],
    rows: dict[str, list[int]],
    phases: list[Phase],
    skipped: list[str],
    environment: dict[str, str],
) -> str:
    by = {(p.kind, p.clients, p.system): p for p in phases}
    m = dataset.manifest
    load = m["load_seconds"]
    assert isinstance(load, dict)
    lines = [
        "# `/sparql` benchmark: pedkg against `oxigraph serve`",
        "",
        f"Command: `{environment['command']}`  ",
        f"Run: {environment['when']}, {environment['cpus']} CPUs, load average {environment['load_before']} "
        f"before and {environment['load_after']} after (the machine is shared: compare ratios, not absolutes).",
        "",
        f"- **Data**: {m['triples']:,} quads = pedkg's own graph ({m['own_triples']:,}) + the synthetic "
        f"filler (`synthetic.py`, seed {args.seed}: {dataset.shape.hospitals:,} hospitals, "
        f"{dataset.shape.diseases:,} diseases), N-Quads sha256 `{str(m['nquads_sha256'])[:16]}…`.",
        f"- **pedkg** {environment['pedkg']}: `pedkg serve` (gunicorn gthread; {environment['pedkg_settings']}) "
        f"on a store written by `GraphStore.add` in {load['pedkg']} s.",
        f"- **oxigraph** {environment['oxigraph']}: `oxigraph serve-read-only --union-default-graph` on a "
        f"store from `oxigraph load` in {load['oxigraph']} s (+ `optimize` {load['oxigraph_optimize']} s).",
        f"- **Load**: {args.seconds:g} s per system, query kind and concurrency; N client processes with one "
        "keep-alive HTTP/1.1 connection each, `GET …?query=` with `Accept: application/sparql-results+json`, "
        "the kind's variants round-robin; both systems back to back. Answers of every variant were checked "
        "equal (solutions as multisets) before timing.",
        "- **Ratio** = pedkg req/s ÷ oxigraph req/s (above 1: pedkg serves more). **CPU/req** = CPU "
        "time of the server's whole process tree over the phase ÷ requests answered.",
        "",
        "| query | clients | pedkg req/s | oxigraph req/s | ratio | pedkg p50 ms | oxigraph p50 ms "
        "| pedkg p99 ms | oxigraph p99 ms | pedkg CPU/req ms | oxigraph CPU/req ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios: dict[int, list[float]] = {}
    for kind in kinds:
        for clients in args.concurrency:
            p, o = by.get((kind.name, clients, "pedkg")), by.get((kind.name, clients, "oxigraph"))
            if p is None or o is None:
                continue
            ratio = _ratio(p.throughput, o.throughput)
            if ratio > 0 and not math.isnan(ratio):
                ratios.setdefault(clients, []).append(ratio)
            lines.append(
                f"| {kind.name} | {clients} | {p.throughput:,.1f} | {o.throughput:,.1f} | **{ratio:.2f}** "
                f"| {_ms(p.percentile(50))} | {_ms(o.percentile(50))} | {_ms(p.percentile(99))} "
                f"| {_ms(o.percentile(99))} | {_ms(p.cpu_per_request)} | {_ms(o.cpu_per_request)} |"
            )
    lines.append("")
    for clients, values in ratios.items():
        geo = math.exp(sum(math.log(v) for v in values) / len(values))
        lines.append(f"Geometric mean of the ratios at {clients} client(s): **{geo:.2f}**.  ")
    errors = [f"{p.system} {p.kind} ×{p.clients}: {dict(p.errors)}" for p in phases if p.errors]
    if errors:
        lines += ["", "Errors during load (not counted as answers):", ""] + [f"- {e}" for e in errors]
    if skipped:
        lines += ["", "**Not timed, answers differ or failed:**", ""] + [f"- {s}" for s in skipped]
    lines += ["", "| query kind | what it asks | variants | rows per answer (mean) |", "|---|---|---:|---:|"]
    for kind in kinds:
        counts = rows.get(kind.name) or [0]
        lines.append(
            f"| {kind.name} | {kind.title} | {len(kind.queries)} | {sum(counts) / len(counts):.1f} |"
        )
    lines += [
        "",
        "The queries are in `query_mix()` of `tests/benchmarks/bench_sparql.py`; the per-phase numbers "
        "are in `sparql.json` beside this file.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds per phase (default 10)")
    parser.add_argument(
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=[1, 8],
        help="client counts, comma-separated (default 1,8)",
    )
    parser.add_argument(
        "--triples", type=int, default=100_000, help="target dataset size in quads (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic filler (default 1)")
    parser.add_argument("--kinds", help="only these query kinds, comma-separated")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=PROJECT_ROOT / "var" / "bench",
        help="where datasets and stores are cached (default var/bench)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset and stores")
    parser.add_argument(
        "--own-store", type=Path, help="dump pedkg's graph from this built store instead of building one"
    )
    parser.add_argument(
        "--pedkg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PEDKG_NAME setting for pedkg serve, e.g. workers=2 (repeatable)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the Markdown report")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.seconds > 600 or not args.concurrency or min(args.concurrency) < 1:
        parser.error("--seconds must be in (0, 600] and --concurrency positive integers")
    if max(args.concurrency) > 64:
        parser.error("--concurrency above 64 is not supported")
    if args.kinds:
        args.kinds = set(args.kinds.split(","))
        known = [k.name for k in query_mix(synthetic.Shape.for_target(0, args.seed))]
        if args.kinds - set(known):
            parser.error(
                f"unknown query kind(s) {sorted(args.kinds - set(known))}; known: {', '.join(known)}"
            )
    return args


def find_oxigraph() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        sys.exit("the oxigraph CLI is missing: .venv/bin/pip install -e '.[bench]'")
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir = args.workdir.resolve()
    oxigraph = find_oxigraph()
    dataset = prepare(args, oxigraph)
    kinds = query_mix(dataset.shape)
    if args.kinds:
        kinds = [k for k in kinds if k.name in args.kinds]
    settings = {}
    for item in args.pedkg_setting:
        name, _, value = item.partition("=")
        settings[f"PEDKG_{name.upper()}"] = value
    log_dir = dataset.folder / "logs"
    log_dir.mkdir(exist_ok=True)
    pedkg = PedkgServer(log_dir, dataset.pedkg_store, settings)
    oxi = OxigraphServer(log_dir, oxigraph, dataset.oxigraph_store)
    servers: list[Server] = [pedkg, oxi]
    environment = {
        "command": " ".join([".venv/bin/python", "tests/benchmarks/bench_sparql.py", *sys.argv[1:]]),
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "load_before": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "pedkg": metadata.version("pedkg") + f" (pyoxigraph {metadata.version('pyoxigraph')})",
        "oxigraph": subprocess.run([oxigraph, "--version"], capture_output=True, text=True)
        .stdout.strip()
        .removeprefix("oxigraph "),
        "pedkg_settings": ", ".join(f"{k}={v}" for k, v in sorted(settings.items())) or "default settings",
        "python": platform.python_version(),
    }
    phases: list[Phase] = []
    skipped: list[str] = []
    try:
        for server in servers:
            server.start()
        if not settings:  # report what the defaults are, as the server sees them
            from pedkg.config import Settings

            s = Settings.from_env({})
            environment["pedkg_settings"] = (
                f"default settings: {s.workers} workers × {s.threads} threads, "
                f"{s.query_processes} query processes per worker"
            )
        rows, problems = check(servers, kinds, int(dataset.manifest["triples"]))
        for problem in problems:
            print(f"CHECK FAILED: {problem}", file=sys.stderr)
        bad = {p.split("[")[0].split(":")[0] for p in problems}
        skipped = [p.splitlines()[0] for p in problems]
        step = 0
        for kind in kinds:
            if kind.name in bad:
                continue
            paths = {s.name: [harness.sparql_path(s.endpoint, q) for q in kind.queries] for s in servers}
            for clients in args.concurrency:
                order = servers if step % 2 == 0 else servers[::-1]  # neither always goes first
                step += 1
                for server in order:
                    phase = harness.run_phase(server, kind.name, paths[server.name], clients, args.seconds)
                    phases.append(phase)
                    print(
                        f"{kind.name:14} {clients:2} clients {server.name:8} {phase.throughput:9.1f} req/s  "
                        f"p50 {_ms(phase.percentile(50))} ms  p99 {_ms(phase.percentile(99))} ms  "
                        f"cpu {_ms(phase.cpu_per_request)} ms/req"
                        + (f"  errors {dict(phase.errors)}" if phase.errors else ""),
                        flush=True,
                    )
    finally:
        for server in servers:
            server.stop()
    environment["load_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    text = report(args, dataset, kinds, rows, phases, skipped, environment)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    args.output.with_suffix(".json").write_text(
        json.dumps(
            {
                "environment": environment,
                "dataset": dataset.manifest,
                "seconds": args.seconds,
                "rows": rows,
                "not_timed": skipped,
                "phases": [p.as_dict() for p in phases],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print()
    print(text)
    print(f"written to {args.output}")
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
