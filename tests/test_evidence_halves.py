"""A large file is read in two halves at once (evidence/halves.py): a forked child reads
the second. Whatever the file holds, the result must be the one reading it whole gives:
every incident, its line and ref, duplicates across the cut, rejections in order, counts,
unmatched values and the date-order check; and a child that fails, or a quoted line
break before the cut, must still give it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from remitctl.evidence import halves
from remitctl.evidence.incidents import EvidenceFileError, Reader
from remitctl.registry.loader import load_registry
from test_evidence_columns import _export, _state

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="halves need os.fork")


def _read(reg_path: Path, paths: list[Path], *, split: int | None,
          time_format: str | None = None, keep: int | None = 7) -> dict[str, object]:
    reader = Reader(load_registry(reg_path), columns={"time": "Time", "issue": "Issue"},
                    keep_rejected=keep, mapping={"force-77": "noise"}, time_format=time_format)
    reader.split_bytes = split if split is not None else 1 << 40  # never: one go
    for path in paths:
        reader.read_csv(path)
    state = _state(reader.out)
    state["sources"] = list(reader.out.sources)
    return state


@pytest.fixture(autouse=True)
def _two_processors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "_processors", lambda: 2)  # as on the developers' machine


@pytest.mark.parametrize(("seed", "us", "opened", "keep"), [
    (1, False, False, 7), (2, False, True, None), (3, True, False, 7)])
def test_halves_read_what_one_reading_reads(mini: Path, tmp_path: Path, seed: int, us: bool,
                                            opened: bool, keep: int | None) -> None:
    path = _export(tmp_path / "x.csv", 4000, seed, us=us, opened=opened)
    assert halves.cut(path, 1000) is not None
    fmt = "%m/%d/%Y %I:%M:%S %p" if us else None
    whole = _read(mini, [path], split=None, time_format=fmt, keep=keep)
    halved = _read(mini, [path], split=1000, time_format=fmt, keep=keep)
    assert halved == whole
    assert len(whole["incidents"]) > 1000  # type: ignore[arg-type]


def test_refs_of_an_earlier_file_and_the_first_half_are_duplicates_in_the_second(
        mini: Path, tmp_path: Path) -> None:
    first = _export(tmp_path / "a.csv", 3000, 4)
    second = _export(tmp_path / "b.csv", 3000, 5)
    whole = _read(mini, [first, second], split=None)
    halved = _read(mini, [first, second], split=1000)
    assert halved == whole
    counts = whole["counts"]
    assert isinstance(counts, tuple) and counts[1] > 400  # refs drawn from R0…R2999 in both


def _plain(path: Path, rows: int, *, middle: str = "", tail: str = "") -> Path:
    lines = ["Ref,Time,Issue,Area"]
    lines += [f"R{n},0{1 + n % 9}/03/2026 1{n % 10}:{n % 60:02},noise,east" for n in range(rows)]
    lines.insert(rows // 4, middle) if middle else None
    path.write_text("\n".join(lines) + "\n" + tail)
    return path


def test_a_quoted_line_break_before_the_cut_is_read_on_alone(mini: Path, tmp_path: Path) -> None:
    path = _plain(tmp_path / "q.csv", 3000, middle='Q1,02/03/2026 10:00,"noise\nat night",east')
    whole = _read(mini, [path], split=None)
    assert _read(mini, [path], split=1000) == whole
    assert ("issue", "noise at night") in dict(whole["unmatched"])  # type: ignore[arg-type]


def test_a_child_that_fails_leaves_the_second_half_to_the_parent(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _plain(tmp_path / "p.csv", 3000, tail="R9,31/02/2026 10:00,noise,east\n")

    def broken(*args: object) -> None:
        raise RuntimeError("a child that dies")

    whole = _read(mini, [path], split=None)
    monkeypatch.setattr(halves, "_child", broken)
    assert _read(mini, [path], split=1000) == whole
    assert whole["rejected"] == [
        f"{path}:3002: impossible date '31/02/2026' (DD/MM/YYYY is read day first)"]


def test_an_error_in_the_second_half_is_the_error_one_reading_gives(
        mini: Path, tmp_path: Path) -> None:
    path = _plain(tmp_path / "u.csv", 3000)
    with path.open("ab") as fh:
        fh.write(b"R9,01/03/2026 10:00,noise \xff,east\n")
    errors = []
    for split in (None, 1000):
        with pytest.raises(EvidenceFileError) as caught:
            _read(mini, [path], split=split)
        errors.append(str(caught.value))
    size = path.stat().st_size
    assert errors[0] == errors[1] == (
        f"{path}: not UTF-8 text (byte {size - 7:,} of the file cannot be read); export the "
        "file as CSV UTF-8")


def test_a_month_first_date_in_the_second_half_refuses_the_file(
        mini: Path, tmp_path: Path) -> None:
    path = _plain(tmp_path / "m.csv", 3000, tail="R9,03/13/2026 10:00,noise,east\n")
    errors = []
    for split in (None, 1000):
        with pytest.raises(EvidenceFileError) as caught:
            _read(mini, [path], split=split)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and ":3002: '03/13/2026' only makes sense" in errors[0]


def test_small_files_fifos_and_quoted_headers_are_read_in_one_go(tmp_path: Path) -> None:
    small = _plain(tmp_path / "s.csv", 10)
    assert halves.cut(small) is None  # under SPLIT_BYTES
    quoted = tmp_path / "h.csv"
    quoted.write_text('"Ref","Time"\n' + "R,01/03/2026 10:00\n" * 200)
    assert halves.cut(quoted, 100) is None
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    assert halves.cut(fifo, 1) is None  # never opened: nobody may be writing


def _report(reg_path: Path, path: Path, split: int | None) -> dict[str, object]:
    from remitctl.evidence.judge import judge
    from remitctl.render.evidence import as_json

    reg = load_registry(reg_path)
    reader = Reader(reg, columns={"time": "Time", "issue": "Issue"}, keep_rejected=7,
                    mapping={"force-77": "noise"})
    reader.split_bytes = split if split is not None else 1 << 40
    reader.read_csv(path)
    if split is not None:
        assert reader.out.covers is not None  # worked out by the child, ahead
    return as_json.document(judge(reg, reader.out), "r.yaml")


def test_the_report_is_the_same_with_the_covers_worked_out_ahead(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _export(tmp_path / "x.csv", 4000, 6)
    whole = _report(mini, path, None)
    assert _report(mini, path, 1000) == whole
    # A child that fails at its covers: the judge works them out itself.
    monkeypatch.setattr(halves, "_covers", lambda reader: 1 / 0)
    assert _report(mini, path, 1000) == whole
    assert whole["totals"]["uncovered"] > 0  # type: ignore[index]


FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
EXPORTS = [  # the export shapes of tests/test_evidence_exports.py, as analysts run them
    ("lfb-incidents.csv", ["-c", "date=DateOfCall", "-c", "time=TimeOfCall",
                           "-c", "issue=StopCodeDescription", "-c", "area=IncGeo_BoroughName",
                           "-c", "ref=IncidentNumber"]),
    ("nyc311.csv", ["-c", "time=Created Date", "-c", "issue=Complaint Type", "-c",
                    "area=Borough", "-c", "ref=Unique Key", "--time-format",
                    "%m/%d/%Y %I:%M:%S %p", "--map", str(FIXTURES / "nyc311-map.yaml")]),
    ("nyc311.csv", ["-c", "time=Created Date", "-c", "issue=Complaint Type"]),  # refused
    ("cnc-incidents.csv", ["-c", "time=Opened", "-c", "issue=Closing Category", "-c",
                           "opened=Opening Category", "-c", "area=Beat Area", "-c",
                           "ref=Incident URN", "-c", "minutes=Officer Minutes",
                           "--map", str(FIXTURES / "cnc-map.yaml")]),
    ("semicolon-decimal-comma.csv", ["-c", "time=Zeit", "-c", "issue=Art", "-c",
                                     "area=Bereich", "-c", "minutes=Minuten",
                                     "-c", "ref=Referenz"]),
    ("mac-classic-cr.csv", ["-c", "ref=Ref", "-c", "time=Date/Time", "-c", "issue=Type",
                            "-c", "area=Area", "-c", "minutes=Minutes"]),
]


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_every_export_shape_reads_the_same_in_halves(
        invoke: Any, monkeypatch: pytest.MonkeyPatch, name: str, args: list[str]) -> None:
    from conftest import BUNDLED

    def run() -> tuple[int, str, str]:
        result = invoke("evidence", str(FIXTURES / name), *args, "-r", str(BUNDLED),
                        "-f", "json")
        return result.exit_code, result.stdout, result.stderr

    whole = run()
    refused = "--time-format" not in args and name == "nyc311.csv"
    assert (whole[0] == 2) if refused else (whole[0] == 0 and '"incidents": ' in whole[1])
    cuts: list[object] = []
    real_cut = halves.cut
    monkeypatch.setattr(halves, "SPLIT_BYTES", 1)
    monkeypatch.setattr(halves, "cut", lambda *a: cuts.append(real_cut(*a)) or cuts[-1])
    assert run() == whole
    assert (cuts and cuts[0] is not None) or name == "mac-classic-cr.csv"  # CR only: one go


def test_a_line_too_long_in_the_second_half_is_named_at_its_line(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    monkeypatch.setattr(csv, "field_size_limit", lambda: 5000)
    path = _plain(tmp_path / "l.csv", 3000, tail="R9,01/03/2026 10:00,noise," + "x" * 6000
                  + "\nR10,01/03/2026 10:00,noise,east\n")
    whole = _read(mini, [path], split=None)
    assert _read(mini, [path], split=1000) == whole
    assert whole["rejected"] == [f"{path}:3002: a line of more than 5,000 characters; "
                                 "refused as it was read (is this an incident export?)"]
    monkeypatch.setattr(halves, "_child", lambda *a: 1 / 0)  # the parent reads it itself
    assert _read(mini, [path], split=1000) == whole
