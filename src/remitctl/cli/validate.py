"""`validate`: the admin's and CI's check of registry files."""

from __future__ import annotations

import datetime as dt
import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from remitctl.cli.options import RegistryOpt
from remitctl.cli.session import EXIT_INVALID, EXIT_OK, usage_error, write_out

if TYPE_CHECKING:
    from remitctl.registry.checks import CheckOptions, FileReport


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def read_date(text: str | None, option: str) -> dt.date:
    """An ISO date given for `option`, or today in UK time; a usage error outside the
    years remitctl answers for (as --at: the ends of the calendar cannot be computed)."""
    from zoneinfo import ZoneInfo

    from remitctl.when import FIRST_YEAR, LAST_YEAR

    if text is None:
        return dt.datetime.now(ZoneInfo("Europe/London")).date()
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        usage_error(f"{option} {text!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-30")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        usage_error(f"{option} {text.strip()} is out of range",
                    f"give a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
    return day


def _targets(files: list[Path] | None, registry: Path | None) -> list[tuple[Path, str]]:
    """(path, label) for each file to check; labels are how problems name the file."""
    from remitctl.registry.locate import locate_registry
    from remitctl.registry.reading import is_stdin, label_for
    from remitctl.shown import shown_path

    if files and registry is not None:
        usage_error("give registry files as arguments or with --registry, not both")
    if not files:
        source = locate_registry(registry)
        label = label_for(registry) if registry is not None else (
            "remits.yaml" if source.how == "working directory" else label_for(source.path))
        if source.is_bundled:
            sys.stderr.write(f"remitctl: no ./remits.yaml here; checking the bundled sample "
                             f"registry ({shown_path(source.path)})\n")
        return [(source.path, label)]
    if sum(1 for path in files if is_stdin(path)) > 1:
        usage_error("standard input (-) can be read only once")
    for path in files:
        if not is_stdin(path) and not path.exists():
            usage_error(f"{shown_path(path)}: no such file", "check the path of the registry file")
    return [(path, label_for(path)) for path in files]


def validate(
    files: list[Path] | None = typer.Argument(
        None, metavar="[FILE]...", show_default=False,
        help="Registry files to check. Default: --registry, $REMITCTL_REGISTRY, ./remits.yaml."),
    registry: RegistryOpt = None,
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    output: Format = typer.Option(
        Format.text, "--format", "-f", case_sensitive=False,
        help="text for people; github for workflow annotations on a pull request; json "
        "(schema remitctl/validate/v1, see docs/validate.md)."),
    max_age: int = typer.Option(180, "--max-age", min=0, metavar="DAYS",
                                help="Warn about details last verified more than DAYS ago."),
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE", show_default=False,
                                     help="Judge ages and past closures as of DATE "
                                     "(YYYY-MM-DD; default today)."),
    against: str | None = typer.Option(
        None, "--against", metavar="REV", show_default=False,
        help="Compare with each file at git revision REV (e.g. origin/main): problems the "
        "change brought and the lines it touched come first; github annotates them."),
) -> None:
    """Check registry files and report every problem at once, each at FILE:LINE:COL with a
    hint, then a one-line summary. Exit 0 when valid, 1 when there is any error (with
    --strict, any warning), 2 for a usage error.

    Errors: YAML syntax, duplicate or unknown keys, wrong types, blank text, phone
    numbers with letters or without quotes, email addresses without @, web addresses
    without https://, unknown agencies, lines or areas, hours that do not parse, PH/SH,
    missing bank_holidays, names shared by two issue types, issue types nobody covers
    with no fallback, fallback loops.

    Warnings: details not verified for --max-age days, doubtful UK phone numbers, past
    closures and dated hours, unused service lines, cover policies breached in a
    typical week, and what would leave an officer with nobody: a covering or fallback
    line closed all week, a 24/7 or fallback line shut on bank holidays, an agency
    closure that shuts its 24/7 or out-of-hours line or leaves an issue type with
    nobody, a line's closure that leaves an issue type without a fallback with nobody,
    an area with no cover and no fallback.

    Example: remitctl validate remits.yaml --format github --against origin/main
    """
    from remitctl.registry.checks import CheckOptions, validate_file
    from remitctl.render import problems as render

    options = CheckOptions(today=read_date(as_of, "--as-of"), max_age_days=max_age,
                           strict=strict)
    targets = _targets(files, registry)
    reports = [validate_file(path, label, options) for path, label in targets]
    if against is not None:
        reports = [_reviewed(report, path, against, options)
                   for report, (path, _) in zip(reports, targets, strict=True)]
    if output is Format.json:
        from remitctl.cli.session import print_json

        print_json(render.json_doc(reports, options))
    elif output is Format.github:
        write_out(render.github(reports))
    else:
        write_out(render.text(reports))
    raise typer.Exit(EXIT_OK if all(r.valid for r in reports) else EXIT_INVALID)


def _reviewed(report: FileReport, path: Path, against: str,
              options: CheckOptions) -> FileReport:
    """`report` with what the change since `against` touched (see checks.review)."""
    from remitctl.cli.diff import Side, git_show
    from remitctl.registry.checks import review
    from remitctl.registry.loader import read_text
    from remitctl.registry.problems import RegistryError

    if against.startswith("-"):
        usage_error(f"--against {against!r} is not a git revision")
    try:
        text = read_text(path)
    except RegistryError:
        return report  # unreadable now: its problem says so; nothing to compare
    side = Side(f"{against}:{path}", rev=against, in_repo=str(path))
    before = "" if _new_file(path, against) else git_show(side)
    return review(report, text, before, against, options)


def _new_file(path: Path, rev: str) -> bool:
    """Whether `path` is not in revision `rev` (which exists): a registry the change adds,
    all of it touched. Anything else is left to git_show, which says what is wrong."""
    import subprocess

    cwd = path.parent if str(path.parent) else Path(".")

    def git(*args: str) -> bool:
        try:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                                  timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    return (git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
            and not git("cat-file", "-e", f"{rev}:./{path.name}"))


def register(app: typer.Typer) -> None:
    app.command()(validate)
