"""A group's period cut into segments, inside each of which every incident is judged alike.

The judge (judge.py) gives each group (issue type, nation, fallback) its cover timeline, its
typical-week timeline and its fallback chain over the period; `cut` cuts the period
wherever any of them changes and at every local hour, and says per segment its status,
the line that answered or absorbed it, and whether only a bank holiday or closure made
it so. `Shape` holds what the sums over a group's segments need. A year has some 10,000
segments a group: for a large file both are worked out with numpy when it is installed
(`vectors=True`), giving the same lists (tests/test_evidence.py compares whole reports).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import eq, sub
from typing import Any

from remitctl.evidence.blocks import where

NOBODY = -1
RANK = (2, 1, 0)  # better cover ranks higher (covered, uncertain, uncovered)


@dataclass
class Timeline:
    starts: list[int]
    status: list[int]
    primary: list[int]  # index into Judgement.lines, NOBODY for none


@dataclass
class Segments:
    """One group's period cut wherever its cover, its typical-week cover or its fallback
    chain changes: inside a segment every incident gets the same judgement."""

    starts: list[int]
    status: list[int]
    by: list[int]  # covered or uncertain: the answering line; uncovered: the absorbing one
    dated: list[bool]  # uncovered or uncertain only because of a bank holiday or closure
    hour: list[int]  # index into the period's local hours (segments never cross one)


Chain = list[tuple[int, list[int], list[bool]]]  # (line, span starts, open) per fallback


@dataclass
class Shape:
    """What the sums over one set of segments need: a mask of the segments of each kind
    (status, answering or absorbing line), 1 where uncovered, the segments each local hour
    spans (`hour_starts` to `hour_ends`), and the segments with a holiday or closure."""

    kinds: dict[tuple[int, int], list[bool]]
    kind_index: list[int]  # per segment: its kind's place in `kinds`
    uncovered: list[int]
    split_hours: list[int]  # the hours with several segments (the cover changes inside)
    hour_starts: list[int]  # per hour: its first segment
    hour_ends: list[int]
    dated: list[int]


def cut(actual: Timeline, usual: Timeline | None, chain: Chain, hours: list[int],
        vectors: bool = False) -> Segments:
    """Cut at every change of cover, typical cover and fallback, and at every local hour
    (so an incident's hour of week and day come with its segment)."""
    if vectors:
        return _cut_vectors(actual, usual, chain, hours)
    cuts = set(actual.starts)
    cuts.update(hours)
    if usual is not None:
        cuts.update(usual.starts)
    for _, starts, _ in chain:
        cuts.update(starts)
    points = sorted(c for c in cuts if c >= hours[0])

    def stretch_of(starts: list[int]) -> list[int]:  # the stretch each point falls in, in C
        return list(map(sub, map(partial(bisect_right, starts), points), repeat(1)))

    at = stretch_of(actual.starts)
    status = list(map(actual.status.__getitem__, at))
    by = [actual.primary[i] if code < 2 else NOBODY for i, code in zip(at, status, strict=True)]
    dated = [False] * len(points)
    if usual is not None:
        rank = list(map(RANK.__getitem__, map(usual.status.__getitem__, stretch_of(usual.starts))))
        dated = [code > 0 and r > RANK[code] for code, r in zip(status, rank, strict=True)]
    left = [n for n, code in enumerate(status) if code == 2]
    for ref_index, starts, open_ in chain:
        if not left:
            break
        still = []
        for n in left:
            i = bisect_right(starts, points[n]) - 1
            if i >= 0 and open_[i]:
                by[n] = ref_index
            else:
                still.append(n)
        left = still
    return Segments(points, status, by, dated, stretch_of(hours))


def _cut_vectors(actual: Timeline, usual: Timeline | None, chain: Chain,
                 hours: list[int]) -> Segments:
    import numpy as np

    def ints(values: list[int]) -> Any:
        return np.asarray(values, dtype=np.int64)

    parts = [ints(actual.starts), ints(hours)]
    if usual is not None:
        parts.append(ints(usual.starts))
    parts += [ints(starts) for _, starts, _ in chain]
    points = np.unique(np.concatenate(parts))
    points = points[points >= hours[0]]

    def stretch_of(starts: list[int]) -> Any:
        return np.searchsorted(ints(starts), points, side="right") - 1

    at = stretch_of(actual.starts)
    status = ints(actual.status)[at]
    by = np.where(status < 2, ints(actual.primary)[at], NOBODY)
    if usual is not None:
        rank_of = ints(list(RANK))
        rank = rank_of[ints(usual.status)[stretch_of(usual.starts)]]
        dated = (status > 0) & (rank > rank_of[status])
    else:
        dated = np.zeros(points.size, dtype=bool)
    left = np.flatnonzero(status == 2)
    for ref_index, starts, open_ in chain:
        if not left.size:
            break
        i = np.searchsorted(ints(starts), points[left], side="right") - 1
        found = (i >= 0) & np.asarray(open_, dtype=bool)[np.maximum(i, 0)] \
            if open_ else np.zeros(left.size, dtype=bool)
        by[left[found]] = ref_index
        left = left[~found]
    return Segments(points.tolist(), status.tolist(), by.tolist(), dated.tolist(),
                    stretch_of(hours).tolist())


def shape_of(seg: Segments, hours: int, vectors: bool = False) -> Shape:
    if vectors:
        return _shape_vectors(seg, hours)
    kinds: dict[tuple[int, int], list[bool]] = {}
    pairs = list(zip(seg.status, seg.by, strict=True))
    index = {kind: n for n, kind in enumerate(dict.fromkeys(pairs))}
    for kind in index:
        kinds[kind] = list(map(eq, pairs, repeat(kind)))
    starts = list(map(partial(bisect_left, seg.hour), range(hours)))
    ends = [*starts[1:], len(seg.hour)]
    single = list(map(eq, map(sub, ends, starts), repeat(1)))
    return Shape(kinds, list(map(index.__getitem__, pairs)),
                 list(map(int, map(eq, seg.status, repeat(2)))), where(single, False),
                 starts, ends, [i for i, d in enumerate(seg.dated) if d])


def _shape_vectors(seg: Segments, hours: int) -> Shape:
    import numpy as np

    status = np.asarray(seg.status, dtype=np.int64)
    by = np.asarray(seg.by, dtype=np.int64)
    key = status * (1 << 40) + (by - NOBODY)  # (status, line) as one number
    values, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # kinds in the order they first appear
    place = np.empty(order.size, dtype=np.int64)
    place[order] = np.arange(order.size)
    kind_index = place[inverse.reshape(-1)]
    kinds = {}
    for n, v in enumerate(values[order].tolist()):
        kinds[(v >> 40, (v & ((1 << 40) - 1)) + NOBODY)] = (kind_index == n).tolist()
    hour = np.asarray(seg.hour, dtype=np.int64)
    starts = np.searchsorted(hour, np.arange(hours), side="left")
    ends = np.append(starts[1:], hour.size)
    return Shape(kinds, kind_index.tolist(), (status == 2).astype(np.int64).tolist(),
                 np.flatnonzero(ends - starts != 1).tolist(), starts.tolist(), ends.tolist(),
                 np.flatnonzero(np.asarray(seg.dated, dtype=bool)).tolist())
