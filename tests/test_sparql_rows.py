"""sparql.rows: a SELECT answer as rows, the same from a store's result and through a pool."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pedkg.errors import QueryError
from pedkg.sparql.pool import QueryAnswer, QueryJob
from pedkg.sparql.rows import plain, result_rows, select
from pedkg.sparql.runner import answer
from pedkg.store.embedded import GraphStore

EX = "https://example.org/"
QUERY = "SELECT ?s ?label ?note WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
QUERY += "OPTIONAL { ?s <https://example.org/note> ?note } } ORDER BY ?s"


def store() -> GraphStore:
    graph = ox.NamedNode(EX + "g")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    made = GraphStore.in_memory()
    made.add_quads(
        [
            ox.Quad(ox.NamedNode(EX + "a"), label, ox.Literal("신경모세포종", language="ko"), graph),
            ox.Quad(ox.NamedNode(EX + "b"), label, ox.Literal("plain"), graph),
            ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "note"), ox.BlankNode("n1"), graph),
        ]
    )
    return made


class StorePool:
    """The pool's interface over an in-memory store, answering in this process."""

    def __init__(self, graph_store: GraphStore) -> None:
        self.store = graph_store

    def run(self, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
        return answer(self.store, job)

    def version(self) -> str:
        return "test"

    def dump(self) -> bytes:
        return b""

    def close(self) -> None:
        pass


def test_rows_keep_terms_and_leave_out_unbound_variables() -> None:
    found = result_rows(store().query(QUERY))
    assert found[0] == {"s": ox.NamedNode(EX + "a"), "label": ox.Literal("신경모세포종", language="ko")}
    assert set(found[1]) == {"s", "label", "note"} and isinstance(found[1]["note"], ox.BlankNode)
    assert plain(found)[0] == {"s": EX + "a", "label": "신경모세포종"}


def test_the_pool_gives_the_same_rows_and_binds_variables() -> None:
    pool = StorePool(store())
    assert select(pool, QUERY, 10) == result_rows(store().query(QUERY))
    assert [row["label"].value for row in select(pool, QUERY, 10, {"s": ox.NamedNode(EX + "b")})] == ["plain"]
    assert len(select(pool, QUERY, 1)) == 1  # the row limit holds


def test_an_ask_is_not_rows() -> None:
    with pytest.raises(QueryError):
        result_rows(store().query("ASK { ?s ?p ?o }"))
