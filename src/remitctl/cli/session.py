"""What every command does around the core: find and load the registry, read --at and
--area, print to the right stream, and turn failures into messages and exit codes.

Exit codes: 0 ok; 1 the registry cannot be loaded (or a check failed); 2 usage error
(bad option, unknown issue, unknown area, unreadable --at, a date out of range); 74 the
output could not be written (stdout closed, disk full, an -o path refused); 130
interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from remitctl.cover.search import Match
    from remitctl.registry.locate import RegistrySource
    from remitctl.registry.model import Issue, Registry
    from remitctl.when import When

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_OUTPUT = 74  # sysexits' EX_IOERR: the report could not be written

# Set by the root command's --no-cache on every run (REMITCTL_NO_CACHE=1 also works).
use_cache = True


class Loaded:
    """A loaded registry and where it came from."""

    def __init__(self, registry: Registry, source: RegistrySource) -> None:
        self.registry = registry
        self.source = source


def err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def usage_error(message: str, hint: str | None = None) -> NoReturn:
    err(f"remitctl: error: {message}")
    if hint:
        err(f"  hint: {hint}")
    raise typer.Exit(EXIT_USAGE)


def output_error(message: str) -> NoReturn:
    """The report could not be written: one line, exit 74."""
    err(f"remitctl: error: {message}")
    raise typer.Exit(EXIT_OUTPUT)


def load_quietly(option: Path | None) -> Registry | None:
    """The registry, or None when it cannot be loaded (for shell completion)."""
    from remitctl.registry.cache import load
    from remitctl.registry.locate import locate_registry
    from remitctl.registry.problems import RegistryError
    from remitctl.registry.reading import is_stdin

    path = locate_registry(option).path
    if is_stdin(path):  # completing a word must not read what is piped to the shell
        return None
    try:
        return load(path, use_cache=use_cache)
    except RegistryError:
        return None


def open_registry(option: Path | None) -> Loaded:
    """Locate and load the registry (from the compiled cache when it is current); on
    failure print every problem and exit 1."""
    from remitctl.registry.cache import load
    from remitctl.registry.locate import locate_registry
    from remitctl.registry.problems import RegistryError
    from remitctl.shown import shown_path

    if (option is not None and str(option).startswith("-") and str(option) != "-"
            and not option.exists()):
        usage_error(f"-r/--registry needs a file, and {str(option)!r} looks like an option",
                    "write -r PATH (use ./-name for a file whose name starts with -)")
    source = locate_registry(option)
    if source.is_bundled:
        err("remitctl: no ./remits.yaml here; using the bundled sample registry "
            f"({shown_path(source.path)})")
    from remitctl.registry.reading import label_for

    label = label_for(option) if option is not None else (
        "remits.yaml" if source.how == "working directory" else label_for(source.path))
    try:
        registry = load(source.path, label, use_cache=use_cache)
    except RegistryError as exc:
        for problem in exc.problems:
            err(problem.format())
        count = len(exc.errors) or len(exc.problems)
        err(f"remitctl: {shown_path(label)}: {count} problem{'s' if count != 1 else ''}; "
            "nothing was looked up")
        raise typer.Exit(EXIT_INVALID) from None
    return Loaded(registry, source)


def read_when(at: str | None, registry: Registry, *, past: bool = False) -> When:
    """--at as an instant; `past` (log): the moment has happened, see when.parse_when."""
    from zoneinfo import ZoneInfo

    from remitctl.when import ACCEPTED, FutureMoment, WhenError, parse_when

    try:
        return parse_when(at, ZoneInfo(registry.timezone), past=past)
    except WhenError as exc:
        usage_error(str(exc), None if isinstance(exc, FutureMoment) else f"write {ACCEPTED}")


def check_area(area: str | None, registry: Registry) -> str | None:
    """One area from an id or name (any case, unique prefix, small typo); None for every area."""
    if area is None or area.strip() == "" or area.strip().lower() in ("all", "*"):
        return None
    if area in registry.areas:
        return area
    if not registry.areas:
        usage_error(f"this registry has no areas, so --area {area!r} cannot apply",
                    "leave out --area")
    from remitctl.cover.search import find_area

    match = find_area(registry, area)
    if match.area is not None:
        return match.area
    listed = ", ".join(registry.areas)
    if match.candidates:
        usage_error(f"--area {area!r} could mean " + " or ".join(match.candidates),
                    "type a little more of the name")
    from remitctl.fuzzy import nearest

    near = nearest(area, list(registry.areas))
    usage_error(f"unknown area {area!r}",
                (f"did you mean {near[0]!r}? " if near else "") + f"areas: {listed}, or all")


def read_areas(values: str | list[str] | None, registry: Registry) -> list[str] | None:
    """Areas from --area: ids or names, comma-separated or repeated; None means every area
    (nothing given, or `all` among them)."""
    if isinstance(values, str):
        values = [values]
    names = [n.strip() for v in values or [] for n in v.split(",") if n.strip()]
    if not names or any(n.lower() in ("all", "*") for n in names):
        return None
    out: list[str] = []
    for name in names:
        area = check_area(name, registry)
        if area is not None and area not in out:
            out.append(area)
    return out


def find_match(query: str, registry: Registry, *, may_ask: bool = False) -> Match:
    """The issue type the words mean (with any close runner-up), or a usage error that says
    nothing matched and lists the issues officers most often need (urgent ones first).
    Two issue types about equally close are a usage error naming both, unless the caller
    (`who`) shows the choice itself (`may_ask`)."""
    from remitctl.cli.question import check_length
    from remitctl.cover.search import find_issue as search

    check_length(query)
    match = search(registry, query)
    if match.issue is not None and (may_ask or not match.ask):
        return match
    if match.issue is not None:
        a, b = match.choice
        usage_error(f"{query!r} could mean {a.id} or {b.id}",
                    "ask again with the id you mean")
    from remitctl.render.choice_text import common_lines

    err(f"remitctl: error: no issue type matches {query!r}")
    err("  hint: see `remitctl list` for every issue type, or ask with other words")
    if match.suggestions:
        err("  the issue types officers most often need (urgent first):")
        for line in common_lines(match.suggestions):
            err(line)
    raise typer.Exit(EXIT_USAGE)


def find_issue(query: str, registry: Registry) -> Issue:
    issue = find_match(query, registry).issue
    assert issue is not None
    return issue


PIPE_WIDTH = 1000  # "no wrapping" for piped output: longer than any line we print
MIN_WIDTH = 20  # narrower, every word is broken into slivers; wider text just wraps


def console(stderr: bool = False) -> Console:
    import shutil

    from rich.console import Console

    def odd(name: str) -> bool:
        # '¹' passes isdigit() but rich's int() raises; 0 (unknown) made rich print nothing.
        value = os.environ.get(name, "")
        return value.isdigit() and (not value.isascii() or int(value) == 0)

    # rich reads both again whenever it measures, unless given both; shutil skips odd ones.
    fixed = shutil.get_terminal_size() if odd("COLUMNS") or odd("LINES") else None
    out = Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False,
                  width=fixed.columns if fixed else None, height=fixed.lines if fixed else None)
    if out.width < MIN_WIDTH:
        out.width = MIN_WIDTH
    if not out.is_terminal and not os.environ.get("COLUMNS", "").strip():
        # Piped or redirected: a line is as long as it is (grep, less -S, a log file);
        # COLUMNS still sets a width for those who want one.
        out.width = PIPE_WIDTH
    return out


def show(renderable: RenderableType) -> None:
    out = console()
    if out.is_terminal:
        try:
            out.print(renderable)
        except BrokenPipeError:
            stdout_gone()
        except OSError as exc:
            _cannot_write(exc)
        return
    try:
        with out.capture() as captured:  # piped or redirected: no padding at line ends
            out.print(renderable)
    except BrokenPipeError:
        stdout_gone()
        return
    except OSError as exc:  # rich flushes stdout as it ends a capture
        _cannot_write(exc)
    write_out("\n".join(line.rstrip() for line in captured.get().split("\n")))


def page(renderable: RenderableType, no_pager: bool = False) -> None:
    """As `show`, but output longer than a terminal screen goes through a pager, as git
    does: $REMITCTL_PAGER, else $PAGER, else `less` (with LESS=FRX unless LESS is set).
    Never when piped, with --no-pager, or when the pager is empty or `cat`."""
    if no_pager or not stdout_is_terminal():
        show(renderable)
        return
    out = console()
    import shlex
    import shutil

    chosen = os.environ.get("REMITCTL_PAGER", os.environ.get("PAGER", "less"))
    try:
        argv = shlex.split(chosen)
    except ValueError:
        argv = []
    if not argv or argv[0] == "cat" or shutil.which(argv[0]) is None:
        show(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = captured.get()
    if text.count("\n") < out.height - 1:
        write_out(text)
        return
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        subprocess.run(argv, input=text.encode(), env=env, check=False)
    except OSError:
        write_out(text)


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (FORCE_COLOR makes rich say so; paging needs the truth)."""
    try:
        return os.isatty(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor
        return False


def print_json(doc: dict[str, object]) -> None:
    from remitctl.render.json_out import dumps

    write_out(dumps(doc) + "\n")


def write_out(text: str, *, flush: bool = True) -> None:
    """Write to stdout. If the reader has gone (`remitctl now | head -1`) the rest is
    dropped quietly and the command still ends with its own exit code (so `validate | head`
    in CI still fails for an invalid registry). Any other failure (stdout closed, a full
    disk) ends the command with one line and exit 74."""
    try:
        if text:  # even an empty write fails on /dev/full
            sys.stdout.write(text)
        if flush:
            sys.stdout.flush()
    except BrokenPipeError:
        stdout_gone()
    except OSError as exc:
        _cannot_write(exc)


def _cannot_write(exc: OSError) -> NoReturn:
    raise typer.Exit(output_failed(exc))


def output_failed(exc: OSError) -> int:
    """Say in one line that stdout could not be written; the exit code to end with."""
    stdout_gone()  # drop what is buffered, so the flush at exit cannot fail again
    import errno

    why = ("standard output is closed" if exc.errno == errno.EBADF
           else exc.strerror or str(exc))
    err(f"remitctl: error: cannot write the output: {why}")
    return EXIT_OUTPUT


def stdout_gone() -> None:
    """Point stdout at /dev/null, so nothing later (not even the flush at exit) fails."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (tests): nothing to redirect
        pass


_KEPT: list[object] = []  # what `leave_quickly` holds until the process ends


def leave_quickly(*held: object) -> None:
    """After a command whose data fill much of memory (a million incidents): the entry
    point ends the process as soon as the output is flushed, without freeing it object by
    object (~0.15 s at a million rows). Tests' in-process runs are unaffected."""
    _KEPT.extend(held)


def leaving_quickly() -> bool:
    return bool(_KEPT)
