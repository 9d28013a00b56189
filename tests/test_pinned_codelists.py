"""Disciplines mapped to SNOMED CT practice settings, NUCC and MeSH, checked against the lists pinned in data/sources."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pedkg.config import PROJECT_ROOT
from pedkg.errors import InputError
from pedkg.ingest import codelist_nucc, codelist_pinned
from pedkg.ingest.codelists import check_code
from pedkg.mapping import sssom
from test_validate import edit, line_of

from conftest import pedkg

MAPPINGS = PROJECT_ROOT / "data" / "mappings"
DISCIPLINES = MAPPINGS / "disciplines.sssom.tsv"
SOURCES = PROJECT_ROOT / "data" / "sources"
SUBJECTS = {
    "department-of-pediatrics",
    "hemato-oncology-division",
    "pediatric-neurosurgery",
    "surgery",
    "orthopedics",
    "ophthalmology",
    "thoracic-surgery",
    "urology",
    "pathology",
    "radiology",
    "laboratory-medicine",
    "nuclear-medicine",
    "pediatric-palliative-care-team",
}


def rows(path: Path) -> list[sssom.MappingRow]:
    return list(sssom.read(path).rows)


def test_disciplines_cover_every_department_and_team_per_vocabulary():
    found = rows(DISCIPLINES)
    per_vocabulary = Counter(row["object_id"].partition(":")[0] for row in found)
    assert per_vocabulary == {"mesh": 21, "nucc.taxonomy": 13, "snomedct": 4}
    assert {row["subject_id"].removeprefix("pedkg:") for row in found} == SUBJECTS
    nucc = {row["subject_id"].removeprefix("pedkg:") for row in found if row["object_id"].startswith("nucc")}
    assert nucc == SUBJECTS  # every department and team has its NUCC specialty


def test_every_pinned_row_of_every_mapping_file_agrees_with_its_pinned_list():
    checked = Counter()
    for path in sorted(MAPPINGS.glob("*.sssom.tsv")):
        for row in rows(path):
            prefix, _, code = row["object_id"].partition(":")
            see_also = row.values_of("see_also")
            if prefix == "nucc.taxonomy" or codelist_pinned.pinned_for(prefix, see_also):
                assert check_code(prefix, code, row["object_label"], SOURCES, see_also).ok, row.line
                checked[prefix] += 1
    # the organisations' seven SNOMED CT rows and the diseases' 17 MeSH rows are checked too
    assert checked == {"snomedct": 11, "nucc.taxonomy": 13, "mesh": 38}


def test_pinned_lists_hold_what_their_readme_says():
    snomed = codelist_pinned.labels(SOURCES / "snomedct-practice-codes.tsv", "code", "display")
    assert sum(len(v) for v in snomed.values()) == 117 and len(snomed) == 115
    assert snomed["394612005"] == {"Urology"}
    nucc = codelist_nucc.codes(SOURCES)
    assert len(nucc) == 883
    assert nucc["2080P0207X"].name == "Pediatric Hematology-Oncology"
    assert codelist_nucc.display_name("208800000X", SOURCES) == "Urology Physician"


def test_a_pinned_list_that_is_malformed_is_refused_with_its_line(tmp_path):
    path = tmp_path / "list.tsv"
    path.write_text("# where from\ncode\tdisplay\n1\tone\n2\ttwo\tthree\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        codelist_pinned.read_rows(path)
    assert str(caught.value) == f"{path}:4: 3 columns where the header has 2"


def a_nucc_label_that_drifted(project: Path) -> tuple[Path, str, str]:
    path = project / "data/mappings/disciplines.sssom.tsv"
    edit(path, "nucc.taxonomy:208800000X\tUrology\t", "nucc.taxonomy:208800000X\tUrology Physician\t")
    reason = (
        "nucc.taxonomy:208800000X is named 'Urology' in the NUCC provider taxonomy, not 'Urology Physician'"
    )
    return path, "nucc.taxonomy:208800000X", reason


def a_nucc_code_not_in_the_code_set(project: Path) -> tuple[Path, str, str]:
    path = project / "data/mappings/disciplines.sssom.tsv"
    edit(path, "nucc.taxonomy:2080P0207X\t", "nucc.taxonomy:2080P0299X\t")
    reason = "nucc.taxonomy:2080P0299X is not in the NUCC provider taxonomy 25.1"
    return path, "nucc.taxonomy:2080P0299X", reason


def a_snomed_practice_code_of_another_display(project: Path) -> tuple[Path, str, str]:
    path = project / "data/mappings/disciplines.sssom.tsv"
    edit(path, "snomedct:394806003\t", "snomedct:394882004\t")
    reason = "snomedct:394882004 is 'Pain management' in the FHIR R4 c80-practice-codes (SNOMED CT), not 'Palliative medicine'"
    return path, "snomedct:394882004", reason


def an_organisation_snomed_code_not_in_the_value_set(project: Path) -> tuple[Path, str, str]:
    path = project / "data/mappings/organizations.sssom.tsv"
    edit(path, "snomedct:394612005\t", "snomedct:394612006\t")
    reason = "snomedct:394612006 is not in the FHIR R4 c80-practice-codes (SNOMED CT)"
    return path, "snomedct:394612006", reason


def a_pinned_mesh_heading_that_drifted(project: Path) -> tuple[Path, str, str]:
    edit(project / "data/sources/mesh-descriptors.tsv", "D014572\tUrology\n", "D014572\tUrologic Diseases\n")
    path = project / "data/mappings/disciplines.sssom.tsv"
    reason = "mesh:D014572 is 'Urologic Diseases' in the pinned MeSH 2019 descriptors, not 'Urology'"
    return path, "mesh:D014572", reason


@pytest.mark.parametrize(
    "drift",
    [
        a_nucc_label_that_drifted,
        a_nucc_code_not_in_the_code_set,
        a_snomed_practice_code_of_another_display,
        an_organisation_snomed_code_not_in_the_value_set,
        a_pinned_mesh_heading_that_drifted,
    ],
    ids=lambda f: f.__name__,
)
def test_a_code_or_label_that_drifts_from_its_pinned_source_fails_validation(project_copy, drift):
    path, code, reason = drift(project_copy)
    result = pedkg(project_copy, "validate")
    assert result.returncode == 1, result.stdout
    assert f"{path}:{line_of(path, code)}: {reason}" in result.stderr, result.stderr
