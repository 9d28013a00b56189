"""OBO Graphs JSON (``{"graphs": [...]}``, what ROBOT and the OBO Foundry publish as ``*.json``),
written as OBO in OWL (``obo_owl``) like an ``.obo`` file.

Read with the standard library's ``json``, not fastobo or pronto: fastobo's ``load_graph``
keeps only the first graph and turns IRIs back into OBO ids, pronto is slower again, and
the format is plain JSON whose nodes carry IRIs already (``json`` reads a 14 MB HPO graph in
0.3 s; fastobo 1.3 s, pronto 2.5 s). Every graph of the file goes into the one imported
graph.

A node is a class, property or individual (``type``) with a label (``lbl``) and ``meta``:
its definition, synonyms (``hasExactSynonym`` ...), xrefs (kept as the strings written),
comments, subsets, ``deprecated`` and ``basicPropertyValues``; a value of those that is an
http(s) IRI is kept as an IRI, anything else as a string (the format does not say which
it was). An edge ``is_a`` is ``rdfs:subClassOf``; any other predicate between classes an
existential restriction, as OBO's ``relationship``; ``logicalDefinitionAxioms`` are
intersections and ``equivalentNodesSets`` equivalent classes. Domain/range and property
chain axioms are counted in the notes, not written.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox

from ..errors import InputError
from . import obo_owl
from .converted import Converted, read_text
from .obo_owl import OWL, IdSpaces, Term

MEDIA_TYPE = "application/json"
KINDS = {"CLASS": obo_owl.CLASS, "PROPERTY": obo_owl.OBJECT_PROPERTY, "INDIVIDUAL": obo_owl.INDIVIDUAL}
SYNONYMS = {f"has{scope.title()}Synonym": scope for scope in obo_owl.SCOPES}
NOT_WRITTEN = ("domainRangeAxioms", "propertyChainAxioms")


def read(path: Path) -> Converted:
    """The triples of an OBO Graphs JSON file; raises ``InputError`` at the failing line."""
    text = read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, f"not JSON: {exc.msg}") from None
    graphs = document.get("graphs") if isinstance(document, dict) else None
    if not isinstance(graphs, list) or not all(isinstance(g, dict) for g in graphs):
        raise InputError(path, 1, 'not OBO Graphs JSON: no list of graphs under "graphs"')
    notes: list[str] = []
    return Converted(_triples(path, text, graphs, notes), {}, notes)


def is_obo_graphs(head: bytes) -> bool:
    """Whether the start of a JSON file opens an OBO Graphs document (its first key is "graphs")."""
    return head.lstrip().startswith(b"{") and head.lstrip()[1:].lstrip().startswith(b'"graphs"')


def _triples(path: Path, text: str, graphs: list[dict[str, Any]], notes: list[str]) -> Iterator[ox.Triple]:
    spaces = IdSpaces("")
    left_out: Counter[str] = Counter()
    for graph in graphs:
        reader = _Graph(path, text, spaces)
        yield from reader.triples(graph)
        for key in NOT_WRITTEN:
            left_out[key] += len(graph.get(key) or [])
        left_out.update(reader.left_out)
    notes += [f"left out {count} {what}" for what, count in sorted(left_out.items()) if count]


class _Graph:
    """One graph of the file: its nodes as terms, its edges and axioms added to them."""

    def __init__(self, path: Path, text: str, spaces: IdSpaces) -> None:
        self.path, self.text, self.spaces = path, text, spaces
        self.terms: dict[str, Term] = {}
        self.written: dict[str, str] = {}  # IRI -> the identifier as the file writes it
        self.left_out: Counter[str] = Counter()

    def triples(self, graph: dict[str, Any]) -> Iterator[ox.Triple]:
        iri = self._iri(graph.get("id"), "the graph's id") if graph.get("id") else ""
        self.spaces.ontology = iri.rsplit("/", 1)[-1].removesuffix(".owl").removesuffix(".json")
        meta = self._object(graph.get("meta"), "the graph's meta")
        if iri:
            annotations = [self._value(pv) for pv in self._list(meta, "basicPropertyValues")]
            version = meta.get("version")
            yield from self._checked(iri, obo_owl.ontology_triples(iri, str(version or ""), annotations))
        for node in self._list(graph, "nodes"):
            self._node(node)
        for edge in self._list(graph, "edges"):
            self._edge(edge)
        for axiom in self._list(graph, "logicalDefinitionAxioms"):
            self._logical_definition(axiom)
        for nodes in self._list(graph, "equivalentNodesSets"):
            self._equivalents(nodes)
        for iri, term in self.terms.items():
            yield from self._checked(iri, obo_owl.triples(term))

    def _node(self, node: dict[str, Any]) -> None:
        iri = self._iri(node.get("id"), "a node's id")
        kind = node.get("type", "CLASS")
        if kind not in KINDS:
            self.left_out[f"nodes of type {kind}"] += 1
            return
        term = self._term(iri, KINDS[kind])
        term.label = str(node.get("lbl") or "")
        meta = self._object(node.get("meta"), iri)
        definition = self._object(meta.get("definition"), iri)
        term.definition = str(definition.get("val") or "")
        for synonym in self._list(meta, "synonyms"):
            scope = SYNONYMS.get(str(synonym.get("pred")), "")
            if not scope:
                known = ", ".join(SYNONYMS)
                self._fail(iri, f"synonym predicate {synonym.get('pred')!r} is not one of {known}")
            term.synonyms.append((scope, str(synonym.get("val", ""))))
        term.xrefs += [str(xref.get("val", "")) for xref in self._list(meta, "xrefs") if xref.get("val")]
        term.comments += [str(comment) for comment in meta.get("comments") or []]
        term.subsets += [self._iri(subset, iri) for subset in meta.get("subsets") or []]
        term.deprecated = meta.get("deprecated") is True
        term.annotations += [self._value(pv) for pv in self._list(meta, "basicPropertyValues")]

    def _edge(self, edge: dict[str, Any]) -> None:
        subject = self._iri(edge.get("sub"), "an edge's sub")
        target = self._iri(edge.get("obj"), f"the edge from {subject}")
        predicate = edge.get("pred")
        term = self._term(subject)
        if predicate in ("is_a", "subPropertyOf"):
            term.parents.append(target)
        elif predicate in ("type", "instance_of"):
            term.types.append(target)
        elif predicate == "inverseOf":
            term.annotations.append((OWL + "inverseOf", ox.NamedNode(target)))
        elif term.kind == obo_owl.CLASS:
            term.relations.append((self._iri(predicate, f"the edge from {subject}"), target))
        else:
            term.annotations.append((self._iri(predicate, f"the edge from {subject}"), ox.NamedNode(target)))

    def _logical_definition(self, axiom: dict[str, Any]) -> None:
        defined = self._term(self._iri(axiom.get("definedClassId"), "a logical definition"))
        where = f"the logical definition of {defined.iri}"
        defined.intersection += [(None, self._iri(genus, where)) for genus in axiom.get("genusIds") or []]
        for restriction in self._list(axiom, "restrictions"):
            prop = self._iri(restriction.get("propertyId"), where)
            defined.intersection.append((prop, self._iri(restriction.get("fillerId"), where)))

    def _equivalents(self, nodes: dict[str, Any]) -> None:
        members = [self._iri(n, "an equivalent nodes set") for n in nodes.get("nodeIds") or []]
        chosen = nodes.get("representativeNodeId")
        first = self._iri(chosen, "an equivalent nodes set") if chosen else (members or [""])[0]
        if first:
            self._term(first).equivalents += [m for m in members if m != first]

    def _term(self, iri: str, kind: str | None = None) -> Term:
        """The term of an IRI, made on first mention (an edge may name a node the file lacks)."""
        term = self.terms.get(iri)
        if term is None:
            term = self.terms[iri] = Term(iri, kind or obo_owl.CLASS, obo_owl.obo_id(iri))
        elif kind is not None:
            term.kind = kind
        return term

    def _value(self, pv: dict[str, Any]) -> tuple[str, ox.NamedNode | ox.Literal]:
        predicate = self._iri(pv.get("pred"), "a property value")
        value = str(pv.get("val", ""))
        if value.startswith(("http://", "https://")) and " " not in value:
            return predicate, ox.NamedNode(value)
        return predicate, obo_owl.literal(value, pv.get("datatype"))

    def _iri(self, value: object, where: str) -> str:
        """An IRI as written, or a CURIE by the OBO rule; else the file's problem, at ``where``."""
        if not isinstance(value, str) or not value:
            self._fail(where, f"{where} has no identifier")
        iri = self.spaces.curie_iri(value)
        self.written.setdefault(iri, value)
        return iri

    def _checked(self, where: str, triples: Iterator[ox.Triple]) -> Iterator[ox.Triple]:
        try:
            yield from triples
        except ValueError as exc:  # an identifier that makes no IRI
            self._fail(where, f"{self.written.get(where, where)}: {exc}")

    def _object(self, value: object, where: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._fail(where, f"{where}: expected a JSON object, found {type(value).__name__}")
        return value

    def _list(self, owner: dict[str, Any], key: str) -> list[dict[str, Any]]:
        """The objects under ``key``; a null entry carries nothing and is passed over (the Disease
        Ontology's 2018 release writes ``"restrictions" : [ null ]``)."""
        value = owner.get(key) or []
        if isinstance(value, list):
            value = [v for v in value if v is not None]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self._fail(str(owner.get("id", key)), f'"{key}" is not a list of JSON objects')
        return value

    def _fail(self, where: str, reason: str) -> NoReturn:
        """Raise the file's problem at the line that first mentions ``where`` (an IRI, usually)."""
        written = self.written.get(where, where)
        found = self.text.find(json.dumps(written)) if written else -1
        line = self.text.count("\n", 0, found) + 1 if found >= 0 else 0
        raise InputError(self.path, line, f"OBO Graphs: {reason}")
