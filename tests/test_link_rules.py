"""``pedkg link`` on graphs in the shapes of real ontologies: xrefs, synonyms, refusals, rows a reviewer can judge.

The graphs (``link_shapes``) hold real Disease Ontology, OncoTree and MONDO names and codes;
each test runs the real command line on a copy of the built store.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from link_shapes import (
    DO_CLASSES,
    OBSOLETE_DO,
    ONCOTREE_NS,
    ONCOTREE_TYPES,
    do_turtle,
    mondo_turtle,
    oncotree_turtle,
)
from other_hospital import copy_store, load_graph, run, sssom_py_problems, table_rows
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.mapping import false_friends, refusals
from pedkg.mapping import sssom as mappings

HOSPITAL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/hospital/> .
# A fictional hospital's list. Its "Hodgkin lymphoma" carries NCIt C3211, which OncoTree and the
# Disease Ontology give non-Hodgkin lymphoma: a coding error a reviewer must see.
ex:hodgkin rdfs:label "Hodgkin lymphoma"@en ; skos:exactMatch <http://purl.obolibrary.org/obo/NCIT_C3211> .
# Equal to the Disease Ontology's broad synonym of small intestine carcinoid neuroendocrine tumor.
ex:intestinal-carcinoid rdfs:label "intestinal carcinoid tumour"@en .
"""

# a later Disease Ontology graph: one class of the slim again, another DO class, and an OncoTree
# concept merged in; DOID:0081257 "astrocytoma, IDH-mutant, grade 3" (NCI:C129290) is from the
# same DO release as link_shapes.DO_CLASSES
DO_NEXT = (
    do_turtle(
        [
            ("769", "neuroblastoma", [], ["NCI:C3270"], None),
            ("0081257", "astrocytoma, IDH-mutant, grade 3", [], ["NCI:C129290"], None),
        ]
    )
    + f'<{ONCOTREE_NS}NBL> <http://www.w3.org/2004/02/skos/core#prefLabel> "Neuroblastoma"@en .\n'
)


# two NCIt concepts under their OBO PURLs, named as OncoTree names the types it gives these codes
NCIT = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://purl.obolibrary.org/obo/NCIT_C3270> rdfs:label "Neuroblastoma" .
<http://purl.obolibrary.org/obo/NCIT_C3269> rdfs:label "Schwannoma" .
"""


@pytest.fixture(scope="module")
def store(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("link-rules")
    link = copy_store(built[0].store, folder)
    for name, text in (
        ("do", do_turtle() + OBSOLETE_DO),
        ("oncotree", oncotree_turtle()),
        ("mondo", mondo_turtle()),
        ("hospital", HOSPITAL),
        ("do-next", DO_NEXT),
        ("ncit", NCIT),
    ):
        path = folder / f"{name}.ttl"
        path.write_text(text, encoding="utf-8")
        load_graph(link, name, path)
    return link


def linked(store: Path, folder: Path, source: str, target: str) -> tuple[Path, str]:
    """The proposals file of ``pedkg link`` and what it printed on stderr."""
    out = folder / f"{source}-{target}.sssom.tsv"
    done = run(store, "link", "--source", source, "--target", target, "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out, done.stderr


@pytest.fixture(scope="module")
def do_oncotree(store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return linked(store, tmp_path_factory.mktemp("do-oncotree"), "do", "oncotree")


def rows_by_pair(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["subject_id"], r["object_id"]): r for r in table_rows(path)}


def test_every_pair_sharing_an_xref_code_is_proposed_whatever_uri_prefix_names_it(do_oncotree):
    shared = set()
    for doid, _, _, xrefs, _ in DO_CLASSES:
        for code, _, _, nci, umls in ONCOTREE_TYPES:
            if (nci and f"NCI:{nci}" in xrefs) or (umls and f"UMLS_CUI:{umls}" in xrefs):
                shared.add((f"DOID:{doid}", code))
    assert len(shared) == 11  # NCI codes in NCIt's Thesaurus.owl IRIs, UMLS in linkedlifedata's
    rows = table_rows(do_oncotree[0])
    coded = {
        (r["subject_id"], r["object_id"].removeprefix("onc:"))
        for r in rows
        if r["mapping_justification"] == "semapv:MappingChaining"
    }
    assert coded == shared


def test_an_xref_is_a_close_match_unless_the_ontology_marks_it_exact(do_oncotree, store, tmp_path):
    for row in table_rows(do_oncotree[0]):
        if row["mapping_justification"] == "semapv:MappingChaining":
            assert (row["predicate_id"], row["confidence"]) == ("skos:closeMatch", "0.85")
            assert row["subject_match_field"] == "oboInOwl:hasDbXref"
            assert row["object_match_field"] == "skos:exactMatch"
    out, _ = linked(store, tmp_path, "mondo", "do")
    rows = rows_by_pair(out)
    # and none between the two obsolete classes, whose xref and label agree
    assert set(rows) == {("MONDO:0005072", "DOID:769"), ("MONDO:0005062", "DOID:0060058")}
    equivalent, plain = rows["MONDO:0005072", "DOID:769"], rows["MONDO:0005062", "DOID:0060058"]
    assert (equivalent["predicate_id"], equivalent["confidence"]) == ("skos:exactMatch", "0.95")
    assert (plain["predicate_id"], plain["confidence"]) == ("skos:closeMatch", "0.85")
    assert equivalent["match_string"] == "DOID:769"
    assert mappings.read(out).curie_map["oboInOwl"] == "http://www.geneontology.org/formats/oboInOwl#"


def test_names_that_differ_are_linked_by_the_code_and_a_synonym_says_why(do_oncotree):
    row = next(r for r in table_rows(do_oncotree[0]) if r["subject_label"] == "neurilemmoma")
    assert row["object_label"] == "Schwannoma" and row["match_string"] == "NCIT:C3269|umls:C0027809"
    assert "equal names 'schwannoma' (0.80)" in row["comment"]
    assert "names disagree" not in row["comment"]


def test_exact_and_related_synonyms_are_names_scored_by_kind(do_oncotree):
    rows = {r["subject_label"]: r for r in table_rows(do_oncotree[0])}
    related = rows["nephroblastoma"]  # only DO's related synonym "Wilms' tumor" names OncoTree's WT
    assert related["object_label"] == "Wilms' Tumor"
    assert (related["predicate_id"], related["mapping_justification"]) == (
        "skos:closeMatch",
        "semapv:LexicalMatching",
    )
    assert related["confidence"] == "0.6" and related["subject_match_field"] == "oboInOwl:hasRelatedSynonym"
    assert "equal names 'Hodgkin lymphoma' (0.80)" in rows["Hodgkin's lymphoma"]["comment"]


def refusal_rule(one: str, other: str) -> str:
    """The rule ``refusals.sift`` refuses two similar labels by: a word rule's, else not a variant."""
    reason = false_friends.refusal(one, other)
    if reason is not None:
        return refusals.rule(reason)
    assert not false_friends.spelling_variants(one, other)
    return refusals.NOT_A_VARIANT


def test_false_friends_are_refused_and_counted_by_rule(do_oncotree):
    path, stderr = do_oncotree
    pairs = set(rows_by_pair(path))
    for never in (("DOID:0060060", "HL"), ("DOID:8567", "NHL"), ("DOID:3373", "PEOS")):
        assert not {p for p in pairs if p[0] == never[0] and p[1].endswith(":" + never[1])}
    # what the word rules say about these names, whatever they call their rules
    expected = Counter(
        refusal_rule(one, other)
        for one, other in (
            ("non-Hodgkin lymphoma", "Hodgkin Lymphoma"),
            ("Hodgkin lymphoma", "Non-Hodgkin Lymphoma"),
            ("parosteal osteosarcoma", "Periosteal Osteosarcoma"),
        )
    )
    comment = str(mappings.read(path).metadata["comment"])
    for text in (stderr, comment):
        refused = text.split("refused: ", 1)[1]
        counted = {rule: int(n) for n, rule in re.findall(r"(\d+) ([^,()]+(?: \([^)]*\))?)(?=[,)])", refused)}
        for rule, n in expected.items():
            assert counted.get(rule, 0) >= n, (rule, text)


def test_rows_carry_the_object_s_parent_its_graph_and_a_warning_when_a_subject_has_several(do_oncotree):
    path, _ = do_oncotree
    rows = table_rows(path)
    neuroblastoma = next(r for r in rows if r["subject_id"] == "DOID:769")
    assert "object parent: Peripheral Nervous System" in neuroblastoma["comment"]
    assert neuroblastoma["mapping_cardinality"] == "1:1" and "warning" not in neuroblastoma["comment"]
    cancer = next(r for r in rows if r["subject_id"] == "DOID:162")  # OncoTree files it under brain tumours
    assert cancer["object_label"] == "Malignant Tumor"
    assert "object parent: Miscellaneous Brain Tumor" in cancer["comment"]
    medulloblastoma = [r for r in rows if r["subject_id"] == "DOID:0050902"]
    assert {r["object_label"] for r in medulloblastoma} == {
        "Medulloblastoma",
        "Primitive Neuroectodermal Tumor",
    }
    for row in medulloblastoma:
        assert row["comment"].startswith("warning: 2 targets proposed for this subject")
        assert row["mapping_cardinality"] == "1:n"
    assert mappings.read(path).metadata["object_source"] == "pkg:oncotree"


def test_a_shared_code_whose_names_disagree_is_kept_flagged_and_lowered(store, tmp_path):
    out, stderr = linked(store, tmp_path, "hospital", "do")
    rows = rows_by_pair(out)
    coded = rows["ex:hodgkin", "DOID:0060060"]
    reason = false_friends.disagree("Hodgkin lymphoma", "non-Hodgkin lymphoma")
    assert reason  # the word rules tell these two apart
    assert f"warning: names disagree: {reason}" in coded["comment"]
    assert (coded["predicate_id"], coded["confidence"]) == ("skos:closeMatch", "0.6")
    assert coded["mapping_justification"] == "semapv:MappingChaining"
    named = rows["ex:hodgkin", "DOID:8567"]  # its name is DO Hodgkin's lymphoma's exact synonym
    assert named["confidence"] == "0.8" and "names disagree" not in named["comment"]
    assert "warning: 2 targets proposed for this subject" in named["comment"]
    # the broad synonym of DOID:0050925 names something wider: never a proposal, counted
    assert not [p for p in rows if p[0] == "ex:intestinal-carcinoid"]
    assert f"1 {refusals.UNRELIABLE_SYNONYM}" in stderr


def test_no_pair_inside_one_ontology_is_proposed(store, tmp_path):
    out, stderr = linked(store, tmp_path, "do", "do-next")
    assert table_rows(out) == []
    assert "left out: 1 same IRI in both graphs" in stderr
    # DOID:0081256 grade 2 ~ DOID:0081257 grade 3: one namespace; DOID:769 ~ OncoTree's NBL:
    # both named in do-next, which merged them
    assert f"1 {refusals.SAME_NAMESPACE}" in stderr and f"1 {refusals.SAME_GRAPH}" in stderr


@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
def test_the_proposals_pass_sssom_py_s_validators(do_oncotree, caplog):
    assert sssom_py_problems(do_oncotree[0], caplog) == []


def test_already_mapped_pairs_are_counted(store, tmp_path):
    """Accept the MONDO rows, link again: nothing is proposed twice, and the count says so."""
    out, _ = linked(store, tmp_path, "mondo", "do")
    lines = out.read_text(encoding="utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    lines[header] += "\treviewer_label"
    lines[header + 1 :] = [ln + "\tA. Reviewer" for ln in lines[header + 1 :]]
    reviewed = tmp_path / "mondo-do.sssom.tsv"
    reviewed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy = copy_store(store, tmp_path / "copy")
    done = run(copy, "link", "--accept", str(reviewed))
    assert done.returncode == 0, done.stderr
    again = run(copy, "link", "--source", "mondo", "--target", "do")
    assert again.returncode == 0, again.stderr
    assert "0 proposal(s); left out: 2 already mapped" in again.stderr


def test_a_mapping_to_one_iri_of_a_code_covers_its_other_iris(store, tmp_path):
    """OncoTree maps NBL and SCHW to NCIt's Thesaurus.owl IRIs; NCIt under OBO PURLs is the same code."""
    out, stderr = linked(store, tmp_path, "oncotree", "ncit")
    assert table_rows(out) == []
    assert "left out: 2 already mapped" in stderr
