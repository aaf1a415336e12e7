"""The shape of `remits.yaml`, as pydantic models.

These models check types and keys and are the source of `remitctl schema`. Rules
that span the file (references, hours syntax, unique aliases) live in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Nation = Literal["england-and-wales", "scotland", "northern-ireland"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClosureDoc(_Strict):
    """Whole days on which a line (or every line of an agency) is shut."""

    start: dt.date = Field(alias="from", description="First day closed.", examples=["2026-12-24"])
    end: dt.date = Field(alias="to", description="Last day closed (inclusive).",
                         examples=["2027-01-01"])
    reason: str = Field(description="Shown to officers.", examples=["Christmas shutdown"])


class ContactDoc(_Strict):
    """How officers reach a service line. At least one channel is required."""

    phone: str | None = Field(None, description="Number officers ring.",
                              examples=["01632 960101"])
    email: str | None = Field(None, examples=["noise@kingsbridge.example.gov.uk"])
    web: str | None = Field(None, examples=["https://kingsbridge.example.gov.uk/noise"])
    other: str | None = Field(None, description="Any other route, in words.",
                              examples=["Via the force control room only"])


class ServiceDoc(_Strict):
    """One service line of an agency: a desk, a patrol, a duty team."""

    name: str = Field(examples=["Environmental Protection (noise)"])
    contact: ContactDoc
    hours: str = Field(
        description="OpenStreetMap opening_hours. Do not use PH or SH: see bank_holidays.",
        examples=["Mo-Fr 09:00-17:00", "24/7", "Fr,Sa 20:00-03:00"],
    )
    bank_holidays: str | None = Field(
        None,
        description=(
            "What happens on bank holidays: closed, normal, unknown, or opening_hours time "
            "spans used instead. Required unless the hours are 24/7."
        ),
        examples=["closed", "normal", "00:00-24:00"],
    )
    closures: list[ClosureDoc] = Field(default_factory=list)
    fallback: str | None = Field(None, description="agency/service that takes calls while closed.",
                                 examples=["police/control-room"])
    notes: str | None = Field(None, examples=["Reached only via the police control room."])
    verified: dt.date | None = Field(None, description="When the details were last checked.",
                                     examples=["2026-10-12"])


class AgencyDoc(_Strict):
    """An organisation with one or more service lines."""

    name: str = Field(examples=["Kingsbridge City Council"])
    kind: str | None = Field(None, examples=["unitary council", "NHS trust"])
    closures: list[ClosureDoc] = Field(default_factory=list,
                                       description="Closures that apply to every line.")
    services: dict[str, ServiceDoc] = Field(description="Service id → service line.")


class AreaDoc(_Strict):
    """A place where incidents happen and whose cover may differ from its neighbours'."""

    name: str = Field(examples=["North Moor District"])
    description: str | None = None
    bank_holidays: Nation | None = Field(None, description="Overrides the registry's nation.")


class AreaPolicyDoc(_Strict):
    max_gap_hours: float = Field(ge=0, description="Longest allowed gap; 0 means 24/7.")


class PolicyDoc(_Strict):
    """Required cover, checked by `remitctl gaps --check`."""

    max_gap_hours: float = Field(ge=0, description="Longest allowed gap in hours; 0 means 24/7.",
                                 examples=[0, 12])
    areas: dict[str, AreaPolicyDoc] = Field(default_factory=dict,
                                            description="Per-area overrides.")


class IssueDoc(_Strict):
    """An issue type officers meet, whose remit belongs to someone."""

    title: str = Field(examples=["Noise nuisance"])
    aliases: list[str] = Field(default_factory=list, description="Words officers type.",
                               examples=[["loud music", "barking dog"]])
    remit: str | None = Field(None, description="Whose job it is, in a sentence.")
    legal_basis: str | None = Field(None, examples=["Environmental Protection Act 1990, ss.79-80"])
    cover: dict[str, list[str]] = Field(
        description="Area id or 'default' → service lines (agency/service), in order of preference."
    )
    fallback: str | None = Field(None, description="agency/service that picks it up meanwhile.",
                                 examples=["police/control-room"])
    policy: PolicyDoc | None = None


class RegistryDoc(_Strict):
    """remitctl registry: issue types, agencies, service lines, areas and hours."""

    version: Literal[1] = Field(description="Format version.")
    name: str = Field(examples=["Severn Vale Constabulary area"])
    timezone: str = Field("Europe/London", description="IANA time zone of every hours value.")
    bank_holidays: Nation = Field("england-and-wales",
                                  description="Which UK bank holidays apply.")
    areas: dict[str, AreaDoc] = Field(default_factory=dict)
    agencies: dict[str, AgencyDoc]
    issues: dict[str, IssueDoc]
