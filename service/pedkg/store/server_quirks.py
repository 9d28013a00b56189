"""Where SPARQL servers differ from the standards, as far as pedkg must hide it.

A server names itself in its ``Server`` header; pedkg reads that from every answer and
adapts its requests (``remote``):

- Virtuoso writes TSV results with quoted variable names (``"g"`` where the standard has
  ``?g``), so it is asked for SPARQL JSON results instead;
- Virtuoso has no default graph of its own (its default graph is the union of its graphs,
  and its Graph Store endpoint refuses ``?default``), so there is no default graph to clear
  or read, and a write to one is refused with a message that says to name a graph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quirks:
    standard_tsv: bool = True  # TSV results as SPARQL 1.1 Query Results CSV/TSV writes them
    own_default_graph: bool = True  # a default graph apart from the named graphs (?default works)


STANDARD = Quirks()
#: before the first answer: ask for what every server writes correctly
UNKNOWN = Quirks(standard_tsv=False)
_KNOWN = {"Virtuoso": Quirks(standard_tsv=False, own_default_graph=False)}


def of_server(header: str) -> Quirks:
    """The quirks of the server whose ``Server`` header this is (``Virtuoso/07.20.3229 (Linux)``)."""
    return next((quirks for name, quirks in _KNOWN.items() if header.startswith(name)), STANDARD)
