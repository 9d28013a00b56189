"""Every Korean label and synonym of the division's graph is listed with where it was seen.

Korean definitions have their own record, data/sources/korean-definitions.tsv (tests/test_korean_definitions.py).
"""

from __future__ import annotations

import csv

from pedkg.config import PROJECT_ROOT
from pedkg.namespaces import BASE

from conftest import rows

TERMS = PROJECT_ROOT / "data" / "sources" / "korean-terms.tsv"


def listed_terms() -> list[dict[str, str]]:
    with TERMS.open(encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def test_every_listed_term_has_a_source_or_says_it_was_composed():
    for term in listed_terms():
        if term["kind"] == "composed":
            assert term["note"], term
        else:
            assert term["kind"] in {"pref", "alt"}, term
            assert term["source_url"].startswith(("https://", "http://")), term


def test_every_korean_literal_of_the_division_graph_is_listed(store):
    found = rows(
        store,
        """SELECT ?s ?o WHERE { GRAPH <https://w3id.org/pedkg/graph/division> { ?s ?p ?o }
             FILTER (isLiteral(?o) && lang(?o) = "ko" && ?p != <http://www.w3.org/2004/02/skos/core#definition>) }""",
    )
    listed = {(t["subject"], t["ko_label"]) for t in listed_terms()}
    in_graph = {(r["s"].removeprefix(BASE), r["o"]) for r in found}
    assert in_graph - listed == set(), "Korean text without a recorded source"
    assert listed - in_graph == set(), "listed terms the graph does not use"


def test_preferred_terms_are_the_labels(store):
    labels = {
        (r["s"].removeprefix(BASE), r["o"])
        for r in rows(
            store,
            """SELECT ?s ?o WHERE { GRAPH <https://w3id.org/pedkg/graph/division> {
                 ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } FILTER (lang(?o) = "ko") }""",
        )
    }
    preferred = {(t["subject"], t["ko_label"]) for t in listed_terms() if t["kind"] == "pref"}
    assert preferred <= labels
