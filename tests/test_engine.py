"""The engine side: query processes serving from memory or disk, and store copies that leave graphs out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.sparql.pool import MemoryPlan, QueryJob, QueryPool
from pedkg.sparql.pool_choice import query_pool
from pedkg.store.embedded import GraphStore
from pedkg.store.versions import new_version

EX = "http://hospital.example/"
QUERIES = [  # (query, format, returns a graph): blank nodes left out, their labels differ per copy
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "json", False),
    (
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o LIMIT 500",
        "json",
        False,
    ),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", "tsv", False),
    (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?type ; ?p ?o FILTER(isIRI(?o)) } ORDER BY ?s ?p ?o",
        "ntriples",
        True,
    ),
    ("ASK { ?s ?p ?o }", "xml", False),
]


@pytest.fixture(scope="module")
def pools(built: tuple[Settings, BuildReport]) -> Iterator[dict[str, QueryPool]]:
    link = built[0].store
    made = {mode: QueryPool(link, 1, 30.0, memory=MemoryPlan(mode)) for mode in ("on", "off")}
    yield made
    for pool in made.values():
        pool.close()


def job(query: str, fmt: str, graph: bool) -> QueryJob:
    return QueryJob(query, fmt, graph, row_limit=10_000)


def test_the_pools_answer_from_memory_and_from_disk(pools):
    assert pools["on"].serving() == "memory"
    assert pools["off"].serving() == "disk"


@pytest.mark.parametrize(("query", "fmt", "graph"), QUERIES)
def test_answers_are_identical_in_memory_and_on_disk(pools, query, fmt, graph):
    on_disk, in_memory = (pools[mode].run(job(query, fmt, graph)) for mode in ("off", "on"))
    assert in_memory == on_disk
    assert on_disk.rows != 0


@pytest.mark.parametrize(
    ("mode", "budget", "serving"),
    [("on", 0, "memory"), ("off", 1 << 20, "disk"), ("auto", 1 << 20, "memory"), ("auto", 0, "disk")],
)
def test_the_setting_chooses_where_queries_are_answered(built, mode, budget, serving):
    settings = replace(built[0], store_in_memory=mode, memory_budget=budget, query_processes=1)
    pool = query_pool(settings)
    try:
        assert pool.serving() == serving  # type: ignore[attr-defined]
    finally:
        pool.close()


def test_an_unknown_mode_is_refused(built):
    pool = QueryPool(built[0].store, 1, 30.0, memory=MemoryPlan("sometimes"))
    try:
        with pytest.raises(Exception, match="PEDKG_STORE_IN_MEMORY='sometimes': use auto, on or off"):
            pool.serving()
    finally:
        pool.close()


def write(link: Path, triples: int, graph: str = EX + "g") -> None:
    with new_version(link, from_current=link.exists()) as store:
        store.replace_graph(
            graph,
            [
                ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i))
                for i in range(triples)
            ],
        )


def test_a_new_version_is_seen_in_memory_too(tmp_path):
    link = tmp_path / "store"
    write(link, 3)
    pool = QueryPool(link, 1, 30.0, memory=MemoryPlan("on"))
    count = job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "tsv", False)
    try:
        assert pool.run(count).body.split() == [b"?n", b"3"]
        write(link, 5)
        assert pool.run(count).body.split() == [b"?n", b"5"]
        assert pool.serving() == "memory"
    finally:
        pool.close()


def test_a_stopped_query_process_is_replaced_by_one_serving_from_memory(tmp_path):
    link = tmp_path / "store"
    write(link, 200)
    pool = QueryPool(link, 1, 1.0, memory=MemoryPlan("on"))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?t ?w }"
    try:
        with pytest.raises(Exception, match="longer than the limit"):
            pool.run(job(slow, "tsv", False))
        assert pool.run(job("ASK { ?s ?p 199 }", "json", False)).body.endswith(b"true}")
        assert pool.serving() == "memory"
    finally:
        pool.close()


@pytest.fixture
def dataset(tmp_path: Path) -> GraphStore:
    """A store with a large graph, a small one and a blank node that two graphs share."""
    link = tmp_path / "store"
    write(link, 40, EX + "large")
    with new_version(link, from_current=True) as store:
        shared = ox.BlankNode()
        store.add_to_graph(EX + "a", [ox.Triple(shared, ox.NamedNode(EX + "p"), ox.Literal("x .\ny"))])
        store.add_to_graph(EX + "b", [ox.Triple(shared, ox.NamedNode(EX + "q"), ox.NamedNode(EX + "o"))])
    return GraphStore.open_read_only(link)


@pytest.mark.parametrize("left_out", [EX + "large", EX + "a"])  # a rebuild from the rest; a checkpoint
def test_a_copy_leaves_graphs_out_and_keeps_the_rest_as_it_was(dataset, tmp_path, left_out):
    copy = dataset.copy(tmp_path / "copy", frozenset({left_out}))
    assert copy.named_graphs() == sorted({EX + "large", EX + "a", EX + "b"} - {left_out})
    expected = ox.Dataset(q for q in dataset._store if q.graph_name != ox.NamedNode(left_out))
    got = ox.Dataset(copy._store)
    for found in (expected, got):
        found.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert set(got) == set(expected)
    if left_out != EX + "a":  # the blank node both graphs name is still one node
        assert len({q.subject for q in got if isinstance(q.subject, ox.BlankNode)}) == 1
