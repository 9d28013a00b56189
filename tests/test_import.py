"""`pedkg import` and `pedkg graphs`: every format in, described in pkg:imports, all or nothing, nothing fetched."""

from __future__ import annotations

import calendar
import gzip
import hashlib
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from listener import Listener
from pedkg.config import Settings
from pedkg.errors import InputError, NotFound, PedkgError
from pedkg.ingest import importer
from pedkg.ingest.build import build
from pedkg.namespaces import GRAPH
from pedkg.store.backend import remote_store
from pedkg.store.embedded import GraphStore

from conftest import PROJECT_ROOT, SOURCE_FOLDERS, pedkg, rows

#: the triples of the division's source, which the build loads into pkg:division as they are
DIVISION_TRIPLES = len(
    list(ox.parse(path=str(PROJECT_ROOT / "data" / "division.ttl"), format=ox.RdfFormat.TURTLE))
)

PREFIXES = """
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# Another hospital's tiny graph: 8 triples, a blank node, two prefixes, a Korean label.
HOSPITAL_TTL = """@prefix ex: <http://hospital.example/> .
@prefix schema: <https://schema.org/> .
ex:oncology a schema:MedicalClinic ;
    schema:name "Pediatric oncology"@en , "소아종양과"@ko ;
    schema:address [ a schema:PostalAddress ; schema:addressLocality "Seoul" ] ;
    schema:medicalSpecialty schema:Oncologic .
ex:hospital schema:department ex:oncology .
"""
HOSPITAL_TRIPLES = 8
RDF_XML_HEAD = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  <!ENTITY ex "http://hospital.example/">
  {entity}
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:schema="https://schema.org/">
  <rdf:Description rdf:about="&ex;oncology">
    <schema:name>{text}</schema:name>
  </rdf:Description>
</rdf:RDF>
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sources with a store built by the CLI; tests import under their own names."""
    root = tmp_path_factory.mktemp("import")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    result = pedkg(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def settings(project: Path) -> Settings:
    return Settings.from_env({}, project=project, store=project / "var" / "store")


def open_store(project: Path) -> GraphStore:
    return GraphStore.open_read_only(project / "var" / "store")


def hospital_file(folder: Path, suffix: str) -> Path:
    """The hospital graph serialised by pyoxigraph in the format of ``suffix``."""
    triples = list(ox.parse(HOSPITAL_TTL, ox.RdfFormat.TURTLE))
    fmt = importer.GRAPH_FORMATS[importer.SUFFIXES[suffix.removesuffix(".gz")]][1]
    data = ox.serialize(triples, format=fmt, prefixes={"ex": "http://hospital.example/"}) or b""
    if suffix == "jsonld":  # pyoxigraph writes JSON-LD without a context; any compact one parses alike
        data = data.replace(b"{", b'{"@context": {"ex": "http://hospital.example/"},', 1)
    path = folder / f"hospital.{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    return path


def graph_triples(store: GraphStore, name: str) -> int:
    return importer.count_triples(store, GRAPH + name)


@pytest.mark.parametrize("suffix", ["ttl", "nt", "nq", "trig", "rdf", "owl", "xml", "jsonld", "nt.gz"])
def test_every_format_is_imported_with_all_its_triples(project, tmp_path, suffix):
    name = "fmt-" + suffix.replace(".", "-")
    report = importer.import_file(settings(project), hospital_file(tmp_path, suffix), name)
    assert report.triples == HOSPITAL_TRIPLES
    store = open_store(project)
    expected = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(HOSPITAL_TTL, ox.RdfFormat.TURTLE)
    )
    got = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in store.triples(GRAPH + name))
    expected.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    got.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert set(got) == set(expected)


def test_import_reports_and_describes_the_graph_in_pkg_imports(project):
    path = project / "hospital.ttl"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    result = pedkg(project, "import", str(path), "--graph", "hospital")
    assert result.returncode == 0, result.stderr
    assert f"imported {HOSPITAL_TRIPLES} triples into pkg:hospital" in result.stdout
    found = rows(
        open_store(project),
        PREFIXES
        + """SELECT * WHERE { GRAPH <https://w3id.org/pedkg/graph/imports> {
          <https://w3id.org/pedkg/graph/hospital> a void:Dataset, prov:Entity ; void:triples ?n ;
            dcterms:created ?created ; dcterms:format ?format ;
            prov:wasDerivedFrom [ dcterms:title ?title ;
              spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sha256 ] ] } }""",
    )
    assert len(found) == 1
    row = found[0]
    assert (row["n"], row["format"], row["title"]) == ("8", "text/turtle", "hospital.ttl")
    assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    created = calendar.timegm(time.strptime(row["created"], "%Y-%m-%dT%H:%M:%SZ"))
    assert 0 <= time.time() - created < 600
    declared = rows(
        open_store(project),
        PREFIXES
        + """SELECT ?prefix ?namespace (DATATYPE(?namespace) AS ?type) WHERE { GRAPH ?g {
          <https://w3id.org/pedkg/graph/hospital> sh:declare [ sh:prefix ?prefix ; sh:namespace ?namespace ] } }""",
    )
    assert {(r["prefix"], r["namespace"], r["type"]) for r in declared} == {
        ("ex", "http://hospital.example/", "http://www.w3.org/2001/XMLSchema#anyURI"),
        ("schema", "https://schema.org/", "http://www.w3.org/2001/XMLSchema#anyURI"),
    }


def test_graphs_lists_every_graph_with_counts_and_the_source_of_imports(project):
    path = project / "listed.ttl"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    assert pedkg(project, "import", str(path), "--graph", "listed").returncode == 0
    result = pedkg(project, "graphs")
    assert result.returncode == 0, result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 2}
    assert {"division", "ontology", "mappings-diseases", "provenance", "imports", "listed"} <= set(lines)
    assert "listed.ttl" in lines["listed"] and "text/turtle" in lines["listed"] and " 8 " in lines["listed"]
    assert str(DIVISION_TRIPLES) in lines["division"] and ".ttl" not in lines["division"]


def test_an_existing_graph_is_replaced_only_with_replace(project):
    first, second = project / "first.ttl", project / "second.nt"
    first.write_text(HOSPITAL_TTL, encoding="utf-8")
    second.write_text(
        "<http://hospital.example/a> <http://hospital.example/b> <http://hospital.example/c> .\n"
    )
    assert pedkg(project, "import", str(first), "--graph", "replaced").returncode == 0
    refused = pedkg(project, "import", str(second), "--graph", "replaced")
    assert refused.returncode == 1 and "exists; give --replace" in refused.stderr
    replaced = pedkg(project, "import", str(second), "--graph", "replaced", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    store = open_store(project)
    assert graph_triples(store, "replaced") == 1
    described = rows(
        store,
        PREFIXES
        + "SELECT ?title ?n WHERE { <https://w3id.org/pedkg/graph/replaced> prov:wasDerivedFrom/dcterms:title ?title ; void:triples ?n }",
    )
    assert described == [{"title": "second.nt", "n": "1"}]


def test_drop_removes_an_imported_graph_and_its_whole_description(project):
    before = graph_triples(open_store(project), "imports")
    path = project / "dropped.ttl"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    assert pedkg(project, "import", str(path), "--graph", "dropped").returncode == 0
    assert graph_triples(open_store(project), "imports") > before
    result = pedkg(project, "graphs", "--drop", "dropped")
    assert result.returncode == 0, result.stderr
    store = open_store(project)
    assert not store.has_graph(GRAPH + "dropped")
    assert graph_triples(store, "imports") == before  # blank nodes of the description went too


def test_only_imported_graphs_can_be_dropped(project):
    result = pedkg(project, "graphs", "--drop", "division")
    assert result.returncode == 1 and "pkg:division is not an imported graph" in result.stderr
    for name in ("mappings-diseases", "nothing-here"):
        with pytest.raises(NotFound, match="is not an imported graph"):
            importer.drop(settings(project), name)
    assert open_store(project).has_graph(GRAPH + "division")


def test_build_keeps_imported_graphs_and_their_descriptions(project):
    path = project / "kept.ttl"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    assert pedkg(project, "import", str(path), "--graph", "kept").returncode == 0
    described = graph_triples(open_store(project), "imports")
    result = pedkg(project, "build")
    assert result.returncode == 0, result.stderr
    store = open_store(project)
    assert graph_triples(store, "kept") == HOSPITAL_TRIPLES
    assert graph_triples(store, "imports") == described
    assert graph_triples(store, "division") == DIVISION_TRIPLES  # the build's graphs are rebuilt, not doubled


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Hospital", "use lowercase letters"),
        ("-hospital", "use lowercase letters"),
        ("my_hospital", "use lowercase letters"),
        ("a" * 65, "use lowercase letters"),
        ("division", "belongs to `pedkg build`"),
        ("provenance", "belongs to `pedkg build`"),
        ("imports", "belongs to `pedkg build`"),
        ("mappings-other", "belongs to `pedkg build`"),
        ("links-other", "belongs to `pedkg link --accept`"),
    ],
)
def test_invalid_and_build_graph_names_are_refused(project, name, reason):
    path = project / "named.ttl"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    with pytest.raises(PedkgError, match=re.escape(reason)):
        importer.import_file(settings(project), path, name)


def test_a_refused_name_is_one_line_on_stderr(project):
    result = pedkg(project, "import", str(project / "named.ttl"), "--graph", "ontology")
    assert result.returncode == 1
    assert result.stderr == "error: graph name 'ontology' belongs to `pedkg build`; pick another\n"


class Snapshot:
    """The store's current version and its whole content, to show a failed import changed nothing."""

    def __init__(self, project: Path) -> None:
        self.link = project / "var" / "store"
        self.version = os.path.realpath(self.link)
        self.dump = GraphStore.open_read_only(self.link).dump()

    def unchanged(self) -> bool:
        return (
            os.path.realpath(self.link) == self.version
            and open_store(self.link.parents[1]).dump() == self.dump
        )


def test_truncated_turtle_reports_file_and_line_and_changes_nothing(project, tmp_path):
    path = tmp_path / "truncated.ttl"
    text = HOSPITAL_TTL + 'ex:hospital schema:name "A hospital whose name never ends\n'
    path.write_text(text, encoding="utf-8")
    snapshot = Snapshot(project)
    result = pedkg(project, "import", str(path), "--graph", "truncated")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:8: Turtle syntax error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot.unchanged()


@pytest.mark.parametrize(
    ("suffix", "text", "line", "reason"),
    [
        ("nt", "<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n<http://a.example/s> <http://a.example/p> .\n", 2, "N-Triples syntax error"),
        ("rdf", RDF_XML_HEAD.format(entity="", text="x").replace("</rdf:Description>", "", 1), 10, "RDF/XML syntax error"),
        ("jsonld", '{\n  "@id": "http://a.example/s",\n  "http://a.example/p": \n}\n', 4, "JSON-LD syntax error"),
        ("ttl", "<s> <http://a.example/p> 1 .\n", 1, "Turtle syntax error"),  # relative IRI without --base
    ],
)  # fmt: skip
def test_syntax_errors_name_their_line(project, tmp_path, suffix, text, line, reason):
    path = tmp_path / f"broken.{suffix}"
    path.write_text(text, encoding="utf-8")
    snapshot = Snapshot(project)
    result = pedkg(project, "import", str(path), "--graph", "broken")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:{line}: {reason}"), result.stderr
    assert snapshot.unchanged()


def test_base_iri_resolves_relative_iris(project, tmp_path):
    path = tmp_path / "relative.ttl"
    path.write_text("<s> <http://a.example/p> 1 .\n", encoding="utf-8")
    result = pedkg(project, "import", str(path), "--graph", "relative", "--base", "http://hospital.example/")
    assert result.returncode == 0, result.stderr
    [triple] = open_store(project).triples(GRAPH + "relative")
    assert triple.subject == ox.NamedNode("http://hospital.example/s")


def test_format_comes_from_the_option_when_the_name_does_not_tell(project, tmp_path):
    path = tmp_path / "hospital.txt"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    unknown = pedkg(project, "import", str(path), "--graph", "by-option")
    assert unknown.returncode == 1 and "give --format" in unknown.stderr
    given = pedkg(project, "import", str(path), "--graph", "by-option", "--format", "turtle")
    assert given.returncode == 0, given.stderr


def test_every_graph_of_a_dataset_file_goes_into_the_named_graph(project, tmp_path):
    path = tmp_path / "two-graphs.nq"
    path.write_text(
        "<http://a.example/s> <http://a.example/p> <http://a.example/o> <http://a.example/g1> .\n"
        "<http://a.example/s> <http://a.example/p> _:b <http://a.example/g2> .\n"
        "_:b <http://a.example/p> <http://a.example/o> .\n"
    )
    assert pedkg(project, "import", str(path), "--graph", "merged").returncode == 0
    store = open_store(project)
    assert graph_triples(store, "merged") == 3
    assert not store.has_graph("http://a.example/g1") and not store.has_graph("http://a.example/g2")
    blank = {t.object for t in store.triples(GRAPH + "merged") if isinstance(t.object, ox.BlankNode)}
    subjects = {t.subject for t in store.triples(GRAPH + "merged")}
    assert len(blank) == 1 and blank <= subjects  # the file's _:b is one node across its graphs


def test_import_needs_a_built_store(project_copy):
    path = project_copy / "hospital.ttl"
    path.write_text(HOSPITAL_TTL, encoding="utf-8")
    result = pedkg(project_copy, "import", str(path), "--graph", "hospital")
    assert result.returncode == 1 and "run `pedkg build` first" in result.stderr, result.stderr


def test_empty_and_missing_files_are_refused(project, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <http://hospital.example/> .\n")
    result = pedkg(project, "import", str(empty), "--graph", "empty")
    assert result.returncode == 1 and "no triples found" in result.stderr
    missing = pedkg(project, "import", str(tmp_path / "missing.ttl"), "--graph", "missing")
    assert missing.returncode == 1 and "no such file" in missing.stderr


# Nothing is fetched or expanded from outside the file.


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def test_the_listener_sees_a_real_connection(listener):
    with socket.create_connection(("127.0.0.1", listener.port)):
        pass
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(listener.connections) == 1


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/secret", "file:///etc/passwd"])
def test_rdf_xml_external_entity_is_neither_fetched_nor_expanded(project, tmp_path, listener, target):
    path = tmp_path / "xxe.rdf"
    entity = f'<!ENTITY xxe SYSTEM "{target.format(port=listener.port)}">'
    path.write_text(RDF_XML_HEAD.format(entity=entity, text="&xxe;"), encoding="utf-8")
    snapshot = Snapshot(project)
    result = pedkg(project, "import", str(path), "--graph", "xxe")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:4: external entity &xxe; refused"), result.stderr
    assert snapshot.unchanged() and b"root:" not in snapshot.dump
    time.sleep(0.3)
    assert listener.connections == []


@pytest.mark.parametrize(
    ("entity", "reason"),
    [
        (
            '<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/x.dtd"> %remote;',
            "parameter entity %remote; refused",
        ),
        ('<!ENTITY xxe PUBLIC "-//A//B" "http://127.0.0.1:{port}/x">', "external entity &xxe; refused"),
    ],
)
def test_parameter_and_public_entities_are_refused(project, tmp_path, listener, entity, reason):
    path = tmp_path / "entity.rdf"
    path.write_text(RDF_XML_HEAD.format(entity=entity.format(port=listener.port), text="x"), encoding="utf-8")
    result = pedkg(project, "import", str(path), "--graph", "entity")
    assert result.returncode == 1 and result.stderr.startswith(f"{path}:4: {reason}"), result.stderr
    assert listener.connections == []


def test_an_external_dtd_is_never_read(project, tmp_path, listener):
    path = tmp_path / "dtd.rdf"
    text = RDF_XML_HEAD.format(entity="", text="x").replace(
        "<!DOCTYPE rdf:RDF [", f'<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:{listener.port}/rdf.dtd" ['
    )
    path.write_text(text, encoding="utf-8")
    result = pedkg(project, "import", str(path), "--graph", "with-dtd")
    assert result.returncode == 0, result.stderr
    time.sleep(0.3)
    assert listener.connections == []


def test_flat_internal_entities_are_expanded_as_ontology_editors_write_them(project, tmp_path):
    path = tmp_path / "protege.owl"
    path.write_text(RDF_XML_HEAD.format(entity='<!ENTITY name "Pediatric oncology">', text="&name;"))
    assert pedkg(project, "import", str(path), "--graph", "protege").returncode == 0
    [triple] = open_store(project).triples(GRAPH + "protege")
    assert triple.subject.value == "http://hospital.example/oncology"
    assert triple.object.value == "Pediatric oncology"


def test_billion_laughs_is_refused_quickly_before_parsing(project, tmp_path):
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path = tmp_path / "laughs.rdf"
    path.write_text(RDF_XML_HEAD.format(entity="\n  ".join(levels), text="&lol9;"), encoding="utf-8")
    snapshot = Snapshot(project)
    started = time.monotonic()
    result = pedkg(project, "import", str(path), "--graph", "laughs")
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:5: entity &lol1; refers to other entities"), result.stderr
    assert snapshot.unchanged()


def test_entities_declared_anywhere_in_the_file_are_checked(project, tmp_path):
    """pyoxigraph takes a DOCTYPE after the root element too, and a value may hide "]>"."""
    body = "".join(f'<rdf:Description rdf:about="http://hospital.example/n{i}"/>\n' for i in range(30_000))
    late = '<!DOCTYPE rdf:RDF [ <!ENTITY a "]>"> <!ENTITY b "&a;&a;"> ]>\n'
    path = tmp_path / "late.rdf"
    path.write_text(
        RDF_XML_HEAD.format(entity="", text="x").replace(
            "<rdf:Description", body + late + "<rdf:Description", 1
        )
    )
    result = pedkg(project, "import", str(path), "--graph", "late")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:30007: entity &b; refers to other entities"), result.stderr


def test_json_ld_remote_context_is_not_fetched(project, tmp_path, listener):
    path = tmp_path / "remote.jsonld"
    path.write_text(
        '{\n  "@id": "http://hospital.example/oncology",\n'
        f'  "@context": "http://127.0.0.1:{listener.port}/context.jsonld",\n'
        '  "name": "Pediatric oncology"\n}\n',
        encoding="utf-8",
    )
    snapshot = Snapshot(project)
    result = pedkg(project, "import", str(path), "--graph", "remote-context")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:3: a remote JSON-LD @context is never fetched"), result.stderr
    assert snapshot.unchanged()
    time.sleep(0.3)
    assert listener.connections == []


def test_import_build_and_drop_on_an_external_sparql_server(own_server, tmp_path):
    """The same commands on `oxigraph serve` through the protocols: a file is parsed whole before it is sent."""
    build(own_server)
    server = remote_store(own_server)
    report = importer.import_file(own_server, hospital_file(tmp_path, "trig"), "hospital")
    assert report.triples == graph_triples(server, "hospital") == HOSPITAL_TRIPLES
    before = sorted(server.dump().splitlines())
    broken = tmp_path / "broken.ttl"
    broken.write_text(HOSPITAL_TTL + "ex:oncology schema:name .\n", encoding="utf-8")
    for name in ("broken", "hospital"):  # a new graph, and one replaced: the old one stays
        with pytest.raises(InputError, match=r":8: Turtle syntax error"):
            importer.import_file(own_server, broken, name, replace=True)
    assert sorted(server.dump().splitlines()) == before
    build(own_server)
    listed = {g.name: g for g in importer.graphs(server)}
    assert listed["hospital"].triples == HOSPITAL_TRIPLES and listed["hospital"].source == "hospital.trig"
    assert listed["division"].triples == DIVISION_TRIPLES and not listed["division"].imported
    importer.drop(own_server, "hospital")
    assert not server.has_graph(GRAPH + "hospital") and graph_triples(server, "imports") == 0
