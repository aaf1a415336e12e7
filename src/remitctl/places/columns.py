"""ONSPD's columns, found by pattern: ONS renames them between editions (`oslaua` became
`lad25cd`, then `lad26cd`), so each field is named once here, with every name it has had."""

from __future__ import annotations

import re
from dataclasses import dataclass

# field -> (pattern of its column names, required). Newest names first in each pattern; a
# year in the name (lad26cd) says which edition's names the file uses.
COLUMNS: dict[str, tuple[str, bool]] = {
    "postcode": (r"pcds", True),
    "terminated": (r"doterm", True),
    "district": (r"lad(\d\d)cd|oslaua", True),
    "county": (r"cty(\d\d)cd|oscty", True),
    "country": (r"ctry(\d\d)cd|ctry", True),
    "easting": (r"east1m|oseast1m", False),
    "northing": (r"north1m|osnrth1m", False),
    "grid": (r"gridind|osgrdind", False),
}


class ColumnError(ValueError):
    pass


@dataclass(frozen=True)
class Header:
    index: dict[str, int]  # field -> column number
    names: dict[str, str]  # field -> the column name found
    year: str | None  # '2026' from lad26cd; None for the old names

    @property
    def edition_names(self) -> str:
        which = f"{self.year} names" if self.year else "pre-2025 names"
        found = ", ".join(self.names[f] for f in ("district", "county", "country"))
        return f"{which}: {found}"


def read_header(row: list[str]) -> Header:
    """Which column holds each field; the newest-named column when several match."""
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    years: list[str] = []
    for field, (pattern, required) in COLUMNS.items():
        best: tuple[str, int, str] | None = None
        for i, name in enumerate(row):
            m = re.fullmatch(pattern, name.strip().lower())
            if m is None:
                continue
            year = next((g for g in m.groups() if g), "")
            if best is None or year > best[0]:
                best = (year, i, name.strip())
        if best is None:
            if required:
                wanted = pattern.replace(r"(\d\d)", "NN").replace("|", " or ")
                raise ColumnError(f"no {field} column ({wanted})")
            continue
        index[field], names[field] = best[1], best[2]
        if best[0]:
            years.append(best[0])
    year = f"20{max(years)}" if years else None
    return Header(index, names, year)
