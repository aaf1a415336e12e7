"""The calendar rules, in one place: a line's weekly hours, bank holidays and closures, and
the clocks, turned into exact intervals.

Every command asks this module; none restates its rules. They work on evaluated intervals
per local calendar day, never on expression text:

1. Bank-holiday dates are gov.uk's (see `bank_holidays`).
2. Rules joined by `;`: a later rule replaces what earlier rules gave the days it names,
   including the early hours carried over from the night before; a rule's night runs on
   into the next morning unless a later rule names that morning, even from a day a later
   rule changed (`weekly`); a closed rule shuts only its own times.
3. A bank-holiday, dated-hours or closure rule replaces the whole calendar day, including
   the hours carried in from the night before. A closure wins over dated hours, and dated
   hours over bank-holiday hours: the more particular statement about a day wins.
4. The night that would start on a changed day: a closed day (closure, dated hours `off`,
   or `bank_holidays: closed`) cancels it; other bank-holiday or dated hours leave it
   running as usual (and add their own night, if they cross midnight); with `unknown` it is
   uncertain.
6. Clock changes: a wall-clock time that happens twice means its first occurrence, one
   that does not exist means the jump (`wall_to_instant`); durations are exact.

A closure is an interval of days, so the cost of a question grows with the window asked
about, never with the length of a closure.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from functools import lru_cache
from zoneinfo import ZoneInfo

from remitctl.hours.weekly import (
    CLOSED,
    DAY_MINUTES,
    OPEN,
    UNKNOWN,
    Layer,
    paint,
    parse_hours,
    week_program,
)
from remitctl.record import record
from remitctl.registry.model import Closure, DatedHours

UTC = dt.UTC
DAY = dt.timedelta(days=1)
BANK_HOLIDAY = "bank holiday"
BANK_HOLIDAY_UNKNOWN = "bank holiday hours not known"
DATED = "dated"  # `change_on`: the day has dated hours
# How many local days have been evaluated (`LineCalendar.day`), for tests that check that
# a question's cost follows the days it is about, never the length of a closure.
DAY_EVALUATIONS = [0]
# The days remitctl answers about; a closure or question outside them is refused upstream.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
# Above any rule's index in `weekly`: bank-holiday hours paint over what they replace.
_ON_TOP = 1 << 20


@record
class Span:
    """[start, end) in UTC during which a line's state does not change."""

    start: dt.datetime
    end: dt.datetime
    state: str
    comment: str = ""


def wall_to_instant(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The first instant at which the clocks in `tz` show the naive wall time `wall` or
    later (rule 6), as UTC: a time they repeat means its first occurrence; a time they
    skip means the jump, the first instant they show a later time (01:30 on the spring
    night is the change itself, 01:00 UTC, as opening_hours.js reads it).

    The one place remitctl turns a local wall time into an instant: the calendar, gaps,
    the heat map and the windows all ask it.
    """
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # Skipped: read with the offset after the change it is an instant before the jump
    # (the clocks still showed an earlier time); with the one before, an instant after.
    # The jump lies between: the first second at which the later offset is in force.
    after = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    offset = first.astimezone(tz).utcoffset()
    lo, hi = after, first  # lo: before the jump; hi: at or after it
    while hi - lo > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid <= lo:
            break
        if mid.astimezone(tz).utcoffset() == offset:
            hi = mid
        else:
            lo = mid
    return hi


@lru_cache(maxsize=4096)
def _day_frame(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, bool]:
    """The UTC instant of `day`'s local midnight, and whether the clocks change that day."""
    midnight = wall_to_instant(dt.datetime.combine(day, dt.time()), tz)
    following = wall_to_instant(dt.datetime.combine(day + DAY, dt.time()), tz)
    return midnight, following - midnight != DAY


def local_instant(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    """The instant the local clock shows `minutes` past midnight of `day` (rule 6)."""
    midnight, changes = _day_frame(day, tz)
    if not changes:
        return midnight + dt.timedelta(minutes=minutes)
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return wall_to_instant(wall, tz)


def parse_bank_holiday_hours(rule: str) -> tuple[tuple[Layer, ...], tuple[Layer, ...]]:
    """Bank-holiday time spans ("00:00-24:00"): the day's layers and the night they carry."""
    own: list[Layer] = []
    night: list[Layer] = []
    for r in parse_hours(rule):
        for a, b in r.spans or ((0, DAY_MINUTES),):
            own.append(Layer(_ON_TOP, a, min(b, DAY_MINUTES), r.state, r.comment))
            if b > DAY_MINUTES:
                night.append(Layer(_ON_TOP, 0, min(b - DAY_MINUTES, DAY_MINUTES), r.state,
                                   r.comment))
    return tuple(own), tuple(night)


def _merged_closures(closures: Iterable[Closure]) -> tuple[list[dt.date], list[dt.date],
                                                               list[str]]:
    """Closures as disjoint runs of days (the first reason given wins an overlap)."""
    runs: list[list[object]] = []
    for c in sorted(closures, key=lambda c: (c.start, c.end)):
        if runs and c.start <= runs[-1][1]:  # type: ignore[operator]
            if c.end > runs[-1][1]:  # type: ignore[operator]
                runs.append([runs[-1][1] + DAY, c.end, c.reason])  # type: ignore[operator]
            continue
        runs.append([c.start, c.end, c.reason])
    return ([r[0] for r in runs], [r[1] for r in runs],  # type: ignore[misc]
            [str(r[2]) for r in runs])


def _dated_runs(dated: Iterable[DatedHours]) -> tuple[list[dt.date], list[DatedHours]]:
    """Dated hours sorted by first day (validate refuses overlaps)."""
    ordered = sorted(dated, key=lambda d: (d.start, d.end))
    return [d.start for d in ordered], ordered


class LineCalendar:
    """One service line's real hours for one nation's bank holidays (or a typical week)."""

    def __init__(self, hours: str, bank_holidays: str, closures: Iterable[Closure],
                 holidays: Mapping[dt.date, str] | None, tz: ZoneInfo,
                 window: tuple[dt.datetime, dt.datetime] | None = None,
                 dated: Iterable[DatedHours] = ()) -> None:
        """`holidays` None: a typical week, with no bank holidays, dated hours or closures.
        `window`: where questions are expected; it is evaluated once and then sliced."""
        self.tz = tz
        self.window = window
        self._evaluated: tuple[dt.datetime, dt.datetime, list[Span]] | None = None
        self._starts_at: list[dt.datetime] = []
        self._ends_at: list[dt.datetime] = []
        self.program = week_program(hours)
        self.rule = bank_holidays
        self.holidays: Mapping[dt.date, str] = holidays if holidays is not None else {}
        self.typical = holidays is None
        self._starts, self._ends, self._reasons = _merged_closures(
            () if self.typical else closures)
        self._dated_starts, self._dated = _dated_runs(() if self.typical else dated)
        self._dated_layers: dict[str, tuple[tuple[Layer, ...], tuple[Layer, ...]]] = {}
        self._bh_own: tuple[Layer, ...] = ()
        self._bh_night: tuple[Layer, ...] = ()
        if bank_holidays not in (CLOSED, OPEN, UNKNOWN, "normal"):
            self._bh_own, self._bh_night = parse_bank_holiday_hours(bank_holidays)
        self._days: dict[dt.date, list[tuple[int, int, str, str]]] = {}

    def closure_on(self, day: dt.date) -> str | None:
        """The reason of the closure in force on `day`, if any."""
        i = bisect_right(self._starts, day) - 1
        if i >= 0 and day <= self._ends[i]:
            return self._reasons[i]
        return None

    def dated_on(self, day: dt.date) -> DatedHours | None:
        """The dated hours in force on `day`, if any (whether or not a closure hides them)."""
        i = bisect_right(self._dated_starts, day) - 1
        if i >= 0 and self._dated[i].covers(day):
            return self._dated[i]
        return None

    def change_on(self, day: dt.date) -> str | None:
        """How `day` differs from its weekday: "closure", "dated", "closed", "unknown",
        "hours" or None (as usual). A closure wins over dated hours, and dated hours over
        the bank-holiday rule (rule 3)."""
        if self.typical:
            return None
        if self.closure_on(day) is not None:
            return "closure"
        if self._dated and self.dated_on(day) is not None:
            return DATED
        if day in self.holidays and self.rule != "normal":
            return "hours" if self._bh_own else self.rule
        return None

    def _whole_day(self, day: dt.date) -> tuple[str, tuple[Layer, ...], tuple[Layer, ...], str]:
        """The rule that replaces `day` whole: its kind (closed, unknown or hours), its own
        layers and the night it carries into the next day, and what to call it."""
        change = self.change_on(day)
        if change == DATED:
            dated = self.dated_on(day)
            assert dated is not None
            if dated.hours in (CLOSED, UNKNOWN):
                return dated.hours, (), (), dated.reason
            if dated.hours not in self._dated_layers:
                self._dated_layers[dated.hours] = parse_bank_holiday_hours(dated.hours)
            own, night = self._dated_layers[dated.hours]
            return "hours", own, night, dated.reason
        if change == "closure":
            return CLOSED, (), (), self.closure_on(day) or ""
        if change == "hours":
            return "hours", self._bh_own, self._bh_night, ""
        if change == CLOSED:
            return CLOSED, (), (), BANK_HOLIDAY
        return UNKNOWN, (), (), BANK_HOLIDAY_UNKNOWN

    def _night_before(self, day: dt.date) -> list[Layer]:
        """What the night that started on the day before carries into `day` (rule 4)."""
        carried = list(self.program.carried[day.weekday()])
        if self.change_on(day - DAY) is None:
            return carried
        kind, _, night, why = self._whole_day(day - DAY)
        if kind == CLOSED:
            return []
        if kind == UNKNOWN:
            return [Layer(x.order, x.start, x.end, UNKNOWN if x.state == OPEN else x.state,
                          why if x.state == OPEN else x.comment)
                    for x in carried]
        return [*carried, *night]

    def day(self, day: dt.date) -> list[tuple[int, int, str, str]]:
        """The local day as (start, end, state, comment) in minutes, covering 0..1440."""
        known = self._days.get(day)
        if known is not None:
            return known
        DAY_EVALUATIONS[0] += 1
        if self.change_on(day) is None:
            out = paint([*self._night_before(day), *self.program.own[day.weekday()]])
        else:
            kind, own, _, why = self._whole_day(day)
            if kind == "hours":  # replaces the whole day, the night before included
                # An uncertain span without a comment of its own says why (the reason).
                out = paint([x if x.comment or x.state != UNKNOWN or not why else
                             Layer(x.order, x.start, x.end, x.state, why) for x in own])
            else:
                out = [(0, DAY_MINUTES, kind, why)]
        if len(self._days) > 4096:
            self._days.clear()
        self._days[day] = out
        return out

    def spans(self, start: dt.datetime, end: dt.datetime) -> list[Span]:
        """The line's states over [start, end), in UTC, adjacent equal states joined."""
        if end <= start:
            return []
        known = self._evaluated
        if known is None or not (known[0] <= start and end <= known[1]):
            lo, hi = start, end
            if self.window is not None and self.window[0] <= start and end <= self.window[1]:
                lo, hi = self.window
            known = self._evaluated = (lo, hi, self._evaluate(lo, hi))
            self._starts_at = [s.start for s in known[2]]
            self._ends_at = [s.end for s in known[2]]
        # Spans are maximal runs of one state: a part of the window is its spans, cut.
        out = known[2][bisect_right(self._ends_at, start):bisect_left(self._starts_at, end)]
        if out and out[0].start < start:
            out[0] = Span(start, min(out[0].end, end), out[0].state, out[0].comment)
        if out and out[-1].end > end:
            out[-1] = Span(out[-1].start, end, out[-1].state, out[-1].comment)
        return out

    def _evaluate(self, start: dt.datetime, end: dt.datetime) -> list[Span]:
        tz = self.tz
        day = start.astimezone(tz).date() - DAY  # the clocks' first instants may be earlier
        last = end.astimezone(tz).date() + DAY
        out: list[Span] = []
        floor = start - DAY
        while day <= last:
            midnight, changes = _day_frame(day, tz)
            for a, b, state, comment in self.day(day):
                if changes:
                    lo, hi = local_instant(day, a, tz), local_instant(day, b, tz)
                else:
                    lo, hi = (midnight + dt.timedelta(minutes=a),
                              midnight + dt.timedelta(minutes=b))
                # Where the clocks skip an hour a wall time in it moves forward past later
                # ones: each piece starts where the one before it ended, or later.
                lo = max(lo, floor)
                if hi <= lo:
                    continue
                floor = hi
                lo, hi = max(lo, start), min(hi, end)
                if hi <= lo:
                    continue
                if out and out[-1].state == state and out[-1].comment == comment and (
                        out[-1].end == lo):
                    out[-1] = Span(out[-1].start, hi, state, comment)
                else:
                    out.append(Span(lo, hi, state, comment))
            day += DAY
        return out

    def state_at(self, when: dt.datetime) -> tuple[str, str]:
        found = self.spans(when, when + dt.timedelta(seconds=1))
        return (found[0].state, found[0].comment) if found else (CLOSED, "")


def week_timetable(hours: str) -> list[list[tuple[str, str, str]]]:
    """A typical week of `hours` by weekday (Monday first), as each day's open and unknown
    spans in local HH:MM, from the same rules as every answer."""
    program = week_program(hours)
    out = []
    for weekday in range(7):
        spans = []
        for a, b, state, _ in paint([*program.carried[weekday], *program.own[weekday]]):
            if state != CLOSED:
                spans.append((f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}",
                              state))
        out.append(spans)
    return out
