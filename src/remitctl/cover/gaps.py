"""The gap report: every stretch of a window in which nobody covers an issue type, as data.

Built on `cover_timeline`, the same timeline `who` reads, so a gap here is exactly an
instant at which `who` says nobody covers the issue. Arithmetic is on intervals of
real elapsed time in UTC: a week with the spring clock change has 167 hours.

A gap that a typical week would not have (a bank holiday, a dated closure) carries a
`Cause` naming it. A gap cut by the window's edge is followed up to `EDGE` further so
its whole length is known, which is what a policy limits.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED, Stretch, cover_timeline
from remitctl.cover.typical import steady_monday
from remitctl.hours import calendar
from remitctl.hours.calendar import local_instant as local_instant  # heat map, windows
from remitctl.hours.schedule import OPEN, ScheduleBook, Span
from remitctl.registry.model import Issue, Policy, Registry

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


def _midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return local_instant(day, 0, tz)


def typical_week(tz: ZoneInfo, around: dt.datetime) -> Window:
    """Monday 00:00 to Monday 00:00 of the week containing `around`; a week with a clock change
    (or one near enough to alter a gap running across its edges) gives way to the next."""
    monday = steady_monday(tz, around.astimezone(tz).date(), EDGE)
    return Window(_midnight(monday, tz), _midnight(monday + WEEK, tz), typical=True)


def window_from(start: dt.datetime, end: dt.datetime) -> Window:
    return Window(start.astimezone(UTC), end.astimezone(UTC))


class _Evaluation:
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
        lead = _midnight(start.astimezone(self.tz).date(), self.tz)
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
                                                 _midnight(lo_day, self.tz),
                                                 _midnight(hi_day + DAY, self.tz))
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
            upto = min(end, _midnight(day + DAY, self.tz))
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
    ev = _Evaluation(registry, window)
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


def _holidays_in(ev: _Evaluation, areas: tuple[str, ...], window: Window
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


@dataclass(frozen=True)
class Breach:
    """A stretch without certain cover longer than a policy allows."""

    issue: Issue
    areas: tuple[str, ...]
    policy: Policy
    window: Window  # where it was found (typical: it happens every week)
    run: NoCover
    recurs: int = 0  # typical: how often the same breach recurs in the dated windows


@dataclass(frozen=True)
class PolicyCheck:
    windows: tuple[Window, ...]
    checked: tuple[tuple[Issue, tuple[str, ...], Policy], ...]  # every policy evaluated
    breaches: tuple[Breach, ...]

    @property
    def ok(self) -> bool:
        return not self.breaches


def check_windows(tz: ZoneInfo, today: dt.date) -> tuple[Window, Window]:
    """What `gaps --check` evaluates by default: the standing arrangements (a typical week)
    and the dated ones (bank holidays, closures, clock changes) of the next 365 days."""
    start = _midnight(today, tz)
    return typical_week(tz, start), Window(start, _midnight(today + 365 * DAY, tz))


def check_policies(registry: Registry, windows: Sequence[Window],
                   issues: Sequence[Issue] | None = None,
                   areas: Sequence[str] | None = None) -> PolicyCheck:
    """Every breach of a cover policy in `windows`. When a typical week is among them, a
    dated breach that is only that week's breach again (no bank holiday or closure in it)
    is counted against the typical one rather than listed."""
    chosen = [i for i in (issues if issues is not None else registry.issues.values())
              if i.policies]
    typical: dict[tuple[str, tuple[str, ...]], list[Breach]] = {}
    dated: list[Breach] = []
    checked: dict[tuple[str, tuple[str, ...]], tuple[Issue, tuple[str, ...], Policy]] = {}
    for window in windows:
        for r in gap_report(registry, chosen, window, areas).reports:
            if r.policy is None:
                continue
            key = (r.issue.id, r.areas)
            checked.setdefault(key, (r.issue, r.areas, r.policy.policy))
            limit = r.policy.limit
            runs = r.without_cover()
            starts = {run.start for run in runs}
            for run in runs:
                if window.typical and run.start is not None and run.start + WEEK in starts:
                    continue  # the week's last gap, seen again from its other end
                if run.length > limit:
                    breach = Breach(r.issue, r.areas, r.policy.policy, window, run)
                    (typical.setdefault(key, []) if window.typical else dated).append(breach)
    listed: list[Breach] = []
    recurs: dict[tuple[str, tuple[str, ...]], int] = {}
    for b in dated:
        key = (b.issue.id, b.areas)
        if key in typical and not b.run.dated:
            recurs[key] = recurs.get(key, 0) + 1
        else:
            listed.append(b)
    for key, found in typical.items():
        listed.extend(replace(b, recurs=recurs.get(key, 0) if n == 0 else 0)
                      for n, b in enumerate(found))
    order = {key: n for n, key in enumerate(checked)}
    listed.sort(key=lambda b: (order[(b.issue.id, b.areas)], not b.window.typical,
                               b.run.start or b.window.start))
    return PolicyCheck(tuple(windows), tuple(checked.values()), tuple(listed))


def add_days(t: dt.datetime, days: int, tz: ZoneInfo) -> dt.datetime:
    """The same local clock time `days` calendar days on (a week over a clock change is 167
    or 169 hours of real time)."""
    local = t.astimezone(tz)
    day = local.date() + days * DAY
    return calendar.local_instant(day, local.hour * 60 + local.minute, tz) + dt.timedelta(
        seconds=local.second, microseconds=local.microsecond)
