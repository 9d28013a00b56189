"""Reading the packaged OBO file (``hp.obo``): the reader behind the HPO code list and vocabulary
(an OBO file someone imports is fastobo's, ``obo_flat``).

An OBO file is a header, then ``[Term]``, ``[Typedef]`` ... stanzas of ``tag: value``
lines; ``!`` starts a comment line. ``stanzas`` gives each as (kind, tag -> values), the
values in file order and otherwise as written (quotes, qualifiers and trailing ``!``
comments are the caller's to read: ``unquote`` reads a quoted string).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def stanzas(path: Path) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(kind, tag -> values) for the header (kind "") and each stanza of an OBO file."""
    kind, fields = "", dict[str, list[str]]()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            yield kind, fields
            kind, fields = line[1:-1], {}
        elif line and not line.startswith("!"):
            tag, _, value = line.partition(":")
            fields.setdefault(tag, []).append(value.strip())
    yield kind, fields


def unquote(value: str) -> str:
    """The text of a value's leading quoted string (``def: "..." [refs]``), escapes undone."""
    found = QUOTED.match(value)
    text = found.group(1) if found else value
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)
