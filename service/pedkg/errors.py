"""The small error vocabulary of pedkg.

Library code raises these and never prints or exits; the CLI turns them into
``file:line: reason`` lines and exit code 1, the web layer into HTTP statuses.

- ``InputError(path, line, reason)``: one problem in one source file.
- ``ValidationFailed(problems)``: every problem found in a build's sources.
- ``QueryError``: a SPARQL query that cannot be parsed or run, or bad parameters.
- ``NotFound``: a named query, graph or entity that does not exist.
- ``StoreError``: the store cannot be opened or written.
- ``QueryRefused(status, reason)``: a request the endpoint will not run, with the HTTP
  status that says why (400 too deep, 403 update or SERVICE, 406, 413, 415, 503 busy).
- ``QueryTimeout``: a query stopped at the time limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PedkgError(Exception):
    """Base of every error pedkg raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a source file; ``line`` is 1-based, 0 when unknown."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class InputError(PedkgError):
    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.problem = Problem(path, line, reason)
        super().__init__(str(self.problem))


class ValidationFailed(PedkgError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.reason))
        super().__init__("\n".join(str(p) for p in self.problems))


class QueryError(PedkgError):
    pass


class NotFound(PedkgError):
    pass


class StoreError(PedkgError):
    pass


class QueryRefused(PedkgError):
    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(reason)


class QueryTimeout(PedkgError):
    pass
