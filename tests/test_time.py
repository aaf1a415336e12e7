"""Time: who --at agrees with the cover timeline (which the gap report is built on) at any
instant across years of clock changes and bank holidays; simple lines agree with an
independent oracle; clock-change times, leap days and year ends behave as documented."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remitctl.cover.lookup import answers_for
from remitctl.cover.timeline import COVERED, UNCOVERED, cover_timeline, merge_by_status
from remitctl.hours.schedule import ScheduleBook
from remitctl.registry.loader import parse_registry
from remitctl.registry.model import Registry
from remitctl.when import WhenError, parse_when

from conftest import BUNDLED

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
YEARS = range(2024, 2030)
SUBDIVISION = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
FUNCTION_SCOPED = [HealthCheck.function_scoped_fixture]


@cache
def bundled_in_three_nations() -> Registry:
    """The bundled registry with one area in Scotland and one in Northern Ireland, so bank
    holidays differ between areas."""
    text = BUNDLED.read_text(encoding="utf-8")
    for area, nation in (("north-moor", "scotland"), ("brackenford", "northern-ireland")):
        head = f"  {area}:\n"
        assert text.count(head) == 1
        text = text.replace(head, f"{head}    bank_holidays: {nation}\n")
    return parse_registry(text, "remits.yaml")


@cache
def changes() -> list[dt.datetime]:
    """Clock changes and bank-holiday midnights (every nation) in YEARS, in UTC."""
    out = []
    for year in YEARS:
        for month in (3, 10):  # the last Sunday, 01:00 UTC
            last = dt.date(year, month, 31)
            last -= dt.timedelta(days=(last.weekday() + 1) % 7)
            out.append(dt.datetime.combine(last, dt.time(1), UTC))
        for subdivision in SUBDIVISION.values():
            for day in holidays.country_holidays("GB", subdiv=subdivision, years=year):
                for edge in (day, day + dt.timedelta(days=1)):
                    out.append(dt.datetime.combine(edge, dt.time(), LONDON).astimezone(UTC))
    return sorted(set(out))


def _instant(minutes: int) -> dt.datetime:
    return dt.datetime(YEARS[0], 1, 1, tzinfo=UTC) + dt.timedelta(minutes=minutes)


SPAN_MINUTES = (dt.datetime(YEARS[-1] + 1, 1, 1) - dt.datetime(YEARS[0], 1, 1)).days * 24 * 60
INSTANTS = st.one_of(
    st.integers(0, SPAN_MINUTES - 1).map(_instant),
    st.builds(lambda i, m: changes()[i % len(changes())] + dt.timedelta(minutes=m),
              st.integers(0, 10_000), st.integers(-240, 240)),
)


# -- who agrees with the cover timeline --------------------------------------------------------

def _timeline_at(registry: Registry, refs: tuple[str, ...], nation: str, at: dt.datetime):  # type: ignore[no-untyped-def]
    """The timeline's answer at `at`, computed in a window and book unlike who's."""
    book = ScheduleBook.around(registry, at - dt.timedelta(days=2), at + dt.timedelta(days=2))
    start, end = at - dt.timedelta(minutes=97), at + dt.timedelta(hours=7)
    stretches = cover_timeline(book, refs, nation, start, end)
    here = next(s for s in stretches if s.start <= at < s.end)
    run = next(r for r in merge_by_status(stretches) if r.start <= at < r.end)
    return here, run, start, end


@settings(max_examples=300, deadline=None)
@given(at=INSTANTS, pick=st.integers(0, 10_000), area_pick=st.integers(0, 3))
def test_who_gives_the_timelines_answer_at_any_instant(at: dt.datetime, pick: int,
                                                       area_pick: int) -> None:
    registry = bundled_in_three_nations()
    issue = list(registry.issues.values())[pick % len(registry.issues)]
    area = [None, *registry.areas][area_pick]
    for answer in answers_for(registry, issue, area, at):
        refs = issue.cover_for(answer.area)
        here, run, start, end = _timeline_at(registry, refs, registry.nation_for(answer.area),
                                             at)
        if refs:
            assert (answer.status, answer.current.primary) == (here.status, here.primary)
        else:
            assert answer.status == UNCOVERED
        # Where the short window sees a change of status, who reports the same moment.
        if run.end < end:
            assert answer.run_end == run.end
        if run.start > start:
            assert answer.run_start == run.start


@settings(max_examples=25, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(at=INSTANTS, pick=st.integers(0, 10_000), area_pick=st.integers(0, 2))
def test_who_on_the_command_line_gives_the_timelines_answer(
        invoke, tmp_path_factory, at: dt.datetime, pick: int, area_pick: int) -> None:  # type: ignore[no-untyped-def]
    registry = bundled_in_three_nations()
    path = tmp_path_factory.getbasetemp() / "three-nations.yaml"
    if not path.exists():
        text = BUNDLED.read_text(encoding="utf-8")
        for area, nation in (("north-moor", "scotland"), ("brackenford", "northern-ireland")):
            text = text.replace(f"  {area}:\n", f"  {area}:\n    bank_holidays: {nation}\n")
        path.write_text(text, encoding="utf-8")
    issue = list(registry.issues.values())[pick % len(registry.issues)]
    area = list(registry.areas)[area_pick]
    result = invoke("who", issue.id, "--at", at.isoformat().replace("+00:00", "Z"),
                    "--area", area, "--json", "-r", str(path))
    assert result.exit_code == 0, result.output
    [shown] = json.loads(result.stdout)["answers"]
    here, *_ = _timeline_at(registry, issue.cover_for(area), registry.nation_for(area), at)
    assert shown["status"] == here.status
    assert (shown["covering"] or {}).get("ref") == (here.primary if here.status == COVERED
                                                    else None)


# -- an oracle that knows nothing of opening_hours ---------------------------------------------

ORACLE = """\
version: 1
name: Oracle
areas:
  eng: {name: England}
  sco: {name: Scotland, bank_holidays: scotland}
  ni: {name: Northern Ireland, bank_holidays: northern-ireland}
agencies:
  a:
    name: A
    services:
      office:
        name: Office
        contact: {phone: "01632 960001"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
      nightly:
        name: Nightly
        contact: {phone: "01632 960002"}
        hours: "Mo-Su 17:00-09:00"
        bank_holidays: normal
      weeknights:
        name: Weeknights
        contact: {phone: "01632 960003"}
        hours: "Mo-Fr 17:00-09:00"
        bank_holidays: closed
issues:
  office: {title: Office, cover: {default: [a/office]}}
  nightly: {title: Nightly, cover: {default: [a/nightly]}}
  weeknights: {title: Weeknights, cover: {default: [a/weeknights]}}
"""
NATION = {"eng": "ENG", "sco": "SCT", "ni": "NIR"}


@cache
def oracle_registry() -> Registry:
    return parse_registry(ORACLE, "oracle.yaml")


@cache
def _bank_holidays(subdivision: str) -> frozenset[dt.date]:
    # gov.uk lists no bank holiday at a weekend: each has a weekday substitute.
    return frozenset(d for d in holidays.country_holidays(
        "GB", subdiv=subdivision, years=range(YEARS[0] - 1, YEARS[-1] + 2)) if d.weekday() < 5)


def oracle(issue: str, area: str, at: dt.datetime) -> bool:
    """Whether the line is open, from the local wall clock alone. A bank-holiday rule
    replaces the whole calendar day, the early hours carried over from the night before
    included, and a shift that would have started on the holiday does not run into the
    next morning either (docs/registry-format.md)."""
    local = at.astimezone(LONDON)
    day, minute = local.date(), local.hour * 60 + local.minute
    weekday = day.weekday() < 5
    yesterday_weekday = (day - dt.timedelta(days=1)).weekday() < 5
    holiday = day in _bank_holidays(NATION[area])
    yesterday_holiday = day - dt.timedelta(days=1) in _bank_holidays(NATION[area])
    if issue == "office":
        return weekday and 9 * 60 <= minute < 17 * 60 and not holiday
    if issue == "nightly":
        return minute >= 17 * 60 or minute < 9 * 60
    return not holiday and ((weekday and minute >= 17 * 60)
                            or (yesterday_weekday and not yesterday_holiday
                                and minute < 9 * 60))


@settings(max_examples=400, deadline=None)
@given(at=INSTANTS, issue=st.sampled_from(["office", "nightly", "weeknights"]),
       area=st.sampled_from(["eng", "sco", "ni"]))
def test_simple_lines_agree_with_the_wall_clock(at: dt.datetime, issue: str, area: str) -> None:
    registry = oracle_registry()
    [answer] = answers_for(registry, registry.issues[issue], area, at)
    assert (answer.status == COVERED) == oracle(issue, area, at), at.astimezone(LONDON)


@pytest.mark.parametrize(("local", "nightly"), [
    ("2026-03-28T16:59", False), ("2026-03-28T17:00", True),
    ("2026-03-29T00:59", True), ("2026-03-29T03:00", True),  # 01:00-02:00 does not exist
    ("2026-03-29T08:59", True), ("2026-03-29T09:00", False),
    ("2026-10-24T17:00", True), ("2026-10-25T01:30", True), ("2026-10-25T08:59", True),
    ("2026-10-25T09:00", False),
])
def test_an_overnight_span_across_the_clock_changes(local: str, nightly: bool) -> None:
    """The spring night is an hour shorter and the autumn night an hour longer."""
    registry = oracle_registry()
    at = parse_when(local, LONDON).instant
    [answer] = answers_for(registry, registry.issues["nightly"], "eng", at)
    assert (answer.status == COVERED) is nightly
    if local == "2026-03-28T17:00":
        assert answer.run_end is not None
        assert answer.run_end - at == dt.timedelta(hours=15)  # 17:00 GMT to 09:00 BST
    if local == "2026-10-24T17:00":
        assert answer.run_end is not None
        assert answer.run_end - at == dt.timedelta(hours=17)  # 17:00 BST to 09:00 GMT


# -- local times that do not exist or happen twice ----------------------------------------------

NAIVE = st.datetimes(min_value=dt.datetime(1991, 1, 1), max_value=dt.datetime(2099, 12, 31),
                     ).map(lambda d: d.replace(second=0, microsecond=0))
NEAR_CHANGES = st.builds(
    lambda i, m: (changes()[i % len(changes())].astimezone(LONDON).replace(tzinfo=None)
                  + dt.timedelta(minutes=m)), st.integers(0, 10_000), st.integers(-150, 150))


@settings(max_examples=300, deadline=None)
@given(naive=st.one_of(NAIVE, NEAR_CHANGES))
def test_every_local_time_is_read_as_documented(naive: dt.datetime) -> None:
    when = parse_when(naive.isoformat(), LONDON)
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    exists = first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == naive
    if not exists:  # the spring gap: moved forward by the gap, with a note
        assert when.local.replace(tzinfo=None) == naive + dt.timedelta(hours=1)
        assert when.instant == first.astimezone(UTC)
        assert len(when.notes) == 1 and "does not exist" in when.notes[0]
    elif first.utcoffset() != second.utcoffset():  # the autumn repeat: the first, BST
        assert when.local.replace(tzinfo=None) == naive
        assert when.local.utcoffset() == dt.timedelta(hours=1)
        assert len(when.notes) == 1 and "happens twice" in when.notes[0]
        written = f"{naive:%Y-%m-%dT%H:%M}+00:00"
        assert written in when.notes[0]
        assert parse_when(written, LONDON).instant == when.instant + dt.timedelta(hours=1)
    else:
        assert when.local.replace(tzinfo=None) == naive
        assert when.notes == ()
    # Any instant written with its offset reads back exactly, without a note.
    again = parse_when(when.instant.isoformat(), LONDON)
    assert (again.instant, again.notes) == (when.instant, ())


# -- leap days and year ends --------------------------------------------------------------------

def test_leap_days(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(ORACLE.replace(
        '        hours: "Mo-Fr 09:00-17:00"\n        bank_holidays: closed\n',
        '        hours: "Mo-Fr 09:00-17:00"\n        bank_holidays: closed\n'
        "        closures: [{from: 2028-02-29, to: 2028-02-29, reason: Leap day}]\n"))
    def status(at: str) -> str:
        result = invoke("who", "office", "--at", at, "--area", "eng", "--json", "-r", str(path))
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout)["answers"][0]["status"])

    assert status("2028-02-28T12:00") == "covered"
    assert status("2028-02-29T12:00") == "uncovered"  # closed for the leap day only
    assert status("2028-03-01T12:00") == "covered"
    assert status("2024-02-29T12:00") == "covered"
    bad = invoke("who", "office", "--at", "2027-02-29T12:00", "-r", str(path))
    assert bad.exit_code == 2
    assert "there is no day 2027-02-29: February 2027 has 28 days" in bad.stderr
    monday = dt.datetime(2028, 2, 28, 12, tzinfo=UTC)
    assert parse_when("tomorrow 09:00", LONDON, now=monday).local.date() == dt.date(2028, 2, 29)
    assert parse_when("thu 09:00", LONDON, now=monday).local.date() == dt.date(2028, 3, 2)
    assert parse_when("tue 09:00", LONDON, now=monday).local.date() == dt.date(2028, 2, 29)


def test_a_closure_across_the_year_end(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(ORACLE.replace(
        '        hours: "Mo-Fr 09:00-17:00"\n        bank_holidays: closed\n',
        '        hours: "Mo-Fr 09:00-17:00"\n        bank_holidays: closed\n'
        "        closures: [{from: 2026-12-24, to: 2027-01-01, reason: Christmas}]\n"))
    result = invoke("who", "office", "--at", "2026-12-31T12:00", "--area", "eng", "--json",
                    "-r", str(path))
    [answer] = json.loads(result.stdout)["answers"]
    assert answer["status"] == "uncovered"
    assert answer["since"] == "2026-12-23T17:00:00Z"  # the last working day before Christmas
    assert answer["next_cover"]["start"] == "2027-01-04T09:00:00Z"  # 2 and 3 Jan: weekend
    assert [c["reason"] for c in answer["closures"]] == ["Christmas"]


def test_bank_holidays_after_the_year_end_differ_by_nation() -> None:
    """2 Jan 2027 is a Saturday: Scotland's bank holiday moves to Monday 4 January."""
    registry = oracle_registry()
    at = dt.datetime(2027, 1, 4, 12, tzinfo=UTC)
    status = {area: answers_for(registry, registry.issues["office"], area, at)[0].status
              for area in ("eng", "sco", "ni")}
    assert status == {"eng": COVERED, "sco": UNCOVERED, "ni": COVERED}
    new_year = dt.datetime(2026, 12, 31, 20, tzinfo=UTC)
    [eng] = answers_for(registry, registry.issues["office"], "eng", new_year)
    [sco] = answers_for(registry, registry.issues["office"], "sco", new_year)
    assert eng.next_cover is not None and sco.next_cover is not None
    assert eng.next_cover.start == dt.datetime(2027, 1, 4, 9, tzinfo=UTC)
    assert sco.next_cover.start == dt.datetime(2027, 1, 5, 9, tzinfo=UTC)


def test_years_outside_the_supported_range_are_usage_errors() -> None:
    for text in ("1989-12-31T23:59", "2101-01-01", "0001-01-01", "9999-12-31T23:59+00:00"):
        with pytest.raises(WhenError):
            parse_when(text, LONDON)
    assert parse_when("2100-12-31T23:59", LONDON).local.year == 2100
