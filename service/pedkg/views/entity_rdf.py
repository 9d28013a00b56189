"""An entity as RDF, the machine twin of its page, and the query its page opens in the editor.

``graph_of(pool, iri, fmt, row_limit)`` is the entity's RDF (its outgoing and incoming
triples, the labels of what it links to, the codes of its mapping targets and the mapping
axioms about it) as one CONSTRUCT through the pool, for ``/id/X.ttl`` and
``/resource?iri=...&format=turtle`` alike. ``sparql_about(iri)`` is the "query this" query:
every triple the entity is in, with the graph it comes from.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import NotFound
from ..namespaces import PREFIXES, sparql_prologue
from ..sparql.formats import GRAPH_FORMATS
from ..sparql.pool import Pool, QueryAnswer, QueryJob

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


def graph_of(pool: Pool, iri: str, format_name: str, row_limit: int) -> QueryAnswer:
    """The entity's RDF in a graph format; ``NotFound`` when it has no triples at all.

    The pool answers in N-Triples (capped at ``row_limit`` triples); Turtle and RDF/XML are
    written here with the prefixes the triples use, so people can read them.
    """
    job = QueryJob(
        sparql_prologue() + GRAPH,
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
    """The query "query this entity" opens in the editor: every triple it is in, and its graph."""
    return (
        "SELECT ?subject ?property ?object ?graph WHERE {\n"
        f"  {{ BIND(<{iri}> AS ?subject) GRAPH ?graph {{ <{iri}> ?property ?object }} }}\n"
        f"  UNION {{ BIND(<{iri}> AS ?object) GRAPH ?graph {{ ?subject ?property <{iri}> }} }}\n"
        "}\n"
    )
