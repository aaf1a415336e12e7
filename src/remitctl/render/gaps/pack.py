"""The gap report for a meeting pack: a real chart (SVG), or one self-contained HTML page
with the chart and the tables. Needs the `charts` extra (matplotlib)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from remitctl.cover.gaps import GapReport, IssueSummary
from remitctl.render.charts import gaps_chart
from remitctl.render.evidence.as_html import STYLE, page
from remitctl.render.gaps.words import (
    agency_name,
    area_label,
    hours,
    percent,
    policy_words,
    report_title,
    window_words,
)
from remitctl.render.words import safe


def render_svg(report: GapReport) -> str:
    return gaps_chart(report)[1]


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], numeric: set[int]) -> str:
    def cls(n: int) -> str:
        return ' class="n"' if n in numeric else ""

    out = ["<table>", "<thead><tr>" + "".join(f"<th{cls(n)}>{html.escape(h)}</th>"
                                              for n, h in enumerate(header)),
           "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(f"<td{cls(n)}>{html.escape(c)}</td>" for n, c in enumerate(row))
            + "</tr>" for row in rows]
    return "\n".join([*out, "</tbody></table>"])


def _each(label: str, count: int) -> str:
    """A per-area figure said as one: 'in each of all areas' would read as a sum."""
    if count > 1:
        return "in each area" if label == "all areas" else f"in each of {label}"
    return f"in {label}"


def render_html(report: GapReport) -> str:
    reg, tz = report.registry, report.tz
    heading, chart = gaps_chart(report)
    worst = report.issues[0] if report.issues else None
    if worst is not None and worst.uncovered:
        lead = (f"{safe(worst.issue.title)} is the worst covered: nobody covers it for "
                f"{percent(worst.share)} of the window (averaged over its areas); "
                f"{_each(area_label(reg, worst.worst.areas), len(worst.worst.areas))} that "
                f"is {hours(worst.worst.uncovered)}.")
    else:
        lead = "Every issue type asked about is covered for the whole window."
    def longest(s: IssueSummary) -> str:
        gap = s.longest
        if gap is None:
            return "–"
        where = next((r for r in s.reports if r.longest is gap), None)
        cut = "at least " if gap.cut_start or gap.cut_end else ""  # runs past the window
        return cut + hours(gap.duration) + (
            f" ({area_label(reg, where.areas, short=True)})" if where and where.areas else "")

    issues = [(safe(s.issue.title), percent(s.share), percent(s.uncertain_share),
               longest(s),
               area_label(reg, s.worst.areas, short=True) if s.worst.share else "–",
               "; ".join(f"{area_label(reg, r.areas, short=True)}: {w}" if r.areas else w
                         for r in s.reports if (w := policy_words(r))) or "–")
              for s in report.issues]
    areas = [(safe(r.issue.title), area_label(reg, r.areas), hours(r.uncovered), hours(r.uncertain),
              percent(r.share), hours(r.dated) if r.dated else "–")
             for s in report.issues for r in s.reports]
    fallbacks = [(agency_name(reg, f.agency), hours(f.uncovered), hours(f.uncertain),
                  str(len(f.issues))) for f in report.fallbacks]
    body = [
        f"<h1>{html.escape(report_title(report))}</h1>",
        f'<p class="headline">{html.escape(lead)}</p>',
        f'<p class="meta">{html.escape(window_words(report.window, tz))}. Shares are of the '
        "window, averaged over the areas asked about; hours are per area and never added "
        "across areas unless a row says so.</p>",
        f"<h2>{html.escape(heading)}</h2><figure>{chart}</figure>",
        "<h2>Issue types, worst first</h2>",
        _table(("Issue type", "Without cover", "Uncertain", "Longest gap (where)",
                "Largest share without cover", "Policy"), issues, {1, 2}),
        "<h2>Each issue type in each group of areas with the same cover</h2>",
        _table(("Issue type", "Areas", "Hours without cover (each area)",
                "Hours uncertain (each area)", "Share", "Of which bank holiday or closure"),
               areas, {2, 3, 4, 5}),
        "<h2>Hours absorbed by fallbacks (summed over areas)</h2>",
        _table(("Absorbed by", "Without cover", "Uncertain", "Issue types"), fallbacks,
               {1, 2, 3}),
    ]
    return page(report_title(report), body, STYLE)  # report_title is safe() already
