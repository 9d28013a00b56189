"""``pedkg link``: proposals between the example hospital and the division, and accepting them."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from other_hospital import EXAMPLE, OH, copy_store, load_graph, run, sssom_py_problems, table_rows
from pedkg.config import Settings
from pedkg.ingest import sources
from pedkg.ingest.build import BuildReport
from pedkg.mapping import candidates, evidence, sssom_tsv
from pedkg.mapping import sssom as mappings
from pedkg.namespaces import EXTERNAL, graph_iri
from pedkg.store.embedded import GraphStore

# (subject, predicate, object, justification) of every proposal, division -> other hospital
EXPECTED = {
    # shared codes: ICD-10 C22.2 literal, MONDO:0009807 by sameAs, SNOMED CT 234336002 literal
    ("pedkg:hepatoblastoma", "skos:exactMatch", "oh:hepatoblastoma", "semapv:MappingChaining"),
    ("pedkg:osteosarcoma", "skos:exactMatch", "oh:osteogenic-sarcoma", "semapv:MappingChaining"),
    (
        "pedkg:hematopoietic-stem-cell-transplantation",
        "skos:exactMatch",
        "oh:stem-cell-transplant",
        "semapv:MappingChaining",
    ),
    # names: Korean only (신경모세포종, 안과), synonyms, both languages
    ("pedkg:neuroblastoma", "skos:closeMatch", "oh:neuroblastoma", "semapv:LexicalMatching"),
    ("pedkg:ophthalmology", "skos:closeMatch", "oh:eye-center", "semapv:LexicalMatching"),
    ("pedkg:leukemia", "skos:closeMatch", "oh:leukaemia", "semapv:LexicalMatching"),
    ("pedkg:thrombocytopenia", "skos:closeMatch", "oh:low-platelets", "semapv:LexicalMatching"),
    ("pedkg:radiology", "skos:closeMatch", "oh:imaging", "semapv:LexicalMatching"),
    ("pedkg:hemato-oncology-division", "skos:closeMatch", "oh:pediatric-oncology", "semapv:LexicalMatching"),
    # a plural: similar, not equal
    (
        "pedkg:germ-cell-tumor",
        "skos:closeMatch",
        "oh:germ-cell-tumours",
        "semapv:LexicalSimilarityThresholdMatching",
    ),
}
NEVER = (
    "renal-cell-carcinoma",
    "hodgkin-lymphoma",
    "leiomyosarcoma",
    "kawasaki-disease",
    "cardiology",
    "hospital",
)


@pytest.fixture(scope="module")
def linked(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store with the example hospital in pkg:other-hospital."""
    link = copy_store(built[0].store, tmp_path_factory.mktemp("linking"))
    load_graph(link, "other-hospital", EXAMPLE)
    return link


@pytest.fixture(scope="module")
def proposals(linked: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("proposals") / "division-other-hospital.sssom.tsv"
    done = run(linked, "link", "--source", "division", "--target", "other-hospital", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "10 proposal(s)" in done.stderr
    return out


def test_the_example_parses_and_the_build_does_not_load_it(store: GraphStore, built):
    assert len(list(ox.parse(path=str(EXAMPLE), format=ox.RdfFormat.TURTLE))) > 50
    assert not [s for s in sources.discover(built[0]) if "examples" in s.path.parts]
    assert not store.has_graph(graph_iri("other-hospital"))
    assert not list(store.query(f"SELECT ?p WHERE {{ <{OH}hospital> ?p ?o }}"))


def test_link_proposes_exactly_the_expected_mappings(proposals: Path):
    rows = table_rows(proposals)
    found = {(r["subject_id"], r["predicate_id"], r["object_id"], r["mapping_justification"]) for r in rows}
    assert found == EXPECTED
    assert not [r for r in rows if r["object_id"].removeprefix("oh:") in NEVER]


def test_each_proposal_says_why_with_a_score_an_author_and_the_tool(proposals: Path):
    rows = {r["object_id"]: r for r in table_rows(proposals)}
    korean = rows["oh:neuroblastoma"]
    assert korean["match_string"] == "신경모세포종" and korean["object_label"] == "신경모세포종"
    assert float(korean["confidence"]) == 0.9
    coded = rows["oh:hepatoblastoma"]
    assert coded["match_string"] == "icd10:C22.2" and float(coded["confidence"]) == 0.95
    assert "equal names" in coded["comment"]
    assert rows["oh:osteogenic-sarcoma"]["match_string"] == "MONDO:0009807"
    assert float(rows["oh:low-platelets"]["confidence"]) == 0.9
    similar = rows["oh:germ-cell-tumours"]
    assert 0.5 < float(similar["confidence"]) < 0.8 and float(similar["similarity_score"]) >= 0.9
    for row in rows.values():
        assert row["author_id"] == "pedkg:agent/pedkg-link"
        assert row["mapping_tool"] == "pedkg link" and row["mapping_tool_version"]
        assert row["subject_label"] and row["object_label"]


def test_the_metadata_declares_every_prefix_with_the_import_s_own(proposals: Path):
    curie_map = mappings.read(proposals).curie_map
    assert curie_map["oh"] == OH
    assert set(curie_map) == {"oh", "pedkg", "pkg", "skos", "semapv", "schema", "rdfs"}
    metadata = mappings.read(proposals).metadata
    assert metadata["subject_source"] == "pkg:division" and metadata["object_source"] == "pkg:other-hospital"


@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
def test_proposals_pass_sssom_py_s_validators(proposals: Path, caplog):
    assert sssom_py_problems(proposals, caplog) == []


def test_min_score_and_author(linked: Path):
    done = run(
        linked, "link", "--source", "division", "--target", "other-hospital",
        "--min-score", "0.92", "--author", "orcid:0000-0002-1825-0097",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = [ln for ln in done.stdout.splitlines() if not ln.startswith("#")]
    assert len(body) == 1 + 3  # the header and the three shared codes
    assert "orcid: https://orcid.org/" in done.stdout and "\torcid:0000-0002-1825-0097\t" in done.stdout


def test_curated_pairs_are_never_proposed(linked: Path, tmp_path: Path):
    """HP:0001903 is curated for pedkg:anemia: equal names do not propose it again, either way round."""
    sample = tmp_path / "terms.ttl"
    sample.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<http://purl.obolibrary.org/obo/HP_0001903> rdfs:label "Anemia"@en .\n'
        '<https://example.org/terms/anaemia> rdfs:label "Anaemia"@en .\n',
        encoding="utf-8",
    )
    link = copy_store(linked, tmp_path / "copy")
    load_graph(link, "terms", sample)
    for source, target in (("division", "terms"), ("terms", "division")):
        done = run(link, "link", "--source", source, "--target", target)
        assert done.returncode == 0, done.stderr
        assert "HP:0001903" not in done.stdout
        assert "pedkg:anemia" in done.stdout
        assert "#   ns1: https://example.org/terms/" in done.stdout  # a namespace nobody declared: derived
        assert "ns1:anaemia" in done.stdout


def test_an_unknown_graph_is_an_error(linked: Path):
    done = run(linked, "link", "--source", "division", "--target", "nope")
    assert done.returncode == 1
    assert "pkg:nope is not in the store" in done.stderr


def reviewed(proposals: Path, out: Path, reject: str = "oh:germ-cell-tumours") -> Path:
    """The proposals as a reviewer returns them: signed, one row rejected with predicate_modifier Not."""
    lines = proposals.read_text(encoding="utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    lines[header] += "\treviewer_label\tpredicate_modifier"
    for i in range(header + 1, len(lines)):
        lines[i] += "\tA. Reviewer\t" + ("Not" if f"\t{reject}\t" in lines[i] else "")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_accept_loads_reviewed_rows_and_linking_again_proposes_none_of_them(
    proposals: Path, linked: Path, tmp_path: Path
):
    link = copy_store(linked, tmp_path / "copy")
    accepted = reviewed(proposals, tmp_path / "other-hospital.sssom.tsv")
    done = run(link, "link", "--accept", str(accepted))
    assert done.returncode == 0, done.stderr
    assert (
        "loaded 9 mapping(s) and 1 rejection(s)" in done.stdout and "pkg:links-other-hospital" in done.stdout
    )
    store = GraphStore.open_read_only(link)
    graph = graph_iri("links-other-hospital")
    asked = f"""ASK {{ GRAPH <{graph}> {{
        <https://w3id.org/pedkg/neuroblastoma> <http://www.w3.org/2004/02/skos/core#closeMatch> <{OH}neuroblastoma> }} }}"""
    assert bool(store.query(asked))
    skos = "http://www.w3.org/2004/02/skos/core#"
    rejected = (
        f"ASK {{ <https://w3id.org/pedkg/germ-cell-tumor> <{skos}closeMatch> <{OH}germ-cell-tumours> }}"
    )
    assert not bool(store.query(rejected))
    kept = f"""ASK {{ ?axiom <http://www.w3.org/2002/07/owl#annotatedTarget> <{OH}germ-cell-tumours> ;
        <https://w3id.org/sssom/predicate_modifier> "Not" }}"""
    assert bool(store.query(kept))
    declared = f"""ASK {{ GRAPH <{graph_iri("imports")}> {{ <{graph}> <http://rdfs.org/ns/void#triples> ?n ;
        <http://www.w3.org/ns/shacl#declare> [ <http://www.w3.org/ns/shacl#prefix> "oh" ] }} }}"""
    assert bool(store.query(declared))
    again = run(link, "link", "--source", "division", "--target", "other-hospital")
    assert again.returncode == 0, again.stderr
    assert [ln for ln in again.stdout.splitlines() if ln.startswith("pedkg:")] == []


def test_a_broken_reviewed_file_reports_file_line_and_changes_nothing(
    proposals: Path, linked: Path, tmp_path: Path
):
    link = copy_store(linked, tmp_path / "copy")
    lines = reviewed(proposals, tmp_path / "x.sssom.tsv").read_text(encoding="utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    columns = lines[header].split("\t")

    def row(**values: str) -> str:
        return "\t".join(values.get(c, "") for c in columns)

    lines += [
        row(subject_id="pedkg:anemia", predicate_id="skos:exactMatch", object_id="HP:0001903",
            mapping_justification="semapv:ManualMappingCuration"),
        row(subject_id="pedkg:leukemia", predicate_id="skos:sameAs", object_id="xx:1",
            mapping_justification="semapv:LexicalMatching", reviewer_label="A. Reviewer"),
        row(subject_id="pedkg:lymphoma", predicate_id="skos:closeMatch", object_id="oh:hodgkin-lymphoma",
            mapping_justification="semapv:LexicalMatching"),
    ]  # fmt: skip
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = os.path.realpath(link)
    done = run(link, "link", "--accept", str(broken))
    assert done.returncode == 1
    first = len(lines) - 2  # 1-based line of the first added row
    messages = done.stderr.splitlines()
    assert (
        f"{broken}:{first}: pedkg:anemia and HP:0001903 are already related in pkg:mappings-diseases; "
        "curated mappings are never overwritten" in messages
    )
    assert f"{broken}:{first + 1}: object_id 'xx:1' is not a CURIE with a declared prefix" in messages
    assert any(m.startswith(f"{broken}:{first + 1}: predicate_id 'skos:sameAs'") for m in messages)
    assert (
        f"{broken}:{first + 2}: not reviewed: give reviewer_id or reviewer_label (a proposal is not a fact)"
        in messages
    )
    assert "nothing was changed" in done.stderr
    assert os.path.realpath(link) == before
    assert not GraphStore.open_read_only(link).has_graph(graph_iri("links-broken"))


ICD_C22_2 = "https://icd.who.int/browse10/2019/en#/C22.2"


@pytest.mark.parametrize(
    ("literal", "system", "shared"),
    [
        ("C22.2", "ICD-10", "icd10:C22.2"),
        ("C22.2", "http://hl7.org/fhir/sid/icd-10", "icd10:C22.2"),
        ("c22.2", "icd10", "icd10:C22.2"),
        ("icd10:C22.2", "", "icd10:C22.2"),  # a CURIE names its vocabulary itself
        ("C22.2", "SNOMED-CT", None),  # the right notation in the wrong vocabulary
        ("C22.2", "", None),  # a bare code without its coding system is ambiguous
        ("C22", "ICD-10", None),
        ("C22.2", "http://hl7.org/fhir/sid/icd-10-cm", None),  # the US modification is another list
    ],
)
def test_a_code_literal_matches_a_concept_only_in_the_vocabulary_it_names(literal, system, shared):
    concept = candidates.Tie("exact", "skos:exactMatch", concept=ICD_C22_2, notations=frozenset({"C22.2"}))
    code = candidates.Tie("exact", "schema:code", value=literal, system=system)
    assert evidence._shared_code(concept, code) == shared
    assert evidence._shared_code(code, concept) == shared


@pytest.mark.parametrize(
    ("system", "shared"),
    [
        ("http://hl7.org/fhir/sid/icd-10-cm", "icd10cm:C22.2"),
        ("ICD-10-CM", "icd10cm:C22.2"),
        ("ICD-10", None),
    ],
)
def test_an_icd10cm_code_literal_matches_only_an_icd10cm_concept(system, shared):
    concept = candidates.Tie(
        "exact", "skos:exactMatch", concept=EXTERNAL["icd10cm"] + "C22.2", notations=frozenset({"C22.2"})
    )
    code = candidates.Tie("exact", "schema:code", value="C22.2", system=system)
    assert evidence._shared_code(concept, code) == shared


def test_two_code_literals_match_when_value_and_system_agree():
    one = candidates.Tie("exact", "schema:code", value="C64", system="ICD-10")
    assert (
        evidence._shared_code(one, candidates.Tie("exact", "schema:code", value="C64", system="icd-10"))
        == "ICD-10 C64"
    )
    assert evidence._shared_code(one, candidates.Tie("exact", "schema:code", value="C64", system="")) is None


def test_every_iri_gets_a_prefix_in_the_curie_map():
    iris = [
        "https://example.org/a/x",
        "https://example.org/a/y",
        "urn:isbn:0451450523",
        "https://example.org/b/",
    ]
    prefixes = sssom_tsv.prefix_map(
        [*iris, "https://w3id.org/pedkg/anemia"], {"ex": "https://example.org/a/"}
    )
    assert prefixes == {
        "ex": "https://example.org/a/",
        "ns1": "https://example.org/b",
        "ns2": "urn:isbn:",
        "pedkg": "https://w3id.org/pedkg/",
    }
    mapping = sssom_tsv.Mapping(iris[0], "http://www.w3.org/2004/02/skos/core#closeMatch", iris[2], iris[3])
    assert "ex:x\tskos:closeMatch\tns2:0451450523\tns1:/" in sssom_tsv.write(
        [mapping], {}, {"ex": iris[0][:-1]}
    )
