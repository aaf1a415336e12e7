"""The evidence report's tables as rows of plain strings, shared by every human format
(terminal, markdown, html), so they cannot disagree."""

from __future__ import annotations

from remitctl.evidence.judge import Judgement
from remitctl.render.evidence.words import (
    DAYS,
    agency_name,
    area_name,
    hours,
    issue_title,
    pct,
    service_name,
)

Table = tuple[tuple[str, ...], list[tuple[str, ...]]]  # header, rows
NUMERIC = {"Incidents", "Covered", "Uncertain", "Uncovered", "Share uncovered",
           "Officer time in gaps", "Bank holiday or closure", "Absorbed"}


def groups(j: Judgement, limit: int = 0) -> Table:
    reg = j.registry
    header: tuple[str, ...] = (
        "Issue type", "Area", "Responsible", "Incidents", "Covered", "Uncertain",
              "Uncovered", "Share uncovered", "Officer time in gaps", "Bank holiday or closure")
    rows: list[tuple[str, ...]] = []
    for g in j.groups[:limit or None]:
        t = g.tally
        rows.append((issue_title(reg, g.issue), area_name(reg, g.area),
                     agency_name(reg, g.agency) if g.agency else "nobody",
                     f"{t.incidents:,}", f"{t.covered:,}", f"{t.uncertain:,}",
                     f"{t.uncovered:,}", pct(t.uncovered, t.incidents),
                     hours(t.minutes_uncovered) if t.with_minutes else "–",
                     f"{t.holiday_or_closure:,}"))
    return header, rows


def agencies(j: Judgement) -> Table:
    reg = j.registry
    header: tuple[str, ...] = (
        "Responsible agency", "Incidents", "Covered", "Uncertain", "Uncovered",
              "Share uncovered", "Officer time in gaps")
    rows: list[tuple[str, ...]] = [
        (agency_name(reg, a.agency), f"{a.tally.incidents:,}", f"{a.tally.covered:,}",
             f"{a.tally.uncertain:,}", f"{a.tally.uncovered:,}",
             pct(a.tally.uncovered, a.tally.incidents),
             hours(a.tally.minutes_uncovered) if a.tally.with_minutes else "–")
            for a in j.agencies]
    return header, rows


def fallbacks(j: Judgement) -> Table:
    reg = j.registry
    header: tuple[str, ...] = (
        "Absorbed by", "Absorbed", "Officer time in gaps")
    rows: list[tuple[str, ...]] = [
        (service_name(reg, f.service), f"{f.incidents:,}", hours(f.minutes))
            for f in j.fallbacks]
    return header, rows


def months(j: Judgement) -> Table:
    header: tuple[str, ...] = (
        "Month", "Incidents", "Uncovered", "Share uncovered")
    rows: list[tuple[str, ...]] = [(m, f"{a:,}", f"{u:,}", pct(u, a))
                                   for m, (a, u) in j.months.items()]
    return header, rows


def week(j: Judgement) -> Table:
    """Uncovered incidents by local day and hour (the heat map's numbers)."""
    header: tuple[str, ...] = (
        "Day", *(f"{h:02d}" for h in range(24)))
    rows: list[tuple[str, ...]] = [(DAYS[d], *(str(j.heat[d * 24 + h]) for h in range(24)))
                                   for d in range(7)]
    return header, rows


RECATEGORISED = "Opened as one issue type, closed (and judged) as another"


def recategorised(j: Judgement) -> Table:
    """The commonest (opening, closing) pairs that differ, when both columns were given;
    the opening value as the export wrote it when no name matched it."""
    from remitctl.render.escape import one_line
    from remitctl.render.evidence.reading import TOP, title

    reg = j.registry
    rows: list[tuple[str, ...]] = [
        (one_line(title(reg, opened)), one_line(title(reg, closed)), f"{count:,}")
        for (opened, closed), count in j.incidents.recategorised.most_common(TOP)]
    header: tuple[str, ...] = ("Opened as", "Closed and judged as", "Incidents")
    return header, rows
