"""Who handles an issue type at a moment: the officer's question, answered as data."""

from __future__ import annotations

import datetime as dt

from remitctl.cover.timeline import (
    COVERED,
    UNCOVERED,
    Stretch,
    cover_timeline,
    merge_by_status,
)
from remitctl.hours.schedule import OPEN, ScheduleBook
from remitctl.record import record
from remitctl.registry.model import Closure, DatedHours, Issue, Registry, Service

LOOK_BACK = dt.timedelta(days=8)
LOOK_AHEAD = dt.timedelta(days=35)
UPCOMING = 4


@record
class LineState:
    service: Service
    state: str  # open, closed, unknown
    comment: str
    until: dt.datetime | None  # when this line's state next changes (None: not within the window)


@record
class FallbackStep:
    service: Service
    state: str
    comment: str
    opens: dt.datetime | None = None  # when closed or unknown: when it next opens (None: not
    # within the look-ahead)


@record
class CoverAnswer:
    issue: Issue
    area: str | None  # area computed for (None: the registry has no areas)
    stands_for: tuple[str, ...]  # the areas this answer holds for
    at: dt.datetime  # UTC
    status: str  # covered, uncertain, uncovered
    current: Stretch  # the stretch containing `at`
    run_start: dt.datetime | None  # when the current status began (None: before the look-back)
    run_end: dt.datetime | None  # when it ends (None: not within the look-ahead)
    upcoming: tuple[Stretch, ...]  # what follows, one stretch per change of who answers
    next_cover: Stretch | None  # when uncovered or uncertain: the next covered stretch
    lines: tuple[LineState, ...]  # every line of the cover, in preference order
    fallback: tuple[FallbackStep, ...]  # the fallback chain, followed while lines are closed
    bank_holiday: str | None  # name of today's bank holiday, if any
    closures: tuple[tuple[Service, Closure], ...]  # closures in force today
    window_end: dt.datetime
    dated: tuple[tuple[Service, DatedHours], ...] = ()  # dated hours deciding today

    @property
    def covering(self) -> Service | None:
        if self.status != COVERED or self.current.primary is None:
            return None
        return next(ls.service for ls in self.lines if ls.service.ref == self.current.primary)

    @property
    def ring_until(self) -> dt.datetime | None:
        """Until when the line to ring now stays the one to ring: its own line closing or
        a preferred line opening, whichever is first (None: not within the look-ahead)."""
        return self.current.end if self.current.end < self.window_end else None

    def line(self, ref: str) -> LineState | None:
        return next((ls for ls in self.lines if ls.service.ref == ref), None)

    def next_hours(self, hours: int = 24) -> tuple[Stretch, ...]:
        """The current stretch and those starting within `hours` of the moment asked."""
        horizon = self.at + dt.timedelta(hours=hours)
        return (self.current, *(s for s in self.upcoming if s.start < horizon))


def _by_primary(stretches: list[Stretch]) -> list[Stretch]:
    """Join adjacent stretches answered by the same line with the same status."""
    out: list[Stretch] = []
    for s in stretches:
        last = out[-1] if out else None
        if last and last.status == s.status and last.primary == s.primary and last.end == s.start:
            out[-1] = Stretch(last.start, s.end, s.status, s.primary, last.open, last.unknown,
                              last.comment)
        else:
            out.append(s)
    return out


def fallback_chain(registry: Registry, book: ScheduleBook, first: str | None, nation: str,
                   at: dt.datetime) -> tuple[FallbackStep, ...]:
    """Follow fallbacks from `first` until a line is open (or the chain ends)."""
    steps: list[FallbackStep] = []
    seen: set[str] = set()
    ref = first
    while ref is not None and ref not in seen and ref in registry.services:
        seen.add(ref)
        schedule = book.schedule(ref, nation)
        state, comment = schedule.state_at(at)
        service = registry.services[ref]
        opens = None
        if state != OPEN:
            opens = next((s.start for s in schedule.spans(at, at + LOOK_AHEAD)
                          if s.state == OPEN), None)
        steps.append(FallbackStep(service, state, comment, opens))
        if state == OPEN:
            break
        ref = service.fallback
    return tuple(steps)


def answer(registry: Registry, book: ScheduleBook, issue: Issue, area: str | None,
           stands_for: tuple[str, ...], at: dt.datetime) -> CoverAnswer:
    at = at.astimezone(dt.UTC)
    nation = registry.nation_for(area)
    refs = issue.cover_for(area)
    start, end = at - LOOK_BACK, at + LOOK_AHEAD
    stretches = _by_primary(cover_timeline(book, refs, nation, start, end))
    if not stretches:  # no lines at all: nobody, ever
        stretches = [Stretch(start, end, UNCOVERED, None)]
    index = next(i for i, s in enumerate(stretches) if s.start <= at < s.end)
    current = stretches[index]
    runs = merge_by_status(stretches)
    run = next(r for r in runs if r.start <= at < r.end)
    upcoming = tuple(stretches[index + 1 : index + 1 + UPCOMING])
    next_cover = None
    if current.status != COVERED:
        next_cover = next((s for s in stretches[index + 1 :] if s.status == COVERED), None)

    lines = []
    for ref in refs:
        schedule = book.schedule(ref, nation)
        state, comment = schedule.state_at(at)
        spans = schedule.spans(at, end)
        until = spans[0].end if spans and spans[0].end < end else None
        lines.append(LineState(registry.services[ref], state, comment, until))

    local_day = at.astimezone(book.tz).date()
    named = dict.fromkeys([*refs, *([issue.fallback] if issue.fallback else [])])
    closures = tuple(
        (registry.services[ref], c)
        for ref in named for c in registry.services[ref].closures if c.covers(local_day)
    )
    dated = tuple((registry.services[ref], d) for ref in named
                  if (d := book.schedule(ref, nation).dated_on(local_day)) is not None)
    return CoverAnswer(
        issue=issue, area=area, stands_for=stands_for, at=at, status=current.status,
        current=current,
        run_start=run.start if run.start > start else None,
        run_end=run.end if run.end < end else None,
        upcoming=upcoming, next_cover=next_cover, lines=tuple(lines),
        fallback=fallback_chain(registry, book, issue.fallback, nation, at),
        bank_holiday=book.bank_holiday(nation, local_day), closures=closures, window_end=end,
        dated=dated,
    )


def answers_for(registry: Registry, issue: Issue, area: str | None, at: dt.datetime,
                book: ScheduleBook | None = None) -> list[CoverAnswer]:
    """One answer for `area`, or, with no area, one per group of areas with the same cover."""
    book = book or ScheduleBook.around(registry, at - LOOK_BACK, at + LOOK_AHEAD)
    if area is not None:
        return [answer(registry, book, issue, area, (area,), at)]
    return [answer(registry, book, issue, a, group, at)
            for a, group in registry.cover_groups(issue)]


def week_of_cover(registry: Registry, issue: Issue, area: str | None,
                  monday: dt.date) -> list[tuple[dt.date, list[tuple[str, str, str]]]]:
    """The issue's combined cover in `area` over an ordinary week from `monday` (no bank
    holidays or closures): each day's covered ("open") and uncertain ("unknown") spans in
    local HH:MM, as `show` prints a service line's own week."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(registry.timezone)
    start = dt.datetime.combine(monday, dt.time(), tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), tz)
    book = ScheduleBook.around(registry, start, end, typical=True)
    stretches = merge_by_status(cover_timeline(book, issue.cover_for(area),
                                               registry.nation_for(area), start, end))
    out = []
    for n in range(7):
        day = monday + dt.timedelta(days=n)
        a_day = dt.datetime.combine(day, dt.time(), tz)
        b_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)
        spans = []
        for s in stretches:
            if s.status == UNCOVERED or s.end <= a_day or s.start >= b_day:
                continue
            a = max(s.start, a_day).astimezone(tz)
            b = min(s.end, b_day).astimezone(tz)
            spans.append((f"{a:%H:%M}", "24:00" if b.date() > day else f"{b:%H:%M}",
                          "open" if s.status == COVERED else "unknown"))
        out.append((day, spans))
    return out
