"""Where SPARQL servers differ from the standards, as far as pedkg must hide it.

A server names itself in its ``Server`` header; pedkg reads that from every answer and
adapts its requests (``remote``):

- Virtuoso writes TSV results with quoted variable names (``"g"`` where the standard has
  ``?g``), so it is asked for SPARQL JSON results instead;
- Virtuoso has no default graph of its own (its default graph is the union of its graphs,
  and its Graph Store endpoint refuses ``?default``), so there is no default graph to clear
  or read, and a write to one is refused with a message that says to name a graph;
- Virtuoso's JSON results name a blank node ``nodeID://b10031`` (its N-Triples say
  ``_:b10031``), which is no blank node label, so the prefix is taken off as the answer streams;
- Virtuoso's DESCRIBE is its own unless asked for the concise bounded description (the
  embedded store's), which a ``DEFINE`` pragma before the query does;
- Virtuoso reports syntax errors in its own words and positions, so pedkg's own parser
  (pyoxigraph's) reads the query first and a malformed one is refused as on the embedded store;
- Virtuoso merges a query's ``FROM`` with the request's ``default-graph-uri`` where the protocol
  says the request's dataset replaces it, so the text's ``FROM`` clauses are left out of what it
  is sent (``sparql_lexer.without_from``);
- Virtuoso keeps graphs of its own among the data's (its RDF views' schema, the LDP
  vocabulary, its DAV folders, its service description: about 2,500 triples), so they are
  left out of the named graphs pedkg lists: out of its union default graph, and never
  dropped by a build. The last two are named after the server's ``[URIQA] DefaultHost``
  (``http://localhost:8890/DAV/``, ``http://localhost:8890/sparql``), so any host is matched.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class Quirks:
    standard_tsv: bool = True  # TSV results as SPARQL 1.1 Query Results CSV/TSV writes them
    own_default_graph: bool = True  # a default graph apart from the named graphs (?default works)
    blank_node_prefix: bytes = b""  # what a JSON result's blank node value starts with, not its label
    describe_prologue: str = ""  # what makes the server's DESCRIBE the concise bounded description
    standard_syntax_errors: bool = True  # a syntax error is reported as SPARQL's grammar says where
    protocol_dataset_wins: bool = True  # default-graph-uri/named-graph-uri replace the text's FROM
    system_graphs: str = ""  # a regex that matches the IRIs of the server's own graphs, not data


STANDARD = Quirks()
_KNOWN = {
    "Virtuoso": Quirks(
        standard_tsv=False,
        own_default_graph=False,
        blank_node_prefix=b"nodeID://",
        describe_prologue='DEFINE sql:describe-mode "CBD" ',
        standard_syntax_errors=False,
        protocol_dataset_wins=False,
        system_graphs=r"http://www\.openlinksw\.com/schemas/virtrdf#|http://www\.w3\.org/ns/ldp#"
        r"|http://[^/]+/(DAV/|sparql)",
    )
}


def of_server(header: str) -> Quirks:
    """The quirks of the server whose ``Server`` header this is (``Virtuoso/07.20.3229 (Linux)``)."""
    return next((quirks for name, quirks in _KNOWN.items() if header.startswith(name)), STANDARD)


def is_system_graph(iri: str, quirks: Quirks) -> bool:
    """Whether a graph is the server's own (its schema, its folders), which pedkg neither shows nor drops."""
    return bool(quirks.system_graphs) and re.fullmatch(quirks.system_graphs, iri) is not None


def json_results(source: IO[bytes], quirks: Quirks) -> IO[bytes]:
    """SPARQL JSON results as pyoxigraph reads them: blank node values without the server's prefix."""
    if not quirks.blank_node_prefix:
        return source
    return io.BufferedReader(_Unprefixed(source, b'"' + quirks.blank_node_prefix, b'"'))


class _Unprefixed(io.RawIOBase):
    """A stream with every ``marker`` replaced, also where one falls across two reads."""

    def __init__(self, source: IO[bytes], marker: bytes, replacement: bytes) -> None:
        self._source, self._marker, self._replacement = source, marker, replacement
        self._ready = b""  # replaced, to hand out
        self._held = b""  # the last bytes read, which may begin a marker the next read ends

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._ready:
            chunk = self._source.read(65536)
            data = (self._held + chunk).replace(self._marker, self._replacement)
            if not chunk:
                self._ready, self._held = data, b""
                break
            keep = len(self._marker) - 1
            self._ready, self._held = data[:-keep], data[-keep:]
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size
