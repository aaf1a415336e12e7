"""The registry as remitctl uses it: plain, frozen values with no parsing left to do.

The loader builds these from a validated `remits.yaml`; everything downstream (cover,
gaps, rendering) reads only these, so they are cheap to cache and to reason about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field

from remitctl.record import record

DEFAULT = "default"
NATIONS = ("england-and-wales", "scotland", "northern-ireland")
NATION_NAMES = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}


@record
class Closure:
    start: dt.date
    end: dt.date  # inclusive
    reason: str
    scope: str  # "agency" or "service": where the registry declared it
    line: int = 0

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@record
class DatedHours:
    """Hours that replace a line's usual hours on whole days (`dated_hours:`): Christmas
    cover, an extra patrol on New Year's Eve, a short Christmas Eve."""

    start: dt.date
    end: dt.date  # inclusive
    hours: str  # "closed", "unknown" or opening_hours time spans ("00:00-24:00")
    reason: str
    line: int = 0

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def words(self) -> str:
        """'off', 'unknown' or the spans, as an officer reads them."""
        return "off" if self.hours == "closed" else self.hours


@record
class Contact:
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    other: str | None = None

    def channels(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in (("phone", self.phone), ("email", self.email),
                                    ("web", self.web), ("other", self.other)) if v]

    def primary(self) -> str:
        return self.phone or self.other or self.email or self.web or "no contact recorded"


@record
class Service:
    ref: str  # "agency/service"
    agency_id: str
    id: str
    name: str
    agency_name: str
    contact: Contact
    hours: str
    bank_holidays: str  # "closed", "normal", "unknown" or opening_hours time spans
    closures: tuple[Closure, ...] = ()
    fallback: str | None = None
    notes: str | None = None
    verified: dt.date | None = None
    line: int = 0
    # False with `agency_closures: ignore`: a 24/7 or out-of-hours line that keeps
    # running while the rest of its agency shuts (its own closures still apply).
    agency_closures: bool = True
    # Whole days whose hours replace the usual week's (under closures, over bank holidays).
    dated_hours: tuple[DatedHours, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.agency_name} · {self.name}"


@record
class Agency:
    id: str
    name: str
    kind: str | None
    services: tuple[str, ...]  # refs
    closures: tuple[Closure, ...] = ()
    line: int = 0


@record
class Area:
    id: str
    name: str
    description: str | None = None
    nation: str | None = None  # None: the registry's nation
    line: int = 0
    gss: tuple[str, ...] = ()  # ONS codes of the councils it stands for (registry/gss.py)


@record
class Policy:
    max_gap_hours: float
    area: str | None  # None: every area without its own
    line: int = 0
    column: int = 0


@record
class Issue:
    id: str
    title: str
    aliases: tuple[str, ...]
    remit: str | None
    legal_basis: str | None
    cover: dict[str, tuple[str, ...]]  # area id or DEFAULT → service refs, in preference order
    fallback: str | None
    policies: tuple[Policy, ...] = ()
    line: int = 0
    codes: tuple[str, ...] = ()  # the force's own incident codes (read by `evidence`)
    # Words and phrases that point to this issue for the search ("jumper", "edt"); unlike
    # aliases they may be shared by several issues and are not typed as exact names.
    keywords: tuple[str, ...] = ()

    def cover_for(self, area: str | None) -> tuple[str, ...]:
        if area is not None and area in self.cover:
            return self.cover[area]
        return self.cover.get(DEFAULT, ())

    def policy_for(self, area: str | None) -> Policy | None:
        general = None
        for policy in self.policies:
            if policy.area == area and area is not None:
                return policy
            if policy.area is None:
                general = policy
        return general


@record
class Registry:
    name: str
    timezone: str
    nation: str
    areas: dict[str, Area]
    agencies: dict[str, Agency]
    services: dict[str, Service]
    issues: dict[str, Issue]
    source: str = "remits.yaml"
    digest: str = ""
    extras: dict[str, object] = field(default_factory=dict)
    # The registry's own search terms (`vocabulary:`): term → ideas, over the bundled ones.
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def nation_for(self, area: str | None) -> str:
        if area is not None and area in self.areas and self.areas[area].nation:
            return self.areas[area].nation or self.nation
        return self.nation

    def area_ids(self) -> list[str]:
        return list(self.areas)

    def cover_groups(self, issue: Issue) -> list[tuple[str | None, tuple[str, ...]]]:
        """Which areas to answer for separately when no area is asked for.

        Each entry is (area to compute with, areas it stands for). When every area has
        the same cover, one entry stands for them all.
        """
        if not self.areas:
            return [(None, ())]
        seen = {(self.nation_for(a), issue.cover_for(a)) for a in self.areas}
        if len(seen) == 1:
            first = next(iter(self.areas))
            return [(first, tuple(self.areas))]
        return [(a, (a,)) for a in self.areas]
