"""Similar names found fast: every pair of folded names within the similarity threshold, no more.

Two names are similar when both have at least ``MIN_LENGTH`` folded characters and their
normalized Indel similarity, 1 - d / (len(a) + len(b)) where d counts the insertions and
deletions that turn one into the other (``rapidfuzz.fuzz.ratio`` / 100), is at least
``THRESHOLD``. It replaced difflib's Ratcliff/Obershelp ratio: that ratio's matching blocks
are a common subsequence, so it never exceeds this one (every pair it found is still
found), it is symmetric (difflib's depends on argument order), and a distance bound is
what makes the search below complete.

Comparing every pair (25k x 25k concepts, several names each) is billions of comparisons;
instead the pairs are found by the partition filter of Pass-Join (Li et al., VLDB 2011):
with d <= k = (len(a) + len(b)) // 10, split the indexed name into k + 1 segments; at
least one segment is untouched by the edits, so it occurs in the other name at a position
the lengths bound. Each name of the smaller side is indexed by its segments for every
length it can be compared with; each name of the other side looks up its substrings at
those positions, and only the names found are compared (by ``rapidfuzz`` in C). The
result is exactly the pairs within the threshold (a test checks it against comparing all
pairs).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Indel

THRESHOLD = 0.9
MIN_LENGTH = 8
MEASURE = "normalized Indel similarity of folded names (rapidfuzz fuzz.ratio / 100)"


def allowed(one: int, other: int) -> int:
    """The most insertions and deletions two names of these lengths may differ by."""
    return int((one + other) * (1 - THRESHOLD) + 1e-9)


def similarity(distance: int, one: int, other: int) -> float:
    return 1 - distance / (one + other)


def similar_pairs(left: Sequence[str], right: Sequence[str]) -> Iterator[tuple[int, int, float]]:
    """(index in ``left``, index in ``right``, similarity) of every similar pair of distinct names.

    Names are compared as given (``left`` and ``right`` each without repeats).
    """
    if len(right) > len(left):
        for j, i, score in similar_pairs(right, left):
            yield i, j, score
        return
    at = {name: j for j, name in enumerate(right) if len(name) >= MIN_LENGTH}
    index = _Index(list(at))
    for i, name in enumerate(left):
        size = len(name)
        if size < MIN_LENGTH:
            continue
        found = index.candidates(name)
        if not found:
            continue
        widest = allowed(size, _partners(size)[-1][0])
        for other, distance, _ in process.extract(
            name, list(found), scorer=Indel.distance, score_cutoff=widest, limit=None
        ):
            if 0 < distance <= allowed(size, len(other)):
                yield i, at[other], similarity(distance, size, len(other))


def _segments(length: int, edits: int) -> list[tuple[int, int]]:
    """(start, length) of the ``edits`` + 1 segments a name of ``length`` is split into."""
    count = edits + 1
    short, longer = divmod(length, count)
    segments, start = [], 0
    for i in range(count):
        size = short + (1 if i >= count - longer else 0)
        segments.append((start, size))
        start += size
    return segments


@cache
def _partners(length: int) -> tuple[tuple[int, int], ...]:
    """(other length, edits allowed) for every length a name of ``length`` can be similar to."""
    found, other = [], MIN_LENGTH
    while other - length <= allowed(length, other):
        if abs(length - other) <= allowed(length, other):
            found.append((other, allowed(length, other)))
        other += 1
    return tuple(found)


#: where to look: the postings of one segment, its width, the first and last start to try
_Window = tuple[dict[str, list[str]], int, int, int]


class _Index:
    """The indexed names' segments: by (length, edits allowed, segment number), then by text."""

    def __init__(self, names: list[str]) -> None:
        self.postings: dict[tuple[int, int, int], dict[str, list[str]]] = {}
        self.layouts: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self.windows: dict[int, list[_Window]] = {}
        for name in names:
            size = len(name)
            for edits in {edits for _, edits in _partners(size)}:
                layout = self.layouts.get((size, edits))
                if layout is None:
                    layout = self.layouts[size, edits] = _segments(size, edits)
                for number, (start, width) in enumerate(layout):
                    table = self.postings.setdefault((size, edits, number), {})
                    table.setdefault(name[start : start + width], []).append(name)

    def candidates(self, name: str) -> set[str]:
        """The indexed names that share a segment with ``name`` where a similar one must."""
        windows = self.windows.get(len(name))
        if windows is None:
            windows = self.windows[len(name)] = self._windows(len(name))
        found: set[str] = set()
        for table, width, low, high in windows:
            for at in range(low, high + 1):
                hit = table.get(name[at : at + width])
                if hit:
                    found.update(hit)
        return found

    def _windows(self, size: int) -> list[_Window]:
        windows = []
        for other, edits in _partners(size):
            shift = size - other
            for number, (start, width) in enumerate(self.layouts.get((other, edits), ())):
                # Pass-Join's multi-match-aware window: the segment moved by at most `number`
                # edits before it and `edits - number` after it
                low = max(start - number, start + shift - (edits - number), 0)
                high = min(start + number, start + shift + (edits - number), size - width)
                if low <= high:
                    windows.append((self.postings[other, edits, number], width, low, high))
        return windows
