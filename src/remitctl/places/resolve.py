"""A postcode (or a postcode district) to the registry areas that hold its councils.

The postcode gives its district or unitary code, its county code in a two-tier county,
and its nation; each registry area lists the codes it stands for (`gss:`). A postcode may
find two areas (a district's and its county's): each issue is then answered for the
first of them, district first, whose cover names the issue, else by its default cover.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from dataclasses import dataclass

from remitctl.places.postcode import normal, outward
from remitctl.places.store import COUNTRY_NAMES, NATIONS, PlacesError, meta
from remitctl.registry.model import Issue, Registry


@dataclass(frozen=True)
class Council:
    code: str
    area: str | None  # the registry area that lists it, if any


@dataclass(frozen=True)
class Place:
    """What a postcode resolved to: one `choice` per combination of councils it can mean."""

    asked: str  # 'LN2 5AB', or 'LN2' for a postcode district
    district_only: bool  # a postcode district alone: "could be any of"
    choices: tuple[tuple[str, ...], ...]  # registry areas, district tier first
    councils: tuple[Council, ...]
    country: str  # E, W, S, N
    ended: str | None  # 'YYYY-MM' for a terminated postcode
    edition: str

    def areas_for(self, issue: Issue) -> list[str]:
        out: list[str] = []
        for choice in self.choices:
            named = next((a for a in choice if a in issue.cover), choice[0])
            if named not in out:
                out.append(named)
        return out

    def all_areas(self) -> list[str]:
        return list(dict.fromkeys(a for choice in self.choices for a in choice))

    def with_nation(self, reg: Registry) -> Registry:
        """The registry with the postcode's nation on areas that do not name their own."""
        nation = NATIONS.get(self.country)
        if nation is None or nation == reg.nation:
            return reg
        areas = dict(reg.areas)
        for a in self.all_areas():
            if areas[a].nation is None:
                areas[a] = dataclasses.replace(areas[a], nation=nation)
        return dataclasses.replace(reg, areas=areas)


def _codes(reg: Registry) -> dict[str, str]:
    return {code: a.id for a in reg.areas.values() for code in a.gss}


def resolve(db: sqlite3.Connection, reg: Registry, text: str) -> Place:
    """The place `text` names, or PlacesError (unknown, outside every area)."""
    full, district = normal(text), outward(text)
    if full is None and district is None:
        raise PlacesError(f"{text.strip()!r} is not a postcode",
                          "write a full postcode (LN2 5AB, any case and spacing) or a "
                          "postcode district (LN2)")
    edition = meta(db).get("edition", "unknown edition")
    if full is not None:
        rows = db.execute("SELECT district, county, country, terminated FROM postcode "
                          "WHERE pc = ?", (full,)).fetchall()
        asked = full
    else:
        assert district is not None
        asked = district
        rows = db.execute("SELECT DISTINCT district, county, country, NULL FROM postcode "
                          "WHERE pc > ? AND pc < ? AND terminated IS NULL",
                          (district + " ", district + "!")).fetchall()
    if not rows:
        near = _nearest_known(db, asked.split(" ")[0])
        raise PlacesError(f"postcode {asked} is not in the places data ({edition})",
                          (f"nearest known postcode district: {near}; " if near else "")
                          + "check the postcode")
    codes = _codes(reg)
    choices: list[tuple[str, ...]] = []
    councils: list[Council] = []
    for d, c, _country, _ended in rows:
        found = tuple(dict.fromkeys(codes[x] for x in (d, c) if x and x in codes))
        if found and found not in choices:
            choices.append(found)
        for x in (d, c):
            if x and all(k.code != x for k in councils):
                councils.append(Council(x, codes.get(x)))
    if not choices:
        listed = " and ".join(k.code for k in councils)
        near = _nearest_in_registry(db, asked.split(" ")[0], set(codes))
        raise PlacesError(f"postcode {asked} lies in {listed}, which no area of "
                          f"{reg.source} lists",
                          (f"nearest postcode district in the registry: {near}; " if near
                           else "") + "if the council is yours, add its code to the area's "
                          "gss: list")
    ended = rows[0][3] if full is not None else None
    return Place(asked, full is None, tuple(choices), tuple(councils), rows[0][2],
                 f"{ended[:4]}-{ended[4:]}" if ended else None, edition)


def _nearest_known(db: sqlite3.Connection, code: str) -> str | None:
    """The postcode district itself if known, else the known one of the same letters
    nearest in number (LN9 -> LN6)."""
    if db.execute("SELECT 1 FROM outward WHERE code = ?", (code,)).fetchone():
        return code

    def split(c: str) -> tuple[str, int]:
        m = re.match(r"([A-Z]+)(\d*)", c)
        return (m.group(1), int(m.group(2) or 0)) if m else (c, 0)

    letters, number = split(code)
    same = [r[0] for r in db.execute("SELECT code FROM outward WHERE code > ? AND code < ?",
                                     (letters, letters + "\x7f"))
            if split(r[0])[0] == letters]
    return min(same, key=lambda c: (abs(split(c)[1] - number), c)) if same else None


def _nearest_in_registry(db: sqlite3.Connection, code: str, codes: set[str]) -> str | None:
    """The postcode district nearest on the ground whose councils are in the registry."""
    here = db.execute("SELECT east, north, country FROM outward WHERE code = ?",
                      (code,)).fetchone()
    best: tuple[float, str] | None = None
    for other, east, north, country, councils in db.execute(
            "SELECT code, east, north, country, councils FROM outward"):
        if not any(x in codes for pair in councils.split(",") for x in pair.split(" ")):
            continue
        if here is None or here[0] is None or east is None or (country == "N") != (here[2] == "N"):
            distance = float("inf")
        else:
            distance = float((east - here[0]) ** 2 + (north - here[1]) ** 2)
        if best is None or distance < best[0]:
            best = (distance, other)
    return best[1] if best else None


def country_name(letter: str) -> str:
    return COUNTRY_NAMES.get(letter, letter)
