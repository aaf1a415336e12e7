"""The calendar rules of docs/registry-format.md, one test per rule, with exact states at
named instants, in England and Wales, Scotland and Northern Ireland, through the core and
through the commands officers and admins run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from remitctl.cover.lookup import answers_for
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.hours import bank_holidays
from remitctl.hours.calendar import LineCalendar
from remitctl.hours.schedule import ScheduleBook, week_timetable
from remitctl.registry.loader import parse_registry
from remitctl.registry.model import Registry

LONDON = ZoneInfo("Europe/London")
NATIONS = {"eng": "england-and-wales", "sco": "scotland", "ni": "northern-ireland"}

# gov.uk's bank holiday lists, typed in (not computed): the law in each nation.
GOV_UK = {
    "england-and-wales": """
        2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28
        2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28
        2028-01-03 2028-04-14 2028-04-17 2028-05-01 2028-05-29 2028-08-28 2028-12-25 2028-12-26
    """,
    "scotland": """
        2026-01-01 2026-01-02 2026-04-03 2026-05-04 2026-05-25 2026-06-15 2026-08-03 2026-11-30
        2026-12-25 2026-12-28
        2027-01-01 2027-01-04 2027-03-26 2027-05-03 2027-05-31 2027-08-02 2027-11-30 2027-12-27
        2027-12-28
        2028-01-03 2028-01-04 2028-04-14 2028-05-01 2028-05-29 2028-08-07 2028-11-30 2028-12-25
        2028-12-26
    """,
    "northern-ireland": """
        2026-01-01 2026-03-17 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-07-13 2026-08-31
        2026-12-25 2026-12-28
        2027-01-01 2027-03-17 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-07-12 2027-08-30
        2027-12-27 2027-12-28
        2028-01-03 2028-03-17 2028-04-14 2028-04-17 2028-05-01 2028-05-29 2028-07-12 2028-08-28
        2028-12-25 2028-12-26
    """,
}


def registry(lines: dict[str, tuple[str, str]], closures: str = "") -> Registry:
    """One area per nation; an issue per line, each covered by that line alone."""
    services = "".join(
        f"""
      {name}:
        name: {name}
        contact: {{phone: "01632 9600{n:02d}"}}
        hours: '{hours}'
        bank_holidays: '{rule}'
{closures if name.startswith("shut") else ""}"""
        for n, (name, (hours, rule)) in enumerate(lines.items()))
    issues = "".join(f"""
  {name}:
    title: Issue {name}
    cover: {{default: [a/{name}]}}
    fallback: police/control-room""" for name in lines)
    text = f"""\
version: 1
name: Rules
areas:
  eng: {{name: England, bank_holidays: england-and-wales}}
  sco: {{name: Scotland, bank_holidays: scotland}}
  ni: {{name: Northern Ireland, bank_holidays: northern-ireland}}
agencies:
  police:
    name: Police
    services:
      control-room: {{name: Control room, contact: {{phone: "01632 960999"}}, hours: "24/7"}}
  a:
    name: Agency A
    services:{services}
issues:{issues}
"""
    return parse_registry(text, "rules.yaml")


def status(reg: Registry, issue: str, area: str, local: str) -> str:
    at = dt.datetime.fromisoformat(local).replace(tzinfo=LONDON)
    [answer] = answers_for(reg, reg.issues[issue], area, at)
    return answer.status


# Rule 1 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("nation", sorted(GOV_UK))
def test_rule1_bank_holiday_dates_are_gov_uks(nation: str) -> None:
    expected = {dt.date.fromisoformat(d) for d in GOV_UK[nation].split()}
    assert set(bank_holidays.bank_holidays(nation, range(2026, 2029))) == expected


def test_rule1_a_weekend_date_with_a_substitute_is_an_ordinary_weekend_day() -> None:
    reg = registry({"weekend": ("Sa,Su 10:00-16:00", "closed")})
    # Sat 26 Dec 2026, Sat 25 and Sun 26 Dec 2027, Sat 1 Jan 2028 everywhere; Sat 2 Jan
    # 2027 and Sun 2 Jan 2028 in Scotland; Sun 12 Jul 2026 in Northern Ireland.
    for area, day in [("eng", "2026-12-26"), ("sco", "2026-12-26"), ("ni", "2026-12-26"),
                      ("eng", "2027-12-25"), ("eng", "2027-12-26"), ("eng", "2028-01-01"),
                      ("sco", "2027-01-02"), ("sco", "2028-01-02"), ("ni", "2026-07-12")]:
        assert status(reg, "weekend", area, f"{day}T12:00") == COVERED, (area, day)
        [answer] = answers_for(reg, reg.issues["weekend"], area,
                               dt.datetime.fromisoformat(f"{day}T12:00").replace(tzinfo=LONDON))
        assert answer.bank_holiday is None
    # ...and the substitute weekday is the bank holiday.
    reg = registry({"weekdays": ("Mo-Fr 09:00-17:00", "closed")})
    assert status(reg, "weekdays", "eng", "2026-12-28T12:00") == UNCOVERED
    assert status(reg, "weekdays", "ni", "2026-07-13T12:00") == UNCOVERED
    assert status(reg, "weekdays", "eng", "2026-07-13T12:00") == COVERED


def test_rule1_who_says_no_bank_holiday_on_the_weekend_date(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(MINI_WEEKEND, "weekend.yaml")
    result = invoke("who", "weekend", "-r", str(path), "--at", "2026-12-26T12:00")
    assert result.exit_code == 0, result.output
    assert "bank holiday" not in result.stdout.lower()
    result = invoke("who", "weekend", "-r", str(path), "--at", "2026-12-28T12:00")
    assert "Boxing Day (substitute day)" in result.stdout


MINI_WEEKEND = """\
version: 1
name: Weekend
agencies:
  a:
    name: A
    services:
      weekend: {name: Weekend line, contact: {phone: "01632 960001"},
                hours: "Sa,Su 10:00-16:00", bank_holidays: closed}
issues:
  weekend: {title: Weekend thing, cover: {default: [a/weekend]}}
"""


# Rule 2 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("area", sorted(NATIONS))
def test_rule2_a_later_rules_night_runs_into_a_day_an_earlier_rule_names(area: str) -> None:
    reg = registry({"late": ("Mo-Fr 09:00-17:00; Su 22:00-02:00", "normal"),
                    "tuoff": ("Mo-Su 20:00-08:00; Tu off", "normal")})
    # Sunday 22 Nov 2026: its night runs to 02:00 on Monday, which rule 1 names.
    assert status(reg, "late", area, "2026-11-22T23:00") == COVERED
    assert status(reg, "late", area, "2026-11-23T01:00") == COVERED
    assert status(reg, "late", area, "2026-11-23T02:30") == UNCOVERED
    assert status(reg, "late", area, "2026-11-23T10:00") == COVERED
    # "Tu off" replaces Tuesday, the early hours carried from Monday night included; the
    # night the first rule gives Tuesday still runs into Wednesday, which "Tu off" does
    # not name (as opening_hours.js reads it).
    assert status(reg, "tuoff", area, "2026-11-23T23:00") == COVERED
    assert status(reg, "tuoff", area, "2026-11-24T03:00") == UNCOVERED
    assert status(reg, "tuoff", area, "2026-11-24T21:00") == UNCOVERED
    assert status(reg, "tuoff", area, "2026-11-25T03:00") == COVERED
    assert status(reg, "tuoff", area, "2026-11-25T09:00") == UNCOVERED
    assert status(reg, "tuoff", area, "2026-11-25T21:00") == COVERED
    assert status(reg, "tuoff", area, "2026-11-26T03:00") == COVERED


# Issue 21: the days a later rule does not name keep the nights carried into them.
SWITCHED_OFF = [
    # (hours, local instant, status): Mon 23 - Sun 29 Nov 2026, no bank holiday anywhere.
    ("Mo-Su 18:00-02:00; Tu off", "2026-11-24T01:25", UNCOVERED),  # Monday night cut
    ("Mo-Su 18:00-02:00; Tu off", "2026-11-25T01:25", COVERED),  # Tuesday's night kept
    ("Mo-Su 18:00-02:00; Tu off", "2026-11-25T02:00", UNCOVERED),
    ("Mo-Su 18:00-02:00; Tu off", "2026-11-24T18:30", UNCOVERED),
    ("Mo-Su 18:00-02:00; Tu 10:00-12:00", "2026-11-24T01:00", UNCOVERED),
    ("Mo-Su 18:00-02:00; Tu 10:00-12:00", "2026-11-24T11:00", COVERED),
    ("Mo-Su 18:00-02:00; Tu 10:00-12:00", "2026-11-24T19:00", UNCOVERED),
    ("Mo-Su 18:00-02:00; Tu 10:00-12:00", "2026-11-25T01:00", COVERED),
    ("Mo-Fr 22:00-06:00; We off", "2026-11-25T05:00", UNCOVERED),
    ("Mo-Fr 22:00-06:00; We off", "2026-11-25T23:00", UNCOVERED),
    ("Mo-Fr 22:00-06:00; We off", "2026-11-26T05:00", COVERED),
    ("Mo-Fr 22:00-06:00; We off", "2026-11-28T05:00", COVERED),  # Friday night
    ("Mo-Fr 22:00-06:00; We off", "2026-11-29T05:00", UNCOVERED),
    ("24/7; Sa off", "2026-11-28T12:00", UNCOVERED),
    ("24/7; Sa off", "2026-11-29T00:00", COVERED),
    ("Mo-Su 18:00-02:00, Tu off", "2026-11-24T19:00", UNCOVERED),
    ("Mo-Su 18:00-02:00, Tu off", "2026-11-25T01:00", COVERED),
    # A closed rule with times closes those times only (opening_hours.js).
    ("Mo-Fr 09:00-17:00; 12:00-13:00 off", "2026-11-24T11:00", COVERED),
    ("Mo-Fr 09:00-17:00; 12:00-13:00 off", "2026-11-24T12:30", UNCOVERED),
    ("Mo-Su 18:00-02:00; Tu 10:00-12:00 off", "2026-11-24T01:00", COVERED),
    ("Mo-Su 18:00-02:00; Tu 10:00-12:00 off", "2026-11-24T19:00", COVERED),
    # A rule with no weekdays names, and replaces, every day (opening_hours.js differs).
    ("Mo 08:00-09:00; 10:00-20:00", "2026-11-23T08:30", UNCOVERED),
    ("Mo 08:00-09:00; 10:00-20:00", "2026-11-23T10:30", COVERED),
]


@pytest.mark.parametrize("area", sorted(NATIONS))
def test_rule2_days_not_named_keep_the_night_carried_into_them(area: str) -> None:
    lines = {f"l{n}": (hours, "normal") for n, hours in
             enumerate(dict.fromkeys(h for h, _, _ in SWITCHED_OFF))}
    by_hours = {hours: name for name, (hours, _) in lines.items()}
    reg = registry(lines)
    got = [(h, at, status(reg, by_hours[h], area, at)) for h, at, _ in SWITCHED_OFF]
    assert got == SWITCHED_OFF


def test_rule2_additional_rules_add_and_replace_nothing() -> None:
    reg = registry({"both": ("Mo-Fr 09:00-12:00, Mo 14:00-15:00", "normal"),
                    "later": ("Mo 08:00-09:00; Mo-Fr 10:00-11:00, Mo 12:00-13:00", "normal")})
    assert status(reg, "both", "eng", "2026-11-23T10:00") == COVERED
    assert status(reg, "both", "eng", "2026-11-23T14:30") == COVERED
    assert status(reg, "both", "eng", "2026-11-24T14:30") == UNCOVERED
    assert status(reg, "later", "eng", "2026-11-23T08:30") == UNCOVERED  # replaced by Mo-Fr
    assert status(reg, "later", "eng", "2026-11-23T12:30") == COVERED


def test_rule2_show_timetable_agrees_with_the_answer(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    reg = registry({"late": ("Mo-Fr 09:00-17:00; Su 22:00-02:00", "normal")})
    [(_, monday)] = week_timetable(reg.services["a/late"], LONDON, dt.date(2026, 11, 23))[:1]
    assert monday == [("00:00", "02:00", "open"), ("09:00", "17:00", "open")]


# Rule 3 ---------------------------------------------------------------------------------

CHRISTMAS_EVE_SHUT = """\
        closures:
          - {from: 2026-12-24, to: 2026-12-24, reason: Staff training}"""


def test_rule3_a_changed_day_is_replaced_whole() -> None:
    reg = registry({"shut-eve": ("Mo-Fr 17:00-09:00; Sa,Su 00:00-24:00", "00:00-24:00"),
                    "sunday": ("Su 19:00-01:00", "closed"),
                    "tu": ("Mo-Su 09:00-17:00; Tu off", "closed")},
                   closures=CHRISTMAS_EVE_SHUT)
    # The closure on Christmas Eve does not reach into Christmas Day's own hours.
    assert status(reg, "shut-eve", "eng", "2026-12-24T12:00") == UNCOVERED
    assert status(reg, "shut-eve", "eng", "2026-12-25T00:30") == COVERED
    assert status(reg, "shut-eve", "eng", "2026-12-25T23:30") == COVERED
    # Sun 27 Dec 2026 lies between Christmas Day and the Boxing Day substitute: its night
    # does not run on into the closed Monday.
    assert status(reg, "sunday", "eng", "2026-12-27T20:00") == COVERED
    assert status(reg, "sunday", "eng", "2026-12-28T00:30") == UNCOVERED
    assert status(reg, "sunday", "sco", "2026-12-28T00:30") == UNCOVERED
    assert status(reg, "sunday", "eng", "2026-12-21T00:30") == COVERED
    # A closure elsewhere never undoes "Tu off".
    assert status(reg, "tu", "eng", "2026-12-29T12:00") == UNCOVERED
    assert status(reg, "tu", "eng", "2026-12-30T12:00") == COVERED


# Rule 4 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("area", sorted(NATIONS))
def test_rule4_the_night_that_would_start_on_a_changed_day(area: str) -> None:
    reg = registry({"closed": ("Mo-Su 20:00-08:00", "closed"),
                    "allday": ("Mo-Su 20:00-08:00", "00:00-24:00"),
                    "unknown": ("Mo-Su 20:00-08:00", "unknown")})
    # May Day, Mon 4 May 2026, is a bank holiday in every nation.
    assert status(reg, "closed", area, "2026-05-04T03:00") == UNCOVERED
    assert status(reg, "closed", area, "2026-05-04T21:00") == UNCOVERED
    assert status(reg, "closed", area, "2026-05-05T03:00") == UNCOVERED  # cancelled
    assert status(reg, "closed", area, "2026-05-05T21:00") == COVERED
    assert status(reg, "allday", area, "2026-05-04T12:00") == COVERED
    assert status(reg, "allday", area, "2026-05-05T03:00") == COVERED  # runs on as usual
    assert status(reg, "allday", area, "2026-05-05T09:00") == UNCOVERED
    assert status(reg, "unknown", area, "2026-05-04T12:00") == UNCERTAIN
    assert status(reg, "unknown", area, "2026-05-05T03:00") == UNCERTAIN  # nobody knows
    assert status(reg, "unknown", area, "2026-05-05T09:00") == UNCOVERED
    assert status(reg, "unknown", area, "2026-05-03T23:00") == COVERED


def test_rule4_a_closure_cancels_its_last_night() -> None:
    reg = registry({"shut-patrol": ("Fr,Sa 20:00-03:00", "normal")}, closures="""\
        closures:
          - {from: 2026-12-24, to: 2027-01-01, reason: Christmas shutdown}""")
    assert status(reg, "shut-patrol", "eng", "2027-01-01T21:00") == UNCOVERED
    assert status(reg, "shut-patrol", "eng", "2027-01-02T01:00") == UNCOVERED
    assert status(reg, "shut-patrol", "eng", "2027-01-02T21:00") == COVERED
    assert status(reg, "shut-patrol", "eng", "2027-01-03T01:00") == COVERED


# Rule 5 ---------------------------------------------------------------------------------

def test_rule5_spellings_answer_alike() -> None:
    reg = registry({"plain": ("Mo-Su 20:00-03:00", "closed"),
                    "short": ("Mo-Su 20:00-3:00", "closed"),
                    "bare": ("20:00-03:00", "closed"),
                    "long": ("Mo-Su 20:00-27:00", "closed")})
    start = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
    book = ScheduleBook.around(reg, start, start + dt.timedelta(days=20))
    spans = {name: book.schedule(f"a/{name}", "england-and-wales").spans(
        start, start + dt.timedelta(days=20)) for name in ("plain", "short", "bare", "long")}
    assert spans["plain"] == spans["short"] == spans["bare"] == spans["long"]


@pytest.mark.parametrize("hours, words", [
    ("Jan-Dec Fr,Sa 20:00-03:00", "drop the selector"),
    ("week 01-53 Fr 20:00-03:00", "drop the selector"),
    ("2020-2030 Fr 20:00-03:00", "drop the selector"),
    ("Fr 20:00-03:00 || closed", "drop '|| closed'"),
    ("Fr 20:00-03:00; easter off", "dated_hours:"),
    ("sunset-sunrise", "write clock times"),
    ("Fr 20:00+", "write the end"),
])
def test_rule5_other_spellings_are_refused_with_what_to_write(
        invoke, write_registry, hours: str, words: str) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(MINI_WEEKEND.replace("Sa,Su 10:00-16:00", hours), "spelling.yaml")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    [line] = [x for x in result.stderr.splitlines() + result.stdout.splitlines()
              if ": error: hours" in x]
    assert line.startswith(f"{path}:8:")
    assert words in result.stdout + result.stderr


# Rule 6 ---------------------------------------------------------------------------------

def test_rule6_a_repeated_time_is_its_first_occurrence_everywhere() -> None:
    reg = registry({"late": ("Mo-Su 22:00-01:15", "normal")})
    calendar = LineCalendar("Mo-Su 22:00-01:15", "normal", (), {}, LONDON)
    spans = calendar.spans(dt.datetime(2026, 10, 24, 12, tzinfo=dt.UTC),
                           dt.datetime(2026, 10, 25, 12, tzinfo=dt.UTC))
    opened = [s for s in spans if s.state == "open"]
    # 22:00 BST to 01:15 BST (its first occurrence): 3 h 15 min of real time.
    assert [(s.start, s.end) for s in opened] == [
        (dt.datetime(2026, 10, 24, 21, tzinfo=dt.UTC),
         dt.datetime(2026, 10, 25, 0, 15, tzinfo=dt.UTC))]
    # --at 01:20 means the first 01:20 (BST): closed since 01:15 BST, next cover 22:00 GMT.
    at = dt.datetime(2026, 10, 25, 1, 20).replace(tzinfo=LONDON, fold=0)
    [answer] = answers_for(reg, reg.issues["late"], "eng", at)
    assert answer.status == UNCOVERED
    assert answer.run_start == dt.datetime(2026, 10, 25, 0, 15, tzinfo=dt.UTC)
    assert answer.next_cover is not None
    assert answer.next_cover.start == dt.datetime(2026, 10, 25, 22, tzinfo=dt.UTC)


def test_rule6_a_skipped_time_is_the_jump() -> None:
    calendar = LineCalendar("Mo-Su 01:30-04:00", "normal", (), {}, LONDON)
    spans = calendar.spans(dt.datetime(2026, 3, 28, 12, tzinfo=dt.UTC),
                           dt.datetime(2026, 3, 29, 12, tzinfo=dt.UTC))
    [opened] = [s for s in spans if s.state == "open"]
    # 01:30 does not exist on 29 March: it means the jump, 02:00 BST (01:00 UTC), the first
    # instant the clocks show a later time; 04:00 BST is 03:00 UTC.
    assert (opened.start, opened.end) == (dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC),
                                          dt.datetime(2026, 3, 29, 3, tzinfo=dt.UTC))


@pytest.mark.parametrize("monday, hours", [("2026-03-23", 167), ("2026-10-19", 169)])
def test_rule6_weeks_over_a_clock_change_are_exact(invoke, write_registry, monday: str,
                                                   hours: int) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(MINI_WEEKEND.replace("Sa,Su 10:00-16:00", "Mo-Su 00:00-24:00 off")
                          .replace("bank_holidays: closed", "bank_holidays: normal"), "w.yaml")
    sunday = dt.date.fromisoformat(monday) + dt.timedelta(days=6)
    result = invoke("gaps", "-r", str(path), "--from", monday, "--to", str(sunday), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["window"]["seconds"] == hours * 3600
    [report] = doc["reports"]
    assert sum(g["seconds"] for g in report["gaps"]) == hours * 3600


# Rule 7 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("edit, words", [
    ("name: Weekend\n", "name: Weekend\ntimezone: localtime\n"),
    ("name: Weekend\n", "name: Weekend\ntimezone: posix/Europe/London\n"),
    ("name: Weekend\n", "name: Weekend\ntimezone: Factory\n"),
    ("name: Weekend\n", "name: Weekend\ntimezone: right/Europe/London\n"),
])
def test_rule7_zones_that_differ_by_machine_are_refused(invoke, write_registry, edit: str,
                                                        words: str) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(MINI_WEEKEND.replace(edit, words), "tz.yaml")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:3:" in result.stdout + result.stderr
    assert "unknown time zone" in result.stdout + result.stderr


CLOSURE = """\
      shut: {{name: Shut, contact: {{phone: "01632 960002"}}, hours: "Fr,Sa 20:00-03:00",
             bank_holidays: normal, closures: [{{from: {a}, to: {b}, reason: "{why}"}}]}}
"""


@pytest.mark.parametrize("a, b, why, place, words", [
    ("1899-12-31", "1900-01-02", "Old", "9:", "outside the years"),
    ("2026-01-01", "9998-12-31", "Long", "9:", "outside the years"),
    ("2026-12-24", "2026-12-26", " ", "9:", "needs a reason"),
])
def test_rule7_closures_that_cannot_be_evaluated_are_refused(
        invoke, write_registry, a: str, b: str, why: str, place: str, words: str) -> None:  # type: ignore[no-untyped-def]
    text = MINI_WEEKEND.replace("issues:", CLOSURE.format(a=a, b=b, why=why) + "issues:")
    path = write_registry(text, "closure.yaml")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert words in result.stdout + result.stderr
    assert f"{path}:{place}" in result.stdout + result.stderr


@pytest.mark.parametrize("value", ["99999999999", "1e400", ".inf"])
def test_rule7_absurd_policies_are_refused(invoke, write_registry, value: str) -> None:  # type: ignore[no-untyped-def]
    text = MINI_WEEKEND.replace(
        "cover: {default: [a/weekend]}",
        f"cover: {{default: [a/weekend]}}, policy: {{max_gap_hours: {value}}}")
    path = write_registry(text, "policy.yaml")
    for command in (["validate", str(path)], ["gaps", "--check", "-r", str(path)]):
        result = invoke(*command)
        assert result.exit_code == 1, result.output
        assert f"{path}:10:" in result.stdout + result.stderr
        assert "max_gap_hours" in result.stdout + result.stderr


def test_rule7_a_long_closure_costs_what_a_short_one_does(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real = LineCalendar.day

    def counted(self: LineCalendar, day: dt.date) -> list[tuple[int, int, str, str]]:
        calls["n"] += 1
        return real(self, day)

    monkeypatch.setattr(LineCalendar, "day", counted)
    counts = []
    for start in ("1900-01-01", "2026-11-20"):
        reg = registry({"shut-line": ("Mo-Su 09:00-17:00", "closed")}, closures=f"""\
        closures:
          - {{from: {start}, to: 2199-12-31, reason: Gone}}""")
        calls["n"] = 0
        assert status(reg, "shut-line", "eng", "2026-11-29T12:00") == UNCOVERED
        counts.append(calls["n"])
    assert counts[0] == counts[1] < 100


def test_rule7_decade_of_gaps_answers(invoke, write_registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(MINI_WEEKEND, "decade.yaml")
    result = invoke("gaps", "-r", str(path), "--from", "2026-01-01", "--to", "2035-12-31",
                    "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["window"]["seconds"] == (dt.date(2036, 1, 1) - dt.date(2026, 1, 1)).days * 86400


# The ';' trap (issue 12): early hours an overnight rule seems meant to cover ----------------

@pytest.mark.parametrize("hours, words, fix", [
    ("Mo-Fr 17:00-09:00; Sa,Su 00:00-24:00", "Monday 00:00–09:00 uncovered", ", Mo 00:00-09:00"),
    ("Mo-Su 20:00-08:00; Tu off", "Tuesday 00:00–08:00 uncovered", ", Tu 00:00-08:00"),
])
def test_the_semicolon_trap_is_a_located_warning_with_the_fix(
        invoke, write_registry, hours: str, words: str, fix: str) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(MINI_WEEKEND.replace("Sa,Su 10:00-16:00", hours), "trap.yaml")
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.stdout.splitlines() if "uncovered:" in x]
    assert line.startswith(f"{path}:8:") and ": warning: " in line and words in line
    assert f"'{fix}'" in result.stdout
    assert invoke("validate", "--strict", str(path)).exit_code == 1
    # The fix it suggests removes the warning and covers those hours.
    fixed = write_registry(MINI_WEEKEND.replace("Sa,Su 10:00-16:00", hours + fix), "fixed.yaml")
    assert "uncovered:" not in invoke("validate", str(fixed)).stdout


def test_sound_overnight_hours_raise_no_trap(invoke) -> None:  # type: ignore[no-untyped-def]
    from conftest import BUNDLED

    out = invoke("validate", str(BUNDLED)).stdout
    assert "uncovered:" not in out and " covered: '" not in out
