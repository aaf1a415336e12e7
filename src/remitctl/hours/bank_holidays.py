"""UK bank holidays by nation, from the `holidays` package.

opening-hours-py's own UK holiday data misses New Year's Day, Easter Monday and the
August bank holiday, so remitctl turns these dates into explicit date rules instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

SUBDIVISION = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@lru_cache(maxsize=64)
def _year(nation: str, year: int) -> tuple[tuple[dt.date, str], ...]:
    import holidays  # imported here: it takes ~60 ms and most lookups come from the cache

    days = holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=[year])
    return tuple(sorted(days.items()))


def bank_holidays(nation: str, years: Iterable[int]) -> dict[dt.date, str]:
    """Bank holidays of `nation` in `years`, date → name."""
    out: dict[dt.date, str] = {}
    for year in years:
        out.update(_year(nation, year))
    return out
