"""The shape of `remits.yaml`, as pydantic models.

These models check types and keys and are the source of `remitctl schema`. Rules
that span the file (references, hours syntax, unique aliases) live in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from remitctl.registry.gss import GSS_PATTERN  # one pattern, with its rule

Nation = Literal["england-and-wales", "scotland", "northern-ireland"]

# Patterns the loader checks with its own messages; in the JSON Schema they let an
# editor flag a bad id or reference as it is typed.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
REF_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
_IDS: dict[str, Any] = {"propertyNames": {"pattern": ID_PATTERN}}
_REF: dict[str, Any] = {"pattern": REF_PATTERN}
# Rules on single values, in the models so that the JSON Schema an editor uses and
# `remitctl validate` agree; the loader words their errors for admins (loader.py).
TEXT = r"\S"  # not blank
PHONE_PATTERN = (r"^[+(]?[0-9][0-9 ()./-]*"
                 r"( ?([eE][xX][tT]\.?|[eE]xtension|[xX]) ?[0-9]{1,6})?$")
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"
WEB_PATTERN = r"^[hH][tT][tT][pP][sS]?://\S+$"
# The shape of an IANA time zone name; whether it exists is for validate, since the list
# of names depends on the machine's time zone database.
TIMEZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"
Text = Annotated[str, Field(pattern=TEXT)]


def _one_or_many(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


# One idea or a list of them (`vocabulary:`): read as a list, so that a wrong value gets
# the same words as any other list item.
Ideas = Annotated[list[Text], BeforeValidator(_one_or_many), WithJsonSchema({"anyOf": [
    {"type": "string", "pattern": TEXT},
    {"type": "array", "items": {"type": "string", "pattern": TEXT}, "minItems": 1}]})]


# A year of hours: a longer allowed gap means no policy at all.
MAX_GAP_HOURS = 8784


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClosureDoc(_Strict):
    """Whole days on which a line (or every line of an agency) is shut."""

    model_config = ConfigDict(title="Closure")

    start: dt.date = Field(alias="from", description="First day closed.", examples=["2026-12-24"])
    end: dt.date = Field(alias="to", description="Last day closed (inclusive).",
                         examples=["2027-01-01"])
    reason: str = Field(description="Shown to officers.", examples=["Christmas shutdown"])


class DatedHoursDoc(_Strict):
    """Whole days on which a line keeps other hours than its usual week's."""

    model_config = ConfigDict(title="Dated hours")

    start: dt.date = Field(alias="from", description="First day with these hours.",
                           examples=["2026-12-29"])
    end: dt.date | None = Field(None, alias="to", description="Last day with these hours "
                                "(inclusive); without it, the one day `from`.",
                                examples=["2026-12-31"])
    hours: str = Field(description="What replaces the day's usual hours, in quotes: time "
                       "spans (\"00:00-24:00\", \"09:00-12:00\", \"20:00-02:00\"), "
                       "\"off\" or \"unknown\".",
                       examples=["00:00-24:00", "09:00-12:00", "off"], pattern=TEXT)
    reason: str = Field(description="Shown to officers.", examples=["Christmas cover"],
                        pattern=TEXT)


class ContactDoc(_Strict):
    """How officers reach a service line. At least one channel is required."""

    # At least one channel with a value: `phone: ~` alone is no contact (the loader's rule).
    model_config = ConfigDict(title="Contact", json_schema_extra={"anyOf": [
        {"required": [key], "properties": {key: {"type": "string"}}}
        for key in ("phone", "email", "web", "other")]})

    phone: str | None = Field(None, description="Number officers ring, in quotes: a UK number "
                              "with its area code, or a short code such as 101. Digits, "
                              "spaces, + ( ) - . / and an extension (ext 12) only.",
                              examples=["01632 960101"], pattern=PHONE_PATTERN)
    email: str | None = Field(None, description="Email address for reports.",
                              examples=["noise@kingsbridge.example.gov.uk"],
                              pattern=EMAIL_PATTERN)
    web: str | None = Field(None, description="Web page or form, starting https:// or http://.",
                            examples=["https://kingsbridge.example.gov.uk/noise"],
                            pattern=WEB_PATTERN)
    other: str | None = Field(None, description="Any other route, in words.",
                              examples=["Via the force control room only"], pattern=TEXT)


class ServiceDoc(_Strict):
    """One service line of an agency: a desk, a patrol, a duty team."""

    model_config = ConfigDict(title="Service line")

    name: str = Field(description="The line's name as officers know it.",
                      examples=["Environmental Protection (noise)"], pattern=TEXT)
    contact: ContactDoc = Field(description="At least one of phone, email, web or other.",
                                examples=[{"phone": "01632 960101",
                                           "email": "noise@kingsbridge.example.gov.uk"}])
    hours: str = Field(
        description="OpenStreetMap opening_hours. Do not use PH or SH: see bank_holidays.",
        examples=["Mo-Fr 09:00-17:00", "24/7", "Fr,Sa 20:00-03:00"], pattern=TEXT,
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
    dated_hours: list[DatedHoursDoc] = Field(
        default_factory=list, description="Whole days on which other hours replace the usual "
        "week's: under closures, over bank_holidays. Days may not overlap.",
        examples=[[{"from": "2026-12-29", "to": "2026-12-31", "hours": "00:00-24:00",
                    "reason": "Christmas cover"}]])
    fallback: str | None = Field(None, description="agency/service that takes calls while closed.",
                                 examples=["police/control-room"], json_schema_extra=_REF)
    notes: str | None = Field(None, description="Anything else officers should know.",
                              examples=["Reached only via the police control room."],
                              pattern=TEXT)
    agency_closures: Literal["apply", "ignore"] = Field(
        "apply", description="Whether the agency's closures shut this line too: apply "
        "(the default) or ignore, for a 24/7 or out-of-hours line that keeps running "
        "while the rest of the agency is closed. The line's own closures always apply.",
        examples=["ignore"])
    verified: dt.date | None = Field(None, description="When the details were last checked.",
                                     examples=["2026-10-12"])


class AgencyDoc(_Strict):
    """An organisation with one or more service lines."""

    model_config = ConfigDict(title="Agency")

    name: str = Field(description="The organisation's name.",
                      examples=["Kingsbridge City Council"], pattern=TEXT)
    kind: str | None = Field(None, description="What sort of body it is, in words.",
                             examples=["unitary council", "NHS trust"], pattern=TEXT)
    closures: list[ClosureDoc] = Field(
        default_factory=list, description="Closures that apply to every line.",
        examples=[[{"from": "2026-12-24", "to": "2027-01-01",
                    "reason": "Christmas and New Year shutdown"}]])
    services: dict[str, ServiceDoc] = Field(
        min_length=1,
        description="Service id → service line. Elsewhere a line is named agency-id/service-id. "
        "At least one.",
        examples=[{"control-room": {"name": "Force Control Room",
                                    "contact": {"phone": "01632 960001"}, "hours": "24/7"}}],
        json_schema_extra=_IDS)


class AreaDoc(_Strict):
    """A place where incidents happen and whose cover may differ from its neighbours'."""

    model_config = ConfigDict(title="Area")

    name: str = Field(description="The area's name as officers know it.",
                      examples=["North Moor District"], pattern=TEXT)
    description: str | None = Field(None, description="Who does what here, in words.",
                                    examples=["Two-tier area: district and county councils."],
                                    pattern=TEXT)
    bank_holidays: Nation | None = Field(None, description="Overrides the registry's nation.",
                                         examples=["scotland"])
    # Shapes are checked by registry/gss.py with its own words; the pattern is for editors.
    gss: list[str] = Field(
        default_factory=list, description="ONS (GSS) codes of the councils this area stands "
        "for, so that a postcode finds it: a district, unitary, London borough or "
        "metropolitan district (E06, E07, E08, E09), a county (E10), W06, S12 or N09.",
        examples=[["E07000136"], ["E10000019"]],
        json_schema_extra={"items": {"type": "string", "pattern": GSS_PATTERN},
                           "uniqueItems": True})


class AreaPolicyDoc(_Strict):
    """Required cover in one area."""

    model_config = ConfigDict(title="Area policy")

    max_gap_hours: float = Field(ge=0, le=MAX_GAP_HOURS, allow_inf_nan=False,
                                 description="Longest allowed gap; 0 means 24/7.",
                                 examples=[0, 36])


class PolicyDoc(_Strict):
    """Required cover, checked by `remitctl gaps --check`."""

    model_config = ConfigDict(title="Policy")

    max_gap_hours: float = Field(ge=0, le=MAX_GAP_HOURS, allow_inf_nan=False,
                                 description="Longest allowed gap in hours; 0 means 24/7.",
                                 examples=[0, 12])
    areas: dict[str, AreaPolicyDoc] = Field(default_factory=dict,
                                            description="Per-area overrides.",
                                            examples=[{"kingsbridge": {"max_gap_hours": 0}}],
                                            json_schema_extra=_IDS)


class IssueDoc(_Strict):
    """An issue type officers meet, whose remit belongs to someone."""

    model_config = ConfigDict(title="Issue type")

    title: str = Field(description="What officers call it. Must not name another issue.",
                       examples=["Noise nuisance"], pattern=TEXT)
    aliases: list[Text] = Field(default_factory=list, description="Words officers type.",
                               examples=[["loud music", "barking dog"]])
    codes: list[str] = Field(
        default_factory=list,
        description="The force's own incident codes for this issue type, as its "
        "command-and-control or crime system exports them (read by `remitctl evidence`). "
        "A code names one issue type.",
        examples=[["NOISE", "ASB-NOISE"]])
    keywords: list[str] = Field(
        default_factory=list, description="More words and phrases officers use for it, for "
        "the search (`remitctl who dead body`): abbreviations, slang, what they see. Unlike "
        "aliases they may be shared by several issue types.",
        examples=[["jumper", "threatening to jump", "amhp"]])
    remit: str | None = Field(None, description="Whose job it is, in a sentence.",
                              examples=["Statutory nuisance is the local authority's to "
                                        "investigate."], pattern=TEXT)
    legal_basis: str | None = Field(None, description="The law that gives the remit.",
                                    examples=["Environmental Protection Act 1990, ss.79-80"],
                                    pattern=TEXT)
    cover: dict[str, list[str]] = Field(
        min_length=1,
        description="Area id or 'default' → service lines (agency/service), in order of "
        "preference. An empty list means nobody covers that area. At least one entry.",
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
                      examples=["Severn Vale Constabulary area"], pattern=TEXT)
    timezone: str = Field("Europe/London", description="IANA time zone of every hours value "
                          "(validate checks that the name exists).",
                          examples=["Europe/London"], pattern=TIMEZONE_PATTERN)
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
    vocabulary: dict[Text, Ideas] = Field(
        default_factory=dict,
        description="The force's own words for the search, over the bundled UK policing "
        "vocabulary (docs/vocabulary.md): a term or phrase officers type → the idea, or "
        "ideas, it means in the words of the issue types here. The idea 'threat to life' "
        "makes the search answer with an urgent issue type first.",
        examples=[{"op bluebell": "county lines", "went over the top": ["suicidal",
                                                                          "threat to life"]}])
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
