"""Every named query parses, runs on the real data and gives the answer a researcher expects."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest

from pedkg.config import PROJECT_ROOT
from pedkg.errors import QueryError
from pedkg.namespaces import BASE
from pedkg.sparql import catalogue as queries
from pedkg.store.embedded import GraphStore

CATALOGUE = queries.catalogue(PROJECT_ROOT / "queries")
Rows = list[dict[str, str]]


def run(store: GraphStore, name: str, **params: str) -> Rows:
    result = CATALOGUE[name].run(store, params)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value.removeprefix(BASE) for n in names if s[n] is not None} for s in result]


def diseases_with_codes(store: GraphStore) -> None:
    found = run(store, "diseases-with-codes")
    assert len(found) == 200
    codes = {(r["entity"], r["vocabulary"], r["code"], r["match"]) for r in found}
    assert ("neuroblastoma", "MONDO", "0005072", "exact") in codes
    assert ("wilms-tumor", "ICD-10", "C64", "broad") in codes
    assert ("hepatoblastoma", "ICD-10", "C22.2", "exact") in codes
    assert ("hematopoietic-stem-cell-transplantation", "MeSH", "D018380", "exact") in codes
    assert ("retinoblastoma", "ICD-11", "1855353671", "exact") in codes  # foundation id of MMS 2D02.2
    assert ("leukopenia", "ICD-10-CM", "D72.819", "close") in codes
    assert ("brain-tumor", "MONDO", "0006130", "broad") in codes  # a CNS neoplasm is broader


def tumours_by_icdo(store: GraphStore) -> None:
    found = {(r["disease"], r["morphology"]) for r in run(store, "tumours-by-icdo")}
    assert found == {
        ("leukemia", "9800/3"), ("lymphoma", "9590/3"), ("neuroblastoma", "9500/3"),
        ("retinoblastoma", "9510/3"), ("osteosarcoma", "9180/3"), ("ewing-sarcoma", "9260/3"),
        ("wilms-tumor", "8960/3"), ("rhabdomyosarcoma", "8900/3"), ("soft-tissue-sarcoma", "8800/3"),
        ("hepatoblastoma", "8970/3"), ("histiocytosis", "9751/1"),
    }  # fmt: skip


def blood_diseases_hpo(store: GraphStore) -> None:
    found = {(r["disease"], r["hpo"], r["hpoLabel"], r["labelKo"]) for r in run(store, "blood-diseases-hpo")}
    obo = "http://purl.obolibrary.org/obo/"
    assert found == {
        ("anemia", obo + "HP_0001903", "Anemia", "빈혈"),
        ("leukopenia", obo + "HP_0001882", "Leukopenia", "백혈구감소증"),
        ("thrombocytopenia", obo + "HP_0001873", "Thrombocytopenia", "혈소판감소증"),
    }


def vocabulary_coverage(store: GraphStore) -> None:
    found = {r["vocabulary"]: int(r["entities"]) for r in run(store, "vocabulary-coverage")}
    assert found == {
        "NCIt": 18, "MONDO": 17, "MeSH": 17, "UMLS": 17, "DOID": 16, "HPO": 16, "ICD-11": 15,
        "ICD-10-CM": 13, "ICD-10": 12, "Orphanet": 12, "ICD-O-3": 11, "SNOMED CT": 9, "Wikidata": 6,
    }  # fmt: skip


def collaborating_departments(store: GraphStore) -> None:
    found = run(store, "collaborating-departments")
    kinds = [r["kind"] for r in found]
    assert kinds.count("surgical department") == 6
    assert kinds.count("diagnostic support team") == 4
    urology = next(r for r in found if r["department"] == "urology")
    assert (urology["labelKo"], urology["specialties"]) == ("비뇨의학과", "Surgical, Urologic")


def support_programs(store: GraphStore) -> None:
    found = {r["program"]: r.get("partOf") for r in run(store, "support-programs")}
    assert found == {
        "hospital-school": "social-economic-support",
        "aid-associations": "social-economic-support",
        "shelters": "social-economic-support",
        "social-economic-support": None,
        "pediatric-palliative-care-team": None,
    }


def claims_with_provenance(store: GraphStore) -> None:
    found = {r["statement"]: r for r in run(store, "claims-with-provenance")}
    assert set(found) == {
        "claim-first-cancer-ward", "claim-first-palliative-care-team", "statistic-annual-childhood-cancers",
    }  # fmt: skip
    statistic = found["statistic-annual-childhood-cancers"]
    assert (statistic["minimum"], statistic["maximum"], statistic["period"]) == (
        "1000",
        "1200",
        "P1Y",
    )
    assert all(r["source"] == "division-page" and len(r["sha256"]) == 64 for r in found.values())
    assert found["claim-first-cancer-ward"]["about"] == "pediatric-adolescent-cancer-ward"


def entities_missing_mapping(store: GraphStore) -> None:
    assert [r["entity"] for r in run(store, "entities-missing-mapping")] == [
        "hematopoietic-stem-cell-transplantation"
    ]
    without_hpo = run(store, "entities-missing-mapping", vocabulary="HPO")
    assert {r["entity"] for r in without_hpo} == {
        "hematopoietic-stem-cell-transplantation",  # HPO's HP:0032557 is the history of one, not the procedure
        "other-childhood-cancers",  # a residual group with no phenotype term
    }
    assert {r["vocabulary"] for r in without_hpo} == {"HPO"}
    without_cm = run(store, "entities-missing-mapping", vocabulary="ICD-10-CM")
    assert {r["entity"] for r in without_cm} == {
        "hematopoietic-stem-cell-transplantation", "neuroblastoma", "ewing-sarcoma",
        "rhabdomyosarcoma", "germ-cell-tumor",
    }  # fmt: skip


def bilingual_labels(store: GraphStore) -> None:
    found = run(store, "bilingual-labels")
    assert len(found) == 45
    assert all(r.get("label") and r.get("labelKo") for r in found), [r for r in found if not r.get("labelKo")]
    wilms = next(r for r in found if r["entity"] == "wilms-tumor")
    assert "콩팥모세포종" in wilms["synonymsKo"].split(" | ")


def code_lookup(store: GraphStore) -> None:
    assert {r["entity"] for r in run(store, "code-lookup")} == {"wilms-tumor"}  # default C64
    assert {r["entity"] for r in run(store, "code-lookup", code="9500/3")} == {"neuroblastoma"}
    assert {r["entity"] for r in run(store, "code-lookup", code="0001873")} == {"thrombocytopenia"}
    assert run(store, "code-lookup", code="C64 } ; DROP ALL") == []


def disease_groups(store: GraphStore) -> None:
    found = run(store, "disease-groups")
    groups = [r["group"] for r in found]
    assert (groups.count("childhood-cancers"), groups.count("blood-diseases")) == (14, 3)
    assert {r["member"] for r in found if r["group"] == "major-target-diseases"} == {
        "hematopoietic-stem-cell-transplantation"
    }


def icd10_chapters(store: GraphStore) -> None:
    """Without the ICD-10 graph: the codes but no chapter (test_vocabularies walks with it imported)."""
    found = run(store, "icd10-chapters")
    assert len(found) == 18 and not any("chapter" in r for r in found)
    assert {(r["disease"], r["code"], r["match"]) for r in found} >= {
        ("wilms-tumor", "C64", "broad"), ("leukemia", "C81-C96", "broad"), ("anemia", "D64.9", "close"),
    }  # fmt: skip


def blood_diseases_hpo_ancestors(store: GraphStore) -> None:
    """Without the HPO graph: the mapped terms but no ancestor (test_vocabularies walks with it imported)."""
    found = run(store, "blood-diseases-hpo-ancestors")
    assert {(r["disease"], r["hpo"].rsplit("/", 1)[-1]) for r in found} == {
        ("anemia", "HP_0001903"), ("leukopenia", "HP_0001882"), ("thrombocytopenia", "HP_0001873"),
    }  # fmt: skip
    assert not any("ancestor" in r for r in found)


def division_cancers_by_iccc3(store: GraphStore) -> None:
    found = {
        (r["disease"], r.get("group"), r.get("mainGroup")) for r in run(store, "division-cancers-by-iccc3")
    }
    assert found == {
        ("leukemia", "I", "I"), ("lymphoma", "II", "II"), ("histiocytosis", "IId", "II"),
        ("brain-tumor", "III", "III"), ("neuroblastoma", "IVa", "IV"), ("retinoblastoma", "V", "V"),
        ("wilms-tumor", "VIa", "VI"), ("hepatoblastoma", "VIIa", "VII"), ("osteosarcoma", "VIIIa", "VIII"),
        ("ewing-sarcoma", "VIIIc", "VIII"), ("ewing-sarcoma", "IXd", "IX"), ("rhabdomyosarcoma", "IXa", "IX"),
        ("soft-tissue-sarcoma", "IX", "IX"), ("germ-cell-tumor", "X", "X"),
        ("other-childhood-cancers", "XI", "XI"), ("other-childhood-cancers", "XII", "XII"),
    }  # fmt: skip
    members = {r["member"] for r in run(store, "disease-groups") if r["group"] == "childhood-cancers"}
    assert {
        disease for disease, _, _ in found
    } == members  # every childhood cancer, none left without a group
    osteosarcoma = next(r for r in run(store, "division-cancers-by-iccc3") if r["disease"] == "osteosarcoma")
    assert (osteosarcoma["groupLabel"], osteosarcoma["mainGroupLabel"]) == (
        "Osteosarcomas",
        "Malignant bone tumors",
    )


EXPECTATIONS: dict[str, Callable[[GraphStore], None]] = {
    f.__name__.replace("_", "-"): f
    for f in (
        diseases_with_codes, tumours_by_icdo, blood_diseases_hpo, vocabulary_coverage,
        collaborating_departments, support_programs, claims_with_provenance,
        entities_missing_mapping, bilingual_labels, code_lookup, disease_groups, icd10_chapters,
        blood_diseases_hpo_ancestors, division_cancers_by_iccc3,
    )
}  # fmt: skip


def test_every_named_query_has_an_expected_answer():
    assert set(CATALOGUE) == set(EXPECTATIONS)
    assert len(CATALOGUE) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_named_query_answers(store, name):
    named = CATALOGUE[name]
    assert named.title and named.description
    EXPECTATIONS[name](store)


def test_unknown_parameter_is_refused(store):
    with pytest.raises(QueryError, match="takes no parameter colour"):
        CATALOGUE["code-lookup"].run(store, {"colour": "red"})


def test_header_without_title_is_reported_with_its_file(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("#+ description: no title\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=rf"{path}:1: the header lacks '#\+ title:'"):
        queries.parse_file(path)
