"""A SELECT answer as rows: the one place solutions become dicts.

A row maps each bound variable's name to its pyoxigraph term (unbound variables are left
out, so ``"x" in row`` asks whether ``?x`` matched); ``plain`` turns rows into the terms'
lexical values when only strings are wanted. ``result_rows`` reads a store's own query result
(build, import, linking run in-process); ``select`` asks the query pool, whose processes
send TSV, which keeps every term whole (language tags, datatypes, blank nodes) and is what
the pool writes before any other format, so nothing is serialised twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from .pool import Pool, QueryJob

#: variable name -> term (NamedNode, BlankNode or Literal); pyoxigraph types solutions' terms as Any
Row = dict[str, Any]


def result_rows(result: object) -> list[Row]:
    """A SELECT result's solutions, in order; QueryError for an ASK or a graph."""
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected the solutions of a SELECT query")
    names = [variable.value for variable in result.variables]
    # a solution iterates over its values in the variables' order: read by position, not by name
    return [
        {name: term for name, term in zip(names, solution, strict=True) if term is not None}
        for solution in result
    ]


def select(
    pool: Pool,
    sparql: str,
    row_limit: int,
    bind: Mapping[str, Any] | None = None,
    timeout: float | None = None,
) -> list[Row]:
    """Run a SELECT through the pool (at most ``row_limit`` rows); ``bind`` sets variables to terms.

    ``timeout`` overrides the pool's time limit (seconds), as ``Pool.run`` does.
    """
    substitutions = {ox.Variable(name): term for name, term in (bind or {}).items()}
    job = QueryJob(sparql, "tsv", returns_graph=False, row_limit=row_limit, substitutions=substitutions)
    answer = pool.run(job, timeout)
    return result_rows(ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.TSV))


def plain(found: Iterable[Row]) -> list[dict[str, str]]:
    """Rows of the terms' values: an IRI, a literal's lexical form, a blank node's id."""
    return [{name: term.value for name, term in row.items()} for row in found]
