"""Cover over a typical week: the lines' own weekly hours, with no bank holidays, no
closures and no clock change, as minutes from Monday 00:00 local time.

`remitctl validate` checks cover policies against it and `remitctl diff` compares it
before and after a change. Both read `cover_timeline`, so they agree with `who`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from remitctl.cover.timeline import UNCERTAIN, UNCOVERED, Stretch, cover_timeline
from remitctl.hours.schedule import ScheduleBook
from remitctl.registry.model import Issue, Registry

DAY = 24 * 60
WEEK = 7 * DAY
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, order=True)
class WeekSpan:
    """[start, end) in minutes from Monday 00:00; `end` passes WEEK when it runs on
    into the next Monday (Friday 17:00 to Monday 08:30 is one span)."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def within_a_day(self) -> bool:
        return self.minutes < WEEK and self.start // DAY == (self.end - 1) // DAY

    def words(self) -> str:
        if self.minutes >= WEEK:
            return "all week"
        if self.within_a_day:
            return f"{_moment(self.start)}–{_clock(self.end, end=True)}"
        return f"{_moment(self.start)}–{_moment(self.end, end=True)}"


def describe(spans: tuple[WeekSpan, ...] | list[WeekSpan]) -> str:
    """Spans in plain words, the same hours on several days said once: 'Mon–Fri
    16:00–18:00, Fri,Sat 20:00–03:00, Fri 17:00–Mon 08:30'."""
    by_hours: dict[tuple[str, str], list[int]] = {}
    parts: list[tuple[int, str | tuple[str, str]]] = []
    for s in sorted(spans):
        if s.minutes < DAY:
            key = (_clock(s.start), _clock(s.end, end=True))
            if key not in by_hours:
                by_hours[key] = []
                parts.append((s.start, key))
            by_hours[key].append(s.start // DAY % 7)
        else:
            parts.append((s.start, s.words()))
    out = []
    for _, part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            out.append(f"{_days(by_hours[part])} {part[0]}–{part[1]}")
    return ", ".join(out)


def _days(days: list[int]) -> str:
    runs: list[list[int]] = []
    for d in sorted(set(days)):
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ",".join(DAY_NAMES[r[0]] if len(r) == 1 else
                    f"{DAY_NAMES[r[0]]}{',' if len(r) == 2 else '–'}{DAY_NAMES[r[-1]]}"
                    for r in runs)


def _clock(minute: int, *, end: bool = False) -> str:
    rest = minute % DAY
    if end and rest == 0:
        return "24:00"
    return f"{rest // 60:02d}:{rest % 60:02d}"


def hours_text(minutes: int) -> str:
    """A length of time in hours and minutes: '64 h 15 min', '48 h', '30 min'."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def _moment(minute: int, *, end: bool = False) -> str:
    minute %= WEEK
    if end and minute == 0:
        return "Sun 24:00"
    day, rest = divmod(minute, 24 * 60)
    if end and rest == 0:
        return f"{DAY_NAMES[day - 1]} 24:00"
    return f"{DAY_NAMES[day]} {rest // 60:02d}:{rest % 60:02d}"


@dataclass(frozen=True)
class WeekCover:
    """When nobody covers an issue in a typical week, and when cover is uncertain."""

    uncovered: tuple[WeekSpan, ...]
    uncertain: tuple[WeekSpan, ...]

    @property
    def uncovered_minutes(self) -> int:
        return sum(s.minutes for s in self.uncovered)

    @property
    def uncertain_minutes(self) -> int:
        return sum(s.minutes for s in self.uncertain)

    @property
    def longest_gap(self) -> WeekSpan | None:
        return max(self.uncovered, key=lambda s: (s.minutes, -s.start), default=None)


def steady_monday(tz: ZoneInfo, day: dt.date,
                  margin: dt.timedelta = dt.timedelta(0)) -> dt.date:
    """The Monday of `day`'s week, or the first later one, whose week (and `margin` either
    side) has no clock change: a typical week is 168 hours."""
    monday = day - dt.timedelta(days=day.weekday())
    for _ in range(8):
        start = dt.datetime.combine(monday, dt.time(), tz) - margin
        end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), tz) + margin
        if _steady(tz, start, end):
            return monday
        monday += dt.timedelta(days=7)
    return monday


def _steady(tz: ZoneInfo, start: dt.datetime, end: dt.datetime) -> bool:
    """No change of UTC offset between start and end (checked at every local midnight)."""
    offset = start.astimezone(tz).utcoffset()
    day = start.astimezone(tz).date()
    while True:
        t = dt.datetime.combine(day, dt.time(), tz)
        if t > end:
            return end.astimezone(tz).utcoffset() == offset
        if t >= start and t.astimezone(tz).utcoffset() != offset:
            return False
        day += dt.timedelta(days=1)


def _spans(stretches: list[Stretch], status: str, origin: dt.datetime) -> list[WeekSpan]:
    out: list[WeekSpan] = []
    for s in stretches:
        if s.status != status:
            continue
        a = int((s.start - origin).total_seconds() // 60)
        b = int((s.end - origin).total_seconds() // 60)
        if out and out[-1].end == a:
            out[-1] = WeekSpan(out[-1].start, b)
        else:
            out.append(WeekSpan(a, b))
    return wrap(out)


def wrap(spans: list[WeekSpan]) -> list[WeekSpan]:
    """Join a span ending at Monday 00:00 with one starting then: the week repeats."""
    if len(spans) > 1 and spans[0].start == 0 and spans[-1].end == WEEK:
        return [*spans[1:-1], WeekSpan(spans[-1].start, WEEK + spans[0].end)]
    return spans


def unwrap(spans: tuple[WeekSpan, ...]) -> list[WeekSpan]:
    """The spans cut at the week's end, sorted: plain intervals within [0, WEEK)."""
    out: list[WeekSpan] = []
    for s in spans:
        if s.end > WEEK and s.minutes < WEEK:
            out += [WeekSpan(0, s.end - WEEK), WeekSpan(s.start, WEEK)]
        else:
            out.append(WeekSpan(s.start, min(s.end, WEEK)))
    return sorted(out)


def subtract(a: tuple[WeekSpan, ...], b: tuple[WeekSpan, ...]) -> tuple[WeekSpan, ...]:
    """The time in `a` that is not in `b`, as spans (joined across the week's end)."""
    out: list[WeekSpan] = []
    cuts = unwrap(b)
    for span in unwrap(a):
        start = span.start
        for cut in cuts:
            if cut.end <= start or cut.start >= span.end:
                continue
            if cut.start > start:
                out.append(WeekSpan(start, cut.start))
            start = max(start, cut.end)
        if start < span.end:
            out.append(WeekSpan(start, span.end))
    joined: list[WeekSpan] = []
    for s in out:
        if joined and joined[-1].end == s.start:
            joined[-1] = WeekSpan(joined[-1].start, s.end)
        else:
            joined.append(s)
    return tuple(wrap(joined))


class TypicalWeek:
    """Typical-week cover for one registry, computed once per set of lines and nation."""

    def __init__(self, registry: Registry, monday: dt.date) -> None:
        tz = ZoneInfo(registry.timezone)
        self.registry = registry
        self.monday = monday
        self.start = dt.datetime.combine(monday, dt.time(), tz).astimezone(dt.UTC)
        self.end = self.start + dt.timedelta(minutes=WEEK)
        self.book = ScheduleBook(registry, range(monday.year - 1, monday.year + 2),
                                 typical=True)
        self._cache: dict[tuple[tuple[str, ...], str], WeekCover] = {}

    def cover(self, issue: Issue, area: str | None) -> WeekCover:
        refs = issue.cover_for(area)
        nation = self.registry.nation_for(area)
        key = (refs, nation)
        if key not in self._cache:
            stretches = cover_timeline(self.book, refs, nation, self.start, self.end)
            if not stretches:  # no lines at all: nobody, all week
                self._cache[key] = WeekCover((WeekSpan(0, WEEK),), ())
            else:
                self._cache[key] = WeekCover(
                    tuple(_spans(stretches, UNCOVERED, self.start)),
                    tuple(_spans(stretches, UNCERTAIN, self.start)))
        return self._cache[key]
