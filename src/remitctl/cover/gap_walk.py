"""Walking one window's cover timelines into gaps: the books, caches and run arithmetic
behind `gap_report`.

Each distinct schedule is turned into spans once, and issue types or areas with the same
lines share one walk (only the names in their gaps change). A gap cut by the window's edge
is followed up to `EDGE` further, so its whole length is known.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from zoneinfo import ZoneInfo

from remitctl.cover.gaps import (
    DAY,
    EDGE,
    NOT_COVERED,
    RANK,
    Cause,
    Edges,
    Gap,
    Share,
    Window,
    midnight,
)
from remitctl.cover.timeline import COVERED, UNCERTAIN, Stretch, cover_timeline
from remitctl.hours.schedule import OPEN, ScheduleBook, Span
from remitctl.registry.model import Registry


class Evaluation:
    """Books and caches for one report: each distinct schedule is turned into spans once."""

    def __init__(self, registry: Registry, window: Window) -> None:
        self.registry = registry
        self.window = window
        self.tz = ZoneInfo(registry.timezone)
        self.book = ScheduleBook.around(registry, window.start - EDGE, window.end + EDGE,
                                        typical=window.typical)
        self.plain = (self.book if window.typical else
                      ScheduleBook.around(registry, window.start - EDGE, window.end + EDGE,
                                          typical=True))
        self._spans: dict[tuple[str, str], list[Span]] = {}
        self._gaps: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[Gap, ...], Edges]] = {}
        self._special: dict[tuple[str, tuple[str, ...]], list[dt.date]] = {}
        self._named: dict[tuple[object, ...], list[int]] = {}  # gaps that name lines

    def spans(self, ref: str, nation: str) -> list[Span]:
        key = (ref, nation)
        if key not in self._spans:
            self._spans[key] = self.book.schedule(ref, nation).spans(self.window.start,
                                                                      self.window.end)
        return self._spans[key]

    def gaps(self, refs: tuple[str, ...], nation: str, fallback: str | None
             ) -> tuple[tuple[Gap, ...], Edges]:
        """The gaps for these lines, and how far certain cover is missing past each edge.

        Lines whose schedules read the same give the same gaps, so the work is shared
        between them (a 400-area registry repeats a few patterns of hours many times).
        """
        key = (nation, fallback, *(self.book.schedule(r, nation).key for r in refs))
        if key not in self._gaps:
            gaps, edges = self._compute(refs, nation, fallback)
            self._gaps[key] = (refs, gaps, edges)
        first, gaps, edges = self._gaps[key]
        if first != refs:
            named = self._named.get(key)
            if named is None:
                named = self._named[key] = [
                    n for n, g in enumerate(gaps)
                    if g.maybe or any(c.closures or c.dated for c in g.causes)]
            if named:
                rename = dict(zip(first, refs, strict=True))
                renamed = list(gaps)
                for n in named:
                    renamed[n] = _rename(renamed[n], rename)
                gaps = tuple(renamed)
        return gaps, edges

    def _compute(self, refs: tuple[str, ...], nation: str, fallback: str | None
                 ) -> tuple[tuple[Gap, ...], Edges]:
        w = self.window
        runs = self._timeline(self.book, refs, nation, w.start, w.end)
        if not runs:
            return (), (None, None)
        first, last = runs[0], runs[-1]
        back_same = back_any = w.start
        if first[2] != COVERED:
            before = self._timeline(self.book, refs, nation, w.start - EDGE, w.start)
            back_same = _reach_back(before, {first[2]}, w.start - EDGE)
            back_any = _reach_back(before, set(NOT_COVERED), w.start - EDGE)
        forward_same = forward_any = w.end
        if last[2] != COVERED:
            after = self._timeline(self.book, refs, nation, w.end, w.end + EDGE)
            forward_same = _reach_forward(after, {last[2]}, w.end + EDGE)
            forward_any = _reach_forward(after, set(NOT_COVERED), w.end + EDGE)
        back = None if back_any == w.start - EDGE else back_any
        forward = None if forward_any == w.end + EDGE else forward_any
        chain = self._chain(fallback)
        special = self._special_days(refs, nation)
        typical: dict[dt.date, list[Run]] = {}
        out: list[Gap] = []
        for start, end, status, maybe, comment in runs:
            if status == COVERED:
                continue
            cut_start, cut_end = start == w.start and start > back_same, end == w.end and \
                end < forward_same
            whole_start: dt.datetime | None = start
            if cut_start:
                whole_start = None if back_same == w.start - EDGE else back_same
            whole_end: dt.datetime | None = end
            if cut_end:
                whole_end = None if forward_same == w.end + EDGE else forward_same
            out.append(Gap(
                status=status, start=start, end=end, cut_start=cut_start, cut_end=cut_end,
                whole_start=whole_start, whole_end=whole_end,
                absorbed=self._absorb(chain, nation, start, end),
                maybe=maybe, comment=comment,
                causes=self._causes(refs, nation, status, start, end, special, typical),
            ))
        return tuple(out), (back, forward)

    def _timeline(self, book: ScheduleBook, refs: tuple[str, ...], nation: str,
                  start: dt.datetime, end: dt.datetime) -> list[Run]:
        """Runs of one status over [start, end), evaluated from the local midnight before and
        then cut, so an instant's answer never depends on where a window starts
        (opening-hours-py reads a query starting in the repeated autumn hour differently)."""
        lead = midnight(start.astimezone(self.tz).date(), self.tz)
        return _clip(_runs(cover_timeline(book, refs, nation, lead, end)), start)

    def _chain(self, first: str | None) -> list[str]:
        chain: list[str] = []
        ref = first
        while ref is not None and ref not in chain and ref in self.registry.services:
            chain.append(ref)
            ref = self.registry.services[ref].fallback
        return chain

    def _absorb(self, chain: list[str], nation: str, start: dt.datetime,
                end: dt.datetime) -> tuple[Share, ...]:
        """Walk the fallback chain: each line takes what it is open for of what is left."""
        left = [(start, end)]
        shares: list[Share] = []
        for ref in chain:
            spans = self.spans(ref, nation)
            if len(spans) == 1 and spans[0].state == OPEN:  # a 24/7 fallback takes it all
                shares.append(Share(ref, sum((b - a for a, b in left), dt.timedelta())))
                return tuple(shares)
            starts = [s.start for s in spans] if len(spans) > 1 else None
            taken = dt.timedelta()
            rest: list[tuple[dt.datetime, dt.datetime]] = []
            for a, b in left:
                i = max(0, bisect.bisect_right(starts, a) - 1) if starts else 0
                at = a
                while i < len(spans) and spans[i].start < b:
                    s = spans[i]
                    lo, hi = max(a, s.start), min(b, s.end)
                    if lo < hi and s.state == OPEN:
                        if lo > at:
                            rest.append((at, lo))
                        taken += hi - lo
                        at = hi
                    i += 1
                if at < b:
                    rest.append((at, b))
            if taken:
                shares.append(Share(ref, taken))
            left = rest
            if not left:
                break
        nobody = sum((b - a for a, b in left), dt.timedelta())
        if nobody:
            shares.append(Share(None, nobody))
        return tuple(shares)

    def _special_days(self, refs: tuple[str, ...], nation: str) -> list[dt.date]:
        """Local days on which these lines' hours may differ from a typical week's: bank
        holidays, dated-hours and closure days, and the day after each (spans carried past
        midnight). Only the days of the window and its edges count, however long a closure."""
        if self.window.typical:
            return []
        key = (nation, refs)
        if key not in self._special:
            days: set[dt.date] = set()
            services = [self.registry.services[r] for r in refs]
            if any(s.bank_holidays != "normal" for s in services):
                days.update(self.book.holidays(nation))
            first = (self.window.start - EDGE).astimezone(self.tz).date() - DAY
            last = (self.window.end + EDGE).astimezone(self.tz).date() + DAY
            runs = [*((c.start, c.end) for s in services for c in s.closures),
                    *((d.start, d.end) for s in services for d in s.dated_hours)]
            for lo, hi in runs:
                day = max(lo, first)
                while day <= min(hi, last):
                    days.add(day)
                    day += DAY
            days.update([d + DAY for d in days])
            self._special[key] = sorted(days)
        return self._special[key]

    def _causes(self, refs: tuple[str, ...], nation: str, status: str, start: dt.datetime,
                end: dt.datetime, special: list[dt.date],
                typical: dict[dt.date, list[Run]]) -> tuple[Cause, ...]:
        """Where the gap lies on bank holidays or closure days, the parts a typical week
        would have covered (better than `status`), each with its reason. `typical` keeps the
        typical timeline of each run of such days, computed once for all gaps in it."""
        if not special:
            return ()
        first = start.astimezone(self.tz).date()
        last = (end - dt.timedelta(microseconds=1)).astimezone(self.tz).date()
        i = bisect.bisect_left(special, first)
        while 0 < i < len(special) and special[i - 1] == special[i] - DAY:
            i -= 1  # back to the first day of this run of special days
        causes: list[Cause] = []
        while i < len(special) and special[i] <= last:
            j = i
            while j + 1 < len(special) and special[j + 1] == special[j] + DAY:
                j += 1
            lo_day, hi_day = special[i], special[j]
            if lo_day not in typical:
                typical[lo_day] = self._timeline(self.plain, refs, nation,
                                                 midnight(lo_day, self.tz),
                                                 midnight(hi_day + DAY, self.tz))
            for a, b, usual, _, _ in typical[lo_day]:
                lo, hi = max(a, start), min(b, end)
                if lo < hi and RANK[usual] > RANK[status]:
                    causes.extend(self._explain(refs, nation, lo, hi))
            i = j + 1
        merged: list[Cause] = []
        for c in causes:
            if merged and merged[-1].end == c.start and replace(merged[-1], start=c.start,
                                                                  end=c.end) == c:
                merged[-1] = replace(c, start=merged[-1].start)
            else:
                merged.append(c)
        return tuple(merged)

    def _explain(self, refs: tuple[str, ...], nation: str, start: dt.datetime,
                 end: dt.datetime) -> Iterable[Cause]:
        """Split [start, end) by local day and name the bank holiday or closure of each day
        (or of the day before, whose rule also removed the hours carried past midnight)."""
        at = start
        while at < end:
            day = at.astimezone(self.tz).date()
            upto = min(end, midnight(day + DAY, self.tz))
            reasons = self._reasons(refs, nation, day)
            if not any(reasons):
                reasons = self._reasons(refs, nation, day - DAY)
            yield Cause(at, upto, *reasons)
            at = upto

    def _reasons(self, refs: tuple[str, ...], nation: str, day: dt.date
                 ) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...],
                            tuple[tuple[str, str], ...]]:
        services = [self.registry.services[r] for r in refs]
        name = self.book.bank_holiday(nation, day)
        holidays = (name,) if name and any(s.bank_holidays != "normal" for s in services) else ()
        closures = tuple((s.ref, c.reason) for s in services for c in s.closures if c.covers(day))
        dated = tuple((r, d.reason) for r in refs
                      if (d := self.book.schedule(r, nation).dated_on(day)) is not None)
        return holidays, closures, dated


Run = tuple[dt.datetime, dt.datetime, str, tuple[str, ...], str]


def _runs(stretches: list[Stretch]) -> list[Run]:
    """Adjacent stretches with the same status joined; uncertain ones keep every unknown line."""
    out: list[Run] = []
    for s in stretches:
        if out and out[-1][2] == s.status and out[-1][1] == s.start:
            a, _, status, maybe, comment = out[-1]
            extra = tuple(r for r in s.unknown if r not in maybe) if s.status == UNCERTAIN else ()
            out[-1] = (a, s.end, status, maybe + extra, comment or s.comment)
        else:
            maybe = s.unknown if s.status == UNCERTAIN else ()
            out.append((s.start, s.end, s.status, maybe, s.comment if maybe else ""))
    return out


def _clip(runs: list[Run], start: dt.datetime) -> list[Run]:
    out = []
    for run in runs:
        if run[1] <= start:
            continue
        out.append((start, *run[1:]) if run[0] < start else run)
    return out


def _reach_back(runs: list[Run], statuses: set[str], limit: dt.datetime) -> dt.datetime:
    """Where the trailing runs with one of `statuses` begin (`limit` if they fill the probe)."""
    at = runs[-1][1] if runs else limit
    for start, _, status, _, _ in reversed(runs):
        if status not in statuses:
            break
        at = start
    return at


def _reach_forward(runs: list[Run], statuses: set[str], limit: dt.datetime) -> dt.datetime:
    at = runs[0][0] if runs else limit
    for _, end, status, _, _ in runs:
        if status not in statuses:
            break
        at = end
    return at


def _rename(gap: Gap, rename: dict[str, str]) -> Gap:
    """The same gap for other lines with the same hours (only names change)."""
    return replace(
        gap, maybe=tuple(rename.get(r, r) for r in gap.maybe),
        causes=tuple(replace(c, closures=tuple((rename.get(r, r), why) for r, why in c.closures),
                             dated=tuple((rename.get(r, r), why) for r, why in c.dated))
                     for c in gap.causes))
