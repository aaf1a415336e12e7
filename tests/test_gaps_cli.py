"""`remitctl gaps` through the CLI: every format on the bundled registry, --check passing and
failing, windows, and usage errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from remitctl.cli import app
from remitctl.cli.gaps import Format

from conftest import BUNDLED

XMAS = ("--from", "2026-12-24", "--to", "2027-01-03")
Invoke = Callable[..., Any]


def run(invoke: Invoke, *args: str) -> Any:
    return invoke("gaps", *args, "-r", str(BUNDLED))


@pytest.fixture(scope="module")
def xmas_json() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["gaps", *XMAS, "-r", str(BUNDLED), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_json_is_versioned_and_exact(xmas_json: dict[str, Any]) -> None:
    doc = xmas_json
    assert doc["schema"] == "remitctl/gaps/v1"
    assert doc["window"]["start"]["utc"] == "2026-12-24T00:00:00Z"
    assert doc["window"]["end"]["utc"] == "2027-01-04T00:00:00Z"  # --to a date: that whole day
    assert doc["window"]["seconds"] == 264 * 3600 and doc["window"]["typical"] is False
    assert [h["date"] for h in doc["bank_holidays"]] == [
        "2026-12-25", "2026-12-28", "2027-01-01"]
    brackenford = next(r for r in doc["reports"] if r["issue"]["id"] == "noise-nuisance"
                       and r["areas"] == ["brackenford"])
    second = brackenford["gaps"][1]
    assert (second["start"], second["end"]) == ("2026-12-24T17:00:00Z", "2026-12-29T08:45:00Z")
    assert (second["start_local"], second["end_local"]) == (
        "2026-12-24T17:00:00+00:00", "2026-12-29T08:45:00+00:00")
    assert second["seconds"] == 111 * 3600 + 45 * 60 and second["hours"] == 111.75
    assert second["fallback"] == [{"service": "police/control-room", "seconds": 402300}]
    assert [c["bank_holidays"] for c in second["causes"]] == [
        ["Christmas Day"], ["Boxing Day (substitute day)"]]
    assert second["because_of_dates"] == 16 * 3600 and not second["only_because_of_dates"]
    assert brackenford["gaps"][-1]["cut_at_end"] is True
    assert brackenford["gaps"][-1]["whole_end"] == "2027-01-04T08:45:00Z"
    policy = brackenford["policy"]
    assert policy["breached"] is True and policy["max_gap_hours"] == 48
    line = BUNDLED.read_text().splitlines().index("      max_gap_hours: 48") + 1
    assert policy["line"] == line and policy["column"] == 22
    shares = [i["uncovered"]["share"] for i in doc["issues"]]
    assert shares == sorted(shares, reverse=True)
    assert doc["fallbacks"][0]["agency"] == "police"


def test_csv_has_a_row_per_gap(invoke: Invoke, xmas_json: dict[str, Any]) -> None:
    result = run(invoke, *XMAS, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == sum(len(r["gaps"]) for r in xmas_json["reports"])
    row = next(r for r in rows if r["issue"] == "noise-nuisance" and r["areas"] == "brackenford"
               and r["start_local"] == "2026-12-24T17:00:00+00:00")
    assert (row["end_local"], row["hours"], row["fallback"], row["status"]) == (
        "2026-12-29T08:45:00+00:00", "111.75", "police/control-room", "uncovered")
    assert row["bank_holidays_and_closures"] == "Christmas Day, Boxing Day (substitute day)"
    assert row["because_of_dates_hours"] == "16.0" and row["only_because_of_dates"] == "no"
    assert {r["status"] for r in rows} == {"uncovered", "uncertain"}


def test_ics_parses_back_with_an_event_per_gap(invoke: Invoke, tmp_path: Path,
                                              xmas_json: dict[str, Any]) -> None:
    from icalendar import Calendar

    result = run(invoke, *XMAS, "mental health", "stray dogs", "--output", "gaps.ics")
    assert result.exit_code == 0
    assert "wrote gaps.ics (ics)" in result.stderr
    raw = (tmp_path / "gaps.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    events = Calendar.from_ical(raw).walk("VEVENT")
    expected = [g for r in xmas_json["reports"] if r["issue"]["id"] == "stray-dogs"
                for g in r["gaps"]]
    assert len(events) == len(expected) > 0  # mental health has no gaps
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts[0] == dt.datetime(2026, 12, 24, tzinfo=dt.UTC)
    first = next(e for e in events if "North Moor" in str(e["summary"])
                 and e.decoded("dtstart") == dt.datetime(2026, 12, 24, 16, tzinfo=dt.UTC))
    assert str(first["summary"]) == ("No cover: Stray and dangerous dogs — North Moor District "
                                     "(Wyvernshire)")
    assert first.decoded("dtend") == dt.datetime(2026, 12, 29, 8, tzinfo=dt.UTC)
    assert str(first["transp"]) == "TRANSPARENT"
    assert len({str(e["uid"]) for e in events}) == len(events)
    again = run(invoke, *XMAS, "mental health", "stray dogs", "--format", "ics")
    assert {str(e["uid"]) for e in Calendar.from_ical(again.stdout).walk("VEVENT")} == \
        {str(e["uid"]) for e in events}  # stable: a subscribed calendar updates in place


def test_markdown_is_pasteable(invoke: Invoke) -> None:
    result = run(invoke, *XMAS, "noise", "--area", "brackenford")
    md = run(invoke, *XMAS, "noise", "--area", "brackenford", "--format", "markdown").stdout
    assert result.exit_code == 0
    assert md.startswith("# Gaps in cover: Severn Vale Constabulary area\n")
    assert "| Noise nuisance | 231:00 | 87.5% |" not in md  # the table uses words, not h:mm
    assert "| Noise nuisance | 231 h | 87.5% |  | 111 h 45 min | 23 h 45 min | **breached** in 1 " \
           "area(s) |" in md
    assert ("| no cover | Thu 24 Dec 2026 17:00 GMT | Tue 29 Dec 2026 08:45 GMT | 111 h 45 min "
            "| Severn Vale Constabulary · Force Control Room (duty inspector) | 16 h because of "
            "Christmas Day, Boxing Day (substitute day) |") in md
    assert "```text\n" in md and "Fri 25 Dec* ████" in md


def test_table_shows_heat_map_summary_and_gaps(invoke: Invoke) -> None:
    result = run(invoke, *XMAS, "noise", "--area", "brackenford")
    out = result.stdout
    assert result.exit_code == 0
    assert "Thu 24 Dec 2026 00:00 GMT – Mon 04 Jan 2027 00:00 GMT (264 h)" in out
    assert "Noise nuisance — Brackenford District (Wyvernshire)" in out
    assert "Thu 24 Dec  " + "█" * 17 + "▌" + "·" * 16 + "█" * 14 + " 15 h 45 min" in out
    assert "Fri 25 Dec* " + "█" * 48 + " 24 h" in out
    assert "Thu 24 Dec 17:00   Tue 29 Dec 08:45   111 h 45 min" in out
    assert ("Severn Vale Constabulary absorbs 231 h with no partner on (summed over issue "
            "types and areas)") in out
    assert "policy max 48 h: BREACHED (111 h 45 min)" in out


def test_many_issues_map_issues_by_days(invoke: Invoke) -> None:
    out = run(invoke, *XMAS).stdout
    assert "Cover by day" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("Fly-tipping") and
                "Kingsbridge" in ln)
    assert line.rstrip().endswith("██ " * 10 + "██")  # eleven days, none covered
    assert next(ln for ln in out.splitlines() if ln.startswith("Mental health crisis")
                ).rstrip().endswith("·· " * 10 + "··")


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_renders_the_bundled_registry(invoke: Invoke, fmt: Format) -> None:
    result = run(invoke, *XMAS, "--format", fmt.value)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    expected = {
        Format.table: "Issue types, worst covered first",
        Format.json: '"schema": "remitctl/gaps/v1"',
        Format.csv: "issue,issue_title,areas,status,",
        Format.markdown: "## Issue types, worst covered first",
        Format.ics: "BEGIN:VCALENDAR",
        Format.svg: "<svg",
        Format.html: "<!DOCTYPE html>",
    }[fmt]
    assert expected in text
    if fmt in (Format.svg, Format.html):  # a real chart: titled, light, nothing fetched
        assert "<title>Cover gaps by issue type, worst first: 24 Dec 2026" in text
        assert 'width="841.68pt" height="595.44pt"' in text  # A4 landscape
        assert "<text" not in text  # glyphs drawn as paths: no font needed
        assert "https://" not in text and "@import" not in text and "<script" not in text
    if fmt is Format.html:
        assert "<title>Gaps in cover: Severn Vale Constabulary area</title>" in text
        assert "<td>Fly-tipping</td>" in text


def test_output_file_takes_its_format_from_the_extension(invoke: Invoke, tmp_path: Path) -> None:
    result = run(invoke, *XMAS, "--output", "pack.svg")
    assert result.exit_code == 0 and result.stdout == ""
    assert (tmp_path / "pack.svg").read_text().startswith("<svg")
    bad = run(invoke, *XMAS, "--output", "pack.xyz")
    assert bad.exit_code == 2 and "cannot tell the format of 'pack.xyz'" in bad.stderr


def test_clock_changes_make_167_and_169_hour_weeks(invoke: Invoke) -> None:
    for start, hours in (("2026-03-23", 167), ("2026-10-19", 169)):
        doc = json.loads(run(invoke, "fly-tipping", "-a", "kingsbridge", "--from", start,
                             "--days", "7", "--json").stdout)
        assert doc["window"]["hours"] == hours
        (report,) = doc["reports"]
        assert report["uncovered"]["hours"] == hours - 45


def test_typical_week(invoke: Invoke) -> None:
    doc = json.loads(run(invoke, "noise", "-a", "brackenford", "--week", "--from",
                         "2026-12-25", "--json").stdout)
    assert doc["window"]["typical"] is True and doc["window"]["hours"] == 168
    assert doc["bank_holidays"] == []
    (report,) = doc["reports"]
    assert report["policy"]["longest_without_cover"]["hours"] == 64.25
    assert all(not g["causes"] for g in report["gaps"])


def test_check_fails_on_the_bundled_registry_pointing_at_the_policy(invoke: Invoke,
                                                                    tmp_path: Path) -> None:
    shutil.copy(BUNDLED, tmp_path / "remits.yaml")
    result = invoke("gaps", "--check")
    assert result.exit_code == 1
    line = BUNDLED.read_text().splitlines().index("      max_gap_hours: 48") + 1
    assert (f"remits.yaml:{line}:22: error: noise-nuisance in Brackenford District "
            "(Wyvernshire): no cover for 64 h 15 min (every week, Fri 16:30 – Mon 08:45); "
            "the policy allows 48 h") in result.stdout
    assert "North Moor" in result.stdout and "Kingsbridge" not in result.stdout
    assert "fail over a typical week and " in result.stdout


def test_check_passes_when_every_policy_holds(invoke: Invoke) -> None:
    result = run(invoke, "--check", "mental-health-crisis", "child-protection-urgent")
    assert result.exit_code == 0
    assert result.stdout.startswith("remitctl: all 4 checks (an issue type's policy in a group "
                                    "of areas) pass over a typical week and ")


def test_check_json_and_explicit_window(invoke: Invoke) -> None:
    result = run(invoke, "--check", "noise", "--from", "2026-12-24", "--to", "2027-01-03",
                 "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema"] == "remitctl/gaps-check/v1" and doc["ok"] is False
    assert len(doc["windows"]) == 1 and doc["windows"][0]["typical"] is False
    assert {tuple(b["areas"]) for b in doc["breaches"]} == {("north-moor",), ("brackenford",)}
    assert all(b["source"].endswith(f":{b['line']}:{b['column']}") for b in doc["breaches"])


def test_check_with_no_policies(invoke: Invoke, mini: Path) -> None:
    result = invoke("gaps", "--check", "-r", str(mini))
    assert result.exit_code == 0
    assert "no cover policies to check" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "2027-01-03", "--to", "2026-12-24"), "--to must be after --from"),
    (("--to", "2027-01-03", "--days", "3"), "give --to or --days, not both"),
    (("--week", "--days", "3"), "--week is one typical week"),
    (("--from", "2026-02-30"), "'2026-02-30' is not a date"),
    (("--from", "someday"), "cannot read --at 'someday'"),
    (("--area", "atlantis"), "unknown area 'atlantis'"),
    (("--json", "--format", "csv"), "--json and --format csv disagree"),
    (("--check", "--format", "csv"), "--check reports as text or json, not csv"),
    (("--from", "2020-01-01", "--to", "2031-01-01"), "the window is over 3660 days"),
])
def test_usage_errors(invoke: Invoke, args: tuple[str, ...], message: str) -> None:
    result = run(invoke, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_areas_and_a_single_day(invoke: Invoke) -> None:
    doc = json.loads(run(invoke, "noise", "--area", "kingsbridge,north-moor", "--from",
                         "2026-12-25", "--to", "2026-12-25", "--json").stdout)
    assert doc["window"]["hours"] == 24
    assert [r["areas"] for r in doc["reports"]] == [["kingsbridge"], ["north-moor"]]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 264 * 60 - 1), st.sampled_from(["kingsbridge", "north-moor",
                                                       "brackenford"]),
       st.sampled_from(["noise-nuisance", "stray-dogs", "animal-welfare", "urban-cctv"]))
def test_report_agrees_with_who_at_sampled_instants(xmas_json: dict[str, Any], minute: int,
                                                    area: str, issue: str) -> None:
    at = dt.datetime(2026, 12, 24, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)
    report = next(r for r in xmas_json["reports"] if r["issue"]["id"] == issue
                  and area in r["areas"])
    status = "covered"
    for g in report["gaps"]:
        if g["start"] <= at.isoformat().replace("+00:00", "Z") < g["end"]:
            status = g["status"]
    who = CliRunner().invoke(app, ["who", issue, "--at", at.isoformat(), "--area", area,
                                   "--json", "-r", str(BUNDLED)])
    assert who.exit_code == 0
    assert json.loads(who.stdout)["answers"][0]["status"] == status


def test_a_large_json_document_is_compact_and_the_same(invoke: Invoke,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       xmas_json: dict[str, Any]) -> None:
    from remitctl.render.gaps import as_json as gaps_json

    monkeypatch.setattr(gaps_json, "PRETTY_UP_TO", 10)
    result = run(invoke, *XMAS, "--json")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1  # one compact line
    assert json.loads(result.stdout) == xmas_json


def test_docs_describe_every_format_and_json_field(xmas_json: dict[str, Any]) -> None:
    docs = (BUNDLED.parent / "docs" / "gaps.md").read_text()
    readme = (BUNDLED.parent / "README.md").read_text()
    assert "### remitctl gaps\n" in readme and "remitctl gaps --check" in readme
    for fmt in Format:
        assert f"`{fmt.value}`" in docs.split("## Formats")[1].split("### JSON")[0], fmt
    report = xmas_json["reports"][0]
    gap = next(g for r in xmas_json["reports"] for g in r["gaps"])
    for key in [*xmas_json, *report, *gap]:
        assert key in docs, key


def test_the_table_caps_long_listings_unless_limit_0(invoke: Invoke,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     xmas_json: dict[str, Any]) -> None:
    from remitctl.render.gaps import heatmap
    from remitctl.render.gaps import table as gaps_table

    monkeypatch.setattr(gaps_table, "BLOCKS", 2)
    monkeypatch.setattr(heatmap, "ROWS", 3)
    capped = run(invoke, *XMAS).stdout
    blocks = sum(1 for r in xmas_json["reports"] if r["gaps"])
    assert f"… and {blocks - 2} more issue types and areas with gaps" in capped
    assert f"… and {len(xmas_json['reports']) - 3} more rows, better covered" in capped
    everything = run(invoke, *XMAS, "--limit", "0").stdout
    assert "more issue types and areas" not in everything and "more rows" not in everything
    assert everything.count("picked up by: ") == blocks


def test_one_issue_over_months_is_drawn_by_day(invoke: Invoke) -> None:
    out = run(invoke, "noise", "--from", "2026-12-01", "--days", "90").stdout
    assert "Cover by week" in out or "Cover by day" in out
    assert " 00  02  04" not in out  # no half-hour map for three months


def test_the_pack_says_a_per_area_figure_is_per_area(invoke: Invoke, tmp_path: Path) -> None:
    """The headline's hours are one area's, not a sum: 'in each area', never 'in all areas'."""
    out = tmp_path / "pack.html"
    result = run(invoke, *XMAS, "sudden death", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "is the worst covered" in page
    assert "in all areas that is" not in page
    assert "in each area that is 222 h" in page
