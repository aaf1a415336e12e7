"""--at as officers write it: the next such time unless the past is said out loud."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from remitctl.when import WhenError, parse_when

LONDON = ZoneInfo("Europe/London")
# Friday 27 November 2026, 15:18 GMT
NOW = dt.datetime(2026, 11, 27, 15, 18, tzinfo=LONDON).astimezone(dt.UTC)


def local(text: str, now: dt.datetime = NOW) -> str:
    return f"{parse_when(text, LONDON, now).local:%a %Y-%m-%d %H:%M}"


@pytest.mark.parametrize(("text", "expected"), [
    ("03:00", "Sat 2026-11-28 03:00"),  # typed at 15:18: tonight, not this morning
    ("15:18", "Fri 2026-11-27 15:18"),  # this very minute counts as the next
    ("21:00", "Fri 2026-11-27 21:00"),
    ("9pm", "Fri 2026-11-27 21:00"),
    ("9:30pm", "Fri 2026-11-27 21:30"),
    ("2am", "Sat 2026-11-28 02:00"),
    ("12am", "Sat 2026-11-28 00:00"),
    ("12pm", "Sat 2026-11-28 12:00"),
    ("noon", "Sat 2026-11-28 12:00"),
    ("midnight", "Sat 2026-11-28 00:00"),
    ("sat 2am", "Sat 2026-11-28 02:00"),
    ("fri 09:00", "Fri 2026-12-04 09:00"),  # earlier today: next week's
    ("fri 21:00", "Fri 2026-11-27 21:00"),
    ("next fri 21:00", "Fri 2026-11-27 21:00"),
    ("last fri 09:00", "Fri 2026-11-27 09:00"),
    ("last fri 21:00", "Fri 2026-11-20 21:00"),
    ("tonight 23:00", "Fri 2026-11-27 23:00"),
    ("tonight 2am", "Sat 2026-11-28 02:00"),
    ("today 09:00", "Fri 2026-11-27 09:00"),  # the past, said out loud
    ("yesterday 23:00", "Thu 2026-11-26 23:00"),
    ("tomorrow 8am", "Sat 2026-11-28 08:00"),
    ("+2h", "Fri 2026-11-27 17:18"),
    ("+90m", "Fri 2026-11-27 16:48"),
    ("-2h", "Fri 2026-11-27 13:18"),
    ("in 2 hours", "Fri 2026-11-27 17:18"),
    ("in 30 mins", "Fri 2026-11-27 15:48"),
    ("3 hours ago", "Fri 2026-11-27 12:18"),
    ("25/12/2026 10:00", "Fri 2026-12-25 10:00"),
    ("25/12 10:00", "Fri 2026-12-25 10:00"),
    ("1/2 10:00", "Mon 2027-02-01 10:00"),  # day first; the nearest 1 February
    ("20/11 10:00", "Fri 2026-11-20 10:00"),  # a date is said: the past is fine
    ("25 Dec 10:00", "Fri 2026-12-25 10:00"),
    ("25 december 2027 9pm", "Sat 2027-12-25 21:00"),
    ("Dec 25 10:00", "Fri 2026-12-25 10:00"),
    ("2026-12-25", "Fri 2026-12-25 00:00"),
    ("2026-12-25 14:00", "Fri 2026-12-25 14:00"),
    ("now", "Fri 2026-11-27 15:18"),
])
def test_forms(text: str, expected: str) -> None:
    assert local(text) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("9", "ambiguous"), ("13pm", "9pm"), ("25:00", "hours run"), ("32/12 10:00", "day first"),
    ("12/25 10:00", "day first"), ("+2 fortnights", "unknown unit"),
    ("sometime", "cannot read"), ("fri", "names a day, not a moment"),
])
def test_refusals_list_the_accepted_forms(text: str, says: str) -> None:
    with pytest.raises(WhenError, match=says):
        parse_when(text, LONDON, NOW)


def test_is_now_only_for_the_present() -> None:
    assert parse_when("now", LONDON, NOW).is_now
    assert parse_when("+0m", LONDON, NOW).is_now
    assert not parse_when("+2h", LONDON, NOW).is_now


def test_the_next_time_across_the_clock_change() -> None:
    """Typed on Saturday 24 Oct 2026 evening, 01:30 is the first (BST) one of the 25th."""
    sat = dt.datetime(2026, 10, 24, 20, 0, tzinfo=LONDON).astimezone(dt.UTC)
    when = parse_when("01:30", LONDON, sat)
    assert when.local.utcoffset() == dt.timedelta(hours=1)
    assert "happens twice" in when.notes[0]
    spring = dt.datetime(2027, 3, 27, 20, 0, tzinfo=LONDON).astimezone(dt.UTC)
    moved = parse_when("01:30", LONDON, spring)
    assert f"{moved.local:%H:%M}" == "02:30" and "does not exist" in moved.notes[0]


def test_short_t_for_at_and_the_moment_in_the_answer(invoke, mini, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-27T15:18")
    result = invoke("who", "noise", "-t", "03:00", "-r", str(mini), "-a", "east")
    assert "at Sat 28 Nov 2026 03:00 GMT (in 11 h 42 min)" in result.stdout
    assert "NOBODY COVERS THIS at Sat 28 Nov 03:00 GMT (in 11 h 42 min)" in result.stdout
    bad = invoke("who", "noise", "-t", "9", "-r", str(mini))
    assert bad.exit_code == 2
    assert bad.stderr.startswith("remitctl: error: '9' is ambiguous")


@pytest.mark.parametrize(("text", "message"), [
    ("2026-02-30 10:00", "there is no day 2026-02-30: February 2026 has 28 days"),
    ("2028-02-30", "there is no day 2028-02-30: February 2028 has 29 days"),
    ("2026-04-31T09:00", "there is no day 2026-04-31: April 2026 has 30 days"),
    ("2026-13-01", "there is no month 13 in 2026-13-01 (year-month-day)"),
    ("0000-01-01", "there is no year 0 in 0000-01-01 (year-month-day)"),
])
def test_an_impossible_iso_date_is_named(text: str, message: str) -> None:
    # A user got only "cannot read --at '2026-02-30 10:00'".
    with pytest.raises(WhenError) as caught:
        parse_when(text, ZoneInfo("Europe/London"))
    assert str(caught.value) == message


@pytest.mark.parametrize(("text", "example"), [
    ("tomorrow", "tomorrow 15:18"), ("Today", "Today 15:18"), ("yesterday", "yesterday 15:18"),
    ("tonight", "tonight 23:00"), ("sat", "sat 15:18"), ("Friday", "Friday 15:18"),
    ("wed.", "wed. 15:18"),
])
def test_a_day_alone_is_refused_with_the_moment_to_add(text: str, example: str) -> None:
    """Which hour of the day would be a guess an officer acts on: say so, with the
    spelling for this time that day."""
    with pytest.raises(WhenError) as caught:
        parse_when(text, LONDON, NOW)
    assert str(caught.value) == (f"--at {text!r} names a day, not a moment: add the time "
                                 f"of day, e.g. '{example}'")
