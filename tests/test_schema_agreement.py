"""The JSON Schema an editor checks with and `remitctl validate` agree on every rule about a
single value that the schema can express: each case goes through both (jsonschema on the
YAML 1.2 reading an editor makes, and the loader), and both accept it or both refuse it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from remitctl.registry.loader import check_text
from remitctl.registry.yaml_source import read_yaml

from conftest import BUNDLED, MINI, ROOT

SCHEMA: dict[str, Any] = json.loads((ROOT / "remits.schema.json").read_text(encoding="utf-8"))
OFFICE_CONTACT = 'contact: {phone: "01632 960100"}'

# (name, change to MINI, whether both must refuse it)
CASES: list[tuple[str, tuple[str, str], bool]] = [
    ("unchanged", ("", ""), False),
    ("contact with no key", (OFFICE_CONTACT, "contact: {}"), True),
    ("contact with only an empty key", (OFFICE_CONTACT, "contact: {phone: ~}"), True),
    ("contact with an empty key and another", (OFFICE_CONTACT,
                                               "contact: {phone: ~, other: Via control}"),
     False),
    ("unquoted phone", (OFFICE_CONTACT, "contact: {phone: 07700900101}"), True),
    ("short code as a number", (OFFICE_CONTACT, "contact: {phone: 101}"), True),
    ("phone with letters", (OFFICE_CONTACT, 'contact: {phone: "01632 CALL US"}'), True),
    ("phone with an extension", (OFFICE_CONTACT, 'contact: {phone: "01632 960100 ext 4"}'),
     False),
    ("phone with +44 (0)", (OFFICE_CONTACT, 'contact: {phone: "+44 (0)1632 960100"}'), False),
    ("email without @", (OFFICE_CONTACT, "contact: {email: noise.example.gov.uk}"), True),
    ("email", (OFFICE_CONTACT, "contact: {email: noise@example.gov.uk}"), False),
    ("web without scheme", (OFFICE_CONTACT, "contact: {web: www.example.gov.uk}"), True),
    ("web", (OFFICE_CONTACT, "contact: {web: https://www.example.gov.uk}"), False),
    ("blank other", (OFFICE_CONTACT, 'contact: {other: "  "}'), True),
    ("blank line name", ("name: Office", 'name: ""'), True),
    ("blank registry name", ("name: Test area", 'name: " "'), True),
    ("blank hours", ('hours: "Mo-Fr 09:00-17:00"', 'hours: ""'), True),
    ("blank alias", ("aliases: [stray dog]", 'aliases: [stray dog, " "]'), True),
    ("blank title", ("title: Stray dogs", 'title: ""'), True),
    ("services: {}", ('''    name: Test Police
    services:
      control-room:
        name: Control room
        contact: {phone: "01632 960000"}
        hours: "24/7"
''', "    name: Test Police\n    services: {}\n"), True),
    ("cover: {}", ("    cover:\n      default: [council/office]\n    fallback",
                   "    cover: {}\n    fallback"), True),
    ("agency_closures: ignore", ("        bank_holidays: normal\n",
                                 "        bank_holidays: normal\n"
                                 "        agency_closures: ignore\n"), False),
    ("agency_closures: sometimes", ("        bank_holidays: normal\n",
                                    "        bank_holidays: normal\n"
                                    "        agency_closures: sometimes\n"), True),
    ("negative policy", ("    fallback: police/control-room\n  dogs:",
                         "    fallback: police/control-room\n    policy: {max_gap_hours: -1}\n"
                         "  dogs:"), True),
    ("version 2", ("version: 1", "version: 2"), True),
    ("time zone", ("timezone: Europe/London", "timezone: Europe/Belfast"), False),
    ("time zone with a space", ("timezone: Europe/London", "timezone: Europe London"), True),
    ("unknown nation", ("bank_holidays: england-and-wales", "bank_holidays: wales"), True),
    ("date that does not exist", ("        bank_holidays: closed\n",
                                  "        bank_holidays: closed\n        verified: 2026-02-30\n"),
     True),
    ("bad id", ("  dogs:\n", "  Stray_Dogs:\n"), True),
    ("reference not agency/service", ("fallback: police/control-room\n  dogs",
                                      "fallback: control room\n  dogs"), True),
]


def _schema_refuses(text: str) -> list[str]:
    doc, problems = read_yaml(text, "r.yaml")
    assert problems == []
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(doc.data)]


def _validate_refuses(text: str) -> list[str]:
    return [p.message for p in check_text(text, "r.yaml").errors]


def test_the_bundled_registry_passes_both() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert _schema_refuses(text) == []
    assert _validate_refuses(text) == []


@pytest.mark.parametrize(("name", "change", "refused"), CASES, ids=[c[0] for c in CASES])
def test_schema_and_validate_agree(name: str, change: tuple[str, str], refused: bool) -> None:
    text = MINI.replace(*change, 1) if change[0] else MINI
    assert change[0] == "" or text != MINI, f"{name}: the change did not apply"
    by_schema = _schema_refuses(text)
    by_validate = _validate_refuses(text)
    assert bool(by_schema) is refused, by_schema
    assert bool(by_validate) is refused, by_validate
