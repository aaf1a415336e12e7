"""The gap report: every stretch of a window in which nobody covers an issue type, as data.

Built on `cover_timeline`, the same timeline `who` reads, so a gap here is exactly an
instant at which `who` says nobody covers the issue. Arithmetic is on intervals of
real elapsed time in UTC: a week with the spring clock change has 167 hours.

A gap that a typical week would not have (a bank holiday, a dated closure) carries a
`Cause` naming it. A gap cut by the window's edge is followed up to `EDGE` further so
its whole length is known, which is what a policy limits.

This module holds the report's shapes and `gap_report`, which assembles them; the walk
over each window's timelines is `cover.gap_walk`, and the policy check that CI fails on
is `cover.policy_check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.cover.typical import steady_monday
from remitctl.hours import calendar
from remitctl.hours.calendar import local_instant as local_instant  # heat map, windows
from remitctl.registry.model import Issue, Policy, Registry

if TYPE_CHECKING:
    from remitctl.cover.gap_walk import Evaluation

UTC = dt.UTC
EDGE = dt.timedelta(days=8)  # how far past the window a cut gap is followed
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
RANK = {UNCOVERED: 0, UNCERTAIN: 1, COVERED: 2}
NOT_COVERED = (UNCOVERED, UNCERTAIN)
# How far certain cover is missing before and after the window (None: past EDGE).
Edges = tuple[dt.datetime | None, dt.datetime | None]


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC. A typical window ignores bank holidays and dated closures."""

    start: dt.datetime
    end: dt.datetime
    typical: bool = False

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Share:
    """Part of a gap picked up by one service line of the fallback chain (None: by nobody)."""

    ref: str | None
    duration: dt.timedelta


@dataclass(frozen=True)
class Cause:
    """The part of a gap that a typical week would have covered, and why it did not."""

    start: dt.datetime
    end: dt.datetime
    holidays: tuple[str, ...]  # bank-holiday names
    closures: tuple[tuple[str, str], ...]  # (service ref, reason)
    dated: tuple[tuple[str, str], ...] = ()  # (service ref, reason) of dated hours

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Gap:
    """[start, end) within the window with nobody on (uncovered) or only `unknown` lines."""

    status: str  # uncovered | uncertain
    start: dt.datetime
    end: dt.datetime
    cut_start: bool  # began before the window
    cut_end: bool  # goes on after the window
    whole_start: dt.datetime | None  # when cut: where it really begins (None: over EDGE before)
    whole_end: dt.datetime | None
    absorbed: tuple[Share, ...]  # who picks it up, in order of the fallback chain
    maybe: tuple[str, ...] = ()  # uncertain: the lines whose hours are unknown
    comment: str = ""
    causes: tuple[Cause, ...] = ()

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def dated(self) -> dt.timedelta:
        """How much of the gap exists only because of bank holidays or closures."""
        return sum((c.duration for c in self.causes), dt.timedelta())

    @property
    def only_dated(self) -> bool:
        """A typical week would have no gap here at all."""
        return bool(self.causes) and self.dated == self.duration


@dataclass(frozen=True)
class NoCover:
    """A stretch without certain cover (uncovered and uncertain gaps back to back), whole:
    followed past the window's edges, up to EDGE."""

    start: dt.datetime | None  # None: more than EDGE before the window
    end: dt.datetime | None
    length: dt.timedelta  # a lower bound when `at_least`
    at_least: bool
    uncertain: dt.timedelta  # how much of it (within the window) is uncertain cover
    causes: tuple[Cause, ...]

    @property
    def dated(self) -> bool:
        return bool(self.causes)


@dataclass(frozen=True)
class PolicyResult:
    policy: Policy
    longest: dt.timedelta  # the longest stretch without certain cover, whole length
    start: dt.datetime | None  # where that stretch begins (None: more than EDGE before)
    end: dt.datetime | None
    at_least: bool  # the stretch runs past the EDGE look-ahead: longer than `longest`
    uncertain: dt.timedelta  # how much of that stretch is uncertain cover rather than none

    @property
    def limit(self) -> dt.timedelta:
        return dt.timedelta(hours=self.policy.max_gap_hours)

    @property
    def breached(self) -> bool:
        return self.longest > self.limit


@dataclass(frozen=True)
class GapStats:
    """Totals of a tuple of gaps, worked out once: areas with the same hours share the tuple,
    and a national registry has tens of thousands of issue-and-area reports."""

    uncovered: dt.timedelta
    uncertain: dt.timedelta
    dated: dt.timedelta  # uncovered time due to bank holidays or closures
    longest: Gap | None  # the longest uncovered gap

    @staticmethod
    def of(gaps: tuple[Gap, ...]) -> GapStats:
        uncovered = [g for g in gaps if g.status == UNCOVERED]
        return GapStats(
            sum((g.duration for g in uncovered), dt.timedelta()),
            sum((g.duration for g in gaps if g.status == UNCERTAIN), dt.timedelta()),
            sum((g.dated for g in uncovered if g.causes), dt.timedelta()),
            max(uncovered, key=lambda g: g.duration) if uncovered else None)


@dataclass(frozen=True)
class AreaReport:
    """One issue type in one group of areas that share the same cover."""

    issue: Issue
    area: str | None  # the area computed for (None: the registry has no areas)
    areas: tuple[str, ...]  # the areas this report stands for
    nation: str
    lines: tuple[str, ...]  # cover, in order of preference
    window: Window
    gaps: tuple[Gap, ...]  # uncovered and uncertain, in time order
    policy: PolicyResult | None
    edges: Edges = (None, None)
    stats: GapStats = GapStats(dt.timedelta(), dt.timedelta(), dt.timedelta(), None)

    @property
    def weight(self) -> int:
        return max(1, len(self.areas))

    def total(self, status: str) -> dt.timedelta:
        return self.uncovered if status == UNCOVERED else self.uncertain

    @property
    def uncovered(self) -> dt.timedelta:
        return self.stats.uncovered

    @property
    def uncertain(self) -> dt.timedelta:
        return self.stats.uncertain

    @property
    def share(self) -> float:
        return self.uncovered / self.window.duration if self.window.duration else 0.0

    @property
    def dated(self) -> dt.timedelta:
        return self.stats.dated

    @property
    def longest(self) -> Gap | None:
        return self.stats.longest

    def without_cover(self) -> list[NoCover]:
        return without_cover(self.gaps, self.window, self.edges)

    def runs(self) -> list[tuple[dt.datetime, dt.datetime, str]]:
        """The whole window as (start, end, status): the gaps and the cover between them."""
        out: list[tuple[dt.datetime, dt.datetime, str]] = []
        at = self.window.start
        for g in self.gaps:
            if g.start > at:
                out.append((at, g.start, COVERED))
            out.append((g.start, g.end, g.status))
            at = g.end
        if at < self.window.end:
            out.append((at, self.window.end, COVERED))
        return out


@dataclass(frozen=True)
class IssueSummary:
    issue: Issue
    reports: tuple[AreaReport, ...]
    uncovered: dt.timedelta  # summed over areas
    uncertain: dt.timedelta
    share: float  # uncovered time over (window × areas)
    uncertain_share: float
    longest: Gap | None
    worst: AreaReport

    @property
    def breached(self) -> bool:
        return any(r.policy is not None and r.policy.breached for r in self.reports)


@dataclass(frozen=True)
class FallbackLoad:
    """Time a fallback agency picks up that belongs to partners, summed over areas."""

    agency: str | None  # None: nobody at all (every line of the fallback chain closed)
    uncovered: dt.timedelta
    uncertain: dt.timedelta  # picked up too if the uncertain line does not answer
    services: tuple[tuple[str | None, dt.timedelta], ...]
    issues: tuple[str, ...]


@dataclass(frozen=True)
class GapReport:
    registry: Registry
    window: Window
    reports: tuple[AreaReport, ...]
    issues: tuple[IssueSummary, ...]  # worst covered first
    fallbacks: tuple[FallbackLoad, ...]  # most hours first
    bank_holidays: tuple[tuple[dt.date, str, tuple[str, ...]], ...]  # (day, name, nations)
    areas: tuple[str, ...]  # the areas asked about

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.registry.timezone)


def midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """00:00 local time on `day`, as an instant."""
    return local_instant(day, 0, tz)


def typical_week(tz: ZoneInfo, around: dt.datetime) -> Window:
    """Monday 00:00 to Monday 00:00 of the week containing `around`; a week with a clock change
    (or one near enough to alter a gap running across its edges) gives way to the next."""
    monday = steady_monday(tz, around.astimezone(tz).date(), EDGE)
    return Window(midnight(monday, tz), midnight(monday + WEEK, tz), typical=True)


def window_from(start: dt.datetime, end: dt.datetime) -> Window:
    return Window(start.astimezone(UTC), end.astimezone(UTC))


def without_cover(gaps: tuple[Gap, ...], window: Window, edges: Edges) -> list[NoCover]:
    """Back-to-back gaps joined, each measured whole where it runs past the window's edges."""
    out: list[NoCover] = []
    i = 0
    while i < len(gaps):
        j = i
        while j + 1 < len(gaps) and gaps[j + 1].start == gaps[j].end:
            j += 1
        start: dt.datetime | None = gaps[i].start
        end: dt.datetime | None = gaps[j].end
        if gaps[i].start == window.start:
            start = edges[0]
        if gaps[j].end == window.end:
            end = edges[1]
        lo = start if start is not None else window.start - EDGE
        hi = end if end is not None else window.end + EDGE
        part = gaps[i:j + 1]
        out.append(NoCover(
            start, end, hi - lo, start is None or end is None,
            sum((g.duration for g in part if g.status == UNCERTAIN), dt.timedelta()),
            tuple(c for g in part for c in g.causes)))
        i = j + 1
    return out


def _policy(policy: Policy | None, gaps: tuple[Gap, ...], window: Window,
            edges: Edges) -> PolicyResult | None:
    """The longest stretch without certain cover, against the policy's limit."""
    if policy is None:
        return None
    runs = without_cover(gaps, window, edges)
    if not runs:
        return PolicyResult(policy, dt.timedelta(), None, None, False, dt.timedelta())
    worst = max(runs, key=lambda r: r.length)
    return PolicyResult(policy, worst.length, worst.start, worst.end, worst.at_least,
                        worst.uncertain)


def area_groups(registry: Registry, issue: Issue, areas: Sequence[str] | None
                ) -> list[tuple[str | None, tuple[str, ...]]]:
    """The asked-for areas grouped by what decides their gaps: nation, cover and policy."""
    if not registry.areas:
        return [(None, ())]
    chosen = list(areas) if areas else list(registry.areas)
    groups: dict[object, list[str]] = {}
    for a in chosen:
        key = (registry.nation_for(a), issue.cover_for(a), issue.policy_for(a))
        groups.setdefault(key, []).append(a)
    return [(members[0], tuple(members)) for members in groups.values()]


def gap_report(registry: Registry, issues: Sequence[Issue], window: Window,
               areas: Sequence[str] | None = None,
               by_issue: Mapping[str, Sequence[str]] | None = None) -> GapReport:
    """Every gap in cover of `issues` in `areas` (default: all) over `window`; `by_issue`
    narrows an issue to its own areas (a postcode's district or county, by cover)."""
    from remitctl.cover.gap_walk import Evaluation

    ev = Evaluation(registry, window)
    reports: list[AreaReport] = []
    stats: dict[int, GapStats] = {}  # the tuples stay alive in `reports`, so ids are stable
    for issue in issues:
        wanted = by_issue.get(issue.id, areas) if by_issue else areas
        for area, group in area_groups(registry, issue, wanted):
            nation = registry.nation_for(area)
            refs = issue.cover_for(area)
            gaps, edges = ev.gaps(refs, nation, issue.fallback)
            if id(gaps) not in stats:  # areas with the same hours share the tuple of gaps
                stats[id(gaps)] = GapStats.of(gaps)
            reports.append(AreaReport(
                issue=issue, area=area, areas=group, nation=nation, lines=refs, window=window,
                gaps=gaps, policy=_policy(issue.policy_for(area), gaps, window, edges),
                edges=edges, stats=stats[id(gaps)]))
    chosen = tuple(areas) if areas else tuple(registry.areas)
    return GapReport(
        registry=registry, window=window, reports=tuple(reports),
        issues=_summaries(issues, reports, window), fallbacks=_fallbacks(registry, reports),
        bank_holidays=() if window.typical else _holidays_in(ev, chosen, window),
        areas=chosen)


def _summaries(issues: Sequence[Issue], reports: list[AreaReport],
               window: Window) -> tuple[IssueSummary, ...]:
    out: list[IssueSummary] = []
    for issue in issues:
        mine = tuple(r for r in reports if r.issue.id == issue.id)
        if not mine:
            continue
        uncovered = sum((r.uncovered * r.weight for r in mine), dt.timedelta())
        uncertain = sum((r.uncertain * r.weight for r in mine), dt.timedelta())
        whole = window.duration * sum(r.weight for r in mine)
        longest = [g for r in mine if (g := r.longest) is not None]
        out.append(IssueSummary(
            issue=issue, reports=mine, uncovered=uncovered, uncertain=uncertain,
            share=uncovered / whole if whole else 0.0,
            uncertain_share=uncertain / whole if whole else 0.0,
            longest=max(longest, key=lambda g: g.duration) if longest else None,
            worst=max(mine, key=lambda r: (r.share, r.uncertain))))
    order = {i.id: n for n, i in enumerate(issues)}
    out.sort(key=lambda s: (-s.share, -s.uncertain_share, order[s.issue.id]))
    return tuple(out)


def _absorbed(gaps: tuple[Gap, ...]) -> dict[tuple[str, str | None], dt.timedelta]:
    """Time per (status, fallback line) in these gaps."""
    out: dict[tuple[str, str | None], dt.timedelta] = {}
    for g in gaps:
        for share in g.absorbed:
            key = (g.status, share.ref)
            out[key] = out.get(key, dt.timedelta()) + share.duration
    return out


def _fallbacks(registry: Registry, reports: list[AreaReport]) -> tuple[FallbackLoad, ...]:
    seen: dict[int, dict[tuple[str, str | None], dt.timedelta]] = {}
    time: dict[str | None, dict[str, dt.timedelta]] = {}
    services: dict[str | None, dict[str | None, dt.timedelta]] = {}
    issues: dict[str | None, dict[str, None]] = {}
    for r in reports:
        # Areas with the same hours share one tuple of gaps; add each up once.
        totals = seen.get(id(r.gaps))
        if totals is None:
            totals = seen[id(r.gaps)] = _absorbed(r.gaps)
        for (status, ref), amount in totals.items():
            agency = registry.services[ref].agency_id if ref else None
            per = time.setdefault(agency, {UNCOVERED: dt.timedelta(), UNCERTAIN: dt.timedelta()})
            per[status] += amount * r.weight
            if status == UNCOVERED:
                lines = services.setdefault(agency, {})
                lines[ref] = lines.get(ref, dt.timedelta()) + amount * r.weight
            issues.setdefault(agency, {})[r.issue.id] = None
    out = [FallbackLoad(agency, per[UNCOVERED], per[UNCERTAIN],
                        tuple(sorted(services.get(agency, {}).items(), key=lambda kv: -kv[1])),
                        tuple(issues[agency]))
           for agency, per in time.items()]
    out.sort(key=lambda f: (f.agency is None, -f.uncovered, -f.uncertain))
    return tuple(out)


def _holidays_in(ev: Evaluation, areas: tuple[str, ...], window: Window
                 ) -> tuple[tuple[dt.date, str, tuple[str, ...]], ...]:
    nations = sorted({ev.registry.nation_for(a) for a in areas} or {ev.registry.nation})
    first = window.start.astimezone(ev.tz).date()
    last = (window.end - dt.timedelta(microseconds=1)).astimezone(ev.tz).date()
    days: dict[tuple[dt.date, str], list[str]] = {}
    for nation in nations:
        for day, name in ev.book.holidays(nation).items():
            if first <= day <= last:
                days.setdefault((day, name), []).append(nation)
    return tuple((day, name, tuple(n)) for (day, name), n in sorted(days.items()))


def add_days(t: dt.datetime, days: int, tz: ZoneInfo) -> dt.datetime:
    """The same local clock time `days` calendar days on (a week over a clock change is 167
    or 169 hours of real time)."""
    local = t.astimezone(tz)
    day = local.date() + days * DAY
    return calendar.local_instant(day, local.hour * 60 + local.minute, tz) + dt.timedelta(
        seconds=local.second, microseconds=local.microsecond)
