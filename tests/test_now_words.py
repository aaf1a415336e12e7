"""`now`'s words for cover that does not return within the look-ahead (5 weeks): it read
'cover from none within 5 weeks'."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# West's kennels are shut for months; East's office opens on Monday.
SHUT = """\
version: 1
name: Test area
timezone: Europe/London
bank_holidays: england-and-wales
areas:
  east: {name: East}
  west: {name: West}
agencies:
  police:
    name: Test Police
    services:
      control-room:
        name: Control room
        contact: {phone: "01632 960000"}
        hours: "24/7"
  council:
    name: Test Council
    services:
      office:
        name: Office
        contact: {phone: "01632 960100"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
  kennels:
    name: West Kennels
    closures:
      - {from: 2026-11-01, to: 2027-03-01, reason: Rebuilding}
    services:
      kennel:
        name: Kennel
        contact: {phone: "01632 960200"}
        hours: "24/7"
issues:
  dogs:
    title: Stray dogs
    cover:
      default: [council/office]
      west: [kennels/kennel]
    fallback: police/control-room
  tipping:
    title: Fly-tipping
    cover:
      default: [kennels/kennel]
    fallback: police/control-room
"""
HEAD = ["Closed that day: West Kennels · Kennel — Rebuilding (01 Nov – 01 Mar 2027)", "",
        "NOBODY COVERING (2)  meanwhile ring Control room  01632 960000"]


@pytest.fixture
def shut(write_registry: Callable[[str, str], Path], clock: Callable[[str], None]) -> Path:
    clock("2026-11-27T22:00")
    return write_registry(SHUT, "shut.yaml")


def test_no_cover_in_the_next_5_weeks_by_area(invoke, shut: Path) -> None:  # type: ignore[no-untyped-def]
    lines = invoke("now", "-r", str(shut)).stdout.splitlines()
    assert lines[1:6] == [
        *HEAD,
        "  Stray dogs — East: cover from Mon 09:00; West: no cover in the next 5 weeks",
        "  Fly-tipping — all areas: no cover in the next 5 weeks",
    ]


def test_no_cover_in_the_next_5_weeks_in_one_area(invoke, shut: Path) -> None:  # type: ignore[no-untyped-def]
    lines = invoke("now", "-r", str(shut), "-a", "west").stdout.splitlines()
    assert lines[1:6] == [
        *HEAD,
        "  Stray dogs: no cover in the next 5 weeks",
        "  Fly-tipping: no cover in the next 5 weeks",
    ]
    assert invoke("now", "-r", str(shut), "-a", "east").stdout.splitlines()[1:6] == [
        *HEAD,
        "  Stray dogs: cover from Mon 09:00",
        "  Fly-tipping: no cover in the next 5 weeks",
    ]
