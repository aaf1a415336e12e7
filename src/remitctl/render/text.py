"""Results as rich renderables for people. Registry text is never read as markup.

Lookups live in who_text (who), short_text (--short) and now_text (now); layout primitives
in layout; shared pieces in parts. This module holds the browsing views and re-exports the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from remitctl.registry.model import NATION_NAMES, Agency, Area, Issue, Registry, Service
from remitctl.render.layout import _fit, _grid, _Line, _line
from remitctl.render.now_text import now_table
from remitctl.render.parts import (
    STATE_STYLE,
    STATUS_STYLE,
    STATUS_WORD,
    _contact,
    _service,
    _short_name,
    area_names,
    dated_days,
    fallback_state,
    status_words,
)
from remitctl.render.who_text import answer, who
from remitctl.render.words import bank_holiday_words, hours_in_words, safe

if TYPE_CHECKING:
    from remitctl.cover.lookup import CoverAnswer
    from remitctl.when import When


def short(answers: list[CoverAnswer], registry: Registry, when: When, *,
          titles: bool = False) -> RenderableType:
    """`--short` (render/short_text.py), imported only when asked for."""
    from remitctl.render.short_text import short as lines

    return lines(answers, registry, when, titles=titles)

__all__ = [
    "STATE_STYLE",
    "STATUS_STYLE",
    "STATUS_WORD",
    "agency_detail",
    "agency_list",
    "answer",
    "area_detail",
    "area_names",
    "dated_days",
    "fallback_state",
    "issue_detail",
    "issue_list",
    "now_table",
    "service_detail",
    "short",
    "status_words",
    "timetable",
    "who",
]

def issue_list(issues: list[Issue]) -> RenderableType:
    table = Table(title="Issue types", title_justify="left")
    table.add_column("Id", style="bold", no_wrap=True)
    table.add_column("Title")
    table.add_column("Also known as", overflow="fold")
    for i in issues:
        table.add_row(Text(safe(i.id)), Text(safe(i.title)), Text(safe(", ".join(i.aliases))))
    return _fit(table, 70)


def agency_list(registry: Registry) -> RenderableType:
    table = Table(title="Agencies and service lines", title_justify="left")

    def longest(texts: Iterable[str]) -> int:
        return max((len(w) for t in texts for w in safe(t).split()), default=0)

    services = list(registry.services.values())
    widths = [max((len(r) + 2 for r in registry.services), default=12),
              longest(s.name for s in services), longest(s.hours for s in services),
              max(longest(s.contact.primary() for s in services),
                  max((len(s.contact.phone) for s in services if s.contact.phone), default=0))]
    table.add_column("Service line", style="bold", no_wrap=True)
    table.add_column("Name", min_width=widths[1])
    # A table squeezed below its longest word cuts it ("08:30-17:0"): never that narrow.
    table.add_column("Hours", min_width=widths[2])
    table.add_column("Contact", min_width=widths[3])  # a phone number stays on one line
    for agency in registry.agencies.values():
        table.add_row(Text(safe(agency.id), style="bold underline"), Text(safe(agency.name),
                                                                           style="bold"), "", "")
        for ref in agency.services:
            s = registry.services[ref]
            table.add_row(Text("  " + safe(ref)), Text(safe(s.name)), Text(safe(s.hours)),
                          Text(safe(s.contact.primary())))
    return _fit(table, sum(widths) + 3 * len(widths) + 40)  # room for names to wrap


def timetable(week: list[tuple[dt.date, list[tuple[str, str, str]]]],
              title: str = "Typical week") -> RenderableType:
    """A weekly timetable: each day's open (and unknown) spans as HH:MM–HH:MM."""
    table = Table(title=title, title_justify="left", show_header=False, box=None)
    table.add_column("Day", style="bold", no_wrap=True)
    table.add_column("Hours", overflow="fold")
    for day, spans in week:
        text = Text()
        if not spans:
            text.append("closed", style="red")
        for n, (a, b, state) in enumerate(spans):
            if n:
                text.append(", ")
            text.append(f"{a}–{b}", style=STATE_STYLE.get(state, ""))
            if state == "unknown":
                text.append(" (unknown)", style="yellow")
        table.add_row(f"{day:%A}", text)
    return _fit(table, 24, spaced=False)


def service_detail(s: Service, registry: Registry,
                   week: list[tuple[dt.date, list[tuple[str, str, str]]]],
                   used_by: list[Issue]) -> RenderableType:
    rows: list[RenderableType | _Line] = [Text.assemble(_service(s), Text(f"  ({safe(s.ref)})",
                                                                  style="dim"))]
    for channel, value in s.contact.channels():
        rows.append(_line(channel, value))
    rows.append(_line("hours", s.hours))
    rows.append(_line("in words", hours_in_words(s.hours)))
    rows.append(_line("bank holidays", bank_holiday_words(s.bank_holidays)))
    for c in s.closures:
        rows.append(_line("closure", f"{c.start:%d %b %Y} – {c.end:%d %b %Y}: {c.reason}"))
    for d in s.dated_hours:
        rows.append(_line("dated hours", f"{dated_days(d)}: {d.reason}"))
    agency = registry.agencies.get(s.agency_id)
    if not s.agency_closures and agency is not None and agency.closures:
        rows.append(_line("closures", f"keeps running while {agency.name} is closed "
                          "(agency_closures: ignore)"))
    if s.fallback:
        fb = registry.services.get(s.fallback)
        rows.append(_line("fallback", _service(fb) if fb else s.fallback))
    if s.notes:
        rows.append(_line("notes", s.notes))
    rows.append(_line("verified", f"{s.verified:%d %b %Y}" if s.verified else "never"))
    rows.append(_line("covers", ", ".join(i.title for i in used_by) or "no issue type"))
    rows.append(timetable(week))
    return _grid(rows)


def issue_detail(i: Issue, registry: Registry,
                 weeks: list[tuple[str, list[tuple[dt.date, list[tuple[str, str, str]]]]]]
                 ) -> RenderableType:
    """An issue type: names, remit, law, and per area its lines' hours in plain words and
    the typical week of the combined cover."""
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(i.title), style="bold"),
                                                Text(f"  ({safe(i.id)})", style="dim"))]
    if i.aliases:
        rows.append(_line("aliases", ", ".join(i.aliases)))
    if i.keywords:
        rows.append(_line("keywords", ", ".join(i.keywords)))
    if i.remit:
        rows.append(_line("remit", i.remit))
    if i.legal_basis:
        rows.append(_line("legal basis", i.legal_basis))
    if i.fallback:
        rows.append(_line("fallback", _service(registry.services[i.fallback])))
    for p in i.policies:
        where = registry.areas[p.area].name if p.area else "every area"
        rule = "24/7" if p.max_gap_hours == 0 else f"no gap over {p.max_gap_hours:g} h"
        rows.append(_line("policy", f"{where}: {rule}"))
    out: list[RenderableType] = [_grid(rows)]
    for where, week in weeks:
        key = next((k for k in i.cover if k != "default" and registry.areas[k].name == where),
                   "default")
        refs = i.cover.get(key, i.cover.get("default", ()))
        area_rows: list[RenderableType | _Line] = [Text(""), Text(safe(where),
                                                              style="bold underline")]
        if not refs:
            area_rows.append(_line("cover", ("nobody", "bold red")))
        for n, ref in enumerate(refs):
            s = registry.services[ref]
            area_rows.append(_line("cover" if n == 0 else "", _service(s), "  ", _contact(s)))
            area_rows.append(_line("", f"{hours_in_words(s.hours)}; "
                                   f"{bank_holiday_words(s.bank_holidays)}"))
        area_rows.append(timetable(week, title="Typical week, any line"))
        out.append(_grid(area_rows))
    return Group(*out)


def area_detail(area: Area, registry: Registry) -> RenderableType:
    """An area: who covers each issue type there, in order of preference."""
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(area.name), style="bold"),
                                                Text(f"  ({safe(area.id)})", style="dim"))]
    if area.description:
        rows.append(_line("about", area.description))
    rows.append(_line("bank holidays", NATION_NAMES[registry.nation_for(area.id)]))
    for issue in registry.issues.values():
        refs = issue.cover_for(area.id)
        names = ", ".join(_short_name(registry.services[r]) for r in refs) or "nobody"
        rows.append(_line(issue.title[:40], names))
    return _grid(rows)


def agency_detail(agency: Agency, registry: Registry) -> RenderableType:
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(agency.name), style="bold"),
                                                Text(f"  ({safe(agency.id)})", style="dim"))]
    if agency.kind:
        rows.append(_line("kind", agency.kind))
    for c in agency.closures:
        rows.append(_line("closure", f"{c.start:%d %b %Y} – {c.end:%d %b %Y}: {c.reason}"))
    for ref in agency.services:
        s = registry.services[ref]
        rows.append(Text.assemble("  ", _service(s), Text(f"  ({safe(ref)})", style="dim")))
        rows.append(_line("  hours", f"{hours_in_words(s.hours)}; "
                          f"{bank_holiday_words(s.bank_holidays)}"))
        rows.append(_line("  contact", s.contact.primary()))
    return _grid(rows)
