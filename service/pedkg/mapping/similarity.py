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

from collections import defaultdict
from collections.abc import Iterator, Sequence

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
    """(index in ``left``, index in ``right``, similarity) of every similar pair of distinct names."""
    if len(right) > len(left):
        for j, i, score in similar_pairs(right, left):
            yield i, j, score
        return
    index = _Index([(j, name) for j, name in enumerate(right) if len(name) >= MIN_LENGTH])
    for i, name in enumerate(left):
        if len(name) < MIN_LENGTH:
            continue
        found = sorted(index.candidates(name))
        if not found:
            continue
        texts = [right[j] for j in found]
        widest = allowed(len(name), max(map(len, texts)))
        for _text, distance, at in process.extract(
            name, texts, scorer=Indel.distance, score_cutoff=widest, limit=None
        ):
            other = texts[at]
            if 0 < distance <= allowed(len(name), len(other)):
                yield i, found[at], similarity(distance, len(name), len(other))


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


def _partners(length: int) -> Iterator[tuple[int, int]]:
    """(other length, edits allowed) for every length a name of ``length`` can be similar to."""
    other = MIN_LENGTH
    while other - length <= allowed(length, other):
        if abs(length - other) <= allowed(length, other):
            yield other, allowed(length, other)
        other += 1


class _Index:
    """The indexed names' segments, by (length, edits allowed, segment number, text)."""

    def __init__(self, names: list[tuple[int, str]]) -> None:
        self.postings: dict[tuple[int, int, int, str], list[int]] = defaultdict(list)
        self.lengths = sorted({len(name) for _, name in names})
        self.layouts: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for j, name in names:
            size = len(name)
            for edits in {edits for _, edits in _partners(size)}:
                layout = self.layouts.setdefault((size, edits), _segments(size, edits))
                for number, (start, width) in enumerate(layout):
                    self.postings[size, edits, number, name[start : start + width]].append(j)

    def candidates(self, name: str) -> set[int]:
        """The indexed names that share a segment with ``name`` where a similar one must."""
        size = len(name)
        found: set[int] = set()
        for other, edits in _partners(size):
            layout = self.layouts.get((other, edits))
            if layout is None:
                continue
            shift = size - other
            for number, (start, width) in enumerate(layout):
                # Pass-Join's multi-match-aware window: the segment moved by at most `number`
                # edits before it and `edits - number` after it
                low = max(start - number, start + shift - (edits - number), 0)
                high = min(start + number, start + shift + (edits - number), size - width)
                for at in range(low, high + 1):
                    hit = self.postings.get((other, edits, number, name[at : at + width]))
                    if hit:
                        found.update(hit)
        return found
