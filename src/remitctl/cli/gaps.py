"""`gaps`: every hour with no cover, who absorbs it and how much it adds up to; `--check`
gates a CI job on the registry's cover policies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from remitctl.cli.completion import complete_area, complete_issue
from remitctl.cli.options import JsonOpt, RegistryOpt, output_format
from remitctl.cli.places import PlacesOpt, PostcodeOpt, place_line, read_place
from remitctl.cli.session import (
    EXIT_INVALID,
    err,
    find_issue,
    open_registry,
    output_error,
    read_areas,
    read_when,
    usage_error,
    write_out,
)
from remitctl.shown import shown_path

if TYPE_CHECKING:
    from rich.console import RenderableType

    from remitctl.cover.gaps import GapReport, Window
    from remitctl.registry.model import Issue, Registry

MAX_DAYS = 3660  # ten years: enough for any planning question, small enough to stay quick
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    ics = "ics"
    svg = "svg"
    html = "html"


SUFFIXES = {".txt": Format.table, ".json": Format.json, ".csv": Format.csv,
            ".md": Format.markdown, ".markdown": Format.markdown, ".ics": Format.ics,
            ".svg": Format.svg, ".html": Format.html, ".htm": Format.html}


def gaps(
    issues: Annotated[list[str] | None, typer.Argument(
        help="Issue types (id, title or alias); default: every issue type.",
        autocompletion=complete_issue, show_default=False)] = None,
    area: Annotated[list[str] | None, typer.Option(
        "--area", "-a", help="Area id; repeat or comma-separate for several, 'all' for every "
        "area (default: $REMITCTL_AREA, else every area).", envvar="REMITCTL_AREA",
        autocompletion=complete_area, show_default=False)] = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="Start: a date (its 00:00), a date-time, or anything --at takes. "
        "Default: now.", show_default=False)] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="End: a date includes that whole day; a date-time is exclusive.",
        show_default=False)] = None,
    days: Annotated[int | None, typer.Option(
        "--days", min=1, max=MAX_DAYS, help="Length in calendar days (default 7).",
        show_default=False)] = None,
    week: Annotated[bool, typer.Option(
        "--week", help="A typical week (Monday to Monday) without bank holidays or closures: "
        "the standing arrangements.")] = False,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="table (default), json, csv (a row per gap), markdown, ics "
        "(an event per gap), svg (a chart) or html (the meeting pack: chart and tables).",
        show_default=False,
        case_sensitive=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE; the format follows its extension unless "
        "--format says otherwise.", show_default=False, dir_okay=False)] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Check the registry's cover policies; exit 1 listing every breach. "
        "Default window: a typical week and the next 365 days.")] = False,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="Table: gaps listed per issue and area (0: all).")] = 20,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
    postcode: PostcodeOpt = None,
    places: PlacesOpt = None,
) -> None:
    """Every stretch with nobody covering an issue type: when, how long, who picks it up (the
    fallback), and which gaps only a bank holiday or closure causes. Heat map, summary of the
    worst-covered issues and the hours each fallback absorbs.

    Example: remitctl gaps --from 2026-12-24 --to 2027-01-03

    Example: remitctl gaps "mental health" --area kingsbridge --format ics -o mh-gaps.ics

    Example (a CI job): remitctl gaps --check
    """
    chosen_format = output_format(fmt, output, json, SUFFIXES, Format.table)
    if output is not None:
        check_output(output)  # before the year is walked
    loaded = open_registry(registry)
    reg = loaded.registry
    chosen = _issues(issues, reg)
    place = read_place(postcode, area, reg, places)
    if place is not None:
        reg = place.with_nation(reg)
        err(place_line(place, reg))
    areas = place.all_areas() if place else _areas(area, reg)
    if check:
        _check(reg, str(loaded.source.path), chosen if issues else None, areas,
               start, end, days, week, chosen_format, output)
        return
    from remitctl.cover.gaps import gap_report

    window, notes = _window(reg, start, end, days, week)
    report = gap_report(reg, chosen, window, areas,
                        {i.id: place.areas_for(i) for i in chosen} if place else None)
    _emit(_render(report, chosen_format, str(loaded.source.path), notes, limit),
          chosen_format, output)



def _issues(names: list[str] | None, reg: Registry) -> list[Issue]:
    if not names:
        return list(reg.issues.values())
    found: dict[str, Issue] = {}
    for name in names:
        issue = find_issue(name, reg)
        found.setdefault(issue.id, issue)
    return list(found.values())


def _areas(values: list[str] | None, reg: Registry) -> list[str] | None:
    return read_areas(values, reg)


def _moment(text: str, reg: Registry, *, is_end: bool) -> tuple[dt.datetime, tuple[str, ...]]:
    """A --from/--to value. A date alone means its midnight; as --to, the end of that day."""
    from zoneinfo import ZoneInfo

    from remitctl.cover.gaps import local_instant
    from remitctl.when import FIRST_YEAR, LAST_YEAR

    tz = ZoneInfo(reg.timezone)
    raw = text.strip()
    day: dt.date | None = None
    if raw.lower() in _DAY_WORDS:
        day = dt.datetime.now(tz).date() + dt.timedelta(days=_DAY_WORDS[raw.lower()])
    elif _DATE.match(raw):
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            usage_error(f"{raw!r} is not a date", "write YYYY-MM-DD, e.g. 2026-12-24")
    if day is not None:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            usage_error(f"remitctl answers for {FIRST_YEAR}-{LAST_YEAR}; {day.year} is outside")
        return local_instant(day + dt.timedelta(days=1 if is_end else 0), 0, tz), ()
    when = read_when(raw, reg)
    return when.instant, when.notes


def _window(reg: Registry, start: str | None, end: str | None, days: int | None,
            week: bool) -> tuple[Window, tuple[str, ...]]:
    from zoneinfo import ZoneInfo

    from remitctl.cover.gaps import add_days, typical_week, window_from

    tz = ZoneInfo(reg.timezone)
    notes: list[str] = []
    if start is None:
        begin = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    else:
        begin, said = _moment(start, reg, is_end=False)
        notes.extend(said)
    if week:
        if end is not None or days is not None:
            usage_error("--week is one typical week; it takes no --to or --days",
                        "use --from to choose which week")
        window = typical_week(tz, begin)
        monday = begin.astimezone(tz).date() - dt.timedelta(days=begin.astimezone(tz).weekday())
        if window.start.astimezone(tz).date() != monday:
            notes.append(f"the week of {monday:%d %b %Y} has a clock change; the typical week "
                         f"shown is the next one without")
        return window, tuple(notes)
    if end is not None and days is not None:
        usage_error("give --to or --days, not both")
    if end is not None:
        finish, said = _moment(end, reg, is_end=True)
        notes.extend(said)
    else:
        finish = add_days(begin, days or 7, tz)
    if finish <= begin:
        usage_error("--to must be after --from",
                    "a date as --to includes that day: --from 2026-12-24 --to 2026-12-24 is "
                    "one day")
    if finish - begin > dt.timedelta(days=MAX_DAYS):
        usage_error(f"the window is over {MAX_DAYS} days", "ask about ten years at most")
    return window_from(begin, finish), tuple(notes)


def _render(report: GapReport, fmt: Format, path: str, notes: tuple[str, ...],
            limit: int) -> str | Iterator[str]:
    """The report as text, or as chunks of it (a large JSON document is never one string)."""
    if fmt is Format.json:
        from remitctl.render.gaps import as_json as gaps_json

        return gaps_json.chunks(gaps_json.document(report, path, notes))
    if fmt is Format.csv:
        from remitctl.render.gaps import as_csv as gaps_csv

        return gaps_csv.chunks(report)
    if fmt is Format.markdown:
        from remitctl.render.gaps import as_markdown as gaps_markdown

        return gaps_markdown.chunks(report, notes)
    if fmt is Format.ics:
        from remitctl.render.gaps import as_ics as gaps_ics

        return gaps_ics.render(report)
    if fmt in (Format.svg, Format.html):
        from remitctl.render.charts import ChartsUnavailable
        from remitctl.render.gaps import pack

        try:
            return pack.render_svg(report) if fmt is Format.svg else pack.render_html(report)
        except ChartsUnavailable as exc:
            usage_error(str(exc))
    from remitctl.render.gaps import table as gaps_table

    return _plain(gaps_table.gap_table(report, limit=limit, notes=notes))


def _plain(renderable: RenderableType) -> str:
    """The table as it would print (colour only on a terminal when writing to stdout)."""
    from remitctl.cli.session import console

    out = console()
    with out.capture() as captured:
        out.print(renderable)
    text = captured.get()
    if out.is_terminal:
        return text
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _emit(text: str | Iterator[str], fmt: Format, output: Path | None) -> None:
    end = "" if fmt is Format.table and output is None and _terminal() else "\n"
    parts = _ending(iter([text]) if isinstance(text, str) else text, end)
    if output is None:
        for part in parts:
            write_out(part, flush=False)
        return
    _write(output, parts)
    err(f"remitctl: wrote {shown_path(output)} ({fmt.value})")


def _ending(parts: Iterator[str], end: str) -> Iterator[str]:
    """The parts, then `end` unless the text already ends with it."""
    last = ""
    for part in parts:
        if part:
            last = part
            yield part
    if end and not last.endswith(end):
        yield end


def _terminal() -> bool:
    from remitctl.cli.session import console

    return console().is_terminal


def check_output(path: Path) -> None:
    """A path that can never be written is refused before the work (exit 74)."""
    from remitctl.cli.outfile import OutputError, check_place

    try:
        check_place(path)
    except OutputError as exc:
        output_error(str(exc))


def _write(path: Path, parts: Iterator[str]) -> None:
    """Write whole or not at all, and never replace a link, device or FIFO (see outfile)."""
    from remitctl.cli.outfile import OutputError, write_file

    try:
        write_file(path, parts)  # newline untouched: ics keeps its CRLF
    except OutputError as exc:
        output_error(str(exc))


def _check(reg: Registry, path: str, issues: list[Issue] | None, areas: list[str] | None,
           start: str | None, end: str | None, days: int | None, week: bool, fmt: Format,
           output: Path | None) -> None:
    from zoneinfo import ZoneInfo

    from remitctl.cover.policy_check import check_policies, check_windows

    if fmt not in (Format.table, Format.json):
        usage_error(f"--check reports as text or json, not {fmt.value}")
    notes: tuple[str, ...] = ()
    windows: tuple[Window, ...]
    if start is None and end is None and days is None and not week:
        tz = ZoneInfo(reg.timezone)
        windows = check_windows(tz, dt.datetime.now(tz).date())
    else:
        window, notes = _window(reg, start, end, days, week)
        windows = (window,)
    result = check_policies(reg, windows, issues, areas)
    from remitctl.render.gaps import check as gaps_check

    if fmt is Format.json:
        from remitctl.render.gaps import as_json as gaps_json

        text = gaps_json.dumps(gaps_check.document(result, reg, path, notes)) + "\n"
    else:
        text = gaps_check.text(result, reg, notes)
    _emit(text, fmt, output)
    if not result.ok:
        raise typer.Exit(EXIT_INVALID)


def register(app: typer.Typer) -> None:
    app.command()(gaps)
