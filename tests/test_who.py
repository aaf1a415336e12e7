"""`remitctl who`: the officer's question, answered exactly across clock changes,
spans past midnight, bank holidays by nation, closures and uncertain hours."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from remitctl.cover.lookup import answers_for
from remitctl.registry.loader import load_registry

LONDON = ZoneInfo("Europe/London")

NATIONS = """\
version: 1
name: Border test
areas:
  eng: {name: English town}
  scot: {name: Scottish town, bank_holidays: scotland}
agencies:
  police:
    name: Police
    services:
      control:
        name: Control room
        contact: {phone: "01632 960000"}
        hours: "24/7"
  council:
    name: Council
    closures:
      - {from: 2026-12-24, to: 2027-01-01, reason: Christmas shutdown}
    services:
      office:
        name: Office
        contact: {phone: "01632 960100"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
      patrol:
        name: Night patrol
        contact: {phone: "07700 900100"}
        hours: "Fr,Sa 20:00-03:00"
        bank_holidays: normal
      cctv:
        name: CCTV room
        contact: {phone: "01632 960200"}
        hours: 'Mo-Su 18:00-02:00, Mo-Su 02:00-18:00 unknown "recorded, not monitored"'
        bank_holidays: normal
issues:
  noise:
    title: Noise nuisance
    aliases: [loud music, barking dog]
    cover: {default: [council/office, council/patrol]}
    fallback: police/control
  office-only:
    title: Fly-tipping
    cover: {default: [council/office]}
    fallback: police/control
  cctv:
    title: Urban CCTV
    cover: {default: [council/cctv]}
    fallback: police/control
"""


@pytest.fixture
def nations(write_registry) -> Path:  # type: ignore[no-untyped-def]
    return write_registry(NATIONS, "nations.yaml")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def one(path: Path, issue: str, when: str, area: str | None = "eng"):  # type: ignore[no-untyped-def]
    registry = load_registry(path)
    return answers_for(registry, registry.issues[issue], area, at(when))[0]


def local(t: dt.datetime | None) -> str:
    assert t is not None
    return t.astimezone(LONDON).strftime("%Y-%m-%d %H:%M %Z")


# -- spans past midnight ---------------------------------------------------------------------

def test_overnight_span_covers_after_midnight(nations: Path) -> None:
    a = one(nations, "noise", "2026-11-28T01:00")  # Saturday 01:00: Friday's patrol
    assert a.status == "covered"
    assert a.covering is not None and a.covering.ref == "council/patrol"
    assert local(a.run_end) == "2026-11-28 03:00 GMT"


def test_uncovered_after_the_overnight_span_ends(nations: Path) -> None:
    a = one(nations, "noise", "2026-11-28T03:00")  # Saturday 03:00: half-open, patrol gone
    assert a.status == "uncovered"
    assert local(a.run_start) == "2026-11-28 03:00 GMT"
    assert a.next_cover is not None
    assert local(a.next_cover.start) == "2026-11-28 20:00 GMT"
    assert [f.service.ref for f in a.fallback] == ["police/control"]


# -- GMT/BST changeover weeks ------------------------------------------------------------------

def test_spring_forward_night_is_an_hour_shorter(nations: Path) -> None:
    # Saturday 28 March 2026 20:00 GMT to Sunday 29 March 03:00 BST: 6 real hours.
    a = one(nations, "noise", "2026-03-28T21:00")
    assert a.status == "covered"
    assert a.run_start is not None and a.run_end is not None
    assert local(a.run_end) == "2026-03-29 03:00 BST"
    assert a.run_end - a.run_start == dt.timedelta(hours=6)


def test_fall_back_night_is_an_hour_longer(nations: Path) -> None:
    # Saturday 24 October 2026 20:00 BST to Sunday 25 October 03:00 GMT: 8 real hours.
    a = one(nations, "noise", "2026-10-24T21:00")
    assert a.run_start is not None and a.run_end is not None
    assert local(a.run_start) == "2026-10-24 20:00 BST"
    assert local(a.run_end) == "2026-10-25 03:00 GMT"
    assert a.run_end - a.run_start == dt.timedelta(hours=8)


def test_office_hours_follow_local_clock_after_change(nations: Path) -> None:
    a = one(nations, "office-only", "2026-03-30T08:30")  # Monday after the change, BST
    assert a.status == "uncovered"
    assert a.next_cover is not None
    assert a.next_cover.start == dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.UTC)


# -- bank holidays by nation -----------------------------------------------------------------

@pytest.mark.parametrize(("day", "eng", "scot"), [
    ("2026-08-03", "covered", "uncovered"),  # Summer bank holiday, Scotland only
    ("2026-08-31", "uncovered", "covered"),  # Late summer bank holiday, England and Wales only
    ("2027-01-04", "covered", "uncovered"),  # New Year holiday (observed), Scotland only
])
def test_bank_holidays_differ_by_nation(nations: Path, day: str, eng: str, scot: str) -> None:
    assert one(nations, "office-only", f"{day}T11:00", "eng").status == eng
    assert one(nations, "office-only", f"{day}T11:00", "scot").status == scot


def test_bank_holiday_is_named(nations: Path) -> None:
    a = one(nations, "office-only", "2026-08-31T11:00", "eng")
    assert a.bank_holiday == "Late Summer Bank Holiday"
    assert one(nations, "office-only", "2026-08-31T11:00", "scot").bank_holiday is None


def test_who_without_area_shows_each_area_when_cover_differs(invoke, nations: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "fly-tipping", "--at", "2026-08-03T11:00", "-r", str(nations),
                    "--json")
    doc = json.loads(result.stdout)
    assert [(x["area"]["id"], x["status"]) for x in doc["answers"]] == [
        ("eng", "covered"), ("scot", "uncovered")]


# -- closures and unknown ----------------------------------------------------------------------

def test_dated_closure_removes_cover_and_is_reported(nations: Path) -> None:
    a = one(nations, "office-only", "2026-12-29T11:00")  # a Tuesday inside the shutdown
    assert a.status == "uncovered"
    assert [(s.ref, c.reason) for s, c in a.closures] == [("council/office", "Christmas shutdown")]
    assert a.next_cover is not None
    assert local(a.next_cover.start) == "2027-01-04 09:00 GMT"
    assert local(a.run_start) == "2026-12-23 17:00 GMT"


def test_unknown_hours_are_uncertain_never_open_or_closed(nations: Path) -> None:
    a = one(nations, "cctv", "2026-11-26T10:00")
    assert a.status == "uncertain"
    assert a.current.comment == "recorded, not monitored"
    assert local(a.run_end) == "2026-11-26 18:00 GMT"
    assert one(nations, "cctv", "2026-11-26T19:00").status == "covered"


def test_uncertain_text_says_so(invoke, nations: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "cctv", "--at", "2026-11-26T10:00", "-r", str(nations),
                    "--area", "eng")
    assert result.exit_code == 0
    assert "UNCERTAIN" in result.stdout
    assert "recorded, not monitored" in result.stdout


# -- the text an officer reads -----------------------------------------------------------------

def test_who_text_when_nobody_covers(invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-28T23:30")
    result = invoke("who", "barking dog", "-r", str(mini), "--area", "west")
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:2] == ["Noise nuisance  (noise)", "at Sat 28 Nov 2026 23:30 GMT"]
    assert "NOBODY COVERS THIS NOW" in lines
    text = "\n".join(lines)
    assert "no cover since Fri 27 Nov 17:00 GMT (1 day 6 h ago)" in text
    assert "next cover     Mon 30 Nov 09:00 GMT (in 1 day 9 h): Test Council · Office" in text
    assert "meanwhile      Test Police · Control room  01632 960000" in text
    assert "next hours     now–Mon 09:00       nobody" in text


def test_who_text_when_covered(invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-27T22:00")
    result = invoke("who", "noise", "-r", str(mini), "--area", "east")
    text = result.stdout
    assert "COVERED NOW" in text
    assert "ring            Test Council · Night patrol" in text
    assert "contact         07700 900100" in text
    assert ("ring them until Sat 28 Nov 03:00 GMT (in 5 h): their line closes then"
            in text)
    assert "cover           covered until Sat 28 Nov 03:00 GMT (in 5 h), then nobody until " \
           "Mon 30 Nov 09:00 GMT" in text
    assert "next hours      now–Sat 03:00       Night patrol" in text
    assert "                Sat 03:00–Mon 09:00 nobody" in text


def test_a_future_moment_is_never_called_now(invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-27T15:30")  # Friday afternoon; the patrol starts at 20:00
    result = invoke("who", "noise", "-t", "21:30", "-r", str(mini), "--area", "east")
    text = result.stdout
    assert "at Fri 27 Nov 2026 21:30 GMT (in 6 h)" in text
    assert "NOW" not in text
    assert "COVERED at Fri 27 Nov 21:30 GMT (in 6 h)" in text
    assert "(5 h 30 min later): their line closes then" in text
    earlier = invoke("who", "noise", "-t", "-3h", "-r", str(mini), "--area", "west").stdout
    assert "at Fri 27 Nov 2026 12:30 GMT (3 h ago)" in earlier
    assert "COVERED at Fri 27 Nov 12:30 GMT (3 h ago)" in earlier
    nobody = invoke("who", "noise", "-t", "tonight 2am", "-r", str(mini), "--area", "west")
    assert "NOBODY COVERS THIS at Sat 28 Nov 02:00 GMT (in 10 h 30 min)" in nobody.stdout


def test_who_json_shape(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "--at", "2026-11-27T22:00", "-r", str(mini),
                    "--area", "east", "--json")
    doc = json.loads(result.stdout)
    assert doc["schema"] == "remitctl/who/v1"
    assert doc["at"] == "2026-11-27T22:00:00Z"
    [ans] = doc["answers"]
    assert ans["status"] == "covered"
    assert ans["covering"]["ref"] == "council/patrol"
    assert ans["until"] == "2026-11-28T03:00:00Z"
    assert ans["then"][0] == {"start": "2026-11-28T03:00:00Z", "end": "2026-11-30T09:00:00Z",
                              "status": "uncovered", "service": None}


def test_area_from_environment(invoke, mini: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REMITCTL_AREA", "east")
    doc = json.loads(invoke("who", "noise", "--at", "2026-11-27T22:00", "-r", str(mini),
                            "--json").stdout)
    assert [a["area"]["id"] for a in doc["answers"]] == ["east"]


def test_unknown_area_is_a_usage_error(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "-r", str(mini), "--area", "atlantis")
    assert result.exit_code == 2
    assert "remitctl: error: unknown area 'atlantis'" in result.stderr
    assert "areas: east, west, or all" in result.stderr


@pytest.mark.parametrize(("typed", "area"), [("esat", "east"), ("EAST", "east"), ("We", "west"),
                                             ("west", "west")])
def test_areas_by_any_case_prefix_or_small_typo(invoke, mini: Path, typed: str, area: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("who", "noise", "-r", str(mini), "-a", typed, "--json").stdout)
    assert [a["area"]["id"] for a in doc["answers"]] == [area]


def test_area_lists_and_all(invoke, mini: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REMITCTL_AREA", "east")
    doc = json.loads(invoke("who", "noise", "-r", str(mini), "-a", "west,east", "--json").stdout)
    assert [a["area"]["id"] for a in doc["answers"]] == ["west", "east"]
    every = json.loads(invoke("who", "noise", "-r", str(mini), "-a", "all", "--json").stdout)
    assert sorted(x for a in every["answers"] for x in a["areas"]) == ["east", "west"]
    now = json.loads(invoke("now", "-r", str(mini), "-a", "East, WEST", "--json").stdout)
    assert now["areas"] == ["east", "west"]


# -- finding the issue -----------------------------------------------------------------------

@pytest.mark.parametrize("query", ["noise", "Noise Nuisance", "LOUD MUSIC", "barking dog",
                                   "noise nuisence", "loud  music!"])
def test_issue_queries_forgive_case_spacing_and_typos(invoke, mini: Path, query: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("who", query, "-r", str(mini), "--json").stdout)
    assert doc["issue"]["id"] == "noise"


def test_a_close_second_is_named(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "dog", "-r", str(mini))
    assert result.exit_code == 0
    assert result.stdout.startswith("Stray dogs  (dogs)\n")
    assert "also: Noise nuisance — barking dog  (remitctl who noise)" in result.stdout


def test_words_need_no_quotes(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "loud", "music", "-r", str(mini), "--json")
    assert json.loads(result.stdout)["issue"]["id"] == "noise"


def test_words_that_match_nothing_are_named(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "stray", "cats", "-r", str(mini))
    assert result.exit_code == 0
    assert result.stdout.startswith("Stray dogs  (dogs)\n")
    assert "note: no issue type mentions 'cats'" in result.stdout


def test_unknown_query_is_a_usage_error(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "parking", "-r", str(mini))
    assert result.exit_code == 2
    assert "remitctl: error: no issue type matches 'parking'" in result.stderr
    assert "hint: see `remitctl list`" in result.stderr


# -- --at ----------------------------------------------------------------------------------

def test_nonexistent_local_time_is_moved_and_explained(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("who", "noise", "--at", "2026-03-29T01:30", "-r", str(mini),
                            "--json").stdout)
    assert doc["at"] == "2026-03-29T01:30:00Z"
    assert doc["at_local"] == "2026-03-29T02:30:00+01:00"
    assert "does not exist" in doc["notes"][0]


def test_repeated_local_time_means_the_first_and_says_so(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "--at", "2026-10-25 01:30", "-r", str(mini), "--json")
    doc = json.loads(result.stdout)
    assert doc["at"] == "2026-10-25T00:30:00Z"
    assert "happens twice" in doc["notes"][0]
    assert "2026-10-25T01:30+00:00" in doc["notes"][0]
    second = json.loads(invoke("who", "noise", "--at", "2026-10-25T01:30+00:00", "-r",
                               str(mini), "--json").stdout)
    assert second["at"] == "2026-10-25T01:30:00Z"
    assert second["notes"] == []


def test_bad_at_is_a_usage_error(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "noise", "--at", "next tuesday-ish", "-r", str(mini))
    assert result.exit_code == 2
    assert "cannot read --at" in result.stderr


def test_line_state_agrees_with_cover_in_the_repeated_autumn_hour(write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(NATIONS.replace('hours: "Fr,Sa 20:00-03:00"', 'hours: "Su 00:00-01:00"'),
                          "autumn.yaml")
    registry = load_registry(path)
    issue = registry.issues["noise"]
    for minutes in range(-90, 150, 10):  # around 01:00 BST / 01:00 GMT on 25 October 2026
        when = dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
        [a] = answers_for(registry, issue, "eng", when)
        patrol = next(ls for ls in a.lines if ls.service.ref == "council/patrol")
        assert (a.status == "covered") == (patrol.state == "open"), when


def test_a_shift_that_would_start_in_a_closure_does_not_run_the_next_morning(
        nations: Path) -> None:
    # The council shuts 24 Dec - 1 Jan; Friday 1 January's 20:00-03:00 patrol does not run.
    a = one(nations, "noise", "2027-01-02T01:00")
    assert a.status == "uncovered"
    assert a.next_cover is not None and local(a.next_cover.start) == "2027-01-02 20:00 GMT"
    # A week later the same moment is covered as usual.
    assert one(nations, "noise", "2027-01-09T01:00").status == "covered"


def test_the_morning_after_keeps_its_own_additional_rules(nations: Path) -> None:
    # CCTV: 'Mo-Su 18:00-02:00, Mo-Su 02:00-18:00 unknown' after the Christmas shutdown.
    assert one(nations, "cctv", "2027-01-02T01:00").status == "uncovered"  # no carried shift
    assert one(nations, "cctv", "2027-01-02T10:00").status == "uncertain"
    assert one(nations, "cctv", "2027-01-02T19:00").status == "covered"


def test_a_night_line_open_all_day_on_a_bank_holiday_still_runs_into_the_next_morning(
        write_registry) -> None:  # type: ignore[no-untyped-def]
    ooh = NATIONS.replace('hours: "Fr,Sa 20:00-03:00"\n        bank_holidays: normal',
                          'hours: "Mo-Fr 17:00-09:00; Sa,Su 00:00-24:00"\n'
                          '        bank_holidays: "00:00-24:00"')
    path = write_registry(ooh, "ooh.yaml")
    # Monday 31 August 2026 is a bank holiday in England: the line is on all day, and its
    # night continues to 09:00 on Tuesday as on any weeknight.
    assert one(path, "noise", "2026-08-31T12:00").covering is not None
    a = one(path, "noise", "2026-09-01T03:00")
    assert a.status == "covered"
    assert a.covering is not None and a.covering.ref == "council/patrol"


def test_a_night_line_closed_on_a_bank_holiday_has_no_shift_into_the_next_morning(
        write_registry) -> None:  # type: ignore[no-untyped-def]
    ooh = NATIONS.replace('hours: "Fr,Sa 20:00-03:00"\n        bank_holidays: normal',
                          'hours: "Mo-Fr 17:00-09:00"\n        bank_holidays: closed')
    path = write_registry(ooh, "ooh.yaml")
    assert one(path, "noise", "2026-09-01T03:00").status == "uncovered"
    assert one(path, "noise", "2026-09-08T03:00").status == "covered"  # a week later
