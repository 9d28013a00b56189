"""/void (VoID + DCAT), the whole-dataset dumps and /sitemap.xml, checked against the store.

The description is parsed with rdflib and each of its numbers compared with a COUNT
query of its own; the dumps are parsed and counted against the store; the sitemap is
parsed as XML and must list every pedkg subject's page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib.namespace import DCAT, RDF, VOID

from pedkg.config import Settings
from pedkg.namespaces import BASE, EXTERNAL
from pedkg.store.embedded import GraphStore
from pedkg.web import create_app, dataset

from conftest import rows

DATASET = rdflib.URIRef(BASE + "dataset")
MATCHES = "skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


@pytest.fixture(scope="module")
def void(app: Flask) -> rdflib.Graph:
    response = app.test_client().get("/void")
    assert response.status_code == 200, response.data[:1000]
    assert response.mimetype == "text/turtle"
    return rdflib.Graph().parse(data=response.data, format="turtle")


def number(store: GraphStore, sparql: str) -> int:
    return int(rows(store, SKOS + sparql)[0]["n"])


def test_the_dataset_size(void: rdflib.Graph, store: GraphStore) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    distinct = number(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert int(void.value(DATASET, VOID.triples)) == distinct


def test_class_partitions_match_count_queries(void: rdflib.Graph, store: GraphStore) -> None:
    partitions = {
        str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    classes = {row["c"] for row in rows(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    assert set(partitions) == classes
    for class_iri, n in partitions.items():
        expected = number(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{class_iri}> }}")
        assert n == expected, class_iri
    assert partitions[BASE + "ontology/Disease"] == 17  # the division's page names 17 target diseases


def test_property_partitions_match_count_queries(void: rdflib.Graph, store: GraphStore) -> None:
    partitions = {
        str(void.value(p, VOID.property)): int(void.value(p, VOID.triples))
        for p in void.objects(DATASET, VOID.propertyPartition)
    }
    assert len(partitions) == number(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    for property_iri, n in partitions.items():
        query = (
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s <{property_iri}> ?o }} }}"
        )
        assert n == number(store, query), property_iri


def test_one_linkset_per_vocabulary(void: rdflib.Graph, store: GraphStore) -> None:
    linksets = list(void.subjects(RDF.type, VOID.Linkset))
    assert len(linksets) >= 10
    seen = set()
    for linkset in linksets:
        targets = list(void.objects(linkset, VOID.target))
        assert DATASET in targets and len(targets) == 2
        space = str(void.value(void.value(linkset, VOID.objectsTarget), VOID.uriSpace))
        prefix = next(p for p, s in EXTERNAL.items() if s == space)
        seen.add(prefix)
        predicates = {str(p) for p in void.objects(linkset, VOID.linkPredicate)}
        assert predicates
        others = [s for s in EXTERNAL.values() if s != space and s.startswith(space)]  # longer, nested spaces
        excluded = "".join(f' && !STRSTARTS(STR(?o), "{s}")' for s in others)
        expected = number(
            store,
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {"
            f" VALUES ?p {{ {MATCHES} }} ?s ?p ?o"
            f' FILTER(STRSTARTS(STR(?s), "{BASE}") && STRSTARTS(STR(?o), "{space}"){excluded}) }} }}',
        )
        assert int(void.value(linkset, VOID.triples)) == expected, prefix
        assert (DATASET, VOID.subset, linkset) in void
    assert {"MONDO", "icd10", "NCIT", "snomedct", "wikidata"} <= seen


def test_access_dumps_and_endpoint(void: rdflib.Graph) -> None:
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {"http://localhost/dumps/pedkg.ttl", "http://localhost/dumps/pedkg.nq"}
    downloads = {str(void.value(d, DCAT.downloadURL)) for d in void.objects(DATASET, DCAT.distribution)}
    assert dumps <= downloads
    assert str(void.value(DATASET, VOID.sparqlEndpoint)) == "http://localhost/sparql"


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("text/turtle;q=0.5, application/trig", "application/trig", "trig"),
    ],
)
@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # rdflib's JSON-LD parser
def test_void_by_accept(client: FlaskClient, accept: str, media_type: str, rdflib_format: str) -> None:
    response = client.get("/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    if rdflib_format in ("nquads", "trig"):  # quad formats: the description is the default graph
        parsed = ox.parse(
            response.data, format=ox.RdfFormat.N_QUADS if rdflib_format == "nquads" else ox.RdfFormat.TRIG
        )
        typed = ox.Quad(
            ox.NamedNode(str(DATASET)), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(VOID.Dataset))
        )
        assert typed in list(parsed)
    else:
        graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
        assert (DATASET, RDF.type, VOID.Dataset) in graph


def test_void_page_for_browsers_and_406(client: FlaskClient, void: rdflib.Graph) -> None:
    page = client.get("/void", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert f'<span class="number">{int(void.value(DATASET, VOID.triples))}</span>' in body
    assert 'id="linkset-MONDO"' in body and "/dumps/pedkg.nq" in body
    assert 'rel="alternate"; type="text/turtle"' in page.headers["Link"]
    assert client.get("/void", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/void?format=html").mimetype == "text/html"


def test_dumps_hold_the_whole_store(client: FlaskClient, store: GraphStore) -> None:
    nquads = client.get("/dumps/pedkg.nq")
    assert nquads.status_code == 200 and nquads.mimetype == "application/n-quads"
    quads = list(ox.parse(nquads.data, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(store)
    turtle = client.get("/dumps/pedkg.ttl")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    distinct = number(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert len(rdflib.Graph().parse(data=turtle.data, format="turtle")) == distinct
    assert client.get("/dumps/other.ttl").status_code == 404


def test_the_dumps_are_not_cut_by_the_row_limit(built, store: GraphStore) -> None:
    application = create_app(Settings.from_env({}, store=built[0].store, row_limit=10))
    dataset._dumps.clear()  # made afresh under this app's row limit, not taken from the cache
    try:
        response = application.test_client().get("/dumps/pedkg.nq")
        assert len(list(ox.parse(response.data, format=ox.RdfFormat.N_QUADS))) == len(store)
    finally:
        application.extensions["pedkg"].pool.close()


def test_sitemap_lists_every_page(client: FlaskClient, store: GraphStore, app: Flask) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    document = ET.fromstring(response.data)
    locations = {loc.text for loc in document.iter(namespace + "loc")}
    root = "http://localhost"
    for path in ("/", "/ontology", "/void", "/sparql", "/queries"):
        assert root + path in locations
    for name in app.extensions["pedkg"].catalogue:
        assert f"{root}/queries/{name}" in locations
    subjects = rows(
        store, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}'
    )
    assert subjects
    for row in subjects:
        assert root + "/id/" + row["s"].removeprefix(BASE) in locations


def test_sitemap_locations_answer(client: FlaskClient, app: Flask) -> None:
    """The fixed pages, the named queries and one page of each IRI shape answer 200.

    (test_entities walks every entity page; here each shape of /id/ path once: an entity,
    a mapping, an ontology term, the ontology, a graph, a shape, the build activity.)
    """
    document = ET.fromstring(client.get("/sitemap.xml").data)
    paths = [loc.text.removeprefix("http://localhost") for loc in document.iter(SITEMAP + "loc") if loc.text]
    shapes: dict[str, str] = {}
    for path in paths:
        if path.startswith("/id/"):
            local = path.removeprefix("/id/")
            shape = local.split("/")[0] + "/" if "/" in local else local.split("-")[0]
            shapes.setdefault(shape, path)
    checked = [path for path in paths if not path.startswith("/id/")]
    if "entities" in app.blueprints:
        checked += shapes.values()
    assert len(shapes) >= 5
    for path in checked:
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
