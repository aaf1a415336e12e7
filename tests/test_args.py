"""Arguments and environment: whatever is typed, never a traceback; a usage error exits 2
with a message. Property-based over --at, --area, issue queries and environment variables."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remitctl.cli import app
from remitctl.cover import search
from remitctl.registry.loader import load_registry

from conftest import BUNDLED

AT = "2026-11-28T23:30"
FUNCTION_SCOPED = [HealthCheck.function_scoped_fixture]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


def clean(result, *, allowed: tuple[int, ...] = (0, 2)) -> None:  # type: ignore[no-untyped-def]
    """No traceback, a documented exit code, and a message for every usage error."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in allowed, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "error" in result.stderr.lower() or "could mean" in result.stderr, result.stderr


# -- issue queries ---------------------------------------------------------------------------

def test_a_pasted_paragraph_is_not_compared_with_every_name(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """difflib compared a 120,000-character query with every name: 5 s for one lookup.
    The search looks at an officer's question's worth of words, no more."""
    compared = 0
    real = search._near

    def counting(token: str, index: search.Index, services: bool) -> list[tuple[str, float]]:
        nonlocal compared
        compared += 1
        return real(token, index, services)

    monkeypatch.setattr(search, "_near", counting)
    registry = load_registry(BUNDLED)
    for query in ("ab" * 60_000, " ".join(f"w{i}" for i in range(20_000))):
        match = search.find_issue(registry, query)
        assert (match.issue, match.candidates) == (None, ())
    assert compared <= 2 * search.MAX_WORDS
    # Typos are still forgiven, and near misses still suggested.
    assert search.find_issue(registry, "nosie nuisanse").issue is registry.issues[
        "noise-nuisance"]
    assert compared > 0


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(query=TEXT)
def test_any_issue_query(invoke, query: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", query, "--at", AT, "-r", str(BUNDLED))
    clean(result)


@settings(max_examples=40, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(name=TEXT)
def test_any_show_name(invoke, name: str) -> None:  # type: ignore[no-untyped-def]
    clean(invoke("show", "-r", str(BUNDLED), "--", name))


# -- --at, --area ----------------------------------------------------------------------------

AT_LIKE = st.one_of(
    TEXT,
    st.from_regex(r"(now|today|tomorrow|yesterday|mon|fri|sunday|thurs)? ?[0-9]{1,3}[:.h]?"
                  r"[0-9]{0,3}", fullmatch=True),
    st.from_regex(r"[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?"
                  r"([+-][0-9]{2}:?[0-9]{2}|Z)?)?", fullmatch=True),
    st.datetimes().map(lambda d: d.isoformat()),
)


@settings(max_examples=80, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(at=AT_LIKE)
def test_any_at(invoke, at: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "--at", at, "--json", "-r", str(BUNDLED))
    clean(result)
    if result.exit_code == 0:
        doc = json.loads(result.stdout)
        assert doc["at"].endswith("Z") and 1990 <= int(doc["at_local"][:4]) <= 2100


@settings(max_examples=40, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(area=st.one_of(TEXT, st.sampled_from(["kingsbridge", "North-Moor", "Brackenford District",
                                             "north moor", "kingsbrige", ""])))
def test_any_area(invoke, area: str) -> None:  # type: ignore[no-untyped-def]
    clean(invoke("now", "--area", area, "--at", AT, "-r", str(BUNDLED)))
    clean(invoke("who", "stray dog", "--area", area, "--at", AT, "-r", str(BUNDLED)))


def test_unknown_area_and_bad_at_are_usage_errors(invoke) -> None:  # type: ignore[no-untyped-def]
    for argv in (["now", "--area", "atlantis"], ["now", "--at", "25:00"],
                 ["who", "noise", "--at", "2026-02-30"], ["who", "zzzzzz"],
                 ["now", "--bogus"], ["who"], ["show"]):
        result = invoke(*argv, "-r", str(BUNDLED))
        assert result.exit_code == 2, (argv, result.output)
        assert result.stderr.strip(), argv
        assert "Traceback" not in result.output


# -- every command, any option ---------------------------------------------------------------

LOOKUPS = [["who", "noise"], ["now"], ["show", "noise"], ["list"], ["agencies"]]


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(command=st.sampled_from(LOOKUPS), json_out=st.booleans(),
       extra=st.lists(st.sampled_from(["--json", "--at", "--area", "-a", "-r", "--help", "-h",
                                       "--version", "--", "-", "x", "now", "kingsbridge"]),
                      max_size=3))
def test_any_mix_of_options(invoke, command: list[str], json_out: bool,
                            extra: list[str]) -> None:  # type: ignore[no-untyped-def]
    argv = [*command, *(["--json"] if json_out else []), *extra]
    result = invoke(*argv, "--registry", str(BUNDLED))
    clean(result)


@settings(max_examples=40, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(start=AT_LIKE, end=AT_LIKE)
def test_any_from_and_to(invoke, start: str, end: str) -> None:  # type: ignore[no-untyped-def]
    clean(invoke("gaps", "--from", start, "--to", end, "-r", str(BUNDLED)), allowed=(0, 1, 2))


# -- environment -----------------------------------------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(env=st.fixed_dictionaries({}, optional={
    "REMITCTL_AREA": TEXT, "REMITCTL_REGISTRY": TEXT, "COLUMNS": TEXT, "LINES": TEXT,
    "TERM": st.sampled_from(["dumb", "xterm-256color", "", "vt100", "unknown"]),
    "NO_COLOR": TEXT, "FORCE_COLOR": st.sampled_from(["", "1", "0", "yes"]),
    "TZ": st.sampled_from(["UTC", "America/New_York", "Nowhere/Else", "", ":/etc/localtime"]),
    "HOME": st.sampled_from(["/nonexistent", "", "/"]),
    "XDG_CACHE_HOME": st.sampled_from(["", "relative/dir", "/nonexistent/cache", "/dev/null"]),
    "REMITCTL_NO_CACHE": st.sampled_from(["", "1", "no"]),
}), command=st.sampled_from(LOOKUPS))
def test_any_environment(runner, env: dict[str, str], command: list[str]) -> None:  # type: ignore[no-untyped-def]
    env = {k: v.replace("\x00", "") for k, v in env.items()}
    result = runner.invoke(app, [*command, "--at", AT], env=env)
    # An unusable REMITCTL_REGISTRY is the registry failing to load: exit 1.
    clean(result, allowed=(0, 1, 2))
    if result.exit_code == 1:
        assert "REMITCTL_REGISTRY" in env and env["REMITCTL_REGISTRY"].strip()
        assert ": error: " in result.stderr


def test_a_registry_path_with_an_unknown_user(invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Path.expanduser raises RuntimeError for ~name of no such user (was exit 70)."""
    monkeypatch.setenv("REMITCTL_REGISTRY", "~no-such-user-here/remits.yaml")
    result = invoke("now")
    assert result.exit_code == 1
    assert result.stderr.startswith("~no-such-user-here/remits.yaml: error: no such file")


def test_an_empty_registry_option_is_the_current_directory(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("now", "-r", "")
    assert result.exit_code == 1
    assert result.stderr.startswith(".: error: is a directory, not a registry file")


# -- real processes: a closed pipe and Ctrl-C ------------------------------------------------

def _remitctl(*args: str) -> list[str]:
    return [sys.executable, "-m", "remitctl", *args]


@pytest.mark.parametrize("args", [["now"], ["now", "--json"], ["agencies"], ["list", "--json"],
                                  ["who", "noise", "--json"], ["validate"], ["--version"]],
                         ids=" ".join)
def test_output_into_a_closed_pipe_ends_quietly(args: list[str], tmp_path: Path) -> None:
    """`remitctl now | head -1`: the reader has gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(_remitctl(*args, *([] if args[0].startswith("--") else
                                                 ["-r", str(BUNDLED)])),
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60,
                              cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0


def test_a_closed_pipe_keeps_validates_verdict(tmp_path: Path) -> None:
    """CI runs `remitctl validate | head`: an invalid registry must still fail."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: [\n", encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(_remitctl("validate", str(bad)), stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60, cwd=tmp_path)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (1, "")


def test_head_reading_one_line(tmp_path: Path) -> None:
    done = subprocess.run(["bash", "-c", 'set -o pipefail; "$@" | head -1', "bash",
                           *_remitctl("agencies", "-r", str(BUNDLED))],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Agencies and service lines\n"


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    """The registry is a FIFO nobody writes to, so remitctl is certainly past start-up
    and waiting in the loader when SIGINT arrives. (A SIGINT that lands between opening
    the FIFO and the read that then blocks is handled only when the read returns, as in
    any Python program, so it is sent again, like a second Ctrl-C.)"""
    fifo = tmp_path / "remits.fifo"
    os.mkfifo(fifo)
    process = subprocess.Popen(_remitctl("now", "-r", str(fifo)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    writer = None
    try:
        deadline = time.monotonic() + 30
        while writer is None:  # opening for writing succeeds once remitctl opened it to read
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        for _ in range(20):
            process.send_signal(signal.SIGINT)
            try:
                stdout, stderr = process.communicate(timeout=1)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            pytest.fail("remitctl did not stop on SIGINT")
    finally:
        if writer is not None:
            os.close(writer)
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert process.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stdout == ""


def test_ctrl_c_while_the_cli_loads(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    from remitctl._start import main as start

    real_import = builtins.__import__

    def interrupted(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "remitctl.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    assert start() == 130


def test_ctrl_c_in_main_exits_130(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from remitctl import cli

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "app", interrupted)
    # main() reads the command line: make it remitctl's, not pytest's (`pytest tests/x.py`
    # named a "command" that the stand-in app has no list of).
    monkeypatch.setattr("sys.argv", ["remitctl"])
    assert cli.main() == 130
    assert "Traceback" not in capsys.readouterr().err


# -- terminals: NO_COLOR, TERM=dumb, very narrow and very wide ---------------------------------

SCREENS = [["who", "noise", "--at", AT], ["who", "stray dog", "--at", "2026-11-30T12:00"],
           ["now", "--at", AT], ["show", "noise"], ["show", "kingsbridge-cc"],
           ["show", "kingsbridge-cc/noise-patrol"], ["list"], ["agencies"]]
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _screen(runner, argv: list[str], **env: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*argv, "-r", str(BUNDLED)], env=env)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _words(text: str) -> set[str]:
    return {w.strip(":,;()") for w in text.split()} - {""}


@pytest.mark.parametrize("argv", SCREENS, ids=" ".join)
def test_a_20_column_terminal_keeps_every_word_whole(runner, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Squeezed tables folded '07700 900101' into '077/00/900/101': unreadable."""
    narrow = _screen(runner, argv, COLUMNS="20")
    wide = _screen(runner, argv, COLUMNS="400")
    assert max(len(line) for line in narrow.splitlines()) <= 20
    frame = set("┏┓┗┛┃━┡┩└┘│─╇┳┻┯┷╋┃┼")
    first_headers = {"Status", "Id", "Service", "line"}  # a record starts with that cell
    expected = {w for w in _words(wide)
                if len(w) <= 18 and not set(w) & frame and w not in first_headers}
    assert expected - _words(narrow) == set()


@pytest.mark.parametrize("columns", ["0", "1", "5", "¹²", "-3", "abc"])
def test_unusable_columns_give_a_readable_screen(runner, columns: str) -> None:  # type: ignore[no-untyped-def]
    """COLUMNS=0 (unknown) printed nothing at all; COLUMNS='¹' made rich raise ValueError."""
    argv = ["who", "noise", "--at", AT]
    shown = _screen(runner, argv, COLUMNS=columns, LINES="²")
    if columns.isascii() and columns.isdigit() and columns != "0":
        assert shown == _screen(runner, argv, COLUMNS="20")  # narrower is clamped
    else:
        assert shown == _screen(runner, argv, COLUMNS="80")  # as if COLUMNS were not set
    assert "Noise nuisance" in shown and "07700 900101" in shown


@pytest.mark.parametrize("argv", SCREENS, ids=" ".join)
def test_a_very_wide_terminal_changes_nothing_once_everything_fits(runner, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    wide = _screen(runner, argv, COLUMNS="400")
    assert _screen(runner, argv, COLUMNS="5000") == wide
    assert all(line == line.rstrip() for line in wide.splitlines())


@pytest.mark.parametrize("argv", SCREENS, ids=" ".join)
def test_no_color_and_dumb_terminals(runner, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    plain = _screen(runner, argv, COLUMNS="100", NO_COLOR="1")
    assert "\x1b" not in plain
    forced = {"COLUMNS": "100", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    dumb = _screen(runner, argv, **{**forced, "TERM": "dumb"})
    assert "\x1b" not in dumb  # a dumb terminal gets no escape codes even when forced
    no_color = _screen(runner, argv, **forced, NO_COLOR="1")
    assert not re.search(r"\x1b\[[0-9;]*(3[0-9]|9[0-7])[;m]", no_color)  # no colours...
    assert SGR.search(no_color)  # ...but bold and underline still mark what matters
    coloured = _screen(runner, argv, **forced)
    assert SGR.sub("", coloured) == SGR.sub("", no_color)


# -- formats and the admin commands' options --------------------------------------------------

FORMATS = st.one_of(TEXT, st.sampled_from(["text", "json", "github", "markdown", "JSON", "Text",
                                           "", "ics", "-"]))


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(command=st.sampled_from([["validate", str(BUNDLED)], ["diff", str(BUNDLED), str(BUNDLED)]]),
       fmt=FORMATS, as_of=st.one_of(st.none(), AT_LIKE),
       max_age=st.one_of(st.none(), st.integers(-5, 10**12).map(str), TEXT))
def test_any_format_and_admin_option(invoke, command: list[str], fmt: str, as_of: str | None,
                                     max_age: str | None) -> None:  # type: ignore[no-untyped-def]
    argv = [*command, "--format", fmt]
    if as_of is not None:
        argv += ["--as-of", as_of]
    if max_age is not None and command[0] == "validate":
        argv += ["--max-age", max_age]
    result = invoke(*argv)
    clean(result)
    if result.exit_code == 0 and fmt.lower() == "json":
        assert json.loads(result.stdout)["schema"].startswith("remitctl/")


def test_the_gap_report_at_20_columns(runner) -> None:  # type: ignore[no-untyped-def]
    """The heat map was cropped to its first hours, the summary's numbers cut to '…' and
    each gap's end and length cropped away."""
    from rich.cells import cell_len

    argv = ["gaps", "--from", "2026-06-01", "--days", "2"]
    narrow = _screen(runner, argv, COLUMNS="20")
    wide = _screen(runner, argv, COLUMNS="200")
    assert max(cell_len(line) for line in narrow.splitlines()) <= 20
    assert "the heat map needs" in narrow and "the heat map needs" not in wide
    # Every time and share the wide report gives is there, if need be wrapped.
    moments = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d \w{3} \d\d:\d\d|\b\d+:\d\d\b"
                         r"|\b\d+\.\d%")
    assert set(moments.findall(wide)) <= set(moments.findall(" ".join(narrow.split())))


@pytest.mark.parametrize(("args", "hint"), [
    (["who", "noise", "-a"], "  hint: 'remitctl who --help' shows what it accepts"),
    (["--bogus"], "  hint: 'remitctl --help' shows what it accepts"),
])
def test_an_option_missing_its_value_still_gets_a_hint(args: list[str], hint: str) -> None:
    # The error came before the command's context existed, and had no hint line.
    done = subprocess.run(_remitctl(*args), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == hint


def test_a_large_evidence_run_ends_once_its_output_is_flushed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After a command that called session.leave_quickly (evidence at 100,000 incidents
    on), the entry point flushes stdout and stderr and ends with the command's exit code,
    without freeing what it holds; after any other it returns as before."""
    import io

    from remitctl import _start, cli
    from remitctl.cli import session

    class Stream(io.StringIO):
        flushed = ""

        def flush(self) -> None:
            self.flushed = self.getvalue()

    out, ended = Stream(), []
    monkeypatch.setattr(session, "_KEPT", [])
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("os._exit", lambda code: ended.append((code, out.flushed)))

    def command() -> int:
        print("report", end="")  # not yet flushed to the terminal
        session.leave_quickly(["a million incidents"])
        return 1

    monkeypatch.setattr(cli, "main", command)
    _start.main()
    assert ended == [(1, "report")]
    monkeypatch.setattr(session, "_KEPT", [])
    monkeypatch.setattr(cli, "main", lambda: 0)
    assert _start.main() == 0 and len(ended) == 1
