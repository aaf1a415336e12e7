"""The officer's answer: never contradicting itself, readable at 80 columns and in a pipe,
one error style, and the small things a well-made CLI does."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED

PHONE = re.compile(r"\b0\d{3,4} \d{3} ?\d{3,4}\b")


def test_whom_to_ring_is_kept_apart_from_the_lines_own_hours(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    """Was: 'open until 09:00', then 'from 08:00: Adult Social Care Contact Centre'."""
    clock("2026-11-29T15:18")  # a Sunday
    out = invoke("who", "vulnerable", "adult", "-a", "north-moor", "-t", "mon 07:00",
                 "-r", str(BUNDLED)).stdout
    assert "ring            Wyvernshire County Council · Emergency Duty Service" in out
    words = " ".join(out.split())
    assert ("ring them until Mon 30 Nov 08:00 GMT (1 h later): then Adult Social Care "
            "Contact Centre answers first") in words
    assert "their line open until Mon 30 Nov 09:00 GMT (2 h later)" in words
    assert "08:00–18:00 Adult Social Care Contact Centre" in words


def test_a_24_7_line_that_another_line_takes_over_from(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    """Was: 'open until no change in the next 5 weeks', then 'from 16:00: Street Triage'."""
    clock("2026-11-30T10:00")  # Monday morning: the crisis team answers, the car starts at 16:00
    out = " ".join(invoke("who", "mental", "-a", "kingsbridge", "-r", str(BUNDLED),
                          "--no-cache").stdout.split())
    assert "no change in the next 5 weeks" not in out
    assert "ring them until Mon 30 Nov 16:00 GMT (in 6 h): then Street Triage Car" in out
    assert "their line open for at least 5 weeks" in out
    assert "cover covered without a break for at least 5 weeks" in out


def test_now_gives_the_cars_own_end_not_the_issues(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    """Was: 'Street Triage Car · no change within 5 weeks' for a car that stops at 02:00."""
    clock("2026-11-30T20:00")
    out = invoke("now", "-a", "kingsbridge", "-r", str(BUNDLED), "--full").stdout
    line = next(x for x in out.splitlines() if "Mental health crisis" in x)
    assert "Street Triage Car" in line and "until Tue 02:00" in line


def test_short_is_one_line_per_area(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-28T23:30")
    result = invoke("who", "barking", "dog", "--short", "-r", str(BUNDLED))
    lines = result.stdout.splitlines()
    assert lines[0] == "Noise nuisance now, Sat 28 Nov 23:30 GMT"
    assert lines[1:] == [
        "kingsbridge  COVERED   Out-of-hours Noise Patrol  07700 900101  until Sun 03:00",
        "north-moor   COVERED   Weekend Noise Patrol  07700 900301  until Sun 03:00",
        "brackenford  NOBODY    ring Force Control Room  01632 960001  cover Mon 08:45",
    ]


SCREENS = [["who", "noise"], ["who", "mental", "health"], ["who", "stray", "dog"],
           ["now"], ["now", "--full"], ["now", "--detail"], ["show", "noise"],
           ["show", "kingsbridge-cc"],
           ["agencies"], ["who", "noise", "--short"], ["who", "stray", "dog", "--short"],
           ["now", "--short"]]


@pytest.mark.parametrize("argv", SCREENS, ids=" ".join)
def test_phone_numbers_and_times_never_break_at_80_columns(runner, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    from remitctl.cli import app

    wide = runner.invoke(app, [*argv, "-r", str(BUNDLED), "-t", "2026-11-28T23:30"]
                         if argv[0] in ("who", "now") else [*argv, "-r", str(BUNDLED)],
                         env={"COLUMNS": "200"}).stdout
    narrow = runner.invoke(app, [*argv, "-r", str(BUNDLED), "-t", "2026-11-28T23:30"]
                           if argv[0] in ("who", "now") else [*argv, "-r", str(BUNDLED)],
                           env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    phones = set(PHONE.findall(wide))
    assert phones, "the screen shows no phone number to check"
    assert phones <= set(PHONE.findall(narrow))
    times = set(re.findall(r"\b\d\d:\d\d(?:-\d\d:\d\d)?\b", wide))
    assert times <= set(re.findall(r"\b\d\d:\d\d(?:-\d\d:\d\d)?\b", narrow))


def test_now_short_is_one_line_per_entry_at_80_columns(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    """An entry too long for the screen keeps its number (what a dispatcher dials; never
    cut): the name gives way first, then the issue id is shortened with an ellipsis;
    issue, area, status, the number and until when always stay, on one line."""
    clock("2026-11-28T23:30")
    wide = invoke("now", "--short", "-r", str(BUNDLED), env={"COLUMNS": "200"}).stdout
    lines = invoke("now", "--short", "-r", str(BUNDLED), env={"COLUMNS": "80"}).stdout
    lines = lines.splitlines()
    assert len(lines) == len(wide.splitlines()) == 41  # the title and 40 entries
    assert max(len(x) for x in lines) == 80
    assert lines[:5] == [
        "Cover now, Sat 28 Nov 23:30 GMT",
        "noise-nuisance        brackenford  NOBODY    ring 01632 960001  cover Mon 08:45",
        "child-social-care-r…  kingsbridge  NOBODY    ring 01632 960001  cover Mon 08:30",
        "child-social-care-r…  north-moor   NOBODY    ring 01632 960001  cover Mon 08:30",
        "child-social-care-r…  brackenford  NOBODY    ring 01632 960001  cover Mon 08:30",
    ]
    assert lines[15:18] == [
        "animal-welfare        all areas    UNCERTAIN maybe 07700 900440  cover Sun 08:00",
        "cps-charging-advice   all areas    COVERED   0808 157 0300  no change in 5 weeks",
        "noise-nuisance        kingsbridge  COVERED   07700 900101  until Sun 03:00",
    ]
    assert "out-of-hours-doctor   all areas    COVERED   0117 496 0301  until Mon 08:00" in lines
    # Numbers are whole, never cut, and every number of the wide screen is kept.
    shown = set(re.findall(r"\b0\d{3,4}(?: \d+)*", "\n".join(lines)))
    assert shown == set(PHONE.findall(wide))
    assert {"01632 960001", "07700 900101"} <= set(PHONE.findall(wide))


def test_who_short_fits_80_columns_keeping_the_numbers(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-28T23:30")
    lines = invoke("who", "mental", "health", "--short", "-r", str(BUNDLED),
                   env={"COLUMNS": "80"}).stdout.splitlines()
    assert lines == [
        "Mental health crisis now, Sat 28 Nov 23:30 GMT",
        "kingsbridge  COVERED   Street Triage Car  Request through Forc…  until Sun 02:00",
        "north-moor   COVERED   Crisis Resolution a…  0117 496 0201  no change in 5 weeks",
        "brackenford  COVERED   Crisis Resolution a…  0117 496 0201  no change in 5 weeks",
    ]


def test_piped_output_is_not_wrapped(runner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from remitctl.cli import app

    monkeypatch.delenv("COLUMNS")
    out = runner.invoke(app, ["who", "noise", "-a", "kingsbridge", "-t", "2026-11-30T02:00",
                              "-r", str(BUNDLED)]).stdout
    line = next(x for x in out.splitlines() if x.lstrip().startswith("next cover"))
    assert len(line) > 80 and line.endswith("01632 960101")


def test_long_output_on_a_terminal_is_paged(runner, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from remitctl.cli import app

    paged = tmp_path / "paged.txt"
    script = f"import sys; open({str(paged)!r}, 'w').write(sys.stdin.read())"
    monkeypatch.setenv("PAGER", f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}")
    monkeypatch.setenv("LINES", "10")
    monkeypatch.setattr("remitctl.cli.session.stdout_is_terminal", lambda: True)
    result = runner.invoke(app, ["now", "--full", "-r", str(BUNDLED)])
    assert result.exit_code == 0
    assert "Cover now, " in paged.read_text() and result.stdout == ""
    paged.unlink()
    result = runner.invoke(app, ["now", "--full", "--no-pager", "-r", str(BUNDLED)])
    assert "Cover now, " in result.stdout and not paged.exists()
    monkeypatch.setenv("PAGER", "cat")
    assert "Cover now, " in runner.invoke(app, ["now", "-r", str(BUNDLED)]).stdout


def test_bare_remitctl_prints_help(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke()
    assert result.exit_code == 0
    assert "Usage: remitctl [OPTIONS] COMMAND" in result.stdout and "who" in result.stdout


def test_help_shows_the_real_cache_path(tmp_path: Path) -> None:
    import os
    import subprocess

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"), "COLUMNS": "300"}
    out = subprocess.run([sys.executable, "-m", "remitctl", "--help"], env=env, check=True,
                         capture_output=True, text=True).stdout
    # click wraps even a long path: compare without the line breaks
    assert f"cachein{tmp_path / 'xdg' / 'remitctl'}" in "".join(out.split())


def test_no_cache_after_the_command(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "--no-cache", "-r", str(BUNDLED), "--json")
    assert result.exit_code == 0
    assert not (tmp_path / "cache" / "remitctl").exists()  # nothing was cached
    invoke("who", "noise", "-r", str(BUNDLED), "--json")
    assert any((tmp_path / "cache" / "remitctl").iterdir())


@pytest.mark.parametrize("argv", [["who"], ["who", "noise", "--bogus"], ["now", "--at"],
                                  ["who", "noise", "-t", "9"], ["who", "zzzzqqq"],
                                  ["who", "noise", "-a", "atlantis"], ["show", "zzzzqqq"]])
def test_one_error_style(invoke, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = invoke(*argv, "-r", str(BUNDLED))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("remitctl: error: "), result.stderr
    assert lines[1].startswith("  hint: "), result.stderr
    assert "Usage:" not in result.stderr


def test_a_missing_r_file_does_not_talk_about_the_environment(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "-r", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "REMITCTL_REGISTRY" not in result.stderr


@pytest.mark.parametrize(("name", "kind", "what"), [
    ("kingsbridge", "area", "kingsbridge"), ("North Moor", "area", "north-moor"),
    ("Kingsbridge City Council", "agency", "kingsbridge-cc"),
    ("kingsbridge city council", "agency", "kingsbridge-cc"),
    ("noise", "issue", "noise-nuisance"), ("dead body", "issue", "sudden-death"),
    ("police/custody", "service", "police/custody"),
])
def test_show_finds_areas_agencies_by_name_and_issues_by_words(invoke, name: str, kind: str,
                                                               what: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("show", *name.split(), "-r", str(BUNDLED), "--json").stdout)
    assert doc["kind"] == kind
    found = {"area": lambda d: d["area"]["id"], "agency": lambda d: d["agency"]["id"],
             "issue": lambda d: d["issue"]["id"], "service": lambda d: d["service"]["ref"]}
    assert found[kind](doc) == what


def test_show_an_issue_in_plain_words_with_its_week(invoke) -> None:  # type: ignore[no-untyped-def]
    out = invoke("show", "noise", "-r", str(BUNDLED)).stdout
    assert "Kingsbridge City (unitary)" in out
    assert "Monday to Friday 08:30–17:00" in out
    assert "Typical week, any line" in out
    brackenford = out[out.index("Brackenford District (Wyvernshire)"):]
    assert "Monday to Thursday 08:45–17:00; Friday 08:45–16:30" in brackenford
    assert re.search(r"Friday\s+08:45–16:30\n\s*Saturday\s+closed", brackenford)
    north_moor = out[out.index("North Moor District"):out.index("Brackenford District")]
    # the two lines together: the office by day, the patrol into Saturday's small hours
    assert re.search(r"Friday\s+09:00–17:00, 20:00–24:00\n\s*Saturday\s+00:00–03:00", north_moor)


@pytest.mark.parametrize(("typed", "area"), [
    ("Brackenford", "brackenford"), ("north moor", "north-moor"),
    ("Kingsbridge City", "kingsbridge"), ("KINGSBRIDGE", "kingsbridge"), ("brack", "brackenford"),
    ("north-mor", "north-moor"), ("Brackenford District (Wyvernshire)", "brackenford"),
])
def test_the_areas_officers_type(invoke, typed: str, area: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("who", "noise", "-a", typed, "-r", str(BUNDLED), "--json").stdout)
    assert [a["area"]["id"] for a in doc["answers"]] == [area]


def test_gaps_takes_the_same_areas(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("gaps", "noise", "-a", "north moor, Brack", "--from", "2026-11-23",
                    "--days", "7", "-r", str(BUNDLED), "--json")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert '"north-moor"' in text and '"brackenford"' in text and '"kingsbridge"' not in text


def test_all_areas_overrides_the_environment(invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REMITCTL_AREA", "brackenford")
    one = json.loads(invoke("who", "noise", "-r", str(BUNDLED), "--json").stdout)
    assert [a["area"]["id"] for a in one["answers"]] == ["brackenford"]
    every = json.loads(invoke("who", "noise", "-a", "all", "-r", str(BUNDLED), "--json").stdout)
    assert len(every["answers"]) == 3


def test_json_says_what_the_text_says(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-30T10:00")
    doc = json.loads(invoke("who", "edt", "-a", "kingsbridge", "-t", "+1h",
                            "-r", str(BUNDLED), "--json").stdout)
    assert doc["is_now"] is False
    assert doc["issue"]["id"] == "child-protection-urgent"
    assert [i["id"] for i in doc["also"]] == ["adult-safeguarding"]
    assert doc["unmatched_words"] == []
    [answer] = doc["answers"]
    assert answer["covering"]["ref"] == "kingsbridge-cc/childrens-front-door"
    assert answer["ring_until"] == "2026-11-30T17:00:00Z"
    odd = json.loads(invoke("who", "jumper", "xqzv", "-r", str(BUNDLED), "--json").stdout)
    assert odd["issue"]["id"] == "mental-health-crisis"
    assert odd["unmatched_words"] == ["xqzv"]
    now = json.loads(invoke("now", "-r", str(BUNDLED), "--json").stdout)
    assert now["is_now"] is True and now["areas"] is None


def test_short_keeps_the_clock_change_note(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "--short", "-t", "2027-03-28 01:30", "-r", str(BUNDLED))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].startswith("note: 01:30 on Sun 28 Mar 2027 does not exist")
    assert [x.split()[0] for x in lines[-3:]] == ["kingsbridge", "north-moor", "brackenford"]
