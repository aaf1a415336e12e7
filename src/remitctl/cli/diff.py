"""`diff`: what a registry change does to cover, for the reviewer of a pull request."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from remitctl.cli.options import RegistryOpt
from remitctl.cli.session import (
    EXIT_INVALID,
    EXIT_OK,
    err,
    print_json,
    usage_error,
    write_out,
)
from remitctl.cli.validate import read_date
from remitctl.record import record
from remitctl.shown import shown_path

if TYPE_CHECKING:
    from remitctl.registry.model import Registry

FORMS = ("remitctl diff OLD.yaml NEW.yaml; remitctl diff REV [REV] [FILE] (e.g. HEAD~1 -- "
         "remits.yaml); remitctl diff REV:FILE FILE; remitctl diff --against REV [FILE]")


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@record
class Side:
    """One registry to compare: a file on disk, or a file as it was at a git revision."""

    label: str
    path: Path | None = None  # read from disk
    rev: str | None = None  # else `git show REV:path`
    in_repo: str | None = None  # the path inside the revision, as git show takes it


def _is_blob(arg: str) -> bool:
    return ":" in arg and not Path(arg).exists()


def _readable(arg: str) -> bool:
    """A file to read: a regular file, or a pipe (`diff <(git show HEAD~3:remits.yaml)
    remits.yaml`), which is read once like any registry."""
    path = Path(arg)
    return path.is_file() or path.is_fifo()


def _file(path: Path) -> Side:
    return Side(str(path), path=path)


def _at(rev: str, path: Path) -> Side:
    return Side(f"{rev}:{path}", rev=rev, in_repo=str(path))


def _default_path(registry: Path | None) -> Path:
    from remitctl.registry.locate import locate_registry

    source = locate_registry(registry)
    if source.is_bundled:
        usage_error("no registry file given and no ./remits.yaml here",
                    "name the file: remitctl diff HEAD~1 -- remits.yaml")
    return Path("remits.yaml") if source.how == "working directory" else source.path


def sides(args: list[str], against: str | None, registry: Path | None) -> tuple[Side, Side]:
    """Which two registries to compare, from the arguments (see FORMS)."""
    if against is not None:
        if len(args) > 1:
            usage_error("with --against REV give at most one registry file", FORMS)
        path = Path(args[0]) if args else _default_path(registry)
        if not path.is_file():
            usage_error(f"{shown_path(path)}: no such file", FORMS)
        return _at(against, path), _file(path)
    late = [a for a in args if a.startswith("-")]
    if late:
        usage_error(f"{shown_path(late[0])} came after '--', so it was read as a file or "
                    "revision",
                    "put options before '--': remitctl diff --format markdown HEAD~1 -- "
                    "remits.yaml")
    if not args or len(args) > 3:
        usage_error("give two registries to compare", FORMS)
    files = [_readable(a) for a in args]
    if len(args) == 2 and all(f or _is_blob(a) for a, f in zip(args, files, strict=True)):
        old, new = (_file(Path(a)) if f else Side(a, rev=a)
                    for a, f in zip(args, files, strict=True))
        return old, new
    if files[-1] and not any(files[:-1]) and len(args) in (2, 3):
        path = Path(args[-1])
        revs = args[:-1]
        if len(revs) == 1:
            return _at(revs[0], path), _file(path)
        return _at(revs[0], path), _at(revs[1], path)
    if not any(files) and len(args) <= 2:
        path = _default_path(registry)
        if len(args) == 1:
            return _at(args[0], path), _file(path)
        return _at(args[0], path), _at(args[1], path)
    missing = [a for a, f in zip(args, files, strict=True) if not f]
    usage_error(f"cannot tell what to compare: {', '.join(missing)} is neither a file nor, "
                "here, a git revision of one", FORMS)


def git_show(side: Side) -> str:
    """The text of `side` at its revision, or a usage error that says why it cannot be read."""
    import subprocess

    assert side.rev is not None
    if side.in_repo is None:  # REV:path given whole; paths are relative to the repository
        cwd, spec = Path.cwd(), side.rev
    else:
        path = Path(side.in_repo)
        cwd = path.parent if str(path.parent) else Path(".")
        spec = f"{side.rev}:./{path.name}"
    try:
        # Whatever the revision says, git reads it as a revision, never as an option
        # (`--against=--output=FILE` would otherwise have git write FILE).
        done = subprocess.run(["git", "show", "--no-textconv", "--end-of-options", spec],
                              cwd=cwd, capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        usage_error(f"cannot read {shown_path(side.label)}: git is not installed")
    except subprocess.TimeoutExpired:
        usage_error(f"cannot read {shown_path(side.label)}: git took more than a minute")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = shown_path(message[0].removeprefix("fatal: ") if message else "git show failed")
        if "not a git repository" in first:
            usage_error(f"cannot read {shown_path(side.label)}: {shown_path(cwd)} is not inside "
                        "a git repository",
                        "compare two files instead: remitctl diff OLD.yaml NEW.yaml")
        if "exists on disk, but not in" in first or "does not exist in" in first:
            usage_error(f"cannot read {shown_path(side.label)}: the file did not exist at that "
                        "revision")
        if "invalid object name" in first or "unknown revision" in first or \
                "bad revision" in first:
            usage_error(f"cannot read {shown_path(side.label)}: git does not know the revision "
                        f"{side.rev.split(':')[0]!r}", "check it with: git log --oneline")
        usage_error(f"cannot read {shown_path(side.label)}: {first}")
    try:
        return done.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        usage_error(f"cannot read {shown_path(side.label)}: it is not UTF-8 text")


def _load(side: Side) -> Registry:
    from remitctl.registry.loader import parse_registry, read_text
    from remitctl.registry.problems import RegistryError

    try:
        text = read_text(side.path) if side.path is not None else git_show(side)
        return parse_registry(text, side.label)
    except RegistryError as exc:
        for problem in exc.problems:
            err(problem.format())
        count = len(exc.errors) or len(exc.problems)
        err(f"remitctl: {shown_path(side.label)}: {count} problem{'s' if count != 1 else ''}; "
            "nothing was compared (run remitctl validate)")
        raise typer.Exit(EXIT_INVALID) from None


def diff(
    args: list[str] | None = typer.Argument(
        None, metavar="OLD NEW | REV [REV] [FILE]", show_default=False,
        help="Two registry files; or git revisions of one file (default: the usual registry)."),
    against: str | None = typer.Option(None, "--against", metavar="REV", show_default=False,
                                       help="Compare FILE as it was at git revision REV with "
                                       "FILE now."),
    registry: RegistryOpt = None,
    output: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", case_sensitive=False,
                                      help="text; markdown for a pull-request comment; json "
                                      "(schema remitctl/diff/v1)."),
    fail_on_new_gaps: bool = typer.Option(False, "--fail-on-new-gaps",
                                          help="Exit 1 when the change opens new gaps in "
                                          "cover, so CI can ask for a second reviewer."),
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE", show_default=False,
                                     help="Compare the typical week from DATE (default today)."),
) -> None:
    """What a registry change does to cover: for each issue type and area, the hours nobody
    covers in a typical week before and after, the gaps opened and closed; then the issue
    types, service lines, agencies and areas added, removed or changed (contacts, hours).
    Exit 0, or 1 with --fail-on-new-gaps when the change opens new gaps; 2 for usage errors.

    Example: remitctl diff --format markdown HEAD~1 -- remits.yaml
    """
    from remitctl.cover.compare import compare
    from remitctl.render import diff_out

    old_side, new_side = sides(list(args or []), against, registry)
    today = read_date(as_of, "--as-of")
    old, new = _load(old_side), _load(new_side)
    result = compare(old, new, old_side.label, new_side.label, today)
    if output is DiffFormat.json:
        print_json(diff_out.json_doc(result))
    elif output is DiffFormat.markdown:
        write_out(diff_out.markdown(result))
    else:
        write_out(diff_out.text(result))
    raise typer.Exit(EXIT_INVALID if fail_on_new_gaps and result.new_gaps else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command()(diff)
