"""What a SPARQL request is, read from its text before the engine sees it.

The engine (pyoxigraph) must not receive queries that would crash it (deep nesting, or a
chain of thousands of operators or patterns in one group, overflows its stack), call out
to the network (``SERVICE``, ``LOAD``) or change data; and the query form decides which
result formats to offer. The lexer both stores use (``store.sparql_lexer``, which follows
the SPARQL 1.1 grammar's terminals: comments, strings, IRIs, prefixed names with their
escapes) answers those questions without a full parser. Where the text could still hide
something from it (the word SERVICE, or brackets, inside what the lexer took for a string,
IRI or comment), rdflib's full parser gives a second opinion; what neither can check is
refused. That parser is slow (about a second per few kB, in the web worker), so it only
reads texts up to ``SECOND_OPINION_CHARS``: a longer text that hides SERVICE is refused,
and one that could hide brackets is judged by the lexer's depth (deeper nesting than the
lexer saw crashes at worst one query process, which answers 400).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import QueryRefused
from ..store import sparql_lexer

UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_SERVICE_ANYWHERE = re.compile("service", re.IGNORECASE)
_OPENING = re.compile("[{(\\[]")
#: the longest text rdflib's parser is asked about (it parses roughly 2-7 kB a second)
SECOND_OPINION_CHARS = 4000
#: operators one bracketed group may chain: the engine builds a tree as deep as the chain and
#: overflows its stack from about 7,000 (``1 + 1 + ...``, ``!!!...``) in an expression, and from
#: about 10,000 triple patterns, UNIONs, OPTIONALs or path steps in a group pattern
MAX_OPERATORS = 2000
_OPERATORS = {"(": frozenset("!|&+-*/=<>"), "{": frozenset(".;,/|^")}
_GROUP_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS"})


@dataclass(frozen=True)
class QueryText:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    depth: int
    services: tuple[str, ...]  # SERVICE targets: IRIs, or "?var" for a variable endpoint
    has_from: bool = False  # FROM / FROM NAMED: the query names its own dataset

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


@dataclass
class _Scan:
    first_word: str = ""
    form: str = ""
    deepest: int = 0
    has_from: bool = False
    words: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    hidden_opens: int = 0  # opening brackets inside strings, IRIs, comments and odd characters
    hidden_service: bool = False  # the word service inside one of those


def _scan(text: str, max_nesting: int) -> _Scan:
    scan = _Scan()
    depth = 0
    services: list[str] = []
    words: list[str] = []
    expect_service_target = False
    groups: list[list[Any]] = []  # [bracket, operators chained in it] for each open bracket
    values_next = False  # the next { opens a VALUES block, whose rows chain nothing
    for match in sparql_lexer.tokens(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("comment", "other", "string", "iri"):
            scan.hidden_opens += len(_OPENING.findall(value))
            scan.hidden_service = scan.hidden_service or bool(_SERVICE_ANYWHERE.search(value))
        chains = (kind == "other" and value in _OPERATORS.get(groups[-1][0], ())) if groups else False
        if chains or (kind == "word" and value.upper() in _GROUP_WORDS and groups):
            groups[-1][1] += 1
            if groups[-1][1] > MAX_OPERATORS:
                raise QueryRefused(400, f"a group of the request chains more than {MAX_OPERATORS} operators")
        values_next = values_next or (kind == "word" and value.upper() == "VALUES")
        if kind in ("comment", "other", "string"):
            continue
        if kind == "open":
            groups.append(["[" if value == "{" and values_next else value, 0])
            values_next = values_next and value != "{"
            depth += 1
            scan.deepest = max(scan.deepest, depth)
            if scan.deepest > max_nesting:
                raise QueryRefused(400, f"the request nests brackets more than {max_nesting} deep")
        elif kind == "close":
            depth = max(depth - 1, 0)
            if groups:
                groups.pop()
        if expect_service_target and not (kind == "word" and value.upper() == "SILENT"):
            services.append(value[1:-1] if kind == "iri" else value)
            expect_service_target = False
        if kind != "word":
            continue
        word = value.upper()
        words.append(word)
        if not scan.form and word in sparql_lexer.QUERY_FORMS:
            scan.form = word
        scan.has_from = scan.has_from or word == "FROM"
        expect_service_target = expect_service_target or word == "SERVICE"
    scan.first_word = next((w for w in words if w not in ("PREFIX", "BASE")), "")
    scan.words = tuple(words)
    scan.services = tuple(services)
    return scan


def read(text: str, max_nesting: int, allowed_services: frozenset[str] = frozenset()) -> QueryText:
    """Check a query's text; raise ``QueryRefused`` for what the endpoint will not run.

    Syntax errors are left to the engine, which reports them with a position. The answer for a
    text up to ``CACHED_CHARS`` long is remembered (``CACHED_TEXTS`` of them): clients send the
    same few queries again and again, and lexing one costs more than the engine's point lookup.
    A refusal is not remembered; it is worked out again, at the price of a refused request.
    """
    if len(text) <= CACHED_CHARS:
        return _read_cached(text, max_nesting, allowed_services)
    return _read(text, max_nesting, allowed_services)


#: the longest text whose check is remembered, and how many are (at most ~8 MB of texts)
CACHED_CHARS = 4000
CACHED_TEXTS = 2048


def _read(text: str, max_nesting: int, allowed_services: frozenset[str]) -> QueryText:
    scan = _scan(text, max_nesting)
    if scan.first_word in UPDATE_WORDS:
        raise QueryRefused(403, f"this endpoint is read-only: SPARQL Update ({scan.first_word}) is refused")
    _check_services(text, scan, max_nesting, allowed_services)
    return QueryText(scan.form or "SELECT", scan.deepest, scan.services, scan.has_from)


_read_cached = lru_cache(maxsize=CACHED_TEXTS)(_read)


def read_update(text: str, max_nesting: int, allowed_services: frozenset[str] = frozenset()) -> None:
    """Check an update's text: no LOAD and no SERVICE call, both of which make the server fetch URLs."""
    scan = _scan(text, max_nesting)
    if "LOAD" in scan.words:
        raise QueryRefused(403, "LOAD is refused: it would make the server fetch a URL; use pedkg import")
    _check_services(text, scan, max_nesting, allowed_services, update=True)


def _check_services(
    text: str, scan: _Scan, max_nesting: int, allowed: frozenset[str], update: bool = False
) -> None:
    refused = [s for s in scan.services if s not in allowed]
    if refused:
        raise QueryRefused(
            403, f"SERVICE {refused[0]} is refused: this endpoint calls no endpoint it is not allowed to"
        )
    if scan.hidden_service and len(text) > SECOND_OPINION_CHARS:
        raise QueryRefused(
            403,
            f"the request mentions SERVICE inside a string, IRI or comment, and at {len(text)} characters "
            f"it is too long for pedkg to check that it calls no endpoint (at most {SECOND_OPINION_CHARS})",
        )
    could_hide_depth = scan.deepest + scan.hidden_opens > max_nesting
    if scan.hidden_service or (could_hide_depth and len(text) <= SECOND_OPINION_CHARS):
        _second_opinion(text, allowed, max_nesting, update)


def _second_opinion(text: str, allowed: frozenset[str], max_nesting: int, update: bool) -> None:
    """Parse with rdflib when the lexer could have been misled; refuse what it cannot clear."""
    from rdflib.plugins.sparql import parser  # imported only for the rare texts that need it

    try:
        tree = parser.parseUpdate(text) if update else parser.parseQuery(text)
    except RecursionError:
        raise QueryRefused(400, f"the request nests brackets more than {max_nesting} deep") from None
    except Exception:  # rdflib's parser rejects it: leave the syntax error to the engine ...
        if not _SERVICE_ANYWHERE.search(text):
            return
        # ... unless SERVICE may be in it, which then cannot be cleared
        raise QueryRefused(
            403, "the request mentions SERVICE in a form pedkg cannot check; it is refused"
        ) from None
    for endpoint in _service_endpoints(tree):
        if endpoint not in allowed:
            raise QueryRefused(
                403, f"SERVICE {endpoint} is refused: this endpoint calls no endpoint it is not allowed to"
            )


def _service_endpoints(node: object, depth: int = 0) -> list[str]:
    """Endpoints of every ServiceGraphPattern in rdflib's parse tree."""
    from pyparsing import ParseResults
    from rdflib.term import Variable

    if depth > 10_000:
        raise QueryRefused(400, "the request is nested too deep to check")
    found: list[str] = []
    if getattr(node, "name", None) == "ServiceGraphPattern":
        term = node.get("term")  # type: ignore[attr-defined]
        found.append(f"?{term}" if isinstance(term, Variable) else str(term))
    if isinstance(node, ParseResults | list | tuple):
        children = list(node)
    elif isinstance(node, dict):
        children = list(node.values())
    else:
        return found
    for child in children:
        found += _service_endpoints(child, depth + 1)
    return found
