"""A group's cover worked out over a longer window and cut to a period (covers.py, for the
halves child) must be the cover worked out over that period itself."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from remitctl.cover.gaps import local_instant
from remitctl.evidence.covers import Covers, epoch, key_of, work_out
from remitctl.registry.cache import load

from conftest import BUNDLED

LONDON = ZoneInfo("Europe/London")


def _midnight(day: dt.date) -> dt.datetime:
    return local_instant(day, 0, LONDON)


@pytest.mark.parametrize(("first", "last"), [
    (dt.date(2026, 1, 1), dt.date(2027, 1, 1)),  # the whole window
    (dt.date(2026, 3, 28), dt.date(2026, 3, 31)),  # over the spring clock change
    (dt.date(2026, 10, 24), dt.date(2026, 10, 27)),  # over the autumn one
    (dt.date(2026, 12, 24), dt.date(2026, 12, 29)),  # Christmas and Boxing Day
    (dt.date(2026, 5, 4), dt.date(2026, 5, 5)),  # one bank holiday
    (dt.date(2026, 7, 15), dt.date(2026, 9, 2)),
])
def test_a_cover_cut_from_a_year_is_the_cover_of_the_period(first: dt.date,
                                                            last: dt.date) -> None:
    reg = load(BUNDLED, use_cache=False)
    keys = list(dict.fromkeys(key_of(reg, issue_id, area)
                              for issue_id in reg.issues for area in [None, *reg.areas]))
    year = work_out(reg, keys, _midnight(dt.date(2026, 1, 1)), _midnight(dt.date(2027, 1, 1)))
    ahead = Covers(epoch(_midnight(dt.date(2026, 1, 1))), epoch(_midnight(dt.date(2027, 1, 1))),
                   year)
    start, end = _midnight(first), _midnight(last)
    direct = work_out(reg, keys, start, end)
    for key in keys:
        assert ahead.over(key, epoch(start), epoch(end)) == direct[key], key
    assert any(cover[0] is not None for cover in direct.values())  # typical weeks too
    assert ahead.over(keys[0], epoch(start) - 86400 * 400, epoch(end)) is None  # outside
