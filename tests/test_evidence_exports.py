"""`remitctl evidence` on the shapes real exports have: LFB-style date and time columns,
NYC-311-style US dates, C&C opening and closing categories with force codes (`--map`),
semicolons with decimal commas, .xlsx; and rows that must only ever reject themselves."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
LFB = ["-c", "date=DateOfCall", "-c", "time=TimeOfCall", "-c", "issue=StopCodeDescription",
       "-c", "area=IncGeo_BoroughName", "-c", "ref=IncidentNumber"]
NYC = ["-c", "time=Created Date", "-c", "issue=Complaint Type", "-c", "area=Borough",
       "-c", "ref=Unique Key"]
CNC = ["-c", "time=Opened", "-c", "issue=Closing Category", "-c", "opened=Opening Category",
       "-c", "area=Beat Area", "-c", "ref=Incident URN", "-c", "minutes=Officer Minutes"]
Invoke = Callable[..., Any]


def _json(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _run(invoke: Invoke, *args: str) -> Any:
    return invoke("evidence", *args, "-r", str(BUNDLED))


def test_lfb_date_and_time_columns_bom_crlf_and_blank_rows(invoke: Invoke) -> None:
    result = _run(invoke, str(FIXTURES / "lfb-incidents.csv"), *LFB, "-f", "json")
    data = _json(result)
    assert data["totals"]["incidents"] == 20
    assert data["rejected_count"] == 7
    assert data["blank_rows"] == 3  # ",,,,,,,,," rows a spreadsheet leaves: not rejected
    assert data["window"]["first_incident"] == "2026-01-01T00:00:00Z"
    assert {r["line"]: r["reason"] for r in data["rejected"]}[26] == "impossible date '31 Feb 2026'"
    assert {r["line"]: r["reason"] for r in data["rejected"]}[27] == "impossible time '25:00:00'"
    assert data["unmatched"] == [{"column": "issue", "value": "Animal assistance", "rows": 4},
                                 {"column": "area", "value": "SOUTH MOOR", "rows": 1}]
    assert data["rejected_reasons"][0]["reason"] == "unknown issue"
    assert data["rejected_reasons"][0]["rows"] == 4
    # "KINGSBRIDGE CITY", "NORTH MOOR", "Brackenford  District", "kingsbridge": as -a reads them
    areas = {g["area"] for g in data["groups"]}
    assert areas == {"kingsbridge", "north-moor", "brackenford"}
    assert "nearest: 'North Moor District (Wyvernshire)'" in result.stderr


def test_lfb_text_report_lists_the_commonest_unmatched_values(invoke: Invoke) -> None:
    result = _run(invoke, str(FIXTURES / "lfb-incidents.csv"), *LFB)
    assert result.exit_code == 0
    assert "          4  issue: 'Animal assistance'\n          1  area: 'SOUTH MOOR'\n" \
        in result.stderr
    assert "remitctl: 7 rows rejected; the rest (20 incidents) judged" in result.stderr


def test_strict_passes_on_an_export_whose_only_oddity_is_trailing_blank_rows(
        invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbftime,issue,area,minutes,ref\r\n"
                     b"04/07/2026 23:30,noise,North Moor,30,A1\r\n"
                     b"05/07/2026 10:00,stray dog,north moor district,,A2\r\n,,,,\r\n,,,,\r\n")
    data = _json(_run(invoke, str(path), "--strict", "-f", "json"))
    assert (data["totals"]["incidents"], data["rejected_count"], data["blank_rows"]) == (2, 0, 2)


def test_a_us_style_column_is_refused_whole_with_the_fix(invoke: Invoke) -> None:
    result = _run(invoke, str(FIXTURES / "nyc311.csv"), *NYC)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "remitctl: error: " + str(FIXTURES / "nyc311.csv") + ":6: '01/13/2026' only makes "
        "sense month first: a US-style date column; 4 values (first at line 2) read both "
        "ways; none of it is read by guessing; say how column 'Created Date' is written with "
        "--time-format")


def test_nyc_311_with_time_format_and_map(invoke: Invoke) -> None:
    data = _json(_run(invoke, str(FIXTURES / "nyc311.csv"), *NYC,
                      "--time-format", "%m/%d/%Y %I:%M:%S %p",
                      "--map", str(FIXTURES / "nyc311-map.yaml"), "-f", "json"))
    assert data["totals"]["incidents"] == 9
    assert data["rejected_count"] == 3  # Illegal Parking: in no registry or map
    assert data["window"]["first_incident"] == "2026-01-05T13:00:00Z"  # 01:00:00 PM, GMT
    assert data["unmatched"] == [{"column": "issue", "value": "Illegal Parking", "rows": 3}]


def test_cnc_closing_category_judged_opening_reported_force_codes_mapped(
        invoke: Invoke) -> None:
    args = [str(FIXTURES / "cnc-incidents.csv"), *CNC, "--map", str(FIXTURES / "cnc-map.yaml")]
    result = _run(invoke, *args)
    assert result.exit_code == 0, result.output
    assert ("remitctl: opened as one issue type, closed (and judged) as another:\n"
            "          3  opened as Noise nuisance, closed as Mental health crisis\n"
            "          3  opened as Suspicious Circumstances, closed as Animal welfare and "
            "cruelty\n") in result.stderr
    data = _json(_run(invoke, *args, "-f", "json"))
    assert data["totals"]["incidents"] == 15
    assert data["totals"]["minutes"] == sum(15 + k * 5 for k in range(15))
    assert {(g["issue"]) for g in data["groups"]} == {
        "mental-health-crisis", "noise-nuisance", "highways", "animal-welfare"}
    assert data["recategorised"] == [
        {"opened": "noise-nuisance", "closed": "mental-health-crisis", "rows": 3},
        {"opened": "Suspicious Circumstances", "closed": "animal-welfare", "rows": 3}]
    # The force's codes alone, judged instead of the category:
    coded = [a if a != "issue=Closing Category" else "issue=Closing Code" for a in args]
    data = _json(_run(invoke, *coded, "-f", "json"))
    assert data["totals"]["incidents"] == 15


def test_semicolon_file_reads_the_decimal_comma(invoke: Invoke) -> None:
    result = _run(invoke, str(FIXTURES / "semicolon-decimal-comma.csv"), "-c", "time=Zeit",
                  "-c", "issue=Art", "-c", "area=Bereich", "-c", "minutes=Minuten",
                  "-c", "ref=Referenz", "-f", "json")
    data = _json(result)
    assert data["totals"]["incidents"] == 6
    assert data["totals"]["minutes"] == 60.5 + 1.5 + 1234.5 + 45 + 0.5 + 12
    assert data["blank_rows"] == 1
    assert [r["line"] for r in data["rejected"]] == [8]  # 1.234: thousands or a point?
    assert "write 1234 or 1,234" in data["rejected"][0]["reason"]


@pytest.mark.parametrize(("minutes", "expected"), [("60,5", None), ("1,234", 1234), ("1.5", 1.5)])
def test_a_comma_file_never_drops_a_decimal_comma(invoke: Invoke, tmp_path: Path,
                                                   minutes: str, expected: float | None) -> None:
    path = tmp_path / "in.csv"
    path.write_text(f'time,issue,area,minutes\n2026-07-04T10:00,noise,kingsbridge,"{minutes}"\n')
    data = json.loads(_run(invoke, str(path), "-f", "json").stdout or "{}") or None
    if expected is None:
        result = _run(invoke, str(path))
        assert result.exit_code == 1
        assert "write 60.5" in result.stderr
    else:
        assert data is not None
        assert data["totals"]["minutes"] == expected


def test_xlsx_is_read_from_its_first_sheet(invoke: Invoke) -> None:
    pytest.importorskip("openpyxl")
    data = _json(_run(invoke, str(FIXTURES / "incidents.xlsx"), "-f", "json"))
    assert data["totals"]["incidents"] == 8
    assert data["totals"]["minutes"] == sum(30 + k * 2.5 for k in range(8))
    assert [r["line"] for r in data["rejected"]] == [10]
    assert data["blank_rows"] == 1


def test_xlsx_without_openpyxl_is_one_line(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "openpyxl":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    result = _run(invoke, str(FIXTURES / "incidents.xlsx"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"remitctl: error: {FIXTURES / 'incidents.xlsx'}: reading .xlsx needs openpyxl: pip "
        "install 'remitctl[xlsx]', or save the sheet as CSV UTF-8")


def test_a_csv_named_xlsx_is_refused_in_one_line(invoke: Invoke, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "fake.xlsx"
    path.write_text("time,issue\n2026-07-04T10:00,noise\n")
    result = _run(invoke, str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"remitctl: error: {path}: not an .xlsx workbook")


def test_every_row_rejected_exits_1_with_the_commonest_reason(invoke: Invoke,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("time,issue\n2026-07-04T10:00,nosie\n2026-07-04T11:00,nosie\n"
                    "yesterday,noise\n")
    result = _run(invoke, str(path), "-o", str(tmp_path / "pack.html"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"remitctl: error: all 3 rows were rejected, nothing to judge; commonest reason: "
        f"unknown issue (2 rows, first at {path}:2)")
    assert not (tmp_path / "pack.html").exists()


@pytest.mark.parametrize("bad", ["2026-W52-5T10:00", "2026-W52T10:00", "20261225T10:00",
                                 "2026-12-25T10:00:00+99:00", "13/13/2026 10:00 PM",
                                 "00/01/2026 00:00", "2026-13-01T00:00", "1 Smarch 2026 10:00",
                                 "12/01/2026 13:00 PM", "\u0661\u0662/01/2026 10:00"])
def test_a_bad_time_rejects_only_its_row(invoke: Invoke, tmp_path: Path, bad: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(f"time,issue\n{bad},noise\n2026-07-04T10:00,noise\n", encoding="utf-8")
    data = _json(_run(invoke, str(path), "-a", "kingsbridge", "-f", "json"))
    assert (data["totals"]["incidents"], data["rejected_count"]) == (1, 1)


def test_two_column_bad_values_reject_only_their_rows(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("d,t,issue\n01 Jan 2026,00:00:37,noise\n2026-01-02,7:05 pm,noise\n"
                    "2026-W01-1,10:00,noise\n02/01/2026,,noise\n03/01/2026,10:61,noise\n"
                    "04/01/2026,24:00,noise\n")
    data = _json(_run(invoke, str(path), "-c", "date=d", "-c", "time=t", "-a", "kingsbridge",
                      "-f", "json"))
    assert (data["totals"]["incidents"], data["rejected_count"]) == (2, 4)
    assert data["window"]["last_incident"] == "2026-01-02T19:05:00Z"


def test_area_names_resolve_as_a_does_but_never_by_guessing(invoke: Invoke,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    names = ["Kingsbridge City", "North Moor", "north moor district", "Kingsbridge  City",
             "BRACK", "brackenford", "Kingsbrige City", "moor"]
    path.write_text("time,issue,area\n" + "".join(f"2026-07-04T10:00,noise,{n}\n"
                                                  for n in names))
    data = _json(_run(invoke, str(path), "-f", "json"))
    assert data["totals"]["incidents"] == 6
    reasons = {r["line"]: r["reason"] for r in data["rejected"]}
    assert reasons == {
        8: "unknown area 'Kingsbrige City'; nearest: 'Kingsbridge City (unitary)'",
        9: "unknown area 'moor'"}


def test_map_problems_name_line_and_column(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("PS01: mental-health-crisis\nAS01: noise-nuisanse\nPS01: highways\n"
                    "TR04: !!python/object:os.system x\n")
    result = _run(invoke, str(FIXTURES / "cnc-incidents.csv"), *CNC, "--map", str(path))
    assert result.exit_code == 2
    assert str(path) + ":3:1:" in result.stderr  # the duplicate key
    assert result.stdout == ""
    path.write_text("PS01: mental-health-crisis\nAS01: noise-nuisanse\n")
    result = _run(invoke, str(FIXTURES / "cnc-incidents.csv"), *CNC, "--map", str(path))
    assert result.exit_code == 2
    assert (f"remitctl: error: {path}:2:7: unknown issue id 'noise-nuisanse'; nearest: "
            "'noise-nuisance'") in result.stderr


def test_a_fifo_nobody_writes_to_is_given_up_on(invoke: Invoke, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    monkeypatch.setenv("REMITCTL_READ_TIMEOUT", "0.2")
    holder: list[int] = []
    # A writer that opens and never writes (a shell's `sleep 1000 > pipe.csv`).
    opener = threading.Thread(target=lambda: holder.append(os.open(fifo, os.O_WRONLY)))
    opener.start()
    try:
        result = _run(invoke, str(fifo))
    finally:
        opener.join(timeout=5)
        for fd in holder:
            os.close(fd)
    assert result.exit_code == 2
    assert "nothing arrived for 0.2 s (a pipe or FIFO that nobody writes to?)" in result.stderr


def test_a_line_longer_than_the_field_limit_is_refused_as_read(invoke: Invoke,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    with path.open("w") as fh:
        fh.write("time,issue\n2026-07-04T10:00,noise\n2026-07-04T10:01," + "x" * 3_000_000 +
                 "\n2026-07-04T10:02,noise\n")
    data = _json(_run(invoke, str(path), "-a", "kingsbridge", "-f", "json"))
    assert (data["totals"]["incidents"], data["rejected_count"]) == (2, 1)
    assert data["rejected"][0]["line"] == 3
    assert "a line of more than 131,072 characters" in data["rejected"][0]["reason"]
