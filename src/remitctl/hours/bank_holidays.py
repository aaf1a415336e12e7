"""UK bank holidays by nation, from the `holidays` package.

opening-hours-py's own UK holiday data misses New Year's Day, Easter Monday and the
August bank holiday, so remitctl turns these dates into explicit date rules instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache

SUBDIVISION = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}

YearDays = tuple[tuple[dt.date, str], ...]
# Dates computed by an earlier run (the compiled registry cache), so that a lookup
# need not import `holidays`; years outside it are computed as usual.
_preloaded: dict[tuple[str, int], YearDays] = {}


@lru_cache(maxsize=64)
def _computed(nation: str, year: int) -> YearDays:
    import holidays  # imported here: it takes ~60 ms and most lookups come from the cache

    days = holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=[year])
    return tuple(sorted(days.items()))


def _year(nation: str, year: int) -> YearDays:
    known = _preloaded.get((nation, year))
    return known if known is not None else _computed(nation, year)


def bank_holidays(nation: str, years: Iterable[int]) -> dict[dt.date, str]:
    """Bank holidays of `nation` in `years`, date → name."""
    out: dict[dt.date, str] = {}
    for year in years:
        out.update(_year(nation, year))
    return out


def table(years: Iterable[int]) -> dict[tuple[str, int], YearDays]:
    """Every nation's bank holidays in `years`, ready to store and `preload` later."""
    return {(nation, year): _computed(nation, year) for nation in SUBDIVISION for year in years}


def preload(days: Mapping[tuple[str, int], YearDays]) -> None:
    """Use dates from `table` (computed by an earlier run) instead of the holidays package."""
    _preloaded.update(days)
