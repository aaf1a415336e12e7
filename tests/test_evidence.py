"""`remitctl evidence`: incidents read exactly, judged as `who` judges them, added up honestly."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from remitctl.cover.lookup import answers_for
from remitctl.evidence.counting import COUNTERS
from remitctl.evidence.incidents import LocalClock, Reader, column_map, parse_time
from remitctl.evidence.judge import NOBODY, STATUSES, judge
from remitctl.hours.calendar import wall_to_instant
from remitctl.registry.cache import load
from remitctl.registry.loader import load_registry
from remitctl.render.evidence import as_json
from remitctl.when import localise

from conftest import BUNDLED, MINI

LONDON = ZoneInfo("Europe/London")
Invoke = Callable[..., object]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


# -- reading -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-07-04T23:30", "2026-07-04T22:30:00+00:00"),  # BST
    ("2026-12-04 23:30", "2026-12-04T23:30:00+00:00"),  # GMT
    ("2026-07-04T23:30:15+01:00", "2026-07-04T22:30:15+00:00"),
    ("2026-07-04T22:30Z", "2026-07-04T22:30:00+00:00"),
    ("04/07/2026 23:30", "2026-07-04T22:30:00+00:00"),
    ("4/7/2026 23:30:59", "2026-07-04T22:30:59+00:00"),
    ("29/03/2026 01:30", "2026-03-29T01:00:00+00:00"),  # skipped by the clocks: the jump
    ("29/03/2026 02:00", "2026-03-29T01:00:00+00:00"),
    ("29/03/2026 00:59:59", "2026-03-29T00:59:59+00:00"),
    ("25/10/2026 01:30", "2026-10-25T00:30:00+00:00"),  # repeated: the first (BST)
])
def test_times_are_read_as_who_reads_them(text: str, expected: str) -> None:
    t = parse_time(text, LocalClock(LONDON))
    assert isinstance(t, int)
    assert dt.datetime.fromtimestamp(t, dt.UTC).isoformat() == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("31/02/2026 10:00", "impossible date"),
    ("12/31/2026 10:00", "impossible date"),
    ("2026-02-30T10:00", "impossible date"),
    ("04/07/2026 24:10", "impossible time"),
    ("2026-07-04", "no time of day"),
    ("yesterday", "no time of day"),
    ("sat 23:30", "cannot read time"),
    ("04/07/1850 10:00", "outside 1990-2100"),
    ("", "no time"),
])
def test_bad_times_say_why(text: str, reason: str) -> None:
    got = parse_time(text, LocalClock(LONDON))
    assert isinstance(got, str)
    assert reason in got


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)))
@example(dt.datetime(2024, 3, 31, 1, 0, 1))  # skipped by the clocks (found by hypothesis)
@example(dt.datetime(2026, 10, 25, 1, 30))  # repeated
def test_local_clock_agrees_with_the_calendar_at_every_wall_time(naive: dt.datetime) -> None:
    """As `who` reads it, except a time the clocks skip: that is the jump itself, by the
    calendar's one rule (docs/evidence.md), where `who --at` moves on by the gap."""
    naive = naive.replace(microsecond=0)
    got = parse_time(naive.isoformat(), LocalClock(LONDON))
    assert got == int(wall_to_instant(naive, LONDON).timestamp())
    asked = localise(naive, LONDON)
    if asked.local.replace(tzinfo=None) == naive:  # a time the clocks show
        assert got == int(asked.instant.timestamp())
    clock = LocalClock(LONDON)
    assert isinstance(got, int)
    back = dt.datetime.fromtimestamp(got, dt.UTC).astimezone(LONDON).replace(tzinfo=None)
    assert clock.local(got) == int((back - dt.datetime(1970, 1, 1)).total_seconds())


def test_column_map_refuses_unknown_names() -> None:
    assert column_map(['time=Created Date']) == {"time": "Created Date"}
    with pytest.raises(ValueError, match="not one of"):
        column_map(["when=Created"])
    with pytest.raises(ValueError, match="NAME=HEADER"):
        column_map(["time"])


def test_rows_match_exactly_or_are_rejected_with_the_nearest(mini: Path, tmp_path: Path) -> None:
    reg = load_registry(mini)
    path = _write(tmp_path / "in.csv", [
        ["Ref", "Created Date", "TYPE", "Area", "Minutes"],
        ["A1", "04/07/2026 23:30", "  LOUD MUSIC ", "east", "30"],
        ["A2", "04/07/2026 23:31", "Noise nuisance", "West", ""],
        ["A3", "04/07/2026 23:32", "nosie", "east", "5"],
        ["A4", "04/07/2026 23:33", "noise", "eats", "5"],
        ["A5", "04/07/2026 23:34", "noise", "east", "-5"],
        ["A1", "04/07/2026 23:30", "noise", "east", "30"],  # the same ref again
        ["A6", "04/07/2026 23:35", "loud", "east", "5"],  # partial names are not guessed
        [],
        ["A7"],
    ])
    reader = Reader(reg, columns={"time": "Created Date", "issue": "type"})
    reader.read_csv(path)
    out = reader.out
    assert len(out) == 2
    assert out.duplicates == 1
    reasons = {r.line: r.reason for r in out.rejected}
    assert sorted(reasons) == [4, 5, 6, 8, 10]
    assert "unknown issue 'nosie'; nearest: 'noise'" in reasons[4]
    assert "unknown area 'eats'; nearest: 'East'" in reasons[5]
    assert "bad minutes '-5'" in reasons[6]
    assert "unknown issue 'loud'" in reasons[8]
    assert "1 field" in reasons[10]
    assert out.rejected_count == 5


def test_codes_name_issues_and_must_be_unique(write_registry: Callable[..., Path],
                                              tmp_path: Path) -> None:
    text = MINI.replace("aliases: [stray dog]", "aliases: [stray dog]\n    codes: [DOG-STRAY]")
    reg = load_registry(write_registry(text, "codes.yaml"))
    assert reg.issues["dogs"].codes == ("DOG-STRAY",)
    reader = Reader(reg, area="east")
    reader.read_csv(_write(tmp_path / "c.csv", [["time", "issue"],
                                                 ["2026-07-06T10:00", "dog-stray"]]))
    assert reader.out.groups == [("dogs", "east", "east")]
    clash = MINI.replace("aliases: [stray dog]", "aliases: [stray dog]\n    codes: [LOUD MUSIC]")
    from remitctl.registry.problems import RegistryError

    with pytest.raises(RegistryError) as caught:
        load_registry(write_registry(clash, "clash.yaml"))
    assert any("code 'LOUD MUSIC' also names issue 'noise'" in p.message
               for p in caught.value.problems)


def test_no_area_is_fine_only_where_cover_is_the_same_everywhere(mini: Path,
                                                                   tmp_path: Path) -> None:
    reg = load_registry(mini)
    reader = Reader(reg)
    reader.read_csv(_write(tmp_path / "a.csv", [["time", "issue"],
                                                 ["2026-07-06T10:00", "stray dog"],
                                                 ["2026-07-06T10:00", "noise"]]))
    assert reader.out.groups == [("dogs", None, "east")]
    assert "cover differs by area" in reader.out.rejected[0].reason


@pytest.mark.parametrize(("content", "message"), [
    ("when,what\n2026-07-06T10:00,noise\n", "no 'time' or 'issue' column; found: 'when', 'what'"),
    ("", "empty"),
    ("time,issue\x00\n", "not CSV"),
])
def test_files_that_are_not_incident_csv_are_errors(invoke: Invoke, mini: Path, tmp_path: Path,
                                                    content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = invoke("evidence", str(path), "-r", str(mini))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert message in result.stderr  # type: ignore[attr-defined]


def test_semicolons_and_a_byte_order_mark(mini: Path, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffTime;Issue;Area\n06/07/2026 10:00;Noise nuisance;east\n"
                     .encode())
    reader = Reader(load_registry(mini))
    reader.read_csv(path)
    assert len(reader.out) == 1 and not reader.out.rejected


# -- judging -------------------------------------------------------------------------


def _incidents(reg_path: Path, tmp_path: Path, count: int, seed: int) -> Path:
    """Random incidents over 2026, with extra ones on bank holidays and clock changes."""
    reg = load(reg_path, use_cache=False)
    rnd = random.Random(seed)
    rows = [["ref", "time", "issue", "area", "minutes"]]
    special = [dt.datetime(2026, 12, 25, 10), dt.datetime(2026, 12, 24, 23, 59),
               dt.datetime(2026, 3, 29, 1, 30), dt.datetime(2026, 10, 25, 1, 30),
               dt.datetime(2026, 8, 31, 12), dt.datetime(2026, 5, 4, 3)]
    for n in range(count):
        base = special[n % len(special)] if n % 5 == 0 else dt.datetime(2026, 1, 1)
        t = base + dt.timedelta(minutes=rnd.randrange(0, 60 if n % 5 == 0 else 365 * 1440))
        issue = rnd.choice(list(reg.issues.values()))
        rows.append([f"R{n}", f"{t:%d/%m/%Y %H:%M}", rnd.choice([issue.id, issue.title]),
                     rnd.choice(list(reg.areas)), str(rnd.randrange(5, 240))])
    return _write(tmp_path / "incidents.csv", rows)


@pytest.mark.parametrize("counter", COUNTERS)
@pytest.mark.parametrize("which", ["mini", "bundled"])
def test_every_incident_is_judged_as_who_judges_it(which: str, counter: str, mini: Path,
                                                     tmp_path: Path) -> None:
    if counter == "numpy":
        pytest.importorskip("numpy")
    reg_path = mini if which == "mini" else BUNDLED
    reg = load(reg_path, use_cache=False)
    reader = Reader(reg)
    reader.read_csv(_incidents(reg_path, tmp_path, 240, seed=7))
    out = reader.out
    assert not out.rejected
    j = judge(reg, out, counter)
    expected: Counter[tuple[str, str | None, str]] = Counter()
    for k in range(len(out)):
        issue_id, area, decide = out.groups[out.group[k]]
        at = dt.datetime.fromtimestamp(out.when[k], dt.UTC)
        (answer,) = answers_for(reg, reg.issues[issue_id], decide, at)
        code, by, dated = j.incident(k)
        status = STATUSES[code]
        assert status == answer.status, (issue_id, decide, at)
        expected[(issue_id, area, answer.status)] += 1
        if status == "covered":
            assert answer.covering is not None and j.lines[by] == answer.covering.ref
        elif status == "uncovered":
            first_open = next((f.service.ref for f in answer.fallback if f.state == "open"),
                              None)
            assert (j.lines[by] if by != NOBODY else None) == first_open
            if dated != NOBODY:  # a holiday or closure that day or the day before
                assert answer.bank_holiday or answer.closures or at.astimezone(
                    LONDON).date() - dt.timedelta(days=1) in _special_days(reg)
    for g in j.groups:
        assert g.tally.covered == expected[(g.issue, g.area, "covered")]
        assert g.tally.uncertain == expected[(g.issue, g.area, "uncertain")]
        assert g.tally.uncovered == expected[(g.issue, g.area, "uncovered")]
    assert j.total.incidents == len(out) == sum(expected.values())


def test_both_counters_give_the_same_report(tmp_path: Path) -> None:
    """numpy counts a large file (evidence/counting.py); C maps a small one: every figure
    of the report, minutes and hours of the week included, is the same either way."""
    pytest.importorskip("numpy")
    reg = load(BUNDLED, use_cache=False)
    reader = Reader(reg)
    reader.read_csv(_incidents(BUNDLED, tmp_path, 3000, seed=11))
    documents = [as_json.document(judge(reg, reader.out, c), "r.yaml") for c in COUNTERS]
    assert documents[0] == documents[1]
    totals = documents[0]["totals"]
    assert totals["incidents"] == 3000 and totals["with_minutes"] == 3000
    assert totals["uncovered"] > 0 and totals["holiday_or_closure"] > 0
    assert totals["minutes"] > totals["minutes_uncovered"] > 0


def _special_days(reg: object) -> set[dt.date]:
    from remitctl.hours.bank_holidays import bank_holidays

    days = set(bank_holidays("england-and-wales", range(2026, 2027)))
    for s in reg.services.values():  # type: ignore[attr-defined]
        for c in s.closures:
            d = c.start
            while d <= c.end:
                days.add(d)
                d += dt.timedelta(days=1)
    return days


def test_a_christmas_gap_is_put_down_to_the_bank_holiday(mini: Path, tmp_path: Path) -> None:
    reg = load_registry(mini)
    reader = Reader(reg)
    reader.read_csv(_write(tmp_path / "x.csv", [
        ["time", "issue", "area", "minutes"],
        ["25/12/2026 11:00", "stray dog", "east", "60"],  # Friday, office closed: holiday
        ["26/12/2026 11:00", "stray dog", "east", "30"],  # Saturday: closed every week
        ["24/12/2026 11:00", "stray dog", "east", "30"],  # Thursday: covered
    ]))
    j = judge(reg, reader.out)
    (g,) = j.groups
    assert (g.tally.covered, g.tally.uncovered, g.tally.holiday_or_closure) == (1, 2, 1)
    assert g.tally.minutes_uncovered == 90
    assert g.reasons == {"Christmas Day (bank holiday)": 1}
    assert g.absorbed_by == {"police/control-room": 2}
    assert g.agency == "council"
    assert g.heat[4 * 24 + 11] == 1 and g.heat[5 * 24 + 11] == 1  # Fri and Sat 11:00


# -- the command -----------------------------------------------------------------------


@pytest.fixture
def sample(mini: Path, tmp_path: Path) -> Path:
    return _write(tmp_path / "s.csv", [
        ["Incident No", "Created Date", "Type", "Area", "Minutes"],
        ["1", "25/12/2026 11:00", "stray dog", "east", "60"],
        ["2", "26/12/2026 11:00", "stray dog", "east", "30"],
        ["3", "24/12/2026 11:00", "noise", "west", "45"],
        ["4", "24/12/2026 11:00", "nosie", "west", "45"],
        ["3", "24/12/2026 11:00", "noise", "west", "45"],
    ])


ARGS = ("--column", "time=Created Date", "-c", "issue=type", "-c", "ref=Incident No")


def test_json_document(invoke: Invoke, mini: Path, sample: Path) -> None:
    result = invoke("evidence", str(sample), *ARGS, "-r", str(mini), "--json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    doc = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert doc["schema"] == "remitctl/evidence/v1"
    assert doc["duplicates"] == 1
    assert doc["rejected"] == [{"file": str(sample), "line": 5,
                                "reason": doc["rejected"][0]["reason"]}]
    assert "nearest: 'noise'" in doc["rejected"][0]["reason"]
    assert doc["window"]["first_incident"] == "2026-12-24T11:00:00Z"
    assert doc["registry"]["sha256"]
    first = doc["groups"][0]
    assert {k: first[k] for k in ("issue", "area", "incidents", "covered", "uncertain",
                                  "uncovered", "minutes_uncovered", "holiday_or_closure",
                                  "agency")} == {
        "issue": "dogs", "area": "east", "incidents": 2, "covered": 0, "uncertain": 0,
        "uncovered": 2, "minutes_uncovered": 90, "holiday_or_closure": 1, "agency": "council"}
    assert "2 of 2 Stray dogs incidents in East (100%)" in doc["headline"]
    assert f"{sample}:5: unknown issue 'nosie'" in result.stderr  # type: ignore[attr-defined]


def test_strict_fails_on_any_rejected_row(invoke: Invoke, mini: Path, sample: Path) -> None:
    result = invoke("evidence", str(sample), *ARGS, "-r", str(mini), "--strict")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "By issue type and area" in result.stdout  # type: ignore[attr-defined]
    assert "1 row rejected" in result.stderr  # type: ignore[attr-defined]


def test_csv_is_one_row_per_incident(invoke: Invoke, mini: Path, sample: Path) -> None:
    result = invoke("evidence", str(sample), *ARGS, "-r", str(mini), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))  # type: ignore[attr-defined]
    assert [(r["ref"], r["status"], r["absorbed_by"], r["holiday_or_closure"]) for r in rows] == [
        ("1", "uncovered", "police/control-room", "Christmas Day (bank holiday)"),
        ("2", "uncovered", "police/control-room", ""),
        ("3", "covered", "", ""),
    ]
    assert rows[2]["service"] == "council/office" and rows[2]["agency"] == "council"
    assert rows[0]["time_local"] == "2026-12-25T11:00:00+00:00"


def test_csv_cells_from_the_input_are_never_formulas(invoke: Invoke, mini: Path,
                                                      tmp_path: Path) -> None:
    path = _write(tmp_path / "f.csv", [["ref", "time", "issue", "area"],
                                       ["=HYPERLINK(\"x\")", "2026-07-06T10:00", "noise", "east"]])
    result = invoke("evidence", str(path), "-r", str(mini), "-f", "csv")
    assert "'=HYPERLINK" in result.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fmt", "needle"), [
    ("markdown", "| Stray dogs | East |"),
    ("html", "<title>Evidence: demand in partners&#x27; gaps – Test area</title>"),
    ("table", "2 of 2 Stray dogs incidents in East (100%)"),
])
def test_human_formats(invoke: Invoke, mini: Path, sample: Path, fmt: str, needle: str) -> None:
    result = invoke("evidence", str(sample), *ARGS, "-r", str(mini), "-f", fmt)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert needle in result.stdout  # type: ignore[attr-defined]


def test_output_file_follows_its_extension(invoke: Invoke, mini: Path, sample: Path,
                                           tmp_path: Path) -> None:
    target = tmp_path / "pack.html"
    result = invoke("evidence", str(sample), *ARGS, "-r", str(mini), "-o", str(target))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "http://" not in page.replace(
        "http://www.w3.org", "") and "https://" not in page


def test_no_files_is_a_usage_error(invoke: Invoke, mini: Path) -> None:
    result = invoke("evidence", "-r", str(mini))
    assert result.exit_code == 2  # type: ignore[attr-defined]


def test_a_mistyped_year_is_named_not_judged_for_decades(invoke: Invoke, mini: Path,
                                                         tmp_path: Path) -> None:
    path = _write(tmp_path / "y.csv", [["time", "issue", "area"],
                                       ["06/07/2026 10:00", "noise", "east"],
                                       ["06/07/2062 10:00", "noise", "east"]])
    result = invoke("evidence", str(path), "-r", str(mini))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{path}:3 (2062-07-06 09:00 UTC)" in result.stderr  # type: ignore[attr-defined]
