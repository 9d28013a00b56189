"""Nothing is lost: dumps round-trip and repeat, a killed import changes nothing, readers see whole versions."""

from __future__ import annotations

import gzip
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from pedkg.config import PROJECT_ROOT, Settings
from pedkg.ingest.build import BuildReport, build
from pedkg.ingest.importer import import_file
from pedkg.namespaces import graph_iri
from pedkg.store import dump as dump_mod
from pedkg.store.backend import open_reader

from conftest import Server, pedkg

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "other-hospital.ttl"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
MARKER = "https://example.org/durability/marker"


def canonical_dump(settings: Settings) -> bytes:
    return dump_mod.canonical(open_reader(settings).dump())


def fresh(tmp_path: Path, name: str) -> Settings:
    return Settings.from_env({}, store=tmp_path / name / "store")


@pytest.fixture(scope="module")
def built_dump(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dumps") / "built.nq"
    dump_mod.dump(built[0], path)
    return path


@pytest.fixture(scope="module")
def with_import(built_dump: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The built store restored into a store of its own, with other-hospital.ttl imported."""
    settings = fresh(tmp_path_factory.mktemp("imported"), "a")
    dump_mod.restore(settings, built_dump)
    import_file(settings, EXAMPLE, "other-hospital")
    return settings


def versions(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.store.parent.iterdir() if p.name != settings.store.name)


# --- determinism ---------------------------------------------------------------------------------


def test_two_builds_of_the_same_sources_dump_the_same_bytes(
    built: tuple[Settings, BuildReport], tmp_path: Path
) -> None:
    again = fresh(tmp_path, "again")
    build(again)
    first, second = canonical_dump(built[0]), canonical_dump(again)
    assert first == second
    assert b"_:r0 " in first  # the build's blank nodes (shapes, their lists): labelled from the data
    assert first.splitlines() == sorted(first.splitlines())


def relabelled(quads: list[ox.Quad], seed: int) -> bytes:
    """The same quads with fresh blank node ids, shuffled: N-Quads as another parser might have made them."""
    fresh: dict[str, ox.BlankNode] = {}

    def term(old: Any) -> Any:
        return fresh.setdefault(old.value, ox.BlankNode()) if isinstance(old, ox.BlankNode) else old

    copy = [ox.Quad(term(q.subject), q.predicate, term(q.object), term(q.graph_name)) for q in quads]
    random.Random(seed).shuffle(copy)
    return ox.serialize(copy, format=ox.RdfFormat.N_QUADS) or b""


def shapes(kind: str, n: int) -> list[ox.Quad]:
    """Blank node structures that are hard to label: alike list items, twins, a cycle, all different."""
    p, g, rdf = (
        ox.NamedNode("https://example.org/p"),
        ox.NamedNode(MARKER),
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    )
    nodes = [ox.BlankNode() for _ in range(n)]
    if kind == "list of alike items":
        rest: list[ox.BlankNode | ox.NamedNode] = [*nodes[1:], ox.NamedNode(rdf + "nil")]
        return [ox.Quad(ox.NamedNode(MARKER), p, nodes[0], g)] + [
            q
            for b, r in zip(nodes, rest, strict=True)
            for q in (
                ox.Quad(b, ox.NamedNode(rdf + "first"), ox.Literal("0"), g),
                ox.Quad(b, ox.NamedNode(rdf + "rest"), r, g),
            )
        ]
    if kind == "twins":
        return [
            q
            for b in nodes
            for q in (ox.Quad(ox.NamedNode(MARKER), p, b, g), ox.Quad(b, p, ox.Literal("same"), g))
        ]
    if kind == "cycle":
        return [ox.Quad(b, p, nodes[(i + 1) % n], g) for i, b in enumerate(nodes)]
    return [ox.Quad(b, p, ox.Literal(str(i)), ox.DefaultGraph()) for i, b in enumerate(nodes)]


@pytest.mark.parametrize("kind", ["list of alike items", "twins", "cycle", "all different"])
def test_blank_nodes_get_the_same_labels_whatever_their_ids_and_order(kind: str) -> None:
    quads = shapes(kind, 60)
    first, second = dump_mod.canonical(relabelled(quads, 1)), dump_mod.canonical(relabelled(quads, 2))
    assert first == second
    assert len(first.splitlines()) == len(quads)
    assert rdfc(first) == rdfc(relabelled(quads, 3))  # the same data: isomorphic


def rdfc(nquads: bytes) -> ox.Dataset:
    dataset = ox.Dataset(ox.parse(nquads, ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def test_the_same_import_into_fresh_stores_dumps_the_same_bytes(
    built_dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the import's dcterms:created
    dumps = []
    for name in ("a", "b"):
        settings = fresh(tmp_path, name)
        dump_mod.restore(settings, built_dump)
        import_file(settings, EXAMPLE, "other-hospital")
        dumps.append(canonical_dump(settings))
    assert dumps[0] == dumps[1]
    assert b'"2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in dumps[0]


def test_a_bad_source_date_epoch_stops_the_import(
    with_import: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    before = canonical_dump(with_import)
    with pytest.raises(Exception, match="SOURCE_DATE_EPOCH"):
        import_file(with_import, EXAMPLE, "again")
    assert canonical_dump(with_import) == before


# --- round trip ----------------------------------------------------------------------------------


def rdflib_graphs(nquads: bytes) -> dict[str, rdflib.Graph]:
    """Each graph of an N-Quads dump (the default graph as ""), read by rdflib from N-Triples."""
    triples: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(nquads, ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        triples.setdefault(name, []).append(quad.triple)
    graphs = {}
    for name, found in triples.items():
        graphs[name] = rdflib.Graph().parse(
            data=ox.serialize(found, format=ox.RdfFormat.N_TRIPLES), format="nt"
        )
    return graphs


def test_dump_and_restore_round_trip_every_graph(with_import: Settings, tmp_path: Path) -> None:
    dumped = tmp_path / "whole.nq"
    report = dump_mod.dump(with_import, dumped)
    restored = fresh(tmp_path, "restored")
    back = dump_mod.restore(restored, dumped)
    assert (back.quads, back.graphs) == (report.quads, report.graphs)
    assert canonical_dump(restored) == dumped.read_bytes()
    before, after = (
        rdflib_graphs(open_reader(with_import).dump()),
        rdflib_graphs(open_reader(restored).dump()),
    )
    assert before.keys() == after.keys()
    assert {graph_iri("other-hospital"), graph_iri("imports"), graph_iri("provenance")} <= before.keys()
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name


def test_trig_and_gzip_dumps_restore_to_the_same_store(with_import: Settings, tmp_path: Path) -> None:
    nquads = canonical_dump(with_import)
    for name, options in (("whole.trig", ("--format", "trig")), ("whole.nq.gz", ())):
        result = pedkg(
            tmp_path, "--store", str(with_import.store), "dump", "-o", str(tmp_path / name), *options
        )
        assert result.returncode == 0, result.stderr
        assert "named graphs" in result.stderr
        result = pedkg(tmp_path, "restore", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"restored {len(nquads.splitlines())} quads in ")
        assert canonical_dump(fresh(tmp_path, "var")) == nquads
    assert gzip.decompress((tmp_path / "whole.nq.gz").read_bytes()) == nquads


def test_dump_to_standard_output_and_gzip_repeat_exactly(with_import: Settings, tmp_path: Path) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "pedkg", "--store", str(with_import.store), "dump"],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shown.stdout == canonical_dump(with_import)
    first, second = tmp_path / "1.nq.gz", tmp_path / "2.nq.gz"
    dump_mod.dump(with_import, first, compress=True)
    dump_mod.dump(with_import, second, compress=True)
    assert first.read_bytes() == second.read_bytes()


def test_the_web_dump_is_the_command_line_dump(
    client: FlaskClient, built: tuple[Settings, BuildReport]
) -> None:
    response = client.get("/dumps/pedkg.nq")
    assert response.status_code == 200
    assert response.data == canonical_dump(built[0])


def test_a_broken_dump_is_refused_with_its_line_and_changes_nothing(
    with_import: Settings, tmp_path: Path
) -> None:
    lines = canonical_dump(with_import).splitlines(keepends=True)
    broken = tmp_path / "broken.nq"
    broken.write_bytes(
        b"".join(lines[:4]) + b'<https://example.org/s> <https://example.org/p> "open\n' + lines[5]
    )
    before, link, kept = canonical_dump(with_import), os.readlink(with_import.store), versions(with_import)
    result = pedkg(tmp_path, "--store", str(with_import.store), "restore", str(broken))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{broken}:5: "), result.stderr
    assert "nothing was changed" in result.stderr
    assert (canonical_dump(with_import), os.readlink(with_import.store)) == (before, link)
    assert versions(with_import) == kept


def test_a_dump_that_cannot_be_written_is_an_error(with_import: Settings, tmp_path: Path) -> None:
    result = pedkg(tmp_path, "--store", str(with_import.store), "dump", "-o", str(tmp_path / "no" / "x.nq"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'no' / 'x.nq'}: cannot write the dump: "), (
        result.stderr
    )
    assert not (tmp_path / "no").exists()


def test_an_empty_dump_is_refused(with_import: Settings, tmp_path: Path) -> None:
    empty = tmp_path / "empty.nq"
    empty.write_bytes(b"")
    result = pedkg(tmp_path, "--store", str(with_import.store), "restore", str(empty))
    assert result.returncode == 1
    assert "no quads found" in result.stderr


def test_restore_onto_a_sparql_server_graph_by_graph(
    own_server: Settings, built_dump: Path, tmp_path: Path
) -> None:
    build(own_server)
    server = open_reader(own_server)
    stale = graph_iri("stale")  # a graph the dump does not have: dropped
    server.replace_graph(stale, [ox.Triple(ox.NamedNode(MARKER), ox.NamedNode(LABEL), ox.Literal("stale"))])
    assert stale in server.named_graphs()
    default = f'<{MARKER}> <{LABEL}> "in the default graph" .\n'.encode()
    with_default = tmp_path / "with-default.nq"
    with_default.write_bytes(dump_mod.canonical(built_dump.read_bytes() + default))
    report = dump_mod.restore(own_server, with_default)
    assert report.quads == with_default.read_bytes().count(b"\n")
    assert canonical_dump(own_server) == with_default.read_bytes()
    assert stale not in server.named_graphs()


# --- a killed import -----------------------------------------------------------------------------


def write_ntriples(path: Path, count: int, marker: str = "") -> None:
    with path.open("w") as file:
        for i in range(count):
            file.write(f'<https://example.org/big/e{i}> <{LABEL}> "entity number {i}"@en .\n')
        if marker:
            file.write(f'<{MARKER}> <{LABEL}> "{marker}" .\n')


def read_position(pid: int, path: Path) -> int:
    """How far process ``pid`` has read ``path`` (Linux: /proc/PID/fdinfo), or -1 when it has it not open."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                    info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
                    return int(info.split("pos:")[1].split()[0])
            except (OSError, IndexError):
                continue
    except OSError:
        pass
    return -1


def cli(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PEDKG_STORE": str(settings.store)}
    return subprocess.Popen(
        [sys.executable, "-m", "pedkg", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def finish(process: subprocess.Popen[bytes], seconds: float = 180) -> tuple[int, str]:
    """Wait for a command; its exit code and what it said on stderr."""
    _, err = process.communicate(timeout=seconds)
    return process.returncode, err.decode(errors="replace")


@pytest.fixture
def own_copy(built_dump: Path, tmp_path: Path) -> Settings:
    settings = fresh(tmp_path, "own")
    dump_mod.restore(settings, built_dump)
    return settings


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="reads /proc to see how far the import is")
def test_an_import_killed_halfway_leaves_the_store_as_it_was(own_copy: Settings, tmp_path: Path) -> None:
    big = (tmp_path / "big.nt").resolve()
    write_ntriples(big, 300_000)
    before, kept = canonical_dump(own_copy), versions(own_copy)
    started = time.monotonic()
    process = cli(own_copy, "import", str(big), "--graph", "big")
    position = -1
    while process.poll() is None and time.monotonic() - started < 120:
        position = read_position(process.pid, big)
        if position >= big.stat().st_size // 2:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import ended before it was halfway; make the file larger"
    process.send_signal(signal.SIGKILL)
    assert finish(process, 30)[0] == -signal.SIGKILL
    print(f"killed after {time.monotonic() - started:.1f} s at byte {position:,} of {big.stat().st_size:,}")
    left = [name for name in versions(own_copy) if name not in kept and not name.startswith(".")]
    assert left, "the killed import left no version folder behind; was it really halfway?"
    assert canonical_dump(own_copy) == before
    running = Server(own_copy.store, query_timeout="5", workers="1", threads="2")
    try:
        with urllib.request.urlopen(running.url + "/healthz", timeout=10) as response:
            assert response.status == 200
        answer = sparql(running.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(answer["results"]["bindings"][0]["n"]["value"]) == before.count(b"\n")
    finally:
        running.stop()
    small = tmp_path / "small.nt"
    write_ntriples(small, 3)
    code, said = finish(cli(own_copy, "import", str(small), "--graph", "small"))
    assert code == 0, said
    assert not set(left) & set(versions(own_copy)), "the next write did not remove the killed import's folder"


# --- readers during writes -----------------------------------------------------------------------


def sparql(url: str, query: str) -> dict[str, Any]:
    request = urllib.request.Request(
        url + "/sparql",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json", "Cache-Control": "no-cache"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def state_query(graph: str) -> str:
    return f"""SELECT ?n ?marker WHERE {{
      {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }}
      OPTIONAL {{ GRAPH <{graph}> {{ <{MARKER}> <{LABEL}> ?marker }} }} }}"""


def states_while(url: str, query: str, writer: subprocess.Popen[bytes], seconds: float = 180) -> list[object]:
    """Every answer to ``query`` (or the error) from a reader thread while ``writer`` runs, and a few after."""
    seen: list[object] = []
    stop = threading.Event()

    def read() -> None:
        after = 0
        deadline = time.monotonic() + seconds
        while after < 5 and time.monotonic() < deadline:
            try:
                rows = sparql(url, query)["results"]["bindings"]
                seen.append(tuple(sorted((k, v["value"]) for k, v in rows[0].items())) if rows else ())
            except urllib.error.HTTPError as exc:
                seen.append(f"{exc.code}: {exc.read().decode(errors='replace')}")
            except Exception as exc:  # noqa: BLE001 - any failure is an answer the test reports
                seen.append(repr(exc))
            after += writer.poll() is not None
            if stop.is_set():
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        code, said = finish(writer, seconds)
        assert code == 0, said
    finally:
        reader.join(timeout=seconds)
        stop.set()
    return seen


def assert_whole_states(
    store: Settings, graph: str, command: list[str], env: dict[str, str], before: object, after: object
) -> None:
    """Readers of a real server on ``store`` see only ``before`` or ``after`` while ``command`` writes."""
    running = Server(store.store, query_timeout="10", workers="1", threads="4")
    try:
        idle = subprocess.Popen([sys.executable, "-c", "pass"], stderr=subprocess.PIPE)
        assert states_while(running.url, state_query(graph), idle)[-1] == before
        writer = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = states_while(running.url, state_query(graph), writer)
    finally:
        running.stop()
    assert set(seen) <= {before, after}, [s for s in seen if s not in (before, after)][:3]
    assert seen[-1] == after
    print(f"{len(seen)} answers, {seen.count(before)} before, {seen.count(after)} after")


def test_readers_see_the_graph_before_or_after_an_import_replace(own_copy: Settings, tmp_path: Path) -> None:
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    write_ntriples(first, 20_000, marker="before")
    write_ntriples(second, 60_000, marker="after")
    import_file(own_copy, first, "probe")
    graph = graph_iri("probe")
    before, after = (("marker", "before"), ("n", "20001")), (("marker", "after"), ("n", "60001"))
    # three replaces in a row, ending on the second file: a reader that opens a version just
    # swapped in, while its writer still held it open, once saw its query process die
    replaces = " && ".join(
        f"{shlex.quote(sys.executable)} -m pedkg import {shlex.quote(str(path))} -g probe --replace"
        for path in (second, first, second)
    )
    env = {**os.environ, "PEDKG_STORE": str(own_copy.store)}
    assert_whole_states(own_copy, graph, ["sh", "-c", replaces], env, before, after)


def test_readers_see_the_built_graph_before_or_after_a_rebuild(project_copy: Path) -> None:
    result = pedkg(project_copy, "build")
    assert result.returncode == 0, result.stderr
    settings = Settings.from_env({}, project=project_copy, store=project_copy / "var" / "store")
    graph = graph_iri("division")
    count = len(open_reader(settings).triples(graph))
    with (project_copy / "data" / "division.ttl").open("a") as division:
        division.write(f'\n<{MARKER}> <{LABEL}> "after"@en .\n')
    before, after = (("n", str(count)),), (("marker", "after"), ("n", str(count + 1)))
    env = {**os.environ, "PEDKG_PROJECT": str(project_copy), "PEDKG_STORE": str(settings.store)}
    assert_whole_states(settings, graph, [sys.executable, "-m", "pedkg", "build"], env, before, after)
