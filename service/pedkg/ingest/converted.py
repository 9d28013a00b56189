"""A file that is not RDF (SSSOM TSV, OBO, OBO Graphs JSON), read into triples for ``importer``.

``importer`` writes the triples to a spool as N-Triples and loads that like any RDF file,
so a converted file goes into its graph the same way (bulk loader, one description in
``pkg:imports``, all or nothing) on the embedded store and on a SPARQL server alike.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError


@dataclass
class Converted:
    """The triples of a file, read lazily (a reader raises ``InputError`` from inside them), the
    prefixes it declared (the register's ``sh:declare``), and notes for the person importing it:
    what was read how, and what was left out and why. The notes are whole once the triples are."""

    triples: Iterator[ox.Triple] | Iterator[ox.Quad]  # quads: all in the default graph
    prefixes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    """The whole of a JSON file (gzipped or not) as text, for readers that locate problems by line;
    a file that cannot be read or is not UTF-8 is an ``InputError`` at its line."""
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return data.decode("utf-8")
    except FileNotFoundError:
        raise InputError(path, 0, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, data.count(b"\n", 0, exc.start) + 1, f"not UTF-8 text: {exc.reason}") from None
    except (OSError, EOFError) as exc:
        raise InputError(path, 0, f"cannot read: {exc}") from None
