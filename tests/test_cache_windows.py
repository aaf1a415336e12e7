"""Evaluated windows are reused (a line's spans, an issue's timeline): the same answers as
evaluating afresh, for any window and any part of it."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from remitctl.cover.timeline import cover_timeline
from remitctl.hours.schedule import Schedule, ScheduleBook
from remitctl.registry.loader import load_registry
from remitctl.registry.model import Registry

from conftest import BUNDLED

UTC = dt.UTC
BASE = dt.datetime(2026, 10, 20, tzinfo=UTC)  # spans the October clock change and Christmas


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return load_registry(BUNDLED)


def _book() -> ScheduleBook:
    return ScheduleBook(_registry(), range(2025, 2029))


minutes = st.integers(min_value=0, max_value=90 * 24 * 60)
refs = st.sampled_from(sorted(_registry().services))
nations = st.sampled_from(["england-and-wales", "scotland"])


@settings(max_examples=60, deadline=None)
@given(ref=refs, nation=nations, a=minutes, b=minutes, c=minutes, d=minutes)
def test_a_part_of_an_evaluated_window_is_its_spans_cut(ref: str, nation: str, a: int, b: int,
                                                         c: int, d: int) -> None:
    outer_start, outer_end = sorted((a, b))
    inner_start, inner_end = sorted((c, d))
    inner_start = max(inner_start, outer_start)
    inner_end = min(max(inner_end, inner_start + 1), outer_end + 1)
    at = [BASE + dt.timedelta(minutes=m) for m in (outer_start, outer_end + 1, inner_start,
                                                   inner_end)]
    reused = _book().schedule(ref, nation)
    reused.spans(at[0], at[1])
    fresh: Schedule = _book().schedule(ref, nation)
    assert reused.spans(at[2], at[3]) == fresh.spans(at[2], at[3])


@settings(max_examples=30, deadline=None)
@given(issue=st.sampled_from(sorted(_registry().issues)),
       area=st.sampled_from(sorted(_registry().areas)), a=minutes, b=minutes)
def test_a_reused_timeline_is_the_timeline(issue: str, area: str, a: int, b: int) -> None:
    registry = _registry()
    lines = registry.issues[issue].cover_for(area)
    nation = registry.nation_for(area)
    low, high = sorted((a, b))
    start, end = BASE + dt.timedelta(minutes=low), BASE + dt.timedelta(minutes=high + 1)
    book = _book()
    for _ in range(2):  # callers may change the list they get, from a sweep or the memo
        cover_timeline(book, lines, nation, start, end).clear()
    again = cover_timeline(book, lines, nation, start, end)
    assert again == cover_timeline(_book(), lines, nation, start, end)
    assert again and again[0].start == start and again[-1].end == end


def test_a_window_from_the_repeated_autumn_hour_starts_there() -> None:
    at = dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST, the first of two 01:30s
    end = at + dt.timedelta(days=3)
    for ref in sorted(_registry().services):
        fresh = _book().schedule(ref, "england-and-wales").spans(at, end)
        assert fresh[0].start == at, ref
        reused = _book().schedule(ref, "england-and-wales")
        reused.spans(at - dt.timedelta(days=8), end)
        assert reused.spans(at, end) == fresh, ref


@settings(max_examples=40, deadline=None)
@given(ref=refs, nation=nations, a=minutes, b=minutes, c=minutes, d=minutes)
def test_a_book_around_a_window_answers_as_one_with_every_holiday(
        ref: str, nation: str, a: int, b: int, c: int, d: int) -> None:
    """Inside the window (with its near holidays only) and outside it alike."""
    low, high = sorted((a, b))
    start, end = BASE + dt.timedelta(minutes=low), BASE + dt.timedelta(minutes=high + 1)
    near = ScheduleBook.around(_registry(), start, end).schedule(ref, nation)
    every = _book().schedule(ref, nation)
    assert near.spans(start, end) == every.spans(start, end)
    inside = start + (end - start) * (c % 97) / 97
    assert near.state_at(inside) == every.state_at(inside)
    later = end + dt.timedelta(minutes=d)
    assert near.spans(start, later) == every.spans(start, later)
    assert near.state_at(later) == every.state_at(later)
