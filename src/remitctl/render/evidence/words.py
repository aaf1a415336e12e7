"""Words and numbers shared by the evidence report's formats."""

from __future__ import annotations

from remitctl.evidence.judge import GroupResult, Judgement, Tally
from remitctl.registry.model import Registry
from remitctl.render.words import counted, safe

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def issue_title(registry: Registry, issue_id: str) -> str:
    return safe(registry.issues[issue_id].title)


def area_name(registry: Registry, area: str | None) -> str:
    if area is None:
        return "every area" if registry.areas else "the force area"
    return safe(registry.areas[area].name)


def agency_name(registry: Registry, agency: str | None) -> str:
    if agency is None:
        return "nobody (no partner covers it)"
    return safe(registry.agencies[agency].name)


def service_name(registry: Registry, ref: str | None) -> str:
    if ref is None:
        return "nobody open"
    return safe(registry.services[ref].label)


def pct(part: int, whole: int) -> str:
    if not whole:
        return "–"
    share = 100 * part / whole
    if 0 < share < 1:
        return "<1%"
    if 99 < share < 100:
        return ">99%"
    return f"{share:.0f}%"


def hours(minutes: float) -> str:
    """Officer time: minutes under two hours, else hours with thousands separated."""
    if minutes < 120:
        return f"{minutes:,.0f} min"
    return f"{minutes / 60:,.0f} h"


def number(value: float) -> int | float:
    """Minutes for JSON: whole numbers as integers, else one decimal."""
    return int(value) if float(value).is_integer() else round(value, 1)


def minutes_note(tally: Tally) -> str:
    if tally.with_minutes == tally.incidents:
        return ""
    if tally.with_minutes == 0:
        return " (no incident recorded officer time)"
    return f" ({tally.with_minutes:,} of {tally.incidents:,} incidents recorded officer time)"


def group_sentence(registry: Registry, g: GroupResult) -> str:
    t = g.tally
    where = f" in {area_name(registry, g.area)}" if registry.areas else ""
    title = issue_title(registry, g.issue)
    sentence = (f"{t.uncovered:,} of {t.incidents:,} {title} incidents{where} "
                f"({pct(t.uncovered, t.incidents)}) arrived when no partner covered it")
    if t.with_minutes:
        sentence += f"; officers spent {hours(t.minutes_uncovered)} on them"
    return sentence + "."


def headline(j: Judgement) -> str:
    """The numbers a budget holder reads first, in sentences."""
    reg, t = j.registry, j.total
    if not t.incidents:
        return "No incidents to judge."
    overall = (f"{t.uncovered:,} of {counted(t.incidents, 'incident')} "
               f"({pct(t.uncovered, t.incidents)}) arrived when no partner covered them")
    if t.with_minutes:
        overall += f"; officers spent {hours(t.minutes_uncovered)} on them"
    overall += minutes_note(t) + "."
    if t.uncertain:
        overall += (f" A further {t.uncertain:,} ({pct(t.uncertain, t.incidents)}) arrived "
                    "when cover was uncertain (hours not known).")
    worst = j.headline()
    if worst is None:
        return overall
    return f"{group_sentence(reg, worst)} {overall}"


def period(j: Judgement) -> str:
    import zoneinfo

    tz = zoneinfo.ZoneInfo(j.registry.timezone)
    if j.first is None or j.last is None:
        return "no incidents"
    a, b = j.first.astimezone(tz), j.last.astimezone(tz)
    return f"{a:%d %b %Y %H:%M} to {b:%d %b %Y %H:%M} ({j.registry.timezone})"


def sources(j: Judgement) -> str:
    """Where the incidents came from, with how many each gave."""
    from collections import Counter

    counts = Counter(j.incidents.source)
    return "; ".join(f"{safe(name)} ({counts.get(n, 0):,})"
                     for n, name in enumerate(j.incidents.sources)) or "none"
