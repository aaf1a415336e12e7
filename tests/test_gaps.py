"""The gap report's core on the bundled registry and small ones: exact gaps, clock changes,
bank holidays and closures named, edges cut and followed, fallbacks, policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from remitctl.cover.gaps import (
    AreaReport,
    GapReport,
    add_days,
    gap_report,
    typical_week,
    window_from,
)
from remitctl.cover.lookup import answers_for
from remitctl.cover.policy_check import check_policies, check_windows
from remitctl.registry.loader import load_registry
from remitctl.registry.model import Registry

from conftest import BUNDLED

LONDON = ZoneInfo("Europe/London")
H = dt.timedelta(hours=1)


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def when(t: dt.datetime) -> str:
    return f"{t.astimezone(LONDON):%a %d %b %H:%M}"


@pytest.fixture(scope="module")
def bundled() -> Registry:
    return load_registry(BUNDLED)


@pytest.fixture(scope="module")
def christmas(bundled: Registry) -> GapReport:
    window = window_from(local("2026-12-24T00:00"), local("2027-01-04T00:00"))
    return gap_report(bundled, list(bundled.issues.values()), window)


def report_for(report: GapReport, issue: str, area: str) -> AreaReport:
    return next(r for r in report.reports if r.issue.id == issue and area in r.areas)


def test_christmas_window_and_bank_holidays(christmas: GapReport) -> None:
    assert christmas.window.duration == 264 * H
    assert [(d.isoformat(), name) for d, name, _ in christmas.bank_holidays] == [
        ("2026-12-25", "Christmas Day"),
        ("2026-12-28", "Boxing Day (substitute day)"), ("2027-01-01", "New Year's Day")]


def test_christmas_noise_in_brackenford_exactly(christmas: GapReport) -> None:
    r = report_for(christmas, "noise-nuisance", "brackenford")
    assert r.areas == ("brackenford",)
    assert [(when(g.start), when(g.end), g.duration, g.cut_start, g.cut_end)
            for g in r.gaps] == [
        ("Thu 24 Dec 00:00", "Thu 24 Dec 08:45", 8.75 * H, True, False),
        ("Thu 24 Dec 17:00", "Tue 29 Dec 08:45", 111.75 * H, False, False),
        ("Tue 29 Dec 17:00", "Wed 30 Dec 08:45", 15.75 * H, False, False),
        ("Wed 30 Dec 17:00", "Thu 31 Dec 08:45", 15.75 * H, False, False),
        ("Thu 31 Dec 17:00", "Mon 04 Jan 00:00", 79 * H, False, True),
    ]
    first, christmas_gap, *_, last = r.gaps
    assert first.whole_start == local("2026-12-23T17:00")
    assert last.whole_end == local("2027-01-04T08:45")
    # Friday and Monday office hours are lost to the bank holidays, nothing else.
    assert [(when(c.start), when(c.end), c.holidays) for c in christmas_gap.causes] == [
        ("Fri 25 Dec 08:45", "Fri 25 Dec 16:30", ("Christmas Day",)),
        ("Mon 28 Dec 08:45", "Mon 28 Dec 17:00", ("Boxing Day (substitute day)",))]
    assert christmas_gap.dated == 16 * H and not christmas_gap.only_dated
    assert r.uncovered == (8.75 + 111.75 + 15.75 + 15.75 + 79) * H
    assert all(g.absorbed[0].ref == "police/control-room" for g in r.gaps)
    assert r.policy is not None and r.policy.breached
    assert r.policy.longest == 111.75 * H


def test_a_closure_is_named_as_the_cause(christmas: GapReport) -> None:
    r = report_for(christmas, "noise-nuisance", "north-moor")
    gap = r.gaps[0]
    # The shutdown ends Friday 1 January, so that night's patrol (Fr,Sa 20:00-03:00) does
    # not run either: no cover until the patrol's Saturday shift at 20:00.
    assert (when(gap.start), when(gap.end)) == ("Thu 24 Dec 00:00", "Sat 02 Jan 20:00")
    reasons = {why for c in gap.causes for _, why in c.closures}
    assert reasons == {"Christmas and New Year shutdown"}
    # Thursday 24 Dec is no bank holiday: the shutdown alone takes its office hours.
    thursday = next(c for c in gap.causes if when(c.start) == "Thu 24 Dec 09:00")
    assert thursday.holidays == () and when(thursday.end) == "Thu 24 Dec 17:00"


def test_fully_covered_issues_have_no_gaps_and_summary_is_worst_first(
        christmas: GapReport) -> None:
    mh = [r for r in christmas.reports if r.issue.id == "mental-health-crisis"]
    assert mh and all(not r.gaps for r in mh)
    shares = [s.share for s in christmas.issues]
    assert shares == sorted(shares, reverse=True)
    assert christmas.issues[0].issue.id in ("fly-tipping", "abandoned-vehicles")
    assert christmas.issues[0].uncovered == 3 * 264 * H  # three areas, no cover at all


def test_uncertain_cover_is_its_own_category(christmas: GapReport) -> None:
    (r,) = [r for r in christmas.reports if r.issue.id == "animal-welfare"]
    assert r.uncovered == dt.timedelta(0)
    assert r.uncertain > 0 * H
    assert all(g.status == "uncertain" and g.maybe == ("animal-welfare/volunteer-rescue",)
               for g in r.gaps)
    on_christmas_day = next(g for g in r.gaps if when(g.start) == "Fri 25 Dec 17:00")
    assert on_christmas_day.comment == "bank holiday hours not known"
    assert r.gaps[1].comment == "volunteer rota"


def test_fallback_load_adds_up_over_areas(christmas: GapReport) -> None:
    (police,) = christmas.fallbacks
    assert police.agency == "police"
    expected = sum((r.uncovered * len(r.areas) for r in christmas.reports), dt.timedelta())
    assert police.uncovered == expected
    assert police.services == (("police/control-room", expected),)


@pytest.mark.parametrize(("monday", "hours"), [("2026-03-23", 167), ("2026-10-19", 169),
                                               ("2026-11-02", 168)])
def test_a_week_is_real_elapsed_time(bundled: Registry, monday: str, hours: int) -> None:
    start = local(f"{monday}T00:00")
    window = window_from(start, add_days(start, 7, LONDON))
    assert window.duration == hours * H
    (r,) = [r for r in gap_report(bundled, [bundled.issues["fly-tipping"]], window,
                                  ["kingsbridge"]).reports]
    # Street Scene works Mo-Fr 08:00-17:00: 45 hours of cover, the rest is gap.
    assert r.uncovered == (hours - 45) * H and r.uncertain == 0 * H
    assert len(r.gaps) == 6


def test_typical_week_skips_clock_changes_and_ignores_holidays(bundled: Registry) -> None:
    week = typical_week(LONDON, local("2026-12-25T12:00"))
    assert week.typical and week.duration == 168 * H
    assert week.start == local("2026-12-21T00:00")
    # The week of the autumn change (and the week after, too near) gives way to a later one.
    autumn = typical_week(LONDON, local("2026-10-25T12:00"))
    assert autumn.duration == 168 * H and autumn.start > local("2026-10-25T00:00")
    (r,) = gap_report(bundled, [bundled.issues["noise-nuisance"]], week,
                      ["brackenford"]).reports
    assert [(when(g.start), when(g.end)) for g in r.gaps][1:3] == [
        ("Mon 21 Dec 17:00", "Tue 22 Dec 08:45"), ("Tue 22 Dec 17:00", "Wed 23 Dec 08:45")]
    assert not any(g.causes for g in r.gaps)
    assert r.policy is not None and r.policy.longest == 64.25 * H  # Fri 16:30 – Mon 08:45


def test_gap_agrees_with_who_at_its_edges(bundled: Registry, christmas: GapReport) -> None:
    r = report_for(christmas, "stray-dogs", "north-moor")
    issue = bundled.issues["stray-dogs"]
    for g in r.gaps:
        for at, expected in ((g.start, "uncovered"), (g.end - dt.timedelta(minutes=1),
                                                      "uncovered")):
            (a,) = answers_for(bundled, issue, "north-moor", at)
            assert a.status == expected
        if not g.cut_end:
            (a,) = answers_for(bundled, issue, "north-moor", g.end)
            assert a.status == "covered"


MINI_POLICY = """\
version: 1
name: Policy test
areas:
  east: {name: East}
  west: {name: West}
agencies:
  police:
    name: Police
    services:
      control-room: {name: Control room, contact: {phone: "01632 960000"}, hours: "24/7"}
  council:
    name: Council
    services:
      office:
        name: Office
        contact: {phone: "01632 960100"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
      night:
        name: Night line
        contact: {phone: "01632 960101"}
        hours: "Mo-Fr 00:00-09:00,17:00-24:00; Sa,Su 00:00-24:00"
        bank_holidays: "00:00-24:00"
issues:
  noise:
    title: Noise
    cover:
      default: [council/office]
      east: [council/office, council/night]
    fallback: police/control-room
    policy:
      max_gap_hours: 0
      areas:
        west: {max_gap_hours: 70}
"""


def test_check_lists_breaches_with_their_policy_line(
        write_registry: Callable[[str, str], Path]) -> None:
    reg = load_registry(write_registry(MINI_POLICY, "remits.yaml"), "remits.yaml")
    windows = check_windows(LONDON, dt.date(2026, 11, 30))
    result = check_policies(reg, windows)
    assert not result.ok
    # east is covered round the clock; west's 64 h weekend passes, but Christmas and the
    # other bank-holiday weekends do not.
    assert {b.areas for b in result.breaches} == {("west",)}
    line = MINI_POLICY.splitlines().index("        west: {max_gap_hours: 70}") + 1
    column = MINI_POLICY.splitlines()[line - 1].index("70") + 1
    assert all((b.policy.line, b.policy.column) == (line, column) for b in result.breaches)
    assert all(not b.window.typical and b.run.causes for b in result.breaches)
    lengths = sorted(b.run.length / H for b in result.breaches)
    assert lengths[-1] == 112  # Thu 24 Dec 2026 17:00 – Tue 29 Dec 09:00
    east_ok = check_policies(reg, windows, areas=["east"])
    assert east_ok.ok and len(east_ok.checked) == 1


def test_check_counts_recurrences_of_a_weekly_breach(bundled: Registry) -> None:
    windows = check_windows(LONDON, dt.date(2027, 2, 1))
    result = check_policies(bundled, windows, [bundled.issues["noise-nuisance"]],
                            ["brackenford"])
    weekly = [b for b in result.breaches if b.window.typical]
    assert len(weekly) == 1
    assert weekly[0].run.length == 64.25 * H
    assert f"{weekly[0].run.start.astimezone(LONDON):%a %H:%M}" == "Fri 16:30"  # type: ignore[union-attr]
    dated = [b for b in result.breaches if not b.window.typical]
    assert dated and all(b.run.causes for b in dated)  # only those a holiday lengthens
    assert weekly[0].recurs + len(dated) >= 50
