"""Each incident judged with the engine `who` uses, and the judgements added up.

For every issue type and area among the incidents, the cover timeline (`cover_timeline`,
which `who` and `gaps` read) is built once over the whole period, from the local midnight
before the first incident to the one after the last; each incident is then a binary
search into it. An incident is *covered* (by the first open line), *uncertain* (only lines
with unknown hours), or *uncovered*: then the fallback chain says who absorbed it, and the
typical-week timeline (no bank holidays, no closures) says whether the gap exists only
because of a bank holiday or closure.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from remitctl.cover.gaps import local_instant
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED, cover_timeline
from remitctl.evidence.incidents import Incidents
from remitctl.hours.schedule import OPEN, ScheduleBook
from remitctl.registry.model import Registry

STATUSES = (COVERED, UNCERTAIN, UNCOVERED)  # index = the status code stored per incident
_RANK = (2, 1, 0)  # better cover ranks higher
HOURS_OF_WEEK = 7 * 24
NOBODY = -1


@dataclass
class _Timeline:
    starts: list[int]
    status: list[int]
    primary: list[int]  # index into Judgement.lines, NOBODY for none


@dataclass
class Tally:
    """Counts for one group of incidents (an issue type in an area, an agency, all)."""

    incidents: int = 0
    covered: int = 0
    uncertain: int = 0
    uncovered: int = 0
    holiday_or_closure: int = 0
    minutes: float = 0.0
    minutes_uncovered: float = 0.0
    minutes_uncertain: float = 0.0
    with_minutes: int = 0

    def add(self, other: Tally) -> None:
        for name in ("incidents", "covered", "uncertain", "uncovered", "holiday_or_closure",
                     "minutes", "minutes_uncovered", "minutes_uncertain", "with_minutes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def share(self, status: str) -> float:
        return getattr(self, status) / self.incidents if self.incidents else 0.0


@dataclass
class GroupResult:
    """One issue type in one area (None: the rows named no area, and cover is the same
    everywhere), with the area whose cover decided it."""

    issue: str
    area: str | None
    decided_by: str | None
    agency: str | None  # the agency of the issue's first covering line there (None: no cover)
    lines: tuple[str, ...]
    tally: Tally = field(default_factory=Tally)
    covered_by: dict[str, int] = field(default_factory=dict)
    absorbed_by: dict[str | None, int] = field(default_factory=dict)  # not covered: fallback
    reasons: dict[str, int] = field(default_factory=dict)  # holiday or closure names
    heat: list[int] = field(default_factory=lambda: [0] * HOURS_OF_WEEK)  # uncovered
    heat_all: list[int] = field(default_factory=lambda: [0] * HOURS_OF_WEEK)
    months: dict[str, list[int]] = field(default_factory=dict)  # YYYY-MM → [all, uncovered]


@dataclass
class AgencyResult:
    agency: str | None  # None: issue types nobody covers in that area
    tally: Tally = field(default_factory=Tally)
    issues: dict[str, None] = field(default_factory=dict)


@dataclass
class FallbackResult:
    """Incidents outside partner cover picked up by one fallback line (None: nobody open)."""

    service: str | None
    agency: str | None
    incidents: int = 0
    minutes: float = 0.0


@dataclass
class Judgement:
    registry: Registry
    incidents: Incidents
    start: dt.datetime  # the period judged: local midnight before the first incident (UTC)
    end: dt.datetime  # local midnight after the last
    first: dt.datetime | None
    last: dt.datetime | None
    lines: list[str]  # service refs indexed by the per-incident arrays
    reasons: list[str]  # holiday and closure explanations, indexed likewise
    status: array[int]  # per incident: index into STATUSES
    by: array[int]  # covered or uncertain: the answering line; not covered: the absorbing one
    dated: array[int]  # index into `reasons` when the gap is only a holiday's or closure's
    groups: list[GroupResult]  # worst first
    agencies: list[AgencyResult]
    fallbacks: list[FallbackResult]
    total: Tally
    heat: list[int]  # uncovered incidents by local hour of week (Monday 00:00 first)
    heat_all: list[int]
    months: dict[str, list[int]]

    def headline(self) -> GroupResult | None:
        return self.groups[0] if self.groups and self.groups[0].tally.uncovered else None


def _epoch(t: dt.datetime) -> int:
    return math.floor(t.timestamp())


def judge(registry: Registry, incidents: Incidents) -> Judgement:
    tz = ZoneInfo(registry.timezone)
    n = len(incidents)
    lines: list[str] = []
    line_index: dict[str | None, int] = {None: NOBODY}

    def index_of(ref: str | None) -> int:
        if ref not in line_index:
            line_index[ref] = len(lines)
            lines.append(ref)  # type: ignore[arg-type]
        return line_index[ref]

    when = incidents.when
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    if n:
        lo, hi = min(when), max(when)
        first = dt.datetime.fromtimestamp(lo, dt.UTC)
        last = dt.datetime.fromtimestamp(hi, dt.UTC)
        start = local_instant(first.astimezone(tz).date(), 0, tz)
        end = local_instant(last.astimezone(tz).date() + dt.timedelta(days=1), 0, tz)
    else:
        start = end = local_instant(dt.date.today(), 0, tz)
    book = ScheduleBook.around(registry, start, end)
    plain: ScheduleBook | None = None

    # Per group: its timeline (shared between groups with the same lines and nation), the
    # fallback chain's open spans, and the typical timeline (made only when needed).
    timelines: dict[tuple[tuple[str, ...], str], _Timeline] = {}
    typical: dict[tuple[tuple[str, ...], str], _Timeline] = {}
    chains: dict[tuple[str | None, str], list[tuple[int, list[int], list[bool]]]] = {}
    results: list[GroupResult] = []
    group_keys: list[tuple[tuple[str, ...], str, str | None]] = []

    def timeline_of(b: ScheduleBook, refs: tuple[str, ...], nation: str) -> _Timeline:
        stretches = cover_timeline(b, refs, nation, start, end) if end > start else []
        return _Timeline([_epoch(s.start) for s in stretches],
                         [STATUSES.index(s.status) for s in stretches],
                         [index_of(s.primary) for s in stretches])

    for issue_id, area, decide in incidents.groups:
        issue = registry.issues[issue_id]
        nation = registry.nation_for(decide)
        refs = issue.cover_for(decide)
        if (refs, nation) not in timelines:
            timelines[(refs, nation)] = timeline_of(book, refs, nation)
        if (issue.fallback, nation) not in chains:
            chain = []
            seen: set[str] = set()
            ref = issue.fallback
            while ref is not None and ref not in seen and ref in registry.services:
                seen.add(ref)
                spans = book.schedule(ref, nation).spans(start, end) if end > start else []
                chain.append((index_of(ref), [_epoch(s.start) for s in spans],
                              [s.state == OPEN for s in spans]))
                ref = registry.services[ref].fallback
            chains[(issue.fallback, nation)] = chain
        group_keys.append((refs, nation, issue.fallback))
        results.append(GroupResult(
            issue_id, area, decide,
            registry.services[refs[0]].agency_id if refs else None, refs))

    status = array("b", bytes(n))
    by = array("i", [NOBODY]) * n
    dated = array("i", [NOBODY]) * n
    reasons: list[str] = []
    reason_index: dict[str, int] = {}
    day_reason: dict[tuple[tuple[str, ...], str, int], int] = {}
    months_of: dict[int, str] = {}
    clock = incidents.clock
    minutes = incidents.minutes
    group_of = incidents.group
    heat_total = [0] * HOURS_OF_WEEK
    heat_all_total = [0] * HOURS_OF_WEEK
    month_total: dict[str, list[int]] = {}
    tallies = [r.tally for r in results]

    def reason_for(refs: tuple[str, ...], nation: str, local_day: int) -> int:
        k = (refs, nation, local_day)
        if k not in day_reason:
            day = dt.date.fromordinal(local_day + dt.date(1970, 1, 1).toordinal())
            words = _reasons(registry, book, refs, nation, day) or _reasons(
                registry, book, refs, nation, day - dt.timedelta(days=1))
            text = words or "bank holiday or closure"
            if text not in reason_index:
                reason_index[text] = len(reasons)
                reasons.append(text)
            day_reason[k] = reason_index[text]
        return day_reason[k]

    for k in range(n):
        g = group_of[k]
        t = when[k]
        refs, nation, fallback = group_keys[g]
        tl = timelines[(refs, nation)]
        i = bisect_right(tl.starts, t) - 1
        code = tl.status[i]
        status[k] = code
        result = results[g]
        tally = tallies[g]
        m = minutes[k]
        has_minutes = m == m  # not NaN
        local = clock.local(t)
        day = local // 86400
        how = ((day + 3) % 7) * 24 + (local % 86400) // 3600
        month = months_of.get(day)
        if month is None:
            d = dt.date(1970, 1, 1) + dt.timedelta(days=day)
            month = months_of[day] = f"{d.year:04d}-{d.month:02d}"
        per_month = result.months.get(month)
        if per_month is None:
            per_month = result.months[month] = [0, 0]
        per_month[0] += 1
        result.heat_all[how] += 1
        tally.incidents += 1
        if has_minutes:
            tally.minutes += m
            tally.with_minutes += 1
        if code == 0:
            tally.covered += 1
            primary = tl.primary[i]
            by[k] = primary
            name = lines[primary]
            result.covered_by[name] = result.covered_by.get(name, 0) + 1
            continue
        if code == 1:
            tally.uncertain += 1
            if has_minutes:
                tally.minutes_uncertain += m
        else:
            tally.uncovered += 1
            per_month[1] += 1
            result.heat[how] += 1
            if has_minutes:
                tally.minutes_uncovered += m
        absorbed = NOBODY
        for ref_index, starts, open_ in chains[(fallback, nation)]:
            j = bisect_right(starts, t) - 1
            if j >= 0 and open_[j]:
                absorbed = ref_index
                break
        if code == 2:
            by[k] = absorbed
            name_or_none = lines[absorbed] if absorbed != NOBODY else None
            result.absorbed_by[name_or_none] = result.absorbed_by.get(name_or_none, 0) + 1
        else:
            by[k] = tl.primary[i]
        usual = typical.get((refs, nation))
        if usual is None:
            plain = plain or ScheduleBook.around(registry, start, end, typical=True)
            usual = typical[(refs, nation)] = timeline_of(plain, refs, nation)
        u = usual.status[bisect_right(usual.starts, t) - 1]
        if _RANK[u] > _RANK[code]:
            reason = reason_for(refs, nation, day)
            dated[k] = reason
            tally.holiday_or_closure += 1
            text = reasons[reason]
            result.reasons[text] = result.reasons.get(text, 0) + 1

    total = Tally()
    agencies: dict[str | None, AgencyResult] = {}
    fallbacks: dict[str | None, FallbackResult] = {}
    for r in results:
        total.add(r.tally)
        a = agencies.setdefault(r.agency, AgencyResult(r.agency))
        a.tally.add(r.tally)
        a.issues[r.issue] = None
        for h in range(HOURS_OF_WEEK):
            heat_total[h] += r.heat[h]
            heat_all_total[h] += r.heat_all[h]
        for month, (count, uncovered) in r.months.items():
            per = month_total.setdefault(month, [0, 0])
            per[0] += count
            per[1] += uncovered
    # Officer minutes per absorbing line come from the incidents themselves.
    for k in range(n):
        if status[k] != 2:
            continue
        ref = lines[by[k]] if by[k] != NOBODY else None
        f = fallbacks.get(ref)
        if f is None:
            f = fallbacks[ref] = FallbackResult(
                ref, registry.services[ref].agency_id if ref else None)
        f.incidents += 1
        m = minutes[k]
        if m == m:
            f.minutes += m

    order = {issue_id: n for n, issue_id in enumerate(registry.issues)}
    area_order = {a: n for n, a in enumerate(registry.areas)}
    results.sort(key=lambda r: (-r.tally.uncovered, -r.tally.share(UNCOVERED),
                                -r.tally.uncertain, order[r.issue],
                                area_order.get(r.area or "", -1)))
    agency_list = sorted(agencies.values(),
                         key=lambda a: (-a.tally.uncovered, -a.tally.share(UNCOVERED),
                                        a.agency is None, a.agency or ""))
    fallback_list = sorted(fallbacks.values(),
                           key=lambda f: (f.service is None, -f.incidents, f.service or ""))
    return Judgement(
        registry=registry, incidents=incidents, start=start, end=end, first=first, last=last,
        lines=lines, reasons=reasons, status=status, by=by, dated=dated, groups=results,
        agencies=agency_list, fallbacks=fallback_list, total=total, heat=heat_total,
        heat_all=heat_all_total, months=dict(sorted(month_total.items())))


def _reasons(registry: Registry, book: ScheduleBook, refs: tuple[str, ...], nation: str,
             day: dt.date) -> str:
    """The bank holiday and closures that changed these lines' hours on `day`, in words."""
    services = [registry.services[r] for r in refs]
    words = []
    name = book.bank_holiday(nation, day)
    if name and any(s.bank_holidays != "normal" for s in services):
        words.append(f"{name} (bank holiday)")
    words += [f"{s.label} closed: {c.reason}" for s in services for c in s.closures
              if c.covers(day)]
    return "; ".join(dict.fromkeys(words))
