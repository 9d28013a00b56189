"""pedkg against ``oxigraph serve``, Virtuoso and rdflib-endpoint: same data, same queries, one run.

    .venv/bin/python tests/benchmarks/bench_sparql.py [--scale 100k|1m|5m] [--seconds N] [--peers ...]

1. Dataset: pedkg's own graph (``pedkg build`` into a temporary store, dumped) plus the
   deterministic synthetic filler of ``synthetic.py`` up to ``--triples``, as N-Quads.
   It is cached under ``--workdir`` (default ``var/bench``) with both stores, keyed by
   the content of pedkg's graph, the size and the seed; ``--rebuild`` starts afresh.
2. Stores: a pedkg store version written with pedkg's own ``store.versions.new_version``
   (as ``pedkg build`` does: its search index written into the version before it is swapped
   in behind a store link), and an Oxigraph store from ``oxigraph load`` (then ``oxigraph
   optimize``). Load times are reported, pedkg's search index apart.
   Virtuoso's database is bulk loaded (``ld_dir``/``rdf_loader_run``) and cached too;
   rdflib-endpoint parses the N-Quads file when it starts (only up to ``--rdflib-max``).
3. Servers on 127.0.0.1: ``pedkg serve`` (default settings unless ``--pedkg-setting``),
   ``oxigraph serve-read-only --union-default-graph`` (pedkg's default graph is the
   union of its named graphs too), ``virtuoso-t`` (its default graph is every graph)
   and rdflib-endpoint (a ``Dataset`` with ``default_union``). A peer that cannot run
   is reported as not run, with the reason. Unless ``--no-remote``, ``pedkg serve`` runs
   again on each SPARQL-server peer as its store (``pedkg@oxigraph``, ``pedkg@virtuoso``):
   the cost of the extra hop, reported in a section of its own.
4. Every variant of every query kind is sent to every server and the answers are
   compared with pedkg's (SPARQL JSON solutions as multisets, CONSTRUCT graphs as sets);
   a kind whose answers differ is not timed on that peer and the run exits with status 1.
   The user paths (entity page, ``/api/search``, a catalogue query) are pedkg's own; the
   peers answer the server-side query that stands for them.
5. For each kind and each concurrency, each system gets ``--seconds`` of load from that
   many client processes (one keep-alive connection each, variants round-robin), the
   systems one right after the other. Reported: requests/s, p50/p99 latency, server
   CPU per request (the server's whole process tree, from /proc), peak memory (PSS of
   the tree), load times, ``pedkg import`` against ``oxigraph load``, and the ratios
   pedkg/peer. The table goes to ``--output`` (Markdown) and beside it as JSON.
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
import urllib.parse
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))  # harness, synthetic: beside this file

import harness  # noqa: E402
import real_ontology  # noqa: E402
import synthetic  # noqa: E402
from harness import (  # noqa: E402
    OxigraphServer,
    PedkgOnServer,
    PedkgServer,
    Phase,
    RdflibServer,
    Server,
    VirtuosoServer,
)

from pedkg.config import PROJECT_ROOT  # noqa: E402
from pedkg.namespaces import sparql_prologue  # noqa: E402
from pedkg.store import search_versions  # noqa: E402
from pedkg.store.embedded import GraphStore  # noqa: E402
from pedkg.store.search_index import INDEX_NAME  # noqa: E402
from pedkg.store.versions import new_version, new_version_dir, swap_in  # noqa: E402
from pedkg.views.entity_rdf import GRAPH as ENTITY_GRAPH  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SCALES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
PEERS = ("oxigraph", "virtuoso", "rdflib")
HTML = "text/html"
JSON = "application/json"

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
    queries: tuple[str, ...]  # what the peers are asked (and pedkg's /sparql, unless pedkg_paths)
    graph: bool = False  # a CONSTRUCT: answers are graphs
    pedkg_paths: tuple[str, ...] = ()  # a user path of pedkg's instead of /sparql
    pedkg_accept: str = harness.SPARQL_JSON
    comparable: bool = True  # pedkg's answer on its path can be compared with the peers'
    peers_from: str | None = None  # time only pedkg; the peers' numbers are those of this kind

    @property
    def accept(self) -> str:
        return harness.GRAPH_ACCEPT if self.graph else harness.SPARQL_JSON


def spread(n: int, count: int) -> list[int]:
    """``count`` indexes spread evenly over ``range(n)``."""
    return sorted({(k * n) // count + (n // (2 * count)) for k in range(count)} & set(range(n)))


def query_mix(shape: synthetic.Shape, ontology_classes: tuple[str, ...] = ()) -> list[QueryKind]:
    """The query kinds; ``ontology_classes`` (deep classes of a real ontology given with
    ``--ontology``) are asked about too by the point and ontology-path kinds."""
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
    neighbourhood = [
        sparql_prologue() + re.sub(r"\?e\b", f"<{iri}>", ENTITY_GRAPH) for iri in point
    ]  # the CONSTRUCT behind pedkg's entity page, the entity written in
    pages = tuple(f"/id/{iri.removeprefix(PEDKG)}" for iri in point)
    deep = [shape.ontology_class(k) for k in shape.deep_classes(12)] if shape.classes else []
    deep += ontology_classes
    lookup = catalogue_text("code-lookup")
    return [
        QueryKind(
            "point",
            "point lookup: every property of one entity",
            tuple(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in point + list(ontology_classes)),
        ),
        QueryKind(
            "label-search",
            "label search: FILTER(CONTAINS(LCASE(STR(?label)))) over every rdfs:label, first 20",
            tuple(
                PREFIXES + "SELECT ?entity ?label WHERE {\n  ?entity rdfs:label ?label .\n"
                f'  FILTER(CONTAINS(LCASE(STR(?label)), "{term}"))\n}}\nORDER BY STR(?label) ?entity LIMIT 20'
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
        QueryKind(
            "ontology-path",
            "property path in the external ontology: every ancestor of a deep class (rdfs:subClassOf+)",
            tuple(
                PREFIXES + "SELECT DISTINCT ?ancestor ?label WHERE {\n"
                f"  <{iri}> rdfs:subClassOf+ ?ancestor .\n"
                "  ?ancestor rdfs:label ?label .\n}\nORDER BY ?ancestor"
                for iri in deep
            ),
        ),
        QueryKind(
            "neighbourhood",
            "entity neighbourhood: the CONSTRUCT behind pedkg's entity page (links, names, codes, axioms)",
            tuple(neighbourhood),
            graph=True,
        ),
        QueryKind(
            "entity-page",
            "user path: pedkg's entity page /id/… as HTML; the peers answer its CONSTRUCT (neighbourhood)",
            tuple(neighbourhood),
            graph=True,
            pedkg_paths=pages,
            pedkg_accept=HTML,
            comparable=False,
            peers_from="neighbourhood",
        ),
        QueryKind(
            "api-search",
            "user path: pedkg's /api/search?q= autocomplete, 20 hits; the peers answer label-search",
            tuple(
                PREFIXES + "SELECT ?entity ?label WHERE {\n  ?entity rdfs:label ?label .\n"
                f'  FILTER(CONTAINS(LCASE(STR(?label)), "{term}"))\n}}\nORDER BY STR(?label) ?entity LIMIT 20'
                for term in terms
            ),
            pedkg_paths=tuple(
                "/api/search?" + urllib.parse.urlencode({"q": term, "limit": "20"}) for term in terms
            ),
            pedkg_accept=JSON,
            comparable=False,
            peers_from="label-search",
        ),
        QueryKind(
            "catalogue",
            "user path: pedkg's catalogue query /queries/code-lookup?code=…; the peers answer its text",
            tuple(lookup.replace("WHERE {", f'WHERE {{\n  VALUES ?code {{ "{code}" }}', 1) for code in codes),
            pedkg_paths=tuple(
                "/queries/code-lookup?" + urllib.parse.urlencode({"code": code}) for code in codes
            ),
        ),
    ]


def catalogue_text(name: str) -> str:
    """A named query of pedkg's catalogue (``queries/NAME.rq``) without its ``#+`` header."""
    text = (PROJECT_ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+"))


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
    def virtuoso(self) -> Path:
        return self.folder / "virtuoso"

    @property
    def shape(self) -> synthetic.Shape:
        return synthetic.Shape(**self.manifest["shape"])

    @property
    def triples(self) -> int:
        return int(self.manifest["triples"])  # type: ignore[call-overload]

    @property
    def ontology(self) -> dict[str, object]:
        """The real ontology in the data (``--ontology``): file, source, graph, triples, classes; or {}."""
        found = self.manifest.get("ontology")
        return dict(found) if isinstance(found, dict) else {}

    @property
    def ontology_classes(self) -> tuple[str, ...]:
        classes = self.ontology.get("classes")
        return tuple(str(c) for c in classes) if isinstance(classes, list) else ()


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
        ontology = real_ontology.describe(args.ontology, args.ontology_source) if args.ontology else None
        onto_key = f"|{ontology.sha256}" if ontology else ""  # without one, the key is as before
        key = hashlib.sha256(
            f"{digest}|{args.triples}|{args.seed}|{synthetic.GENERATOR_VERSION}{onto_key}".encode()
        ).hexdigest()[:16]
        folder = args.workdir / f"data-{key}"
        if (folder / "manifest.json").exists() and not args.rebuild:
            print(f"reusing {folder}", flush=True)
            return with_search_index(Dataset(folder, json.loads((folder / "manifest.json").read_text())))
        work = Dataset(scratch / "data", {})
        work.folder.mkdir()
        with open(work.nquads, "wb") as out:
            out.write(b"\n".join(own_lines) + b"\n")
            real = real_ontology.write(ontology, out) if ontology else None  # in place of synthetic filler
            real_triples = real.triples if real else 0
            rest = args.triples - len(own_lines) - real_triples
            if rest < synthetic.Shape.for_target(0, args.seed).triples:
                sys.exit(
                    f"--triples {args.triples:,} is too small for pedkg's graph ({len(own_lines):,}) + the "
                    f"ontology ({real_triples:,}) + the smallest synthetic network: give more"
                )
            shape = synthetic.Shape.for_target(rest, args.seed)
            print(
                f"dataset: {len(own_lines)} triples of pedkg + {real_triples} of the ontology "
                f"{ontology.name if ontology else '(none)'} + {shape.triples} synthetic ({shape.hospitals} "
                f"hospitals, {shape.diseases} diseases, {shape.classes} synthetic ontology classes)",
                flush=True,
            )
            ox.serialize(synthetic.generate(shape), out, format=ox.RdfFormat.N_QUADS)
        total = len(own_lines) + real_triples + shape.triples

        started = time.perf_counter()
        # as `pedkg build` makes a version: its search index is written into it before the swap
        with new_version(work.pedkg_store, from_current=False) as store:
            store.add_quads(ox.parse(path=str(work.nquads), format=ox.RdfFormat.N_QUADS))
            store.flush()
            loaded = len(store)
            written = time.perf_counter()
        pedkg_load = written - started
        pedkg_index = time.perf_counter() - written
        print(
            f"pedkg store: {loaded} quads in {pedkg_load:.1f} s, search index in {pedkg_index:.1f} s",
            flush=True,
        )

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
            "shape": {
                "hospitals": shape.hospitals,
                "diseases": shape.diseases,
                "seed": shape.seed,
                "classes": shape.classes,
            },
            "generator_version": synthetic.GENERATOR_VERSION,
            "ontology": {
                "file": ontology.name,
                "sha256": ontology.sha256,
                "source": ontology.source,
                "graph": ontology.graph,
                "triples": real_triples,
                "classes": list(real.classes),
            }
            if ontology and real
            else None,
            "load_seconds": {
                "pedkg": round(pedkg_load, 2),
                "pedkg_search_index": round(pedkg_index, 2),
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
                same = (
                    old.get("target"),
                    old.get("shape", {}).get("seed"),
                    (old.get("ontology") or {}).get("sha256"),
                )
                if same == (args.triples, args.seed, ontology.sha256 if ontology else None):
                    shutil.rmtree(stale, ignore_errors=True)
        return Dataset(folder, work.manifest)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def with_search_index(dataset: Dataset) -> Dataset:
    """The cached dataset, its pedkg store version given the search index ``pedkg build`` writes
    into a version (a cache made before the bench wrote it, or with an older index layout), timed."""
    index = dataset.pedkg_store.resolve() / INDEX_NAME
    if search_versions.is_current(index):
        return dataset
    started = time.perf_counter()
    search_versions.build(GraphStore.open_read_only(dataset.pedkg_store), index)
    seconds = time.perf_counter() - started
    print(f"pedkg store: search index in {seconds:.1f} s", flush=True)
    dataset.manifest["load_seconds"]["pedkg_search_index"] = round(seconds, 2)  # type: ignore[index]
    (dataset.folder / "manifest.json").write_text(json.dumps(dataset.manifest, indent=2))
    return dataset


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        return "virtuoso-t / isql-vt not installed (Debian: apt-get install virtuoso-opensource)"
    if not VIRTUOSO_INI.exists():
        return f"no packaged ini at {VIRTUOSO_INI}"
    return None


def prepare_virtuoso(dataset: Dataset, log_dir: Path) -> float:
    """Bulk load the N-Quads into a Virtuoso database of the dataset's own (cached); load seconds."""
    done = dataset.virtuoso / "loaded.json"
    if done.exists():
        return float(json.loads(done.read_text())["seconds"])
    shutil.rmtree(dataset.virtuoso, ignore_errors=True)
    (dataset.virtuoso / "load").mkdir(parents=True)
    os.link(dataset.nquads, dataset.virtuoso / "load" / "data.nq")  # ld_dir reads its folder
    server = VirtuosoServer(log_dir, dataset.virtuoso)
    server.write_ini(VIRTUOSO_INI)
    print("virtuoso: bulk loading (ld_dir, rdf_loader_run) ...", flush=True)
    server.start(timeout=120)
    try:
        started = time.perf_counter()
        server.isql(
            f"ld_dir('{dataset.virtuoso / 'load'}', '*.nq', 'https://w3id.org/pedkg/graph/bench-default'); "
            "rdf_loader_run(); checkpoint;"
        )
        seconds = time.perf_counter() - started
        errors = server.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "data.nq" in errors:
            raise RuntimeError(f"virtuoso's loader reported an error: {errors[-2000:]}")
    finally:
        server.stop()
    (dataset.virtuoso / "load" / "data.nq").unlink()
    done.write_text(json.dumps({"seconds": round(seconds, 2)}))
    print(f"virtuoso store: loaded in {seconds:.1f} s", flush=True)
    return seconds


def bench_import(dataset: Dataset, oxigraph: str) -> dict[str, dict[str, float]]:
    """``pedkg import`` of the synthetic part as N-Triples into a fresh store, against
    ``oxigraph load`` of the same file into a fresh store: seconds and peak RSS of each."""
    nt = dataset.folder / "import.nt"
    if not nt.exists():
        partial = nt.with_suffix(".part")
        with open(partial, "wb") as out:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in synthetic.generate(dataset.shape))
            ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
        os.replace(partial, nt)
    count = dataset.shape.triples
    out: dict[str, dict[str, float]] = {}
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=dataset.folder))
    try:
        link = scratch / "pedkg" / "store"
        empty = new_version_dir(link)  # an empty store for `pedkg import` to add a version to
        GraphStore.create(empty).flush()
        swap_in(empty, link)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEDKG_")}
        runs = {
            "pedkg": (
                [sys.executable, "-m", "pedkg", "import", str(nt), "--graph", "bench"],
                {**env, "PEDKG_STORE": str(link), "PEDKG_PROJECT": str(PROJECT_ROOT)},
            ),
            "oxigraph": ([oxigraph, "load", "--location", str(scratch / "oxigraph"), "--file", str(nt)], env),
        }
        for name, (command, environment) in runs.items():
            started = time.perf_counter()
            with open(scratch / f"{name}.log", "wb") as log:
                process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
                _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            if status != 0:
                text = (scratch / f"{name}.log").read_text(errors="replace")[-1500:]
                out[name] = {"error": 1.0}
                print(f"import: {name} failed: {text}", file=sys.stderr, flush=True)
                continue
            out[name] = {
                "seconds": round(seconds, 2),
                "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
                "triples": count,
                "triples_per_second": round(count / seconds),
            }
            print(
                f"import: {name} {count:,} triples in {seconds:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- checking answers


def answer(server: Server, kind: QueryKind, k: int, timeout: float) -> tuple[int, object]:
    """(status, comparable answer or error text) of variant ``k`` of ``kind`` from ``server``."""
    own = isinstance(server, PedkgServer) and kind.pedkg_paths
    path = kind.pedkg_paths[k] if own else server.query_path(kind.queries[k])
    accept = kind.pedkg_accept if own else kind.accept
    status, content_type, body = harness.fetch(server.port, path, accept, timeout)
    if status != 200:
        return status, body[:300].decode(errors="replace")
    if own and not kind.comparable:  # a page: its JSON is compared between pedkg's stores, HTML is not
        return status, json.loads(body) if kind.pedkg_accept == JSON else len(body)
    if kind.graph:
        return status, harness.graph_triples(body, content_type)
    return status, harness.solutions(body)


def check(
    pedkg: Server, peers: list[Server], kinds: list[QueryKind], graph_counts: dict[str, int], slow: float
) -> tuple[dict[str, list[int]], dict[tuple[str, str], str]]:
    """Every variant to every server, answers compared with pedkg's.

    Returns rows per kind (pedkg's answer) and (kind, system) -> why that pair is not timed.
    """
    bad: dict[tuple[str, str], str] = {}
    counts_query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    for server in peers:
        try:
            status, body = harness.get(server.port, server.query_path(counts_query), timeout=600)
            got = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}
        except (OSError, ValueError, KeyError) as exc:
            got, status = {}, f"{type(exc).__name__}"  # type: ignore[assignment]
        mine = {g: got.get(g) for g in graph_counts}
        if mine != graph_counts:
            differ = {g: (n, mine[g]) for g, n in graph_counts.items() if mine[g] != n}
            bad[("*", server.name)] = f"holds other graphs than pedkg ({status}; pedkg vs it: {differ})"
    rows: dict[str, list[int]] = {}
    for kind in kinds:
        rows[kind.name] = []
        for k in range(len(kind.queries)):
            status, mine = answer(pedkg, kind, k, 120)
            if status != 200:
                bad[(kind.name, "pedkg")] = f"pedkg answered {status}: {mine}"
                break
            reference = mine
            if not kind.comparable:  # pedkg's page must answer; the peers are compared with its /sparql
                _, reference = answer(pedkg, QueryKind(kind.name, "", kind.queries, graph=kind.graph), k, 120)
            assert isinstance(reference, tuple)
            rows[kind.name].append(sum(reference[1].values()))
            for server in peers:
                if (kind.name, server.name) in bad or ("*", server.name) in bad:
                    continue
                pedkg_too = isinstance(server, PedkgServer)  # pedkg on a peer's store: its own paths
                if kind.peers_from and not pedkg_too:  # the same queries as that kind's: checked there
                    continue
                expected = mine if pedkg_too else reference  # a page: the same page (length aside: ports)
                started = time.perf_counter()
                try:
                    status, theirs = answer(server, kind, k, 120)
                except OSError as exc:
                    bad[(kind.name, server.name)] = f"{kind.name}[{k}]: no answer ({type(exc).__name__})"
                    continue
                took = time.perf_counter() - started
                if pedkg_too and not kind.comparable and status == 200 and kind.pedkg_accept == HTML:
                    continue  # an HTML page names its server; that it answers is the check
                if took > slow and status == 200 and theirs == expected:
                    bad[(kind.name, server.name)] = (
                        f"{kind.name}[{k}]: too slow to time (one answer took {took:.1f} s > --slow {slow:g} s)"
                    )
                elif status != 200:
                    bad[(kind.name, server.name)] = f"{kind.name}[{k}]: answered {status}: {theirs}"
                elif theirs != expected and not isinstance(theirs, tuple):
                    bad[(kind.name, server.name)] = f"{kind.name}[{k}]: answers differ from pedkg's own page"
                elif theirs != expected:
                    assert isinstance(theirs, tuple)
                    missing, extra = reference[1] - theirs[1], theirs[1] - reference[1]
                    bad[(kind.name, server.name)] = (
                        f"{kind.name}[{k}]: answers differ (vars {reference[0]} / {theirs[0]}; "
                        f"{sum(missing.values())} only in pedkg, e.g. {list(missing)[:1]}; "
                        f"{sum(extra.values())} only in {server.name}, e.g. {list(extra)[:1]})"
                    )
        if rows[kind.name] and not any(rows[kind.name]):
            bad[(kind.name, "pedkg")] = "every variant answered no rows; the query mix does not fit the data"
    return rows, bad


# --------------------------------------------------------------------------- report


def is_pedkg(system: str) -> bool:
    """pedkg itself or pedkg on a peer's store: it answers on pedkg's own user paths."""
    return system == "pedkg" or system.startswith("pedkg@")


def _ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:.2f}"


def _ratio(a: float, b: float) -> str:
    return "–" if not b or math.isnan(a) or math.isnan(b) else f"{a / b:.2f}"


def _geomean(values: list[float]) -> float:
    values = [v for v in values if v > 0 and not math.isnan(v)]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


@dataclass
class Run:
    """Everything one run measured, for the report."""

    args: argparse.Namespace
    dataset: Dataset
    kinds: list[QueryKind]
    environment: dict[str, str]
    systems: list[str]  # pedkg first, then the peers that ran
    not_run: dict[str, str] = field(default_factory=dict)  # peer -> why
    rows: dict[str, list[int]] = field(default_factory=dict)
    bad: dict[tuple[str, str], str] = field(default_factory=dict)
    phases: list[Phase] = field(default_factory=list)
    load_seconds: dict[str, float] = field(default_factory=dict)
    peak_memory: dict[str, int] = field(default_factory=dict)
    imports: dict[str, dict[str, float]] = field(default_factory=dict)
    index_seconds: dict[str, float] = field(default_factory=dict)  # pedkg@peer -> its search index

    def phase(self, kind: QueryKind, clients: int, system: str) -> Phase | None:
        name = kind.peers_from if not is_pedkg(system) and kind.peers_from else kind.name
        for p in self.phases:
            if (p.kind, p.clients, p.system) == (name, clients, system):
                return p
        return None


def report(run: Run) -> str:
    args, m, env, onto = run.args, run.dataset.manifest, run.environment, run.dataset.ontology
    peers = run.systems[1:]
    millions = run.dataset.triples / 1e6
    lines = [
        f"# pedkg benchmark at {run.dataset.triples:,} quads: pedkg against {', '.join(PEERS)}"
        + (" and pedkg on their stores" if any(s.startswith("pedkg@") for s in run.systems) else ""),
        "",
        f"Command: `{env['command']}`  ",
        f"Run: {env['when']}, {env['cpus']} CPUs, load average {env['load_before']} before and "
        f"{env['load_after']} after, {env['elapsed']} in all (the machine may be shared: compare ratios, "
        "which are measured in the same run a few seconds apart).",
        "",
        f"- **Data**: {m['triples']:,} quads = pedkg's own graph ({m['own_triples']:,}) + the synthetic "
        f"network (`synthetic.py`, seed {args.seed}: {run.dataset.shape.hospitals:,} hospitals, "
        f"{run.dataset.shape.diseases:,} diseases) + an external ontology ({run.dataset.shape.classes:,} "
        f"classes in a subClassOf tree)"
        + (
            f" + a real ontology, `{onto['file']}` ({int(onto['triples']):,} triples in graph "  # type: ignore[call-overload]
            f"`{onto['graph']}`; {onto['source']})"
            if onto
            else ""
        )
        + f", N-Quads sha256 `{str(m['nquads_sha256'])[:16]}…`.",
        f"- **pedkg** {env['pedkg']}: `pedkg serve` ({env['pedkg_settings']}).",
        f"- **oxigraph** {env.get('oxigraph', '?')}: `oxigraph serve-read-only --union-default-graph` "
        "on disk (`oxigraph load` + `optimize`).",
        f"- **virtuoso** {env.get('virtuoso', '?')}: `virtuoso-t` (Debian `virtuoso-opensource`), bulk "
        "loaded with `ld_dir` + `rdf_loader_run`, graphs kept; default graph = all graphs.",
        f"- **rdflib** {env.get('rdflib', '?')}: rdflib-endpoint on an in-memory rdflib `Dataset(default_union"
        f"=True)`, run only up to {args.rdflib_max:,} quads.",
        "- **pedkg@oxigraph, pedkg@virtuoso**: `pedkg serve` with that server as its store "
        "(`PEDKG_REMOTE_*`), the same settings as pedkg: the cost of the extra hop (section at the end).",
        f"- **Load**: {args.seconds:g} s per system, query kind and concurrency; N client processes with one "
        "keep-alive HTTP/1.1 connection each, the kind's variants round-robin; systems back to back. "
        "Answers of every variant were checked equal to pedkg's before timing.",
        "- **Ratios are pedkg ÷ peer**: for req/s above 1 means pedkg serves more; for latency, CPU, load "
        "time and memory below 1 means pedkg needs less. User paths (entity-page, api-search) are "
        "pedkg's page against the peer's server-side query for it (neighbourhood, label-search).",
        "",
    ]
    if run.not_run:
        lines += ["**Not run:** " + "; ".join(f"{k}: {v}" for k, v in run.not_run.items()), ""]

    lines += ["## Systems", ""]
    lines += [
        "| system | load s | pedkg ÷ it | peak memory MiB (PSS) | MiB per million quads | pedkg ÷ it |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    pm = run.peak_memory.get("pedkg", 0) / 2**20
    pl = run.load_seconds.get("pedkg", float("nan"))
    for system in run.systems:
        mem = run.peak_memory.get(system, 0) / 2**20
        load = run.load_seconds.get(system, float("nan"))
        lines.append(
            f"| {system} | {load:.1f} | {_ratio(pl, load) if system != 'pedkg' else ''} | {mem:,.0f} "
            f"| {mem / millions:,.0f} | {_ratio(pm, mem) if system != 'pedkg' else ''} |"
        )
    if run.imports:
        p, o = run.imports.get("pedkg", {}), run.imports.get("oxigraph", {})
        lines += [
            "",
            f"**Import** of the synthetic part as N-Triples ({int(p.get('triples', o.get('triples', 0))):,} "
            "triples) into a fresh store:",
            "",
            "| tool | seconds | triples/s | peak RSS MiB | pedkg ÷ oxigraph (time) | (RSS) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, label in (("pedkg", "`pedkg import`"), ("oxigraph", "`oxigraph load`")):
            r = run.imports.get(name, {})
            if "seconds" not in r:
                lines.append(f"| {label} | failed | | | | |")
                continue
            extra = (
                f"| {_ratio(p.get('seconds', math.nan), o.get('seconds', math.nan))} "
                f"| {_ratio(p.get('peak_rss_mib', math.nan), o.get('peak_rss_mib', math.nan))} |"
                if name == "pedkg"
                else "| | |"
            )
            lines.append(
                f"| {label} | {r['seconds']:.1f} | {r['triples_per_second']:,.0f} | {r['peak_rss_mib']:,.0f} {extra}"
            )

    lines += ["", "## Throughput ratios (pedkg req/s ÷ peer req/s)", ""]
    header = "| query | clients | pedkg req/s | " + " | ".join(f"÷ {p}" for p in peers) + " |"
    lines += [header, "|---|---:|---:|" + "---:|" * len(peers)]
    geo: dict[tuple[str, int], list[float]] = {}
    for kind in run.kinds:
        for clients in args.concurrency:
            mine = run.phase(kind, clients, "pedkg")
            if mine is None:
                continue
            cells = []
            for peer in peers:
                theirs = run.phase(kind, clients, peer)
                if theirs is None or not theirs.requests:
                    why = run.bad.get((kind.name if is_pedkg(peer) else kind.peers_from or kind.name, peer))
                    cells.append(
                        "differs"
                        if why and "differ" in why
                        else "too slow"
                        if why and "too slow" in why
                        else "–"
                    )
                    continue
                ratio = mine.throughput / theirs.throughput
                geo.setdefault((peer, clients), []).append(ratio)
                cells.append(f"**{ratio:.2f}** ({theirs.throughput:,.1f})")
            lines.append(f"| {kind.name} | {clients} | {mine.throughput:,.1f} | " + " | ".join(cells) + " |")
    lines.append("")
    for (peer, clients), values in sorted(geo.items()):
        lines.append(f"Geometric mean against {peer} at {clients} client(s): **{_geomean(values):.2f}**.  ")

    lines += [
        "",
        "## Latency and CPU (per system; ratio columns pedkg ÷ this system)",
        "",
        "| query | clients | system | req/s | p50 ms | p99 ms | CPU/req ms | ÷ req/s | ÷ p50 | ÷ p99 | ÷ CPU |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in run.kinds:
        for clients in args.concurrency:
            mine = run.phase(kind, clients, "pedkg")
            if mine is None:
                continue
            for system in run.systems:
                p = run.phase(kind, clients, system)
                if p is None:
                    continue
                ratios = (
                    "| | | |"
                    if system == "pedkg"
                    else f"{_ratio(mine.throughput, p.throughput)} | {_ratio(mine.percentile(50), p.percentile(50))} "
                    f"| {_ratio(mine.percentile(99), p.percentile(99))} "
                    f"| {_ratio(mine.cpu_per_request, p.cpu_per_request)} |"
                )
                shown = system if is_pedkg(system) or not kind.peers_from else f"{system} ({kind.peers_from})"
                lines.append(
                    f"| {kind.name} | {clients} | {shown} | {p.throughput:,.1f} | {_ms(p.percentile(50))} "
                    f"| {_ms(p.percentile(99))} | {_ms(p.cpu_per_request)} | " + ratios
                )
    lines += hop_report(run)
    errors = [f"{p.system} {p.kind} ×{p.clients}: {dict(p.errors)}" for p in run.phases if p.errors]
    if errors:
        lines += ["", "Errors during load (not counted as answers):", ""] + [f"- {e}" for e in errors]
    if run.bad:
        lines += ["", "**Not timed (answers differ or failed):**", ""]
        lines += [f"- {system} / {kind}: {why.splitlines()[0]}" for (kind, system), why in run.bad.items()]
    lines += [
        "",
        "## The query kinds",
        "",
        "| query kind | what it asks | variants | rows per answer (mean) |",
    ]
    lines += ["|---|---|---:|---:|"]
    for kind in run.kinds:
        counts = run.rows.get(kind.name) or [0]
        lines.append(
            f"| {kind.name} | {kind.title} | {len(kind.queries)} | {sum(counts) / len(counts):.1f} |"
        )
    lines += [
        "",
        "The queries are in `query_mix()` of `tests/benchmarks/bench_sparql.py`; the raw numbers of every "
        "phase are in the JSON file beside this one.",
        "",
    ]
    return "\n".join(lines)


def hop_report(run: Run) -> list[str]:
    """pedkg on each peer's store, against pedkg embedded and against that peer asked directly."""
    lines: list[str] = []
    for system in run.systems:
        if not system.startswith("pedkg@"):
            continue
        peer = system.removeprefix("pedkg@")
        lines += [
            "",
            f"## The extra hop: pedkg with {peer} as its store",
            "",
            f"`pedkg serve` with `PEDKG_REMOTE_*` set to the {peer} server above (the same process the "
            f"{peer} rows time), same pedkg settings. Its CPU and memory are pedkg's and {peer}'s together. "
            f"Its search index was made from {peer} by its first reader in "
            f"{run.index_seconds.get(system, math.nan):.1f} s, before timing. For the user paths {peer} "
            "answers the query behind the page.",
            "",
            f"| query | clients | pedkg req/s | {system} req/s | {peer} req/s | {system} ÷ pedkg | {system} ÷ "
            f"{peer} | p50 ms pedkg / {system} / {peer} | CPU/req ms pedkg / {system} / {peer} |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        ratios: dict[str, list[float]] = {"pedkg": [], peer: []}
        for kind in run.kinds:
            for clients in run.args.concurrency:
                phases = [run.phase(kind, clients, name) for name in ("pedkg", system, peer)]
                mine, hop, theirs = phases
                if mine is None or hop is None or not hop.requests:
                    continue
                ratios["pedkg"].append(hop.throughput / mine.throughput)
                direct = theirs is not None and theirs.requests > 0
                if direct:
                    ratios[peer].append(hop.throughput / theirs.throughput)  # type: ignore[union-attr]
                shown = [p if p is not None and p.requests else None for p in phases]
                req = " | ".join("–" if p is None else f"{p.throughput:,.1f}" for p in shown)
                p50 = " / ".join("–" if p is None else _ms(p.percentile(50)) for p in shown)
                cpu = " / ".join("–" if p is None else _ms(p.cpu_per_request) for p in shown)
                lines.append(
                    f"| {kind.name} | {clients} | {req} | {_ratio(hop.throughput, mine.throughput)} | "
                    + (_ratio(hop.throughput, theirs.throughput) if direct else "–")  # type: ignore[union-attr]
                    + f" | {p50} | {cpu} |"
                )
        lines += [
            "",
            f"Geometric mean of {system} req/s ÷ pedkg req/s: **{_geomean(ratios['pedkg']):.2f}**; "
            f"÷ {peer} req/s: **{_geomean(ratios[peer]):.2f}**.",
        ]
    return lines


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="100k",
        help="dataset size: 100k, 1m or 5m quads (default 100k)",
    )
    parser.add_argument("--triples", type=int, help="any dataset size in quads (instead of --scale)")
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per phase (default 5)")
    parser.add_argument(
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=[1, 8],
        help="client counts, comma-separated (default 1,8)",
    )
    parser.add_argument(
        "--peers",
        type=lambda s: [x for x in s.split(",") if x],
        default=list(PEERS),
        help=f"the peers to run, comma-separated (default {','.join(PEERS)})",
    )
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=200_000,
        help="rdflib-endpoint runs only up to this many quads (default 200000)",
    )
    parser.add_argument(
        "--slow",
        type=float,
        default=5.0,
        help="a peer whose answer takes longer than this many seconds is not timed on that kind (default 5)",
    )
    parser.add_argument(
        "--no-import", action="store_true", help="skip `pedkg import` against `oxigraph load`"
    )
    parser.add_argument(
        "--no-remote",
        action="store_true",
        help="do not also time pedkg with each SPARQL-server peer (oxigraph, virtuoso) as its store",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic graph (default 1)")
    parser.add_argument("--kinds", help="only these query kinds, comma-separated")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=PROJECT_ROOT / "var" / "bench",
        help="where datasets and stores are cached (default var/bench)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset and stores")
    parser.add_argument(
        "--ontology",
        type=Path,
        help="a real ontology file (RDF/XML, Turtle, N-Triples; .gz/.xz allowed) in its own graph, "
        "in place of part of the synthetic filler (README: which one, and where to get it)",
    )
    parser.add_argument(
        "--ontology-source", help="where the --ontology file is from, for the report (known files are named)"
    )
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
    parser.add_argument(
        "--output", type=Path, help="the Markdown report (default results/bench-SCALE.md; JSON beside it)"
    )
    args = parser.parse_args(argv)
    args.label = args.scale if args.triples is None else f"{args.triples}"
    args.triples = args.triples or SCALES[args.scale]
    args.output = args.output or RESULTS / f"bench-{args.label}.md"
    if args.ontology is not None:
        args.ontology = args.ontology.resolve()
        if not args.ontology.is_file():
            parser.error(f"--ontology {args.ontology}: no such file")
    if args.seconds <= 0 or args.seconds > 600 or not args.concurrency or min(args.concurrency) < 1:
        parser.error("--seconds must be in (0, 600] and --concurrency positive integers")
    if max(args.concurrency) > 64:
        parser.error("--concurrency above 64 is not supported")
    if set(args.peers) - set(PEERS):
        parser.error(f"unknown peer(s) {sorted(set(args.peers) - set(PEERS))}; known: {', '.join(PEERS)}")
    if args.kinds:
        args.kinds = set(args.kinds.split(","))
        known = [k.name for k in query_mix(synthetic.Shape.for_target(1000, args.seed))]
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


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def start_peers(run: Run, dataset: Dataset, oxigraph: str, log_dir: Path) -> list[Server]:
    """The peers asked for, each started, or recorded as not run with the reason."""
    peers: list[Server] = []
    for name in run.args.peers:
        try:
            server: Server
            if name == "oxigraph":
                server = OxigraphServer(log_dir, oxigraph, dataset.oxigraph_store)
                run.load_seconds[name] = float(dataset.manifest["load_seconds"]["oxigraph"])  # type: ignore[index]
                server.start()
            elif name == "virtuoso":
                if (why := virtuoso_missing()) is not None:
                    run.not_run[name] = why
                    continue
                run.load_seconds[name] = prepare_virtuoso(dataset, log_dir)
                server = VirtuosoServer(log_dir, dataset.virtuoso)
                server.write_ini(VIRTUOSO_INI)
                server.start(timeout=300)
                version = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True)
                found = re.search(r"Version (\S+)", version.stdout + version.stderr)
                run.environment["virtuoso"] = found.group(1) if found else "?"
            else:  # rdflib
                if dataset.triples > run.args.rdflib_max:
                    run.not_run[name] = (
                        f"{dataset.triples:,} quads is above --rdflib-max {run.args.rdflib_max:,}"
                    )
                    continue
                try:
                    import rdflib_endpoint  # noqa: F401
                except ImportError:
                    run.not_run[name] = "rdflib-endpoint is not installed: pip install -e '.[bench]'"
                    continue
                server = RdflibServer(log_dir, dataset.nquads)
                print("rdflib: parsing the N-Quads into a Dataset ...", flush=True)
                started = time.perf_counter()
                server.start(timeout=1800)
                run.load_seconds[name] = time.perf_counter() - started
                run.environment["rdflib"] = f"{_version('rdflib-endpoint')} (rdflib {_version('rdflib')})"
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            run.not_run[name] = f"could not start: {str(exc).splitlines()[0][:300]}"
            continue
        print(f"{name} ready on port {server.port}", flush=True)
        peers.append(server)
        run.systems.append(name)
    return peers


def start_remote_pedkg(
    run: Run, peers: list[Server], settings: dict[str, str], log_dir: Path
) -> list[Server]:
    """``pedkg serve`` on each running peer that can be its store, its search index made.

    The index of a server's data is made by the first reader that needs it (``search_versions``);
    the first ``/api/search`` does that here, timed, so it is not inside a timed phase. Its
    load seconds are the peer's plus that.
    """
    started: list[Server] = []
    for peer in peers:
        remote = peer.as_store()
        if remote is None:
            continue
        folder = run.dataset.folder / f"pedkg-on-{peer.name}"
        shutil.rmtree(folder, ignore_errors=True)  # no search index from an earlier run: its making is timed
        server = PedkgOnServer(log_dir, folder, settings, peer, remote)
        try:
            server.start(timeout=120)
            began = time.perf_counter()
            status, body = harness.get(server.port, "/api/search?q=leukemia", accept=JSON, timeout=1800)
            if status != 200:
                raise RuntimeError(f"/api/search answered {status}: {body[:300].decode(errors='replace')}")
        except (RuntimeError, OSError) as exc:
            server.stop()
            run.not_run[server.name] = f"could not start: {str(exc).splitlines()[0][:300]}"
            continue
        index_seconds = time.perf_counter() - began
        print(f"{server.name} ready on port {server.port}, search index in {index_seconds:.1f} s", flush=True)
        run.load_seconds[server.name] = run.load_seconds.get(peer.name, 0.0) + index_seconds
        run.index_seconds[server.name] = index_seconds
        run.systems.append(server.name)
        started.append(server)
    return started


def main(argv: list[str] | None = None) -> int:
    began = time.monotonic()
    args = parse_args(argv)
    args.workdir = args.workdir.resolve()
    oxigraph = find_oxigraph()
    print(f"scale {args.label}: {args.triples:,} quads; peers {', '.join(args.peers)}", flush=True)
    dataset = prepare(args, oxigraph)
    kinds = query_mix(dataset.shape, dataset.ontology_classes)
    if args.kinds:
        kinds = [k for k in kinds if k.name in args.kinds]
    # the response cache would answer every repeated variant: time the engine unless asked otherwise;
    # every client process comes from 127.0.0.1, so pedkg is measured as behind a proxy: no per-client
    # bound, which would refuse the 8-client runs with 429
    settings = {"PEDKG_CACHE_BYTES": "0", "PEDKG_MAX_QUERIES_PER_CLIENT": "0"}
    for item in args.pedkg_setting:
        name, _, value = item.partition("=")
        settings[f"PEDKG_{name.upper()}"] = value
    log_dir = dataset.folder / "logs"
    log_dir.mkdir(exist_ok=True)
    environment = {
        "command": " ".join([".venv/bin/python", "tests/benchmarks/bench_sparql.py", *sys.argv[1:]]),
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "load_before": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "pedkg": _version("pedkg") + f" (pyoxigraph {_version('pyoxigraph')})",
        "oxigraph": subprocess.run([oxigraph, "--version"], capture_output=True, text=True)
        .stdout.strip()
        .removeprefix("oxigraph "),
        "pedkg_settings": ", ".join(f"{k}={v}" for k, v in sorted(settings.items())) or "default settings",
        "python": platform.python_version(),
    }
    run = Run(args, dataset, kinds, environment, ["pedkg"])
    run.load_seconds["pedkg"] = float(dataset.manifest["load_seconds"]["pedkg"])  # type: ignore[index]
    if not args.no_import:
        run.imports = bench_import(dataset, oxigraph)
    pedkg = PedkgServer(log_dir, dataset.pedkg_store, settings)
    servers: list[Server] = [pedkg]
    try:
        pedkg.start()
        if not settings:  # report what the defaults are, as the server sees them
            from pedkg.config import Settings

            s = Settings.from_env({})
            environment["pedkg_settings"] = (
                f"default settings: {s.workers} workers × {s.threads} threads, "
                f"{s.query_processes} query processes per worker"
            )
        peers = start_peers(run, dataset, oxigraph, log_dir)
        servers += peers
        if not args.no_remote:
            remote = start_remote_pedkg(run, peers, settings, log_dir)
            peers += remote
            servers += remote
        with harness.MemoryWatch(servers) as watch:
            status, body = harness.get(
                pedkg.port,
                pedkg.query_path("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
            )
            graph_counts = {
                b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]
            }
            if sum(graph_counts.values()) != dataset.triples:
                run.bad[("*", "pedkg")] = (
                    f"pedkg holds {sum(graph_counts.values())} quads, not {dataset.triples}"
                )
            print("checking answers ...", flush=True)
            run.rows, found = check(pedkg, peers, kinds, graph_counts, args.slow)
            run.bad.update(found)
            for (kind_name, system), why in run.bad.items():
                print(f"CHECK FAILED: {system} / {kind_name}: {why}", file=sys.stderr, flush=True)
            step = 0
            total = len(kinds)
            for index, kind in enumerate(kinds, 1):
                if (kind.name, "pedkg") in run.bad:
                    continue
                timed = [pedkg] + [
                    s
                    for s in peers
                    if (not kind.peers_from or is_pedkg(s.name))
                    and (kind.name, s.name) not in run.bad
                    and ("*", s.name) not in run.bad
                ]
                for clients in args.concurrency:
                    order = timed if step % 2 == 0 else timed[::-1]  # none always goes first
                    step += 1
                    for server in order:
                        own = isinstance(server, PedkgServer) and kind.pedkg_paths
                        paths = (
                            list(kind.pedkg_paths) if own else [server.query_path(q) for q in kind.queries]
                        )
                        accept = kind.pedkg_accept if own else kind.accept
                        phase = harness.run_phase(server, kind.name, paths, clients, args.seconds, accept)
                        run.phases.append(phase)
                        print(
                            f"[{index}/{total} {time.monotonic() - began:5.0f} s] {kind.name:14} {clients:2} "
                            f"clients {server.name:8} {phase.throughput:9.1f} req/s  "
                            f"p50 {_ms(phase.percentile(50))} ms  p99 {_ms(phase.percentile(99))} ms  "
                            f"cpu {_ms(phase.cpu_per_request)} ms/req"
                            + (f"  errors {dict(phase.errors)}" if phase.errors else ""),
                            flush=True,
                        )
        run.peak_memory = dict(watch.peak)
    finally:
        for server in servers:
            server.stop()
    environment["load_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    environment["elapsed"] = f"{(time.monotonic() - began) / 60:.1f} min"
    text = report(run)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    args.output.with_suffix(".json").write_text(
        json.dumps(
            {
                "environment": environment,
                "dataset": dataset.manifest,
                "seconds": args.seconds,
                "systems": run.systems,
                "not_run": run.not_run,
                "load_seconds": run.load_seconds,
                "peak_memory_mib": {k: round(v / 2**20, 1) for k, v in run.peak_memory.items()},
                "import": run.imports,
                "rows": run.rows,
                "not_timed": {f"{s} / {k}": why for (k, s), why in run.bad.items()},
                "phases": [p.as_dict() for p in run.phases],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print()
    print(text)
    print(f"written to {args.output} and {args.output.with_suffix('.json').name} ({environment['elapsed']})")
    return 1 if any("too slow" not in why for why in run.bad.values()) else 0  # slow is a result


if __name__ == "__main__":
    sys.exit(main())
