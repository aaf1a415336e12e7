"""UK bank holidays by nation: gov.uk's lists, from the `holidays` package.

opening-hours-py's own UK holiday data misses New Year's Day, Easter Monday and the
August bank holiday, so remitctl applies these dates itself (see `calendar`).

`holidays` also marks the weekend date of a holiday that has a weekday substitute (Sat 26
Dec 2026 as well as Mon 28 Dec). gov.uk's lists, which are the law, have only the
substitute, so the weekend date is dropped and the substitute named as gov.uk names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
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
    return gov_uk(days.items())


_OBSERVED = " (observed)"


def gov_uk(days: Iterable[tuple[dt.date, str]]) -> YearDays:
    """The dates as gov.uk lists them: a weekend holiday with a substitute weekday is not
    itself a bank holiday; the substitute is "(substitute day)"."""
    listed: dict[dt.date, list[str]] = {}
    for day, joined in days:
        listed.setdefault(day, []).extend(n.strip() for n in joined.split(";"))
    substituted = {n[:-len(_OBSERVED)] for names in listed.values() for n in names
                   if n.endswith(_OBSERVED)}
    out = []
    for day, names in sorted(listed.items()):
        kept = [n for n in names if not (day.weekday() >= 5 and n in substituted)]
        kept = [n[:-len(_OBSERVED)] + " (substitute day)" if n.endswith(_OBSERVED) else n
                for n in kept]
        if kept:
            out.append((day, "; ".join(kept)))
    return tuple(out)


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


class NationHolidays(Mapping[dt.date, str]):
    """One nation's bank holidays, date → name: the years given up front, and any other
    year the moment a date in it is asked about (so no answer lacks its holidays)."""

    def __init__(self, nation: str, years: Iterable[int]) -> None:
        self.nation = nation
        self._days: dict[dt.date, str] = {}
        self._years: set[int] = set()
        for year in years:
            self._load(year)

    def _load(self, year: int) -> None:
        if year not in self._years:
            self._years.add(year)
            self._days.update(_year(self.nation, year))

    def __getitem__(self, day: dt.date) -> str:
        self._load(day.year)
        return self._days[day]

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        self._load(day.year)
        return day in self._days

    def __iter__(self) -> Iterator[dt.date]:
        return iter(sorted(self._days))

    def __len__(self) -> int:
        return len(self._days)
