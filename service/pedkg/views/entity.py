"""The display model of an entity page: what templates and the JSON-LD see, never triples.

``describe(pool, iri, lang)`` reads the one query of ``entity_query`` (its statements both
ways with their graphs, the names around it, its mapping axioms, the graphs its facts are
in, its instances if it is a class) and decodes it once into an ``Entity`` of dataclasses,
for pedkg's own IRIs (``/id/...``) and any other IRI in the store (``/resource``) alike.
Every name shown passes through one rule, ``labels.Labels.label()``, where ``schema:name``
stands for ``rdfs:label`` in a language that has neither label (other graphs name things
with schema.org). An IRI with a page here is ``known``: it is a subject or an object in the
store. The entity's RDF and its "query this" query are ``entity_rdf``'s.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from ..errors import NotFound
from ..labels import ALT_LABEL, DEFINITION, EXACT_MATCH, PREF_LABEL, RDF_TYPE, RDFS_LABEL, Labels, Text
from ..namespaces import BASE, EXTERNAL, GRAPH, STANDARD, VOCABULARY_NAMES, compress, converter
from ..sparql.pool import Pool
from ..sparql.rows import Row
from . import entity_query

XSD_STRING = STANDARD["xsd"] + "string"
SCHEMA_NAME = EXTERNAL["schema"] + "name"
LABELS = (RDFS_LABEL, PREF_LABEL)
CLASSES = {STANDARD["owl"] + "Class", STANDARD["rdfs"] + "Class"}
#: most values of one property shown on one page of a group
PAGE_SIZE = 50

#: an IRI's CURIE (``namespaces.compress``), remembered: the prefix search takes ~15 µs and a page
#: shows some fifty CURIEs, most of them on every page (properties, types, graphs)
curie = lru_cache(maxsize=32768)(compress)


@dataclass(frozen=True)
class Node:
    """One end of a link: an IRI with its label, or a literal.

    ``known``: the IRI is a subject or an object in the store, so it has a page here.
    ``graphs``: for a value of a group, the named graphs its statement is in.
    """

    label: Text
    iri: str | None = None  # None for a literal or a blank node
    datatype: str | None = None
    known: bool = False
    graphs: tuple[str, ...] = ()

    @property
    def curie(self) -> str:
        return curie(self.iri) if self.iri else ""

    @property
    def internal(self) -> bool:
        return bool(self.iri and self.iri.startswith(BASE))

    @property
    def graph_names(self) -> list[str]:
        """The graphs as ``pedkg graphs`` names them (``division``, ``other-hospital``, ``icd10``)."""
        return [graph_name(g) for g in self.graphs]


def graph_name(iri: str) -> str:
    """A named graph's name: its local name under pkg:, else its CURIE or IRI."""
    return iri.removeprefix(GRAPH) if iri.startswith(GRAPH) else curie(iri)


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
    """One crosswalk row, from a mapping axiom; its target, justification and source are in the
    store by being the axiom's values."""

    axiom: str
    vocabulary: str
    code: str
    code_label: Text | None
    target: str  # the external concept's IRI
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
    truncated: bool = False  # a part of the page stopped at its row cap: counts are at least these

    @property
    def curie(self) -> str:
        return curie(self.iri)

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
    """The display model of ``iri`` in ``lang``; ``NotFound`` when it is no subject or object in the store.

    ``paging`` maps a group's key (``out-pko:targetDisease``) to the page to show;
    every other group shows its first page. One query through the pool.
    """
    answer = entity_query.ask(pool, iri)
    if not answer["out"] and not answer["in"]:
        raise NotFound(f"{iri} is not in the graph")
    labels = Labels()
    add_names(
        labels,
        [(iri, row["kind"].value, row["text"]) for row in answer["own"]]
        + [(row["x"].value, row["kind"].value, row["text"]) for row in answer["name"]]
        + [(row["v"].value, row["kind"].value, row["text"]) for row in answer["instance"] if "text" in row],
    )
    known = {row["v"].value for row in answer["known"]}
    paging = paging or {}

    def as_node(term: ox.NamedNode | ox.BlankNode | ox.Literal, graphs: Iterable[str] = ()) -> Node:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            tag = term.language or ("und" if datatype == XSD_STRING else "zxx")
            shown = None if term.language or datatype == XSD_STRING else datatype  # plain text: no type
            return Node(Text(term.value, tag), datatype=shown, graphs=tuple(graphs))
        if isinstance(term, ox.BlankNode):
            return Node(Text("_:" + term.value, "zxx"), graphs=tuple(graphs))
        # a value of a statement is a subject or an object in the store by being one
        return Node(labels.label(term.value, lang), term.value, known=True, graphs=tuple(graphs))

    statements: dict[tuple[str, str], dict[str, tuple[ox.NamedNode | ox.BlankNode | ox.Literal, list[str]]]]
    statements = defaultdict(dict)
    for direction in ("out", "in"):
        for row in answer[direction]:
            term, graphs = statements[(direction, row["p"].value)].setdefault(str(row["v"]), (row["v"], []))
            graphs.append(row["g"].value)
    types = [as_node(term, sorted(graphs)) for term, graphs in statements.pop(("out", RDF_TYPE), {}).values()]
    is_class = any(t.iri in CLASSES for t in types)
    if is_class:  # a class lists its instances on their own, with its subclasses'
        statements.pop(("in", RDF_TYPE), None)
    groups = [
        _page(
            Node(labels.label(prop, lang), prop, known=prop in known),
            direction,
            [as_node(term, sorted(graphs)) for term, graphs in values.values()],
            paging,
            page_size,
        )
        for (direction, prop), values in statements.items()
    ]
    groups.sort(key=lambda g: (g.predicate.label.value.casefold(), g.predicate.iri or ""))
    mappings = _crosswalk(answer["crosswalk"], labels, lang)
    entity = Entity(
        iri=iri,
        label=labels.label(iri, lang),
        definition=labels.definition(iri, lang),
        names={k: sorted(v) for k, v in _merged_names(labels, iri).items()},
        types=sorted(types, key=lambda t: t.label.value.casefold()),
        outgoing=[g for g in groups if g.direction == "out"],
        incoming=[g for g in groups if g.direction == "in"],
        crosswalk=mappings,
        provenance=_provenance(answer["graph"], lang),
        definitions={k or "und": sorted(v) for k, v in labels.of(iri, DEFINITION).items()},
        alt_labels=[as_node(row["text"]).label for row in answer["own"] if row["kind"].value == ALT_LABEL],
        exact_matches=[m for m in mappings if m.predicate.iri == EXACT_MATCH],
        truncated=bool(answer.cut),
    )
    if is_class:
        members = {row["v"].value for row in answer["instance"]}
        values = [Node(labels.label(x, lang), x, known=True) for x in members]
        instance_of = Node(Text(compress(RDF_TYPE), "zxx"), RDF_TYPE)
        entity.instances = _page(instance_of, "instances", values, paging, page_size)
    return entity


def add_names(labels: Labels, found: Iterable[tuple[str, str, ox.Literal]]) -> None:
    """Labels and definitions as read, and ``schema:name`` as ``rdfs:label`` in every language
    where the IRI has neither ``rdfs:label`` nor ``skos:prefLabel``."""
    found = [entry for entry in found if isinstance(entry[2], ox.Literal)]
    labelled = {(iri, text.language) for iri, kind, text in found if kind in LABELS}
    for iri, kind, text in found:
        if kind == SCHEMA_NAME:
            if (iri, text.language) not in labelled:
                labels.add(iri, RDFS_LABEL, text)
        elif kind != ALT_LABEL:
            labels.add(iri, kind, text)


def _merged_names(labels: Labels, iri: str) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for kind in (PREF_LABEL, RDFS_LABEL):
        for language, values in labels.of(iri, kind).items():
            names[language or "und"] += [v for v in values if v not in names[language or "und"]]
    return names


def _page(prop: Node, direction: str, values: list[Node], paging: dict[str, int], size: int) -> Group:
    values = sorted(values, key=lambda v: (v.label.value.casefold(), v.iri or "", v.label.value))
    pages = max(1, -(-len(values) // size))
    key = f"{direction}-{prop.curie}"
    page = min(max(paging.get(key, 1), 1), pages)
    shown = values[(page - 1) * size : page * size]
    return Group(prop, direction, shown, len(values), page, pages)


def _crosswalk(rows: list[Row], labels: Labels, lang: str) -> list[Mapping]:
    seen: dict[str, Mapping] = {}
    for row in rows:
        axiom = row["axiom"].value
        if axiom in seen:
            continue
        target = row["v"].value
        reference = converter().parse_uri(target)
        if reference is not None:
            prefix, local = reference.prefix, reference.identifier
        else:  # another graph's entity, no prefix: its namespace names it
            namespace = target.rstrip("/#").rsplit("#" if "#" in target else "/", 1)[0]
            prefix, local = namespace.split("://", 1)[-1], target.removeprefix(namespace).lstrip("/#")
        code_label = None
        if "text" in row:
            label_lang = row["text"].language or "und"
            code_label = Text(row["text"].value, label_lang, fallback=label_lang != lang)
        justification = row.get("justification")
        seen[axiom] = Mapping(
            axiom=axiom,
            vocabulary=VOCABULARY_NAMES.get(prefix, prefix),
            code=row["code"].value if "code" in row else local,
            code_label=code_label,
            target=target,
            predicate=Node(labels.label(row["p"].value, lang), row["p"].value, known=True),
            justification=Node(Text(curie(justification.value), "zxx"), justification.value, known=True)
            if justification is not None
            else None,
            source=row["source"].value if "source" in row else None,
            version=row["version"].value if "version" in row else None,
        )
    return sorted(seen.values(), key=lambda m: (m.vocabulary.casefold(), m.code))


def _provenance(rows: list[Row], lang: str) -> list[Provenance]:
    """The graphs of the entity's statements, each with its source file (an imported graph's file
    is the title of the blank record it was derived from) and the documents it was derived from."""
    files: dict[str, str | None] = {}
    documents: dict[str, dict[str, Labels]] = defaultdict(dict)
    for row in rows:
        graph = row["g"].value
        files.setdefault(graph, row["file"].value if "file" in row else None)
        if "x" not in row:
            continue
        if isinstance(row["x"], ox.BlankNode):  # an imported file's record: its title names the file
            if "text" in row and files[graph] is None:
                files[graph] = row["text"].value
            continue
        names = documents[graph].get(row["x"].value)
        if names is None:  # (a Labels starts with the standard terms' names: made once per document)
            names = documents[graph][row["x"].value] = Labels()
        if "text" in row and row["kind"].value == RDFS_LABEL:
            names.add(row["x"].value, RDFS_LABEL, row["text"])
    return [
        Provenance(
            Node(Text(curie(graph), "zxx"), graph),
            file,
            [
                Node(names.label(doc, lang), doc, known=True)
                for doc, names in sorted(documents[graph].items())
            ],
        )
        for graph, file in sorted(files.items())
    ]
