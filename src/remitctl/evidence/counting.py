"""Incidents counted per segment of cover, and their officer minutes per kind of segment.

The judge cuts each group's period into segments inside which every incident gets the same
judgement, one starting at every local hour (evidence/judge.py). An incident's segment is
then named by its group and hour (`Cells.cell_of_hour`), or, in an hour the cover changes
inside, found by a binary search into its group's segments. Counting a million of them
is the one step that touches every incident, so it never runs a Python statement per
incident: `map`, `bisect` and `Counter` do it in C, or, from `NUMPY_ROWS` incidents on and
when numpy is installed (it comes with the `charts` extra), numpy's searchsorted and
bincount do it in a few vector operations. Both give the same counts (tests/test_evidence_
counting.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import add, lshift, mul, or_

from remitctl.evidence.blocks import where
from remitctl.evidence.rows import GIVEN, NUMPY_ROWS, TENTHS, Incidents

SEARCH = -1  # in `cell_of_hour`: the cover changes inside that hour; search the segments
MINUTE_BITS = 25  # officer minutes as stored (GIVEN | tenths) fit below this bit
COUNTERS = ("python", "numpy")


@dataclass
class Cells:
    hours: list[int]  # the UTC start of each local hour of the period
    cell_of_hour: list[int]  # group * (len(hours) + 1) + 1 + hour → its segment, or SEARCH
    base_of: list[int]  # per group: the number of its first segment (and the total last)
    starts: list[list[int]]  # per group: its segments' starts
    kind_of_cell: list[int]  # per segment: its kind (group, status, line)
    kinds: int

    @property
    def segments(self) -> int:
        return self.base_of[-1]


def count_segments(incidents: Incidents, cells: Cells, counter: str | None = None
                   ) -> tuple[list[int], list[int], list[int]]:
    """Incidents per segment; per kind of segment, tenths of officer minutes and incidents
    with minutes given. `counter` is "python" or "numpy"; None chooses by volume."""
    if counter_for(len(incidents), counter) == "numpy":
        return _with_numpy(incidents, cells)
    return _in_python(incidents, cells)


def counter_for(incidents: int, counter: str | None = None) -> str:
    """"numpy" from NUMPY_ROWS incidents on when numpy is installed, else "python" (or
    `counter`, when given)."""
    if counter is not None:
        return counter
    if incidents < NUMPY_ROWS:
        return "python"
    try:
        import numpy  # noqa: F401
    except ImportError:
        return "python"
    return "numpy"


def _in_python(incidents: Incidents, c: Cells) -> tuple[list[int], list[int], list[int]]:
    when, group = incidents.when, incidents.group
    cells = list(map(c.cell_of_hour.__getitem__, map(
        add, map(mul, group, repeat(len(c.hours) + 1)),
        map(partial(bisect_right, c.hours), when))))
    for k in where(cells, SEARCH):
        g = group[k]
        cells[k] = c.base_of[g] + bisect_right(c.starts[g], when[k]) - 1
    in_cell = Counter(cells)
    counts = list(map(in_cell.get, range(c.segments), repeat(0)))
    spent = Counter(map(or_, map(lshift, map(c.kind_of_cell.__getitem__, cells),
                                 repeat(MINUTE_BITS)), incidents.minutes))
    tenths = [0] * c.kinds
    timed = [0] * c.kinds
    for packed, n in spent.items():
        kind, bits = packed >> MINUTE_BITS, packed & ((1 << MINUTE_BITS) - 1)
        if bits & GIVEN:
            tenths[kind] += (bits & TENTHS) * n
            timed[kind] += n
    return counts, tenths, timed


def _with_numpy(incidents: Incidents, c: Cells) -> tuple[list[int], list[int], list[int]]:
    import numpy as np

    if not len(incidents):
        return [0] * c.segments, [0] * c.kinds, [0] * c.kinds
    when = np.frombuffer(incidents.when, dtype=np.int64)
    group = np.frombuffer(incidents.group, dtype=np.dtype(f"i{incidents.group.itemsize}"))
    hours = np.array(c.hours, dtype=np.int64)
    if hours.size > 1 and bool(np.all(np.diff(hours) == 3600)):  # whole-hour clock changes
        hour = np.clip((when - hours[0]) // 3600 + 1, 0, hours.size)  # as the search finds
    else:
        hour = np.searchsorted(hours, when, side="right")
    cells = np.array(c.cell_of_hour, dtype=np.int64)[
        group.astype(np.int64) * (len(c.hours) + 1) + hour]
    search = np.flatnonzero(cells == SEARCH)
    if search.size:
        groups_searched = group[search]
        for g in np.unique(groups_searched).tolist():
            at = search[groups_searched == g]
            cells[at] = c.base_of[g] - 1 + np.searchsorted(
                np.array(c.starts[g], dtype=np.int64), when[at], side="right")
    counts = np.bincount(cells, minlength=c.segments).tolist()
    minutes = np.frombuffer(incidents.minutes, dtype=np.int64)
    given = (minutes & GIVEN) != 0
    kind = np.array(c.kind_of_cell, dtype=np.int64)[cells[given]]
    timed = np.bincount(kind, minlength=c.kinds).tolist()
    # Summed in floating point, exactly: every partial sum is a whole number of tenths
    # below 2**53 (under 2**24 a row, and far fewer than 2**29 rows fit in memory).
    weights = (minutes[given] & TENTHS).astype(np.float64)
    tenths = np.rint(np.bincount(kind, weights=weights, minlength=c.kinds)).astype(
        np.int64).tolist()
    return counts, tenths, timed
