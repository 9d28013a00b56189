"""OBO in OWL: the RDF an OBO term is written as, for both OBO readers (``obo_flat``, ``obo_graphs``).

The readers turn a stanza or a node into a ``Term`` whose references are IRIs already; this
module writes it as the OBO Flat File Format 1.4 mapping to OWL does (the triples OBO's own
``.owl`` releases hold, so SPARQL written for ``hp.owl`` finds the same things in an imported
``hp.obo``): ``owl:Class`` (``owl:ObjectProperty`` for a Typedef, ``owl:NamedIndividual`` for
an Instance), ``oboInOwl:id``, ``rdfs:label``, ``IAO:0000115`` for the definition, the four
``oboInOwl:has*Synonym`` by scope, ``oboInOwl:hasDbXref`` as the string the file writes
(``"NCI:C3270"``, never turned into an IRI here: what a code means is the linker's to say),
``rdfs:subClassOf`` for ``is_a``, an ``owl:Restriction`` (``someValuesFrom``) for each
``relationship``, ``owl:equivalentClass`` to an ``owl:intersectionOf`` list for a logical
definition, ``owl:deprecated true`` for an obsolete term and ``IAO:0100001`` for its replacement.

Left out on purpose: the ``owl:Axiom`` annotations OBO puts on definitions and synonyms
(their sources, synonym types). Entity pages read every ``owl:Axiom`` about an entity as a
mapping; a synonym's source would show up among them.

``IdSpaces.iri`` is the OBO Foundry rule for identifiers: ``PREFIX:LOCAL`` is
``http://purl.obolibrary.org/obo/PREFIX_LOCAL`` unless the header's ``idspace`` names the
prefix's namespace; an unprefixed id is ``http://purl.obolibrary.org/obo/ONTOLOGY#id``. The
W3C vocabularies' usual prefixes (``rdfs:``, ``skos:``, ``xsd:`` ...) and ``oboInOwl:`` mean
those vocabularies where the header does not say otherwise: read by the bare rule,
``property_value: skos:exactMatch DOID:4`` would name ``obo:skos_exactMatch``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import STANDARD

OBO = "http://purl.obolibrary.org/obo/"
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
RDF, RDFS, OWL, XSD = (STANDARD[p] for p in ("rdf", "rdfs", "owl", "xsd"))
DEFINITION = OBO + "IAO_0000115"
REPLACED_BY = OBO + "IAO_0100001"
SCOPES = {s: f"{OBO_IN_OWL}has{s.title()}Synonym" for s in ("EXACT", "RELATED", "BROAD", "NARROW")}
CLASS, OBJECT_PROPERTY, INDIVIDUAL = OWL + "Class", OWL + "ObjectProperty", OWL + "NamedIndividual"
#: prefixes that mean their W3C vocabulary (and OBO-in-OWL's) unless an idspace says otherwise
KNOWN_SPACES = {**STANDARD, "oboInOwl": OBO_IN_OWL}
OBO_PURL = re.compile(r"^http://purl\.obolibrary\.org/obo/([A-Za-z][A-Za-z0-9]*)_([^/#_]+)$")

TYPE = ox.NamedNode(RDF + "type")
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))


@dataclass
class IdSpaces:
    """The IRIs of a document's identifiers: its ontology name and its ``idspace`` declarations."""

    ontology: str
    declared: dict[str, str] = field(default_factory=dict)

    def iri(self, prefix: str | None, local: str) -> str:
        """The IRI of ``prefix:local`` (``prefix`` None: an unprefixed id)."""
        if prefix is None:
            return f"{OBO}{self.ontology}#{local}"
        namespace = self.declared.get(prefix) or KNOWN_SPACES.get(prefix)
        return namespace + local if namespace else f"{OBO}{prefix}_{local}"

    def curie_iri(self, curie: str) -> str:
        """The IRI of an identifier as written (``HP:0000118``, ``part_of``, or an IRI itself)."""
        if "://" in curie:
            return curie
        prefix, colon, local = curie.partition(":")
        return self.iri(prefix, local) if colon else self.iri(None, curie)


def obo_id(iri: str) -> str:
    """The OBO id of an OBO PURL (``.../obo/HP_0000118`` -> ``HP:0000118``), else ""."""
    found = OBO_PURL.match(iri)
    return f"{found[1]}:{found[2]}" if found else ""


@dataclass
class Term:
    """One OBO term, typedef or instance, every reference an IRI."""

    iri: str
    kind: str = CLASS
    obo_id: str = ""
    label: str = ""
    definition: str = ""
    comments: list[str] = field(default_factory=list)
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # (scope: EXACT ..., text)
    xrefs: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # is_a
    relations: list[tuple[str, str]] = field(default_factory=list)  # (property, filler): some values
    #: (property or None for the genus, filler)
    intersection: list[tuple[str | None, str]] = field(default_factory=list)
    union: list[str] = field(default_factory=list)
    equivalents: list[str] = field(default_factory=list)
    disjoints: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # an instance's classes
    deprecated: bool = False
    replaced_by: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    namespace: str = ""
    subsets: list[str] = field(default_factory=list)
    annotations: list[tuple[str, ox.NamedNode | ox.Literal]] = field(default_factory=list)


def triples(term: Term) -> Iterator[ox.Triple]:
    """The OWL of one term (raises ``ValueError`` for a reference that is not an IRI)."""
    node = ox.NamedNode(term.iri)

    def say(predicate: str, value: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
        return ox.Triple(node, ox.NamedNode(predicate), value)

    yield say(RDF + "type", ox.NamedNode(term.kind))
    if term.obo_id:
        yield say(OBO_IN_OWL + "id", ox.Literal(term.obo_id))
    if term.label:
        yield say(RDFS + "label", ox.Literal(term.label))
    if term.definition:
        yield say(DEFINITION, ox.Literal(term.definition))
    yield from (say(RDFS + "comment", ox.Literal(text)) for text in term.comments)
    yield from (say(SCOPES[scope], ox.Literal(text)) for scope, text in term.synonyms)
    yield from (say(OBO_IN_OWL + "hasDbXref", ox.Literal(xref)) for xref in term.xrefs)
    parent = RDFS + ("subClassOf" if term.kind == CLASS else "subPropertyOf")
    yield from (say(parent, ox.NamedNode(iri)) for iri in term.parents)
    for prop, filler in term.relations:
        restriction = ox.BlankNode()
        yield say(RDFS + "subClassOf", restriction)
        yield from _restriction(restriction, prop, filler)
    if term.intersection:
        yield from _class_list(node, "intersectionOf", [_operand(p, f) for p, f in term.intersection])
    if term.union:
        yield from _class_list(node, "unionOf", [(ox.NamedNode(iri), []) for iri in term.union])
    equivalent, disjoint = (
        ("equivalentClass", "disjointWith")
        if term.kind == CLASS
        else ("equivalentProperty", "propertyDisjointWith")
    )
    yield from (say(OWL + equivalent, ox.NamedNode(iri)) for iri in term.equivalents)
    yield from (say(OWL + disjoint, ox.NamedNode(iri)) for iri in term.disjoints)
    yield from (ox.Triple(node, TYPE, ox.NamedNode(iri)) for iri in term.types)
    if term.deprecated:
        yield say(OWL + "deprecated", TRUE)
    yield from (say(REPLACED_BY, ox.NamedNode(iri)) for iri in term.replaced_by)
    yield from (say(OBO_IN_OWL + "hasAlternativeId", ox.Literal(alt)) for alt in term.alt_ids)
    if term.namespace:
        yield say(OBO_IN_OWL + "hasOBONamespace", ox.Literal(term.namespace))
    yield from (say(OBO_IN_OWL + "inSubset", ox.NamedNode(iri)) for iri in term.subsets)
    yield from (say(predicate, value) for predicate, value in term.annotations)


def ontology_triples(
    iri: str, version: str = "", annotations: list[tuple[str, ox.NamedNode | ox.Literal]] | None = None
) -> Iterator[ox.Triple]:
    """The ``owl:Ontology`` header: its IRI, version and annotations."""
    node = ox.NamedNode(iri)
    yield ox.Triple(node, TYPE, ox.NamedNode(OWL + "Ontology"))
    if version:
        yield ox.Triple(node, ox.NamedNode(OWL + "versionInfo"), ox.Literal(version))
    for predicate, value in annotations or []:
        yield ox.Triple(node, ox.NamedNode(predicate), value)


def literal(value: str, datatype: str | None) -> ox.Literal:
    """A property value's literal (``xsd:string``: a plain one)."""
    if not datatype or datatype == XSD + "string":
        return ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _restriction(node: ox.BlankNode, prop: str, filler: str) -> Iterator[ox.Triple]:
    yield ox.Triple(node, TYPE, ox.NamedNode(OWL + "Restriction"))
    yield ox.Triple(node, ox.NamedNode(OWL + "onProperty"), ox.NamedNode(prop))
    yield ox.Triple(node, ox.NamedNode(OWL + "someValuesFrom"), ox.NamedNode(filler))


def _operand(prop: str | None, filler: str) -> tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]:
    """One member of an intersection: the genus class itself, or a restriction (with its triples)."""
    if prop is None:
        return ox.NamedNode(filler), []
    node = ox.BlankNode()
    return node, list(_restriction(node, prop, filler))


def _class_list(
    node: ox.NamedNode, operator: str, members: list[tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]]
) -> Iterator[ox.Triple]:
    """``node owl:equivalentClass [ a owl:Class ; owl:<operator> ( members ) ]``."""
    expression = ox.BlankNode()
    yield ox.Triple(node, ox.NamedNode(OWL + "equivalentClass"), expression)
    yield ox.Triple(expression, TYPE, ox.NamedNode(CLASS))
    cell: ox.BlankNode = ox.BlankNode()
    yield ox.Triple(expression, ox.NamedNode(OWL + operator), cell)
    for index, (member, member_triples) in enumerate(members):
        yield from member_triples
        yield ox.Triple(cell, ox.NamedNode(RDF + "first"), member)
        rest: ox.NamedNode | ox.BlankNode = (
            ox.NamedNode(RDF + "nil") if index == len(members) - 1 else ox.BlankNode()
        )
        yield ox.Triple(cell, ox.NamedNode(RDF + "rest"), rest)
        if isinstance(rest, ox.BlankNode):
            cell = rest
