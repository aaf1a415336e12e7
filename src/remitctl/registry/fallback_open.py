"""A fallback shut when it is needed: `validate` warns when, at some hour of a typical week or
of the next 365 days, an issue type has nobody covering it and no line of its fallback
chain open, so `who` and `now` would send officers to a closed line. One warning per issue
type and pattern of cover (areas with the same lines and bank holidays share one), at the
issue's `fallback:`.

A fallback chain that is open all the while (a 24/7 control room) is settled without
sweeping the cover, so a national registry pays only for the fallbacks that do close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from remitctl.cover.timeline import COVERED, UNCOVERED, Stretch, cover_timeline
from remitctl.hours.schedule import ScheduleBook
from remitctl.registry.model import DEFAULT, Issue, Registry
from remitctl.registry.problems import Problem
from remitctl.registry.yaml_source import Located

YEAR = dt.timedelta(days=365)


def chain(registry: Registry, first: str | None) -> tuple[str, ...]:
    """The fallback and the fallbacks it names in turn, as `who` follows them."""
    out: list[str] = []
    ref = first
    while ref is not None and ref not in out and ref in registry.services:
        out.append(ref)
        ref = registry.services[ref].fallback
    return tuple(out)


def first_hole(cover: list[Stretch], fallback: list[Stretch]) -> dt.datetime | None:
    """The first instant with nobody covering and no fallback line open."""
    j = 0
    for s in cover:
        if s.status != UNCOVERED:
            continue
        while j < len(fallback) and fallback[j].end <= s.start:
            j += 1
        k = j
        while k < len(fallback) and fallback[k].start < s.end:
            if fallback[k].status != COVERED:
                return max(s.start, fallback[k].start)
            k += 1
    return None


class _Window:
    def __init__(self, registry: Registry, start: dt.datetime, end: dt.datetime,
                 typical: bool) -> None:
        self.start, self.end, self.typical = start, end, typical
        self.book = ScheduleBook.around(registry, start, end, typical=typical)

    def hole(self, refs: tuple[str, ...], fallback: tuple[str, ...],
             nation: str) -> dt.datetime | None:
        backs = cover_timeline(self.book, fallback, nation, self.start, self.end)
        if all(s.status == COVERED for s in backs):
            return None  # the fallback is always open here: nothing to sweep
        return first_hole(cover_timeline(self.book, refs, nation, self.start, self.end), backs)


def fallback_shut(registry: Registry, doc: Located, week_start: dt.datetime,
                  today: dt.date) -> Iterator[Problem]:
    tz = ZoneInfo(registry.timezone)
    week = _Window(registry, week_start, week_start + dt.timedelta(days=7), typical=True)
    year: _Window | None = None
    seen: dict[tuple[object, ...], dt.datetime | None] = {}
    for issue in registry.issues.values():
        backs = chain(registry, issue.fallback)
        if not backs:
            continue  # no fallback at all is its own warning (no_one_to_call)
        found: dict[tuple[dt.datetime, bool], list[str]] = {}
        for area, refs in _groups(registry, issue):
            nation = registry.nation_for(area if area != DEFAULT else None)
            for window_typical in (True, False):
                key = (refs, backs, nation, window_typical)
                if key not in seen:
                    if window_typical:
                        seen[key] = week.hole(refs, backs, nation)
                    else:
                        if year is None:
                            start = dt.datetime.combine(today, dt.time(), tz)
                            year = _Window(registry, start, start + YEAR, typical=False)
                        seen[key] = year.hole(refs, backs, nation)
                at = seen[key]
                if at is not None:
                    found.setdefault((at, window_typical), []).append(area)
                    break
        for (at, typical), areas in found.items():
            yield _warning(registry, doc, issue, backs, areas, at, typical, tz)


def _groups(registry: Registry, issue: Issue) -> list[tuple[str, tuple[str, ...]]]:
    if not registry.areas:
        return [(DEFAULT, issue.cover_for(None))]
    return [(area, issue.cover_for(area)) for area in registry.areas]


def _warning(registry: Registry, doc: Located, issue: Issue, backs: tuple[str, ...],
             areas: list[str], at: dt.datetime, typical: bool, tz: ZoneInfo) -> Problem:
    local = at.astimezone(tz)
    when = (f"{local:%a %H:%M} in a typical week" if typical
            else f"{local:%a %d %b %Y %H:%M}")
    named = [a for a in areas if a != DEFAULT]
    where = ""
    if named and len(named) < len(registry.areas):
        where = " in " + (", ".join(named[:4]) + (f" and {len(named) - 4} more"
                                                 if len(named) > 4 else ""))
    what = backs[0] if len(backs) == 1 else f"{backs[0]} (and the fallbacks after it)"
    return doc.problem(
        ("issues", issue.id, "fallback"),
        f"{issue.id}: nobody covers it{where} and its fallback {what} is closed too, first "
        f"at {when}: officers would be told to ring a closed line",
        f"name a fallback that is open whenever the cover is not (usually the police control "
        f"room, 24/7), or give {backs[-1]} a 'fallback:' of its own that is open then",
        severity="warning", code="fallback-closed")
