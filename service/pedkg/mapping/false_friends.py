"""STUB of the false-friend word rules, owned by another branch: the lead replaces this file on merge.

Only the interface ``pedkg link`` codes against, with the least behaviour its tests need:
a reason is ``"rule: detail"`` (``proposals`` counts refusals by the text before the first
colon); the real module decides the rules (negations and opposites, numbers, grades,
stages, type letters) and the spelling variants.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def refusal(one: str, other: str) -> str | None:
    """Why two names must not be proposed as the same by name (None: no reason known)."""
    a, b = _words(one), _words(other)
    if _NUMBER.findall(" ".join(a)) != _NUMBER.findall(" ".join(b)):
        return f"number: {one!r} and {other!r} differ by a number"
    negated = {w for w in a if w == "non"} ^ {w for w in b if w == "non"}
    if negated:
        return f"negation: {one!r} and {other!r} differ by 'non'"
    return None


def disagree(one: str, other: str) -> str | None:
    """Why the two labels of a pair linked by a shared code clearly disagree (None: they may agree)."""
    return refusal(one, other)


def spelling_variants(one: str, other: str) -> bool:
    """Whether two names differ only in spelling (British/American, a plural)."""

    def norm(text: str) -> str:
        words = [w.replace("ae", "e").replace("oe", "e").replace("our", "or") for w in _words(text)]
        return "".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)

    return norm(one) == norm(other)
