"""FHIR R4: ``pedkg export --fhir`` validates with fhir.resources; a FHIR Bundle imports and links."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from other_hospital import copy_store, load_graph, run, table_rows
from pedkg.config import PROJECT_ROOT, Settings
from pedkg.errors import InputError
from pedkg.ingest import detect, fhir_bundle
from pedkg.ingest.build import BuildReport
from pedkg.sparql.rows import result_rows
from pedkg.store.embedded import GraphStore

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "other-hospital-fhir.json"
FHIR = "https://example.org/other-hospital-fhir/fhir/"
ORG, SERVICE = FHIR + "Organization/", FHIR + "HealthcareService/"
SCHEMA = "https://schema.org/"
#: (subject, object) of every proposal, division -> the FHIR hospital (data/examples/README.md)
EXPECTED = {
    ("pedkg:department-of-pediatrics", "organization:pediatrics"),
    ("pedkg:hemato-oncology-division", "organization:peds-hem-onc"),
    ("pedkg:ophthalmology", "organization:eye-clinic"),
    ("pedkg:radiology", "organization:imaging"),
    ("pedkg:urology", "organization:pediatric-urology"),
    ("pedkg:hematopoietic-stem-cell-transplantation", "healthcareservice:blood-and-marrow-transplant"),
    ("pedkg:pediatric-palliative-care-team", "healthcareservice:palliative-care"),
    ("pedkg:hospital-school", "healthcareservice:school"),
}


@pytest.fixture(scope="module")
def exported(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("fhir-export")
    done = run(built[0].store, "export", "--fhir", "-o", str(folder))
    assert done.returncode == 0, done.stderr
    assert "12 Organization" in done.stderr and "6 HealthcareService" in done.stderr
    return json.loads((folder / "pedkg-division.fhir.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def linked(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    link = copy_store(built[0].store, tmp_path_factory.mktemp("fhir-linking"))
    load_graph(link, "other-hospital-fhir", EXAMPLE)
    return link


def resources(bundle: dict) -> dict[str, dict]:
    return {entry["resource"]["id"]: entry["resource"] for entry in bundle["entry"]}


def test_the_export_is_a_valid_r4_bundle(exported: dict):
    from fhir.resources.R4B.bundle import Bundle  # R4B (4.3.0): fhir.resources ships no 4.0.1 models

    bundle = Bundle.model_validate(exported)
    assert bundle.type == "collection" and len(bundle.entry) == 18
    kinds = {type(entry.resource).__name__ for entry in bundle.entry}
    assert kinds == {"Organization", "HealthcareService"}  # no PractitionerRole: the graph has no people
    broken = json.loads(json.dumps(exported))
    broken["entry"][0]["resource"]["partOf"] = "not a reference"
    with pytest.raises(ValueError):
        Bundle.model_validate(broken)


def test_the_export_carries_hierarchy_names_and_the_store_s_codes(exported: dict):
    found = resources(exported)
    division = found["hemato-oncology-division"]
    assert division["partOf"]["reference"] == "https://w3id.org/pedkg/department-of-pediatrics"
    assert division["identifier"] == [
        {"system": "https://w3id.org/pedkg/", "value": "hemato-oncology-division"}
    ]
    assert division["name"] == "Division of Hemato Oncology"
    translation = division["_name"]["extension"][0]
    assert translation["url"] == fhir_bundle.TRANSLATION
    assert {e["url"]: next(v for k, v in e.items() if k != "url") for e in translation["extension"]} == {
        "lang": "ko",
        "content": "소아혈액종양과",
    }
    assert "소아청소년종양혈액과" in division["alias"]
    ophthalmology = {c["code"]: c for t in found["ophthalmology"]["type"] for c in t["coding"]}
    assert ophthalmology["dept"]["system"] == fhir_bundle.ORGANIZATION_TYPE
    assert ophthalmology["394594003"] == {
        "system": "http://snomed.info/sct",
        "code": "394594003",
        "display": "Ophthalmology",
    }
    # broadMatch rows (pediatric neurosurgery -> Surgery-Neurosurgery) are no coding
    codes = [c["code"] for t in found["pediatric-neurosurgery"]["type"] for c in t["coding"]]
    assert codes == ["dept"]
    transplant = found["hematopoietic-stem-cell-transplantation"]
    assert transplant["resourceType"] == "HealthcareService"
    assert transplant["providedBy"]["reference"] == "https://w3id.org/pedkg/hemato-oncology-division"
    assert transplant["type"][0]["coding"][0]["code"] == "234336002"


def test_the_export_reimports_and_meets_the_division_by_iri(exported: dict, built, tmp_path: Path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    assert detect.detect(path, None) == "fhir"
    read = fhir_bundle.read(path)
    triples = list(read.triples)
    names = {
        (t.subject.value, t.object.value, t.object.language)
        for t in triples
        if t.predicate.value == SCHEMA + "name"
    }
    assert ("https://w3id.org/pedkg/ophthalmology", "안과", "ko") in names
    assert ("https://w3id.org/pedkg/ophthalmology", "Ophthalmology", "en") in names


def test_the_example_imports_as_schema_org_with_codes_as_iris(linked: Path):
    store = GraphStore.open_read_only(linked)
    graph = "https://w3id.org/pedkg/graph/other-hospital-fhir"

    def objects(subject: str, predicate: str) -> set[str]:
        query = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{subject}> <{predicate}> ?o }} }}"
        values = [row["o"] for row in result_rows(store.query(query))]
        return {
            v.value + (f"@{v.language}" if isinstance(v, ox.Literal) and v.language else "") for v in values
        }

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert objects(ORG + "peds-hem-onc", rdf_type) == {
        SCHEMA + "MedicalOrganization",
        "https://w3id.org/pedkg/ontology/Department",
    }
    assert objects(ORG + "peds-hem-onc", SCHEMA + "parentOrganization") == {ORG + "pediatrics"}
    assert objects(ORG + "peds-hem-onc", SCHEMA + "code") == {"http://nucc.org/provider-taxonomy#2080P0207X"}
    assert objects(ORG + "pediatric-urology", SCHEMA + "code") == {
        "http://snomed.info/id/394612005",
        "http://nucc.org/provider-taxonomy#208800000X",
    }
    assert objects(ORG + "pediatrics", SCHEMA + "name") == {"Pediatrics@en", "소아청소년과@ko"}
    assert objects(SERVICE + "school", rdf_type) == {SCHEMA + "Service"}
    assert objects(SERVICE + "school", SCHEMA + "provider") == {ORG + "pediatrics"}
    assert not objects(FHIR + "PractitionerRole/on-call-oncologist", rdf_type)


def test_link_proposes_exactly_the_expected_department_and_service_mappings(linked: Path, tmp_path: Path):
    out = tmp_path / "proposals.sssom.tsv"
    done = run(linked, "link", "--source", "division", "--target", "other-hospital-fhir", "-o", str(out))
    assert done.returncode == 0, done.stderr
    rows = {(r["subject_id"], r["object_id"]): r for r in table_rows(out)}
    assert set(rows) == EXPECTED
    transplant = rows[
        ("pedkg:hematopoietic-stem-cell-transplantation", "healthcareservice:blood-and-marrow-transplant")
    ]
    assert (
        transplant["predicate_id"] == "skos:exactMatch" and transplant["match_string"] == "snomedct:234336002"
    )
    eye = rows[("pedkg:ophthalmology", "organization:eye-clinic")]
    assert (
        eye["mapping_justification"] == "semapv:MappingChaining"
        and eye["match_string"] == "snomedct:394594003"
    )
    pediatrics = rows[("pedkg:department-of-pediatrics", "organization:pediatrics")]
    assert (
        pediatrics["mapping_justification"] == "semapv:LexicalMatching"
        and pediatrics["match_string"] == "소아청소년과"
    )
    assert all(r["predicate_id"] in ("skos:exactMatch", "skos:closeMatch") for r in rows.values())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "not JSON"),
        ('{"resourceType": "Patient"}', "not a FHIR Bundle"),
        (
            '{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Organization", "id": "a"}}]}',
            "fullUrl",
        ),
        (
            '{"resourceType": "Bundle", "entry": [{"fullUrl": "urn:uuid:1", "resource": '
            '{"resourceType": "Organization", "id": "a", "partOf": {"reference": "Organization/b"}}}]}',
            "names no entry",
        ),
    ],
)
def test_a_broken_bundle_is_refused_with_its_line(tmp_path: Path, text: str, reason: str):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as failure:
        list(fhir_bundle.read(path).triples)
    assert reason in str(failure.value) and failure.value.problem.line >= 1


def test_a_broken_bundle_leaves_the_store_as_it_was(linked: Path, tmp_path: Path):
    path = tmp_path / "dangling.json"
    path.write_text(
        '{"resourceType": "Bundle", "type": "collection", "entry": [\n  {"fullUrl": "urn:uuid:1", "resource":\n'
        '   {"resourceType": "Organization", "name": "A", "partOf": {"reference": "Organization/nowhere"}}}]}\n',
        encoding="utf-8",
    )
    done = run(linked, "import", str(path), "--graph", "dangling")
    assert (
        done.returncode == 1 and "dangling.json:3:" in done.stderr and "Organization/nowhere" in done.stderr
    )
    assert "dangling" not in run(linked, "graphs").stdout
