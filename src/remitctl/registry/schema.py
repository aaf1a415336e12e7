"""The shape of `remits.yaml`, as pydantic models.

These models check types and keys and are the source of `remitctl schema`. Rules
that span the file (references, hours syntax, unique aliases) live in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Nation = Literal["england-and-wales", "scotland", "northern-ireland"]

# Patterns the loader checks with its own messages; in the JSON Schema they let an
# editor flag a bad id or reference as it is typed.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
REF_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
_IDS: dict[str, Any] = {"propertyNames": {"pattern": ID_PATTERN}}
_REF: dict[str, Any] = {"pattern": REF_PATTERN}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClosureDoc(_Strict):
    """Whole days on which a line (or every line of an agency) is shut."""

    model_config = ConfigDict(title="Closure")

    start: dt.date = Field(alias="from", description="First day closed.", examples=["2026-12-24"])
    end: dt.date = Field(alias="to", description="Last day closed (inclusive).",
                         examples=["2027-01-01"])
    reason: str = Field(description="Shown to officers.", examples=["Christmas shutdown"])


class ContactDoc(_Strict):
    """How officers reach a service line. At least one channel is required."""

    model_config = ConfigDict(title="Contact")

    phone: str | None = Field(None, description="Number officers ring: a UK number with its "
                              "area code, or a short code such as 101.",
                              examples=["01632 960101"])
    email: str | None = Field(None, description="Email address for reports.",
                              examples=["noise@kingsbridge.example.gov.uk"])
    web: str | None = Field(None, description="Web page or form.",
                            examples=["https://kingsbridge.example.gov.uk/noise"])
    other: str | None = Field(None, description="Any other route, in words.",
                              examples=["Via the force control room only"])


class ServiceDoc(_Strict):
    """One service line of an agency: a desk, a patrol, a duty team."""

    model_config = ConfigDict(title="Service line")

    name: str = Field(description="The line's name as officers know it.",
                      examples=["Environmental Protection (noise)"])
    contact: ContactDoc = Field(description="At least one of phone, email, web or other.",
                                examples=[{"phone": "01632 960101",
                                           "email": "noise@kingsbridge.example.gov.uk"}])
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
    closures: list[ClosureDoc] = Field(
        default_factory=list, description="Dated closures of this line: whole days, inclusive.",
        examples=[[{"from": "2026-12-24", "to": "2027-01-01",
                    "reason": "Christmas and New Year shutdown"}]])
    fallback: str | None = Field(None, description="agency/service that takes calls while closed.",
                                 examples=["police/control-room"], json_schema_extra=_REF)
    notes: str | None = Field(None, description="Anything else officers should know.",
                              examples=["Reached only via the police control room."])
    verified: dt.date | None = Field(None, description="When the details were last checked.",
                                     examples=["2026-10-12"])


class AgencyDoc(_Strict):
    """An organisation with one or more service lines."""

    model_config = ConfigDict(title="Agency")

    name: str = Field(description="The organisation's name.",
                      examples=["Kingsbridge City Council"])
    kind: str | None = Field(None, description="What sort of body it is, in words.",
                             examples=["unitary council", "NHS trust"])
    closures: list[ClosureDoc] = Field(
        default_factory=list, description="Closures that apply to every line.",
        examples=[[{"from": "2026-12-24", "to": "2027-01-01",
                    "reason": "Christmas and New Year shutdown"}]])
    services: dict[str, ServiceDoc] = Field(
        description="Service id → service line. Elsewhere a line is named agency-id/service-id.",
        examples=[{"control-room": {"name": "Force Control Room",
                                    "contact": {"phone": "01632 960001"}, "hours": "24/7"}}],
        json_schema_extra=_IDS)


class AreaDoc(_Strict):
    """A place where incidents happen and whose cover may differ from its neighbours'."""

    model_config = ConfigDict(title="Area")

    name: str = Field(description="The area's name as officers know it.",
                      examples=["North Moor District"])
    description: str | None = Field(None, description="Who does what here, in words.",
                                    examples=["Two-tier area: district and county councils."])
    bank_holidays: Nation | None = Field(None, description="Overrides the registry's nation.",
                                         examples=["scotland"])


class AreaPolicyDoc(_Strict):
    """Required cover in one area."""

    model_config = ConfigDict(title="Area policy")

    max_gap_hours: float = Field(ge=0, description="Longest allowed gap; 0 means 24/7.",
                                 examples=[0, 36])


class PolicyDoc(_Strict):
    """Required cover, checked by `remitctl gaps --check`."""

    model_config = ConfigDict(title="Policy")

    max_gap_hours: float = Field(ge=0, description="Longest allowed gap in hours; 0 means 24/7.",
                                 examples=[0, 12])
    areas: dict[str, AreaPolicyDoc] = Field(default_factory=dict,
                                            description="Per-area overrides.",
                                            examples=[{"kingsbridge": {"max_gap_hours": 0}}],
                                            json_schema_extra=_IDS)


class IssueDoc(_Strict):
    """An issue type officers meet, whose remit belongs to someone."""

    model_config = ConfigDict(title="Issue type")

    title: str = Field(description="What officers call it. Must not name another issue.",
                       examples=["Noise nuisance"])
    aliases: list[str] = Field(default_factory=list, description="Words officers type.",
                               examples=[["loud music", "barking dog"]])
    keywords: list[str] = Field(
        default_factory=list, description="More words and phrases officers use for it, for "
        "the search (`remitctl who dead body`): abbreviations, slang, what they see. Unlike "
        "aliases they may be shared by several issue types.",
        examples=[["jumper", "threatening to jump", "amhp"]])
    remit: str | None = Field(None, description="Whose job it is, in a sentence.",
                              examples=["Statutory nuisance is the local authority's to "
                                        "investigate."])
    legal_basis: str | None = Field(None, description="The law that gives the remit.",
                                    examples=["Environmental Protection Act 1990, ss.79-80"])
    cover: dict[str, list[str]] = Field(
        description="Area id or 'default' → service lines (agency/service), in order of "
        "preference. An empty list means nobody covers that area.",
        examples=[{"default": ["kingsbridge-cc/env-health", "kingsbridge-cc/noise-patrol"],
                   "north-moor": ["north-moor-dc/env-health"]}],
        json_schema_extra={**_IDS, "additionalProperties": {"type": "array",
                                                            "items": {"type": "string", **_REF}}},
    )
    fallback: str | None = Field(None, description="agency/service that picks it up meanwhile.",
                                 examples=["police/control-room"], json_schema_extra=_REF)
    policy: PolicyDoc | None = Field(None, description="Required cover, checked by "
                                     "`remitctl gaps --check`.",
                                     examples=[{"max_gap_hours": 12}])


class RegistryDoc(_Strict):
    """remitctl registry: issue types, agencies, service lines, areas and hours."""

    model_config = ConfigDict(title="remitctl registry (remits.yaml)")

    version: Literal[1] = Field(description="Format version.", examples=[1])
    name: str = Field(description="What this registry covers.",
                      examples=["Severn Vale Constabulary area"])
    timezone: str = Field("Europe/London", description="IANA time zone of every hours value.",
                          examples=["Europe/London"])
    bank_holidays: Nation = Field("england-and-wales",
                                  description="Which UK bank holidays apply.",
                                  examples=["england-and-wales"])
    areas: dict[str, AreaDoc] = Field(
        default_factory=dict, description="Area id → area. Cover can differ by area.",
        examples=[{"kingsbridge": {"name": "Kingsbridge City (unitary)"}}],
        json_schema_extra=_IDS)
    agencies: dict[str, AgencyDoc] = Field(
        description="Agency id → agency and its service lines.",
        examples=[{"police": {"name": "Severn Vale Constabulary", "services": {
            "control-room": {"name": "Force Control Room", "contact": {"phone": "01632 960001"},
                             "hours": "24/7"}}}}],
        json_schema_extra=_IDS)
    issues: dict[str, IssueDoc] = Field(
        description="Issue id → issue type: who covers it where, and the fallback.",
        examples=[{"noise-nuisance": {"title": "Noise nuisance", "aliases": ["loud music"],
                                      "cover": {"default": ["kingsbridge-cc/env-health"]},
                                      "fallback": "police/control-room"}}],
        json_schema_extra=_IDS)


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The registry's JSON Schema, for editors (`remitctl schema`, remits.schema.json)."""
    return {"$schema": JSON_SCHEMA_DIALECT, **RegistryDoc.model_json_schema()}
