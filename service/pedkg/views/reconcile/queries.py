"""The reconciliation API's questions and answers, as the library reads and writes them.

A ``Query`` is a list of ``Condition`` (a name, an id or a property's values) with the
types it is restricted to; a ``Candidate`` is one entity found for it, with its score and
the ``Feature`` each condition contributed. ``documents`` reads both dialects' JSON into
these and writes them back; ``reconciler`` answers them. Kept apart so that neither the
JSON nor the scoring owns the shape of a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import QueryError

LANGUAGES = ("en", "ko")
DEFAULT_LIMIT = 10
MAX_LIMIT = 50


def language(tag: object, where: str) -> str | None:
    """``en`` or ``ko`` from a BCP 47 tag (``ko-KR`` is Korean); None for another language."""
    if tag is None:
        return None
    if not isinstance(tag, str) or not tag or len(tag) > 35:
        raise QueryError(f"{where} must be a language tag such as en or ko")
    primary = tag.split("-")[0].lower()
    return primary if primary in LANGUAGES else None


@dataclass(frozen=True)
class Condition:
    kind: str  # name, id or property
    values: tuple[str, ...]
    pid: str = ""
    required: bool = False
    quantifier: str = "any"  # any, all, none


@dataclass(frozen=True)
class Query:
    conditions: tuple[Condition, ...]
    types: tuple[str, ...] = ()
    all_types: bool = False  # type_strict "all"
    limit: int = DEFAULT_LIMIT
    lang: str | None = None


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    value: float | bool


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    lang: str | None
    types: list[tuple[str, str]]  # (CURIE, name)
    score: float
    match: bool
    description: str | None = None
    features: list[Feature] = field(default_factory=list)
