"""What remitctl reads and writes, tried as a real process: registry inputs that are
pipes, FIFOs and devices; -o targets that are links, devices, FIFOs and hard links;
stdout closed, full or unable to show a dash; paths that would forge CI annotations or
send escapes; a git revision that looks like an option; dates at the calendar's ends."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI

AT = "2026-06-05T21:00"
EXIT_OUTPUT = 74


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60,
        **kwargs: Any) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    kwargs.setdefault("capture_output", "stdout" not in kwargs)
    if "stdout" in kwargs:
        kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "remitctl", *args], text=True, env=full,
                          timeout=timeout, check=False, **kwargs)


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


# -- reading the registry --------------------------------------------------------------------


@pytest.fixture
def expected(mini: Path) -> str:
    result = run("who", "noise", "--at", AT, "-r", str(mini))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_registry_from_standard_input(mini: Path, expected: str) -> None:
    for option in ("-", "/dev/stdin"):
        for _ in range(2):  # the second run may find the cache: the pipe is still read once
            result = run("who", "noise", "--at", AT, "-r", option, input=MINI)
            assert result.returncode == 0, result.stderr
            assert result.stdout == expected


def test_registry_from_a_closed_standard_input() -> None:
    result = run("who", "noise", "-r", "-", stdin=subprocess.DEVNULL,
                 preexec_fn=lambda: os.close(0))
    assert result.returncode == 1
    assert "<stdin>: error: standard input is closed" in result.stderr


def test_registry_from_a_process_substitution(mini: Path, expected: str) -> None:
    """`-r <(cat remits.yaml)`: the shell passes /dev/fd/N, a pipe."""
    if not Path("/dev/fd").is_dir():
        pytest.skip("no /dev/fd")
    read, write = os.pipe()
    feeder = threading.Thread(target=lambda: (os.write(write, MINI.encode()), os.close(write)))
    feeder.start()
    try:
        result = run("who", "noise", "--at", AT, "-r", f"/dev/fd/{read}", pass_fds=(read,))
    finally:
        feeder.join()
        os.close(read)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_diff_reads_a_process_substitution(mini: Path) -> None:
    if not Path("/dev/fd").is_dir():
        pytest.skip("no /dev/fd")
    read, write = os.pipe()
    edited = MINI.replace("01632 960100", "01632 960199").encode()
    feeder = threading.Thread(target=lambda: (os.write(write, edited), os.close(write)))
    feeder.start()
    try:
        result = run("diff", str(mini), f"/dev/fd/{read}", pass_fds=(read,))
    finally:
        feeder.join()
        os.close(read)
    assert result.returncode == 0, result.stderr
    assert "01632 960199" in result.stdout


def test_validate_reads_standard_input(mini: Path) -> None:
    result = run("validate", "-", input=MINI)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("<stdin>: valid")
    bad = run("validate", "-", input="version: 1\nname: [\n")
    assert bad.returncode == 1
    assert bad.stdout.startswith("<stdin>:")
    assert run("validate", "-", "-", input=MINI).returncode == 2


def test_a_fifo_nobody_writes_to_ends_with_a_message(tmp_path: Path) -> None:
    fifo = tmp_path / "remits.yaml"
    os.mkfifo(fifo)
    for args in (["who", "noise", "-r", str(fifo)], ["validate", str(fifo)],
                 ["now", "-r", str(fifo)]):
        start = time.monotonic()
        result = run(*args, env={"REMITCTL_READ_TIMEOUT": "1"}, timeout=30)
        assert time.monotonic() - start < 25
        assert result.returncode == 1, result.stderr
        assert "nothing arrived for 1 s" in result.stdout + result.stderr


def test_a_fifo_that_is_written_is_read(tmp_path: Path, mini: Path, expected: str) -> None:
    fifo = tmp_path / "remits.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(MINI, encoding="utf-8"))
    writer.start()
    result = run("who", "noise", "--at", AT, "-r", str(fifo), timeout=30)
    writer.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    link = tmp_path / "remits.yaml"
    link.symlink_to(device)
    for args in (["who", "noise", "-r", str(link)], ["validate", str(link)]):
        result = run(*args, timeout=30)
        assert result.returncode == 1
        assert "is a device, not a registry file" in result.stdout + result.stderr


# -- writing -o ------------------------------------------------------------------------------


def _gaps(out: str, *extra: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return run("gaps", "--week", "--format", "csv", "-o", out, *extra, **kwargs)


def test_o_writes_a_new_file_and_replaces_a_lone_one(tmp_path: Path, mini: Path) -> None:
    target = tmp_path / "gaps.csv"
    result = _gaps(str(target), "-r", str(mini))
    assert result.returncode == 0, result.stderr
    first = target.read_text(encoding="utf-8")
    assert first.startswith("issue")
    target.write_text("old\n", encoding="utf-8")
    assert _gaps(str(target), "-r", str(mini)).returncode == 0
    assert target.read_text(encoding="utf-8") == first
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_o_never_replaces_or_follows_a_symlink(tmp_path: Path, mini: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "gaps.csv"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    for path in (link, dangling):
        result = _gaps(str(path), "-r", str(mini))
        assert result.returncode == EXIT_OUTPUT
        assert "is a symbolic link" in _one_line_error(result)
        assert path.is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "nowhere.csv").exists()


def test_o_keeps_a_hard_link(tmp_path: Path, mini: Path) -> None:
    target = tmp_path / "gaps.csv"
    target.write_text("old\n", encoding="utf-8")
    other = tmp_path / "other-name.csv"
    os.link(target, other)
    inode = target.stat().st_ino
    assert _gaps(str(target), "-r", str(mini)).returncode == 0
    assert target.stat().st_ino == inode
    assert other.read_text(encoding="utf-8").startswith("issue")


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout"])
def test_o_writes_through_a_device(device: str, mini: Path, tmp_path: Path) -> None:
    before = os.stat(device).st_mode
    result = _gaps(device, "-r", str(mini))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.stat(device).st_mode == before
    if device == "/dev/stdout":
        assert result.stdout.startswith("issue")


def test_o_on_a_full_device_is_one_line_and_exit_74(mini: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = _gaps("/dev/full", "-r", str(mini))
    assert result.returncode == EXIT_OUTPUT
    assert "No space left on device" in _one_line_error(result)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_o_on_a_fifo(tmp_path: Path, mini: Path) -> None:
    fifo = tmp_path / "gaps.csv"
    os.mkfifo(fifo)
    result = _gaps(str(fifo), "-r", str(mini), timeout=30)  # nobody reads: refused at once
    assert result.returncode == EXIT_OUTPUT
    assert "nothing is reading from it" in _one_line_error(result)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    time.sleep(0.2)
    result = _gaps(str(fifo), "-r", str(mini), timeout=30)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert got and got[0].startswith("issue")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# -- output that cannot be written -----------------------------------------------------------

READERS = [["now", "--at", AT], ["who", "noise", "--at", AT], ["list"], ["show", "police"],
           ["validate"], ["gaps", "--week"], ["--help"], ["who", "--help"]]


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_closed_stdout_and_a_full_disk(args: list[str], mini: Path) -> None:
    extra = [] if "--help" in args else (["-r", str(mini)] if args[0] != "validate"
                                         else [str(mini)])
    closed = run(*args, *extra, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert closed.returncode == EXIT_OUTPUT
    assert _one_line_error(closed) == ("remitctl: error: cannot write the output: standard "
                                       "output is closed")
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            result = run(*args, *extra, stdout=full)
        assert result.returncode == EXIT_OUTPUT
        assert _one_line_error(result) == ("remitctl: error: cannot write the output: No space "
                                           "left on device")


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
                                  "PYTHONIOENCODING": ""}],
                         ids=["PYTHONIOENCODING=ascii", "LC_ALL=C"])
@pytest.mark.parametrize("args", [["now", "--at", AT], ["who", "noise", "--at", AT],
                                  ["gaps", "--week"], ["list"]], ids=" ".join)
def test_an_ascii_terminal_gets_readable_ascii(args: list[str], env: dict[str, str],
                                               mini: Path) -> None:
    utf8 = run(*args, "-r", str(mini), env={"PYTHONIOENCODING": "utf-8"})
    result = subprocess.run([sys.executable, "-m", "remitctl", *args, "-r", str(mini)],
                            capture_output=True, env={**os.environ, "NO_COLOR": "1",
                                                      "COLUMNS": "100", **env}, timeout=60)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("ascii")  # raises if anything else got through
    assert text.count("?") == utf8.stdout.count("?")  # every character had a stand-in
    assert re.sub(r"[^A-Za-z0-9]+", "", text) == re.sub(
        r"[^A-Za-z0-9]+", "", utf8.stdout.replace("×", "x").encode("ascii", "ignore").decode())
    marks = {"█": "#", "▓": "%", "▒": "+", "░": "."}  # the heat map's shades stay distinct
    for shade, mark in marks.items():
        assert (shade in utf8.stdout) == (f"{mark}{mark}" in text or f"{mark} " in text)
    if "—" in utf8.stdout or "–" in utf8.stdout:
        assert "-" in text


def test_an_absurd_width_is_capped(mini: Path) -> None:
    for args in (["now", "--at", AT], ["list"], ["gaps", "--week"]):
        result = run(*args, "-r", str(mini), env={"COLUMNS": "99999999999",
                                                  "LINES": "99999999999"})
        assert result.returncode == 0, result.stderr
        assert max(map(len, result.stdout.splitlines())) <= 1000


# -- paths in CI logs and terminals ----------------------------------------------------------

FORGED = "x\n::error file=forged.yaml,line=1::forged\n::add-mask::secret\n\x1b[31mred.yaml"


def test_no_file_name_forges_a_workflow_command_or_sends_an_escape(tmp_path: Path) -> None:
    odd = tmp_path / FORGED
    odd.write_text(MINI.replace('"01632 960000"', '"0163 960000"'), encoding="utf-8")
    skipped = tmp_path / f"::warning::{FORGED}"
    skipped.write_text("version: 1\nname: x\nagencies: {}\nissues: {}\nfoo: 1\n",
                       encoding="utf-8")
    result = run("validate", "--format", "github", str(odd), str(skipped), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    assert commands and all(re.match(r"::(warning|error) file=[^:\n]*,line=\d+", c)
                            for c in commands), lines
    # Each is an annotation on one of the two files, its name escaped whole.
    assert all("x\\n%3A%3Aerror file=forged.yaml%2Cline=1%3A%3Aforged\\n%3A%3Aadd-mask"
               in c for c in commands)
    assert {c.split(",line=")[0].split("/")[-1][:4] for c in commands} == {"x\\n%", "%3A%"}
    assert any("unknown key 'foo'" in c for c in commands)
    assert "\x1b" not in result.stdout + result.stderr
    text = run("validate", str(odd), cwd=tmp_path)
    assert "\\n::error file=forged.yaml" in text.stdout and "\\x1b[31mred" in text.stdout
    assert "\x1b" not in text.stdout + text.stderr
    for args in (["who", "noise", "-r", str(skipped)], ["diff", str(odd), str(skipped)]):
        other = run(*args, cwd=tmp_path)
        assert other.returncode in (1, 2)
        assert "\x1b" not in other.stdout + other.stderr
        assert not any(line.lstrip().startswith("::") for line in other.stderr.splitlines())


# -- git -------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_revision_is_never_read_as_a_git_option(tmp_path: Path) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    registry = tmp_path / "remits.yaml"
    registry.write_text(MINI, encoding="utf-8")
    for git in (["init", "-q"], ["add", "remits.yaml"], ["commit", "-qm", "one"]):
        subprocess.run(["git", *git], cwd=tmp_path, check=True, env={**os.environ, **env})
    written = tmp_path / "written"
    for args in (["diff", f"--against=--output={written}", "remits.yaml"],
                 ["diff", f"--output={written}", "--", "remits.yaml"],
                 ["diff", f"--output={written}:remits.yaml", "remits.yaml"]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert not written.exists(), args
        assert "internal error" not in result.stderr
    assert run("diff", "--against", "HEAD", "remits.yaml", cwd=tmp_path).returncode == 0


# -- dates at the ends of the calendar --------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_out_of_range_as_of_is_a_usage_error(day: str, mini: Path) -> None:
    for args in (["validate", str(mini)], ["diff", str(mini), str(mini)]):
        result = run(*args, "--as-of", day)
        assert result.returncode == 2, result.stderr
        assert f"--as-of {day} is out of range" in result.stderr
        assert "1990-01-01 to 2100-12-31" in result.stderr
    for day_ok in ("1990-01-01", "2100-12-31"):
        assert run("validate", str(mini), "--as-of", day_ok).returncode == 0
