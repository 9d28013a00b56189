"""Entity pages at /id/...: every pedkg subject resolves, as HTML and as RDF in four formats.

In-process Flask client on the session's built store (one app for the module). The walk
visits every subject IRI in pedkg's namespace; the other tests pin the HTTP details
(negotiation, Vary, Link, 404), the reader's language with its fallback mark, the
crosswalk, class pages, paging, and the agreement of the embedded schema.org JSON-LD
with the entity's own RDF.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from werkzeug.test import TestResponse

from pedkg.labels import PREF_LABEL, Labels, Text
from pedkg.labels import RDFS_LABEL as RDFS_LABEL_IRI
from pedkg.namespaces import BASE, VOCABULARY_NAMES, compress
from pedkg.store.embedded import GraphStore

from conftest import ALL_BACKENDS, rows

BACKENDS = ALL_BACKENDS  # the web contract holds on the embedded store and on oxigraph serve

# rdflib 7.6's own JSON-LD parser builds a ConjunctiveGraph internally and warns about it
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

PEDKG = Namespace(BASE)
SCHEMA = Namespace("https://schema.org/")
PKO = Namespace(BASE + "ontology/")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
FORMATS = {  # suffix -> (media type, rdflib parser)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SUBJECTS = """SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/pedkg/")) }"""
ENGLISH_LABELS = """SELECT ?s ?label WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = "en") }"""
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, path: str, lang: str = "en") -> str:
    response = client.get(path, headers={"Accept": BROWSER, "Accept-Language": lang})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def parsed(response: TestResponse, parser: str) -> Graph:
    return Graph().parse(data=response.get_data(), format=parser)


def embedded(html: str) -> Graph:
    match = JSON_LD.search(html)
    assert match, "no embedded JSON-LD"
    return Graph().parse(data=match.group(1), format="json-ld")


def disagreements(iri: str, schema: Graph, rdf: Graph) -> list[str]:
    """Where the page's schema.org JSON-LD and the entity's RDF disagree."""
    node = URIRef(iri)
    problems = []
    if (node, RDF.type, None) not in schema:
        problems.append("the JSON-LD is not about the entity")
    names = {o for p in (RDFS_LABEL, SKOS.prefLabel) for o in rdf.objects(node, p)}
    if names and set(schema.objects(node, SCHEMA.name)) != names:
        problems.append(f"name {set(schema.objects(node, SCHEMA.name))} != labels {names}")
    definitions = set(rdf.objects(node, SKOS.definition))
    if set(schema.objects(node, SCHEMA.description)) != definitions:
        problems.append("description != skos:definition")
    types = set(rdf.objects(node, RDF.type))
    if PKO.Disease in types and (node, RDF.type, SCHEMA.MedicalCondition) not in schema:
        problems.append("a disease is not a MedicalCondition")
    if types & {PKO.Division, PKO.SurgicalDepartment, PKO.DiagnosticSupportTeam, PKO.CareTeam}:
        if (node, RDF.type, SCHEMA.MedicalOrganization) not in schema:
            problems.append("an organisation is not a MedicalOrganization")
        if set(schema.objects(node, SCHEMA.medicalSpecialty)) != set(
            rdf.objects(node, SCHEMA.medicalSpecialty)
        ):
            problems.append("medicalSpecialty differs from the RDF")
    if types & {PKO.Disease, PKO.Procedure}:
        codes = {
            (str(schema.value(code, SCHEMA.codingSystem)), str(schema.value(code, SCHEMA.codeValue)))
            for code in schema.objects(node, SCHEMA.code)
        }
        mapped = {
            (VOCABULARY_NAMES[compress(str(target)).partition(":")[0]], str(rdf.value(target, SKOS.notation)))
            for target in rdf.objects(node, SKOS.exactMatch)
        }
        if codes != mapped:
            problems.append(f"codes {sorted(codes)} != exact matches {sorted(mapped)}")
    return problems


def test_every_entity_resolves_as_a_page_and_as_rdf(client: FlaskClient, store: GraphStore) -> None:
    subjects = [r["s"] for r in rows(store, SUBJECTS)]
    english = {r["s"]: r["label"] for r in rows(store, ENGLISH_LABELS)}
    assert len(subjects) > 200  # entities, ontology terms, shapes, graphs and mapping axioms
    problems: list[str] = []
    for iri in subjects:
        name = iri.removeprefix(BASE)
        html = client.get(f"/id/{name}", headers={"Accept": BROWSER})
        text = html.get_data(as_text=True)
        label = english.get(iri, compress(iri))
        if html.status_code != 200 or escape(label) not in text:
            problems.append(f"{iri}: page {html.status_code}, label {label!r} missing")
            continue
        graphs = []
        for suffix, (media_type, parser) in FORMATS.items():
            negotiated = client.get(f"/id/{name}", headers={"Accept": media_type})
            document = client.get(f"/id/{name}.{suffix}")
            if {negotiated.status_code, document.status_code} != {200} or {
                negotiated.mimetype,
                document.mimetype,
            } != {media_type}:
                problems.append(f"{iri} as {media_type}: {negotiated.status_code} {document.status_code}")
                continue
            if negotiated.get_data() != document.get_data():  # the same document: parse it once
                problems.append(f"{iri} as {media_type}: Accept and suffix give different documents")
            graph = parsed(negotiated, parser)
            if (URIRef(iri), None, None) not in graph:
                problems.append(f"{iri} as {media_type}: not a subject of the RDF")
            graphs.append(graph)
        if graphs and any(len(g) != len(graphs[0]) for g in graphs):
            problems.append(f"{iri}: the formats hold different numbers of triples")
        problems += [f"{iri}: {p}" for p in disagreements(iri, embedded(text), graphs[0])]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("text/html;q=0.5, application/ld+json", "application/ld+json"),
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
    ],
)
def test_negotiation_by_accept(client: FlaskClient, accept: str | None, expected: str) -> None:
    response = client.get("/id/neuroblastoma", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == expected
    assert "Accept" in response.headers["Vary"]


def test_nothing_acceptable_is_406_naming_the_offers(client: FlaskClient) -> None:
    response = client.get("/id/neuroblastoma", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def test_format_parameter_wins_over_accept(client: FlaskClient) -> None:
    response = client.get("/id/neuroblastoma?format=jsonld", headers={"Accept": BROWSER})
    assert response.mimetype == "application/ld+json"


def test_link_header_names_canonical_and_every_format(client: FlaskClient) -> None:
    for path in ("/id/neuroblastoma", "/id/neuroblastoma.ttl"):
        links = client.get(path, headers={"Accept": BROWSER}).headers["Link"]
        assert '<http://localhost/id/neuroblastoma>; rel="canonical"' in links
        for suffix, (media_type, _) in FORMATS.items():
            assert (
                f'<http://localhost/id/neuroblastoma.{suffix}>; rel="alternate"; type="{media_type}"' in links
            )
    html = page(client, "/id/neuroblastoma")
    assert '<link rel="canonical" href="http://localhost/id/neuroblastoma">' in html
    assert '<link rel="alternate" type="text/turtle" href="/id/neuroblastoma.ttl">' in html


def test_suffix_documents_do_not_vary(client: FlaskClient) -> None:
    response = client.get("/id/neuroblastoma.nt", headers={"Accept": BROWSER})
    assert response.mimetype == "application/n-triples"
    assert "Accept" not in response.headers.get("Vary", "")


@pytest.mark.parametrize(
    ("path", "accept", "mimetype"),
    [
        ("/id/no-such-entity", BROWSER, "text/html"),
        ("/id/no-such-entity", "text/turtle", "text/plain"),
        ("/id/no-such-entity", None, "text/plain"),
        ("/id/no-such-entity.jsonld", BROWSER, "text/plain"),
        ("/id/ontology/NoSuchClass", BROWSER, "text/html"),
        ("/id/graph/nothing.ttl", None, "text/plain"),
        ("/id/not%20an%20iri", BROWSER, "text/html"),
        ("/id/%3Cscript%3E", "text/turtle", "text/plain"),
        ('/id/a"b.nt', None, "text/plain"),
        ("/id/ontology/0.1.0.ttl", None, "text/plain"),
    ],
)
def test_unknown_iris_are_404(client: FlaskClient, path: str, accept: str | None, mimetype: str) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.mimetype == mimetype
    assert "https://w3id.org/pedkg/" in response.get_data(as_text=True)
    assert "Link" not in response.headers  # no alternates of nothing
    if not re.search(r"\.(ttl|jsonld|nt|rdf)$", path):
        assert "Accept" in response.headers["Vary"]


def test_korean_page_marks_english_fallbacks(client: FlaskClient) -> None:
    html = page(client, "/id/neuroblastoma?lang=ko")
    assert '<h1><span lang="ko">신경모세포종</span></h1>' in html
    definition = re.search(r'<p class="definition">(.*?)</p>', html, re.S)
    assert (
        definition
        and definition.group(1).startswith('<span lang="ko">')
        and "(영어)" not in definition.group(1)
    )
    # external code labels exist only in English: marked in the crosswalk
    assert re.search(r'<span lang="en">Neuroblastoma, NOS</span> <small class="fallback"', html)
    # an ontology term defined only in English: its definition is shown, marked
    term = page(client, "/id/ontology/Claim?lang=ko")
    definition = re.search(r'<p class="definition">(.*?)</p>', term, re.S)
    assert definition and 'lang="en"' in definition.group(1) and 'class="fallback"' in definition.group(1)
    assert "(영어)" in definition.group(1)


def test_english_page_has_no_fallback_for_english_text(client: FlaskClient) -> None:
    html = page(client, "/id/neuroblastoma?lang=en")
    assert '<h1><span lang="en">neuroblastoma</span></h1>' in html
    assert 'class="fallback"' not in html


def test_accept_language_chooses_korean(client: FlaskClient) -> None:
    html = page(client, "/id/wilms-tumor", lang="ko-KR,ko;q=0.9")
    assert '<h1><span lang="ko">윌름스종양</span></h1>' in html


def test_mapping_axiom_without_any_label_shows_its_curie(client: FlaskClient, store: GraphStore) -> None:
    axiom = rows(store, "SELECT ?a WHERE { ?a a <http://www.w3.org/2002/07/owl#Axiom> } LIMIT 1")[0]["a"]
    html = page(client, "/id/" + axiom.removeprefix(BASE) + "?lang=ko")
    assert f'<h1><span lang="zxx">{compress(axiom)}</span></h1>' in html


def test_every_literal_shown_has_a_language(client: FlaskClient) -> None:
    html = page(client, "/id/statistic-annual-childhood-cancers?lang=ko")
    values = re.findall(r"<li>(<span[^>]*>[^<]*</span>)", html)
    assert values and all(re.match(r'<span lang="[a-z]+">', v) for v in values), values
    assert '<span lang="zxx">1000</span>' in html  # a number: no linguistic content


def test_crosswalk_lists_codes_with_resolver_links(client: FlaskClient) -> None:
    html = page(client, "/id/neuroblastoma")
    crosswalk = html.split('class="card crosswalk"')[1].split("</section>")[0]
    assert '<a href="http://purl.obolibrary.org/obo/MONDO_0005072"' in crosswalk
    assert "<code>0005072</code>" in crosswalk
    assert "MONDO Disease Ontology" in crosswalk
    assert "skos:exactMatch" in crosswalk and "semapv:ManualMappingCuration" in crosswalk
    assert 'href="https://github.com/' in crosswalk  # where the code was checked


def test_provenance_names_graph_file_and_source_page(client: FlaskClient) -> None:
    html = page(client, "/id/neuroblastoma")
    provenance = html.split('class="card provenance"')[1].split("</section>")[0]
    assert 'href="/id/graph/division"' in provenance and "data/division.ttl" in provenance
    assert 'href="/id/division-page"' in provenance
    assert "Pediatric Hematology-Oncology (the division&#39;s public page)" in provenance


def test_links_are_grouped_with_both_ends_labelled(client: FlaskClient) -> None:
    html = page(client, "/id/neuroblastoma?lang=ko")
    incoming = html.split('id="incoming-heading"')[1].split("</section>")[0]
    assert '<span lang="ko">주요 대상 질환</span>' in incoming  # pko:targetDisease, in Korean
    assert '<a href="/id/hemato-oncology-division?lang=ko"' in incoming
    assert '<span lang="ko">소아혈액종양과</span>' in incoming
    outgoing = html.split('id="outgoing-heading"')[1].split("</section>")[0]
    assert 'href="http://purl.obolibrary.org/obo/MONDO_0005072"' in outgoing  # external: itself


def test_class_page_lists_its_instances(client: FlaskClient) -> None:
    html = page(client, "/id/ontology/Disease")
    instances = html.split('class="card instances"')[1].split("</section>")[0]
    assert 'href="/id/neuroblastoma"' in instances and ">neuroblastoma<" in instances
    assert "(17)" in instances
    department = page(client, "/id/ontology/Department")  # instances of its subclasses too
    assert 'href="/id/surgery"' in department.split('class="card instances"')[1]


def test_long_groups_are_paged(app: Flask, client: FlaskClient) -> None:
    app.config["PEDKG_ENTITY_PAGE_SIZE"] = 5
    app.extensions["pedkg_cache"].entries.clear()  # pages cached at the usual size would hide the change
    try:
        first = page(client, "/id/hemato-oncology-division")
        group = first.split('id="out-pko:targetDisease"')[1].split("</div>")[0]
        assert group.count("<li>") == 5 and "page 1 of 4" in group
        next_link = re.search(r'<a rel="next" href="([^"]+)"', group)
        assert next_link
        query = parse_qs(urlsplit(next_link.group(1).replace("&amp;", "&")).query)
        assert query == {"group": ["out-pko:targetDisease"], "page": ["2"]}
        last = page(client, "/id/hemato-oncology-division?group=out-pko:targetDisease&page=4")
        group = last.split('id="out-pko:targetDisease"')[1].split("</div>")[0]
        assert group.count("<li>") == 2 and "page 4 of 4" in group and 'rel="prev"' in group
    finally:
        app.config.pop("PEDKG_ENTITY_PAGE_SIZE")
        app.extensions["pedkg_cache"].entries.clear()


def test_download_and_query_links(client: FlaskClient) -> None:
    html = page(client, "/id/neuroblastoma")
    for suffix, (media_type, _) in FORMATS.items():
        assert f'<a href="/id/neuroblastoma.{suffix}" type="{media_type}">' in html
    query_link = re.search(r'<a class="open-editor" href="([^"]+)"', html)
    assert query_link
    response = client.get(query_link.group(1).replace("&amp;", "&"), headers={"Accept": "text/csv"})
    assert response.status_code == 200 and BASE + "neuroblastoma" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "schema_type"),
    [
        ("neuroblastoma", "MedicalCondition"),
        ("hematopoietic-stem-cell-transplantation", "MedicalProcedure"),
        ("surgery", "MedicalOrganization"),
        ("hemato-oncology-division", "MedicalOrganization"),
        ("pediatric-palliative-care-team", "MedicalOrganization"),
        ("hospital-school", "Thing"),
    ],
)
def test_embedded_schema_org(client: FlaskClient, name: str, schema_type: str) -> None:
    html = page(client, f"/id/{name}")
    data = json.loads(JSON_LD.search(html).group(1))  # type: ignore[union-attr]
    assert data["@context"] == {"@vocab": "https://schema.org/"}  # inline: nothing fetched
    assert data["@type"] == schema_type and data["@id"] == BASE + name
    schema = embedded(html)
    rdf = parsed(client.get(f"/id/{name}.ttl"), "turtle")
    assert disagreements(BASE + name, schema, rdf) == []


def test_embedded_codes_agree_with_the_mappings(client: FlaskClient) -> None:
    schema = embedded(page(client, "/id/wilms-tumor"))
    codes = {
        (str(schema.value(c, SCHEMA.codingSystem)), str(schema.value(c, SCHEMA.codeValue)))
        for c in schema.objects(PEDKG["wilms-tumor"], SCHEMA.code)
    }
    assert ("ICD-O-3", "8960/3") in codes and ("MONDO Disease Ontology", "0006058") in codes
    # ICD-10 C64 (kidney) is only a broader match of Wilms tumour: not one of its codes
    assert ("WHO ICD-10", "C64") not in codes
    rdf = parsed(client.get("/id/wilms-tumor.nt"), "nt")
    c64 = URIRef("https://icd.who.int/browse10/2019/en#/C64")
    assert (PEDKG["wilms-tumor"], SKOS.broadMatch, c64) in rdf
    assert (c64, SKOS.notation, Literal("C64")) in rdf
    specialties = embedded(page(client, "/id/surgery"))
    assert (PEDKG.surgery, SCHEMA.medicalSpecialty, SCHEMA.Surgical) in specialties


def test_label_rule_prefers_the_readers_language_then_marks_the_other() -> None:
    labels = Labels()
    iri = BASE + "x"
    assert labels.label(iri, "ko") == Text("pedkg:x", "zxx")  # nothing: the CURIE
    assert labels.label("urn:example:y", "ko") == Text("urn:example:y", "zxx")  # no prefix: the IRI
    labels.add(iri, RDFS_LABEL_IRI, ox.Literal("thing", language="en"))
    assert labels.label(iri, "ko") == Text("thing", "en", fallback=True)
    labels.add(iri, RDFS_LABEL_IRI, ox.Literal("사물", language="ko"))
    assert labels.label(iri, "ko") == Text("사물", "ko")
    labels.add(iri, PREF_LABEL, ox.Literal("물건", language="ko"))
    assert labels.label(iri, "ko") == Text("물건", "ko")  # skos:prefLabel first
    assert labels.label(iri, "en") == Text("thing", "en")


def test_every_labelled_entity_is_named_in_korean_or_marked(client: FlaskClient, store: GraphStore) -> None:
    labelled = rows(
        store,
        """SELECT ?s (SAMPLE(?ko) AS ?korean) (SAMPLE(?en) AS ?english) WHERE {
             ?s <http://www.w3.org/2000/01/rdf-schema#label> ?any
             FILTER(STRSTARTS(STR(?s), "https://w3id.org/pedkg/"))
             OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?ko FILTER(lang(?ko) = "ko") }
             OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?en FILTER(lang(?en) = "en") }
           } GROUP BY ?s""",
    )
    assert any("korean" not in r for r in labelled)  # e.g. the build activity: English only
    problems = []
    for row in labelled:
        heading = re.search(
            r"<h1>(.*?)</h1>", page(client, "/id/" + row["s"].removeprefix(BASE) + "?lang=ko")
        )
        if "korean" in row:
            expected = f'<span lang="ko">{escape(row["korean"])}</span>'
        else:
            expected = f'<span lang="en">{escape(row["english"])}</span> <small class="fallback"'
        if not heading or not heading.group(1).startswith(expected):
            problems.append(f"{row['s']}: {heading.group(1) if heading else 'no heading'}")
    assert not problems, "\n".join(problems)
