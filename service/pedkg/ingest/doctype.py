"""The entity declarations of an RDF/XML file, checked before pyoxigraph parses it.

What pyoxigraph 0.5 does, found by trying it: it expands internal entities declared in a
DOCTYPE, nested ones too (ten levels of ten references grow to gigabytes: "billion laughs");
it takes a DOCTYPE anywhere in the file, and more than one; it reads no external entity
(``SYSTEM``/``PUBLIC``) but fails on one without a line number; it ignores an external DTD
subset (``<!DOCTYPE rdf:RDF SYSTEM "...">``); it cannot read UTF-16, so only UTF-8 bytes
matter here.

So the whole file is scanned for ``<!ENTITY`` before parsing, and only what ontology editors
write is let through: a general entity whose value is a short string with no reference to
another entity (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``). External, parameter and
nested entities and long values are refused with their line. A ``<!ENTITY`` inside a comment
or CDATA section is refused too: the scan does not parse XML, and it errs on the safe side.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import IO

from ..errors import InputError

#: the longest entity value let through (namespace IRIs are far shorter); it bounds how much
#: one reference can grow a file
VALUE_LIMIT = 256
CHUNK = 1 << 20
#: enough bytes after ``<!ENTITY`` to read any declaration that can be let through
WINDOW = VALUE_LIMIT + 1024
START = re.compile(rb"<!ENTITY", re.IGNORECASE)
DECLARATION = re.compile(
    rb"<!ENTITY(?P<parameter>\s+%)?\s+(?P<name>[^\s\"'>%]+)\s+"
    rb"(?:(?P<external>SYSTEM|PUBLIC)|\"(?P<value>[^\"]*)\"|'(?P<single>[^']*)')",
    re.IGNORECASE,
)


def check(path: Path) -> None:
    """Raise ``InputError`` at the first entity declaration of ``path`` that is not let through."""
    with _open(path) as file:
        found = first_refusal(file)
    if found is not None:
        raise InputError(path, *found)


def first_refusal(file: IO[bytes] | gzip.GzipFile) -> tuple[int, str] | None:
    """(line, reason) of the first declaration in ``file`` that is not let through, if any.

    Also for RDF/XML that arrives in a request body (the Graph Store Protocol, ``web/graph_store``).
    """
    line, carry = 1, b""
    while True:
        chunk = file.read(CHUNK)
        data = carry + chunk
        limit = max(0, len(data) - WINDOW) if chunk else len(data)  # later starts: next round
        for match in START.finditer(data):
            if match.start() >= limit:
                break
            reason = refusal(data, match.start())
            if reason:
                return line + data.count(b"\n", 0, match.start()), reason
        if not chunk:
            return None
        line += data.count(b"\n", 0, limit)
        carry = data[limit:]


def refusal(data: bytes, start: int) -> str | None:
    """Why the declaration at ``start`` is refused, or None when it is a short, flat internal entity."""
    found = DECLARATION.match(data, start)
    if found is None:
        return "an ENTITY declaration pedkg cannot read; refused"
    name = found["name"].decode("utf-8", "replace")
    value = found["value"] if found["value"] is not None else found["single"]
    if found["parameter"]:
        return f"parameter entity %{name}; refused: pedkg reads no DTD declarations"
    if found["external"] or value is None:
        return f"external entity &{name}; refused: pedkg never reads a file or URL it names"
    if b"&" in value or b"%" in value:
        return f"entity &{name}; refers to other entities (they can expand exponentially); refused"
    if len(value) > VALUE_LIMIT:
        return f"entity &{name}; is longer than {VALUE_LIMIT} bytes; refused"
    return None


def _open(path: Path) -> IO[bytes] | gzip.GzipFile:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
