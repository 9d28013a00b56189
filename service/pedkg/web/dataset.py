"""``/void``, ``/dumps/pedkg.{ttl,nq}`` and ``/sitemap.xml``: the dataset described as a whole.

``/void`` is one description in two forms from one object (``describe``): VoID and DCAT
triples for machines (Turtle unless ``Accept`` or ``format=`` asks for another graph
format) and a page for browsers. Its numbers come from ``statistics``, the counts the
home page shows. Partitions, linksets and distributions are blank nodes: they live in
this description only, and pedkg's IRIs all resolve at ``/id/``, which these would not.

The dumps are the whole store, read from a read-only ``GraphStore`` (never through the
row-capped query pool, so nothing is cut): N-Quads keep every named graph, Turtle is
the union of them (each distinct triple once). They are made once per store version. The
N-Quads dump is ``pedkg dump``'s canonical form, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, render_template, request

from ..namespaces import BASE, PREFIXES, STANDARD
from ..sparql import formats
from ..store.dump import canonical
from ..store.per_version import PerVersion
from . import chrome, responses, statistics, world
from .urls import link

blueprint = Blueprint("dataset", __name__)

DATASET = BASE + "dataset"
RDF_TYPE = STANDARD["rdf"] + "type"
V, DCAT, DCT = STANDARD["void"], STANDARD["dcat"], STANDARD["dcterms"]
XSD_INTEGER = ox.NamedNode(STANDARD["xsd"] + "integer")
VOCABULARIES = (
    BASE + "ontology/",
    "https://schema.org/",
    STANDARD["skos"],
    STANDARD["prov"],
    "https://w3id.org/sssom/",
)
DUMPS = {"pedkg.ttl": formats.GRAPH_FORMATS["turtle"][0], "pedkg.nq": formats.GRAPH_FORMATS["nquads"][0]}
SUBSETS = """
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?graph ?triples ?source WHERE {
  <https://w3id.org/pedkg/dataset> void:subset ?graph .
  OPTIONAL { ?graph void:triples ?triples } OPTIONAL { ?graph dcterms:source ?source }
} ORDER BY ?graph
"""


@dataclass
class Description:
    """What ``/void`` says, for the template and for the triples alike."""

    root: str  # this server's home page
    endpoint: str
    dumps: dict[str, str]  # dump name -> its URL
    stats: statistics.Statistics
    subsets: list[dict[str, str]]
    subjects: int


def describe() -> Description:
    return Description(
        link("home.index", _external=True, lang=None),
        link("sparql.endpoint", _external=True, lang=None),
        {name: link("dataset.dumps", name=name, _external=True, lang=None) for name in DUMPS},
        statistics.compute(),
        statistics.select(SUBSETS),
        len(statistics.pedkg_subjects()),
    )


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def triples(d: Description) -> list[ox.Triple]:
    """The VoID and DCAT description as triples."""
    out: list[ox.Triple] = []
    dataset = ox.NamedNode(DATASET)

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    for kind in (V + "Dataset", DCAT + "Dataset"):
        add(dataset, RDF_TYPE, iri(kind))
    add(dataset, DCT + "title", ox.Literal("pedkg", language="en"))
    for lang in chrome.LANGUAGES:
        add(dataset, DCT + "description", ox.Literal(chrome.translate(lang, "void_intro"), language=lang))
    add(dataset, "http://xmlns.com/foaf/0.1/homepage", iri(d.root))
    add(dataset, V + "uriSpace", ox.Literal(BASE))
    add(dataset, V + "sparqlEndpoint", iri(d.endpoint))
    add(dataset, V + "rootResource", iri(BASE + "hemato-oncology-division"))
    add(dataset, V + "exampleResource", iri(BASE + "neuroblastoma"))
    for vocabulary in VOCABULARIES:
        add(dataset, V + "vocabulary", iri(vocabulary))
    add(dataset, V + "triples", _integer(d.stats.triples))
    add(dataset, V + "entities", _integer(d.subjects))
    add(dataset, V + "classes", _integer(len(d.stats.classes)))
    add(dataset, V + "properties", _integer(len(d.stats.properties)))
    for name, fmt in DUMPS.items():
        add(dataset, V + "dataDump", iri(d.dumps[name]))
        distribution = ox.BlankNode()
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE, iri(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", iri(d.dumps[name]))
        add(
            distribution,
            DCAT + "mediaType",
            iri("https://www.iana.org/assignments/media-types/" + fmt.media_type),
        )
        add(
            distribution,
            DCT + "title",
            ox.Literal(chrome.translate("en", f"void_dump_{fmt.suffix}"), language="en"),
        )
    service = ox.BlankNode()
    add(dataset, DCAT + "distribution", service_distribution := ox.BlankNode())
    add(service_distribution, RDF_TYPE, iri(DCAT + "Distribution"))
    add(service_distribution, DCAT + "accessURL", iri(d.endpoint))
    add(service_distribution, DCAT + "accessService", service)
    add(service, RDF_TYPE, iri(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", iri(d.endpoint))
    add(service, DCT + "conformsTo", iri("https://www.w3.org/TR/sparql11-protocol/"))
    add(service, DCAT + "servesDataset", dataset)
    for subset in d.subsets:
        graph = iri(subset["graph"])
        add(dataset, V + "subset", graph)
        add(graph, RDF_TYPE, iri(V + "Dataset"))
        if "triples" in subset:
            add(graph, V + "triples", _integer(int(subset["triples"])))
    for class_iri, n in d.stats.classes.items():
        partition = ox.BlankNode()
        add(dataset, V + "classPartition", partition)
        add(partition, V + "class", iri(class_iri))
        add(partition, V + "entities", _integer(n))
    for property_iri, n in d.stats.properties.items():
        partition = ox.BlankNode()
        add(dataset, V + "propertyPartition", partition)
        add(partition, V + "property", iri(property_iri))
        add(partition, V + "triples", _integer(n))
    for linkset in d.stats.linksets:
        node, target = ox.BlankNode(), ox.BlankNode()
        add(node, RDF_TYPE, iri(V + "Linkset"))
        add(dataset, V + "subset", node)
        add(node, DCT + "title", ox.Literal(f"pedkg → {linkset.name}", language="en"))
        add(node, V + "subjectsTarget", dataset)
        add(node, V + "objectsTarget", target)
        add(node, V + "target", dataset)
        add(node, V + "target", target)
        for predicate in linkset.by_predicate:
            add(node, V + "linkPredicate", iri(predicate))
        add(node, V + "triples", _integer(linkset.triples))
        add(target, RDF_TYPE, iri(V + "Dataset"))
        add(target, DCT + "title", ox.Literal(linkset.name, language="en"))
        add(target, V + "uriSpace", ox.Literal(linkset.uri_space))
    return out


def serialize(description: list[ox.Triple], fmt: formats.Format) -> bytes:
    """The description in a graph format, each subject's triples together (one Turtle block)."""
    rdf_format = formats.GRAPH_FORMATS[fmt.name][1]
    order = {subject: i for i, subject in enumerate(dict.fromkeys(t.subject for t in description))}
    description = sorted(description, key=lambda t: order[t.subject])
    if fmt.name in ("nquads", "trig"):  # quad formats: the description sits in the default graph
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in description]
        return ox.serialize(quads, format=rdf_format) or b""
    prefixes = {p: PREFIXES[p] for p in ("void", "dcat", "dcterms", "pedkg", "pko", "pkg", "skos", "xsd")}
    prefixes["foaf"] = "http://xmlns.com/foaf/0.1/"
    if (
        fmt.name == "turtle"
    ):  # rdflib writes each partition and linkset inline, as [ ... ], for people to read
        graph = rdflib.Graph(bind_namespaces="none")
        for prefix, namespace in {**PREFIXES, **prefixes}.items():  # only those used are written
            graph.bind(prefix, namespace)
        graph.parse(data=ox.serialize(description, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
        return graph.serialize(format="turtle", encoding="utf-8")
    return ox.serialize(description, format=rdf_format, prefixes=prefixes) or b""


@blueprint.get("/void")
def void() -> Response:
    offered = formats.offers(True)
    fmt = formats.choose(
        request.headers.get("Accept"), request.args.get("format"), None, offered, page="asked"
    )
    if fmt is formats.PAGE:
        return _page()
    return responses.data_response(serialize(triples(describe()), fmt), fmt)


def _page() -> Response:
    d = describe()
    alternates = [(fmt, link("dataset.void", format=fmt.name, lang=None)) for fmt in formats.offers(True)]
    html = render_template("void.html", d=d, alternates=alternates)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(
        f'<{href}>; rel="alternate"; type="{fmt.media_type}"' for fmt, href in alternates
    )
    return response


# --- dumps ---------------------------------------------------------------------------

_dumps: PerVersion[dict[str, bytes]] = PerVersion()


def dump(name: str) -> bytes:
    """A whole-dataset dump of the current store version, made once per version."""
    pool = world().pool
    return _dumps.get(pool.version(), "dumps", lambda _: _make_dumps(canonical(pool.dump())))[name]


def _make_dumps(nquads: bytes) -> dict[str, bytes]:
    """Both dumps at once: every graph as N-Quads (``pedkg dump``'s bytes), and their union as Turtle."""
    union = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)},
        key=str,
    )
    turtle = ox.serialize(union, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    return {"pedkg.nq": nquads, "pedkg.ttl": turtle}


@blueprint.get("/dumps/<name>")
def dumps(name: str) -> Response:
    if name not in DUMPS:
        return Response(f"no dump {name}; /void lists them\n", status=404, mimetype="text/plain")
    return responses.data_response(dump(name), DUMPS[name], vary=False, filename=name)


# --- sitemap -------------------------------------------------------------------------


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page worth indexing: the fixed pages, each named query, each pedkg subject's page."""
    fixed = (
        "home.index",
        "ontology.index",
        "dataset.void",
        "sparql.endpoint",
        "catalogue.index",
        "mappings.page",
    )
    pages: list[tuple[str, dict[str, str]]] = [(endpoint, {}) for endpoint in fixed]
    pages += [("catalogue.query", {"name": name}) for name in world().catalogue]
    pages += [("entities.resource", {"name": iri.removeprefix(BASE)}) for iri in statistics.pedkg_subjects()]
    entries = []
    for endpoint, values in pages:
        location, english, korean = (
            escape(link(endpoint, _external=True, lang=lang, **values)) for lang in (None, "en", "ko")
        )
        entries.append(
            f"<url><loc>{location}</loc>"
            f'<xhtml:link rel="alternate" hreflang="en" href="{english}"/>'
            f'<xhtml:link rel="alternate" hreflang="ko" href="{korean}"/></url>'
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )
    return Response(body, content_type="application/xml; charset=utf-8")
