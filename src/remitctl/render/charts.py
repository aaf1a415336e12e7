"""Charts for the meeting pack, drawn with matplotlib (the optional `charts` extra).

Made for paper and a projector, not a terminal: light, A4 landscape at an explicit size,
every name whole (wrapped, never cut), totals labelled for what they are, and a `<title>`.
Text is drawn as paths from matplotlib's own DejaVu Sans, so an SVG needs no font and
makes no request of any kind. matplotlib is imported only here, only when a chart is
asked for, with the Agg backend (no display).
"""

from __future__ import annotations

import html
import io
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remitctl.cover.gaps import GapReport
    from remitctl.evidence.judge import Judgement

A4_LANDSCAPE = (11.69, 8.27)  # inches
COVERED, UNCERTAIN, UNCOVERED = "#5b9f73", "#e3a72f", "#c0392b"
INK, MUTED, GRID = "#1a1a1a", "#555555", "#dddddd"
WRAP = 34  # characters per line of a bar's label
ROWS = 12  # bars in a chart; the rest are in the tables
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
INSTALL = "pip install 'remitctl[charts]' (make run and make test install it)"


class ChartsUnavailable(Exception):
    """matplotlib is not installed."""


def _figure(name: str, margins: dict[str, float] | None = None) -> Any:
    """A figure laid out by matplotlib's constrained layout, or (`margins`, for a chart
    whose labels have a known size) at fixed margins: the layout engine is most of the
    drawing time of a chart."""
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable(f"charts need matplotlib: {INSTALL}") from None
    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "path",  # glyphs as paths: no font to fetch or lack
        "svg.hashsalt": f"remitctl-{name}",  # stable ids, unique per chart on one page
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "text.color": INK, "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
        "axes.edgecolor": MUTED, "figure.facecolor": "white", "axes.facecolor": "white",
    })
    if margins is not None:
        fig = Figure(figsize=A4_LANDSCAPE)
        fig.subplots_adjust(**margins)
        return fig
    return Figure(figsize=A4_LANDSCAPE, layout="constrained")


def _wrap(text: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False,
                                   break_on_hyphens=False)) or text


def svg(fig: Any, title: str) -> str:
    """The figure as an SVG element (no XML prologue, so it can be inlined), with a title."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Title": title, "Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    if "<metadata>" in text:  # RDF namespaces only, but no address of any kind is wanted
        text = text[:text.index("<metadata>")] + text[text.index("</metadata>") + 11:]
    head_end = text.index(">") + 1
    return f"{text[:head_end]}\n<title>{html.escape(title)}</title>{text[head_end:]}"


def _stacked_rows(ax: Any, labels: list[str], parts: list[tuple[str, str, list[float]]],
                  notes: list[str], xlabel: str) -> None:
    """Horizontal stacked bars, first row at the top, a note at each bar's end."""
    y = list(range(len(labels)))
    left = [0.0] * len(labels)
    for name, colour, values in parts:
        ax.barh(y, values, left=left, color=colour, label=name, height=0.66)
        left = [a + b for a, b in zip(left, values, strict=True)]
    top = max(left, default=0) or 1
    for row, (end, note) in enumerate(zip(left, notes, strict=True)):
        ax.text(end + top * 0.01, row, note, va="center", fontsize=9, color=INK)
    ax.set_yticks(y, [_wrap(label) for label in labels], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.32)  # room for the notes at the bars' ends
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color=GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", frameon=False, ncols=len(parts))


# -- evidence --------------------------------------------------------------------------


def evidence_charts(j: Judgement) -> list[tuple[str, str]]:
    """(heading, inline SVG) for the pack: worst groups, the week, the months."""
    from remitctl.render.evidence.words import area_name, issue_title, pct

    reg = j.registry
    out: list[tuple[str, str]] = []
    shown = [g for g in j.groups if g.tally.incidents][:ROWS]
    if shown:
        fig = _figure("evidence-groups")
        ax = fig.add_subplot()
        labels = [f"{issue_title(reg, g.issue)} – {area_name(reg, g.area)}" for g in shown]
        notes = [f"{g.tally.uncovered:,} of {g.tally.incidents:,} uncovered "
                 f"({pct(g.tally.uncovered, g.tally.incidents)})" for g in shown]
        _stacked_rows(ax, labels, [
            ("no partner covering", UNCOVERED, [g.tally.uncovered for g in shown]),
            ("uncertain cover", UNCERTAIN, [g.tally.uncertain for g in shown]),
            ("covered", COVERED, [g.tally.covered for g in shown]),
        ], notes, "incidents (each counted once, in its own area)")
        more = len(j.groups) - len(shown)
        title = "Incidents by issue type and area, worst first"
        fig.suptitle(title + (f" (top {len(shown)} of {len(j.groups)}; all are in the "
                              "table)" if more > 0 else ""), fontsize=13, x=0.01, ha="left")
        out.append((title, svg(fig, title)))

    fig = _figure("evidence-week", {"left": 0.06, "right": 0.99, "top": 0.91, "bottom": 0.09})
    ax = fig.add_subplot()
    grid = [j.heat[d * 24:(d + 1) * 24] for d in range(7)]
    image = ax.imshow(grid, cmap="Reds", aspect="auto", vmin=0)
    ax.set_yticks(range(7), list(DAYS))
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)])
    ax.set_xlabel("hour of the day (local time, the hour starting at)")
    top = max(j.heat) if j.heat else 0
    for d in range(7):
        for h in range(24):
            count = grid[d][h]
            if count:
                ax.text(h, d, f"{count:,}", ha="center", va="center", fontsize=6.5,
                        color="white" if count > top * 0.55 else INK)
    fig.colorbar(image, ax=ax, label="uncovered incidents", shrink=0.8)
    title = "Uncovered incidents by hour of the week"
    fig.suptitle(f"{title} ({j.total.uncovered:,} in all)", fontsize=13, x=0.01, ha="left")
    out.append((title, svg(fig, title)))

    if j.months:
        fig = _figure("evidence-months", {"left": 0.08, "right": 0.98, "top": 0.91,
                                          "bottom": 0.16 if len(j.months) > 12 else 0.08})
        ax = fig.add_subplot()
        months = list(j.months)
        x = list(range(len(months)))
        ax.bar(x, [j.months[m][0] for m in months], color="#c9d3dc", label="all incidents")
        ax.bar(x, [j.months[m][1] for m in months], color=UNCOVERED,
               label="no partner covering")
        ax.set_xticks(x, months, rotation=45 if len(months) > 12 else 0, ha="right"
                      if len(months) > 12 else "center")
        ax.set_ylabel("incidents")
        ax.grid(axis="y", color=GRID)
        ax.set_axisbelow(True)
        ax.legend(frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        title = "Incidents by month"
        fig.suptitle(title, fontsize=13, x=0.01, ha="left")
        out.append((title, svg(fig, title)))
    return out


# -- gaps --------------------------------------------------------------------------------


def gaps_chart(report: GapReport) -> tuple[str, str]:
    """Each issue type's share of the window without cover, averaged over its areas: a
    share, so that hours are never added across areas."""
    from remitctl.render.evidence.words import pct
    from remitctl.render.words import safe

    shown = list(report.issues)[:ROWS * 2]
    fig = _figure("gaps")
    ax = fig.add_subplot()
    labels = [safe(s.issue.title) for s in shown]
    uncovered = [100 * s.share for s in shown]
    uncertain = [100 * s.uncertain_share for s in shown]
    covered = [max(0.0, 100 - a - b) for a, b in zip(uncovered, uncertain, strict=True)]
    notes = []
    for s in shown:
        areas = sum(r.weight for r in s.reports)
        note = f"{pct(round(s.share * 10_000), 10_000)} without cover"
        if s.uncertain_share:
            note += f", {pct(round(s.uncertain_share * 10_000), 10_000)} uncertain"
        notes.append(note + (f" (mean of {areas} areas)" if areas > 1 else ""))
    _stacked_rows(ax, labels, [("no partner covering", UNCOVERED, uncovered),
                               ("uncertain cover", UNCERTAIN, uncertain),
                               ("covered", COVERED, covered)], notes,
                  "share of the window (%), averaged over the areas asked about; hours "
                  "are not added across areas")
    ax.set_xlim(0, 140)
    ax.set_xticks(range(0, 101, 20))
    tz = report.tz
    w = report.window
    span = (f"{w.start.astimezone(tz):%d %b %Y %H:%M} to {w.end.astimezone(tz):%d %b %Y %H:%M}"
            if not w.typical else "a typical week (no bank holidays or closures)")
    title = f"Cover gaps by issue type, worst first: {span}"
    more = len(report.issues) - len(shown)
    fig.suptitle(title + (f" (top {len(shown)} of {len(report.issues)})" if more > 0 else ""),
                 fontsize=12, x=0.01, ha="left")
    return title, svg(fig, title)
