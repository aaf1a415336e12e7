"""Heat maps of cover, so a pattern such as 'nothing from Friday 17:00 to Monday 09:00' shows
at a glance: for one issue, days by half-hours; for many, issue types by days (or weeks).

Glyphs carry the meaning and colour repeats it, so the map reads the same with NO_COLOR,
in a Markdown code block and in an exported SVG. Each cell is the exact share of its
interval in the window; a half-hour that does not exist (clocks going forward) is blank.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from remitctl.cover.gaps import AreaReport, GapReport, local_instant
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.render.gaps.words import area_label, hours
from remitctl.render.words import safe

RED, YELLOW, GREEN, DIM = "bold red", "yellow", "green", "dim"
Segment = tuple[str, str]  # text, rich style
Line = list[Segment]

HOUR_LEGEND: list[Line] = [
    [("█", RED), (" no cover  ", ""), ("▌▐", RED), (" no cover for part of it  ", ""),
     ("▒", YELLOW), (" uncertain  ", ""), ("·", GREEN), (" covered", "")],
    [("a character is half an hour, local time; * bank holiday", DIM)],
]
DAY_LEGEND: list[Line] = [
    [("█", RED), (" no cover all day  ", ""), ("▓ ▒ ░", RED), (" most, half, some of it", "")],
    [("?", YELLOW), (" uncertain cover, never none  ", ""), ("·", GREEN), (" covered   ", ""),
     ("* bank holiday", DIM)],
]


def _tally(runs: list[tuple[dt.datetime, dt.datetime, str]],
           cells: Iterable[tuple[dt.datetime, dt.datetime]]
           ) -> list[tuple[dict[str, dt.timedelta], str | None]]:
    """For each [a, b) cell (in time order): time per status, and the status it begins with."""
    out: list[tuple[dict[str, dt.timedelta], str | None]] = []
    i = 0
    for a, b in cells:
        tally = {COVERED: dt.timedelta(), UNCERTAIN: dt.timedelta(), UNCOVERED: dt.timedelta()}
        while i < len(runs) and runs[i][1] <= a:
            i += 1
        first = None
        j = i
        while j < len(runs) and runs[j][0] < b:
            lo, hi = max(a, runs[j][0]), min(b, runs[j][1])
            if lo < hi:
                tally[runs[j][2]] += hi - lo
                first = first or runs[j][2]
            j += 1
        out.append((tally, first))
    return out


def _half_hour_glyph(tally: dict[str, dt.timedelta], first: str | None) -> Segment:
    total = sum(tally.values(), dt.timedelta())
    if not total:
        return " ", ""
    if tally[UNCOVERED] == total:
        return "█", RED
    if tally[COVERED] == total:
        return "·", GREEN
    if tally[UNCERTAIN] == total:
        return "▒", YELLOW
    if tally[UNCOVERED]:
        return ("▌" if first == UNCOVERED else "▐"), RED
    return "░", YELLOW


def _day_glyph(tally: dict[str, dt.timedelta]) -> Segment:
    total = sum(tally.values(), dt.timedelta())
    if not total:
        return " ", ""
    share = tally[UNCOVERED] / total
    if share == 0:
        return ("?", YELLOW) if tally[UNCERTAIN] else ("·", GREEN)
    if share == 1:
        return "█", RED
    return ("▓" if share > 2 / 3 else "▒" if share > 1 / 3 else "░"), RED


def _local_days(report: GapReport) -> list[dt.date]:
    tz = report.tz
    first = report.window.start.astimezone(tz).date()
    last = (report.window.end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _holidays(report: GapReport, nation: str | None = None) -> dict[dt.date, str]:
    return {day: name for day, name, nations in report.bank_holidays
            if nation is None or nation in nations}


def hour_map(report: GapReport, area: AreaReport) -> list[Line]:
    """One issue in one group of areas: a row per local day, a character per half hour, then
    that day's hours with no cover (and uncertain ones). `*` marks a bank holiday."""
    tz, w = report.tz, report.window
    days = _local_days(report)
    cells: list[tuple[dt.datetime, dt.datetime]] = []
    for day in days:
        edges = [local_instant(day, 30 * k, tz) for k in range(49)]
        cells.extend((max(a, w.start), max(min(b, w.end), max(a, w.start)))
                     for a, b in itertools.pairwise(edges))
    tallies = _tally(area.runs(), cells)
    holidays = _holidays(report, area.nation)
    label = 12
    lines: list[Line] = [[(" " * label, "")] +
                         [(f"{h:02d}  ", DIM) for h in range(0, 24, 2)] +
                         [(" no cover", DIM)]]
    for n, day in enumerate(days):
        row = tallies[48 * n: 48 * n + 48]
        mark = "*" if day in holidays else " "
        line: Line = [(f"{day:%a %d %b}{mark}".ljust(label), "bold" if day in holidays else "")]
        line.extend(_half_hour_glyph(t, f) for t, f in row)
        gap = sum((t[UNCOVERED] for t, _ in row), dt.timedelta())
        unsure = sum((t[UNCERTAIN] for t, _ in row), dt.timedelta())
        line.append((f" {hours(gap)}" if gap else " ·", RED if gap else GREEN))
        if unsure:
            line.append((f"  ? {hours(unsure)}", YELLOW))
        length = local_instant(day + dt.timedelta(days=1), 0, tz) - local_instant(day, 0, tz)
        if length != dt.timedelta(days=1):
            line.append((f"  ({hours(length)} day: clocks change)", DIM))
        lines.append(line)
    return lines


def _columns(report: GapReport, room: int) -> tuple[list[tuple[dt.date, dt.date]], int]:
    """Day columns (week columns when days do not fit in `room` characters) as inclusive
    local date ranges, and the characters each takes."""
    days = _local_days(report)
    if len(days) <= room:
        width = 3 if 3 * len(days) <= room else 2 if 2 * len(days) <= room else 1
        return [(d, d) for d in days], width
    monday = days[0] - dt.timedelta(days=days[0].weekday())
    weeks = []
    while monday <= days[-1]:
        weeks.append((max(monday, days[0]), min(monday + dt.timedelta(days=6), days[-1])))
        monday += dt.timedelta(days=7)
    return weeks, 1


def day_map(report: GapReport, rows: Sequence[AreaReport],
            max_width: int = 100) -> tuple[str, list[Line]]:
    """Many issue types: a row per issue and group of areas, a column per day (or, when the
    days do not fit, per week). Returns a title saying which, and the lines."""
    tz, w = report.tz, report.window
    with_areas = bool(report.registry.areas)
    titles = [safe(r.issue.title) for r in rows]
    areas = [area_label(report.registry, r.areas, short=True) for r in rows]
    t_width = min(26 if max_width < 100 else 34, max((len(t) for t in titles), default=5))
    a_width = min(22, max((len(a) for a in areas), default=0)) if with_areas else 0
    label = t_width + (a_width + 1 if with_areas else 0) + 1
    columns, width = _columns(report, max(7, max_width - label))
    weekly = len(columns) < len(_local_days(report))
    cells = [(max(w.start, local_instant(a, 0, tz)),
              min(w.end, local_instant(b + dt.timedelta(days=1), 0, tz))) for a, b in columns]
    holidays = _holidays(report)

    head: list[Line] = []
    if weekly:
        ruler = [" "] * len(columns)
        for n, (a, _) in enumerate(columns):
            text = f"{a:%b}" if n == 0 or a.month != columns[n - 1][0].month else ""
            if text and all(c == " " for c in ruler[n:n + len(text) + 1]):
                ruler[n:n + len(text)] = list(text)
        head.append([(" " * label, ""), ("".join(ruler), DIM), ("  a column a week", DIM)])
    elif width == 3:
        head.append([(" " * label, "")] + [(f"{a:%a}"[:2] + " ", DIM) for a, _ in columns])
        head.append([(" " * label, "")] + [(f"{a.day:>2} ", DIM) for a, _ in columns])
    else:
        head.append([(" " * label, "")] + [(f"{a:%a}"[0].ljust(width), DIM) for a, _ in columns])
        ruler = [" "] * (len(columns) * width + 6)
        for n, (a, _) in enumerate(columns):
            text = f"{a:%d %b}"
            at = n * width
            if (n == 0 or a.weekday() == 0) and all(c == " " for c in ruler[max(0, at - 1):at + 7]):
                ruler[at:at + len(text)] = list(text)
        head.append([(" " * label, ""), ("".join(ruler).rstrip(), DIM)])
    marks = ["*" if any(a <= d <= b for d in holidays) else " " for a, b in columns]
    if any(m == "*" for m in marks):
        head.append([(" " * label, "")] + [(m.ljust(width), "bold") for m in marks])

    lines = list(head)
    drawn: dict[int, list[Segment]] = {}  # areas with the same hours share a tuple of gaps
    for r, title, area in zip(rows, titles, areas, strict=True):
        line: Line = [(_fit(title, t_width) + " ", "bold" if r.uncovered else "")]
        if with_areas:
            line.append((_fit(area, a_width) + " ", DIM))
        if id(r.gaps) not in drawn:
            drawn[id(r.gaps)] = [
                (glyph * (width - 1 if width == 3 else width) + (" " if width == 3 else ""),
                 style)
                for glyph, style in (_day_glyph(t) for t, _ in _tally(r.runs(), cells))]
        line.extend(drawn[id(r.gaps)])
        lines.append(line)
    return ("Cover by week" if weekly else "Cover by day"), lines


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


HOUR_MAP_DAYS = 31  # longer windows, or more area groups, are drawn by day instead
HOUR_MAP_GROUPS = 12
ROWS = 60  # rows of the day map shown unless every row is asked for


class HeatMaps:
    """The heat maps a report shows, laid out for the width they are printed at: for one
    issue type over a month or less, each group of areas by days and half hours; otherwise
    one map of issue types and areas by days (or weeks), the worst covered first."""

    def __init__(self, report: GapReport, rows: Sequence[AreaReport], *,
                 every_row: bool = False) -> None:
        self.report = report
        self.rows = rows
        self.every_row = every_row

    def pictures(self, max_width: int = 100) -> list[tuple[str, list[Line]]]:
        report, rows = self.report, self.rows
        if (len({r.issue.id for r in rows}) == 1 and len(rows) <= HOUR_MAP_GROUPS
                and len(_local_days(report)) <= HOUR_MAP_DAYS):
            return [(f"{safe(r.issue.title)} — {area_label(report.registry, r.areas)}"
                     if report.registry.areas else safe(r.issue.title),
                     [*hour_map(report, r), *HOUR_LEGEND]) for r in rows]
        shown = rows if self.every_row else rows[:ROWS]
        title, lines = day_map(report, shown, max_width)
        if len(shown) < len(rows):
            lines.append([(f"… and {len(rows) - len(shown)} more rows, better covered; "
                           "--limit 0 draws them all", DIM)])
        return [(title, [*lines, *DAY_LEGEND])]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for n, (title, lines) in enumerate(self.pictures(options.max_width)):
            if n:
                yield Text("")
            yield Text(title, style="bold")
            widest = max((cell_len("".join(piece for piece, _ in line)) for line in lines),
                         default=0)
            if widest > options.max_width:  # cropped, part of each day would pass for all of it
                yield Text(f"(the heat map needs {widest} columns; every gap is listed below)",
                           style="dim")
                continue
            yield rich_lines(lines)


def rich_lines(lines: list[Line]) -> RenderableType:
    """One Text for the whole map, neighbouring cells of one style as one span: a national
    registry's map has thousands of rows."""
    text = Text(no_wrap=True, overflow="crop")
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        chunk, style = "", ""
        for piece, piece_style in line:
            if piece_style == style:
                chunk += piece
                continue
            if chunk:
                text.append(chunk, style=style or None)
            chunk, style = piece, piece_style
        if chunk:
            text.append(chunk, style=style or None)
    return text


def plain_lines(lines: list[Line]) -> str:
    return "\n".join("".join(chunk for chunk, _ in line).rstrip() for line in lines)
