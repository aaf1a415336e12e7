"""A closure costs the same whatever its length: validate, gaps (--check and a week) and who
evaluate only the days they look at. Counted, not timed: each local day a line's calendar
evaluates adds one to `calendar.DAY_EVALUATIONS`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remitctl.hours import calendar

BASE = """\
version: 1
name: Test area
agencies:
  police:
    name: Test Police
    services:
      control-room:
        name: Control room
        contact: {phone: "01632 960000"}
        hours: "24/7"
        verified: 2026-11-01
  council:
    name: Test Council
    closures:
      - {from: AGENCY_FROM, to: AGENCY_TO, reason: Shut}
    services:
      office:
        name: Office
        contact: {phone: "01632 960100"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
        verified: 2026-11-01
        closures:
          - {from: LINE_FROM, to: LINE_TO, reason: Later}
issues:
  noise:
    title: Noise nuisance
    cover: {default: [council/office]}
    fallback: police/control-room
    policy: {max_gap_hours: 80}
"""
# Huge: the widest closures the format allows; year: the same closures cut to the year
# validate and gaps --check look at; none: far in the past, outside every window.
VARIANTS = {
    "huge": ("1900-01-01", "2199-12-31", "2100-01-01", "2199-12-31"),
    "year": ("2026-12-01", "2027-12-01", "2026-12-01", "2027-12-01"),
    "none": ("1900-01-01", "1900-01-01", "1900-01-02", "1900-01-02"),
}
COMMANDS = {
    "validate": ["validate", "{path}", "--as-of", "2026-12-01"],
    "gaps --check": ["gaps", "--check", "-r", "{path}"],
    "gaps week": ["gaps", "--from", "2026-12-01", "-r", "{path}"],
    "who": ["who", "noise", "--at", "2026-12-01T12:00", "-r", "{path}"],
}


def count(invoke: Callable[..., object], args: list[str]) -> int:
    calendar.DAY_EVALUATIONS[0] = 0
    invoke(*args)
    return calendar.DAY_EVALUATIONS[0]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_closure_costs_the_days_looked_at(invoke: Callable[..., object],
                                           write_registry: Callable[[str, str], Path],
                                           clock: Callable[[str], None], command: str) -> None:
    clock("2026-12-01T12:00")
    counts = {}
    for name, (a, b, c, d) in VARIANTS.items():
        text = (BASE.replace("AGENCY_FROM", a).replace("AGENCY_TO", b)
                .replace("LINE_FROM", c).replace("LINE_TO", d))
        path = write_registry(text, f"{name}.yaml")
        counts[name] = count(invoke, [x.replace("{path}", str(path))
                                      for x in COMMANDS[command]])
    assert counts["none"] > 0
    # A closure over 300 years costs no more than one over the year looked at (give or take
    # the days past a window's edges a gap is followed into)...
    assert counts["huge"] <= counts["year"] + 20, counts
    # ...and at most two years of days per line: before, it was 109,572 days, twice.
    assert counts["huge"] <= 2 * 2 * 366 + 200, counts
