"""The SPARQL lexer, and the two things both stores need from it: a query's form and bound values.

A store sends text: a SPARQL server only ever sees text, and pyoxigraph plans its own
substitutions as if the variables were unbound, so both stores bind pre-bound values into
the text as a VALUES block (``bind_values``); the remote store also asks a query's form
(``form``) to know whether a graph or rows come back. Both need the lexer, which follows the
SPARQL 1.1 grammar's terminals (comments, strings, IRIs, prefixed names with their escapes),
so it lives here, below ``sparql.text``, which checks requests with it, and the pages, which
highlight and edit query texts with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import QueryError

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# Terminals of the SPARQL 1.1 grammar (Query section 19.8) that can hide a keyword or a bracket.
_PN_CHARS = (
    "A-Za-z0-9_\\-\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u203f-\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_PLX = "%[0-9A-Fa-f]{2}|\\\\[_~.\\-!$&'()*+,;=/?#@%]"
_STRING = "|".join(
    (
        "'''(?:[^'\\\\]|\\\\.|'(?!''))*'''",
        '"""(?:[^"\\\\]|\\\\.|"(?!""))*"""',
        "'(?:[^'\\\\\\r\\n]|\\\\.)*'",
        '"(?:[^"\\\\\\r\\n]|\\\\.)*"',
    )
)
_TOKEN = re.compile(
    "|".join(
        (
            "(?P<comment>#[^\\r\\n]*)",
            f"(?P<string>{_STRING})",
            '(?P<iri><[^<>"{}|^`\\\\\\x00-\\x20]*>)',
            f"(?P<var>[?$][{_PN_CHARS}]+)",
            f"(?P<pname>[{_PN_CHARS}.]*:(?:[{_PN_CHARS}.:]|{_PLX})*)",
            "(?P<word>[A-Za-z_]+)",
            "(?P<open>[{(\\[])",
            "(?P<close>[})\\]])",
            "(?P<other>.)",
        )
    ),
    re.DOTALL,
)


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The SPARQL text's tokens; ``match.lastgroup`` names the kind (comment, string, iri,
    var, pname, word, open, close, other). The one lexer for checks, highlighting and edits."""
    return _TOKEN.finditer(text)


def form(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE) of a query pedkg itself sends."""
    for match in tokens(text):
        if match.lastgroup == "word" and match.group().upper() in QUERY_FORMS:
            return match.group().upper()
    return "SELECT"


def bind_values(sparql: str, substitutions: Mapping[Any, Any]) -> str:
    """The query with its pre-bound variables (pyoxigraph terms) as a VALUES block opening its WHERE.

    A SPARQL server only sees text; and pyoxigraph plans its own ``substitutions`` without
    knowing the variable is bound (a code lookup at 100k triples: 4 s, against 40 ms with the
    block). A VALUES block first in the group joins before anything else is evaluated, which
    gives the same answers for the patterns pedkg's queries use; the short ``CONSTRUCT WHERE``
    form, whose pattern is also its template, takes the block at the end instead.
    """
    if not substitutions:
        return sparql
    names = " ".join(f"?{v.value}" for v in substitutions)
    values = f"VALUES ({names}) {{ ({' '.join(str(t) for t in substitutions.values())}) }}"
    query_form = form(sparql)
    depth, braces_at_top, previous = 0, 0, ""
    for match in tokens(sparql):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and depth == 0:
            if value.upper() == "WHERE" and previous == "CONSTRUCT" and not braces_at_top:
                return f"{sparql}\n{values}"
            previous = value.upper()
        if kind == "open" and value == "{":
            if depth == 0:
                braces_at_top += 1
                if braces_at_top == (2 if query_form == "CONSTRUCT" else 1):
                    return f"{sparql[: match.end()]} {values} {sparql[match.end() :]}"
            depth += 1
        elif kind == "close" and value == "}":
            depth -= 1
    raise QueryError("cannot find the query's WHERE clause to bind its parameters")


def without_from(sparql: str) -> str:
    """The query without its ``FROM`` and ``FROM NAMED`` clauses: for a server that would merge
    them with the dataset the request gives, which the protocol says replaces them."""
    kept: list[str] = []
    done = depth = 0
    clause: list[re.Match[str]] = []  # FROM [NAMED] so far, outside any brackets
    for match in tokens(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        if depth or kind == "comment" or (kind == "other" and text.isspace()):
            continue
        if kind == "word" and (text.upper() == "FROM" or (clause and text.upper() == "NAMED")):
            clause.append(match)
        elif clause and kind in ("iri", "pname"):
            kept.append(sparql[done : clause[0].start()])
            done = match.end()
            clause = []
        else:
            clause = []
    return "".join(kept) + sparql[done:]
