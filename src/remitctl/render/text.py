"""Results as rich renderables for people. Registry text is never read as markup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from remitctl.cover.lookup import CoverAnswer
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED, Stretch
from remitctl.registry.model import NATION_NAMES, Agency, Issue, Registry, Service
from remitctl.render.words import (
    bank_holiday_words,
    hours_in_words,
    local,
    relative,
    safe,
)

STATUS_STYLE = {COVERED: "bold green", UNCERTAIN: "bold yellow", UNCOVERED: "bold red"}
STATUS_WORD = {COVERED: "COVERED", UNCERTAIN: "UNCERTAIN", UNCOVERED: "NOBODY COVERS THIS NOW"}
STATE_STYLE = {"open": "green", "closed": "red", "unknown": "yellow"}


class _Line:
    """A labelled line; consecutive ones are laid out as a two-column grid."""

    def __init__(self, label: str, value: Text) -> None:
        self.label = label
        self.value = value


class _Fit:
    """The wide layout where the terminal has room for it, else the narrow one (a table's
    columns squeezed to a few characters each cannot be read)."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int) -> None:
        self.wide = wide
        self.narrow = narrow
        self.min_width = min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.min_width else self.narrow


def _records(table: Table, spaced: bool) -> RenderableType:
    """A table's rows one under another: the first cell, then 'Header: cell' indented."""
    out: list[RenderableType] = []
    if table.title:
        out.append(Text(str(table.title), style="bold"))
    columns = [(str(c.header) if table.show_header else "", [_as_text(cell) for cell in c.cells])
               for c in table.columns]
    for n in range(table.row_count):
        first = columns[0][1][n]
        if n and spaced:
            out.append(Text(""))
        if first.plain.strip():
            out.append(first)
        for header, cells in columns[1:]:
            if cells[n].plain.strip():
                line = Text.assemble((f"{header}: ", "dim"), cells[n]) if header else cells[n]
                out.append(Padding(line, (0, 0, 0, 2)))
    return Group(*out)


def _as_text(cell: RenderableType) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))


def _fit(table: Table, min_width: int, *, spaced: bool = True) -> RenderableType:
    return _Fit(table, _records(table, spaced), min_width)


def _grid(rows: list[RenderableType | _Line]) -> RenderableType:
    out: list[RenderableType] = []
    narrow: list[RenderableType] = []
    grid: Table | None = None
    for row in rows:
        if isinstance(row, _Line):
            if grid is None:
                grid = Table.grid(padding=(0, 1))
                grid.add_column(style="dim", no_wrap=True, min_width=16)
                grid.add_column(overflow="fold")
                out.append(grid)
            grid.add_row(Text("  " + safe(row.label)), row.value)
            narrow += [Text("  " + safe(row.label), style="dim"), Padding(row.value, (0, 0, 0, 4))]
        else:
            grid = None
            out.append(row)
            narrow.append(row)
    return _Fit(Group(*out), Group(*narrow), 40)


def _line(label: str, *parts: str | tuple[str, str] | Text) -> _Line:
    text = Text()
    for part in parts:
        if isinstance(part, Text):
            text.append_text(part)
        elif isinstance(part, tuple):
            text.append(safe(part[0]), style=part[1])
        else:
            text.append(safe(part))
    return _Line(label, text)


def _service(s: Service) -> Text:
    text = Text()
    text.append(safe(s.agency_name), style="bold")
    text.append(" · ")
    text.append(safe(s.name), style="bold")
    return text


def _contact(s: Service) -> Text:
    return Text(safe(s.contact.primary()), style="cyan")


def area_names(registry: Registry, ids: Iterable[str]) -> str:
    ids = list(ids)
    if registry.areas and len(ids) == len(registry.areas) and len(ids) > 1:
        return "all areas"
    return safe(", ".join(registry.areas[i].name for i in ids if i in registry.areas))


def _after(stretches: Iterable[Stretch], registry: Registry, tz: ZoneInfo,
           window_end: dt.datetime, limit: int = 2) -> Text:
    """'from Sun 03:00: nobody until Mon 09:00; from Mon 09:00: X' — what follows now."""
    text = Text()
    for n, s in enumerate(list(stretches)[:limit]):
        if n:
            text.append("; ")
        text.append(f"from {local(s.start, tz)}: ")
        if s.status == COVERED and s.primary:
            text.append_text(_service(registry.services[s.primary]))
        elif s.status == UNCERTAIN:
            text.append("uncertain cover", style="yellow")
        else:
            text.append("nobody", style="bold red")
        if s.end < window_end:
            text.append(f" until {local(s.end, tz)}")
    return text


def who(answers: list[CoverAnswer], registry: Registry, notes: Iterable[str]) -> RenderableType:
    tz = ZoneInfo(registry.timezone)
    first = answers[0]
    blocks: list[RenderableType] = []
    head = Text()
    head.append(safe(first.issue.title), style="bold")
    head.append(f"  ({first.issue.id})", style="dim")
    head.append(f"\nat {local(first.at, tz, year=True)}")
    blocks.append(head)
    for note in notes:
        blocks.append(Text(f"note: {note}", style="yellow"))
    for a in answers:
        blocks.append(Text(""))
        blocks.append(answer(a, registry, tz))
    return Group(*blocks)


def answer(a: CoverAnswer, registry: Registry, tz: ZoneInfo) -> RenderableType:
    rows: list[RenderableType | _Line] = []
    title = Text()
    if a.stands_for:
        title.append(area_names(registry, a.stands_for), style="bold underline")
        title.append("\n")
    title.append(STATUS_WORD[a.status], style=STATUS_STYLE[a.status])
    covering = a.covering
    if covering is not None:
        title.append("  ")
        title.append_text(_service(covering))
    rows.append(title)

    if a.status == COVERED and covering is not None:
        rows.append(_line("contact", _contact(covering)))
        for channel, value in covering.contact.channels():
            if value != covering.contact.primary():
                rows.append(_line(channel, value))
        mine = next(ls for ls in a.lines if ls.service.ref == covering.ref)
        if mine.until:
            rows.append(_line("open until",
                              f"{local(mine.until, tz)} ({relative(mine.until, a.at)})"))
        else:
            rows.append(_line("open until", "no change in the next 5 weeks"))
        if a.upcoming:
            rows.append(_line("then", _after(a.upcoming, registry, tz, a.window_end)))
        if covering.notes:
            rows.append(_line("notes", covering.notes))
    else:
        if a.status == UNCERTAIN and a.current.primary:
            svc = registry.services[a.current.primary]
            why = a.current.comment or "the registry marks these hours as unknown"
            rows.append(_line("maybe", _service(svc), f" — {why}"))
            rows.append(_line("contact", _contact(svc)))
        since = (f"{local(a.run_start, tz)} ({relative(a.run_start, a.at)})" if a.run_start
                 else "more than a week ago")
        rows.append(_line("no cover since" if a.status == UNCOVERED else "uncertain since",
                          since))
        if a.next_cover is not None and a.next_cover.primary:
            nxt = registry.services[a.next_cover.primary]
            rows.append(_line("next cover", f"{local(a.next_cover.start, tz)} "
                              f"({relative(a.next_cover.start, a.at)}): ", _service(nxt),
                              "  ", _contact(nxt)))
        elif not a.lines:
            rows.append(_line("next cover", ("no service line covers this at all", "bold red")))
        else:
            rows.append(_line("next cover", ("none in the next 5 weeks", "bold red")))
        rows.extend(_fallback(a, tz))
    if a.bank_holiday:
        rows.append(_line("bank holiday", (f"today is {a.bank_holiday} "
                                           f"({NATION_NAMES[registry.nation_for(a.area)]})",
                                           "yellow")))
    for svc, closure in a.closures:
        rows.append(_line("closure", (f"{svc.label}: {closure.reason} "
                                      f"({closure.start:%d %b} – {closure.end:%d %b %Y})",
                                      "yellow")))
    return _grid(rows)


def _fallback(a: CoverAnswer, tz: ZoneInfo) -> list[_Line]:
    if not a.fallback:
        return [_line("meanwhile", ("no fallback is named for this issue", "bold red"))]
    rows = []
    for n, step in enumerate(a.fallback):
        label = "meanwhile" if n == 0 else "…then"
        state = "" if step.state == "open" else f" ({step.state} now)"
        rows.append(_line(label, _service(step.service), "  ", _contact(step.service),
                          (state, STATE_STYLE.get(step.state, ""))))
    if a.fallback[-1].state != "open":
        rows.append(_line("warning", ("the fallback is not open either", "bold red")))
    return rows


def now_table(answers: list[CoverAnswer], registry: Registry, at: dt.datetime,
              notes: Iterable[str], area: str | None = None) -> RenderableType:
    """Every issue at a glance: a status line and a detail line each (no table to lay
    out: rich's table measuring would cost more than the whole lookup)."""
    tz = ZoneInfo(registry.timezone)
    title = f"Cover at {local(at, tz, year=True)}"
    if area is not None:
        title += f" in {safe(registry.areas[area].name)}"
    parts: list[RenderableType] = [Text(title, style="bold")]
    parts.extend(Text(f"note: {n}", style="yellow") for n in notes)
    holidays = sorted({(a.bank_holiday, registry.nation_for(a.area)) for a in answers
                       if a.bank_holiday})
    for name, nation in holidays:
        parts.append(Text(f"Today is a bank holiday in {NATION_NAMES[nation]}: {name}",
                          style="yellow"))
    closures = sorted({(s.label, c.reason, c.start, c.end) for a in answers
                       for s, c in a.closures})
    for label, reason, start, end in closures:
        parts.append(Text(f"Closed today: {safe(label)} — {safe(reason)} "
                          f"({start:%d %b} – {end:%d %b %Y})", style="yellow"))
    parts.append(Text(""))
    show_area = bool(registry.areas) and area is None
    for a in answers:
        head = Text(f"{a.status.upper():<10} ", style=STATUS_STYLE[a.status])
        head.append(safe(a.issue.title), style="bold")
        if show_area:
            head.append(f" — {area_names(registry, a.stands_for)}")
        detail = Text()
        if a.status == COVERED and a.covering is not None:
            detail.append_text(_service(a.covering))
            detail.append("  ")
            detail.append_text(_contact(a.covering))
            detail.append(f" · until {local(a.run_end, tz)}" if a.run_end
                          else " · no change within 5 weeks")
        else:
            if a.status == UNCERTAIN and a.current.primary:
                detail.append("maybe ", style="yellow")
                detail.append_text(_service(registry.services[a.current.primary]))
                detail.append(" · ")
            detail.append(f"next cover {local(a.next_cover.start, tz)}" if a.next_cover
                          else "no cover within 5 weeks", style="bold" if a.next_cover
                          else "bold red")
            fb = a.fallback[0].service if a.fallback else None
            if fb is not None:
                detail.append(" · meanwhile ")
                detail.append_text(_service(fb))
                detail.append("  ")
                detail.append_text(_contact(fb))
            else:
                detail.append(" · no fallback named", style="red")
        parts.append(head)
        # under the title where there is room, else just indented
        parts.append(_Fit(Padding(detail, (0, 0, 0, 11)), Padding(detail, (0, 0, 0, 2)),
                          40))
    return Group(*parts)


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
    table.add_column("Service line", style="bold", no_wrap=True)
    table.add_column("Name")
    table.add_column("Hours", overflow="fold")
    table.add_column("Contact", overflow="fold")
    for agency in registry.agencies.values():
        table.add_row(Text(safe(agency.id), style="bold underline"), Text(safe(agency.name),
                                                                           style="bold"), "", "")
        for ref in agency.services:
            s = registry.services[ref]
            table.add_row(Text("  " + safe(ref)), Text(safe(s.name)), Text(safe(s.hours)),
                          Text(safe(s.contact.primary())))
    return _fit(table, 80)


def timetable(week: list[tuple[dt.date, list[tuple[str, str, str]]]]) -> RenderableType:
    """A weekly timetable: each day's open (and unknown) spans as HH:MM–HH:MM."""
    table = Table(title="Typical week", title_justify="left", show_header=False, box=None)
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


def issue_detail(i: Issue, registry: Registry) -> RenderableType:
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(i.title), style="bold"),
                                                Text(f"  ({safe(i.id)})", style="dim"))]
    if i.aliases:
        rows.append(_line("aliases", ", ".join(i.aliases)))
    if i.remit:
        rows.append(_line("remit", i.remit))
    if i.legal_basis:
        rows.append(_line("legal basis", i.legal_basis))
    for key, refs in i.cover.items():
        where = "default" if key == "default" else registry.areas[key].name
        rows.append(_line(f"cover: {where}"[:40], ""))
        if not refs:
            rows.append(Text("      nobody", style="bold red"))
        for ref in refs:
            s = registry.services[ref]
            rows.append(Text.assemble("      ", _service(s), Text(f"  {safe(s.hours)}; "
                                                                   f"{bank_holiday_words(s.bank_holidays)}",
                                                                   style="dim")))
    if i.fallback:
        rows.append(_line("fallback", _service(registry.services[i.fallback])))
    for p in i.policies:
        where = registry.areas[p.area].name if p.area else "every area"
        rule = "24/7" if p.max_gap_hours == 0 else f"no gap over {p.max_gap_hours:g} h"
        rows.append(_line("policy", f"{where}: {rule}"))
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
