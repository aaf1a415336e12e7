"""Properties of the gap report over random hours, bank-holiday rules, closures and windows
(many of them across a clock change): cover and gaps partition the window exactly, and a
gap is exactly an instant at which `who` says nobody covers the issue."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remitctl.cover.gaps import EDGE, AreaReport, Window, gap_report, typical_week, window_from
from remitctl.cover.lookup import answer
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.hours.schedule import ScheduleBook
from remitctl.registry.model import Closure, Contact, Issue, Registry, Service

LONDON = ZoneInfo("Europe/London")
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
# Clock changes 2026-2028, and two ordinary Mondays, as local midnights to start near.
ANCHORS = [dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2027, 3, 28),
           dt.date(2027, 10, 31), dt.date(2026, 12, 24), dt.date(2027, 8, 30),
           dt.date(2028, 3, 26)]
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def spans(draw: st.DrawFn) -> str:
    a = draw(st.integers(0, 47)) * 30
    b = draw(st.integers(1, 48)) * 30
    if a == b:
        b = (b + 30) % (24 * 60) or 24 * 60
    return f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"


@st.composite
def hours(draw: st.DrawFn) -> str:
    """opening_hours rules: day ranges with spans (overnight ones too), 24/7 and unknown."""
    kind = draw(st.sampled_from(["rules", "rules", "rules", "24/7", "unknown"]))
    if kind == "24/7":
        return "24/7"
    if kind == "unknown":
        return 'unknown "rota"'
    rules = []
    for _ in range(draw(st.integers(1, 3))):
        first = draw(st.integers(0, 6))
        last = draw(st.integers(first, 6))
        days = DAYS[first] if first == last else f"{DAYS[first]}-{DAYS[last]}"
        state = draw(st.sampled_from(["", "", "", ' unknown "maybe"']))
        rules.append(f"{days} {draw(spans())}{state}")
    joiner = draw(st.sampled_from([", ", "; "]))
    return joiner.join(rules)


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    n = draw(st.integers(1, 3))
    services = {}
    for i in range(n):
        closures = ()
        if draw(st.booleans()):
            start = draw(st.sampled_from(ANCHORS)) + dt.timedelta(days=draw(st.integers(-3, 3)))
            closures = (Closure(start, start + dt.timedelta(days=draw(st.integers(0, 4))),
                                "shut for training", "service"),)
        ref = f"council/line-{i}"
        services[ref] = Service(
            ref=ref, agency_id="council", id=f"line-{i}", name=f"Line {i}",
            agency_name="Council", contact=Contact(phone="01632 960100"),
            hours=draw(hours()),
            bank_holidays=draw(st.sampled_from(["closed", "normal", "unknown", "10:00-14:00"])),
            closures=closures)
    services["police/control-room"] = Service(
        ref="police/control-room", agency_id="police", id="control-room", name="Control room",
        agency_name="Police", contact=Contact(phone="01632 960000"), hours="24/7",
        bank_holidays="normal")
    refs = tuple(r for r in services if r.startswith("council/"))
    cover = tuple(draw(st.permutations(refs))[: draw(st.integers(0, n))])
    issue = Issue(id="noise", title="Noise", aliases=(), remit=None, legal_basis=None,
                  cover={"default": cover}, fallback="police/control-room")
    nation = draw(st.sampled_from(["england-and-wales", "scotland", "northern-ireland"]))
    return Registry(name="Random", timezone="Europe/London", nation=nation, areas={},
                    agencies={}, services=services, issues={"noise": issue})


@st.composite
def windows(draw: st.DrawFn) -> tuple[dt.datetime, dt.datetime]:
    day = draw(st.sampled_from(ANCHORS))
    start = dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC) + dt.timedelta(
        minutes=draw(st.integers(-72 * 60, 72 * 60)))
    length = dt.timedelta(minutes=draw(st.integers(1, 12 * 24 * 60)))
    return start, start + length


def inside(window: Window, share: float) -> dt.datetime:
    """An instant `share` of the way through [start, end), never `end` itself."""
    start, end = window.start, window.end
    micro = (end - start) // dt.timedelta(microseconds=1)
    return start + dt.timedelta(microseconds=min(micro - 1, int(micro * share)))


def who_says(reg: Registry, at: dt.datetime) -> str:
    """What `who` answers at one instant (its own book and look-around, not the report's)."""
    book = ScheduleBook.around(reg, at - EDGE, at + EDGE)
    return answer(reg, book, reg.issues["noise"], None, (), at).status


@FAST
@given(registries(), windows(), st.lists(st.floats(0, 1, exclude_max=True), min_size=4,
                                         max_size=4))
def test_cover_and_gaps_partition_the_window(reg: Registry, span: tuple[dt.datetime, dt.datetime],
                                             probes: list[float]) -> None:
    window = window_from(*span)
    report = gap_report(reg, list(reg.issues.values()), window)
    (r,) = report.reports
    runs = r.runs()
    assert runs[0][0] == window.start and runs[-1][1] == window.end
    for (a, b, _), (c, _, _) in itertools.pairwise(runs):
        assert a < b == c  # contiguous, no overlap, nothing empty
    assert runs[-1][0] < runs[-1][1]
    total = {COVERED: dt.timedelta(), UNCERTAIN: dt.timedelta(), UNCOVERED: dt.timedelta()}
    for a, b, s in runs:
        total[s] += b - a
    assert sum(total.values(), dt.timedelta()) == window.duration
    assert total[UNCOVERED] == r.uncovered and total[UNCERTAIN] == r.uncertain
    for g in r.gaps:
        assert sum((s.duration for s in g.absorbed), dt.timedelta()) == g.duration
        assert g.dated <= g.duration
        assert all(g.start <= c.start < c.end <= g.end for c in g.causes)
        assert g.cut_start == (g.start == window.start and g.whole_start != g.start)
        if g.cut_end and g.whole_end is not None:
            assert window.end < g.whole_end <= window.end + EDGE
    for p in probes:
        at = inside(window, p)
        status = next(s for a, b, s in runs if a <= at < b)
        assert status == who_says(reg, at), at


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registries(), windows())
def test_gaps_start_and_end_where_who_changes_its_answer(
        reg: Registry, span: tuple[dt.datetime, dt.datetime]) -> None:
    """Either side of every boundary inside the window, `who` agrees with the report."""
    window = window_from(*span)
    (r,) = gap_report(reg, [reg.issues["noise"]], window).reports
    tick = dt.timedelta(microseconds=1)
    for a, b, status in r.runs()[:6]:
        assert who_says(reg, a) == status
        assert who_says(reg, b - tick) == status


@FAST
@given(registries(), st.sampled_from(ANCHORS))
def test_the_typical_week_has_no_dated_causes_and_168_hours(reg: Registry, day: dt.date) -> None:
    window = typical_week(LONDON, dt.datetime.combine(day, dt.time(12), LONDON))
    assert window.duration == dt.timedelta(hours=168)
    assert window.start.astimezone(LONDON).weekday() == 0
    (r,) = gap_report(reg, list(reg.issues.values()), window).reports
    assert all(not g.causes for g in r.gaps)
    assert report_hours(r) == 168


def report_hours(r: AreaReport) -> float:
    return sum(((b - a) for a, b, _ in r.runs()), dt.timedelta()) / dt.timedelta(hours=1)


@FAST
@given(registries(), windows(), st.lists(st.floats(0, 1, exclude_max=True), min_size=3,
                                         max_size=3))
def test_causes_are_exactly_where_a_typical_week_does_better(
        reg: Registry, span: tuple[dt.datetime, dt.datetime], probes: list[float]) -> None:
    """Inside a cause, the lines' own hours (no bank holidays or closures) give better cover
    than the dated ones; elsewhere in a gap they give no better."""
    window = window_from(*span)
    (r,) = gap_report(reg, [reg.issues["noise"]], window).reports
    plain = ScheduleBook.around(reg, window.start - EDGE, window.end + EDGE, typical=True)
    rank = {UNCOVERED: 0, UNCERTAIN: 1, COVERED: 2}
    for g in r.gaps:
        for p in probes:
            at = inside(Window(g.start, g.end), p)
            usual = answer(reg, plain, reg.issues["noise"], None, (), at).status
            caused = any(c.start <= at < c.end for c in g.causes)
            assert caused == (rank[usual] > rank[g.status]), (at, usual, g)
    if all(s.bank_holidays == "normal" and not s.closures for s in reg.services.values()):
        assert not any(g.causes for g in r.gaps)
