"""A prefix with many matches is walked on the head indexes in rank order and stops early; the
hits are the same, in the same order, as when every match is read and sorted."""

from __future__ import annotations

import pytest

from pedkg.store import search_file
from pedkg.store.search_file import SearchFile
from pedkg.store.search_index import RDF_TYPE, RDFS_LABEL, Record
from pedkg.views.search import SearchIndex

PEDKG = "https://w3id.org/pedkg/"
OTHER = "https://example.org/other/"
GRAPHS = ("https://w3id.org/pedkg/graph/core", "https://w3id.org/pedkg/graph/other")
TYPES = ("https://w3id.org/pedkg/ontology/Disease", "http://www.w3.org/2002/07/owl#Class")
SKOS = "http://www.w3.org/2004/02/skos/core#"


def records() -> list[Record]:
    """Many entities whose names share heads ("leu", "typ", "백혈"), own and imported, two types."""
    found: list[Record] = []
    for n in range(1500):
        base = PEDKG if n % 3 else OTHER
        iri = f"{base}e{n}"
        graph = GRAPHS[0] if base == PEDKG else GRAPHS[1]
        found += [
            (graph, iri, RDF_TYPE, TYPES[n % 2], None),
            (graph, iri, RDFS_LABEL, f"{'acute ' * (n % 4)}leukemia type {n % 97}", "en"),
            (graph, iri, RDFS_LABEL, f"백혈병 {n % 13} 형", "ko"),
            (graph, iri, SKOS + "altLabel", f"leukaemia variant {n}", "en"),
            (graph, iri, SKOS + "notation", f"LEU{n:04d}", None),
        ]
    return found


QUERIES = [
    "leu",
    "leuk",
    "leukemia",
    "leukemia type 1",
    "type 4",
    "typ",
    "acute leuk",
    "백혈",
    "백혈병 1",
    "leu00",
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex("v", SearchFile.of(records()))


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(
    "options",
    [{}, {"type": "owl:Class"}, {"graph": "other"}, {"own_only": True}, {"limit": 50}],
    ids=["all", "type", "graph", "own", "limit"],
)
def test_walking_the_head_index_finds_what_sorting_finds(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch, query: str, options: dict[str, object]
) -> None:
    def search() -> list[tuple[str, str, str]]:
        hits = index.search(
            query,
            "en",
            type=options.get("type"),  # type: ignore[arg-type]
            limit=options.get("limit", 20),  # type: ignore[arg-type]
            graph=options.get("graph"),  # type: ignore[arg-type]
            own_only=bool(options.get("own_only")),
        )
        return [(hit.iri, hit.match, hit.matched) for hit in hits]

    monkeypatch.setattr(search_file, "MANY", 10**9)  # every match read and sorted
    sorted_hits = search()
    monkeypatch.setattr(search_file, "MANY", 1)  # every prefix of HEAD characters or more walked
    walked = search()
    assert sorted_hits, query
    assert walked == sorted_hits
