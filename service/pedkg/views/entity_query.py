"""The one query behind an entity page: every part of the page from one SELECT, tagged by ``?part``.

An entity page (``/id/...`` and ``/resource``) shows the entity's statements both ways with
the graph each comes from, the names around it, its mapping axioms, where its facts come
from, its instances if it is a class, and which of the properties it uses the store also
describes (those get a page of their own). One SELECT asks for all of it: a UNION of
sub-SELECTs, one per ``Part``, each with its own LIMIT, so a part with thousands of rows (the
concepts of an ICD-10 chapter point at it) never crowds the others out; ``?part`` names the
part a row belongs to. ``ask`` runs it through the query pool once and hands back the rows by
part, and which parts were cut at their limit.

The entity is written into each sub-SELECT as a ``VALUES`` row (a sub-SELECT does not see
the bindings of the query around it); it is an IRI pyoxigraph accepted, so it can hold
nothing that ends the ``<...>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

import pyoxigraph as ox

from ..namespaces import sparql_prologue
from ..sparql.pool import Pool, QueryJob
from ..sparql.rows import Row

#: most statements one direction reads (a group shows one page of them, counted from these)
ROW_CAP = 5000


@dataclass(frozen=True)
class Part:
    """One part of the page: what its sub-SELECT projects, its pattern (``$entity``: the IRI), its cap."""

    name: str
    projection: str
    pattern: str
    limit: int


PARTS = (
    # the entity's own names, definitions and synonyms (also among its statements, which may be cut)
    Part(
        "own",
        "?kind ?text",
        """?e ?kind ?text FILTER(isLiteral(?text))
        VALUES ?kind { rdfs:label skos:prefLabel skos:definition skos:altLabel schema:name }""",
        1000,
    ),
    Part("out", "?p ?v ?g", "GRAPH ?g { ?e ?p ?v }", ROW_CAP),
    Part("in", "?p ?v ?g", "GRAPH ?g { ?v ?p ?e }", ROW_CAP),
    # names of what the entity links to and of the properties it uses; the label pattern sits
    # inside each branch: joined after the union, the engine read every label first
    Part(
        "name",
        "DISTINCT ?x ?kind ?text",
        """VALUES ?kind { rdfs:label skos:prefLabel schema:name }
        { ?e ?any ?x . ?x ?kind ?text } UNION { ?x ?any ?e . ?x ?kind ?text }
        UNION { ?e ?x ?any . ?x ?kind ?text } UNION { ?any ?x ?e . ?x ?kind ?text }
        FILTER(isLiteral(?text))""",
        4 * ROW_CAP,
    ),
    # mapping axioms about the entity; a reviewer's rejection ("Not") is no mapping;
    # schema:name names another graph's entity (a pedkg link target); a target the store does not
    # name (an imported SSSOM set's) is named by the mapping's own sssom:object_label
    Part(
        "crosswalk",
        "?axiom ?p ?v ?code ?text ?justification ?source ?version",
        """?axiom owl:annotatedSource ?e ; owl:annotatedProperty ?p ; owl:annotatedTarget ?v .
        FILTER NOT EXISTS { ?axiom sssom:predicate_modifier "Not" }
        OPTIONAL { ?v skos:notation ?code }
        OPTIONAL { ?v rdfs:label|schema:name ?named }
        OPTIONAL { ?axiom sssom:object_label ?given }
        BIND(COALESCE(?named, ?given) AS ?text)
        OPTIONAL { ?axiom sssom:mapping_justification ?justification }
        OPTIONAL { ?axiom rdfs:seeAlso ?source }
        OPTIONAL { ?axiom sssom:object_source_version ?version }""",
        1000,
    ),
    # the graphs holding what the entity says, with the file or document each was made from
    Part(
        "graph",
        "DISTINCT ?g ?file ?x ?kind ?text",
        """GRAPH ?g { ?e ?anyp ?anyo }
        OPTIONAL { ?g dcterms:source ?file }
        OPTIONAL { ?g prov:wasDerivedFrom ?x
          OPTIONAL { ?x ?kind ?text VALUES ?kind { rdfs:label dcterms:title } } }""",
        1000,
    ),
    # a class's instances, its subclasses' included (the class test first: cheap for anything else)
    Part(
        "instance",
        "DISTINCT ?v ?kind ?text",
        """VALUES ?class { owl:Class rdfs:Class } ?e rdf:type ?class .
        ?v rdf:type/rdfs:subClassOf* ?e
        OPTIONAL { ?v ?kind ?text VALUES ?kind { rdfs:label skos:prefLabel schema:name } }""",
        3 * ROW_CAP,
    ),
    # the properties the entity uses that are themselves a subject or an object in the store
    Part(
        "known",
        "?v",
        """{ SELECT DISTINCT ?v WHERE { VALUES ?e { $entity } { ?e ?v ?anyo } UNION { ?anys ?v ?e } } }
        FILTER(EXISTS { ?v ?anyp ?anyo } || EXISTS { ?anys ?anyp ?v })""",
        1000,
    ),
)

_BRANCH = Template(
    '{ { SELECT $projection WHERE { VALUES ?e { $entity } $pattern } LIMIT $limit } BIND("$name" AS ?part) }'
)
_VARIABLES = "?part ?kind ?text ?p ?v ?g ?x ?axiom ?code ?justification ?source ?version ?file"


def text(iri: str) -> str:
    """The page's query about ``iri`` (an IRI pyoxigraph accepts, else ``ValueError``)."""
    entity = str(ox.NamedNode(iri))
    branches = [
        _BRANCH.substitute(
            projection=part.projection,
            entity=entity,
            pattern=Template(part.pattern).substitute(entity=entity),
            limit=part.limit + 1,  # one row more than shown tells that the part was cut
            name=part.name,
        )
        for part in PARTS
    ]
    return f"{sparql_prologue()}SELECT {_VARIABLES} WHERE {{\n  " + "\n  UNION ".join(branches) + "\n}"


@dataclass(frozen=True)
class Answer:
    """The rows of each part (every part named, empty when nothing matched), and the parts cut."""

    parts: dict[str, list[Row]]
    cut: frozenset[str]

    def __getitem__(self, part: str) -> list[Row]:
        return self.parts[part]


def ask(pool: Pool, iri: str) -> Answer:
    """Everything an entity page shows about ``iri``, from one query through the pool."""
    limit = sum(part.limit + 1 for part in PARTS)
    answer = pool.run(QueryJob(text(iri), "tsv", returns_graph=False, row_limit=limit))
    parts: dict[str, list[Row]] = {part.name: [] for part in PARTS}
    result = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    # the rows of ``rows.result_rows``, read by position: a solution's lookup by name is five
    # times slower, and a page reads hundreds of rows of thirteen variables
    for solution in result:
        row = {name: term for name, term in zip(names, solution, strict=True) if term is not None}
        parts[row.pop("part").value].append(row)
    caps = {part.name: part.limit for part in PARTS}
    cut = frozenset(name for name, rows in parts.items() if len(rows) > caps[name])
    return Answer({name: rows[: caps[name]] for name, rows in parts.items()}, cut)
