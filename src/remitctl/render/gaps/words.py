"""Words shared by every gap-report format: exact lengths, windows, causes, area names."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from remitctl.cover.gaps import AreaReport, Cause, Gap, GapReport, Window
from remitctl.registry.model import Registry
from remitctl.render.words import safe


def hours(delta: dt.timedelta) -> str:
    """An exact length in hours and minutes: '64 h 15 min', '45 min', '1,234 h'."""
    seconds = round(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes, secs = divmod(abs(seconds), 60)
    h, m = divmod(minutes, 60)
    parts = []
    if h:
        parts.append(f"{h:,} h")
    if m:
        parts.append(f"{m} min")
    if secs:
        parts.append(f"{secs} s")
    return sign + (" ".join(parts) or "0 h")


def clock_hours(delta: dt.timedelta) -> str:
    """A compact exact length as hours:minutes, '111:30', '1,234:00' (seconds rounded)."""
    minutes = round(delta.total_seconds() / 60)
    return f"{minutes // 60:,}:{minutes % 60:02d}"


def decimal_hours(delta: dt.timedelta) -> float:
    return round(delta.total_seconds() / 3600, 4)


def percent(share: float) -> str:
    if 0 < share < 0.001:
        return "<0.1%"
    return f"{share:.1%}"


def stamp(t: dt.datetime, tz: ZoneInfo, *, year: bool = False) -> str:
    lt = t.astimezone(tz)
    return f"{lt:%a %d %b %Y %H:%M %Z}" if year else f"{lt:%a %d %b %H:%M}"


def window_words(window: Window, tz: ZoneInfo) -> str:
    text = (f"{stamp(window.start, tz, year=True)} – {stamp(window.end, tz, year=True)} "
            f"({hours(window.duration)})")
    if window.typical:
        text = "a typical week, without bank holidays or closures: " + text
    return text


def area_label(registry: Registry, ids: tuple[str, ...], *, short: bool = False) -> str:
    """'Kingsbridge City (unitary)', 'North Moor …, Brackenford …', or 'all areas'; short:
    without the bracketed part ('Kingsbridge City'), and 'X +2' for several."""
    if not ids:
        return registry.name if not short else "all"
    if len(ids) > 1 and len(ids) == len(registry.areas):
        return "all areas"
    names = [safe(registry.areas[i].name) if i in registry.areas else i for i in ids]
    if short:
        names = [re.sub(r"\s*\([^)]*\)\s*$", "", n) or n for n in names]
        return names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")
    return ", ".join(names)


def cause_words(causes: tuple[Cause, ...], registry: Registry) -> str:
    """'Christmas Day, Boxing Day; closure: Christmas and New Year shutdown' (the lines
    closed are in the JSON and CSV)."""
    holidays: dict[str, None] = {}
    closures: dict[str, None] = {}
    dated: dict[str, None] = {}
    for c in causes:
        holidays.update(dict.fromkeys(c.holidays))
        closures.update(dict.fromkeys(reason for _, reason in c.closures))
        dated.update(dict.fromkeys(reason for _, reason in c.dated))
    parts = []
    if holidays:
        parts.append(", ".join(safe(h) for h in holidays))
    parts.extend(f"closure: {safe(reason)}" for reason in closures)
    parts.extend(f"dated hours: {safe(reason)}" for reason in dated)
    return "; ".join(parts)


def why_words(gap: Gap, registry: Registry) -> str:
    """Why a gap is there beyond the usual week, and where it was cut by the window."""
    parts = []
    if gap.causes:
        lead = "only because of" if gap.only_dated else f"{hours(gap.dated)} because of"
        parts.append(f"{lead} {cause_words(gap.causes, registry)}")
    if gap.status == "uncertain":
        lines = ", ".join(registry.services[r].name for r in gap.maybe)
        parts.append(f"uncertain: {safe(lines)}" + (f" ({safe(gap.comment)})" if gap.comment
                                                    else ""))
    return "; ".join(parts)


def edge_words(gap: Gap, tz: ZoneInfo) -> str:
    parts = []
    if gap.cut_start:
        parts.append("began " + (stamp(gap.whole_start, tz) if gap.whole_start else
                                 "over 8 days before the window"))
    if gap.cut_end:
        parts.append("goes on to " + (stamp(gap.whole_end, tz) if gap.whole_end else
                                      "over 8 days after the window"))
    return "; ".join(parts)


def usual_fallback(gap: Gap, fallback: str | None) -> bool:
    """The issue's own fallback takes all of the gap (the usual case, said once per block)."""
    return len(gap.absorbed) == 1 and gap.absorbed[0].ref == fallback and fallback is not None


def fallback_words(gap: Gap, registry: Registry) -> str:
    if not gap.absorbed:
        return "no fallback named"
    parts = []
    for share in gap.absorbed:
        name = registry.services[share.ref].label if share.ref else "NOBODY (fallback closed)"
        one = len(gap.absorbed) == 1
        parts.append(safe(name) if one else f"{safe(name)} {hours(share.duration)}")
    return "; ".join(parts)


def agency_name(registry: Registry, agency: str | None) -> str:
    if agency is None:
        return "nobody (the whole fallback chain closed)"
    return safe(registry.agencies[agency].name) if agency in registry.agencies else agency


def policy_words(report: AreaReport) -> str:
    p = report.policy
    if p is None:
        return ""
    rule = "24/7" if p.policy.max_gap_hours == 0 else f"max {p.policy.max_gap_hours:g} h"
    if not p.breached:
        return f"{rule}: holds"
    longest = ("over " if p.at_least else "") + hours(p.longest)
    return f"{rule}: BREACHED ({longest})"


def report_title(report: GapReport) -> str:
    return f"Gaps in cover: {safe(report.registry.name)}"
