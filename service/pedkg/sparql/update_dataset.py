"""The dataset an update request gives with ``using-graph-uri`` / ``using-named-graph-uri``.

SPARQL 1.1 Protocol 2.2.3: each such parameter acts as a ``USING`` / ``USING NAMED``
clause of every operation that takes one, and a request that also sets the dataset in its
text (``USING``, ``USING NAMED`` or ``WITH``) is an error. The clauses are written into the
text, so both stores (the embedded one and a SPARQL server) run the same update: before the
``WHERE`` of each DELETE/INSERT operation, and a ``DELETE WHERE { P }`` (which has no place
for them) is written out as its long form ``DELETE { P } USING … WHERE { P }``.
"""

from __future__ import annotations

import re

from ..errors import QueryRefused
from ..store.sparql_lexer import tokens

#: update keywords that set an operation's dataset in the text
_DATASET_WORDS = frozenset({"USING", "WITH"})


def apply(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """The update with the request's dataset written into each operation that takes one."""
    if not using and not using_named:
        return update
    clauses = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    marks = _top_level(update)
    for word, _ in marks:
        if word.group().upper() in _DATASET_WORDS:
            raise QueryRefused(
                400,
                f"the update sets its own dataset with {word.group().upper()} at character {word.start()}, "
                "so it cannot also be given using-graph-uri or using-named-graph-uri",
            )
    pieces: list[str] = []
    done = 0
    for word, before in marks:
        if word.group().upper() != "WHERE":
            continue
        if before is not None and before.group().upper() == "DELETE":  # DELETE WHERE { P }
            pattern_end = _group_end(update, word.end())
            pattern = update[word.end() : pattern_end]
            pieces += [update[done : before.start()], f"DELETE {pattern} {clauses} WHERE {pattern}"]
            done = pattern_end
        else:
            pieces += [update[done : word.start()], f"{clauses} "]
            done = word.start()
    return "".join(pieces) + update[done:]


def _top_level(update: str) -> list[tuple[re.Match[str], re.Match[str] | None]]:
    """Each keyword outside braces, brackets and parentheses, with the keyword before it."""
    found: list[tuple[re.Match[str], re.Match[str] | None]] = []
    depth = 0
    previous: re.Match[str] | None = None
    for token in tokens(update):
        kind = token.lastgroup
        if kind == "comment" or (kind == "other" and token.group().isspace()):
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word" and depth == 0:
            found.append((token, previous))
        previous = token if kind == "word" else None
    return found


def _group_end(update: str, start: int) -> int:
    """Where the ``{ ... }`` that follows ``start`` closes (the end of the text if it never does)."""
    depth = 0
    for token in tokens(update[start:]):
        if token.lastgroup == "open":
            depth += 1
        elif token.lastgroup == "close":
            depth -= 1
            if depth == 0:
                return start + token.end()
    return len(update)
