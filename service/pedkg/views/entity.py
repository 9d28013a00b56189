"""The display model of an entity page: what templates and the JSON-LD see, never triples.

``describe(pool, iri, lang)`` asks the query pool a handful of SELECT queries about one
IRI (its links both ways, the labels around it, its mapping axioms, the graphs its facts
are in, and its instances if it is a class) and returns an ``Entity`` of dataclasses.
Every name shown passes through one rule, ``labels.Labels.label()``.

``graph_of(pool, iri, fmt)`` is the machine twin: the entity's RDF (its outgoing and
incoming triples, the labels of what it links to, the codes of its mapping targets and
the mapping axioms about it), as one CONSTRUCT through the pool.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import NotFound
from ..labels import ALT_LABEL, DEFINITION, EXACT_MATCH, PREF_LABEL, RDF_TYPE, RDFS_LABEL, Labels, Text
from ..namespaces import BASE, PREFIXES, STANDARD, VOCABULARY_NAMES, compress, converter, sparql_prologue
from ..sparql.formats import GRAPH_FORMATS
from ..sparql.pool import Pool, QueryAnswer, QueryJob
from ..sparql.rows import Row, select

XSD_STRING = STANDARD["xsd"] + "string"
NAME_KINDS = (RDFS_LABEL, PREF_LABEL, DEFINITION)
CLASSES = {STANDARD["owl"] + "Class", STANDARD["rdfs"] + "Class"}
#: most values of one property shown on one page of a group
PAGE_SIZE = 50
#: most rows any one question about an entity reads
ROW_CAP = 5000

#: every query below starts with the PREFIX lines of every prefix pedkg knows
_PROLOGUE = sparql_prologue()

LINKS = """
SELECT ?e ?dir ?p ?v WHERE {
  { ?e ?p ?v BIND("out" AS ?dir) } UNION { ?v ?p ?e BIND("in" AS ?dir) }
}"""

#: labels and definitions of what the entity links to and of the properties used (its own
#: come with LINKS: a BIND(?e AS ?x) branch would not see the substituted ?e, and read them all)
NAMES = """
SELECT DISTINCT ?e ?x ?kind ?text WHERE {
  VALUES ?kind { rdfs:label skos:prefLabel skos:definition }
  { ?e ?any ?x . ?x ?kind ?text } UNION { ?x ?any ?e . ?x ?kind ?text }
  UNION { ?e ?x ?any . ?x ?kind ?text } UNION { ?any ?x ?e . ?x ?kind ?text }
  FILTER(isLiteral(?text))
}"""  # the label pattern inside each branch: joined after the union, the engine read every label first

CROSSWALK = """
SELECT ?e ?axiom ?predicate ?target ?code ?label ?justification ?source ?version WHERE {
  ?axiom owl:annotatedSource ?e ; owl:annotatedProperty ?predicate ; owl:annotatedTarget ?target .
  FILTER NOT EXISTS { ?axiom sssom:predicate_modifier "Not" }  # a reviewer's rejection, not a mapping
  OPTIONAL { ?target skos:notation ?code }
  OPTIONAL { ?target rdfs:label|schema:name ?label }  # schema:name: another graph's entity (pedkg link)
  OPTIONAL { ?axiom sssom:mapping_justification ?justification }
  OPTIONAL { ?axiom rdfs:seeAlso ?source }
  OPTIONAL { ?axiom sssom:object_source_version ?version }
}"""

PROVENANCE = """
SELECT DISTINCT ?e ?graph ?file ?document ?documentLabel WHERE {
  GRAPH ?graph { ?e ?p ?o }
  OPTIONAL { ?graph dcterms:source ?file }
  OPTIONAL { ?graph prov:wasDerivedFrom ?document OPTIONAL { ?document rdfs:label ?documentLabel } }
}"""

INSTANCES = """
SELECT DISTINCT ?e ?x ?label WHERE {
  ?x rdf:type/rdfs:subClassOf* ?e
  OPTIONAL { ?x ?kind ?label VALUES ?kind { rdfs:label skos:prefLabel } }
}"""

#: the entity's RDF: what it says, what is said of it, the names and codes around it
GRAPH = """
CONSTRUCT {
  ?e ?p ?o . ?o ?lp ?ol . ?o skos:notation ?code .
  ?s ?q ?e . ?s ?lq ?sl .
  ?axiom ?ap ?av .
} WHERE {
  { ?e ?p ?o
    OPTIONAL { ?o ?lp ?ol VALUES ?lp { rdfs:label skos:prefLabel } }
    OPTIONAL { ?o skos:notation ?code } }
  UNION { ?s ?q ?e OPTIONAL { ?s ?lq ?sl VALUES ?lq { rdfs:label skos:prefLabel } } }
  UNION { ?axiom owl:annotatedSource ?e ; ?ap ?av }
}"""


@dataclass(frozen=True)
class Node:
    """One end of a link: an IRI with its label, or a literal."""

    label: Text
    iri: str | None = None  # None for a literal
    datatype: str | None = None

    @property
    def curie(self) -> str:
        return compress(self.iri) if self.iri else ""

    @property
    def internal(self) -> bool:
        return bool(self.iri and self.iri.startswith(BASE))


@dataclass(frozen=True)
class Group:
    """The values of one property, in one direction, one page of them."""

    predicate: Node
    direction: str  # "out": entity -> value; "in": value -> entity; "instances": of a class
    values: list[Node]
    total: int
    page: int
    pages: int

    @property
    def key(self) -> str:
        """The group's name in URLs and anchors."""
        return f"{self.direction}-{self.predicate.curie}"


@dataclass(frozen=True)
class Mapping:
    """One crosswalk row, from a mapping axiom."""

    axiom: str
    vocabulary: str
    code: str
    code_label: Text | None
    target: str  # the external concept's IRI, also the link to its vocabulary's page
    predicate: Node
    justification: Node | None
    source: str | None  # where the code was checked
    version: str | None


@dataclass(frozen=True)
class Provenance:
    graph: Node
    file: str | None
    documents: list[Node]


@dataclass
class Entity:
    iri: str
    label: Text
    definition: Text | None
    names: dict[str, list[str]]  # language -> rdfs:label / skos:prefLabel values
    definitions: dict[str, list[str]]  # language -> skos:definition values
    types: list[Node]
    outgoing: list[Group]
    incoming: list[Group]
    crosswalk: list[Mapping]
    provenance: list[Provenance]
    instances: Group | None = None
    alt_labels: list[Text] = field(default_factory=list)
    exact_matches: list[Mapping] = field(default_factory=list)

    @property
    def curie(self) -> str:
        return compress(self.iri)

    @property
    def is_class(self) -> bool:
        return any(t.iri in CLASSES for t in self.types)

    def schema_org(self) -> dict[str, object]:
        """The schema.org JSON-LD embedded in the page; its own context, nothing remote."""
        from . import schema_org  # a sibling noun: the mapping of pedkg types to schema.org

        return schema_org.describe(self)

    def schema_org_json(self) -> str:
        """The JSON-LD as text safe inside a ``<script>`` element."""
        text = json.dumps(self.schema_org(), ensure_ascii=False, indent=1)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def describe(
    pool: Pool, iri: str, lang: str, paging: dict[str, int] | None = None, page_size: int = PAGE_SIZE
) -> Entity:
    """The display model of ``iri`` in ``lang``; ``NotFound`` when the graph does not mention it.

    ``paging`` maps a group's key (``out-pko:targetDisease``) to the page to show;
    every other group shows its first page.
    """
    node = ox.NamedNode(iri)
    links = _select(pool, LINKS, node)
    if not links:
        raise NotFound(f"{iri} is not in the graph")
    labels = Labels()
    for row in links:
        if row["dir"].value == "out" and row["p"].value in NAME_KINDS and isinstance(row["v"], ox.Literal):
            labels.add(iri, row["p"].value, row["v"])
    for row in _select(pool, NAMES, node):
        labels.add(row["x"].value, row["kind"].value, row["text"])
    paging = paging or {}

    def as_node(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            tag = term.language or ("und" if datatype == XSD_STRING else "zxx")
            shown = None if term.language or datatype == XSD_STRING else datatype  # plain text: no type
            return Node(Text(term.value, tag), datatype=shown)
        if isinstance(term, ox.BlankNode):
            return Node(Text("_:" + term.value, "zxx"))
        return Node(labels.label(term.value, lang), term.value)

    grouped: dict[tuple[str, str], list[Node]] = defaultdict(list)
    types: list[Node] = []
    is_class = _is_class(links)  # a class lists its instances on their own, with subclasses'
    for row in links:
        direction, prop = row["dir"].value, row["p"].value
        value = as_node(row["v"])
        if direction == "out" and prop == RDF_TYPE:
            types.append(value)
        elif not (direction == "in" and prop == RDF_TYPE and is_class):
            grouped[(direction, prop)].append(value)
    groups = [
        _page(as_node(ox.NamedNode(prop)), direction, values, paging, page_size)
        for (direction, prop), values in grouped.items()
    ]
    groups.sort(key=lambda g: (g.predicate.label.value.casefold(), g.predicate.iri or ""))
    crosswalk = _crosswalk(pool, node, labels, lang)
    entity = Entity(
        iri=iri,
        label=labels.label(iri, lang),
        definition=labels.definition(iri, lang),
        names={k: sorted(v) for k, v in _merged_names(labels, iri).items()},
        types=sorted(types, key=lambda t: t.label.value.casefold()),
        outgoing=[g for g in groups if g.direction == "out"],
        incoming=[g for g in groups if g.direction == "in"],
        crosswalk=crosswalk,
        provenance=_provenance(pool, node, lang),
        definitions={k or "und": sorted(v) for k, v in labels.of(iri, DEFINITION).items()},
        alt_labels=[as_node(row["v"]).label for row in links if _is(row, "out", ALT_LABEL)],
        exact_matches=[m for m in crosswalk if m.predicate.iri == EXACT_MATCH],
    )
    if entity.is_class:
        entity.instances = _instances(pool, node, lang, paging, page_size)
    return entity


def graph_of(pool: Pool, iri: str, format_name: str, row_limit: int) -> QueryAnswer:
    """The entity's RDF in a graph format; ``NotFound`` when it has no triples at all.

    The pool answers in N-Triples (capped at ``row_limit`` triples); Turtle and RDF/XML are
    written here with the prefixes the triples use, so people can read them.
    """
    job = QueryJob(
        _PROLOGUE + GRAPH,
        "ntriples",
        returns_graph=True,
        row_limit=row_limit,
        substitutions={ox.Variable("e"): ox.NamedNode(iri)},
    )
    answer = pool.run(job)
    if not answer.rows:
        raise NotFound(f"{iri} is not in the graph")
    if format_name == "ntriples":
        return answer
    triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    triples.sort(key=lambda t: (t.subject.value != iri, str(t.subject)))  # the entity first
    used = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(value.startswith(ns) for value in used)}
    body = ox.serialize(triples, format=GRAPH_FORMATS[format_name][1], prefixes=prefixes) or b""
    return QueryAnswer(body, format_name, answer.rows, answer.truncated)


def sparql_about(iri: str) -> str:
    """The query "query this entity" opens in the editor: every triple it is in."""
    return (
        "SELECT ?subject ?property ?object WHERE {\n"
        f"  {{ BIND(<{iri}> AS ?subject) <{iri}> ?property ?object }}\n"
        f"  UNION {{ BIND(<{iri}> AS ?object) ?subject ?property <{iri}> }}\n"
        "}\n"
    )


def _select(pool: Pool, sparql: str, node: ox.NamedNode) -> list[Row]:
    """One question about the entity (``?e``), with every prefix pedkg knows, capped at ``ROW_CAP``."""
    return select(pool, _PROLOGUE + sparql, ROW_CAP, {"e": node})


def _is(row: Row, direction: str, prop: str) -> bool:
    return bool(row["dir"].value == direction and row["p"].value == prop)


def _is_class(links: list[Row]) -> bool:
    return any(_is(row, "out", RDF_TYPE) and row["v"].value in CLASSES for row in links)


def _merged_names(labels: Labels, iri: str) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for kind in (PREF_LABEL, RDFS_LABEL):
        for language, values in labels.of(iri, kind).items():
            names[language or "und"] += [v for v in values if v not in names[language or "und"]]
    return names


def _page(prop: Node, direction: str, values: list[Node], paging: dict[str, int], size: int) -> Group:
    values = sorted(values, key=lambda v: (v.label.value.casefold(), v.iri or ""))
    pages = max(1, -(-len(values) // size))
    key = f"{direction}-{prop.curie}"
    page = min(max(paging.get(key, 1), 1), pages)
    shown = values[(page - 1) * size : page * size]
    return Group(prop, direction, shown, len(values), page, pages)


def _crosswalk(pool: Pool, node: ox.NamedNode, labels: Labels, lang: str) -> list[Mapping]:
    rows = _select(pool, CROSSWALK, node)
    seen: dict[str, Mapping] = {}
    for row in rows:
        axiom = row["axiom"].value
        if axiom in seen:
            continue
        target = row["target"].value
        reference = converter().parse_uri(target)
        if reference is not None:
            prefix, local = reference.prefix, reference.identifier
        else:  # another graph's entity, no prefix: its namespace names it
            namespace = target.rstrip("/#").rsplit("#" if "#" in target else "/", 1)[0]
            prefix, local = namespace.split("://", 1)[-1], target.removeprefix(namespace).lstrip("/#")
        code_label = None
        if "label" in row:
            label_lang = row["label"].language or "und"
            code_label = Text(row["label"].value, label_lang, fallback=label_lang != lang)
        code = row["code"].value if "code" in row else local
        justification = row.get("justification")
        seen[axiom] = Mapping(
            axiom=axiom,
            vocabulary=VOCABULARY_NAMES.get(prefix, prefix),
            code=code,
            code_label=code_label,
            target=target,
            predicate=Node(labels.label(row["predicate"].value, lang), row["predicate"].value),
            justification=Node(Text(compress(justification.value), "zxx"), justification.value)
            if justification is not None
            else None,
            source=row["source"].value if "source" in row else None,
            version=row["version"].value if "version" in row else None,
        )
    return sorted(seen.values(), key=lambda m: (m.vocabulary.casefold(), m.code))


def _provenance(pool: Pool, node: ox.NamedNode, lang: str) -> list[Provenance]:
    graphs: dict[str, tuple[str | None, dict[str, Labels]]] = {}
    for row in _select(pool, PROVENANCE, node):
        graph = row["graph"].value
        file, documents = graphs.setdefault(graph, (row["file"].value if "file" in row else None, {}))
        if "document" in row:
            names = documents.setdefault(row["document"].value, Labels())
            if "documentLabel" in row:
                names.add(row["document"].value, RDFS_LABEL, row["documentLabel"])
    result = []
    for graph, (file, documents) in sorted(graphs.items()):
        graph_labels = Labels()
        result.append(
            Provenance(
                Node(graph_labels.label(graph, lang), graph),
                file,
                [Node(names.label(doc, lang), doc) for doc, names in sorted(documents.items())],
            )
        )
    return result


def _instances(pool: Pool, node: ox.NamedNode, lang: str, paging: dict[str, int], size: int) -> Group:
    labels = Labels()
    members: set[str] = set()
    for row in _select(pool, INSTANCES, node):
        members.add(row["x"].value)
        if "label" in row:
            labels.add(row["x"].value, RDFS_LABEL, row["label"])
    values = [Node(labels.label(x, lang), x) for x in members]
    return _page(Node(Text(compress(RDF_TYPE), "zxx"), RDF_TYPE), "instances", values, paging, size)
