"""A file that is not RDF (SSSOM TSV, OBO, OBO Graphs JSON), read into triples for ``importer``.

``importer`` writes the triples to a spool as N-Triples and loads that like any RDF file,
so a converted file goes into its graph the same way (bulk loader, one description in
``pkg:imports``, all or nothing) on the embedded store and on a SPARQL server alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox


@dataclass
class Converted:
    """The triples of a file, read lazily (a reader raises ``InputError`` from inside them), the
    prefixes it declared (the register's ``sh:declare``), and notes for the person importing it:
    what was read how, and what was left out and why. The notes are whole once the triples are."""

    triples: Iterator[ox.Triple] | Iterator[ox.Quad]  # quads: all in the default graph
    prefixes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
