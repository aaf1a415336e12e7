"""`evidence`: recorded incidents judged against cover, for budget holders."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from remitctl.cli.completion import complete_area
from remitctl.cli.options import JsonOpt, RegistryOpt
from remitctl.cli.session import (
    EXIT_INVALID,
    check_area,
    err,
    open_registry,
    usage_error,
    write_out,
)

if TYPE_CHECKING:
    from remitctl.evidence.judge import Judgement


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


SUFFIXES = {".txt": Format.table, ".json": Format.json, ".csv": Format.csv,
            ".md": Format.markdown, ".markdown": Format.markdown, ".html": Format.html,
            ".htm": Format.html}
STDIN = Path("-")


def evidence(
    files: Annotated[list[Path] | None, typer.Argument(
        help="CSV exports of incidents ('-' reads stdin). Columns by header: time, issue "
        "(required), area, minutes, ref.", show_default=False, dir_okay=False)] = None,
    column: Annotated[list[str] | None, typer.Option(
        "--column", "-c", help="Map a column to your export's header: time=\"Created Date\" "
        "(repeat for several).", show_default=False)] = None,
    area: Annotated[str | None, typer.Option(
        "--area", "-a", help="Area of rows without an area column or value (default: "
        "$REMITCTL_AREA, else the registry's only area).", envvar="REMITCTL_AREA",
        autocompletion=complete_area, show_default=False)] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 if any row was rejected (the rest is still reported).")
    ] = False,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="table (default), json (remitctl/evidence/v1), csv (a row per "
        "incident with its judgement), markdown, html (the meeting pack).",
        show_default=False, case_sensitive=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE; the format follows its extension unless "
        "--format says otherwise.", show_default=False, dir_okay=False)] = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, help="Table: issue-and-area rows shown (0: all).")] = 20,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """How many recorded incidents arrived while no partner covered them, judged one by one
    with the same cover timelines as `who`: covered (by whom), uncertain, or uncovered (who
    absorbed it, and whether only a bank holiday or closure caused the gap). Per issue type
    and area and per agency, worst first, by hour of the week and by month.

    Time is ISO 8601 (no offset: the registry's local time) or DD/MM/YYYY HH:MM[:SS]. Issue
    and area must match an id, title, alias or the registry's `codes:` exactly (any case);
    other rows are rejected as FILE:LINE: reason on stderr, never guessed at.

    Example: remitctl evidence incidents-2026.csv --column time="Created Date" -c issue=Type

    Example: remitctl evidence incidents-*.csv -f html -o pack.html
    """
    from remitctl.evidence.incidents import EvidenceFileError, Reader, column_map

    chosen = _format(fmt, output, json)
    if not files:
        usage_error("give one or more CSV files of incidents",
                    "e.g. remitctl evidence incidents.csv --column time=\"Created Date\"")
    try:
        columns = column_map(column or [])
    except ValueError as exc:
        usage_error(str(exc))
    loaded = open_registry(registry)
    reg = loaded.registry
    area_id = check_area(area, reg)
    reader = Reader(reg, area=area_id, columns=columns)
    try:
        for path in files:
            if path == STDIN:
                reader.read_stream(sys.stdin, "<stdin>")
            else:
                reader.read_csv(path)
    except EvidenceFileError as exc:
        usage_error(str(exc))
    from remitctl.evidence.judge import judge

    result = judge(reg, reader.out)
    for rejected in reader.out.rejected:
        err(rejected.format())
    _emit(result, chosen, output, str(loaded.source.path), limit)
    count = reader.out.rejected_count
    if count:
        err(f"remitctl: {count:,} row{'s' if count != 1 else ''} rejected; the rest "
            f"({len(reader.out):,} incidents) judged")
    if strict and count:
        raise typer.Exit(EXIT_INVALID)


def _format(fmt: Format | None, output: Path | None, json: bool) -> Format:
    if json and fmt not in (None, Format.json):
        usage_error(f"--json and --format {fmt.value} disagree; give one of them")
    if json:
        return Format.json
    if fmt is not None:
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in SUFFIXES:
            usage_error(f"cannot tell the format of {output.name!r} from its extension",
                        "add --format table|json|csv|markdown|html")
        return SUFFIXES[suffix]
    return Format.table


def _parts(result: Judgement, fmt: Format, path: str, limit: int,
           to_file: bool) -> Iterator[str]:
    if fmt is Format.json:
        from remitctl.render.evidence import as_json
        from remitctl.render.json_out import dumps

        yield dumps(as_json.document(result, path)) + "\n"
    elif fmt is Format.csv:
        from remitctl.render.evidence import as_csv

        yield from as_csv.chunks(result)
    elif fmt is Format.markdown:
        from remitctl.render.evidence import as_markdown

        yield as_markdown.render(result)
    elif fmt is Format.html:
        from remitctl.render.evidence import as_html

        yield as_html.render(result)
    else:
        yield _plain(result, limit, to_file)


def _plain(result: Judgement, limit: int, to_file: bool) -> str:
    import io

    from rich.console import Console

    from remitctl.render.evidence import table

    out = Console(file=io.StringIO(), width=120, color_system=None, highlight=False,
                  emoji=False, soft_wrap=False) if to_file else None
    if out is None:
        from remitctl.cli.session import console

        out = console()
    with out.capture() as captured:
        out.print(table.render(result, limit))
    text = captured.get()
    if out.is_terminal and not to_file:
        return text
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"


def _emit(result: Judgement, fmt: Format, output: Path | None, path: str, limit: int) -> None:
    parts = _parts(result, fmt, path, limit, output is not None)
    if output is None:
        for part in parts:
            write_out(part)
        return
    from remitctl.cli.gaps import _write

    _write(output, parts)
    err(f"remitctl: wrote {output} ({fmt.value})")


def register(app: typer.Typer) -> None:
    app.command()(evidence)
