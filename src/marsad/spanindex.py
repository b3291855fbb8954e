"""Items with a character range, found by position in logarithmic time.

A stage that asks, for each trigger, quote or sentence, "which mentions (numbers,
dates, places) start in this range" or "which overlap this span" must not read all
of them every time: on a long article that is quadratic (issue 18: 100,000 words,
thousands of mentions, hundreds of triggers). ``SpanIndex`` answers both by
bisection over the starts, and gives the items back **in the order they were
given**, so that a rule that takes "the first that ..." picks the same item as the
loop over the whole list it replaces (records stay identical).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable, Generic, Iterable, TypeVar

__all__ = ["SpanIndex"]

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """``items`` with ``start(item)`` and ``end(item)``; queries return items in the given order."""

    def __init__(self, items: Iterable[T], start: Callable[[T], int], end: Callable[[T], int]):
        self.items = list(items)
        bounds = [(start(x), end(x)) for x in self.items]
        self._order = sorted(range(len(self.items)), key=lambda i: bounds[i][0])
        self._starts = [bounds[i][0] for i in self._order]
        self._ends = [bounds[i][1] for i in self._order]
        # the furthest end among the first i (by start): a backward walk over the starts
        # stops once no earlier item can reach the query
        self._reach, far = [], None
        for e in self._ends:
            far = e if far is None or e > far else far
            self._reach.append(far)
        self._in_order = self._order == list(range(len(self.items)))

    def __len__(self) -> int:
        return len(self.items)

    def _given_order(self, idx: list[int]) -> list[T]:
        if not self._in_order:
            idx = sorted(idx)
        return [self.items[i] for i in idx]

    def starting_in(self, a: int, b: int) -> list[T]:
        """The items whose start is in [a, b): ``[x for x in items if a <= start(x) < b]``."""
        lo, hi = bisect_left(self._starts, a), bisect_left(self._starts, b)
        if self._in_order:
            return self.items[lo:hi]
        return self._given_order(self._order[lo:hi])

    def overlapping(self, a: int, b: int) -> list[T]:
        """The items with ``start < b and a < end``: those that share a character with [a, b)."""
        out = []
        i = bisect_left(self._starts, b) - 1
        while i >= 0 and self._reach[i] > a:
            if self._ends[i] > a:
                out.append(self._order[i])
            i -= 1
        out.reverse()
        return self._given_order(out)
