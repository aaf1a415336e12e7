"""Moments as a shift means them (issue 22): `log` records the past, and a reading a day or
a week from the moment probably meant says so, with the other's exact spelling."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Invoke = Callable[..., object]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "evidence.sqlite3"
    monkeypatch.setenv("REMITCTL_DB", str(path))
    return path


def _notes(stdout: str) -> list[str]:
    """The notes, each joined back from the lines the terminal's width wrapped it onto
    (a note runs until the next note or the blank line before the answer)."""
    notes: list[str] = []
    for line in stdout.splitlines():
        if line.startswith("note:"):
            notes.append(line.strip())
        elif notes and line.strip() and not notes[-1].endswith("\0"):
            notes[-1] += " " + line.strip()
        elif notes:
            notes[-1] += "\0"
    return [n.rstrip("\0") for n in notes]


# -- log: the most recent past occurrence; the future refused --------------------------------

def test_log_weekday_means_the_last_one(invoke: Invoke, mini: Path, db: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")  # a Monday
    result = invoke("log", "noise", "-r", str(mini), "-a", "east", "-t", "fri 23:00")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout == (  # type: ignore[attr-defined]
        "logged #1: Noise nuisance in East at Fri 04 Dec 2026 23:00 GMT: covered by "
        "Test Council · Night patrol\n")
    assert result.stderr == ""  # type: ignore[attr-defined]


def test_log_time_of_day_means_the_last_one(invoke: Invoke, mini: Path, db: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    result = invoke("log", "noise", "-r", str(mini), "-a", "west", "-t", "09:30")
    assert result.stdout.startswith("logged #1: Noise nuisance in West at Mon 07 Dec 2026 "  # type: ignore[attr-defined]
                                     "09:30 GMT")


def test_log_refuses_the_future_with_the_spelling_that_records_it(  # type: ignore[no-untyped-def]
        invoke: Invoke, mini: Path, db: Path, clock) -> None:
    clock("2026-12-07T10:00")
    cases = {
        "tomorrow 9am": "--at 'tomorrow 9am' is Tue 08 Dec 2026 09:00, in 23 h: a log records "
                        "what has happened; for the last such moment write --at 'today 9am'",
        "+2h": "--at '+2h' is Mon 07 Dec 2026 12:00, in 2 h: a log records what has happened; "
               "for the last such moment write --at '-2h'",
        "in 2 hours": "--at 'in 2 hours' is Mon 07 Dec 2026 12:00, in 2 h: a log records what "
                      "has happened; for the last such moment write --at '2 hours ago'",
        "25/12 10:00": "--at '25/12 10:00' is Fri 25 Dec 2026 10:00, in 18 days: a log "
                       "records what has happened; for the last such moment write --at "
                       "'25/12/2025 10:00'",
        "next fri 21:00": "--at 'next fri 21:00' is Fri 11 Dec 2026 21:00, in 4 days 11 h: a "
                          "log records what has happened; for the last such moment write "
                          "--at '04/12/2026 21:00'",
        "2026-12-25T11:00": "--at '2026-12-25T11:00' is Fri 25 Dec 2026 11:00, in 18 days "
                            "1 h: a log records what has happened; for the last such moment "
                            "write --at '2025-12-25T11:00'",
    }
    for at, message in cases.items():
        result = invoke("log", "noise", "-r", str(mini), "-a", "east", "-t", at)
        assert result.exit_code == 2, at  # type: ignore[attr-defined]
        assert result.stderr == f"remitctl: error: {message}\n", at  # type: ignore[attr-defined]
    assert not db.exists()  # nothing was recorded


def test_log_allows_minutes_of_clock_skew(invoke: Invoke, mini: Path, db: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    ok = invoke("log", "noise", "-r", str(mini), "-a", "west", "-t", "10:04")
    assert ok.exit_code == 0  # type: ignore[attr-defined]
    assert "at Mon 07 Dec 2026 10:04 GMT" in ok.stdout  # type: ignore[attr-defined]
    late = invoke("log", "noise", "-r", str(mini), "-a", "west", "-t", "+6m")
    assert late.exit_code == 2  # type: ignore[attr-defined]


def test_log_says_a_weekday_went_back(invoke: Invoke, mini: Path, db: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    result = invoke("log", "noise", "-r", str(mini), "-a", "west", "-t", "mon 11:00")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "at Mon 30 Nov 2026 11:00 GMT" in result.stdout  # type: ignore[attr-defined]
    assert result.stderr == (  # type: ignore[attr-defined]
        "remitctl: note: 'mon 11:00' read as Mon 30 Nov 11:00 (6 days 23 h ago), the last one "
        "(a log records what has happened); Mon 07 Dec 11:00 is still to come (in 1 h)\n")


# -- who / now / gaps: a day or a week from the moment probably meant ------------------------

def test_who_named_time_that_passed_minutes_ago(invoke: Invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-04T23:40")  # Friday night
    result = invoke("who", "noise", "-r", str(mini), "-a", "east", "-t", "fri 23:00")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert lines[1] == "at Fri 11 Dec 2026 23:00 GMT (in 6 days 23 h)"
    assert _notes(result.stdout) == [  # type: ignore[attr-defined]
        "note: 'fri 23:00' read as Fri 11 Dec 23:00 (in 6 days 23 h), the next one; for Fri "
        "04 Dec 23:00 (40 min ago) write 'today 23:00'"]
    doc = json.loads(invoke("who", "noise", "-r", str(mini), "-a", "east", "-t", "fri 23:00",  # type: ignore[attr-defined]
                            "--json").stdout)
    assert doc["at"] == "2026-12-11T23:00:00Z"
    assert doc["other_reading"] == {"at": "2026-12-04T23:00:00Z",
                                    "at_local": "2026-12-04T23:00:00+00:00",
                                    "spelling": "today 23:00"}
    assert doc["notes"] == [_notes(result.stdout)[0].removeprefix("note: ")]  # type: ignore[attr-defined]
    again = json.loads(invoke("who", "noise", "-r", str(mini), "-a", "east", "-t",  # type: ignore[attr-defined]
                              "today 23:00", "--json").stdout)
    assert again["at"] == "2026-12-04T23:00:00Z" and again["other_reading"] is None


def test_who_tomorrow_in_the_small_hours(invoke: Invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-05T01:30")  # Saturday 01:30, still Friday night to the shift
    result = invoke("who", "noise", "-r", str(mini), "-a", "east", "-t", "tomorrow 9am")
    assert result.stdout.splitlines()[1] == "at Sun 06 Dec 2026 09:00 GMT (in 1 day 7 h)"  # type: ignore[attr-defined]
    assert _notes(result.stdout) == [  # type: ignore[attr-defined]
        "note: 'tomorrow 9am' read as Sun 06 Dec 09:00 (in 1 day 7 h), by the calendar (the "
        "shift's night began the day before); for Sat 05 Dec 09:00 (in 7 h 30 min) write "
        "'today 9am'"]
    doc = json.loads(invoke("who", "noise", "-r", str(mini), "-a", "east", "-t",  # type: ignore[attr-defined]
                            "tomorrow 9am", "--json").stdout)
    assert doc["other_reading"]["at"] == "2026-12-05T09:00:00Z"
    assert doc["other_reading"]["spelling"] == "today 9am"


@pytest.mark.parametrize(("now", "at", "read", "other"), [
    # a bare time that passed within the shift: read as tomorrow's, today's offered
    ("2026-12-04T23:40", "23:00", "Sat 05 Dec 23:00", "'today 23:00'"),
    # a bare time passed longer ago: the next one, as documented, without a note
    ("2026-12-04T15:18", "09:00", "Sat 05 Dec 09:00", None),
    # the weekday is today and its time passed this morning: a week ahead is said
    ("2026-12-04T23:40", "fri 9am", "Fri 11 Dec 09:00", "'today 9am'"),
    # Friday's 23:00 passed 90 minutes ago, after midnight: yesterday's
    ("2026-12-05T00:30", "fri 23:00", "Fri 11 Dec 23:00", "'yesterday 23:00'"),
    # small hours: today/yesterday/tonight by the calendar, the shift's day offered
    ("2026-12-05T01:30", "today 9am", "Sat 05 Dec 09:00", "'yesterday 9am'"),
    ("2026-12-05T01:30", "yesterday 23:00", "Fri 04 Dec 23:00", "'03/12/2026 23:00'"),
    ("2026-12-05T01:30", "tonight 23:00", "Sat 05 Dec 23:00", "'yesterday 23:00'"),
    ("2026-12-05T01:30", "tonight 1am", "Sun 06 Dec 01:00", "'today 1am'"),
    ("2026-12-05T01:30", "tonight 2am", "Sat 05 Dec 02:00", None),
    # daytime day words, explicit 'next', a later weekday: nothing to say
    ("2026-12-04T14:00", "tomorrow 9am", "Sat 05 Dec 09:00", None),
    ("2026-12-04T23:40", "next fri 23:00", "Fri 11 Dec 23:00", None),
    ("2026-12-04T23:40", "sat 9am", "Sat 05 Dec 09:00", None),
])
def test_moment_read_far_from_the_one_meant(invoke: Invoke, mini: Path, clock,  # type: ignore[no-untyped-def]
                                            now: str, at: str, read: str,
                                            other: str | None) -> None:
    clock(now)
    doc = json.loads(invoke("now", "-r", str(mini), "-t", at, "--json").stdout)  # type: ignore[attr-defined]
    import datetime as dt
    assert f"{dt.datetime.fromisoformat(doc['at_local']):%a %d %b %H:%M}" == read
    if other is None:
        assert doc["other_reading"] is None and doc["notes"] == []
    else:
        assert repr(doc["other_reading"]["spelling"]) == other
        assert len(doc["notes"]) == 1 and doc["notes"][0].endswith(f"write {other}")
        assert doc["notes"][0].startswith(f"{at!r} read as {read} (")


def test_gaps_from_says_which_moment_it_read(invoke: Invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-04T23:40")
    result = invoke("gaps", "-r", str(mini), "--from", "fri 23:00", "--days", "1")
    assert ("note: 'fri 23:00' read as Fri 11 Dec 23:00 (in 6 days 23 h), the next one; for "
            "Fri 04 Dec 23:00 (40 min ago) write 'today 23:00'") in " ".join(
                result.stdout.split())  # type: ignore[attr-defined]
