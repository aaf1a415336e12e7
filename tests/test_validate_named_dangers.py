"""Dangers that used to pass validate, and warnings that named the wrong danger (issue 18):
a closure that leaves part of a day uncovered, last year's closure dates, a 24/7 line shut
on bank holidays whose issues have an open fallback, a fallback shut when it is needed."""

from __future__ import annotations

import json
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


SHUT_FALLBACK = """\
version: 1
name: Test area
agencies:
  council:
    name: Test Council
    services:
      env-health:
        name: Environmental Health
        contact: {phone: "01632 960401"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: normal
        verified: 2026-11-01
      patrol:
        name: Noise patrol
        contact: {phone: "07700 900100"}
        hours: "Mo-Su 00:00-09:00,17:00-24:00; Sa,Su 00:00-24:00"
        bank_holidays: normal
        verified: 2026-11-01
        dated_hours:
          - {from: 2026-12-31, hours: "off", reason: Staff party}
issues:
  noise:
    title: Noise nuisance
    cover: {default: [council/patrol]}
    fallback: council/env-health
"""


def test_a_fallback_shut_when_it_is_needed_is_flagged_at_the_fallback(
        invoke: Invoke, write_registry: Callable[[str, str], Path]) -> None:
    # 'Mo-Fr 17:00-09:00' has no Sunday night: Monday 00:00-09:00 has nobody, and the
    # office is shut then (a typical week).
    weekend = SHUT_FALLBACK.replace('"Mo-Su 00:00-09:00,17:00-24:00; Sa,Su 00:00-24:00"',
                                    '"Mo-Fr 17:00-09:00"')
    code, out = validate(invoke, write_registry, weekend)
    assert code == 0
    assert out.splitlines() == [
        "remits.yaml:25:15: warning: noise: nobody covers it and its fallback "
        "council/env-health is closed too, first at Mon 00:00 in a typical week: officers "
        "would be told to ring a closed line",
        "  hint: name a fallback that is open whenever the cover is not (usually the police "
        "control room, 24/7), or give council/env-health a 'fallback:' of its own that is "
        "open then",
        "remits.yaml: valid: 0 errors, 1 warning"]
    # A typical week is fine; New Year's Eve night is not (the patrol's dated 'off').
    code, out = validate(invoke, write_registry, SHUT_FALLBACK)
    assert out.splitlines()[0] == (
        "remits.yaml:25:15: warning: noise: nobody covers it and its fallback "
        "council/env-health is closed too, first at Thu 31 Dec 2026 00:00: officers would be "
        "told to ring a closed line")
    assert validate(invoke, write_registry, SHUT_FALLBACK, "2026-12-01", "--strict")[0] == 1
    # A fallback of its own, open then, settles it.
    fixed = SHUT_FALLBACK.replace(
        "        bank_holidays: normal\n        verified: 2026-11-01\n      patrol:",
        "        bank_holidays: normal\n        verified: 2026-11-01\n"
        "        fallback: police/control-room\n      patrol:").replace(
        "agencies:\n", 'agencies:\n  police:\n    name: Test Police\n    services:\n'
        '      control-room:\n        name: Control room\n'
        '        contact: {phone: "01632 960000"}\n        hours: "24/7"\n'
        '        verified: 2026-11-01\n')
    assert validate(invoke, write_registry, fixed) == (
        0, "remits.yaml: valid: 0 errors, 0 warnings\n")


def test_a_closed_fallback_is_marked_in_every_output(
        invoke: Invoke, write_registry: Callable[[str, str], Path],
        clock: Callable[[str], None]) -> None:
    clock("2026-12-31T23:00")
    path = str(write_registry(SHUT_FALLBACK, "remits.yaml"))
    full = invoke("who", "noise", "-r", path).stdout  # type: ignore[attr-defined]
    assert ("  meanwhile      Test Council · Environmental Health  01632 960401 "
            "(closed now, opens Fri 09:00)") in full.splitlines()
    short = invoke("who", "noise", "-s", "-r", path).stdout  # type: ignore[attr-defined]
    assert short.splitlines()[1] == (
        "NOBODY    ring Environmental Health  01632 960401 (closed now, opens Fri 09:00)  "
        "cover Fri 00:00")
    now = invoke("now", "-r", path).stdout  # type: ignore[attr-defined]
    assert ("NOBODY COVERING (1)  meanwhile ring Environmental Health  01632 960401 "
            "(closed now, opens Fri 09:00)") in now.splitlines()
    now_short = invoke("now", "-s", "-r", path).stdout  # type: ignore[attr-defined]
    assert ("noise  NOBODY    ring Environmental Health  01632 960401 (closed now, opens Fri "
            "09:00)  cover Fri 00:00") in now_short.splitlines()
    doc = json.loads(invoke("who", "noise", "--json", "-r", path).stdout)  # type: ignore[attr-defined]
    [step] = doc["answers"][0]["fallback"]
    assert (step["state"], step["opens"]) == ("closed", "2027-01-01T09:00:00Z")
    # At a moment asked with --at, the state is 'then'.
    later = invoke("who", "noise", "-s", "--at", "2026-12-31T05:00", "-r", path).stdout  # type: ignore[attr-defined]
    assert later.splitlines()[1] == (
        "NOBODY    ring Environmental Health  01632 960401 (closed then, opens 09:00)  "
        "cover Fri 00:00")
