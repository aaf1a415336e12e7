"""The cover each group of incidents had over a period, as the calendar gives it.

A group is an issue type's lines in a nation, with its fallback (`Key`). Its `Cover` is
what the judge cuts into segments (segments.py): the cover timeline `who` and `gaps` read
(`cover_timeline`), the same for a typical week when bank holidays or closures can change
the lines' hours, and the fallback chain's open spans, as UTC seconds and line refs.

Over a longer window a cover is the same, cut to the period (`Covers.over`): the calendar
evaluates each day alike whatever the window, and stretches are cut only where lines open
or close. halves.py has its child work the covers out over its half's years while the
parent reads and merges, and the judge takes them from there.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED, cover_timeline
from remitctl.hours.schedule import OPEN, ScheduleBook
from remitctl.registry.model import Registry

STATUSES = (COVERED, UNCERTAIN, UNCOVERED)  # index = the status code stored per incident
Key = tuple[tuple[str, ...], str, "str | None"]  # lines, nation, fallback
Raw = tuple[list[int], list[int], list["str | None"]]  # stretch starts, statuses, primaries
Chain = list[tuple[str, list[int], list[bool]]]  # per fallback line: span starts, open
Cover = tuple["Raw | None", Raw, Chain]  # typical week (or None), actual, fallback chain


def key_of(registry: Registry, issue_id: str, decide: str | None) -> Key:
    issue = registry.issues[issue_id]
    return issue.cover_for(decide), registry.nation_for(decide), issue.fallback


def epoch(t: dt.datetime) -> int:
    return math.floor(t.timestamp())


def work_out(registry: Registry, keys: list[Key], start: dt.datetime, end: dt.datetime
             ) -> dict[Key, Cover]:
    """Each key's cover over [start, end)."""
    books = {False: ScheduleBook.around(registry, start, end)}

    def timeline(typical: bool, refs: tuple[str, ...], nation: str) -> Raw:
        if typical not in books:
            books[typical] = ScheduleBook.around(registry, start, end, typical=True)
        stretches = cover_timeline(books[typical], refs, nation, start, end) \
            if end > start else []
        if not stretches:
            return [epoch(start)], [2], [None]
        return ([epoch(s.start) for s in stretches],
                [STATUSES.index(s.status) for s in stretches], [s.primary for s in stretches])

    def chain(fallback: str | None, nation: str) -> Chain:
        out: Chain = []
        seen: set[str] = set()
        ref = fallback
        while ref is not None and ref not in seen and ref in registry.services:
            seen.add(ref)
            spans = books[False].schedule(ref, nation).spans(start, end) if end > start else []
            out.append((ref, [epoch(s.start) for s in spans], [s.state == OPEN for s in spans]))
            ref = registry.services[ref].fallback
        return out

    covers: dict[Key, Cover] = {}
    for key in keys:
        refs, nation, fallback = key
        dated = any(registry.services[r].bank_holidays != "normal" or
                    registry.services[r].closures for r in refs)
        usual = timeline(True, refs, nation) if dated else None
        covers[key] = (usual, timeline(False, refs, nation), chain(fallback, nation))
    return covers


@dataclass
class Covers:
    """Covers worked out ahead, over [start, end) in UTC seconds."""

    start: int
    end: int
    of: dict[Key, Cover] = field(default_factory=dict)

    def over(self, key: Key, start: int, end: int) -> Cover | None:
        """The key's cover over [start, end) (None: not worked out for that)."""
        cover = self.of.get(key)
        if cover is None or start < self.start or end > self.end or end <= start:
            return None
        usual, actual, chain = cover
        return (_cut(usual, start, end) if usual is not None else None, _cut(actual, start, end),
                [(ref, *_cut_spans(starts, open_, start, end)) for ref, starts, open_ in chain])


def _cut(raw: Raw, start: int, end: int) -> Raw:
    starts, status, primary = raw
    lo, hi = bisect_right(starts, start) - 1, bisect_left(starts, end)
    return [start, *starts[lo + 1:hi]], status[lo:hi], primary[lo:hi]


def _cut_spans(starts: list[int], open_: list[bool], start: int, end: int
               ) -> tuple[list[int], list[bool]]:
    if not starts:
        return [], []
    lo, hi = max(0, bisect_right(starts, start) - 1), bisect_left(starts, end)
    return [max(start, starts[lo]), *starts[lo + 1:hi]], open_[lo:hi]
