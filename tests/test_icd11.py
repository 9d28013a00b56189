"""ICD-11 rows: every id, title and MMS code agrees with the pinned WHO MMS 2024-01 excerpt."""

from __future__ import annotations

import re

import pytest

from pedkg.config import PROJECT_ROOT
from pedkg.ingest import codelists
from pedkg.ingest.codelist_icd11 import EXCERPT, mms_entries
from pedkg.mapping import sssom

ICD11_FILE = PROJECT_ROOT / "data" / "mappings" / "icd11.sssom.tsv"
ROWS = sssom.read(ICD11_FILE).rows
MMS_CODE = re.compile(r"^MMS (code|block) (\S+):")


def test_every_disease_with_an_icd11_entity_is_mapped():
    subjects = {row["subject_id"] for row in ROWS}
    assert len(subjects) == 15
    assert "pedkg:other-childhood-cancers" not in subjects  # a residual group with no code
    assert "pedkg:germ-cell-tumor" not in subjects  # MMS has only site-bound germ cell categories


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row['subject_id']}>{row['object_id']}")
def test_id_title_and_mms_code_agree_with_the_excerpt(row):
    foundation_id = row["object_id"].removeprefix("icd11:")
    assert codelists.check_code("icd11", foundation_id, row["object_label"]).ok
    stated = MMS_CODE.match(row["comment"])
    assert stated, f"line {row.line}: the comment does not start with the MMS code"
    entry = mms_entries()[foundation_id]
    assert stated.group(2) == entry.code
    assert (stated.group(1) == "block") == (entry.kind == "block")


def test_a_drifted_title_or_an_unknown_id_is_refused():
    drifted = codelists.check_code("icd11", "683583694", "Thrombocytopaenia")
    assert drifted.reason == (
        "icd11:683583694 (3B64) is titled 'Thrombocytopenia' in ICD-11 MMS 2024-01, not 'Thrombocytopaenia'"
    )
    assert "not in the pinned ICD-11 MMS 2024-01 excerpt" in str(
        codelists.check_code("icd11", "1", "x").reason
    )
    assert "does not match the icd11 pattern" in str(codelists.check_code("icd11", "2B51", "x").reason)


def test_the_excerpt_is_the_who_file_s_rows_with_foundation_ids_only():
    lines = EXCERPT.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == [
        "Foundation URI",
        "Linearization URI",
        "Code",
        "BlockId",
        "Title",
        "ClassKind",
    ]
    for line in lines[1:]:
        foundation, linearization, *_ = line.split("\t")
        assert foundation.startswith("http://id.who.int/icd/entity/")
        assert linearization == "http://id.who.int/icd/release/11/mms/" + foundation.rsplit("/", 1)[1]
    assert {row["object_id"].removeprefix("icd11:") for row in ROWS} == set(mms_entries())
