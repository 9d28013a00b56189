"""Curated and reviewed SSSOM files break the same rules with the same ``file:line: reason``.

A curated file is checked by ``pedkg validate`` (and ``pedkg build``), a reviewed one by
``pedkg link --accept``; both go through one reader and one row checker, so each breakage
below is tried in both kinds: exit code 1, the located reason on stderr, no crash trace,
and for ``--accept`` a store that did not change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from other_hospital import copy_store, run
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.namespaces import graph_iri
from pedkg.store.embedded import GraphStore

from conftest import pedkg

# (column, value written into it, the reason pedkg gives for that row)
BREAKAGES = {
    "see_also_as_text": (
        "see_also",
        "see the WHO browser",
        "see_also 'see the WHO browser' is not an IRI: Invalid IRI code point ' '",
    ),
    "unknown_justification": (
        "mapping_justification",
        "semapv:GutFeeling",
        "mapping_justification 'semapv:GutFeeling' is not a SEMAPV matching process",
    ),
    "curie_with_a_space": (
        "subject_id",
        "pedkg:neuro blastoma",
        "subject_id 'pedkg:neuro blastoma' does not expand to an IRI: Invalid IRI code point ' '",
    ),
    "curie_without_prefix": (
        "subject_id",
        "neuroblastoma",
        "subject_id 'neuroblastoma' is not a CURIE with a declared prefix",
    ),
    "curie_with_unknown_prefix": (
        "subject_id",
        "xx:neuroblastoma",
        "subject_id 'xx:neuroblastoma' is not a CURIE with a declared prefix",
    ),
}

REVIEWED = """\
# mapping_set_id: https://example.org/reviewed.sssom.tsv
# license: https://creativecommons.org/licenses/by/4.0/
# curie_map:
#   pedkg: "https://w3id.org/pedkg/"
#   semapv: "https://w3id.org/semapv/vocab/"
#   skos: "http://www.w3.org/2004/02/skos/core#"
subject_id\tpredicate_id\tobject_id\tmapping_justification\treviewer_label\tsee_also
pedkg:osteosarcoma\tskos:relatedMatch\tpedkg:germ-cell-tumor\tsemapv:ManualMappingCuration\tA. Reviewer\thttps://example.org/a
pedkg:neuroblastoma\tskos:relatedMatch\tpedkg:hepatoblastoma\tsemapv:ManualMappingCuration\tA. Reviewer\thttps://example.org/b
"""


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Write ``value`` into ``column`` of the table row on (1-based) ``line``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    columns = next(ln for ln in lines if not ln.startswith("#")).split("\t")
    cells = lines[line - 1].split("\t")
    cells[columns.index(column)] = value
    lines[line - 1] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def first_row(path: Path) -> int:
    """The 1-based line of the first row under the table's header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines) if not ln.startswith("#")) + 2


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_a_broken_curated_row_is_located_by_validate_and_build(project_copy: Path, breakage: str):
    column, value, reason = BREAKAGES[breakage]
    path = project_copy / "data/mappings/diseases.sssom.tsv"
    line = first_row(path)
    set_cell(path, line, column, value)
    for command in ("validate", "build"):
        result = pedkg(project_copy, command)
        assert result.returncode == 1, f"{command} accepted it:\n{result.stdout}{result.stderr}"
        assert f"{path}:{line}: {reason}" in result.stderr.splitlines(), result.stderr
        assert "Traceback" not in result.stderr
    assert not (project_copy / "var/store").exists()


@pytest.fixture(scope="module")
def store_link(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built store, which no test here may change."""
    return copy_store(built[0].store, tmp_path_factory.mktemp("reviewed"))


def test_the_reviewed_file_unbroken_is_accepted(tmp_path: Path, built: tuple[Settings, BuildReport]):
    link = copy_store(built[0].store, tmp_path / "copy")
    path = tmp_path / "reviewed.sssom.tsv"
    path.write_text(REVIEWED, encoding="utf-8")
    done = run(link, "link", "--accept", str(path))
    assert done.returncode == 0, done.stderr
    assert "loaded 2 mapping(s)" in done.stdout
    assert GraphStore.open_read_only(link).has_graph(graph_iri("links-reviewed"))


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_a_broken_reviewed_row_is_located_by_accept_and_changes_nothing(
    store_link: Path, tmp_path: Path, breakage: str
):
    column, value, reason = BREAKAGES[breakage]
    path = tmp_path / "reviewed.sssom.tsv"
    path.write_text(REVIEWED, encoding="utf-8")
    line = first_row(path) + 1
    set_cell(path, line, column, value)
    before = os.path.realpath(store_link)
    done = run(store_link, "link", "--accept", str(path))
    assert done.returncode == 1, done.stdout
    assert f"{path}:{line}: {reason}" in done.stderr.splitlines(), done.stderr
    assert "Traceback" not in done.stderr
    assert "nothing was changed" in done.stderr
    assert os.path.realpath(store_link) == before
    assert not GraphStore.open_read_only(store_link).has_graph(graph_iri("links-reviewed"))


def test_a_curie_map_entry_that_is_not_an_iri_is_located_on_its_line(store_link: Path, tmp_path: Path):
    path = tmp_path / "reviewed.sssom.tsv"
    path.write_text(REVIEWED.replace("#   skos:", '#   ex: "not-an-iri"\n#   skos:'), encoding="utf-8")
    done = run(store_link, "link", "--accept", str(path))
    assert done.returncode == 1, done.stdout
    expected = f"{path}:6: curie_map gives ex: as 'not-an-iri', which is not an IRI: No scheme found in an absolute IRI"
    assert expected in done.stderr.splitlines(), done.stderr
