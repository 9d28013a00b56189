"""What every store offers, whichever kind pedkg holds: the contract, written once.

Build, import, the mappings, the CLI and the admin pages type against ``Store`` and never
ask which kind they hold; ``embedded.GraphStore`` (pyoxigraph on disk) and
``remote.RemoteStore`` (a SPARQL 1.1 server) both satisfy it, which mypy checks in
``backend``. The write methods are named for what they do to what is there already: ``add_*``
keeps it, ``replace_*`` empties the graph first, ``drop_graph`` removes it. A write is made
inside ``backend.writing``, which decides when readers see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Protocol

import pyoxigraph as ox

# A graph result is an iterator of triples: pyoxigraph's QueryTriples, or triples parsed from a server.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]
Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


class Store(Protocol):
    """A dataset of named graphs and a default graph, read by SPARQL and written whole graphs at a time.

    A graph is named by its IRI; ``None`` names the default graph. Blank nodes that come in
    by a write get fresh ids, so they never merge with another graph's.
    """

    # Reading --------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        substitutions: Substitutions | None = None,
        prefixes: dict[str, str] | None = None,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        union_default: bool = True,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query: rows, a boolean, or (CONSTRUCT, DESCRIBE) triples.

        ``substitutions`` pre-bind variables (bound into the text as a VALUES block);
        ``prefixes`` are declared before the text. A dataset given by the protocol
        (``default_graphs``/``named_graphs``) replaces the query's own; without one the
        default graph is the union of the named graphs, unless ``union_default`` is False
        (the query names its graphs). Relative IRIs resolve against ``base_iri`` unless the
        text has its own ``BASE``. Raises ``QueryError`` for a malformed or failing query.
        """
        ...

    def triples(self, graph: str | None) -> list[ox.Triple]:
        """The triples of one graph (none for a graph that does not exist)."""
        ...

    def has_graph(self, graph: str) -> bool:
        """Whether the named graph is in the dataset."""
        ...

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs holding data, sorted."""
        ...

    def dump(self) -> bytes:
        """The whole dataset, every named graph and the default graph, as N-Quads."""
        ...

    def __len__(self) -> int:
        """The number of quads in the dataset."""
        ...

    # Writing --------------------------------------------------------------------------------

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update (relative IRIs against ``base_iri``); ``QueryError`` if it fails."""
        ...

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads, each to the graph it names, keeping what the graphs hold."""
        ...

    def add_quads_from_file(self, source: IO[bytes], format: ox.RdfFormat) -> None:
        """Add an N-Quads or TriG file's quads, each to the graph it names, keeping what is there.

        A blank node label means one node across the file's graphs. Raises ``SyntaxError``
        (with its line) for bad input, which may leave part of the file added on the embedded
        store: it is meant for a new, empty version (a restore), which a failure discards.
        """
        ...

    def add_to_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Add triples to one graph, keeping what it holds (creating it if need be)."""
        ...

    def replace_graph(self, graph: str | None, triples: Iterable[ox.Triple]) -> None:
        """Empty one graph and fill it with ``triples``; seen whole or not at all."""
        ...

    def replace_graph_from_file(
        self, source: IO[bytes], format: ox.RdfFormat, graph: str, base_iri: str | None = None
    ) -> dict[str, str]:
        """Empty ``graph`` and fill it with an RDF file's triples; return the prefixes the file declared.

        Every triple goes to ``graph``, whatever graph a dataset format (N-Quads, TriG,
        JSON-LD) names. Raises ``SyntaxError`` (with the line, where the parser gives one) for
        bad input: the embedded store may then hold part of the file (write into a new version,
        which the failure discards); a server is sent nothing and keeps the old graph.
        """
        ...

    def drop_graph(self, graph: str | None) -> None:
        """Remove a named graph (nothing happens if there is none), or empty the default graph."""
        ...

    def flush(self) -> None:
        """Finish a write: the embedded store writes everything out, compacted, before its version is
        swapped in; a server's version stamp moves, so every pedkg process empties its caches.
        ``backend.writing`` calls it when the block ends; callers do not."""
        ...
