"""Service lines' schedules for a registry: each line's calendar (hours, bank holidays,
closures; see `calendar`) for the nation it is asked about, built once and shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from remitctl.hours.bank_holidays import NationHolidays
from remitctl.hours.calendar import DAY, LineCalendar, Span
from remitctl.hours.calendar import week_timetable as _week
from remitctl.hours.weekly import CLOSED, OPEN, UNKNOWN
from remitctl.registry.model import Closure, DatedHours, Registry, Service

__all__ = ["CLOSED", "OPEN", "UNKNOWN", "Schedule", "ScheduleBook", "Span", "week_timetable"]


def schedule_key(service: Service) -> tuple[object, ...]:
    """What a line's answers depend on: lines with the same key answer alike."""
    return (service.hours, service.bank_holidays,
            tuple((c.start, c.end, c.reason) for c in service.closures),
            tuple((d.start, d.end, d.hours, d.reason) for d in service.dated_hours))


class Schedule:
    """One line's hours as evaluated for one nation's bank holidays (or a typical week)."""

    def __init__(self, service: Service, tz: ZoneInfo, holidays: Mapping[dt.date, str] | None,
                 calendar: LineCalendar | None = None) -> None:
        self.service = service
        self.tz = tz
        self.holidays = holidays or {}
        self.key = schedule_key(service)
        self.calendar = calendar or LineCalendar(service.hours, service.bank_holidays,
                                                 service.closures, holidays, tz,
                                                 dated=service.dated_hours)

    def state_at(self, when: dt.datetime) -> tuple[str, str]:
        return self.calendar.state_at(when)

    def spans(self, start: dt.datetime, end: dt.datetime) -> list[Span]:
        """The line's states over [start, end), in UTC, adjacent equal states merged."""
        return self.calendar.spans(start, end)

    def closures_on(self, day: dt.date) -> list[Closure]:
        return [c for c in self.service.closures if c.covers(day)]

    def dated_on(self, day: dt.date) -> DatedHours | None:
        """The line's dated hours on `day` when they decide it (no closure hides them)."""
        if self.calendar.change_on(day) != "dated":
            return None
        return self.calendar.dated_on(day)


class ScheduleBook:
    """Schedules for a registry over a range of years, built once per line and nation."""

    def __init__(self, registry: Registry, years: range, *, typical: bool = False,
                 window: tuple[dt.datetime, dt.datetime] | None = None) -> None:
        self.registry = registry
        self.window = window
        self.tz = ZoneInfo(registry.timezone)
        self.years = years
        self.typical = typical
        self._schedules: dict[tuple[str, str], Schedule] = {}
        # Lines with the same hours, bank-holiday rule and closures share one calendar.
        self._calendars: dict[tuple[object, ...], LineCalendar] = {}
        # Cover timelines already swept, by (lines, nation, start, end): issue types that
        # share their lines in an area share their timeline (see cover.timeline).
        self.timelines: dict[tuple[object, ...], list[Any]] = {}
        self._holidays: dict[str, NationHolidays] = {}

    @classmethod
    def around(cls, registry: Registry, start: dt.datetime, end: dt.datetime,
               *, typical: bool = False) -> ScheduleBook:
        """A book for questions between `start` and `end`."""
        first, last = (start - 2 * DAY).year, (end + 2 * DAY).year
        return cls(registry, range(first, last + 1), typical=typical, window=(start, end))

    def holidays(self, nation: str) -> NationHolidays:
        if nation not in self._holidays:
            self._holidays[nation] = NationHolidays(nation, self.years)
        return self._holidays[nation]

    def schedule(self, ref: str, nation: str) -> Schedule:
        key = (ref, nation)
        known = self._schedules.get(key)
        if known is None:
            service = self.registry.services[ref]
            holidays = None if self.typical else self.holidays(nation)
            shared = (nation, *schedule_key(service))
            calendar = self._calendars.get(shared)
            if calendar is None:
                calendar = self._calendars[shared] = LineCalendar(
                    service.hours, service.bank_holidays, service.closures, holidays, self.tz,
                    self.window, dated=service.dated_hours)
            known = self._schedules[key] = Schedule(service, self.tz, holidays, calendar)
        return known

    def bank_holiday(self, nation: str, day: dt.date) -> str | None:
        if self.typical:
            return None
        return self.holidays(nation).get(day)


def week_timetable(service: Service, tz: ZoneInfo,
                   monday: dt.date) -> list[tuple[dt.date, list[tuple[str, str, str]]]]:
    """The line's own hours (no bank holidays or closures) for the week from `monday`,
    as each day's open and unknown spans in local HH:MM."""
    return [(monday + dt.timedelta(days=n), spans) for n, spans in enumerate(_week(service.hours))]
