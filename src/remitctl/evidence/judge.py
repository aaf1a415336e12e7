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
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from operator import add, mul, sub
from zoneinfo import ZoneInfo

from remitctl.cover.gaps import local_instant
from remitctl.cover.timeline import UNCOVERED
from remitctl.evidence.counting import SEARCH, Cells, count_segments, counter_for
from remitctl.evidence.covers import STATUSES, Key, Raw, epoch, key_of, work_out
from remitctl.evidence.rows import Incidents
from remitctl.evidence.segments import NOBODY, Segments, Shape, Timeline, cut, shape_of
from remitctl.hours.schedule import ScheduleBook
from remitctl.registry.model import Registry

__all__ = ["HOURS_OF_WEEK", "NOBODY", "STATUSES", "AgencyResult", "FallbackResult", "GroupResult",
           "Judgement", "Tally", "judge"]

HOURS_OF_WEEK = 7 * 24


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
    lines: list[str]  # service refs indexed by `by`
    reasons: list[str]  # holiday and closure explanations, indexed by `dated`
    base_of: list[int]  # per group: the number of its first segment
    segments: list[Segments]  # per group (the incidents' group index)
    reason_of_cell: dict[int, int]  # segment number → index into `reasons`
    groups: list[GroupResult]  # worst first
    agencies: list[AgencyResult]
    fallbacks: list[FallbackResult]
    total: Tally
    heat: list[int]  # uncovered incidents by local hour of week (Monday 00:00 first)
    heat_all: list[int]
    months: dict[str, list[int]]

    def headline(self) -> GroupResult | None:
        return self.groups[0] if self.groups and self.groups[0].tally.uncovered else None

    def incident(self, k: int) -> tuple[int, int, int]:
        """Incident k's status (index into STATUSES), the line that answered or absorbed it
        (index into `lines`, NOBODY for none) and its holiday or closure reason (NOBODY)."""
        g = self.incidents.group[k]
        seg = self.segments[g]
        i = bisect_right(seg.starts, self.incidents.when[k]) - 1
        cell = self.base_of[g] + i
        return seg.status[i], seg.by[i], self.reason_of_cell.get(cell, NOBODY)



def judge(registry: Registry, incidents: Incidents, counter: str | None = None) -> Judgement:
    """`counter`: how incidents are counted (evidence/counting.py; None: by their number)."""
    tz = ZoneInfo(registry.timezone)
    n = len(incidents)
    vectors = counter_for(n, counter) == "numpy"  # segments and counts with numpy
    lines: list[str] = []
    line_index: dict[str | None, int] = {None: NOBODY}

    def index_of(ref: str | None) -> int:
        if ref not in line_index:
            line_index[ref] = len(lines)
            lines.append(ref)  # type: ignore[arg-type]
        return line_index[ref]

    first: dt.datetime | None = None
    last: dt.datetime | None = None
    if n:
        lo, hi = incidents.span()
        first = dt.datetime.fromtimestamp(lo, dt.UTC)
        last = dt.datetime.fromtimestamp(hi, dt.UTC)
        start = local_instant(first.astimezone(tz).date(), 0, tz)
        end = local_instant(last.astimezone(tz).date() + dt.timedelta(days=1), 0, tz)
    else:
        start = end = local_instant(dt.date.today(), 0, tz)
    book = ScheduleBook.around(registry, start, end)

    # The period's local hours: their UTC starts, hour of week and month.
    clock = incidents.clock
    hours = list(range(epoch(start), epoch(end), 3600)) or [epoch(start)]
    hour_local = list(map(clock.local, hours))
    if any(x % 3600 for x in hour_local):  # a zone that changes its clocks by 30 minutes
        hours = []
        t, stop = epoch(start), epoch(end)
        while t < stop:  # quarter hours
            if clock.local(t) % 3600 == 0 or not hours:
                hours.append(t)
            t += 900
        hours = hours or [epoch(start)]
        hour_local = [clock.local(h) for h in hours]
    hour_of_week = [((x // 86400 + 3) % 7) * 24 + (x % 86400) // 3600 for x in hour_local]
    month_of: dict[int, str] = {}
    for x in hour_local:
        d = x // 86400
        if d not in month_of:
            month_of[d] = f"{dt.date(1970, 1, 1) + dt.timedelta(days=d):%Y-%m}"
    hour_month = [month_of[x // 86400] for x in hour_local]

    # Segments per group, shared between groups with the same lines, nation and fallback,
    # from their cover (covers.py): worked out ahead while the file was read, or here.
    keys = list(dict.fromkeys(key_of(registry, i, d) for i, _, d in incidents.groups))
    ahead = incidents.covers
    period = (epoch(start), epoch(end))
    got = {k: c for k in keys if ahead is not None
           and (c := ahead.over(k, *period)) is not None}
    got.update(work_out(registry, [k for k in keys if k not in got], start, end))

    def timeline(raw: Raw) -> Timeline:
        return Timeline(raw[0], raw[1], [index_of(p) for p in raw[2]])

    made: dict[Key, Segments] = {}
    for k3 in keys:  # lines numbered in the keys' order
        usual, actual, chain = got[k3]
        typical = timeline(usual) if usual is not None else None
        made[k3] = cut(timeline(actual), typical,
                        [(index_of(ref), s, o) for ref, s, o in chain], hours, vectors)
    segments: list[Segments] = []
    results: list[GroupResult] = []
    group_keys: list[tuple[tuple[str, ...], str]] = []
    for issue_id, area, decide in incidents.groups:
        issue = registry.issues[issue_id]
        nation = registry.nation_for(decide)
        refs = issue.cover_for(decide)
        segments.append(made[(refs, nation, issue.fallback)])
        group_keys.append((refs, nation))
        results.append(GroupResult(
            issue_id, area, decide,
            registry.services[refs[0]].agency_id if refs else None, refs))

    # Incidents are counted per segment, and their officer minutes per kind of segment,
    # without a Python statement per row (evidence/counting.py): every local hour starts a
    # segment, so an incident's hour and its group name its segment, unless the cover
    # changes inside that hour; then a search into the group's segments does.
    base_of: list[int] = []
    shapes: dict[int, Shape] = {}
    shapes_of: list[Shape] = []
    cell_of_hour: list[int] = []  # (group, 1 + hour) → its segment number, or SEARCH
    total_segments = 0
    for seg in segments:
        base_of.append(total_segments)
        shape = shapes.get(id(seg))
        if shape is None:
            shape = shapes[id(seg)] = shape_of(seg, len(hours), vectors)
        shapes_of.append(shape)
        cell_of_hour.append(SEARCH)
        cell_of_hour.extend(map(add, shape.hour_starts, repeat(total_segments)))
        for k in shape.split_hours:
            cell_of_hour[k - len(shape.hour_starts)] = SEARCH
        total_segments += len(seg.starts)
    base_of.append(total_segments)
    # Minutes: by kind of segment (group, status, line), the only way they are added up.
    kind_of_cell: list[int] = []
    kind_base: list[int] = []  # per group: the number of its first kind
    for shape in shapes_of:
        kind_base.append(len(kind_base) and
                         kind_base[-1] + len(shapes_of[len(kind_base) - 1].kinds))
        kind_of_cell.extend(map(add, shape.kind_index, repeat(kind_base[-1])))
    kinds = kind_base[-1] + len(shapes_of[-1].kinds) if shapes_of else 0
    counts, tenths_of, timed_of = count_segments(
        incidents, Cells(hours, cell_of_hour, base_of, [s.starts for s in segments],
                         kind_of_cell, kinds), "numpy" if vectors else "python")

    # Per group, sums over its segments by kind (status and line), by local hour of the
    # week and by month: sums of slices and of `compress`, in C; Python only per kind.
    how_hours: list[list[int]] = [[] for _ in range(HOURS_OF_WEEK)]
    for k, how in enumerate(hour_of_week):
        how_hours[how].append(k)
    month_spans: list[tuple[str, int, int]] = []
    for k, month in enumerate(hour_month):
        if not month_spans or month_spans[-1][0] != month:
            month_spans.append((month, k, k + 1))
        else:
            month_spans[-1] = (month, month_spans[-1][1], k + 1)
    reasons: list[str] = []
    reason_index: dict[str, int] = {}
    day_reason: dict[tuple[tuple[str, ...], str, int], int] = {}
    fallbacks: dict[str | None, FallbackResult] = {}
    reason_of_cell: dict[int, int] = {}
    for g, seg in enumerate(segments):
        lo, hi = base_of[g], base_of[g + 1]
        cnt = counts[lo:hi]
        result, tally = results[g], results[g].tally
        tally.incidents = sum(cnt)
        if not tally.incidents:
            continue
        shape = shapes_of[g]
        for k, ((code, by), mask) in enumerate(shape.kinds.items(), kind_base[g]):
            n = sum(compress(cnt, mask))
            if not n:
                continue
            minutes = tenths_of[k] / 10
            tally.minutes += minutes
            tally.with_minutes += timed_of[k]
            if code == 0:
                tally.covered += n
                name = lines[by]
                result.covered_by[name] = result.covered_by.get(name, 0) + n
                continue
            if code == 1:
                tally.uncertain += n
                tally.minutes_uncertain += minutes
                continue
            tally.uncovered += n
            tally.minutes_uncovered += minutes
            ref = lines[by] if by != NOBODY else None
            result.absorbed_by[ref] = result.absorbed_by.get(ref, 0) + n
            f = fallbacks.get(ref)
            if f is None:
                f = fallbacks[ref] = FallbackResult(
                    ref, registry.services[ref].agency_id if ref else None)
            f.incidents += n
            f.minutes += minutes
        # By local hour: every hour starts a segment, so an hour's incidents are a slice.
        cum = [0, *accumulate(cnt)]
        per_hour = list(map(sub, map(cum.__getitem__, shape.hour_ends),
                            map(cum.__getitem__, shape.hour_starts)))
        cum = [0, *accumulate(map(mul, cnt, shape.uncovered))]
        per_hour_u = list(map(sub, map(cum.__getitem__, shape.hour_ends),
                              map(cum.__getitem__, shape.hour_starts)))
        if vectors:  # the same sums, by numpy's bincount
            result.heat_all = _by_hour_of_week(hour_of_week, per_hour)
            result.heat = _by_hour_of_week(hour_of_week, per_hour_u)
        else:
            for how, ks in enumerate(how_hours):
                result.heat_all[how] = sum(map(per_hour.__getitem__, ks))
                result.heat[how] = sum(map(per_hour_u.__getitem__, ks))
        for month, k0, k1 in month_spans:
            n = sum(per_hour[k0:k1])
            if n:
                result.months[month] = [n, sum(per_hour_u[k0:k1])]
        refs, nation = group_keys[g]
        for i in shape.dated:  # uncovered or uncertain only because of a holiday or closure
            n = cnt[i]
            if not n:
                continue
            local_day = hour_local[seg.hour[i]] // 86400
            key = (refs, nation, local_day)
            if key not in day_reason:
                day = dt.date(1970, 1, 1) + dt.timedelta(days=local_day)
                text = _reasons(registry, book, refs, nation, day) or _reasons(
                    registry, book, refs, nation, day - dt.timedelta(days=1)) or \
                    "bank holiday or closure"
                if text not in reason_index:
                    reason_index[text] = len(reasons)
                    reasons.append(text)
                day_reason[key] = reason_index[text]
            reason_of_cell[lo + i] = day_reason[key]
            tally.holiday_or_closure += n
            text = reasons[day_reason[key]]
            result.reasons[text] = result.reasons.get(text, 0) + n
    base_of.pop()

    total = Tally()
    agencies: dict[str | None, AgencyResult] = {}
    heat_total = [0] * HOURS_OF_WEEK
    heat_all_total = [0] * HOURS_OF_WEEK
    month_total: dict[str, list[int]] = {}
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
        lines=lines, reasons=reasons, base_of=base_of, segments=segments,
        reason_of_cell=reason_of_cell, groups=results, agencies=agency_list,
        fallbacks=fallback_list, total=total, heat=heat_total, heat_all=heat_all_total,
        months=dict(sorted(month_total.items())))


def _by_hour_of_week(hour_of_week: list[int], counts: list[int]) -> list[int]:
    import numpy as np

    sums: list[int] = np.bincount(np.asarray(hour_of_week, dtype=np.int64),
                                  weights=np.asarray(counts, dtype=np.float64),
                                  minlength=HOURS_OF_WEEK).round().astype(np.int64).tolist()
    return sums


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
