"""Issue 14's "Done when", on ontologies no one here wrote (``tests/fixtures/linking/``).

The Disease Ontology cancer slim (RDF/XML, OBO-in-OWL synonyms and xref strings), OncoTree as
SKOS, MONDO in its OWL shape and MONDO's SSSOM mapping set are imported with the real
``pedkg import`` into a copy of the built store and linked with the real ``pedkg link``. What
the proposals must contain is computed here from the fixture files themselves (parsed with
pyoxigraph, codes normalised with the Bioregistry), never from a run of the linker:

- every pair that shares a cross-reference code is proposed;
- none of the false friends of issue 14 is (``FALSE_FRIENDS``, names checked against the files);
- no pair has both ends in one ontology;
- each row names its object's parent and graph, and a row whose subject name equals several
  targets' names carries the multiple-match warning.

How a row shows a parent, a graph or a warning, and how ``link`` reports what it left out, is
read by the functions in the first section: adapt them there when the row format changes.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import yaml
from flask import Flask

from other_hospital import copy_store, load_graph, run
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.web import create_app

if TYPE_CHECKING:
    import curies

FIXTURES = Path(__file__).parent / "fixtures" / "linking"
DOID = FIXTURES / "doid-cancer.owl"
ONCOTREE = FIXTURES / "oncotree.ttl"
MONDO = FIXTURES / "mondo-subset.owl"
MONDO_SSSOM = FIXTURES / "mondo.sssom.tsv"

OBO = "http://purl.obolibrary.org/obo/"
OT = "http://oncotree.mskcc.org/api/tumorTypes/search/code/"
PEDKG = "https://w3id.org/pedkg/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
OWL = "http://www.w3.org/2002/07/owl#"
SSSOM = "https://w3id.org/sssom/"

# --- How a proposal row says what the reviewer needs (one place to adapt) -------------------------


def parent_label(row: dict[str, str]) -> str:
    """The label(s) of the object's parent(s) the row shows: ``comment`` "object parent: A | B"."""
    found = re.search(r"object parent: ([^;]+?)(?:; |$)", row.get("comment", ""))
    return found.group(1).strip() if found else ""


def object_graph(row: dict[str, str]) -> str:
    """The graph the object was found in: the row's ``object_source``, else the set's (SSSOM
    propagates set-level slots to every row; ``Proposals`` does so)."""
    return row.get("object_source", "")


def has_multi_match_warning(row: dict[str, str]) -> bool:
    """Whether the row warns that its subject matches several targets."""
    return bool(re.search(r"warning: \d+ targets proposed for this subject", row.get("comment", "")))


def left_out(stderr: str) -> dict[str, int]:
    """What ``pedkg link`` says it left out: "left out: N already mapped; refused: M (by rule)"."""
    counts = {}
    if found := re.search(r"left out: (\d+) already mapped", stderr):
        counts["already mapped"] = int(found.group(1))
    if found := re.search(r"refused: (\d+)", stderr):
        counts["refused"] = int(found.group(1))
    return counts


# --- Issue 14's false friends: pairs that must never be proposed ---------------------------------

#: (subject, object, subject label, object label) as the fixture files write them
FALSE_FRIENDS = {
    "non-Hodgkin ~ Hodgkin": [
        ("DOID_0060060", "HL", "non-Hodgkin lymphoma", "Hodgkin Lymphoma"),
        ("DOID_8567", "NHL", "Hodgkin's lymphoma", "Non-Hodgkin Lymphoma"),
    ],
    "B- ~ T-lymphoblastic": [
        ("DOID_0080630", "TLL", "B-lymphoblastic leukemia/lymphoma", "T-Lymphoblastic Leukemia/Lymphoma"),
        ("DOID_5603", "BLL", "T-cell acute lymphoblastic leukemia", "B-Lymphoblastic Leukemia/Lymphoma"),
    ],
    "hyperdiploidy ~ hypodiploidy": [
        (
            "DOID_0080646",
            "BLLHYPO",
            "B-lymphoblastic leukemia/lymphoma with hyperdiploidy",
            "B-Lymphoblastic Leukemia/Lymphoma with Hypodiploidy",
        ),
        (
            "DOID_0080647",
            "BLLHYPER",
            "B-lymphoblastic leukemia/lymphoma with hypodiploidy",
            "B-Lymphoblastic Leukemia/Lymphoma with Hyperdiploidy",
        ),
    ],
    "astrocytoma grade 2 ~ 3 ~ 4": [
        (doid, code, f"astrocytoma, IDH-mutant, grade {a}", f"Astrocytoma, IDH-Mutant, Grade {b}")
        for doid, a in (("DOID_0081256", 2), ("DOID_0081257", 3), ("DOID_0080877", 4))
        for code, b in (("ASTR2", 2), ("ASTR3", 3), ("ASTR4", 4))
        if a != b
    ],
    "parosteal ~ periosteal osteosarcoma": [
        ("DOID_3373", "PEOS", "parosteal osteosarcoma", "Periosteal Osteosarcoma"),
    ],
    "mature ~ immature teratoma": [
        ("DOID_6231", "OIMT", "mature teratoma of the ovary", "Immature Teratoma"),
        *(("DOID_5563", code, "malignant teratoma", "Mature Teratoma") for code in ("OMT", "BMT", "VMT")),
    ],
}
#: MONDO against OncoTree
MONDO_FALSE_FRIENDS = {
    "rectal ~ renal neuroendocrine tumour": [
        ("MONDO_0015068", "RNET", "rectal neuroendocrine tumor", "Renal Neuroendocrine Tumor"),
    ],
    "Wilms tumor N (inherited) ~ Wilms' tumour": [
        (mondo, "WT", f"Wilms tumor {n}", "Wilms' Tumor")
        for mondo, n in (
            ("MONDO_0008679", 1),
            ("MONDO_0008680", 2),
            ("MONDO_0008683", 3),
            ("MONDO_0011056", 4),
        )
    ],
}


# --- What the fixture files say, read without pedkg -----------------------------------------------


@cache
def graph(path: Path) -> tuple[ox.Triple, ...]:
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.RDF_XML
    return tuple(ox.parse(path=str(path), format=fmt))


def values(path: Path, *predicates: str) -> dict[str, list[ox.NamedNode | ox.Literal]]:
    """subject IRI -> objects of the given predicates, in one file."""
    found: dict[str, list[ox.NamedNode | ox.Literal]] = defaultdict(list)
    wanted = set(predicates)
    for triple in graph(path):
        if triple.predicate.value in wanted and isinstance(triple.subject, ox.NamedNode):
            assert isinstance(triple.object, ox.NamedNode | ox.Literal)
            found[triple.subject.value].append(triple.object)
    return found


def labels(path: Path) -> dict[str, str]:
    return {s: os[0].value for s, os in values(path, RDFS + "label", SKOS + "prefLabel").items()}


def names(path: Path) -> dict[str, set[str]]:
    """Each class's label and exact synonyms, case and spacing folded."""
    found = values(path, RDFS + "label", SKOS + "prefLabel", OIO + "hasExactSynonym", SKOS + "altLabel")
    return {s: {" ".join(o.value.casefold().split()) for o in os} for s, os in found.items()}


def parents(path: Path) -> dict[str, list[str]]:
    found = values(path, RDFS + "subClassOf", SKOS + "broader")
    return {s: [o.value for o in os if isinstance(o, ox.NamedNode)] for s, os in found.items()}


@cache
def bioregistry_converter() -> curies.Converter:
    import bioregistry

    return bioregistry.get_default_converter()


def code_of_iri(iri: str) -> str | None:
    """The Bioregistry CURIE of an IRI (``ncit:C3208``), whichever registered URI prefix it uses."""
    return bioregistry_converter().compress(iri, strict=False)


def code_of_xref(xref: str) -> str | None:
    """The Bioregistry CURIE of a cross-reference string (``NCI:C3208`` -> ``ncit:C3208``)."""
    import bioregistry

    return bioregistry.normalize_curie(xref)


def codes(path: Path) -> dict[str, set[str]]:
    """Each class's codes: its cross-reference strings and the IRIs it is an exact match of."""
    found: dict[str, set[str]] = defaultdict(set)
    for subject, objects in values(path, OIO + "hasDbXref", SKOS + "exactMatch").items():
        for obj in objects:
            code = code_of_iri(obj.value) if isinstance(obj, ox.NamedNode) else code_of_xref(obj.value)
            if code:
                found[subject].add(code)
    return found


def sharing_a_code(subjects: Path, objects: Path) -> set[tuple[str, str]]:
    by_code: dict[str, set[str]] = defaultdict(set)
    for obj, its_codes in codes(objects).items():
        for code in its_codes:
            by_code[code].add(obj)
    named = labels(objects)
    return {
        (subject, obj)
        for subject, its_codes in codes(subjects).items()
        if subject in labels(subjects)
        for code in its_codes
        for obj in by_code.get(code, ())
        if obj in named
    }


def namespace(iri: str) -> str:
    """The ontology an IRI belongs to: its Bioregistry prefix, else its IRI up to the last / or #."""
    curie = code_of_iri(iri)
    return curie.split(":")[0] if curie else re.sub(r"[^/#]*$", "", iri)


# --- The store and the runs -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store with the fixtures imported, MONDO's classes in two graphs."""
    link = copy_store(built[0].store, tmp_path_factory.mktemp("real-shapes"))
    for name, path in (("doid", DOID), ("oncotree", ONCOTREE), ("mondo", MONDO), ("mondo-again", MONDO)):
        load_graph(link, name, path)
    return link


class Proposals:
    """One run of ``pedkg link``: its rows (subject and object expanded to IRIs) and its messages."""

    def __init__(self, store: Path, folder: Path, source: str, target: str) -> None:
        out = folder / f"{source}-{target}.sssom.tsv"
        done = run(store, "link", "--source", source, "--target", target, "-o", str(out))
        assert done.returncode == 0, done.stderr
        self.stderr = done.stderr
        lines = out.read_text(encoding="utf-8").splitlines()
        curie_map = dict(
            re.findall(
                r"^#\s+(\S+): '?([^'\s]+)'?$", "\n".join(ln for ln in lines if ln.startswith("#")), re.M
            )
        )
        metadata = yaml.safe_load("\n".join(ln[1:] for ln in lines if ln.startswith("#")))
        self.rows = list(csv.DictReader((ln for ln in lines if not ln.startswith("#")), delimiter="\t"))
        for row in self.rows:
            row.setdefault("object_source", metadata.get("object_source", ""))
            row["subject"] = expand(row["subject_id"], curie_map)
            row["object"] = expand(row["object_id"], curie_map)

    def pairs(self) -> set[tuple[str, str]]:
        return {(r["subject"], r["object"]) for r in self.rows}

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.rows)


def expand(curie: str, curie_map: dict[str, str]) -> str:
    prefix, _, local = curie.partition(":")
    return curie_map[prefix] + local if prefix in curie_map else curie


@pytest.fixture(scope="module")
def do_to_oncotree(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Proposals:
    return Proposals(store, tmp_path_factory.mktemp("do-oncotree"), "doid", "oncotree")


@pytest.fixture(scope="module")
def mondo_to_oncotree(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Proposals:
    return Proposals(store, tmp_path_factory.mktemp("mondo-oncotree"), "mondo", "oncotree")


# --- The fixtures are what they claim to be -------------------------------------------------------


def test_the_fixtures_hold_the_cases_the_tests_need():
    assert len(labels(ONCOTREE)) == 548 and len(labels(DOID)) == 291 and len(labels(MONDO)) == 394
    assert len(sharing_a_code(DOID, ONCOTREE)) > 150
    assert (OBO + "DOID_3192", OT + "SCHW") in sharing_a_code(DOID, ONCOTREE)  # neurilemmoma / Schwannoma
    for table, subjects in ((FALSE_FRIENDS, DOID), (MONDO_FALSE_FRIENDS, MONDO)):
        for kind, pairs in table.items():
            for subject, code, subject_label, object_label in pairs:
                assert labels(subjects)[OBO + subject] == subject_label, kind
                assert labels(ONCOTREE)[OT + code] == object_label, kind
                assert (OBO + subject, OT + code) not in sharing_a_code(subjects, ONCOTREE), kind


# --- Done when: every pair that shares an xref code is proposed -----------------------------------


def test_every_do_oncotree_pair_sharing_an_xref_code_is_proposed(do_to_oncotree: Proposals):
    expected = sharing_a_code(DOID, ONCOTREE)
    missing = sorted(expected - do_to_oncotree.pairs())
    assert not missing, (
        f"{len(missing)} of {len(expected)} pairs sharing a code not proposed, e.g. {missing[:5]}"
    )


def test_every_mondo_oncotree_pair_sharing_an_xref_code_is_proposed(mondo_to_oncotree: Proposals):
    """MONDO writes NCIt codes as ``NCIT:C…`` strings and IRIs, UMLS as linkedlifedata.com IRIs."""
    expected = sharing_a_code(MONDO, ONCOTREE)
    assert expected
    missing = sorted(expected - mondo_to_oncotree.pairs())
    assert not missing, (
        f"{len(missing)} of {len(expected)} pairs sharing a code not proposed, e.g. {missing[:5]}"
    )


def test_a_pair_found_only_through_a_synonym_and_an_xref_is_proposed(do_to_oncotree: Proposals):
    """DO's "neurilemmoma" is OncoTree's "Schwannoma" only by its exact synonym and NCI:C3269."""
    assert (OBO + "DOID_3192", OT + "SCHW") in do_to_oncotree.pairs()


# --- Done when: none of the false-friend kinds is proposed ----------------------------------------


@pytest.mark.parametrize("kind", sorted(FALSE_FRIENDS))
def test_no_false_friend_between_do_and_oncotree(kind: str, do_to_oncotree: Proposals):
    proposed = do_to_oncotree.pairs()
    wrong = [(s, o) for s, o, *_ in FALSE_FRIENDS[kind] if (OBO + s, OT + o) in proposed]
    assert not wrong, f"{kind}: {wrong}"


@pytest.mark.parametrize("kind", sorted(MONDO_FALSE_FRIENDS))
def test_no_false_friend_between_mondo_and_oncotree(kind: str, mondo_to_oncotree: Proposals):
    proposed = mondo_to_oncotree.pairs()
    wrong = [(s, o) for s, o, *_ in MONDO_FALSE_FRIENDS[kind] if (OBO + s, OT + o) in proposed]
    assert not wrong, f"{kind}: {wrong}"


def test_thrombocytopenia_is_not_proposed_as_an_inherited_numbered_form(store: Path, tmp_path: Path):
    """The division's thrombocytopenia against MONDO's "thrombocytopenia 1" ... "thrombocytopenia 10"."""
    numbered = {iri for iri, label in labels(MONDO).items() if re.fullmatch(r"thrombocytopenia \d+", label)}
    assert len(numbered) >= 8
    proposed = Proposals(store, tmp_path, "division", "mondo").pairs()
    assert not {o for s, o in proposed if s == PEDKG + "thrombocytopenia"} & numbered


# --- Done when: no pair inside one ontology --------------------------------------------------------


def test_two_graphs_holding_the_same_ontology_get_no_pair(store: Path, tmp_path: Path):
    """MONDO's classes in pkg:mondo and pkg:mondo-again: "Noonan syndrome 1" ~ "Noonan syndrome 2" and
    every class with itself were proposed; no pair of one ontology may be."""
    rows = Proposals(store, tmp_path, "mondo", "mondo-again")
    inside = [
        (r["subject_id"], r["object_id"]) for r in rows if namespace(r["subject"]) == namespace(r["object"])
    ]
    assert not inside, f"{len(inside)} pairs inside MONDO, e.g. {inside[:5]}"


def test_no_proposal_has_both_ends_in_one_ontology(do_to_oncotree: Proposals, mondo_to_oncotree: Proposals):
    for proposals in (do_to_oncotree, mondo_to_oncotree):
        assert proposals.rows
        assert not [r for r in proposals if namespace(r["subject"]) == namespace(r["object"])]


# --- Done when: rows carry the parent label and graph, and the multiple-match warning -------------


def test_every_row_names_its_object_s_parent_and_graph(
    do_to_oncotree: Proposals, mondo_to_oncotree: Proposals
):
    broader, named = parents(ONCOTREE), labels(ONCOTREE)
    for proposals in (do_to_oncotree, mondo_to_oncotree):
        for row in proposals:
            expected = {named[p] for p in broader.get(row["object"], [])} or {""}
            assert parent_label(row) in expected, (
                row["subject_id"],
                row["object_id"],
                parent_label(row),
                expected,
            )
            assert "oncotree" in object_graph(row), (row["object_id"], object_graph(row))


def test_the_brain_s_malignant_lymphoma_row_shows_its_brain_tumour_parent(do_to_oncotree: Proposals):
    """DO's lymphoma shares NCI:C3208 with OncoTree's "Malignant Lymphoma" under "Miscellaneous Brain Tumor"."""
    row = next(
        r for r in do_to_oncotree if (r["subject"], r["object"]) == (OBO + "DOID_0060058", OT + "MLYM")
    )
    assert parent_label(row) == "Miscellaneous Brain Tumor"


def test_a_name_matching_several_targets_is_flagged(do_to_oncotree: Proposals):
    """DO's "Immature teratoma" (an exact synonym of malignant teratoma) names three OncoTree types."""
    target_names = names(ONCOTREE)
    by_name: dict[str, set[str]] = defaultdict(set)
    for target, its_names in target_names.items():
        for name in its_names:
            by_name[name].add(target)
    several = {
        (subject, target)
        for subject, its_names in names(DOID).items()
        for name in its_names
        if len(by_name.get(name, ())) > 1
        for target in by_name[name]
    }
    rows = [r for r in do_to_oncotree if (r["subject"], r["object"]) in several]
    assert {(OBO + "DOID_5563", OT + code) for code in ("OIMT", "BIMT", "VIMT")} <= {
        (r["subject"], r["object"]) for r in rows
    }
    unflagged = [(r["subject_id"], r["object_id"]) for r in rows if not has_multi_match_warning(r)]
    assert not unflagged


# --- link says what it left out --------------------------------------------------------------------


def test_link_counts_the_pairs_it_refused_and_those_already_mapped(store: Path, tmp_path: Path):
    """A curator's decision that DO's osteosarcoma is OncoTree's: that pair is left out, and counted."""
    decided = tmp_path / "decided.ttl"
    decided.write_text(f"<{OBO}DOID_3347> <{SKOS}exactMatch> <{OT}OS> .\n", encoding="utf-8")
    copy = copy_store(store, tmp_path / "copy")
    load_graph(copy, "decided", decided)
    proposals = Proposals(copy, tmp_path, "doid", "oncotree")
    assert (OBO + "DOID_3347", OT + "OS") not in proposals.pairs()
    counts = left_out(proposals.stderr)
    assert counts.get("already mapped", 0) >= 1, proposals.stderr
    assert counts.get("refused", 0) >= 1, proposals.stderr  # the fixtures hold false friends to refuse


# --- pedkg import of MONDO's SSSOM mapping set (needs the SSSOM importer) -------------------------


@pytest.fixture(scope="module")
def with_mondo_mappings(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = copy_store(store, tmp_path_factory.mktemp("mondo-sssom"))
    done = run(copy, "import", str(MONDO_SSSOM), "--graph", "mondo-mappings")
    assert done.returncode == 0, done.stderr
    return copy


def sssom_rows() -> list[dict[str, str]]:
    lines = MONDO_SSSOM.read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader((ln for ln in lines if not ln.startswith("#")), delimiter="\t"))


def test_import_of_mondo_s_sssom_set_stores_every_row_as_a_mapping(with_mondo_mappings: Path):
    from pedkg.store.embedded import GraphStore

    store = GraphStore.open_read_only(with_mondo_mappings)
    count = f"""SELECT (COUNT(DISTINCT ?axiom) AS ?n) WHERE {{ GRAPH <{PEDKG}graph/mondo-mappings> {{
        ?axiom <{OWL}annotatedSource> ?s ; <{OWL}annotatedTarget> ?o ; <{SSSOM}mapping_justification> ?j }} }}"""
    solutions = store.query(count)
    assert isinstance(solutions, ox.QuerySolutions)
    assert int(next(iter(solutions))["n"].value) == len(sssom_rows()) == 618
    first = sssom_rows()[0]
    asked = f"""ASK {{ ?axiom <{OWL}annotatedSource> <{OBO}{first["subject_id"].replace(":", "_")}> ;
        <{OWL}annotatedProperty> <{SKOS}exactMatch> ;
        <{OWL}annotatedTarget> <{OBO}{first["object_id"].replace(":", "_")}> }}"""
    assert bool(store.query(asked))


@pytest.fixture(scope="module")
def app(with_mondo_mappings: Path) -> Iterator[Flask]:
    application = create_app(Settings.from_env({}, store=with_mondo_mappings))
    yield application
    application.extensions["pedkg"].pool.close()


def test_mondo_s_mappings_show_on_the_mappings_page_and_the_pages_of_their_ends(app: Flask):
    first = sssom_rows()[0]  # MONDO:0000386 skos:exactMatch DOID:0050626
    client = app.test_client()
    page = client.get("/mappings?lang=en").get_data(as_text=True)
    assert first["subject_id"] in page and first["object_id"] in page
    end = client.get("/resource", query_string={"iri": OBO + first["object_id"].replace(":", "_")})
    assert end.status_code == 200
    assert first["subject_id"] in end.get_data(as_text=True)
