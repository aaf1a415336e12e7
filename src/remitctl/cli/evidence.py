"""`evidence`: recorded incidents judged against cover, for budget holders; `log`: record
one as it happens."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from remitctl.cli.completion import complete_area, complete_issue
from remitctl.cli.options import AreaOpt, AtOpt, JsonOpt, RegistryOpt, output_format
from remitctl.cli.places import PlacesOpt, PostcodeOpt, place_area, read_place
from remitctl.cli.session import (
    EXIT_INVALID,
    check_area,
    err,
    find_issue,
    open_registry,
    read_when,
    usage_error,
    write_out,
)

if TYPE_CHECKING:
    from remitctl.cli.progress import Progress
    from remitctl.cover.lookup import CoverAnswer
    from remitctl.evidence.incidents import Reader
    from remitctl.evidence.judge import Judgement
    from remitctl.registry.model import Registry
    from remitctl.store import Store

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="The log store: a SQLite file, or a postgresql:// URL (a "
                 "force's shared record). Default: $REMITCTL_DB, else "
                 "$XDG_DATA_HOME/remitctl/evidence.sqlite3 (~/.local/share/…).",
                 show_default=False),
]


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
        "--area", "-a", help="Area of rows without an area column or value (default: the "
        "registry's only area; $REMITCTL_AREA is not used for batch data).",
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
    mapping: Annotated[Path | None, typer.Option(
        "--map", help="YAML file of your force's codes or categories → issue ids "
        "(CODE: issue-id a line); checked first.", show_default=False, dir_okay=False)] = None,
    time_format: Annotated[str | None, typer.Option(
        "--time-format", help="How the time (or date and time) is written, strptime-style, "
        "e.g. '%m/%d/%Y %I:%M:%S %p'.", show_default=False)] = None,
    db: DbOpt = None,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """How many recorded incidents arrived while no partner covered them, judged one by one
    with the same cover timelines as `who`: covered (by whom), uncertain, or uncovered (who
    absorbed it, and whether only a bank holiday or closure caused the gap). Per issue type
    and area and per agency, worst first, by hour of the week and by month.

    Time is ISO 8601 (no offset: the registry's local time) or DD/MM/YYYY HH:MM[:SS], in one
    column or as a date and a time column (-c date=DateOfCall -c time=TimeOfCall); a
    month-first column needs --time-format. Issue must match an id, title, alias, the
    registry's `codes:` or a --map code exactly (any case); areas are read as -a reads them,
    without guessing at typos; other rows are rejected as FILE:LINE: reason on stderr.

    Example: remitctl evidence incidents-2026.csv --column time="Created Date" -c issue=Type

    Example: remitctl evidence incidents-*.csv -f html -o pack.html

    With no FILE, the incidents recorded with `remitctl log` are judged; with files, those
    and the log's records (when there is a log store) together.
    """
    from remitctl.evidence.incidents import EvidenceFileError, Reader, column_map

    chosen = output_format(fmt, output, json, SUFFIXES, Format.table)
    if output is not None:
        from remitctl.cli.gaps import check_output

        check_output(output)  # before the rows are read and judged
    try:
        columns = column_map(column or [])
    except ValueError as exc:
        usage_error(str(exc))
    if time_format is not None:
        from remitctl.evidence.times import check_format

        problem = check_format(time_format)
        if problem:
            usage_error(problem)
    loaded = open_registry(registry)
    reg = loaded.registry
    area_id = check_area(area, reg)
    reader = Reader(reg, area=area_id, columns=columns, keep_rejected=SAMPLE,
                    mapping=_load_map(mapping, reg), time_format=time_format)
    from remitctl.cli.progress import Progress

    progress = Progress()
    reader.on_block = lambda rows: progress.say(f"reading rows: {rows:,}", often=True)
    try:
        for path in files or []:
            if path == STDIN:
                reader.read_stream(sys.stdin, "<stdin>")
            else:
                reader.read_csv(path)
    except EvidenceFileError as exc:
        progress.clear()
        usage_error(str(exc), exc.hint)
    chain = _read_store(reader, db, required=not files)
    progress.clear()
    _check_span(reader)
    from remitctl.evidence.judge import judge
    from remitctl.render.evidence.reading import all_rejected, text_lines

    out = reader.out
    for rejected in out.rejected:
        err(rejected.format())
    if out.rejected_count > len(out.rejected):
        err(f"remitctl: … and {out.rejected_count - len(out.rejected):,} more rejected rows "
            f"(the first {SAMPLE:,} are listed)")
    if out.rejected_count and not len(out):
        err(all_rejected(out))
        raise typer.Exit(EXIT_ALL_REJECTED)
    progress.say(f"judging {len(out):,} incidents")
    result = judge(reg, out)
    progress.clear()
    if chosen is not Format.json:
        for line in text_lines(reg, out):
            err(line)
    _emit(result, chosen, output, str(loaded.source.path), limit, chain, progress)
    progress.clear()
    count = out.rejected_count
    if count:
        err(f"remitctl: {count:,} row{'s' if count != 1 else ''} rejected; the rest "
            f"({len(out):,} incidents) judged")
    if len(out) >= QUICK_EXIT_ROWS:
        from remitctl.cli.session import leave_quickly

        leave_quickly(reader, result)  # not freed one by one when the process ends
    if strict and (count or (chain and chain.get("intact") is False)):
        raise typer.Exit(EXIT_INVALID)


EXIT_ALL_REJECTED = 1  # as --strict: the input was invalid; nothing is written
SAMPLE = 1000  # rejected rows listed; the rest are counted by reason and value
QUICK_EXIT_ROWS = 100_000  # incidents past which the process ends without freeing them


def _load_map(path: Path | None, reg: Registry) -> dict[str, str] | None:
    if path is None:
        return None
    from remitctl.evidence.mapping import MapError, load_map

    try:
        return load_map(path, reg)
    except MapError as exc:
        for line in exc.lines[:-1]:
            err(line)
        usage_error(exc.lines[-1], f"--map {path}: {len(exc.lines)} problem"
                    f"{'s' if len(exc.lines) != 1 else ''}; nothing was judged")


def _read_store(reader: Reader, option: str | None, *,
                required: bool) -> dict[str, object] | None:
    """The log store's current records into `reader` (when there is a store, or when it is
    the only input: then its absence is an error); what its chain check found."""
    from remitctl.evidence.store import StoreError, check, connect, default_path, exists

    target = option or default_path()
    if not exists(target) and not required and option is None:
        return None
    try:
        db = connect(target, create=False)
        with closing(db):
            reader.read_records(((r.id, r.at, r.issue, r.area, r.minutes, r.ref)
                                 for r in db.records()), db.label)
            verdict = check(db)
    except StoreError as exc:
        usage_error(str(exc), "give CSV files of incidents, or record some with "
                    "`remitctl log ISSUE`" if required else None)
    if not verdict.intact:
        err(f"remitctl: warning: {db.label}: the record's chain is broken: "
            f"{verdict.problems[0]} (remitctl log --verify --db ... says more)")
    return {"source": db.label, "intact": verdict.intact, "records": verdict.count,
            "head": verdict.head, "first_broken": verdict.first_broken,
            "problems": verdict.problems}


MAX_DAYS = 3660  # as gaps: ten years of cover timelines is the most one report builds


def _check_span(reader: Reader) -> None:
    """A mistyped year (2062 for 2026) would stretch the period to decades of timelines:
    refuse, naming the first and last incident, rather than judge for minutes."""
    import datetime as dt

    out = reader.out
    if not len(out):
        return
    lo, hi = out.span()
    if hi - lo <= MAX_DAYS * 86400:
        return
    first, last = out.when.index(lo), out.when.index(hi)

    def where(k: int) -> str:
        at = dt.datetime.fromtimestamp(out.when[k], dt.UTC)
        return f"{out.sources[out.source[k]]}:{out.line[k]} ({at:%Y-%m-%d %H:%M} UTC)"

    usage_error(f"the incidents span more than ten years, from {where(first)} to "
                f"{where(last)}", "check those rows for a mistyped year, or judge the "
                "years in separate runs")



def _parts(result: Judgement, fmt: Format, path: str, limit: int,
           to_file: bool, progress: Progress | None = None,
           output_name: str = "the page") -> Iterator[str]:
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

        if progress is not None:
            progress.say("drawing charts")
        charts = _charts(result)
        if progress is not None:
            progress.say(f"writing {output_name}")
        yield as_html.render(result, charts)
    else:
        yield _plain(result, limit, to_file)


def _charts(result: Judgement) -> list[tuple[str, str]] | None:
    """The pack's charts, or None (tables only, saying why) without matplotlib."""
    from remitctl.render.charts import ChartsUnavailable, evidence_charts

    try:
        return evidence_charts(result)
    except ChartsUnavailable as exc:
        err(f"remitctl: note: {exc}; the page has the tables only")
        return None


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


def _emit(result: Judgement, fmt: Format, output: Path | None, path: str, limit: int,
          chain: dict[str, object] | None = None, progress: Progress | None = None) -> None:
    parts = _parts(result, fmt, path, limit, output is not None, progress, str(output))
    if chain is not None:
        from remitctl.render.evidence.chain import marked

        parts = marked(parts, fmt.value, chain)
    if output is None:
        for part in parts:
            write_out(part)
        return
    from remitctl.cli.gaps import _write

    if progress is not None and fmt is not Format.html:  # html says so as it draws
        progress.say(f"writing {output}")
    _write(output, parts)
    if progress is not None:
        progress.clear()
    err(f"remitctl: wrote {output} ({fmt.value})")


def log(
    issue: Annotated[str | None, typer.Argument(
        help="Issue type: id, title or alias, as `who` takes it.",
        autocompletion=complete_issue, show_default=False)] = None,
    at: AtOpt = None,
    area: AreaOpt = None,
    minutes: Annotated[float | None, typer.Option(
        "--minutes", "-m", min=0, max=525_600, help="Officer minutes it took.",
        show_default=False)] = None,
    ref: Annotated[str | None, typer.Option(
        "--ref", help="Incident reference (the same ref twice is one incident).",
        show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="A few words.",
                                             show_default=False)] = None,
    supersedes: Annotated[int | None, typer.Option(
        "--supersedes", min=1, help="Correct record ID: this record replaces it (records "
        "are never edited).", show_default=False)] = None,
    listing: Annotated[bool, typer.Option("--list", help="List the current records.")] = False,
    export: Annotated[str | None, typer.Option(
        "--export", help="Export every record, corrections and what they replaced included: "
        "csv.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="With --export: write to FILE.", show_default=False,
        dir_okay=False)] = None,
    verify: Annotated[bool, typer.Option(
        "--verify", help="Check the store's hash chain: exit 0 intact, 1 naming the first "
        "record changed, removed, inserted or reordered.")] = False,
    init_db: Annotated[bool, typer.Option(
        "--init-db", help="Create or upgrade the store's tables (PostgreSQL: run as the "
        "owner role; writers get INSERT and SELECT through remitctl_writer).")] = False,
    db: DbOpt = None,
    registry: RegistryOpt = None,
    postcode: PostcodeOpt = None,
    places: PlacesOpt = None,
) -> None:
    """Record that officers dealt with ISSUE (now, or --at): stamped with what the registry
    said at that moment (covered by whom, or uncovered and who absorbed it) and the
    registry's hash, in the log store that `remitctl evidence` reads: a SQLite file, or a
force's PostgreSQL database (--db postgresql://…; docs/evidence.md).

    Example: remitctl log "barking dog" --area brackenford --minutes 45 --ref SV-2026-118

    Example: remitctl log --list

    Example: remitctl log --export csv -o log.csv

    Example: remitctl log --verify --db postgresql://remitctl@db.example/remit
    """
    from remitctl.evidence.store import StoreError, append, connect, default_path

    path = db or default_path()
    if listing or export is not None or verify or init_db:
        if issue is not None:
            usage_error("--list, --export, --verify and --init-db take no ISSUE")
        if export is not None and export.lower() != "csv":
            usage_error(f"--export {export!r}: the export format is csv")
        if init_db:
            _init_db(path)
            return
        try:
            with closing(connect(path, create=False)) as store:
                if verify:
                    _verify(store)
                elif export is not None:
                    _export(store, output)
                else:
                    _list(store)
        except StoreError as exc:
            usage_error(str(exc))
        return
    if issue is None:
        usage_error("say what officers dealt with: remitctl log ISSUE",
                    "or --list / --export csv to see the records")
    loaded = open_registry(registry)
    reg = loaded.registry
    from remitctl.cli.question import log_question

    place = read_place(postcode, area, reg, places)
    question, from_words = log_question(issue, reg, area, place)
    chosen = find_issue(question, reg)
    reg, area_id = (place_area(place, chosen, reg) if place
                    else (reg, from_words or check_area(area, reg)))
    when = read_when(at, reg, past=True)
    if area_id is None and len(reg.cover_groups(chosen)) > 1:
        usage_error(f"{chosen.id!r} is covered differently by area; say which with --area",
                    f"areas: {', '.join(reg.areas)}")
    from remitctl.cover.lookup import answers_for

    (answer, *_) = answers_for(reg, chosen, area_id, when.instant)
    status, service = _judged(answer)
    import getpass

    try:
        user: str | None = getpass.getuser()
    except (KeyError, OSError):
        user = None
    try:
        with closing(connect(path)) as store:
            record = append(store, at=when.instant, issue=chosen.id, area=area_id,
                            minutes=minutes, ref=ref.strip() if ref else None, note=note,
                            status=status, service=service, registry_name=reg.name,
                            registry_sha256=reg.digest, supersedes=supersedes,
                            logged_by=user)
    except StoreError as exc:
        usage_error(str(exc))
    from remitctl.render.evidence.words import area_name, issue_title, service_name
    from remitctl.render.words import local

    where = f" in {area_name(reg, area_id)}" if area_id else ""
    said = {"covered": f"covered by {service_name(reg, service)}",
            "uncertain": f"cover uncertain ({service_name(reg, service)})",
            "uncovered": f"no partner covered it; absorbed by {service_name(reg, service)}"}
    for note_text in when.notes:
        err(f"remitctl: note: {note_text}")
    write_out(f"logged #{record}: {issue_title(reg, chosen.id)}{where} at "
              f"{local(when.instant, when.local.tzinfo, year=True)}: {said[status]}"  # type: ignore[arg-type]
              f"{f' (replaces #{supersedes})' if supersedes else ''}\n")


def _judged(answer: CoverAnswer) -> tuple[str, str | None]:
    """What the registry said: the status, and the covering, unknown or absorbing line."""
    if answer.status == "covered":
        return answer.status, answer.covering.ref if answer.covering else None
    if answer.status == "uncertain":
        return answer.status, answer.current.primary
    absorbed = next((f.service.ref for f in answer.fallback if f.state == "open"), None)
    return answer.status, absorbed


def _init_db(target: str) -> None:
    from remitctl.evidence.store import StoreError, init_db

    try:
        with closing(init_db(target)) as store:
            write_out(f"log store ready: {store.label}\n")
    except StoreError as exc:
        usage_error(str(exc))


def _verify(store: Store) -> None:
    from remitctl.evidence.store import check

    verdict = check(store)
    if verdict.intact:
        write_out(f"intact: {verdict.count:,} record{'s' if verdict.count != 1 else ''} in "
                  f"{store.label}, chained from #1; head {verdict.head}\n")
        return
    write_out(f"BROKEN: {store.label}: " + "\n  ".join(verdict.problems) + "\n")
    raise typer.Exit(EXIT_INVALID)


def _list(store: Store) -> None:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from remitctl.cli.session import show
    from remitctl.evidence.store import records
    from remitctl.render.words import safe

    rows = list(records(store))
    path = store.label
    if not rows:
        write_out(f"no records in {path}\n")
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("when (UTC)", no_wrap=True)
    table.add_column("issue\narea", no_wrap=True, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("ref, note", overflow="fold", min_width=12)
    for r in rows:
        extra = " · ".join(safe(x) for x in (r.ref, r.note) if x)
        if r.supersedes:
            extra = f"(replaces #{r.supersedes}) {extra}".rstrip()
        table.add_row(str(r.id), Text(safe(r.at).replace("T", " ")[:16]),
                      Text(safe(r.issue)).append(f"\n{safe(r.area or '–')}", style="dim"),
                      Text(safe(r.status)),
                      "" if r.minutes is None else f"{r.minutes:g}", Text(extra))
    count = f"{len(rows)} current record{'s' if len(rows) != 1 else ''} in {path}"
    show(Group(table, Text(count)))


def _export(store: Store, output: Path | None) -> None:
    import csv
    import io

    from remitctl.evidence.store import COLUMNS, records
    from remitctl.render.evidence.as_csv import cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in records(store, current_only=False):
        writer.writerow([cell(str(v)) if isinstance(v, str) else ("" if v is None else v)
                         for v in (getattr(r, c) for c in COLUMNS)])
    if output is None:
        write_out(buffer.getvalue())
        return
    from remitctl.cli.gaps import _write

    _write(output, iter([buffer.getvalue()]))
    err(f"remitctl: wrote {output} (csv)")


def register(app: typer.Typer) -> None:
    app.command()(evidence)
    app.command()(log)
