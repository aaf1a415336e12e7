"""What a registry change does: cover in a typical week before and after, for each issue
type and area, and every entry added, removed or changed. `remitctl diff` renders it.

Gaps *opened* are times in a typical week when nobody covered an issue after the change
but someone did before, for issue types and areas present in both registries; a new
issue type or area reports its gaps without counting them as opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from remitctl.cover.typical import WEEK, TypicalWeek, WeekCover, WeekSpan, describe, subtract
from remitctl.registry.model import Closure, Issue, Registry, Service

KINDS = ("issues", "services", "agencies", "areas")


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class EntryChange:
    kind: str  # "registry", "area", "agency", "service" or "issue"
    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class CoverChange:
    issue: str
    title: str
    area: str | None  # None: a registry without areas
    before: WeekCover | None  # None: the issue type or area is new
    after: WeekCover | None  # None: the issue type or area was removed
    opened: tuple[WeekSpan, ...] = ()
    closed: tuple[WeekSpan, ...] = ()
    area_name: str | None = None  # the area's name, as people know it


@dataclass(frozen=True)
class PolicyChange:
    """A cover policy the change breaks (held before, breached after in a typical week), or
    one it mends."""

    issue: str
    title: str
    areas: tuple[str, ...]  # ids; () in a registry without areas
    area_names: tuple[str, ...]
    max_gap_hours: float
    longest_minutes: int  # the longest gap after the change (broken) or before (mended)
    longest_words: str  # when the gaps too long are, e.g. 'Mon–Fri 12:00–17:00'
    line: int  # where the policy is in the new registry (the old one, when mended)


@dataclass(frozen=True)
class RegistryDiff:
    old: str
    new: str
    week_of: dt.date  # the Monday of the typical week compared
    cover: tuple[CoverChange, ...]
    unchanged_cover: int  # issue-area pairs whose typical week did not change
    added: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    changed: tuple[EntryChange, ...] = ()
    broken: tuple[PolicyChange, ...] = ()  # cover policies the change breaks
    mended: tuple[PolicyChange, ...] = ()  # cover policies breached before and met after

    @property
    def new_gaps(self) -> bool:
        return any(c.opened for c in self.cover)

    @property
    def is_empty(self) -> bool:
        return not (self.cover or self.changed or any(self.added.values())
                    or any(self.removed.values()))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "(none)"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fields(pairs: list[tuple[str, object, object]]) -> tuple[Change, ...]:
    return tuple(Change(name, _text(a), _text(b)) for name, a, b in pairs if a != b)


def _closures(closures: tuple[Closure, ...], scope: str) -> list[str]:
    return [f"{c.start.isoformat()} to {c.end.isoformat()} ({c.reason})"
            for c in closures if c.scope == scope]


def _dated(s: Service) -> list[str]:
    return [f"{d.start.isoformat()} to {d.end.isoformat()} {d.words} ({d.reason})"
            for d in s.dated_hours]


def _service_changes(a: Service, b: Service) -> tuple[Change, ...]:
    pairs: list[tuple[str, object, object]] = [
        ("name", a.name, b.name),
        *[(f"contact.{k}", getattr(a.contact, k), getattr(b.contact, k))
          for k in ("phone", "email", "web", "other")],
        ("hours", a.hours, b.hours),
        ("bank_holidays", a.bank_holidays, b.bank_holidays),
        ("closures", _closures(a.closures, "service"), _closures(b.closures, "service")),
        ("dated_hours", _dated(a), _dated(b)),
        ("agency_closures", "apply" if a.agency_closures else "ignore",
         "apply" if b.agency_closures else "ignore"),
        ("fallback", a.fallback, b.fallback),
        ("notes", a.notes, b.notes),
        ("verified", a.verified, b.verified),
    ]
    return _fields(pairs)


def _policy(issue: Issue) -> list[str]:
    return [f"{p.area or 'every area'}: {p.max_gap_hours:g} h" for p in issue.policies]


def _issue_changes(a: Issue, b: Issue) -> tuple[Change, ...]:
    pairs: list[tuple[str, object, object]] = [
        ("title", a.title, b.title),
        ("aliases", list(a.aliases), list(b.aliases)),
        ("remit", a.remit, b.remit),
        ("legal_basis", a.legal_basis, b.legal_basis),
    ]
    for key in dict.fromkeys([*a.cover, *b.cover]):
        pairs.append((f"cover.{key}", a.cover.get(key), b.cover.get(key)))
    pairs += [("fallback", a.fallback, b.fallback), ("policy", _policy(a), _policy(b))]
    return _fields(pairs)


def _entries(old: Registry, new: Registry) -> list[EntryChange]:
    out = []
    top = _fields([("name", old.name, new.name), ("timezone", old.timezone, new.timezone),
                   ("bank_holidays", old.nation, new.nation)])
    if top:
        out.append(EntryChange("registry", "", top))
    for area_id in old.areas.keys() & new.areas.keys():
        a, b = old.areas[area_id], new.areas[area_id]
        found = _fields([("name", a.name, b.name), ("description", a.description, b.description),
                         ("bank_holidays", a.nation, b.nation)])
        if found:
            out.append(EntryChange("area", area_id, found))
    for agency_id in old.agencies.keys() & new.agencies.keys():
        x, y = old.agencies[agency_id], new.agencies[agency_id]
        found = _fields([("name", x.name, y.name), ("kind", x.kind, y.kind),
                         ("closures", _closures(x.closures, "agency"),
                          _closures(y.closures, "agency"))])
        if found:
            out.append(EntryChange("agency", agency_id, found))
    for ref in old.services.keys() & new.services.keys():
        found = _service_changes(old.services[ref], new.services[ref])
        if found:
            out.append(EntryChange("service", ref, found))
    for issue_id in old.issues.keys() & new.issues.keys():
        found = _issue_changes(old.issues[issue_id], new.issues[issue_id])
        if found:
            out.append(EntryChange("issue", issue_id, found))
    order = {"registry": 0, "area": 1, "agency": 2, "service": 3, "issue": 4}
    return sorted(out, key=lambda e: (order[e.kind], e.id))


def _signature(registry: Registry, issue: Issue, area: str | None) -> tuple[object, ...]:
    """Everything a typical week of cover depends on."""
    refs = issue.cover_for(area)
    return (registry.timezone, refs, tuple(registry.services[r].hours for r in refs))


def compare(old: Registry, new: Registry, old_label: str, new_label: str,
            today: dt.date) -> RegistryDiff:
    from zoneinfo import ZoneInfo

    from remitctl.cover.typical import steady_monday

    monday = steady_monday(ZoneInfo(new.timezone),
                           today + dt.timedelta(days=(7 - today.weekday()) % 7))
    before, after = TypicalWeek(old, monday), TypicalWeek(new, monday)
    areas: list[str | None] = list(dict.fromkeys([*old.areas, *new.areas])) or [None]
    cover: list[CoverChange] = []
    unchanged = 0
    for issue_id in dict.fromkeys([*old.issues, *new.issues]):
        a, b = old.issues.get(issue_id), new.issues.get(issue_id)
        either = b or a
        title = either.title if either is not None else issue_id
        for area in areas:
            in_old = a is not None and (area is None or area in old.areas)
            in_new = b is not None and (area is None or area in new.areas)
            if in_old and in_new:
                assert a is not None and b is not None
                if _signature(old, a, area) == _signature(new, b, area):
                    unchanged += 1
                    continue
                was, now = before.cover(a, area), after.cover(b, area)
                if was == now:
                    unchanged += 1
                    continue
                cover.append(CoverChange(issue_id, title, area, was, now,
                                         subtract(now.uncovered, was.uncovered),
                                         subtract(was.uncovered, now.uncovered),
                                         _area_name(new, old, area)))
            elif in_new and b is not None:
                cover.append(CoverChange(issue_id, title, area, None, after.cover(b, area),
                                         area_name=_area_name(new, old, area)))
            elif in_old and a is not None:
                cover.append(CoverChange(issue_id, title, area, before.cover(a, area), None,
                                         area_name=_area_name(new, old, area)))
    added = {
        "issues": tuple(i for i in new.issues if i not in old.issues),
        "services": tuple(s for s in new.services if s not in old.services),
        "agencies": tuple(s for s in new.agencies if s not in old.agencies),
        "areas": tuple(s for s in new.areas if s not in old.areas),
    }
    removed = {
        "issues": tuple(i for i in old.issues if i not in new.issues),
        "services": tuple(s for s in old.services if s not in new.services),
        "agencies": tuple(s for s in old.agencies if s not in new.agencies),
        "areas": tuple(s for s in old.areas if s not in new.areas),
    }
    was_breached = _breaches(old, today)
    now_breached = _breaches(new, today)
    broken = _policy_changes(new, now_breached, was_breached)
    mended = _policy_changes(old, was_breached, now_breached)
    return RegistryDiff(old_label, new_label, monday, tuple(cover), unchanged, added, removed,
                        tuple(_entries(old, new)), broken, mended)


def _area_name(new: Registry, old: Registry, area: str | None) -> str | None:
    if area is None:
        return None
    found = new.areas.get(area) or old.areas.get(area)
    return found.name if found is not None else area


Breached = dict[tuple[str, str | None], tuple[float, int, str, int]]


def _breaches(registry: Registry, today: dt.date) -> Breached:
    """(issue, area) → (max_gap_hours, longest gap in minutes, its words, policy line) for
    every cover policy breached in a typical week: the check validate and gaps --check make."""
    from zoneinfo import ZoneInfo

    from remitctl.cover.gaps import typical_week
    from remitctl.cover.policy_check import check_policies

    if not any(issue.policies for issue in registry.issues.values()):
        return {}
    tz = ZoneInfo(registry.timezone)
    window = typical_week(tz, dt.datetime.combine(today, dt.time(12), tz))
    spans: dict[tuple[str, str | None], list[WeekSpan]] = {}
    out: Breached = {}
    for b in check_policies(registry, [window]).breaches:
        minutes = round(b.run.length.total_seconds() / 60)
        first = (round((b.run.start - window.start).total_seconds() / 60)
                 if b.run.start is not None else 0)
        span = WeekSpan(first, first + minutes) if b.run.start is not None else WeekSpan(0, WEEK)
        for area in b.areas or (None,):
            key = (b.issue.id, area)
            spans.setdefault(key, []).append(span)
            longest = max(minutes, out[key][1]) if key in out else minutes
            out[key] = (b.policy.max_gap_hours, longest, describe(spans[key]), b.policy.line)
    return out


def _policy_changes(registry: Registry, breached: Breached,
                    other: Breached) -> tuple[PolicyChange, ...]:
    """Policies breached in `breached` and not in `other`, one per issue type and breach."""
    grouped: dict[tuple[str, float, int, str, int], list[str | None]] = {}
    for (issue, area), (limit, minutes, words, line) in breached.items():
        if (issue, area) in other:
            continue
        grouped.setdefault((issue, limit, minutes, words, line), []).append(area)
    out = []
    for (issue, limit, minutes, words, line), areas in grouped.items():
        ids = tuple(a for a in areas if a is not None)
        names = tuple(registry.areas[a].name if a in registry.areas else a for a in ids)
        out.append(PolicyChange(issue, registry.issues[issue].title, ids, names, limit,
                                minutes, words, line))
    return tuple(out)
