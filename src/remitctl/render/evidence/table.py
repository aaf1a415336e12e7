"""The evidence report for the terminal: the headline, the worst groups, agencies, who
absorbed the rest, a heat map by hour of the week and the months."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from remitctl.evidence.judge import Judgement
from remitctl.render.evidence import tables
from remitctl.render.evidence.words import (
    DAYS,
    agency_name,
    area_name,
    headline,
    hours,
    issue_title,
    pct,
    period,
    sources,
)
from remitctl.render.words import counted, safe

SHADES = " ·░▒▓█"


def _new(title: str) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                 show_edge=False, pad_edge=False, expand=False, padding=(0, 1))


def _table(t: tables.Table, title: str) -> Table:
    header, rows = t
    out = _new(title)
    for h in header:
        numeric = h in tables.NUMERIC
        out.add_column(h, justify="right" if numeric else "left",
                       overflow="fold", no_wrap=False, ratio=None if numeric else 1,
                       min_width=4)
    for row in rows:
        out.add_row(*(Text(cell) for cell in row))  # registry text is never markup
    return out


def groups(j: Judgement, limit: int, title: str) -> Table:
    """Issue type and area in one wrapped column, so the numbers fit 80 columns."""
    reg = j.registry
    out = _new(title)
    out.add_column("Issue type\narea · responsible agency", ratio=1, overflow="fold",
                   min_width=16)
    for h in ("Incidents", "Uncovered", "%", "Uncertain", "Officer\ntime in\ngaps",
              "Holiday\nor\nclosure"):
        out.add_column(h, justify="right", no_wrap=True)
    for g in j.groups[:limit or None]:
        t = g.tally
        name = Text(issue_title(reg, g.issue))
        name.append(f"\n{area_name(reg, g.area)} · "
                    f"{agency_name(reg, g.agency) if g.agency else 'no partner'}", style="dim")
        out.add_row(name, f"{t.incidents:,}", f"{t.uncovered:,}", pct(t.uncovered, t.incidents),
                    f"{t.uncertain:,}", hours(t.minutes_uncovered) if t.with_minutes else "–",
                    f"{t.holiday_or_closure:,}")
    return out


def agencies(j: Judgement) -> Table:
    reg = j.registry
    out = _new("By responsible agency (the first covering line's)")
    out.add_column("Agency", ratio=1, overflow="fold", min_width=16)
    for h in ("Incidents", "Uncovered", "%", "Uncertain", "Officer\ntime in\ngaps"):
        out.add_column(h, justify="right", no_wrap=True)
    for a in j.agencies:
        t = a.tally
        out.add_row(Text(agency_name(reg, a.agency)), f"{t.incidents:,}", f"{t.uncovered:,}",
                    pct(t.uncovered, t.incidents), f"{t.uncertain:,}",
                    hours(t.minutes_uncovered) if t.with_minutes else "–")
    return out


def heat(j: Judgement) -> RenderableType:
    """Uncovered incidents by local day and hour: darker is more."""
    top = max(j.heat) if j.heat else 0
    lines = [Text("Uncovered incidents by hour of the week (local time)", style="bold"),
             Text("     " + "".join(f"{h:<6d}" for h in range(0, 24, 3)).rstrip())]
    for d in range(7):
        row = Text(f"{DAYS[d]}  ")
        for h in range(24):
            count = j.heat[d * 24 + h]
            shade = 0 if not count else 1 + (len(SHADES) - 2) * count // max(top, 1)
            row.append(SHADES[min(shade, len(SHADES) - 1)] * 2,
                       style="red" if shade >= 3 else ("yellow" if shade else ""))
        lines.append(row)
    lines.append(Text(f"each character pair is an hour; █ = {top:,} (the busiest hour)"
                      if top else "no uncovered incidents", style="dim"))
    return Group(*lines)


def render(j: Judgement, limit: int = 20) -> RenderableType:
    reg, inc = j.registry, j.incidents
    parts: list[RenderableType] = [
        Text(f"Evidence: {counted(j.total.incidents, 'incident')}, {period(j)}, judged against "
             f"{safe(reg.name)}", style="bold"),
        Text(f"from {sources(j)}", style="dim"),
        Text(headline(j)),
        Text(""),
    ]
    title = "By issue type and area, worst first"
    if limit and len(j.groups) > limit:
        title += f" (first {limit} of {len(j.groups)}; --limit 0 for all)"
    parts += [groups(j, limit, title), Text("")]
    parts += [agencies(j), Text("")]
    if j.fallbacks:
        parts += [_table(tables.fallbacks(j), "Who absorbed the uncovered incidents"), Text("")]
    parts += [heat(j), Text("")]
    parts += [_table(tables.months(j), "By month")]
    notes = []
    if inc.duplicates:
        notes.append(f"{inc.duplicates:,} duplicate row{'s' if inc.duplicates != 1 else ''} "
                     "(same ref) counted once")
    if inc.rejected_count:
        notes.append(f"{inc.rejected_count:,} row{'s' if inc.rejected_count != 1 else ''} "
                     "rejected (listed on stderr)")
    if notes:
        parts += [Text(""), Text("; ".join(notes), style="yellow")]
    return Group(*parts)
