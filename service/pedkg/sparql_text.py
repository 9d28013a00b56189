"""What a SPARQL request is, read from its text before the engine sees it.

The engine (pyoxigraph) must not receive queries that would crash it (deep nesting
overflows its stack), call out to the network (``SERVICE``) or change data; and the
query form decides which result formats to offer. A small lexer that skips comments,
strings and IRIs answers those questions without a full parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryRefused

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>[A-Za-z0-9_\u00C0-\uFFFF.-]*:[A-Za-z0-9_\u00C0-\uFFFF.%:\\-]*)
  | (?P<word>[A-Za-z_]+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryText:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    depth: int
    services: tuple[str, ...]  # SERVICE targets: IRIs, or "?var" for a variable endpoint

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def read(text: str, max_nesting: int, allowed_services: frozenset[str] = frozenset()) -> QueryText:
    """Check a query's text; raise ``QueryRefused`` for what the endpoint will not run.

    Syntax errors are left to the engine, which reports them with a position.
    """
    form = ""
    depth = deepest = 0
    services: list[str] = []
    expect_service_target = False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("comment", "other") or (kind == "string" and not expect_service_target):
            continue
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_nesting:
                raise QueryRefused(400, f"the query nests brackets more than {max_nesting} deep")
        elif kind == "close":
            depth = max(depth - 1, 0)
        if expect_service_target:
            if kind == "word" and value.upper() == "SILENT":
                continue
            services.append(value[1:-1] if kind == "iri" else value)
            expect_service_target = False
        if kind != "word":
            continue
        word = value.upper()
        if not form and word in UPDATE_WORDS:
            raise QueryRefused(403, f"this endpoint is read-only: SPARQL Update ({word}) is refused")
        if not form and word in QUERY_FORMS:
            form = word
        if word == "SERVICE":
            expect_service_target = True
    refused = [s for s in services if s not in allowed_services]
    if refused:
        raise QueryRefused(
            403,
            f"SERVICE {refused[0]} is refused: this endpoint calls no other endpoint it is not allowed to",
        )
    return QueryText(form or "SELECT", deepest, tuple(services))


def read_update(text: str, max_nesting: int, allowed_services: frozenset[str] = frozenset()) -> None:
    """Check an update's text: no LOAD and no SERVICE call, both of which make the server fetch URLs."""
    deepest = depth = 0
    expect_service_target = False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_nesting:
                raise QueryRefused(400, f"the update nests brackets more than {max_nesting} deep")
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif expect_service_target and kind in ("iri", "var"):
            target = value[1:-1] if kind == "iri" else value
            if target not in allowed_services:
                raise QueryRefused(403, f"SERVICE {target} is refused in updates as in queries")
            expect_service_target = False
        elif kind == "word" and value.upper() == "LOAD":
            raise QueryRefused(403, "LOAD is refused: it would make the server fetch a URL; use pedkg import")
        elif kind == "word" and value.upper() == "SERVICE":
            expect_service_target = True
