"""Where `evidence` reads incidents from: old Mac (CR-only) line ends, a FIFO or pipe that
nobody writes to, by name or on standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
MAC = FIXTURES / "mac-classic-cr.csv"
MAC_COLUMNS = ["-c", "ref=Ref", "-c", "time=Date/Time", "-c", "issue=Type", "-c", "area=Area",
               "-c", "minutes=Minutes"]
Invoke = Callable[..., Any]
SRC = str(Path(__file__).resolve().parent.parent / "src")


def _counts(stdout: str) -> tuple[int, int, int, int, float, list[tuple[int, str]]]:
    data = json.loads(stdout)
    return (data["totals"]["incidents"], data["rejected_count"], data["duplicates"],
            data["blank_rows"], data["totals"]["minutes"],
            [(r["line"], r["reason"]) for r in data["rejected"]])


MAC_EXPECTED = (6, 1, 1, 1, 130, [
    (5, "impossible date '31/06/2026' (DD/MM/YYYY is read day first)")])


def test_the_fixture_has_only_cr_line_ends() -> None:
    data = MAC.read_bytes()
    assert b"\n" not in data and data.count(b"\r") == 9


def test_cr_only_line_ends_are_read_with_their_line_numbers(invoke: Invoke) -> None:
    result = invoke("evidence", str(MAC), *MAC_COLUMNS, "-r", str(BUNDLED), "-f", "json")
    assert result.exit_code == 0, result.output
    assert _counts(result.stdout) == MAC_EXPECTED
    assert result.stderr.splitlines()[0] == f"{MAC}:5: impossible date '31/06/2026' " \
        "(DD/MM/YYYY is read day first)"


def test_cr_only_line_ends_on_standard_input(invoke: Invoke) -> None:
    result = invoke("evidence", "-", *MAC_COLUMNS, "-r", str(BUNDLED), "-f", "json",
                    input=MAC.read_bytes())
    assert result.exit_code == 0, result.output
    assert _counts(result.stdout) == MAC_EXPECTED


def test_a_cr_inside_a_crlf_file_is_still_refused_by_csv(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"time,issue\r\n2026-07-04T10:00,noise\r\n2026-07-04T10:01,no\rise\r\n")
    result = invoke("evidence", str(path), "-a", "kingsbridge", "-r", str(BUNDLED))
    assert result.exit_code == 2
    assert f"{path}:3: not CSV: new-line character seen in unquoted field" in result.stderr


def _cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "REMITCTL_READ_TIMEOUT": "0.3"}
    return subprocess.run([sys.executable, "-m", "remitctl", "evidence", *args, "-a",
                           "kingsbridge", "-r", str(BUNDLED)], text=True, env=env,
                          capture_output=True, timeout=60, check=False, **kwargs)


NOTHING = ("nothing arrived for 0.3 s (a pipe or FIFO that nobody writes to?); write the "
           "incidents into it, or pass a file (REMITCTL_READ_TIMEOUT sets the wait in seconds)")


def test_a_fifo_on_standard_input_that_nobody_writes_to_is_given_up_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    reading = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    writing = os.open(fifo, os.O_WRONLY)  # a writer that never writes (`sleep 1000 > fifo`)
    try:
        os.set_blocking(reading, True)
        result = _cli("-", stdin=reading)
    finally:
        os.close(reading)
        os.close(writing)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"remitctl: error: <stdin>: {NOTHING}"


def test_a_fifo_nobody_ever_opens_for_writing_is_given_up_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = _cli(str(fifo))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"remitctl: error: {fifo}: {NOTHING}"


def test_a_pipe_on_standard_input_is_read_whole() -> None:
    text = MAC.read_bytes().decode().replace("\r", "\n")
    result = _cli("-", "-f", "json", *MAC_COLUMNS, input=text)
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == MAC_EXPECTED


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"])
def test_every_line_end_gives_the_same_rows(invoke: Invoke, tmp_path: Path,
                                            ending: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(ending.join(["time,issue", "2026-07-04T10:00,noise", "",
                                  "2026-07-04T10:01,nois", "2026-07-04T10:02,noise"]
                                 ).encode())
    result = invoke("evidence", str(path), "-a", "kingsbridge", "-r", str(BUNDLED),
                    "-f", "json")
    data = json.loads(result.stdout)
    assert (data["totals"]["incidents"], data["blank_rows"], data["rejected"][0]["line"]) \
        == (2, 1, 4)


def test_one_row_is_one_row(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A user read "all 1 rows were rejected" and "Evidence: 1 incidents".
    bad = tmp_path / "bad.csv"
    bad.write_text("time,issue,area\n05/12/2026 23:30,PS01,kingsbridge\n", encoding="utf-8")
    result = invoke("evidence", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "remitctl: error: the only row was rejected, nothing to judge; commonest reason: "
        f"unknown issue (1 row, first at {bad}:2)")
    good = tmp_path / "good.csv"
    good.write_text("time,issue,area\n05/12/2026 23:30,noise,kingsbridge\n", encoding="utf-8")
    first = invoke("evidence", str(good)).stdout.splitlines()[0]
    assert first.startswith("Evidence: 1 incident, 05 Dec 2026 23:30 to 05 Dec 2026 23:30")


def test_an_output_path_that_cannot_be_written_is_refused_first(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A user's run judged every row, then failed to write into a folder that is not there.
    rows = tmp_path / "rows.csv"
    rows.write_text("time,issue,area\n05/12/2026 23:30,PS01,kingsbridge\n", encoding="utf-8")
    missing = tmp_path / "no-such-folder" / "pack.html"
    result = invoke("evidence", str(rows), "-o", str(missing))
    assert result.exit_code == 74
    # Refused before the rows were read: the bad row is never reported.
    assert result.stderr.splitlines() == [
        f"remitctl: error: cannot write {missing}: there is no folder "
        f"{str(missing.parent)!r}"]
    gaps = invoke("gaps", "-o", str(missing))
    assert gaps.exit_code == 74
    assert not missing.parent.exists()


def test_a_file_that_is_not_there_says_so_with_what_to_do(invoke: Invoke, tmp_path: Path,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = invoke("evidence", "incidnets-2026.csv", "-r", str(BUNDLED))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2:] == [
        "remitctl: error: incidnets-2026.csv: no such file",
        f"  hint: check the path (read from {tmp_path}); give CSV or .xlsx exports of "
        "incidents, or '-' for standard input"]
