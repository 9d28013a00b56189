"""/ontology: every class and property of ontology/ontology.ttl, labelled in both languages.

The expectations are read from the ontology file with rdflib (a second parser), so the
page is checked against the source, not against the code that wrote it.
"""

from __future__ import annotations

import re

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from rdflib.namespace import OWL, RDF, RDFS

from pedkg.config import PROJECT_ROOT
from pedkg.namespaces import ONTOLOGY, compress

BROWSER = {"Accept": "text/html"}
SOURCE = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "ontology.ttl")
SKOS_DEFINITION = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition")
TERMS = sorted(
    str(term)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in SOURCE.subjects(RDF.type, kind)
    if str(term).startswith(ONTOLOGY)
)


@pytest.fixture(scope="module")
def pages(app: Flask) -> dict[str, str]:
    client: FlaskClient = app.test_client()
    found = {}
    for lang in ("en", "ko"):
        response = client.get(f"/ontology?lang={lang}", headers=BROWSER)
        assert response.status_code == 200, response.data[:2000]
        found[lang] = response.get_data(as_text=True)
    return found


def card(page: str, iri: str) -> str:
    match = re.search(
        rf'<li class="card term-card" id="{iri.removeprefix(ONTOLOGY)}">.*?</li>', page, flags=re.S
    )
    assert match, iri
    return match.group()


def label(iri: str, lang: str) -> str:
    return next(str(o) for o in SOURCE.objects(rdflib.URIRef(iri), RDFS.label) if o.language == lang)


def test_the_ontology_has_terms() -> None:
    assert len(TERMS) >= 20


@pytest.mark.parametrize("iri", TERMS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_term_with_both_labels_and_a_link_to_its_page(
    pages: dict[str, str], iri: str, lang: str
) -> None:
    other = "en" if lang == "ko" else "ko"
    entry = card(pages[lang], iri)
    name = iri.removeprefix(ONTOLOGY)
    assert f'<a href="/id/ontology/{name}?lang={lang}">' in entry
    assert f'<span class="primary" lang="{lang}">{esc(label(iri, lang))}</span>' in entry
    assert f'<span class="secondary" lang="{other}">{esc(label(iri, other))}</span>' in entry
    assert f"<code>{compress(iri)}</code>" in entry
    definition = next(SOURCE.objects(rdflib.URIRef(iri), SKOS_DEFINITION))
    assert esc(str(definition)) in entry


@pytest.mark.parametrize("iri", TERMS)
def test_domains_ranges_and_alignments(pages: dict[str, str], iri: str) -> None:
    entry = card(pages["en"], iri)
    for predicate in (RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf):
        for target in SOURCE.objects(rdflib.URIRef(iri), predicate):
            if str(target).startswith(ONTOLOGY):
                assert f'href="/id/ontology/{str(target).removeprefix(ONTOLOGY)}?lang=en"' in entry
            else:  # an aligned term: shown by its CURIE, linked to its own documentation
                assert (
                    f'<a class="aligned" href="{target}" rel="external"><code>{compress(str(target))}</code></a>'
                    in entry
                )


def test_the_hierarchy_nests_subclasses_under_aligned_roots(pages: dict[str, str]) -> None:
    tree = re.search(r'<div class="class-tree">.*?</div>', pages["en"], flags=re.S)
    assert tree
    text = tree.group()
    # schema:MedicalOrganization > pko:Department > pko:SurgicalDepartment, as nested lists
    root = text.index("schema:MedicalOrganization")
    department = text.index('href="#Department"', root)
    surgical = text.index('href="#SurgicalDepartment"', department)
    assert text.count("<ul>", department, surgical) == 1
    for iri in TERMS:
        if (rdflib.URIRef(iri), RDF.type, OWL.Class) in SOURCE:
            assert f'href="#{iri.removeprefix(ONTOLOGY)}"' in text, iri


def test_the_machine_twin_is_the_ontology_graph(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/ontology", headers=BROWSER)
    twin = re.search(r"<([^>]+)>; rel=\"alternate\"; type=\"text/turtle\"", response.headers["Link"])
    assert twin
    data = client.get(twin.group(1).replace("&amp;", "&"), headers={"Accept": "text/turtle"})
    assert data.status_code == 200, data.data[:500]
    graph = rdflib.Graph().parse(data=data.data, format="turtle")
    assert len(graph) == len(SOURCE)


def esc(text: str) -> str:
    """Text as the templates write it (Jinja's escaping)."""
    return str(escape(text))


def test_every_term_page_resolves(app: Flask, pages: dict[str, str]) -> None:
    """The links to /id/ontology/<Term> lead to the term's page (once the entity pages exist)."""
    if "entities" not in app.blueprints:
        pytest.skip("the entity pages (/id/...) are not built yet")
    client = app.test_client()
    for iri in TERMS:
        response = client.get(f"/id/ontology/{iri.removeprefix(ONTOLOGY)}", headers=BROWSER)
        assert response.status_code == 200, iri
        assert esc(label(iri, "en")) in response.get_data(as_text=True)
