"""Values worked out once per store version and kept in the process until the version changes.

Statistics, dumps and the opened search index are costly to make and only change when a build or
a write swaps in a new version (``versions``), or a write through pedkg moves a server's
version stamp; every process keeps them keyed on the version its pool reports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerVersion(Generic[T]):
    """Values kept for one store version; each is computed once, under a lock, and the values of
    older versions are dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._values: dict[str, T] = {}

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get(self, version: str, key: str, make: Callable[[str], T]) -> T:
        """The value for ``key`` in ``version`` (the pool's current one); ``make(version)`` builds it once."""
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            if key not in self._values:
                self._values[key] = make(version)
            return self._values[key]
