"""``/ontology``: pedkg's ontology documented for people, from the ontology graph itself.

The class hierarchy is drawn as nested lists from ``rdfs:subClassOf``. Superclasses from
other vocabularies (schema.org, SKOS, PROV) are the roots, shown as aligned terms that
link to their own documentation; a class under two of them appears under both. Then
every class and every property, with its labels in both languages, its definition, its
domains, ranges and ``rdfs:subPropertyOf`` alignments. Each pedkg term links to its own
page at ``/id/ontology/<Term>``, which lists its instances. Names and definitions are
picked by the one label rule of ``pedkg.labels``, like every other page's.

The machine twin is the ontology graph as Turtle, from the SPARQL endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from ..labels import DEFINITION, Labels, Text
from ..namespaces import EXTERNAL, ONTOLOGY, STANDARD, graph_iri
from ..sparql.rows import select
from . import chrome, statistics, world
from .urls import link

blueprint = Blueprint("ontology", __name__)

OWL, RDFS, SKOS = STANDARD["owl"], STANDARD["rdfs"], STANDARD["skos"]
KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object", OWL + "DatatypeProperty": "datatype"}
#: the links of a term that fill its lists (labels and definitions go to ``Labels``)
SLOTS = {
    RDFS + "subClassOf": "supers",
    RDFS + "subPropertyOf": "supers",
    RDFS + "domain": "domains",
    RDFS + "range": "ranges",
}
TERMS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?kind ?p ?o WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
  ?term a ?kind FILTER(STRSTARTS(STR(?term), "https://w3id.org/pedkg/ontology/"))
  OPTIONAL {
    VALUES ?p {
      rdfs:label skos:prefLabel skos:definition rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range
    }
    ?term ?p ?o
  }
}
"""
HEADER = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?ontology ?version ?description ?license WHERE {
  ?ontology a owl:Ontology FILTER(STRSTARTS(STR(?ontology), "https://w3id.org/pedkg/ontology/"))
  OPTIONAL { ?ontology owl:versionInfo ?version }
  OPTIONAL { ?ontology dcterms:description ?description }
  OPTIONAL { ?ontology dcterms:license ?license }
}
"""
TWIN = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <" + graph_iri("ontology") + "> { ?s ?p ?o } }"
#: aligned vocabularies, in the order their roots are listed
ALIGNED = ("https://schema.org/", SKOS, STANDARD["prov"])


@dataclass
class Term:
    """A class or property, named from the labels and definitions read for the whole ontology."""

    iri: str
    kind: str  # class | object | datatype
    names: Labels = field(repr=False)
    supers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.iri.removeprefix(ONTOLOGY)

    def label(self, lang: str) -> Text:
        """The term's label by the one rule (``Labels.label``)."""
        return self.names.label(self.iri, lang)

    def label_in(self, lang: str) -> Text | None:
        """The label written in ``lang`` itself (the page shows both languages), None if none."""
        return self.names.label_in(self.iri, lang)

    def definition(self, lang: str) -> Text | None:
        return self.names.definition(self.iri, lang)


@dataclass
class Tree:
    """One entry of the hierarchy: a pedkg class or an aligned root, and what sits under it."""

    iri: str
    children: list[Tree]
    aligned: bool = False


@dataclass
class Ontology:
    terms: dict[str, Term]

    @property
    def classes(self) -> list[Term]:
        return sorted((t for t in self.terms.values() if t.kind == "class"), key=lambda t: t.name)

    @property
    def properties(self) -> list[Term]:
        # object properties first: they are the links between things, what readers look for
        return sorted(
            (t for t in self.terms.values() if t.kind != "class"), key=lambda t: (t.kind != "object", t.name)
        )

    def subclasses(self, iri: str) -> list[Term]:
        return [t for t in self.classes if iri in t.supers]

    def about(self, iri: str) -> list[Term]:
        """Properties whose domain or range is this class."""
        return [t for t in self.properties if iri in t.domains or iri in t.ranges]

    def hierarchy(self) -> list[Tree]:
        """Aligned roots (schema.org, SKOS, PROV order), then pedkg classes with no superclass."""

        def under(iri: str) -> list[Tree]:
            return [Tree(t.iri, under(t.iri)) for t in self.subclasses(iri)]

        outside = {s for t in self.classes for s in t.supers if s not in self.terms}
        rank = {space: i for i, space in enumerate(ALIGNED)}
        roots = sorted(
            outside,
            key=lambda iri: (
                min((r for s, r in rank.items() if iri.startswith(s)), default=len(ALIGNED)),
                iri,
            ),
        )
        trees = [Tree(root, under(root), aligned=True) for root in roots]
        return trees + [Tree(t.iri, under(t.iri)) for t in self.classes if not t.supers]


def load() -> Ontology:
    names = Labels()
    terms: dict[str, Term] = {}
    for row in select(world().pool, TERMS, statistics.ROW_LIMIT):
        iri = row["term"].value
        term = terms.setdefault(iri, Term(iri, KINDS[row["kind"].value], names))
        if "p" not in row:
            continue
        prop, value = row["p"].value, row["o"]
        if isinstance(value, ox.Literal):
            names.add(iri, prop, value)
        elif (
            prop in SLOTS
            and isinstance(value, ox.NamedNode)
            and value.value not in getattr(term, SLOTS[prop])
        ):
            getattr(term, SLOTS[prop]).append(value.value)
    for term in terms.values():
        for iris in (term.supers, term.domains, term.ranges):
            iris.sort()
    return Ontology(terms)


def header(lang: str) -> dict[str, Text | str | None]:
    """The ontology's own version and licence, and its description in ``lang`` by the one rule."""
    names = Labels()
    found: dict[str, Text | str | None] = {"description": None}
    for row in select(world().pool, HEADER, 100):
        ontology = row["ontology"].value
        for name in ("version", "license"):
            if name in row:
                found[name] = row[name].value
        if "description" in row:  # a definition of the ontology, picked like any other
            names.add(ontology, DEFINITION, row["description"])
            found["description"] = names.definition(ontology, lang)
    return found


def twin_url() -> str:
    """The ontology graph as Turtle: a CONSTRUCT on the SPARQL endpoint."""
    return link("sparql.endpoint", query=TWIN, format="turtle", lang=None)


@blueprint.get("/ontology")
def index() -> Response:
    lang = chrome.reader_language()
    ontology = load()
    stats = statistics.compute()
    html = render_template(
        "ontology.html",
        active="ontology",
        ontology=ontology,
        about=header(lang),
        counts=stats.classes,
        twin=twin_url(),
        vocabulary_of=lambda iri: _vocabulary(iri),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'<{twin_url()}>; rel="alternate"; type="text/turtle"'
    return response


def _vocabulary(iri: str) -> str:
    """The short name of an aligned term's vocabulary (schema.org, SKOS, PROV, XSD ...)."""
    names = {
        "https://schema.org/": "schema.org",
        SKOS: "SKOS",
        STANDARD["prov"]: "PROV",
        STANDARD["xsd"]: "XSD",
    }
    names |= {STANDARD["rdf"]: "RDF", STANDARD["rdfs"]: "RDFS"}
    for space, name in names.items():
        if iri.startswith(space):
            return name
    prefix = statistics.vocabulary_of(iri)
    return prefix if prefix in EXTERNAL else ""
