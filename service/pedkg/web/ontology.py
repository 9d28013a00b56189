"""``/ontology``: pedkg's ontology documented for people, from the ontology graph itself.

The class hierarchy is drawn as nested lists from ``rdfs:subClassOf``. Superclasses from
other vocabularies (schema.org, SKOS, PROV) are the roots, shown as aligned terms that
link to their own documentation; a class under two of them appears under both. Then
every class and every property, with its labels in both languages, its definition, its
domains, ranges and ``rdfs:subPropertyOf`` alignments. Each pedkg term links to its own
page at ``/id/ontology/<Term>``, which lists its instances.

The machine twin is the ontology graph as Turtle, from the SPARQL endpoint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template

from ..namespaces import EXTERNAL, ONTOLOGY, STANDARD, graph_iri
from ..sparql.pool import QueryJob
from . import chrome, statistics, world
from .urls import link

blueprint = Blueprint("ontology", __name__)

OWL, RDFS, SKOS = STANDARD["owl"], STANDARD["rdfs"], STANDARD["skos"]
KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object", OWL + "DatatypeProperty": "datatype"}
#: what each annotation of a term fills in the model
SLOTS = {
    RDFS + "label": "labels",
    SKOS + "definition": "definitions",
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
    VALUES ?p { rdfs:label skos:definition rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range }
    ?term ?p ?o
  }
}
"""
HEADER = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?ontology ?version ?title ?description ?license WHERE {
  ?ontology a owl:Ontology FILTER(STRSTARTS(STR(?ontology), "https://w3id.org/pedkg/ontology/"))
  OPTIONAL { ?ontology owl:versionInfo ?version }
  OPTIONAL { ?ontology dcterms:title ?title }
  OPTIONAL { ?ontology dcterms:description ?description }
  OPTIONAL { ?ontology dcterms:license ?license }
}
"""
TWIN = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <" + graph_iri("ontology") + "> { ?s ?p ?o } }"
#: aligned vocabularies, in the order their roots are listed
ALIGNED = ("https://schema.org/", SKOS, STANDARD["prov"])

chrome.add_messages(
    {
        "en": {
            "onto_title": "The pedkg ontology",
            "onto_intro": "The terms pedkg uses to describe the division, aligned to schema.org, SKOS "
            "and PROV. Each term has its own page, which lists the things of that kind.",
            "onto_version": "version",
            "onto_license": "licence",
            "onto_as_turtle": "The ontology as Turtle",
            "onto_hierarchy": "Class hierarchy",
            "onto_hierarchy_help": "Terms of other vocabularies (marked “aligned”) are the roots; "
            "pedkg's classes sit under the terms they specialise.",
            "onto_aligned": "aligned",
            "onto_classes": "Classes",
            "onto_properties": "Properties",
            "onto_object": "object property",
            "onto_datatype": "datatype property",
            "onto_class": "class",
            "onto_super": "subclass of",
            "onto_subclasses": "subclasses",
            "onto_subproperty": "subproperty of",
            "onto_domain": "domain",
            "onto_range": "range",
            "onto_instances": "{n} in the graph",
            "onto_used_by": "properties about it",
            "onto_no_definition": "No definition.",
            "onto_in_english": "(English)",
        },
        "ko": {
            "onto_title": "pedkg 온톨로지",
            "onto_intro": "pedkg가 분과를 기술하는 데 쓰는 용어로, schema.org·SKOS·PROV에 "
            "맞춰 정렬되어 있습니다. 각 용어의 페이지에는 그 종류에 속하는 개체들이 나열됩니다.",
            "onto_version": "버전",
            "onto_license": "라이선스",
            "onto_as_turtle": "온톨로지 Turtle 파일",
            "onto_hierarchy": "클래스 계층",
            "onto_hierarchy_help": "다른 용어 체계의 용어(‘정렬’ 표시)가 뿌리이고, pedkg 클래스는 "
            "자신이 세분하는 용어 아래에 있습니다.",
            "onto_aligned": "정렬",
            "onto_classes": "클래스",
            "onto_properties": "속성",
            "onto_object": "객체 속성",
            "onto_datatype": "데이터 속성",
            "onto_class": "클래스",
            "onto_super": "상위 클래스",
            "onto_subclasses": "하위 클래스",
            "onto_subproperty": "상위 속성",
            "onto_domain": "정의역",
            "onto_range": "치역",
            "onto_instances": "그래프에 {n}개",
            "onto_used_by": "이 클래스에 쓰이는 속성",
            "onto_no_definition": "정의가 없습니다.",
            "onto_in_english": "(영어)",
        },
    }
)


@dataclass
class Term:
    iri: str
    kind: str  # class | object | datatype
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    supers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.iri.removeprefix(ONTOLOGY)

    def label(self, lang: str) -> tuple[str, str]:
        if lang in self.labels:
            return self.labels[lang], lang
        for other, text in sorted(self.labels.items()):
            return text, other
        return self.name, "en"

    def definition(self, lang: str) -> tuple[str, str] | None:
        if lang in self.definitions:
            return self.definitions[lang], lang
        if "en" in self.definitions:
            return self.definitions["en"], "en"
        return None


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
    answer = world().pool.run(QueryJob(TERMS, "json", False, statistics.ROW_LIMIT))
    terms: dict[str, Term] = {}
    for row in json.loads(answer.body)["results"]["bindings"]:
        iri = row["term"]["value"]
        term = terms.setdefault(iri, Term(iri, KINDS[row["kind"]["value"]]))
        if "p" not in row:
            continue
        slot, value = SLOTS[row["p"]["value"]], row["o"]
        if slot in ("labels", "definitions"):
            getattr(term, slot)[value.get("xml:lang", "en")] = value["value"]
        elif value["type"] == "uri" and value["value"] not in getattr(term, slot):
            getattr(term, slot).append(value["value"])
    for term in terms.values():
        for iris in (term.supers, term.domains, term.ranges):
            iris.sort()
    return Ontology(terms)


def header() -> dict[str, dict[str, str] | str]:
    """The ontology's own title, description, version and licence, by language where they have one."""
    answer = world().pool.run(QueryJob(HEADER, "json", False, 100))
    found: dict[str, dict[str, str] | str] = {}
    for row in json.loads(answer.body)["results"]["bindings"]:
        for name, cell in row.items():
            if name in ("title", "description"):
                texts = found.setdefault(name, {})
                assert isinstance(texts, dict)
                texts[cell.get("xml:lang", "en")] = cell["value"]
            else:
                found[name] = cell["value"]
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
        about=header(),
        counts=stats.classes,
        twin=twin_url(),
        vocabulary_of=lambda iri: _vocabulary(iri),
        pick=lambda texts: _pick(texts, lang),
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


def _pick(texts: dict[str, str] | str | None, lang: str) -> tuple[str, str] | None:
    if not isinstance(texts, dict) or not texts:
        return None
    chosen = lang if lang in texts else "en" if "en" in texts else sorted(texts)[0]
    return texts[chosen], chosen
