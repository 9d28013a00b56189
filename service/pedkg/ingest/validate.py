"""Checks a build's sources before anything is loaded, and locates every problem.

Four checks: SHACL (``ontology/shapes.ttl``) over the whole graph; every schema.org
term used exists (rdflib's schema.org term list); every ``pedkg:`` IRI used is
described somewhere; every mapping row is well formed and its code exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SDO

from ..errors import Problem
from ..mapping import curated
from ..namespaces import BASE, EXTERNAL, compress
from . import codelists
from .sources import Source, subject_lines

SHAPES_GRAPH = "shapes"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SCHEMA_TERMS = frozenset(SDO.__annotations__)
NAMES_OF_DOCUMENTS = frozenset(
    {str(rdflib.OWL.versionIRI), str(rdflib.RDFS.seeAlso), str(rdflib.RDFS.isDefinedBy)}
)


def check_sources(sources: list[Source]) -> list[Problem]:
    """Every problem in parsed sources (syntax problems are reported by ``sources.parse``)."""
    turtle = [s for s in sources if s.kind == "turtle"]
    subjects = {q.subject.value for s in turtle for q in s.quads if isinstance(q.subject, ox.NamedNode)}
    problems = _schema_terms(turtle) + _dangling(turtle, subjects)
    graph = [q for s in turtle if s.graph_name != SHAPES_GRAPH for q in s.quads]
    for source in sources:
        if source.mapping_set is not None:
            found = curated.check(source.mapping_set, subjects, _code_checker(source.path))
            problems += found
            if not found:  # only well-formed rows can become RDF for SHACL
                graph += curated.to_quads(source.mapping_set, source.graph)
    for shapes in (s for s in turtle if s.graph_name == SHAPES_GRAPH):
        problems += _shacl(graph, shapes, sources)
    return problems


def _code_checker(mapping_file: Path) -> curated.CodeProblem:
    """Why the code list of ``prefix`` refuses a code and its label (None: it has them); pinned
    lists are read from ``data/sources``, beside the ``data/mappings`` folder of the file."""
    sources = mapping_file.parent.parent / "sources"

    def code_problem(prefix: str, local_id: str, label: str, see_also: list[str]) -> str | None:
        return codelists.check_code(prefix, local_id, label, sources, see_also).reason

    return code_problem


def _iris(quads: Iterable[ox.Quad]) -> Iterable[tuple[str, ox.Quad]]:
    """IRIs used as terms, leaving out version IRIs and other names of documents."""
    for q in quads:
        if q.predicate.value in NAMES_OF_DOCUMENTS:
            continue
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, ox.NamedNode):
                yield term.value, q


def _schema_terms(turtle: list[Source]) -> list[Problem]:
    schema = EXTERNAL["schema"]
    problems = []
    for source in turtle:
        lines = subject_lines(source.path)
        for iri, quad in _iris(source.quads):
            if iri.startswith(schema) and iri[len(schema) :] not in SCHEMA_TERMS:
                problems.append(
                    Problem(
                        source.path,
                        _line_of(quad.subject, lines),
                        f"schema:{iri[len(schema) :]} is not a schema.org term",
                    )
                )
    return problems


def _dangling(turtle: list[Source], subjects: set[str]) -> list[Problem]:
    """A pedkg: IRI that is used but never described is almost always a typo."""
    problems = []
    for source in turtle:
        lines = subject_lines(source.path)
        for iri, quad in _iris(source.quads):
            if iri.startswith(BASE) and iri not in subjects and not iri.startswith(BASE + "graph/"):
                problems.append(
                    Problem(
                        source.path,
                        _line_of(quad.subject, lines),
                        f"{compress(iri)} is used but never described",
                    )
                )
    return sorted(set(problems), key=str)


def _shacl(quads: list[ox.Quad], shapes: Source, sources: list[Source]) -> list[Problem]:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    data = rdflib.Graph().parse(data=ntriples.decode(), format="nt")
    shapes_graph = rdflib.Graph().parse(shapes.path, format="turtle")
    from pyshacl import validate as shacl_validate  # half a second to import: only when validating

    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes_graph, inference="none", allow_warnings=True
    )
    if conforms:
        return []
    problems = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        where, line = _locate(str(focus), sources)
        about = compress(str(focus))
        via = f" ({compress(str(path))})" if isinstance(path, rdflib.URIRef) else ""
        problems.append(Problem(where, line, f"{about}{via}: {message}"))
    return sorted(set(problems), key=str)


def _line_of(term: ox.NamedNode | ox.BlankNode | ox.Triple, lines: dict[str, int]) -> int:
    if isinstance(term, ox.NamedNode):
        return lines.get(compress(term.value), lines.get(f"<{term.value}>", 0))
    return 0


def _locate(iri: str, sources: list[Source]) -> tuple[Path, int]:
    """The file and line where an entity is described (its first subject position)."""
    curie = compress(iri)
    for source in sources:
        if source.kind == "turtle":
            lines = subject_lines(source.path)
            for key in (curie, f"<{iri}>"):
                if key in lines:
                    return source.path, lines[key]
        elif source.mapping_set is not None:
            for row in source.mapping_set.rows:
                if curie in (row["subject_id"], row["object_id"]):
                    return source.path, row.line
    first = next((s.path for s in sources if s.graph_name != SHAPES_GRAPH), sources[0].path)
    return first, 0
