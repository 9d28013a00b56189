"""The prefixes a Turtle file declares, noted while the bulk loader reads it.

An import reports the prefixes its file declared (they are kept in ``pkg:imports``), but
pyoxigraph's bulk loader reports none, and parsing the whole file again in Python would cost
half the load. So the file is handed to the loader through ``TurtleDirectives``, which keeps
the directive lines on the way; only those are parsed afterwards.
"""

from __future__ import annotations

import re
from typing import IO

import pyoxigraph as ox

_DIRECTIVE = re.compile(rb"^[ \t]*(?:@prefix|@base|prefix|base)\b[^\n]*", re.MULTILINE | re.IGNORECASE)
#: longer lines are not directives: they are skipped rather than held in memory
_LONGEST_DIRECTIVE = 65_536


class TurtleDirectives:
    """A Turtle file read by the bulk loader, keeping its ``@prefix``/``@base`` lines on the way.

    The directive lines alone, parsed after the load, give the same prefixes as the whole
    file for any file that writes its directives on lines of their own (tools do). A kept line
    that does not parse as a directive (a prefixed name ``prefix:x`` starting a line) is
    skipped; a directive inside a multi-line literal would be reported, a known limit.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._kept: list[bytes] = []
        self._tail = b""
        self._mid_line = False  # a line too long to be a directive is being skipped

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        lines = self._tail + data
        start = lines.find(b"\n") + 1 if self._mid_line else 0
        cut = lines.rfind(b"\n") + 1 if data else len(lines)
        if start or not self._mid_line:
            self._kept.extend(_DIRECTIVE.findall(lines, start, cut))
        self._tail = lines[max(cut, start) :]
        self._mid_line = (self._mid_line and not start) or len(self._tail) > _LONGEST_DIRECTIVE
        if self._mid_line:
            self._tail = b""
        return data

    def prefixes(self, base_iri: str | None) -> dict[str, str]:
        """The prefixes the kept directives declare, once the loader has read the whole file."""
        text = b""
        found: dict[str, str] = {}
        for line in self._kept:
            parser = ox.parse(text + line + b"\n", ox.RdfFormat.TURTLE, base_iri=base_iri)
            try:
                for _ in parser:
                    pass
            except SyntaxError:
                continue
            text += line + b"\n"
            found = dict(parser.prefixes)
        return found
