"""The built store holds everything the division's page states, with labels in both languages."""

from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from pedkg.config import PROJECT_ROOT, Settings
from pedkg.ingest.build import build
from pedkg.namespaces import BASE
from pedkg.store.embedded import GraphStore

from conftest import rows

PREFIXES = """
PREFIX pedkg: <https://w3id.org/pedkg/>
PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>
"""

# Every entity the seed names (issue 2, section 3), with the class it must have.
SEED_ENTITIES = {
    "hemato-oncology-division": "Division",
    "department-of-pediatrics": "Department",
    **dict.fromkeys(
        [
            "leukemia", "lymphoma", "brain-tumor", "neuroblastoma", "retinoblastoma",
            "osteosarcoma", "ewing-sarcoma", "wilms-tumor", "rhabdomyosarcoma",
            "soft-tissue-sarcoma", "germ-cell-tumor", "hepatoblastoma", "histiocytosis",
            "other-childhood-cancers", "anemia", "leukopenia", "thrombocytopenia",
        ],
        "Disease",
    ),
    "hematopoietic-stem-cell-transplantation": "Procedure",
    **dict.fromkeys(["childhood-cancers", "blood-diseases", "major-target-diseases"], "DiseaseGroup"),
    **dict.fromkeys(
        ["pediatric-neurosurgery", "surgery", "orthopedics", "ophthalmology", "thoracic-surgery", "urology"],
        "SurgicalDepartment",
    ),
    **dict.fromkeys(
        ["pathology", "radiology", "laboratory-medicine", "nuclear-medicine"], "DiagnosticSupportTeam"
    ),
    **dict.fromkeys(
        ["hospital-school", "aid-associations", "shelters", "social-economic-support"], "SupportProgram"
    ),
    "pediatric-palliative-care-team": "CareTeam",
    "pediatric-adolescent-cancer-ward": "Ward",
    **dict.fromkeys(["claim-first-cancer-ward", "claim-first-palliative-care-team"], "Claim"),
    "statistic-annual-childhood-cancers": "Statistic",
}  # fmt: skip


def test_build_loads_one_graph_per_source_and_reports_its_size(built, store):
    _, report = built
    assert set(report.triples_per_graph) == {
        "ontology", "shapes", "division", "iccc3", "mappings-diseases", "mappings-disciplines",
        "mappings-icd11", "mappings-organizations", "provenance",
    }  # fmt: skip
    assert report.total == len(store)
    counts = rows(store, PREFIXES + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r["g"].removeprefix(BASE + "graph/"): int(r["n"]) for r in counts} == report.triples_per_graph


@pytest.mark.parametrize(("name", "cls"), SEED_ENTITIES.items())
def test_seed_entity_has_its_class_and_one_label_per_language(store, name, cls):
    found = rows(
        store,
        PREFIXES + f"SELECT ?label WHERE {{ pedkg:{name} a pko:{cls} ; rdfs:label ?label }}",
    )
    result = store.query(PREFIXES + f"SELECT (LANG(?l) AS ?lang) WHERE {{ pedkg:{name} rdfs:label ?l }}")
    languages = sorted(s["lang"].value for s in result)  # type: ignore[union-attr]
    assert found, f"pedkg:{name} is not a pko:{cls}"
    assert languages == ["en", "ko"], f"pedkg:{name} has labels in {languages}"


def _seed_disease_names() -> list[str]:
    """The names under 'Major Target Diseases' on the source page itself."""
    text = (PROJECT_ROOT / "data" / "sources" / "division-page.txt").read_text(encoding="utf-8")
    line = text.split("Major Target Diseases", 1)[1].strip().splitlines()[0]
    return [n.strip() for n in re.split(r"[,()]", line.replace("blood diseases", "")) if n.strip()]


def test_every_name_on_the_source_page_is_a_label_of_a_target(store):
    names = _seed_disease_names()
    assert len(names) == 18, names  # 14 cancers, 3 blood diseases, the transplantation
    labels = {
        r["l"].casefold()
        for r in rows(
            store,
            PREFIXES
            + """SELECT ?l WHERE { ?e a ?c ; rdfs:label|skos:altLabel|pko:seedLabel ?l .
                VALUES ?c { pko:Disease pko:Procedure } }""",
        )
    }
    missing = [n for n in names if n.casefold() not in labels]
    assert not missing, f"the page's names not kept as a label: {missing}"


def test_groups_follow_the_page(store):
    members = rows(store, PREFIXES + "SELECT ?g ?m WHERE { ?g a pko:DiseaseGroup ; skos:member ?m }")
    by_group: dict[str, set[str]] = {}
    for r in members:
        by_group.setdefault(r["g"].removeprefix(BASE), set()).add(r["m"].removeprefix(BASE))
    assert len(by_group["childhood-cancers"]) == 14
    assert by_group["blood-diseases"] == {"anemia", "leukopenia", "thrombocytopenia"}
    assert by_group["major-target-diseases"] == {
        "childhood-cancers", "blood-diseases", "hematopoietic-stem-cell-transplantation",
    }  # fmt: skip


def test_statistic_is_structured_with_bounds_population_place_and_period(store):
    [stat] = rows(
        store,
        PREFIXES
        + """SELECT ?min ?max ?period ?population ?place ?source WHERE {
            pedkg:statistic-annual-childhood-cancers pko:minValue ?min ; pko:maxValue ?max ;
              pko:period ?period ; pko:population ?population ; pko:place ?place ;
              prov:wasDerivedFrom ?source }""",
    )
    assert (stat["min"], stat["max"], stat["period"]) == ("1000", "1200", "P1Y")
    assert stat["population"] == BASE + "children-and-adolescents"
    assert stat["place"] == BASE + "korea"
    assert stat["source"] == BASE + "division-page"


def test_claims_cite_the_source_page_with_the_checksum_of_its_text(store):
    digest = hashlib.sha256((PROJECT_ROOT / "data/sources/division-page.txt").read_bytes()).hexdigest()
    found = rows(
        store,
        PREFIXES
        + """SELECT ?claim ?sha ?quote WHERE {
            ?claim a ?c ; prov:wasDerivedFrom ?src ; pko:quotation ?quote . ?src pko:sha256 ?sha .
            VALUES ?c { pko:Claim pko:Statistic } }""",
    )
    assert len(found) == 3
    page = (PROJECT_ROOT / "data/sources/division-page.txt").read_text(encoding="utf-8")
    for claim in found:
        assert claim["sha"] == digest
        assert claim["quote"] in page, f"{claim['claim']} does not quote the page verbatim"


def test_provenance_counts_match_the_graphs(store):
    declared = rows(store, PREFIXES + "SELECT ?g ?n WHERE { ?g void:triples ?n }")
    actual = rows(store, PREFIXES + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r["g"]: r["n"] for r in declared} == {
        r["g"]: r["n"] for r in actual if not r["g"].endswith("/provenance")
    }


def test_same_sources_build_the_same_dataset(built, tmp_path):
    settings, _ = built
    again = Settings.from_env({}, store=tmp_path / "store")
    build(again)
    first, second = (_graphs(GraphStore.open_read_only(s.store).dump()) for s in (settings, again))
    assert sorted(first) == sorted(second)
    for name in first:  # blank node labels differ from build to build; the graphs must not
        assert isomorphic(first[name], second[name]), name


def _graphs(nquads: bytes) -> dict[str, Graph]:
    """Each named graph of an N-Quads dump as an rdflib graph."""
    triples: dict[str, list[ox.Triple]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        triples.setdefault(str(q.graph_name), []).append(ox.Triple(q.subject, q.predicate, q.object))
    return {
        name: Graph().parse(data=ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES), format="nt")
        for name, ts in triples.items()
    }


def test_rebuild_swaps_in_a_new_store_and_keeps_only_the_previous_one(tmp_path):
    settings = Settings.from_env({}, store=tmp_path / "store")
    targets = []
    for _ in range(3):
        build(settings)
        targets.append(settings.store.resolve())
    assert settings.store.is_symlink() and len(set(targets)) == 3
    # readers may still have the previous version open; older ones are deleted
    assert [t.exists() for t in targets] == [False, True, True]
    assert len(GraphStore.open_read_only(settings.store)) > 2000
