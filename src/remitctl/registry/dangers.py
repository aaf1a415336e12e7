"""Registries that validate but would leave an officer with nobody: `remitctl validate` warns
(errors under --strict), each warning at the line to change and with the fix in words.

- a line that covers issues, or is a fallback, but is closed all week;
- a 24/7 line, or a line used as a fallback, that shuts on bank holidays;
- an agency closure that also shuts the agency's 24/7 or out-of-hours lines, and one
  that leaves an issue type with nobody covering it while it lasts;
- a line's own closure that leaves an issue type without a fallback with nobody;
- an issue type with nobody covering it in an area and no fallback;
- an issue type with nobody covering it and its fallback closed too (`fallback_open`).

Every check reads the same cover timeline as `who`, so a warning names what `who` would say.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from remitctl.registry.model import DEFAULT, Closure, Issue, Registry, Service

if TYPE_CHECKING:
    from remitctl.cover.timeline import Stretch
from remitctl.registry.problems import Problem
from remitctl.registry.yaml_source import Located

DAY = dt.timedelta(days=1)
YEAR = dt.timedelta(days=365)  # how far ahead validate looks at dated cover
# Out of hours: any time at weekends, or on a weekday before 07:00 or after 20:00.
_NIGHT_START, _NIGHT_END = 20 * 60, 7 * 60


def _warn(doc: Located, loc: tuple[str | int, ...], message: str, hint: str, code: str,
          *, key: bool = False) -> Problem:
    return doc.problem(loc, message, hint, key=key, severity="warning", code=code)


def _service_loc(ref: str) -> tuple[str, ...]:
    agency, _, service = ref.partition("/")
    return ("agencies", agency, "services", service)


def _names(items: list[str], limit: int = 4) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _closure_words(c: Closure) -> str:
    when = _day(c.start) if c.start == c.end else f"{_day(c.start)} to {_day(c.end)}"
    return f"{c.reason!r} ({when})"


@dataclass(frozen=True)
class LineWeek:
    """How a line's own hours fall in a typical week (no bank holidays or closures)."""

    never_open: bool  # neither open nor 'unknown' at any time
    always_open: bool  # open all 168 hours
    out_of_hours: bool  # open at some time at night or at the weekend


class Usage:
    """Which issue types a line covers and what it is the fallback for."""

    def __init__(self, registry: Registry) -> None:
        self.covers: dict[str, list[str]] = {}
        self.fallback_for: dict[str, list[str]] = {}
        for issue in registry.issues.values():
            for refs in issue.cover.values():
                for ref in refs:
                    found = self.covers.setdefault(ref, [])
                    if issue.id not in found:
                        found.append(issue.id)
            if issue.fallback:
                self.fallback_for.setdefault(issue.fallback, []).append(issue.id)
        for svc in registry.services.values():
            if svc.fallback:
                self.fallback_for.setdefault(svc.fallback, []).append(svc.ref)

    def words(self, ref: str) -> str:
        parts = []
        if ref in self.covers:
            parts.append("covers " + _names(self.covers[ref]))
        if ref in self.fallback_for:
            parts.append("is the fallback for " + _names(self.fallback_for[ref]))
        return " and ".join(parts)


class Weeks:
    """Typical-week facts about lines, each line evaluated once."""

    def __init__(self, registry: Registry, today: dt.date) -> None:
        from remitctl.cover.typical import steady_monday
        from remitctl.hours.schedule import ScheduleBook

        self.registry = registry
        self.tz = ZoneInfo(registry.timezone)
        monday = steady_monday(self.tz, today)
        self.start = dt.datetime.combine(monday, dt.time(), self.tz)
        self.end = dt.datetime.combine(monday + 7 * DAY, dt.time(), self.tz)
        self.book = ScheduleBook(registry, range(monday.year - 1, monday.year + 2),
                                 typical=True)
        self._lines: dict[str, LineWeek] = {}

    def line(self, ref: str) -> LineWeek:
        if ref not in self._lines:
            from remitctl.hours.schedule import CLOSED, OPEN

            spans = self.book.schedule(ref, self.registry.nation).spans(self.start, self.end)
            open_minutes = 0
            out_of_hours = False
            for span in spans:
                if span.state == CLOSED:
                    continue
                if span.state == OPEN:
                    open_minutes += round((span.end - span.start).total_seconds() / 60)
                    out_of_hours = out_of_hours or self._outside_office(span.start, span.end)
            never = all(span.state == CLOSED for span in spans)
            self._lines[ref] = LineWeek(never, open_minutes >= 7 * 24 * 60, out_of_hours)
        return self._lines[ref]

    def _outside_office(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether [start, end) reaches outside every weekday's 07:00-20:00 (a typical week
        has no clock change, so minutes from Monday 00:00 are local clock minutes)."""
        a = round((start - self.start).total_seconds() / 60)
        b = round((end - self.start).total_seconds() / 60)
        day = a // (24 * 60)
        if day >= 5 or b - a > 24 * 60:
            return True
        return not (day * 24 * 60 + _NIGHT_END <= a and b <= day * 24 * 60 + _NIGHT_START)


def closed_all_week(registry: Registry, doc: Located, weeks: Weeks,
                    usage: Usage) -> Iterator[Problem]:
    for ref, svc in registry.services.items():
        role = usage.words(ref)
        if not role or not weeks.line(ref).never_open:
            continue
        yield _warn(doc, (*_service_loc(ref), "hours"),
                    f"{ref} is closed all week (hours: {svc.hours!r}), but it {role}: "
                    "officers would never reach it",
                    "write the hours it is open, e.g. 'Mo-Fr 09:00-17:00' or '24/7'; if it "
                    "has stopped running, take it out of the cover and fallbacks that name it",
                    "closed-all-week")


def shut_on_bank_holidays(registry: Registry, doc: Located, weeks: Weeks,
                          usage: Usage) -> Iterator[Problem]:
    for ref, svc in registry.services.items():
        if svc.bank_holidays != "closed":
            continue
        week = weeks.line(ref)
        if week.never_open:
            continue  # reported as closed all week
        fallback_for = usage.fallback_for.get(ref)
        if not week.always_open and not fallback_for:
            continue
        what = "a 24/7 line" if week.always_open else "a fallback"
        if fallback_for:
            what += f" (for {_names(fallback_for)})"
            then = "would be told that nobody, not even the fallback, is open"
        else:  # a 24/7 line that is no one's fallback: its issues fall to their own
            issues = usage.covers.get(ref, [])
            bare = [i for i in issues if not registry.issues[i].fallback]
            then = (f"would get no one for {_names(bare)} (no fallback)" if bare else
                    f"would get only the fallback for {_names(issues)}" if issues else
                    "could not reach it")
        yield _warn(doc, (*_service_loc(ref), "bank_holidays"),
                    f"{ref} is {what} but shuts on bank holidays: on Christmas Day officers "
                    f"{then}",
                    "if it runs as usual on bank holidays, write 'bank_holidays: normal' (or "
                    "the hours it keeps, e.g. '00:00-24:00'); if it really shuts, give the "
                    "issues it backs a fallback that stays open", "bank-holidays-closed")


def agency_closures(registry: Registry, doc: Located, weeks: Weeks, usage: Usage,
                    today: dt.date) -> Iterator[Problem]:
    """Agency closures that shut the agency's 24/7 or out-of-hours lines (one warning per
    line), and closures that leave an issue type with nobody covering it (one per closure)."""
    reliant: dict[str, list[tuple[Issue, str, tuple[str, ...]]]] | None = None
    for agency in registry.agencies.values():
        current = [c for c in agency.closures if c.end >= today]
        if not current:
            continue
        if reliant is None:
            reliant = _cover_by_agency(registry)
        for ref in agency.services:
            svc = registry.services[ref]
            week = weeks.line(ref)
            if not svc.agency_closures or week.never_open or _confirmed(doc, ref):
                continue
            if not (week.always_open or week.out_of_hours):
                continue
            kind = "a 24/7 line" if week.always_open else "an out-of-hours line"
            shut = "; ".join(_closure_words(c) for c in current)
            lines = ", ".join(str(c.line) for c in current)
            yield _warn(doc, _service_loc(ref),
                        f"{ref} is {kind}, but {agency.id}'s closure{_s(current)} "
                        f"(line{_s(current)} {lines}) shut{'' if len(current) > 1 else 's'} "
                        f"it too: {shut}",
                        f"if {svc.name} keeps running while the rest of {agency.name} is "
                        "closed, add 'agency_closures: ignore' under it; if it really "
                        "closes with the agency, add 'agency_closures: apply' to say so",
                        "agency-closure", key=True)
        for closure in current:
            yield from _closure_leaves_nobody(registry, doc, agency.id, closure,
                                              agency.closures.index(closure),
                                              reliant.get(agency.id, []), today)


def _confirmed(doc: Located, ref: str) -> bool:
    """The line says `agency_closures: apply` in so many words: its closing is meant."""
    return (*_service_loc(ref), "agency_closures") in doc.keys


def _s(items: list[Closure]) -> str:
    return "s" if len(items) != 1 else ""


def _cover_by_agency(registry: Registry) -> dict[str, list[tuple[Issue, str, tuple[str, ...]]]]:
    """Agency id → (issue, area, lines) for each issue type and area whose cover has one of
    the agency's lines."""
    out: dict[str, list[tuple[Issue, str, tuple[str, ...]]]] = {}
    for issue in registry.issues.values():
        for area, refs in _cover_groups(registry, issue):
            for agency_id in dict.fromkeys(r.partition("/")[0] for r in refs):
                out.setdefault(agency_id, []).append((issue, area, refs))
    return out


def _closure_leaves_nobody(registry: Registry, doc: Located, agency_id: str,
                           closure: Closure, index: int,
                           reliant: list[tuple[Issue, str, tuple[str, ...]]], today: dt.date
                           ) -> Iterator[Problem]:
    """One warning for a closure that leaves an issue type with nobody where, without it,
    someone would cover it: all the while it lasts, or only part of it (nobody 08:45-17:00
    on Christmas Eve), whether or not the issue has a policy."""
    # Cover whose agency lines all say `agency_closures: apply` closes as meant.
    reliant = [(issue, area, refs) for issue, area, refs in reliant
               if not all(_confirmed(doc, r) for r in refs if r.startswith(f"{agency_id}/"))]
    lost = _cover_lost(registry, _without_closure(registry, agency_id, closure), closure,
                       reliant, today)
    if not lost:
        return
    parts, nobody = _lost_parts(registry, lost)
    then = ("officers get only the fallback"
            if not nobody else f"{_names(nobody)} {'has' if len(nobody) == 1 else 'have'} "
            "no fallback, so officers would get no one")
    yield _warn(doc, ("agencies", agency_id, "closures", index),
                f"closure {_closure_words(closure)} leaves nobody covering "
                f"{'; '.join(parts)}: {then}",
                "if a line keeps running during the closure, add 'agency_closures: ignore' "
                "under it; if this is meant, add 'agency_closures: apply' under each of the "
                "agency's lines in that cover to say so", "closure-no-cover")


def line_closures(registry: Registry, doc: Located, today: dt.date) -> Iterator[Problem]:
    """A line's own closure that leaves an issue type without a fallback with nobody at
    all, where without it someone would cover it: officers would get no one. (Where the
    issue has a fallback, the hours the closure takes are gaps, which `gaps` reports.)"""
    reliant: list[tuple[Issue, str, tuple[str, ...]]] | None = None
    for ref, svc in registry.services.items():
        own = [c for c in svc.closures if c.scope == "service" and c.end >= today]
        if not own:
            continue
        if reliant is None:
            reliant = [(issue, area, refs) for issue in registry.issues.values()
                       if not issue.fallback for area, refs in _cover_groups(registry, issue)]
        users = [(issue, area, refs) for issue, area, refs in reliant if ref in refs]
        for closure in own if users else ():
            without = dataclasses.replace(registry, services={
                **registry.services, ref: dataclasses.replace(
                    svc, closures=tuple(c for c in svc.closures if c is not closure))})
            lost = _cover_lost(registry, without, closure, users, today)
            if not lost:
                continue
            parts, _ = _lost_parts(registry, lost)
            ids = [issue.id for issue, _ in lost.values()]
            yield _warn(doc, (*_service_loc(ref), "closures", svc.closures.index(closure)
                              - sum(c.scope != "service" for c in svc.closures)),
                        f"closure {_closure_words(closure)} of {ref} leaves nobody covering "
                        f"{'; '.join(parts)}: {_names(ids)} "
                        f"{'has' if len(ids) == 1 else 'have'} no fallback, so officers "
                        "would get no one",
                        "give the issue a 'fallback:' (usually the police control room), or "
                        "add a line that covers it while this one is closed",
                        "closure-no-cover")


def _cover_lost(registry: Registry, without: Registry, closure: Closure,
                reliant: list[tuple[Issue, str, tuple[str, ...]]], today: dt.date
                ) -> dict[str, tuple[Issue, dict[str, list[str]]]]:
    """Issue id -> (issue, when nobody covers it -> areas) for the cover in `reliant` that
    has nobody with `closure` where `without` it someone covers: "" when nobody all the
    while it lasts, else the words for when."""
    from remitctl.cover.timeline import cover_timeline
    from remitctl.hours.schedule import ScheduleBook

    tz = ZoneInfo(registry.timezone)
    # Only the days validate looks at (today to a year ahead): a closure from 1900 to 2199
    # costs what a year-long one does.
    first, last = max(closure.start, today), min(closure.end, today + YEAR)
    if last < first or not reliant:
        return {}
    start = dt.datetime.combine(first, dt.time(), tz)
    end = dt.datetime.combine(last + DAY, dt.time(), tz)
    book = ScheduleBook.around(registry, start, end)
    before = ScheduleBook.around(without, start, end)
    # Issue types and areas with the same lines share their answer: None (nothing lost),
    # "" (nobody all the while) or when part of it is lost.
    lost: dict[tuple[tuple[str, ...], str], str | None] = {}
    by_issue: dict[str, tuple[Issue, dict[str, list[str]]]] = {}
    for issue, area, refs in reliant:
        nation = registry.nation_for(area if area != DEFAULT else None)
        key = (refs, nation)
        if key not in lost:
            lost[key] = _lost_words(cover_timeline(book, refs, nation, start, end),
                                    cover_timeline(before, refs, nation, start, end), tz)
        when = lost[key]
        if when is not None:
            by_issue.setdefault(issue.id, (issue, {}))[1].setdefault(when, []).append(area)
    return by_issue


def _lost_parts(registry: Registry, by_issue: dict[str, tuple[Issue, dict[str, list[str]]]]
                ) -> tuple[list[str], list[str]]:
    """The words for what a closure leaves with nobody ('noise-nuisance in north-moor while
    it lasts'), and the issue ids among them without a fallback."""
    by_place: dict[tuple[str, str], list[str]] = {}
    nobody = []
    for issue, whens in by_issue.values():
        for when, areas in whens.items():
            named = [a for a in areas if a != DEFAULT]
            where = f" in {_names(named)}" if named and len(named) < len(registry.areas) else ""
            by_place.setdefault((where, when), []).append(issue.id)
        if not issue.fallback:
            nobody.append(issue.id)
    # Those with nobody all the while first, then those with nobody for part of it.
    whole = [f"{_and(ids)}{where}" for (where, when), ids in by_place.items() if not when]
    parts = [f"{_and(ids)}{where}{when}" for (where, when), ids in by_place.items() if when]
    if whole:
        parts.insert(0, f"{'; '.join(whole)} while it lasts")
    return parts, nobody


def _lost_words(now: list[Stretch], before: list[Stretch], tz: ZoneInfo) -> str | None:
    """Where `now` has nobody but `before` had someone: None if nowhere, "" if `now` has
    nobody all the while, else ' on Thu 24 Dec 08:45-17:00' (and how many more times)."""
    from remitctl.cover.timeline import UNCOVERED

    gone = [(s.start, s.end) for s in now if s.status == UNCOVERED]
    had = [(s.start, s.end) for s in before if s.status != UNCOVERED]
    pieces: list[tuple[dt.datetime, dt.datetime]] = []
    i = 0
    for a, b in gone:
        while i < len(had) and had[i][1] <= a:
            i += 1
        j = i
        while j < len(had) and had[j][0] < b:
            lo, hi = max(a, had[j][0]), min(b, had[j][1])
            if pieces and pieces[-1][1] == lo:
                pieces[-1] = (pieces[-1][0], hi)
            else:
                pieces.append((lo, hi))
            j += 1
    if not pieces:
        return None
    if len(gone) == 1 and (gone[0][0], gone[0][1]) == (now[0].start, now[-1].end):
        return ""
    lo, hi = (t.astimezone(tz) for t in pieces[0])
    next_midnight = hi.time() == dt.time() and (hi.date() - lo.date()).days == 1
    until = (f"{hi:%H:%M}" if hi.date() == lo.date() or next_midnight
             else f"{hi:%a %d %b %H:%M}")
    until = "24:00" if until == "00:00" else until
    more = len(pieces) - 1
    return (f" on {lo:%a %d %b} {lo:%H:%M}–{until}" +
            (f" (and {more} more time{'s' if more > 1 else ''})" if more else ""))


def _cover_groups(registry: Registry, issue: Issue) -> list[tuple[str, tuple[str, ...]]]:
    """(area, lines) for each area, or ('default', lines) in a registry without areas."""
    if not registry.areas:
        return [(DEFAULT, issue.cover_for(None))]
    return [(area, issue.cover_for(area)) for area in registry.areas]


def _without_closure(registry: Registry, agency_id: str, closure: Closure) -> Registry:
    services = dict(registry.services)
    for ref in registry.agencies[agency_id].services:
        svc: Service = services[ref]
        services[ref] = dataclasses.replace(
            svc, closures=tuple(c for c in svc.closures if c is not closure))
    return dataclasses.replace(registry, services=services)


def no_one_to_call(registry: Registry, doc: Located, weeks: Weeks) -> Iterator[Problem]:
    """Issue types with no fallback and nobody covering them, all week, in some area."""
    from remitctl.cover.typical import WEEK, TypicalWeek

    typical: TypicalWeek | None = None
    for issue in registry.issues.values():
        if issue.fallback:
            continue
        empty: list[str] = []
        closed: list[str] = []
        for area, refs in _cover_groups(registry, issue):
            if not refs:
                empty.append(area)
                continue
            if typical is None:
                typical = TypicalWeek(registry, weeks.start.date())
            week = typical.cover(issue, area if area != DEFAULT else None)
            if week.uncovered_minutes >= WEEK:
                closed.append(area)
        if not empty and not closed:
            continue
        where = [*empty, *closed]
        everywhere = len(where) == len(registry.areas) or not registry.areas
        loc: tuple[str | int, ...] = ("issues", issue.id, "cover")
        own = [a for a in where if a in issue.cover]
        if len(own) == 1 and not everywhere:
            loc = (*loc, own[0])
        elif not own and DEFAULT in issue.cover:
            loc = (*loc, DEFAULT)
        place = "in any area" if everywhere and registry.areas else (
            "" if everywhere else f"in {_names(where)}")
        why = "its cover is empty" if not closed else (
            "its lines there are never open" if not empty else
            "its cover there is empty or never open")
        yield _warn(doc, loc,
                    f"{issue.id}: nobody covers it {place} ({why}) and it has no fallback: "
                    "an officer would get no one".replace("  ", " "),
                    "add a line to its cover there, or a 'fallback:' under the issue (usually "
                    "the police control room)", "no-one", key=True)


def dangers(registry: Registry, doc: Located, today: dt.date) -> list[Problem]:
    from remitctl.registry.fallback_open import fallback_shut

    weeks = Weeks(registry, today)
    usage = Usage(registry)
    return [*closed_all_week(registry, doc, weeks, usage),
            *shut_on_bank_holidays(registry, doc, weeks, usage),
            *agency_closures(registry, doc, weeks, usage, today),
            *line_closures(registry, doc, today),
            *no_one_to_call(registry, doc, weeks),
            *fallback_shut(registry, doc, weeks.start, today)]
