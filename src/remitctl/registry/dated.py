"""The replacement `validate` offers for a dated rule written in `hours:` ("2026 Dec 29-31
00:00-24:00"): hours are a typical week, so the dated rule moves to `dated_hours:`, and the
hint gives the exact text to write."""

from __future__ import annotations

import re

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "|".join(_MONTHS)
# [YYYY] Mon DD[-[Mon ]DD][:] hours
_DATED = re.compile(rf"""\s*(?:(?P<year>\d{{4}})\s+)?(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})
                         (?:\s*-\s*(?:(?P<month2>{_MONTH})\s+)?(?P<day2>\d{{1,2}}))?:?
                         \s+(?P<hours>.+?)\s*\Z""", re.X)
_STATES = {"off": "off", "closed": "off", "unknown": "unknown"}


def _date(year: str, month: str, day: str) -> str:
    return f"{year}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"


def _entry(rule: str) -> str | None:
    """One dated rule as a `dated_hours:` entry in YAML flow style, or None when it is not
    a plain '[year] month day[-day] hours' rule."""
    m = _DATED.match(rule)
    if m is None:
        return None
    hours = m["hours"]
    word = _STATES.get(hours.strip().lower())
    if word is None:
        if not re.fullmatch(r"\d{1,2}:\d{2}-\d{1,2}:\d{2}(,\d{1,2}:\d{2}-\d{1,2}:\d{2})*"
                            r"( unknown)?", hours.replace(" ,", ",").replace(", ", ",")):
            return None
        word = hours
    year = m["year"] or "YYYY"
    start = _date(year, m["month"], m["day"])
    end = _date(year, m["month2"] or m["month"], m["day2"]) if m["day2"] else None
    to = f", to: {end}" if end and end != start else ""
    return f'{{from: {start}{to}, hours: "{word}", reason: "…"}}'


def replacement(hours: str) -> str | None:
    """The hint for hours with dated rules: what `hours:` keeps and the `dated_hours:` to add,
    e.g. 'write hours: "Mo-Fr 09:00-17:00" and dated_hours: [{from: 2026-12-29, to:
    2026-12-31, hours: "00:00-24:00", reason: "…"}]'; None when a rule is not plain."""
    kept: list[str] = []
    entries: list[str] = []
    for rule in hours.split(";"):
        if not rule.strip():
            continue
        if re.search(rf"\b(\d{{4}}|{_MONTH})\b", rule):
            entry = _entry(rule)
            if entry is None:
                return None
            entries.append(entry)
        else:
            kept.append(rule.strip())
    if not entries:
        return None
    keep = f'hours: "{"; ".join(kept)}" and ' if kept else "keep the usual week in hours: and "
    year = " (with the year)" if "YYYY" in "".join(entries) else ""
    return (f"hours are a typical week; dated changes go in dated_hours: under the line: "
            f"write {keep}dated_hours: [{', '.join(entries)}]{year}, with the reason "
            "officers are shown")
