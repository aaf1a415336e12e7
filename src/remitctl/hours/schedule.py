"""A service line's real hours: its opening_hours, bank holidays and closures, in one expression.

Bank holidays and closures become explicit date rules appended to the line's own
hours, so opening-hours-py evaluates everything (time zone, spans past midnight,
GMT/BST changes) in one place. Later rules override earlier ones for the whole day.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from remitctl.hours.bank_holidays import bank_holidays
from remitctl.registry.model import Closure, Registry, Service

UTC = dt.UTC
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """[start, end) in UTC during which a line's state does not change."""

    start: dt.datetime
    end: dt.datetime
    state: str
    comment: str = ""


def osm_date(day: dt.date) -> str:
    return f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"


def _comment(text: str) -> str:
    return '"' + text.replace('"', "'").replace("\n", " ") + '"'


_SPAN = re.compile(r"\b(\d\d):(\d\d)\s*-\s*(\d\d):(\d\d)")
_WIDE = re.compile(r"^(\d{4}\b|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|week\b|PH\b|"
                   r"SH\b|easter\b)")
# A "," that starts an additional rule follows a time, a state word or a comment and is
# followed by a weekday; "Fr,Sa" and "09:00-12:00,13:00-17:00" are lists, not rules.
_ADDITIONAL = re.compile(r'(?:(?<=\d)|(?<=")|(?<=off)|(?<=closed)|(?<=open)|(?<=unknown))'
                         r'\s*,\s*(?=(?:Mo|Tu|We|Th|Fr|Sa|Su)\b)')


def _crosses_midnight(hours: str) -> bool:
    return any((int(c), int(d)) <= (int(a), int(b)) or int(c) * 60 + int(d) > 24 * 60
               for a, b, c, d in _SPAN.findall(hours)) or "+" in hours


def _split_rules(hours: str) -> list[list[str]] | None:
    """The expression's rules, each as its additional ("," joined) parts; None when a
    rule has selectors remitctl cannot safely restate for one date (years, months, ||)."""
    if "||" in hours:
        return None
    rules: list[list[str]] = []
    for rule in re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', hours):
        parts = [p.strip() for p in _ADDITIONAL.split(rule.strip()) if p.strip()]
        if any(_WIDE.match(p) for p in parts):
            return None
        if parts:
            rules.append(["00:00-24:00" if p == "24/7" else p for p in parts])
    return rules


def _day_after_fix(service: Service, changed: set[dt.date], hours: str) -> str | None:
    """Rules that restore the day after a bank holiday or closure to its own hours.

    opening-hours-py still carries a span that would have started on the changed day
    into the next morning ("Fr,Sa 20:00-03:00" closed for Christmas would still be open
    at 01:00 the morning after). Restating the next day's own rules for that date cuts
    the carried-over hours, as a date rule does for the changed day itself.
    """
    if not changed or not _crosses_midnight(hours):
        return None
    rules = _split_rules(hours)
    if rules is None:
        return None
    after = sorted({d + DAY for d in changed} - changed)
    if not after:
        return None
    dates = ",".join(osm_date(d) for d in after)
    restated = (", ".join(f"{dates} {part}" for part in rule) for rule in rules)
    return "; ".join([f"{dates} off", *restated])


def expression(service: Service, holidays: dict[dt.date, str] | None) -> str:
    """The line's hours with bank-holiday and closure rules appended (None: a typical week)."""
    hours = service.hours.strip().rstrip(";")
    rules = [hours]
    changed: set[dt.date] = set()
    if holidays is not None:
        rule = service.bank_holidays
        if holidays and rule != "normal":
            dates = ",".join(osm_date(d) for d in sorted(holidays))
            if rule == CLOSED:
                rules.append(f"{dates} off {_comment('bank holiday')}")
            elif rule == UNKNOWN:
                rules.append(f"{dates} unknown {_comment('bank holiday hours not known')}")
            else:
                rules.append(f"{dates} {rule}")
            if rule == CLOSED:  # other hours that day: its night still runs on as usual
                changed.update(holidays)
        for closure in service.closures:
            rules.append(f"{osm_date(closure.start)}-{osm_date(closure.end)} off "
                         f"{_comment(closure.reason)}")
            day = closure.start
            while day <= closure.end:
                changed.add(day)
                day += DAY
        fix = _day_after_fix(service, changed, hours)
        if fix:
            rules.append(fix)
    return "; ".join(rules)


class _Compiled:
    """One opening_hours expression, parsed once, with the last window it was evaluated over.

    `now` and `who` ask every line for the same window, and parts of it, many times over;
    lines with the same hours, bank-holiday rule and closures (most council office lines
    in a big registry) share one of these, so each distinct expression is evaluated once.
    """

    def __init__(self, text: str, tz: ZoneInfo) -> None:
        from opening_hours import OpeningHours

        self.tz = tz
        self.oh: Any = OpeningHours(text, timezone=tz)
        self._window: tuple[dt.datetime, dt.datetime, list[Span]] | None = None
        self._starts: list[dt.datetime] = []
        self._ends: list[dt.datetime] = []

    def spans(self, start: dt.datetime, end: dt.datetime) -> list[Span]:
        window = self._window
        if window is None or not (window[0] <= start and end <= window[1]):
            window = self._window = self._evaluate(start, end)
            self._starts = [s.start for s in window[2]]
            self._ends = [s.end for s in window[2]]
        # Spans are maximal runs of one state, so a part of the window is its spans cut:
        # the ones that reach into [start, end), the first and last trimmed to it.
        out = window[2][bisect_right(self._ends, start):bisect_left(self._starts, end)]
        if out and out[0].start < start:
            out[0] = Span(start, min(out[0].end, end), out[0].state, out[0].comment)
        if out and out[-1].end > end:
            out[-1] = Span(out[-1].start, end, out[-1].state, out[-1].comment)
        return out

    def _evaluate(self, start: dt.datetime, end: dt.datetime
                  ) -> tuple[dt.datetime, dt.datetime, list[Span]]:
        # From the local midnight before: opening-hours-py reads a start in the repeated
        # autumn hour as its second (GMT) occurrence, an hour late.
        lead = dt.datetime.combine(start.astimezone(self.tz).date(), dt.time(), self.tz)
        runs: list[list[Any]] = []
        for a, b, state, comment in self.oh.intervals(lead, end.astimezone(self.tz)):
            s, e = a.astimezone(UTC), b.astimezone(UTC)
            if e <= s:
                continue
            name = str(state)
            last = runs[-1] if runs else None
            if last is not None and last[2] == name and last[3] == comment and last[1] == s:
                last[1] = e
            else:
                runs.append([s, e, name, comment])
        return lead.astimezone(UTC), end, [Span(*run) for run in runs]


class Schedule:
    """One line's hours as evaluated for one nation's bank holidays (or a typical week)."""

    def __init__(self, service: Service, tz: ZoneInfo, holidays: dict[dt.date, str] | None,
                 compiled: dict[str, _Compiled] | None = None,
                 near: tuple[dict[dt.date, str], tuple[dt.datetime, dt.datetime]] | None = None):
        """`near`: fewer holidays, and the instants between which they settle every answer
        (a quicker expression for the window a book was made around)."""
        self.service = service
        self.tz = tz
        self.holidays = holidays or {}
        self.expression = expression(service, holidays)
        self._shared = compiled if compiled is not None else {}
        self._every: _Compiled | None = None
        self._near: _Compiled | None = None
        self._valid: tuple[dt.datetime, dt.datetime] | None = None
        if near is not None:
            self._near = self._compile(expression(service, near[0]))
            self._valid = near[1]

    def _compile(self, text: str) -> _Compiled:
        known = self._shared.get(text)
        if known is None:
            known = self._shared[text] = _Compiled(text, self.tz)
        return known

    def _for(self, start: dt.datetime, end: dt.datetime) -> _Compiled:
        if self._near is not None and self._valid is not None and (
                self._valid[0] <= start and end <= self._valid[1]):
            return self._near
        if self._every is None:
            self._every = self._compile(self.expression)
        return self._every

    def state_at(self, when: dt.datetime) -> tuple[str, str]:
        # Read from the same interval view as `spans`: opening-hours-py's own state()
        # can disagree with its intervals in the repeated autumn hour.
        spans = self.spans(when, when + dt.timedelta(seconds=1))
        if not spans:
            return CLOSED, ""
        return spans[0].state, spans[0].comment

    def spans(self, start: dt.datetime, end: dt.datetime) -> list[Span]:
        """The line's states over [start, end), in UTC, adjacent equal states merged."""
        return self._for(start, end).spans(start, end)

    def closures_on(self, day: dt.date) -> list[Closure]:
        return [c for c in self.service.closures if c.covers(day)]


class ScheduleBook:
    """Schedules for a registry over a range of years, built once per line and nation."""

    def __init__(self, registry: Registry, years: range, *, typical: bool = False,
                 days: tuple[dt.date, dt.date] | None = None) -> None:
        self.registry = registry
        self.tz = ZoneInfo(registry.timezone)
        self.years = years
        self.typical = typical
        # Local days whose bank holidays settle questions inside the window (None: no
        # window). Every date in an expression costs opening-hours-py time on every
        # evaluation (36 dates make a six-week window 2.5 times slower than the 4 in it),
        # so schedules answer those questions with these alone, and others with all.
        self.days = days
        self._near: dict[str, dict[dt.date, str]] = {}
        self._schedules: dict[tuple[str, str], Schedule] = {}
        self._compiled: dict[str, _Compiled] = {}  # by expression, shared between lines
        # Cover timelines already swept, by (lines, nation, start, end): issue types that
        # share their lines in an area share their timeline (see cover.timeline).
        self.timelines: dict[tuple[object, ...], list[Any]] = {}
        self._holidays: dict[str, dict[dt.date, str]] = {}

    @classmethod
    def around(cls, registry: Registry, start: dt.datetime, end: dt.datetime,
               *, typical: bool = False) -> ScheduleBook:
        """A book for questions between `start` and `end` (and from the midnight before)."""
        tz = ZoneInfo(registry.timezone)
        # A day's rule reaches into the next morning and evaluation starts at the midnight
        # before: two days either side are all that can change an answer in the window.
        days = (start.astimezone(tz).date() - 2 * DAY, end.astimezone(tz).date() + 2 * DAY)
        return cls(registry, range(start.year - 1, end.year + 2), typical=typical, days=days)

    def holidays(self, nation: str) -> dict[dt.date, str]:
        if nation not in self._holidays:
            self._holidays[nation] = bank_holidays(nation, self.years)
        return self._holidays[nation]

    def schedule(self, ref: str, nation: str) -> Schedule:
        key = (ref, nation)
        if key not in self._schedules:
            holidays = None if self.typical else self.holidays(nation)
            valid = self._valid()
            near = (self._holidays_near(nation), valid) if valid is not None else None
            self._schedules[key] = Schedule(self.registry.services[ref], self.tz, holidays,
                                            self._compiled, near)
        return self._schedules[key]

    def _holidays_near(self, nation: str) -> dict[dt.date, str]:
        if nation not in self._near and self.days is not None:
            first, last = self.days
            self._near[nation] = {d: name for d, name in self.holidays(nation).items()
                                  if first <= d <= last}
        return self._near[nation]

    def _valid(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Instants whose answers the holidays kept can settle: from the midnight after the
        first day (that day's rule may reach into it) to the midnight after the last."""
        if self.days is None or self.typical:
            return None
        first, last = self.days
        return (dt.datetime.combine(first + DAY, dt.time(), self.tz),
                dt.datetime.combine(last + DAY, dt.time(), self.tz))

    def bank_holiday(self, nation: str, day: dt.date) -> str | None:
        if self.typical:
            return None
        return self.holidays(nation).get(day)


def week_timetable(service: Service, tz: ZoneInfo,
                 monday: dt.date) -> list[tuple[dt.date, list[tuple[str, str, str]]]]:
    """The line's own hours (no bank holidays or closures) for the week from `monday`,
    as each day's open and unknown spans in local HH:MM."""
    schedule = Schedule(service, tz, None)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    out: list[tuple[dt.date, list[tuple[str, str, str]]]] = []
    for day in days:
        start = dt.datetime.combine(day, dt.time(), tz)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)
        spans = []
        for span in schedule.spans(start, end):
            if span.state == CLOSED:
                continue
            a = span.start.astimezone(tz)
            b = span.end.astimezone(tz)
            spans.append((f"{a:%H:%M}", "24:00" if b.date() > day else f"{b:%H:%M}", span.state))
        out.append((day, spans))
    return out
