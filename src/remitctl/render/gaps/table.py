"""The gap report for people: heat map, worst-covered issues, who picks the gaps up, and every
gap by issue and area. The same renderable is printed, or exported as SVG or HTML."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from remitctl.cover.gaps import AreaReport, GapReport
from remitctl.cover.timeline import UNCOVERED
from remitctl.render.gaps import heatmap
from remitctl.render.gaps.words import (
    agency_name,
    area_label,
    clock_hours,
    edge_words,
    fallback_words,
    hours,
    percent,
    policy_words,
    report_title,
    stamp,
    usual_fallback,
    why_words,
    window_words,
)
from remitctl.render.words import safe

BLOCKS = 50  # issue-and-area groups listed gap by gap, unless --limit 0 asks for all


def ordered(report: GapReport) -> list[AreaReport]:
    """Area reports with the worst-covered issue types first, areas in registry order."""
    return [r for s in report.issues for r in s.reports]


def header(report: GapReport, notes: tuple[str, ...] = ()) -> RenderableType:
    tz = report.tz
    text = Text()
    text.append(report_title(report), style="bold")
    text.append("\n" + window_words(report.window, tz))
    if report.bank_holidays:
        days = "; ".join(f"{day:%a %d %b} {safe(name)}" +
                         (f" ({', '.join(nations)})" if len(report.registry.areas) and
                          len({report.registry.nation_for(a) for a in report.areas}) > 1 else "")
                         for day, name, nations in report.bank_holidays)
        text.append(f"\nbank holidays: {days}", style="yellow")
    parts: list[RenderableType] = [text]
    parts.extend(Text(f"note: {n}", style="yellow") for n in notes)
    return Group(*parts)


class Sized:
    """A renderable laid out for the width it is printed at."""

    def __init__(self, build: Callable[[int], RenderableType]) -> None:
        self.build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.build(options.max_width)


def summary(report: GapReport) -> RenderableType:
    return Sized(lambda width: _summary(report, width))


def _summary(report: GapReport, max_width: int) -> RenderableType:
    table = Table(title="Issue types, worst covered first (hours:minutes)", title_justify="left",
                  box=None, padding=(0, 1), header_style="bold", pad_edge=False)
    rows = []
    for s in report.issues:
        dated = sum((r.dated * r.weight for r in s.reports), dt.timedelta())
        policies = [r for r in s.reports if r.policy is not None]
        breached = sum(r.weight for r in policies if r.policy and r.policy.breached)
        policy = Text("")
        if policies:
            policy = (Text(f"breached ×{breached}" if len(policies) > 1 else "breached",
                           style="bold red") if breached else Text("holds", style="green"))
        rows.append((
            Text(safe(s.issue.title), style="bold" if s.uncovered else ""),
            Text(clock_hours(s.uncovered), style="red" if s.uncovered else "green"),
            Text(percent(s.share)),
            Text(clock_hours(s.uncertain), style="yellow") if s.uncertain else Text(""),
            Text(clock_hours(s.longest.duration) if s.longest else ""),
            Text(clock_hours(dated) if dated else ""), policy))
    names = ("No cover", "%", "Uncertain", "Longest", "Hol./cl.", "Policy")
    widths = [max([len(name), *(len(r[n + 1].plain) for r in rows)])
              for n, name in enumerate(names)]
    room = max_width - sum(widths) - 2 * len(widths)  # a space each side between columns
    note = ("Hol./cl.: no cover only because of bank holidays or closures"
            + ("; hours are summed over areas, % is of the window in every area, "
               "×N: in N areas" if len(report.areas) > 1 else ""))
    if room < 12:  # squeezed, the numbers would be cut to '…': a paragraph per issue type
        out: list[RenderableType] = [Text(str(table.title), style="bold")]
        for r in rows:
            detail = Text(" · ").join(Text.assemble(f"{name} ", cell)
                                      for name, cell in zip(names, r[1:], strict=True)
                                      if cell.plain)
            out += [r[0], Padding(detail, (0, 0, 0, 2))]
        return Group(*out, Text(note, style="dim"))
    titles = max([5, *(len(r[0].plain) for r in rows)])
    table.add_column("Issue", overflow="ellipsis", no_wrap=True,
                     width=max(12, min(titles, room, 40)))
    for name, widest in zip(names, widths, strict=True):
        table.add_column(name, justify="left" if name == "Policy" else "right", no_wrap=True,
                         width=widest)
    for r in rows:
        table.add_row(*r)
    return Group(table, Text(note, style="dim"))


def fallbacks(report: GapReport) -> RenderableType:
    rows: list[RenderableType] = [Text("Who picks up the gaps", style="bold")]
    if not report.fallbacks:
        rows.append(Text("  nobody needs to: every issue is covered throughout", style="green"))
    for f in report.fallbacks:
        text = Text("  ")
        text.append(agency_name(report.registry, f.agency),
                    style="bold red" if f.agency is None else "bold")
        text.append(f" absorbs {hours(f.uncovered)} with no partner on (summed over issue types "
                    "and areas)")
        if f.uncertain:
            text.append(f", and up to {hours(f.uncertain)} more where cover is uncertain",
                        style="yellow")
        if len(f.services) > 1:
            text.append(" (" + ", ".join(
                f"{safe(report.registry.services[ref].name) if ref else 'nobody'} {hours(t)}"
                for ref, t in f.services) + ")")
        rows.append(text)
    return Group(*rows)


def details(report: GapReport, limit: int) -> RenderableType:
    """Every gap, per issue type and group of areas (the first `limit` of each; 0: all)."""
    return Sized(lambda width: _details(report, limit, width))


NARROW = 60  # narrower, the gap columns (from, to, length, notes) would be cropped


def _details(report: GapReport, limit: int, max_width: int) -> RenderableType:
    # Plain text laid out by hand: a year across hundreds of areas is tens of thousands of
    # rows, which rich's Table would measure cell by cell.
    tz, reg = report.tz, report.registry
    blocks: list[RenderableType] = [Text("Every gap", style="bold")]
    with_gaps = [r for r in ordered(report) if r.gaps]
    shown_blocks = with_gaps if limit <= 0 else with_gaps[:BLOCKS]
    narrow = max_width < NARROW

    def wrap(words: str, indent: str = "  ", first: str | None = None) -> str:
        return "\n".join(textwrap.wrap(words, max_width, initial_indent=first or indent,
                                        subsequent_indent=indent))

    for r in shown_blocks:
        text = Text("\n", no_wrap=True, overflow="crop")  # wrapped here, not by rich
        if narrow:
            where = f" — {area_label(reg, r.areas)}" if reg.areas else ""
            text.append(wrap(safe(r.issue.title) + where, ""), style="bold")
        else:
            text.append(safe(r.issue.title), style="bold")
            if reg.areas:
                text.append(" — " + area_label(reg, r.areas))
        summary = f"{hours(r.uncovered)} no cover ({percent(r.share)})"
        if r.uncertain:
            summary += f", {hours(r.uncertain)} uncertain"
        if r.longest is not None:
            summary += f"; longest {hours(r.longest.duration)}"
        if r.dated:
            summary += f"; {hours(r.dated)} of it because of bank holidays or closures"
        text.append("\n" + "\n".join(textwrap.wrap(summary, max_width, initial_indent="  ",
                                                   subsequent_indent="  ")))
        if r.policy is not None:
            text.append(f"\n  policy {policy_words(r)}",
                        style="bold red" if r.policy.breached else "green")
        fallback = reg.services.get(r.issue.fallback or "")
        picked = "picked up by: " + (safe(fallback.label) if fallback else
                                     "nobody (no fallback named)")
        text.append("\n" + (wrap(picked) if narrow else "  " + picked), style="dim")
        shown = r.gaps if limit <= 0 else r.gaps[:limit]
        if narrow:  # a stacked entry per gap: columns would be cropped away
            for g in shown:
                style = "red" if g.status == UNCOVERED else "yellow"
                notes = [why_words(g, reg), edge_words(g, tz)]
                if not usual_fallback(g, r.issue.fallback):
                    notes.append("picked up by " + fallback_words(g, reg))
                start = stamp(g.start, tz) + ("…" if g.cut_start else "")
                end = stamp(g.end, tz) + ("…" if g.cut_end else "")
                mark = "  " if g.status == UNCOVERED else "? "
                text.append("\n" + wrap(f"{start} to {end}", "  ", mark), style=style)
                text.append("\n" + wrap(hours(g.duration) + "".join(
                    f"; {n}" for n in notes if n), "    "))
            blocks.append(text)
            continue
        lengths = [hours(g.duration) for g in shown]
        width = max(len("Length"), *(len(x) for x in lengths))
        lead = 2 + 18 + 1 + 18 + 1 + width + 2
        text.append(f"\n  {'From':<18} {'To':<18} {'Length':>{width}}  Notes", style="dim")
        for g, length in zip(shown, lengths, strict=True):
            style = "red" if g.status == UNCOVERED else "yellow"
            notes = [why_words(g, reg), edge_words(g, tz)]
            if not usual_fallback(g, r.issue.fallback):
                notes.append("picked up by " + fallback_words(g, reg))
            text.append("\n" + ("  " if g.status == UNCOVERED else "? "), style=style)
            text.append(f"{stamp(g.start, tz) + ('…' if g.cut_start else ''):<18} ", style=style)
            text.append(f"{stamp(g.end, tz) + ('…' if g.cut_end else ''):<18} ")
            text.append(f"{length:>{width}}", style=style)
            note = "; ".join(n for n in notes if n)
            if note:
                lines = textwrap.wrap(note, max(20, max_width - lead)) or [""]
                text.append("  " + ("\n" + " " * lead).join(lines))
        if len(shown) < len(r.gaps):
            rest = r.gaps[len(shown):]
            text.append(f"\n  … and {len(rest)} more gaps "
                        f"({hours(sum((g.duration for g in rest), dt.timedelta()))}); "
                        "--limit 0 lists them all, --format csv gives a row each", style="dim")
        blocks.append(text)
    if len(shown_blocks) < len(with_gaps):
        blocks.append(Text(f"\n… and {len(with_gaps) - len(shown_blocks)} more issue types and "
                           "areas with gaps, better covered; --limit 0 lists them all, "
                           "--format csv gives a row per gap", style="dim"))
    if len(blocks) == 1:
        blocks.append(Text("  none: every issue is covered throughout the window", style="green"))
    else:
        blocks.append(Text("\n? uncertain cover (hours marked unknown)   … cut at the window's "
                           "edge", style="dim"))
    return Group(*blocks)


def gap_table(report: GapReport, *, limit: int = 20, notes: tuple[str, ...] = (),
              show_map: bool = True) -> RenderableType:
    parts: list[RenderableType] = [header(report, notes)]
    rows = ordered(report)
    if show_map and rows:
        parts.extend([Text(""), heatmap.HeatMaps(report, rows, every_row=limit <= 0)])
    parts.extend([Text(""), summary(report), Text(""), fallbacks(report), Text(""),
                  details(report, limit)])
    return Group(*parts)

