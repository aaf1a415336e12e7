"""Dangers that used to pass validate, and warnings that named the wrong danger (issue 18):
a closure that leaves part of a day uncovered, last year's closure dates, a 24/7 line shut
on bank holidays whose issues have an open fallback, a fallback shut when it is needed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Invoke = Callable[..., object]

PARTIAL = """\
version: 1
name: Test area
agencies:
  council:
    name: Test Council
    closures:
      - {from: 2026-12-24, to: 2026-12-24, reason: Christmas Eve}
    services:
      csc:
        name: Children's social care
        contact: {phone: "01632 960300"}
        hours: "Mo-Fr 08:45-17:00"
        bank_holidays: closed
        verified: 2026-11-01
  county:
    name: County
    services:
      edt:
        name: Emergency Duty Team
        contact: {phone: "01632 960301"}
        hours: "Mo-Fr 00:00-08:45,17:00-24:00; Sa,Su 00:00-24:00"
        bank_holidays: "00:00-24:00"
        verified: 2026-11-01
issues:
  kids:
    title: Child at risk
    cover: {default: [council/csc, county/edt]}
"""


def validate(invoke: Invoke, write_registry: Callable[[str, str], Path], text: str,
             as_of: str = "2026-12-01", *extra: str) -> tuple[int, str]:
    path = write_registry(text, "remits.yaml")
    result = invoke("validate", str(path), "--as-of", as_of, *extra)
    return result.exit_code, result.stdout.replace(str(path), "remits.yaml")  # type: ignore[attr-defined]


def test_a_closure_that_leaves_part_of_a_day_uncovered_warns_without_a_policy(
        invoke: Invoke, write_registry: Callable[[str, str], Path]) -> None:
    code, out = validate(invoke, write_registry, PARTIAL)
    assert code == 0
    assert out.splitlines() == [
        "remits.yaml:7:9: warning: closure 'Christmas Eve' (24 Dec 2026) leaves nobody "
        "covering kids on Thu 24 Dec 08:45–17:00: kids has no fallback, so officers would "
        "get no one",
        "  hint: if a line keeps running during the closure, add 'agency_closures: ignore' "
        "under it; if this is meant, add 'agency_closures: apply' under each of the agency's "
        "lines in that cover to say so",
        "remits.yaml: valid: 0 errors, 1 warning"]
    code, out = validate(invoke, write_registry, PARTIAL, "2026-12-01", "--strict")
    assert code == 1
    # Dated hours that keep the duty team on all Christmas Eve close the hole.
    fixed = PARTIAL.replace('        bank_holidays: "00:00-24:00"\n',
                            '        bank_holidays: "00:00-24:00"\n        dated_hours:\n'
                            '          - {from: 2026-12-24, hours: "00:00-24:00", '
                            'reason: Council closed}\n')
    assert validate(invoke, write_registry, fixed) == (
        0, "remits.yaml: valid: 0 errors, 0 warnings\n")


def test_last_years_closure_dates_are_named_as_such(
        invoke: Invoke, write_registry: Callable[[str, str], Path]) -> None:
    text = PARTIAL.replace("{from: 2026-12-24, to: 2026-12-24, reason: Christmas Eve}",
                           "{from: 2025-12-24, to: 2025-12-26, reason: Christmas}")
    code, out = validate(invoke, write_registry, text)
    assert code == 0
    assert out.splitlines()[:2] == [
        "remits.yaml:7:9: warning: closure 2025-12-24 to 2025-12-26 ('Christmas') is in the "
        "past: did you mean 2026?",
        "  hint: if it is the coming closure, correct the year (from: 2026-12-24, to: "
        "2026-12-26); if it is over, remove it: past closures no longer change any answer"]
    # Just over (last month's): only past.
    code, out = validate(invoke, write_registry, text, "2026-01-20")
    assert out.splitlines()[:2] == [
        "remits.yaml:7:9: warning: closure 'Christmas' ended on 2025-12-26",
        "  hint: remove past closures: they no longer change any answer and hide the ones "
        "that do"]


CRISIS = """\
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
  nhs:
    name: Test NHS
    services:
      crisis:
        name: Crisis line
        contact: {phone: "01632 960500"}
        hours: "24/7"
        bank_holidays: closed
        verified: 2026-11-01
issues:
  mental-health:
    title: Mental health crisis
    cover: {default: [nhs/crisis]}
    fallback: police/control-room
"""


def test_a_24_7_line_shut_on_bank_holidays_with_an_open_fallback(
        invoke: Invoke, write_registry: Callable[[str, str], Path]) -> None:
    code, out = validate(invoke, write_registry, CRISIS)
    assert code == 0
    assert out.splitlines()[0] == (
        "remits.yaml:19:24: warning: nhs/crisis is a 24/7 line but shuts on bank holidays: "
        "on Christmas Day officers would get only the fallback for mental-health")
    bare = CRISIS.replace("    fallback: police/control-room\n", "")
    code, out = validate(invoke, write_registry, bare)
    assert out.splitlines()[2] == (
        "remits.yaml:19:24: warning: nhs/crisis is a 24/7 line but shuts on bank holidays: "
        "on Christmas Day officers would get no one for mental-health (no fallback)")
