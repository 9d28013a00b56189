"""Every entity of the division's graph is defined in Korean as well as in English, and says what that rests on.

A Korean definition either had its facts checked against a public Korean page (kind ``source``, with the page's
address; the wording is pedkg's own) or is pedkg's rendering of the English definition from the checked Korean
terms (kind ``composed``, with a note), recorded in data/sources/korean-definitions.tsv as the Korean labels are in
korean-terms.tsv. The Korean page of every entity then shows its own definition, with no English fallback mark.
"""

from __future__ import annotations

import csv
import re

from flask.testing import FlaskClient
from markupsafe import escape

from pedkg.config import PROJECT_ROOT
from pedkg.namespaces import BASE
from pedkg.store.embedded import GraphStore

from conftest import rows

DEFINITIONS = PROJECT_ROOT / "data" / "sources" / "korean-definitions.tsv"
KINDS = {"source", "composed"}
DEFINED = """SELECT ?s ?d WHERE { GRAPH <https://w3id.org/pedkg/graph/division> {
  ?s <http://www.w3.org/2004/02/skos/core#definition> ?d } FILTER (lang(?d) = "%s") }"""
LABELLED = """SELECT DISTINCT ?s WHERE { GRAPH <https://w3id.org/pedkg/graph/division> {
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"""
BROWSER = "text/html,application/xhtml+xml"


def listed_definitions() -> list[dict[str, str]]:
    with DEFINITIONS.open(encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def definitions(store: GraphStore, lang: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in rows(store, DEFINED % lang):
        found.setdefault(row["s"].removeprefix(BASE), []).append(row["d"])
    return found


def test_every_listed_definition_has_a_source_or_says_it_was_composed() -> None:
    listed = listed_definitions()
    assert listed
    for row in listed:
        assert row["kind"] in KINDS, row
        assert row["ko_definition"].strip() and row["note"].strip(), row
        if row["kind"] == "source":
            assert row["source_url"].startswith(("https://", "http://")), row
        else:
            assert row["source_url"] == "", row  # composed: nothing to point to


def test_every_korean_definition_of_the_division_graph_is_listed(store: GraphStore) -> None:
    in_graph = {(s, d) for s, texts in definitions(store, "ko").items() for d in texts}
    listed = {(row["subject"], row["ko_definition"]) for row in listed_definitions()}
    assert in_graph - listed == set(), "Korean definition without a recorded source"
    assert listed - in_graph == set(), "recorded definitions the graph does not carry"


def test_every_entity_is_defined_once_in_each_language(store: GraphStore) -> None:
    entities = {r["s"].removeprefix(BASE) for r in rows(store, LABELLED)}
    assert len(entities) >= 45
    for lang in ("en", "ko"):
        found = definitions(store, lang)
        assert entities - set(found) == set(), f"entities with no {lang} definition"
        assert {s: d for s, d in found.items() if len(d) > 1} == {}, (
            f"entities with several {lang} definitions"
        )


def test_korean_page_of_every_entity_shows_its_korean_definition(
    client: FlaskClient, store: GraphStore
) -> None:
    problems = []
    for subject, (korean,) in sorted(definitions(store, "ko").items()):
        response = client.get(f"/id/{subject}?lang=ko", headers={"Accept": BROWSER})
        assert response.status_code == 200, subject
        shown = re.search(r'<p class="definition">(.*?)</p>', response.get_data(as_text=True), re.S)
        if not shown or shown.group(1) != f'<span lang="ko">{escape(korean)}</span>':
            problems.append(f"{subject}: {shown.group(1) if shown else 'no definition'}")
    assert not problems, "\n".join(problems)
