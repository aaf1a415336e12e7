"""The gap report as Markdown, to paste into a partnership meeting's report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from remitctl.cover.gaps import GapReport
from remitctl.render.escape import markdown, markdown_block
from remitctl.render.gaps import heatmap
from remitctl.render.gaps.table import ordered
from remitctl.render.gaps.words import (
    agency_name,
    area_label,
    edge_words,
    fallback_words,
    hours,
    percent,
    policy_words,
    report_title,
    stamp,
    why_words,
    window_words,
)


def cell(text: str) -> str:
    """Registry text anywhere in the Markdown (see render/escape.py)."""
    return markdown(text)


def row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def render(report: GapReport, notes: tuple[str, ...] = ()) -> str:
    return "".join(chunks(report, notes))


def chunks(report: GapReport, notes: tuple[str, ...] = ()) -> Iterator[str]:
    """The Markdown, section by section (a national registry's year is a long document)."""
    tz, reg = report.tz, report.registry
    out = [f"# {cell(report_title(report))}", "",
           f"Window: {cell(window_words(report.window, tz))}.", ""]
    if report.bank_holidays:
        out.append("Bank holidays: " + "; ".join(
            f"{day:%a %d %b %Y} {cell(name)}" for day, name, _ in report.bank_holidays) + ".")
        out.append("")
    out.extend(f"> Note: {cell(n)}" for n in notes)
    out.extend(["## Issue types, worst covered first", "",
                row("Issue", "No cover", "Share", "Uncertain", "Longest gap",
                    "Bank holidays / closures", "Policy"),
                row("---", "---:", "---:", "---:", "---:", "---:", "---")])
    for s in report.issues:
        dated = sum((r.dated * r.weight for r in s.reports), dt.timedelta())
        breached = sum(r.weight for r in s.reports if r.policy and r.policy.breached)
        has_policy = any(r.policy for r in s.reports)
        policy = ("" if not has_policy else
                  f"**breached** in {breached} area(s)" if breached else "holds")
        out.append(row(cell(s.issue.title), hours(s.uncovered), percent(s.share),
                       hours(s.uncertain) if s.uncertain else "",
                       hours(s.longest.duration) if s.longest else "",
                       hours(dated) if dated else "", policy))
    out.extend(["", "## Who picks up the gaps", ""])
    if report.fallbacks:
        out.extend([row("Fallback", "No partner on", "Uncertain cover"),
                    row("---", "---:", "---:")])
        out.extend(row(cell(agency_name(reg, f.agency)), hours(f.uncovered),
                       hours(f.uncertain) if f.uncertain else "") for f in report.fallbacks)
        if len(reg.areas) > 1:
            out.extend(["", "Hours are summed over areas."])
    else:
        out.append("Nobody needs to: every issue is covered throughout the window.")
    rows = ordered(report)
    if rows:
        out.extend(["", "## Heat map", ""])
        for title, lines in heatmap.HeatMaps(report, rows, every_row=True).pictures(100):
            out.extend([f"**{cell(title)}**", "", markdown_block(heatmap.plain_lines(lines)),
                        ""])
    out.extend(["## Every gap", ""])
    made: dict[int, str] = {}  # areas with the same hours share Gap objects: one row each
    for r in rows:
        if not r.gaps:
            continue
        where = f" — {area_label(reg, r.areas)}" if reg.areas else ""
        out.extend([f"### {cell(r.issue.title + where)}", ""])
        summary = f"{hours(r.uncovered)} with no cover ({percent(r.share)})"
        if r.uncertain:
            summary += f", {hours(r.uncertain)} uncertain"
        if r.policy:
            summary += f"; policy {policy_words(r)}"
        out.extend([cell(summary) + ".", "",
                    row("Status", "From", "To", "Length", "Picked up by", "Why / notes"),
                    row("---", "---", "---", "---:", "---", "---")])
        yield "\n".join(out) + "\n"
        out = []
        for g in r.gaps:
            line = made.get(id(g))
            if line is None:
                notes_text = "; ".join(p for p in (why_words(g, reg), edge_words(g, tz)) if p)
                line = made[id(g)] = row(
                    "no cover" if g.status == "uncovered" else "uncertain",
                    stamp(g.start, tz, year=True), stamp(g.end, tz, year=True),
                    hours(g.duration), cell(fallback_words(g, reg)), cell(notes_text))
            out.append(line)
        out.append("")
    if not any(r.gaps for r in rows):
        out.append("None: every issue is covered throughout the window.")
    yield "\n".join(out).rstrip() + "\n"
