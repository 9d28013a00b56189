"""`pedkg import` of what is not RDF: SSSOM TSV mapping sets, OBO flat files, OBO Graphs JSON.

A published mapping set (MONDO's, in ``fixtures/formats``) becomes a mappings graph in the
representation curated mappings have, shown on /mappings and on the pages of the entities
it touches, its ends in the store or not; OBO and OBO Graphs JSON become the OWL of OBO's
own releases; a file that cannot be told, a broken file or an oversized admin upload says
what is wrong and what pedkg reads, and leaves the store as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from pedkg.config import Settings
from pedkg.ingest import detect, obo_graphs
from pedkg.namespaces import GRAPH
from pedkg.store.embedded import GraphStore
from pedkg.web import create_app

from conftest import PROJECT_ROOT, SOURCE_FOLDERS, Server, pedkg, rows

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
MONDO_SLICE = FIXTURES / "mondo-slice.sssom.tsv"
DO_OBO = FIXTURES / "do-cancer-slice.obo"
DO_JSON = FIXTURES / "do-cancer-slice.json"
OBO = "http://purl.obolibrary.org/obo/"
PREFIXES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sssom: <https://w3id.org/sssom/>
PREFIX oio: <http://www.geneontology.org/formats/oboInOwl#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
"""
#: a mapping set of the division's own: a pedkg entity to a code no graph holds (MONDO's
#: neuroblastoma row gives MEDGEN:18012, so the mapping is chained through MONDO:0005072)
OWN_SET = """# curie_map:
#   MEDGEN: http://identifiers.org/medgen/
#   pedkg: https://w3id.org/pedkg/
# license: https://creativecommons.org/publicdomain/zero/1.0/
# mapping_set_id: https://hospital.example/mappings/medgen.sssom.tsv
subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification
pedkg:neuroblastoma\tneuroblastoma\tskos:exactMatch\tMEDGEN:18012\tneuroblastoma\tsemapv:MappingChaining
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sources with a store built by the CLI, the MONDO slice and the
    division's own set imported into it (the pages below read it)."""
    root = tmp_path_factory.mktemp("import-formats")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    result = pedkg(root, "build")
    assert result.returncode == 0, result.stderr
    result = pedkg(root, "import", str(MONDO_SLICE), "--graph", "mondo-slice")
    assert result.returncode == 0, result.stderr
    own = root / "own-medgen.sssom.tsv"
    own.write_text(OWN_SET, encoding="utf-8")
    assert pedkg(root, "import", str(own), "--graph", "own-medgen").returncode == 0
    return root


def open_store(project: Path) -> GraphStore:
    return GraphStore.open_read_only(project / "var" / "store")


def dump(project: Path) -> bytes:
    return open_store(project).dump()


def description(project: Path, name: str) -> dict[str, str]:
    """The graph's record in pkg:imports: its file, format and checksum."""
    [row] = rows(
        open_store(project),
        PREFIXES
        + f"""SELECT ?title ?format ?sha256 WHERE {{ GRAPH <{GRAPH}imports> {{
          <{GRAPH}{name}> dcterms:format ?format ;
            prov:wasDerivedFrom [ dcterms:title ?title ; spdx:checksum/spdx:checksumValue ?sha256 ] }} }}""",
    )
    return row


# --- SSSOM TSV --------------------------------------------------------------------------


def test_a_mapping_set_becomes_a_mappings_graph_with_its_metadata_and_provenance(project):
    store = open_store(project)
    graph = f"{GRAPH}mondo-slice"
    skos = rows(store, PREFIXES + f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s skos:exactMatch ?o }} }}")
    assert len(skos) == 22  # the 22 skos:exactMatch rows, each a triple
    pairs = {(r["s"], r["o"]) for r in skos}
    # the file's own namespaces, as MONDO wrote them: its mesh: is identifiers.org's, not pedkg's NLM one
    assert (OBO + "MONDO_0005072", "http://identifiers.org/mesh/D009447") in pairs
    assert (OBO + "MONDO_0005072", "http://snomed.info/id/432328008") in pairs
    assert (OBO + "MONDO_0005089", OBO + "DOID_1115") in pairs
    axioms = rows(
        store,
        PREFIXES
        + f"""SELECT ?p ?o ?j ?label WHERE {{ GRAPH <{graph}> {{
          ?a a owl:Axiom ; owl:annotatedSource obo:MONDO_0000001 ; owl:annotatedProperty ?p ;
             owl:annotatedTarget ?o ; sssom:mapping_justification ?j ; sssom:subject_label ?label }} }}""",
    )
    assert len(axioms) == 8 and {r["label"] for r in axioms} == {"disease"}
    # the hasDbXref row keeps its axiom (shown as a mapping) and asserts no triple
    xref = [r for r in axioms if r["p"].endswith("#hasDbXref")]
    assert xref == [
        {
            "p": "http://www.geneontology.org/formats/oboInOwl#hasDbXref",
            "o": OBO + "NCIT_C2991",
            "j": "https://w3id.org/semapv/vocab/ManualMappingCuration",
            "label": "disease",
        }
    ]
    assert not rows(store, PREFIXES + f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s oio:hasDbXref ?o }} }}")
    [mapping_set] = rows(
        store,
        PREFIXES
        + f"""SELECT ?license ?title ?version WHERE {{ GRAPH <{graph}> {{
          <http://purl.obolibrary.org/obo/mondo/mappings/mondo.sssom.tsv> a sssom:MappingSet ;
            sssom:license ?license ; sssom:mapping_set_title ?title ; sssom:mapping_set_version ?version }} }}""",
    )
    assert mapping_set == {
        "license": "https://w3id.org/sssom/license/unspecified",
        "title": "MONDO mappings, a slice for pedkg tests",
        "version": "slice-1",
    }
    assert description(project, "mondo-slice") == {
        "title": "mondo-slice.sssom.tsv",
        "format": "text/tab-separated-values",
        "sha256": hashlib.sha256(MONDO_SLICE.read_bytes()).hexdigest(),
    }
    # the ends need not be in the store: MedGen's 4347 is in no other graph
    medgen = rows(store, "SELECT ?g WHERE { GRAPH ?g { ?s ?p <http://identifiers.org/medgen/4347> } }")
    assert {r["g"] for r in medgen} == {graph}


def test_the_import_says_how_the_rows_were_read(tmp_path, project):
    result = pedkg(project, "import", str(MONDO_SLICE), "--graph", "mondo-again")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "mapping set MONDO mappings, a slice for pedkg tests, version slice-1",
        "22 mapping(s) asserted as SKOS triples, each with its axiom",
        "1 oboInOwl:hasDbXref mapping(s) kept as axioms only (not a SKOS mapping property)",
    ]
    assert "into pkg:mondo-again" in result.stdout
    assert pedkg(project, "graphs", "--drop", "mondo-again").returncode == 0


def test_a_gzipped_set_with_a_rejection_and_scores(project, tmp_path):
    """A ``Not`` row keeps its axiom and asserts nothing; a confidence is kept as a number."""
    text = OWN_SET.replace(
        "\tmapping_justification\n", "\tmapping_justification\tpredicate_modifier\tconfidence\n"
    )
    text = text.replace("semapv:MappingChaining\n", "semapv:MappingChaining\tNot\t0.4\n")
    path = tmp_path / "rejected.sssom.tsv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    refused = pedkg(project, "import", str(path), "--graph", "rejected", "--base", "http://a.example/")
    assert refused.returncode == 1 and "--base is for RDF" in refused.stderr
    result = pedkg(project, "import", str(path), "--graph", "rejected")
    assert result.returncode == 0, result.stderr
    assert "0 mapping(s) asserted as SKOS triples" in result.stdout
    assert "1 rejection(s) (predicate_modifier Not) kept as axioms only" in result.stdout
    store = open_store(project)
    graph = f"{GRAPH}rejected"
    assert not rows(store, PREFIXES + f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s skos:exactMatch ?o }} }}")
    [axiom] = rows(
        store,
        PREFIXES
        + f"""SELECT ?modifier (DATATYPE(?confidence) AS ?type) ?confidence WHERE {{ GRAPH <{graph}> {{
          ?a owl:annotatedTarget <http://identifiers.org/medgen/18012> ;
             sssom:predicate_modifier ?modifier ; sssom:confidence ?confidence }} }}""",
    )
    assert axiom == {
        "modifier": "Not",
        "type": "http://www.w3.org/2001/XMLSchema#double",
        "confidence": "0.4",
    }
    assert pedkg(project, "graphs", "--drop", "rejected").returncode == 0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("MONDO:0005072\tneuroblastoma\tskos:exactMatch\tICDO:9500/3\t\tsemapv:UnspecifiedMatching", "object_id 'ICDO:9500/3' is not a CURIE with a declared prefix"),
        ("MONDO:0005072\tneuroblastoma\tskos:exactMatch\tNCIT:C3270\t\tsemapv:Guessing", "mapping_justification 'semapv:Guessing' is not a SEMAPV matching process"),
        ("MONDO:0005072\tneuroblastoma\tskos:exactMatch\tDOID:769\tneuroblastoma\tsemapv:UnspecifiedMatching", "the same mapping as line 27"),
        ("MONDO:0005072\tneuroblastoma\tskos:exactMatch\t\t\tsemapv:UnspecifiedMatching", "empty object_id"),
    ],
)  # fmt: skip
def test_a_broken_row_names_its_line_and_nothing_is_imported(project, tmp_path, row, reason):
    path = tmp_path / "broken.sssom.tsv"
    path.write_text(MONDO_SLICE.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    before = dump(project)
    result = pedkg(project, "import", str(path), "--graph", "broken-set")
    assert result.returncode == 1
    assert f"{path}:42: {reason}" in result.stderr.splitlines(), result.stderr
    assert "nothing was changed" in result.stderr
    assert dump(project) == before


def test_metadata_that_is_not_sssom_is_refused_at_its_line(project, tmp_path):
    path = tmp_path / "no-license.sssom.tsv"
    text = MONDO_SLICE.read_text(encoding="utf-8").replace(
        "# license: https://w3id.org/sssom/license/unspecified\n", ""
    )
    path.write_text(
        text.replace("#   MEDGEN: http://identifiers.org/medgen/", "#   MEDGEN: not an iri"), encoding="utf-8"
    )
    before = dump(project)
    result = pedkg(project, "import", str(path), "--graph", "no-license")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{path}:1: SSSOM metadata lacks license" in lines
    assert any(line.startswith(f"{path}:4: curie_map gives MEDGEN: as 'not an iri'") for line in lines), lines
    assert dump(project) == before


def test_a_tsv_is_told_sssom_by_its_columns(project, tmp_path):
    path = tmp_path / "mondo-slice.tsv"
    shutil.copy(MONDO_SLICE, path)
    assert detect.detect(path, None) == "sssom"
    other = tmp_path / "table.tsv"
    other.write_text("code\tname\nC3270\tNeuroblastoma\n", encoding="utf-8")
    with pytest.raises(Exception, match="cannot tell the format"):
        detect.detect(other, None)


# --- the mappings on the pages ----------------------------------------------------------


@pytest.fixture(scope="module")
def app(project: Path) -> Iterator[Flask]:
    application = create_app(Settings.from_env({}, store=project / "var" / "store"))
    yield application
    application.extensions["pedkg"].pool.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_imported_mappings_are_on_the_mappings_page(client):
    response = client.get("/mappings", query_string={"source": "mondo-slice", "lang": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert page.count('<code class="nowrap">pkg:mondo-slice</code>') == 23
    assert page.count('<span class="badge">imported</span>') == 23
    assert 'href="/resource?iri=http://purl.obolibrary.org/obo/NCIT_C3270&amp;lang=en"' in page
    assert (
        "http://www.geneontology.org/formats/oboInOwl#hasDbXref" in page
    )  # the xref row, with its predicate
    # an end no graph names goes by the label its row gives
    assert (
        '<a href="/resource?iri=http://purl.obolibrary.org/obo/NCIT_C2991&amp;lang=en">Disease or Disorder</a>'
        in page
    )
    export = client.get("/mappings.sssom.tsv").get_data(as_text=True)
    table = [line.split("\t") for line in export.splitlines() if not line.startswith("#")]
    found = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert {
        (m["subject_id"], m["predicate_id"], m["object_id"])
        for m in found
        if m["mapping_source"] == "pkg:mondo-slice"
    } >= {
        ("MONDO:0005072", "skos:exactMatch", "NCIT:C3270"),
        ("MONDO:0005089", "skos:exactMatch", "DOID:1115"),
    }


def test_the_imported_mappings_are_on_the_pages_of_the_entities_they_touch(client):
    html = {"Accept": "text/html"}
    mondo = client.get("/resource", query_string={"iri": OBO + "MONDO_0005072", "lang": "en"}, headers=html)
    page = mondo.get_data(as_text=True)
    assert mondo.status_code == 200
    crosswalk = page[page.index('<section class="card crosswalk"') :].split("</section>", 1)[0]
    for code in ("C3270", "635", "432328008", "D009447", "EFO_0000621", "18012"):
        assert f"<code>{code}</code>" in crosswalk, code
    assert "pkg:mondo-slice" in page  # among the graphs its statements come from
    # Orphanet:377788 has no label in the store: its row names it by the set's object_label
    root = client.get("/resource", query_string={"iri": OBO + "MONDO_0000001", "lang": "en"}, headers=html)
    rows = root.get_data(as_text=True).split('<section class="card crosswalk"', 1)[1].split("<tr")
    orphanet = next(row for row in rows if "<code>377788</code>" in row)
    assert '<span lang="und">disease</span>' in orphanet, orphanet  # SSSOM labels carry no language
    # the other end: NCIT's neuroblastoma is referred to by MONDO's, from the slice's graph
    ncit = client.get("/resource", query_string={"iri": OBO + "NCIT_C3270", "lang": "en"}, headers=html)
    referred = ncit.get_data(as_text=True).split("Referred to by", 1)[1]
    assert ncit.status_code == 200 and "MONDO:0005072" in referred and "mondo-slice-mapping-" in referred
    # pedkg's own neuroblastoma, mapped by the division's set to a code the store does not hold
    own = client.get("/id/neuroblastoma", query_string={"lang": "en"}, headers=html).get_data(as_text=True)
    crosswalk = own[own.index('<section class="card crosswalk"') :].split("</section>", 1)[0]
    assert "<code>18012</code>" in crosswalk and "semapv:MappingChaining" in crosswalk
    assert "pkg:own-medgen" in own


def test_a_large_set_is_shown_a_page_at_a_time_and_exported_whole(project, tmp_path):
    """1,050 mappings (a hospital's own codes, example IRIs): two pages, the filters in the query."""
    header = OWN_SET.split("subject_id", 1)[0].replace(
        "#   MEDGEN: http://identifiers.org/medgen/\n", "#   ward: https://hospital.example/code/\n"
    )
    lines = [
        f"pedkg:neuroblastoma\tneuroblastoma\tskos:relatedMatch\tward:{n}\tcode {n}\tsemapv:ManualMappingCuration"
        for n in range(1050)
    ]
    path = tmp_path / "ward-codes.sssom.tsv"
    path.write_text(
        header
        + "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\n"
        + "\n".join(lines)
        + "\n"
    )
    assert pedkg(project, "import", str(path), "--graph", "ward-codes").returncode == 0
    application = create_app(Settings.from_env({}, store=project / "var" / "store"))
    try:
        client = application.test_client()
        first = client.get("/mappings", query_string={"source": "ward-codes", "lang": "en"}).get_data(
            as_text=True
        )
        assert first.count('<span class="badge">imported</span>') == 1000
        assert "1050 of " in first and "Showing 1–1000, 1000 to a page" in first
        assert 'rel="next" href="/mappings?page=2&amp;source=ward-codes&amp;lang=en"' in first
        second = client.get(
            "/mappings", query_string={"source": "ward-codes", "page": "2", "lang": "en"}
        ).get_data(as_text=True)
        assert second.count('<span class="badge">imported</span>') == 50 and "Showing 1001–1050" in second
        assert 'rel="prev"' in second and 'rel="next"' not in second
        codes = set(re.findall(r">code (\d+)</a>", first)) | set(re.findall(r">code (\d+)</a>", second))
        assert codes == {str(n) for n in range(1050)}  # every mapping on one of the two pages, none twice
        assert client.get("/mappings?source=ward-codes&page=3").status_code == 404
        assert client.get("/mappings?page=0").status_code == 400
        everything = client.get("/mappings.sssom.tsv").get_data(as_text=True)
        assert sum(1 for line in everything.splitlines() if "\tskos:relatedMatch\tward:" in line) == 1050
    finally:
        application.extensions["pedkg"].pool.close()
        assert pedkg(project, "graphs", "--drop", "ward-codes").returncode == 0


def test_a_real_server_shows_the_imported_mappings(project):
    server = Server(project / "var" / "store", workers="1")

    def get(path: str) -> str:
        request = urllib.request.Request(server.url + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(response.read().decode())

    try:
        page = get("/mappings?source=mondo-slice&lang=en")
        assert page.count('<span class="badge">imported</span>') == 23
        resource = get(f"/resource?iri={OBO}MONDO_0005089&lang=en")
        assert "<code>1115</code>" in resource and "pkg:mondo-slice" in resource
    finally:
        server.stop()


# --- OBO and OBO Graphs JSON --------------------------------------------------------------


def term_triples(project: Path, name: str) -> set[ox.Triple]:
    """The triples about DOID terms in pkg:NAME (blank nodes and the ontology header left out)."""
    found = open_store(project).triples(GRAPH + name)
    return {t for t in found if t.subject.value.startswith(OBO + "DOID_")}


def test_an_obo_file_becomes_obo_in_owl(project):
    result = pedkg(project, "import", str(DO_OBO), "--graph", "do-obo")
    assert result.returncode == 0, result.stderr
    assert "imported 67 triples into pkg:do-obo" in result.stdout
    store = open_store(project)
    [duodenum] = rows(
        store,
        PREFIXES
        + """SELECT ?id ?label ?definition ?parent ?alt WHERE { GRAPH <https://w3id.org/pedkg/graph/do-obo> {
          obo:DOID_10021 a owl:Class ; oio:id ?id ; rdfs:label ?label ; obo:IAO_0000115 ?definition ;
            rdfs:subClassOf ?parent ; oio:hasAlternativeId ?alt } }""",
    )
    assert duodenum == {
        "id": "DOID:10021",
        "label": "duodenum cancer",
        "definition": "A small intestine cancer that is located_in the beginning section of the small intestine.",
        "parent": OBO + "DOID_10155",
        "alt": "DOID:6072",
    }
    triples = term_triples(project, "do-obo")
    pharynx = ox.NamedNode(OBO + "DOID_0060119")

    def values(subject: ox.NamedNode, predicate: str) -> set[str]:
        return {t.object.value for t in triples if t.subject == subject and t.predicate.value == predicate}

    oio = "http://www.geneontology.org/formats/oboInOwl#"
    assert values(pharynx, oio + "hasExactSynonym") == {"pharyngeal neoplasm"}
    assert values(pharynx, oio + "hasRelatedSynonym") == {"pharyngeal cancer"}
    assert values(pharynx, oio + "hasDbXref") == {"MSH:D010610", "NCI:C3325", "UMLS_CUI:C0031347"}
    xrefs = [t.object for t in triples if t.subject == pharynx and t.predicate.value == oio + "hasDbXref"]
    assert all(isinstance(x, ox.Literal) for x in xrefs)  # strings, as OBO writes them
    obsolete = ox.NamedNode(OBO + "DOID_10")
    assert values(obsolete, "http://www.w3.org/2002/07/owl#deprecated") == {"true"}
    assert description(project, "do-obo") == {
        "title": "do-cancer-slice.obo",
        "format": "text/obo",
        "sha256": hashlib.sha256(DO_OBO.read_bytes()).hexdigest(),
    }


def test_obo_graphs_json_gives_the_triples_the_obo_file_gives(project):
    assert detect.detect(DO_JSON, None) == "obographs"
    result = pedkg(project, "import", str(DO_JSON), "--graph", "do-json")
    assert result.returncode == 0, result.stderr
    if not open_store(project).has_graph(GRAPH + "do-obo"):
        assert pedkg(project, "import", str(DO_OBO), "--graph", "do-obo").returncode == 0
    from_json = term_triples(project, "do-json")
    assert len(from_json) == 64
    assert from_json == term_triples(project, "do-obo")
    assert description(project, "do-json")["format"] == "application/json"


def test_relationships_are_restrictions_and_typedefs_name_their_relation_by_xref(project, tmp_path):
    # UBERON's manus is part of its forelimb; part_of is BFO:0000050 (the obographs examples)
    path = tmp_path / "limbs.obo.gz"
    path.write_bytes(
        gzip.compress(
            b"format-version: 1.4\nontology: limbs\n\n"
            b"[Term]\nid: UBERON:0002398\nname: manus\nrelationship: part_of UBERON:0002102 ! forelimb\n\n"
            b"[Typedef]\nid: part_of\nname: part of\nxref: BFO:0000050\nis_transitive: true\n"
        )
    )
    result = pedkg(project, "import", str(path), "--graph", "limbs")
    assert result.returncode == 0, result.stderr
    [row] = rows(
        open_store(project),
        PREFIXES
        + """SELECT ?property ?filler ?shorthand WHERE { GRAPH <https://w3id.org/pedkg/graph/limbs> {
          obo:UBERON_0002398 rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ?property ; owl:someValuesFrom ?filler ] .
          ?property a owl:ObjectProperty, owl:TransitiveProperty ; oio:shorthand ?shorthand } }""",
    )
    assert row == {"property": OBO + "BFO_0000050", "filler": OBO + "UBERON_0002102", "shorthand": "part_of"}


def test_a_broken_obo_line_is_named_and_nothing_is_imported(project, tmp_path):
    path = tmp_path / "broken.obo"
    lines = DO_OBO.read_text(encoding="utf-8").splitlines()
    lines[19] = "is_a DOID:3119"  # the colon gone from the first term's is_a
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = dump(project)
    result = pedkg(project, "import", str(path), "--graph", "broken-obo")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:20: OBO syntax error: "), result.stderr
    assert result.stderr.rstrip().endswith("nothing was changed")
    assert dump(project) == before


def test_broken_obo_graphs_json_is_named_and_nothing_is_imported(project, tmp_path):
    before = dump(project)
    broken = tmp_path / "broken.json"
    broken.write_text(DO_JSON.read_text(encoding="utf-8").replace('"lbl": "sarcoma",', '"lbl": "sarcoma"', 1))
    result = pedkg(project, "import", str(broken), "--graph", "broken-json")
    assert result.returncode == 1 and result.stderr.startswith(f"{broken}:"), result.stderr
    assert "not JSON" in result.stderr
    wrong = tmp_path / "wrong-synonym.json"
    wrong.write_text(
        DO_JSON.read_text(encoding="utf-8").replace('"hasRelatedSynonym"', '"hasSimilarSynonym"')
    )
    result = pedkg(project, "import", str(wrong), "--graph", "broken-json")
    line = 1 + wrong.read_text().split('"http://purl.obolibrary.org/obo/DOID_0060119"')[0].count("\n")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{wrong}:{line}: OBO Graphs: synonym predicate 'hasSimilarSynonym'"), (
        result.stderr
    )
    assert dump(project) == before


# --- formats that cannot be told, and the admin's size limit ------------------------------


def test_a_file_whose_format_cannot_be_told_names_every_format_pedkg_reads(project, tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text(DO_OBO.read_text(encoding="utf-8"), encoding="utf-8")
    before = dump(project)
    result = pedkg(project, "import", str(path), "--graph", "told")
    assert result.returncode == 1
    for name in ("Turtle (.ttl)", "RDF/XML (.rdf .owl .xml)", "JSON-LD (.jsonld .json)", "OBO (.obo)",
                 'OBO Graphs JSON (.json with "graphs")', "SSSOM TSV (.sssom.tsv)", "gzipped (.gz)"):  # fmt: skip
        assert name in result.stderr, name
    assert "give --format" in result.stderr
    assert pedkg(project, "import", str(path), "--graph", "told", "--format", "obo").returncode == 0
    assert pedkg(project, "graphs", "--drop", "told").returncode == 0
    assert dump(project) == before


def test_json_that_is_neither_json_ld_nor_obo_graphs_names_every_format(project, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark", "graphs_shown": 3}\n', encoding="utf-8")
    before = dump(project)
    result = pedkg(project, "import", str(path), "--graph", "settings")
    assert result.returncode == 1
    assert "neither JSON-LD with triples nor OBO Graphs" in result.stderr, result.stderr
    assert "SSSOM TSV (.sssom.tsv)" in result.stderr and "OBO (.obo)" in result.stderr
    assert dump(project) == before


def test_import_help_names_every_format(project):
    result = pedkg(project, "import", "--help")
    text = " ".join(result.stdout.split())
    assert result.returncode == 0
    for name in (
        "Turtle (.ttl)",
        "OBO (.obo)",
        'OBO Graphs JSON (.json with "graphs")',
        "SSSOM TSV (.sssom.tsv)",
    ):
        assert name in text, name
    assert "obographs" in text and "sssom" in text  # --format's choices


ADMIN_TOKEN = "formats-admin-token"
LIMIT = 2000


@pytest.fixture(scope="module")
def admin(project: Path) -> Iterator[FlaskClient]:
    settings = Settings.from_env(
        {}, store=project / "var" / "store", admin_token=ADMIN_TOKEN, max_request_bytes=LIMIT
    )
    application = create_app(settings)
    yield application.test_client()
    application.extensions["pedkg"].pool.close()


def test_an_admin_upload_over_the_limit_names_the_setting_and_pedkg_import(admin, project):
    body = b"".join(
        b"<https://hospital.example/t%d> <https://hospital.example/p> <https://hospital.example/o> .\n" % n
        for n in range(40)
    )
    assert len(body) > LIMIT
    before = dump(project)
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    for method in ("PUT", "POST"):
        response = admin.open(
            "/store?graph=https://hospital.example/g", method=method, data=body,
            content_type="application/n-triples", headers=auth,
        )  # fmt: skip
        message = response.get_data(as_text=True)
        assert response.status_code == 413, message
        assert "PEDKG_MAX_REQUEST_BYTES" in message and "`pedkg import FILE --graph NAME`" in message
        assert f"larger than {LIMIT} bytes" in message
    # sent without a length (chunked), the body is refused before the application, saying the same
    chunked = admin.put(
        "/store?graph=https://hospital.example/g", input_stream=io.BytesIO(body),
        content_type="application/n-triples", headers={**auth, "Transfer-Encoding": "chunked"},
    )  # fmt: skip
    message = chunked.get_data(as_text=True)
    assert chunked.status_code == 413, message
    assert "PEDKG_MAX_REQUEST_BYTES" in message and "pedkg import" in message
    # a graph within the limit still goes in
    small = admin.put(
        "/store?graph=https://hospital.example/g",
        data=b"".join(body.splitlines(keepends=True)[:5]),
        content_type="application/n-triples",
        headers=auth,
    )
    assert small.status_code in (201, 204), small.get_data(as_text=True)
    assert dump(project) != before


def test_a_null_in_an_obo_graphs_list_carries_nothing_and_is_passed_over(tmp_path):
    """The Disease Ontology's 2018 release writes ``"restrictions" : [ null ]`` in a logical definition."""
    document = {
        "graphs": [
            {
                "id": "http://purl.obolibrary.org/obo/doid.owl",
                "nodes": [{"id": "http://purl.obolibrary.org/obo/DOID_0060500", "lbl": "x", "type": "CLASS"}],
                "logicalDefinitionAxioms": [
                    {
                        "definedClassId": "http://purl.obolibrary.org/obo/DOID_0060500",
                        "genusIds": ["http://purl.obolibrary.org/obo/DOID_1205"],
                        "restrictions": [None],
                    }
                ],
            }
        ]
    }
    path = tmp_path / "null.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    triples = list(obo_graphs.read(path).triples)
    genus = ox.NamedNode("http://purl.obolibrary.org/obo/DOID_1205")
    assert any(t.object == genus for t in triples)  # the definition kept, without the null
