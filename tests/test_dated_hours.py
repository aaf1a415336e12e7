"""Dated hours (`dated_hours:` on a service line): whole days whose hours replace the usual
week's, under closures and over bank holidays, by the calendar's whole-day rules; named by
who, gaps and diff; refused shapes located; a dated rule in hours: pointed at the new key."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

REGISTRY = """\
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
  council:
    name: Test Council
    services:
      edt:
        name: Emergency Duty Team
        contact: {phone: "01632 960199"}
        hours: "Mo-Fr 00:00-08:30,17:00-24:00; Sa,Su 00:00-24:00"
        bank_holidays: closed
        dated_hours:
          - {from: 2026-12-29, to: 2026-12-31, hours: 00:00-24:00, reason: Christmas cover}
          - from: 2026-12-24
            hours: off
            reason: Team training
          - {from: 2026-12-25, hours: "10:00-14:00", reason: Christmas Day rota}
          - {from: 2027-01-04, hours: unknown, reason: Rota not yet agreed}
        closures:
          - {from: 2026-12-31, to: 2026-12-31, reason: Office move}
      patrol:
        name: Noise patrol
        contact: {phone: "07700 900100"}
        hours: "Fr,Sa 20:00-03:00"
        bank_holidays: normal
        dated_hours:
          - {from: 2026-12-31, hours: "20:00-04:00", reason: New Year's Eve patrol}
          - {from: 2026-12-11, hours: "off", reason: Staff party}
issues:
  kids:
    title: Child at risk
    cover: {default: [council/edt]}
    fallback: police/control-room
  noise:
    title: Noise nuisance
    cover: {default: [council/patrol]}
    fallback: police/control-room
"""

Invoke = Callable[..., object]


@pytest.fixture
def reg(write_registry: Callable[[str, str], Path], clock: Callable[[str], None]) -> Path:
    clock("2026-12-01T12:00")
    return write_registry(REGISTRY, "dated.yaml")


def short(invoke: Invoke, path: Path, issue: str, at: str) -> str:
    result = invoke("who", issue, "-s", "--at", at, "-r", str(path))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return result.stdout.splitlines()[1]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("issue", "at", "line"), [
    # A weekday's daytime gap filled by dated hours (Wed 30 Dec 12:00).
    ("kids", "2026-12-30T12:00",
     "COVERED   Emergency Duty Team  01632 960199  until Thu 00:00"),
    # Dated 'off' replaces the usual night too (Thu 24 Dec 20:00).
    ("kids", "2026-12-24T20:00", "NOBODY    ring Control room  01632 960000  cover Fri 10:00"),
    # Over the bank holiday rule (closed): Christmas Day 10:00-14:00.
    ("kids", "2026-12-25T11:00", "COVERED   Emergency Duty Team  01632 960199  until 14:00"),
    # Under closures: the office move wins on 31 Dec.
    # (Friday 1 January is New Year's Day: closed on bank holidays.)
    ("kids", "2026-12-31T12:00", "NOBODY    ring Control room  01632 960000  cover Sat 00:00"),
    # 'unknown' is uncertain cover.
    ("kids", "2027-01-04T12:00",
     "UNCERTAIN maybe Emergency Duty Team  01632 960199  cover Tue 00:00"),
    # Dated hours' own night runs into the next day (Thu 31 Dec 20:00-04:00).
    ("noise", "2027-01-01T03:00", "COVERED   Noise patrol  07700 900100  until 04:00"),
    # A dated 'off' Friday cancels the night that would start on it (rule 4).
    ("noise", "2026-12-12T01:00", "NOBODY    ring Control room  01632 960000  cover 20:00"),
])
def test_dated_hours_through_who(invoke: Invoke, reg: Path, issue: str, at: str,
                                 line: str) -> None:
    assert short(invoke, reg, issue, at) == line


def test_who_names_the_dated_change(invoke: Invoke, reg: Path) -> None:
    result = invoke("who", "kids", "--at", "2026-12-30T12:00", "-r", str(reg))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert ("  dated hours     Test Council · Emergency Duty Team: Christmas cover "
            "(00:00-24:00, 29 Dec – 31 Dec 2026)") in result.stdout.splitlines()  # type: ignore[attr-defined]
    result = invoke("who", "kids", "--at", "2026-12-24T12:00", "-r", str(reg), "--json")
    [answer] = json.loads(result.stdout)["answers"]  # type: ignore[attr-defined]
    assert answer["dated_hours"] == [{"service": "council/edt", "reason": "Team training",
                                      "hours": "off", "from": "2026-12-24",
                                      "to": "2026-12-24"}]
    # A closure hides the dated hours under it: only the closure is named.
    result = invoke("who", "kids", "--at", "2026-12-31T12:00", "-r", str(reg), "--json")
    [answer] = json.loads(result.stdout)["answers"]  # type: ignore[attr-defined]
    assert answer["dated_hours"] == []
    assert [c["reason"] for c in answer["closures"]] == ["Office move"]


def test_gaps_lists_dated_hours_among_the_causes(invoke: Invoke, reg: Path) -> None:
    result = invoke("gaps", "kids", "--from", "2026-12-24", "--days", "1", "-r", str(reg),
                    "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    doc = json.loads(result.stdout)  # type: ignore[attr-defined]
    [gap] = doc["reports"][0]["gaps"]
    # The EDT's usual 00:00-08:30 and 17:00-24:00, taken away by the dated 'off'.
    assert [(c["start"], c["end"], c["dated_hours"]) for c in gap["causes"]] == [
        ("2026-12-24T00:00:00Z", "2026-12-24T08:30:00Z",
         [{"service": "council/edt", "reason": "Team training"}]),
        ("2026-12-24T17:00:00Z", "2026-12-25T00:00:00Z",
         [{"service": "council/edt", "reason": "Team training"}])]
    text = invoke("gaps", "kids", "--from", "2026-12-24", "--days", "1", "-r", str(reg))
    assert "because of dated hours: Team training" in text.stdout  # type: ignore[attr-defined]


def test_diff_shows_dated_hours(invoke: Invoke, reg: Path,
                                write_registry: Callable[[str, str], Path]) -> None:
    after = write_registry(REGISTRY.replace("reason: Staff party", "reason: Staff do"),
                           "after.yaml")
    result = invoke("diff", str(reg), str(after))
    assert ('      dated_hours: "2026-12-31 to 2026-12-31 20:00-04:00 (New Year\'s Eve '
            'patrol), 2026-12-11 to 2026-12-11 off (Staff party)" → "2026-12-31 to '
            '2026-12-31 20:00-04:00 (New Year\'s Eve patrol), 2026-12-11 to 2026-12-11 off '
            '(Staff do)"') in result.stdout.splitlines()  # type: ignore[attr-defined]


BAD = [
    ('- {from: 2026-12-11, hours: "off", reason: Staff party}',
     '- {from: 2026-12-11, hours: "Fr 09:00-12:00", reason: Staff party}',
     "error: dated hours 'Fr 09:00-12:00' are not time spans, 'off' or 'unknown'"),
    ('- {from: 2026-12-11, hours: "off", reason: Staff party}',
     '- {from: 2026-12-11, hours: "09:00-25:61", reason: Staff party}',
     "error: dated hours '09:00-25:61' are not time spans, 'off' or 'unknown'"),
    ('- {from: 2026-12-11, hours: "off", reason: Staff party}',
     '- {from: 2026-12-11, to: 2026-12-10, hours: "off", reason: Staff party}',
     "error: dated hours 'Staff party' end on 2026-12-10 but start on 2026-12-11"),
    ('- {from: 2026-12-11, hours: "off", reason: Staff party}',
     '- {from: 2026-12-30, hours: "off", reason: Staff party}',
     "error: dated hours 'Staff party' overlap \"New Year's Eve patrol\" (line 45) on "
     "2026-12-31"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_refused_dated_hours_are_located(invoke: Invoke, reg: Path,
                                         write_registry: Callable[[str, str], Path],
                                         old: str, new: str, message: str) -> None:
    text = REGISTRY.replace(old, new)
    if "2026-12-30" in new:
        text = text.replace(new, new.replace("2026-12-30", "2026-12-31"))
        message = message.replace("2026-12-31\"", "")
    path = write_registry(text, "bad.yaml")
    result = invoke("validate", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "Staff party" in x)
    found = [x for x in result.stdout.splitlines() if ": error: " in x]  # type: ignore[attr-defined]
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{line}:")
    assert message.split(" (line")[0] in found[0]


def test_a_dated_rule_in_hours_gets_the_exact_replacement(
        invoke: Invoke, write_registry: Callable[[str, str], Path]) -> None:
    text = REGISTRY.replace('hours: "Fr,Sa 20:00-03:00"',
                            'hours: "Fr,Sa 20:00-03:00; 2026 Dec 29-31 00:00-24:00"')
    path = write_registry(text, "selector.yaml")
    result = invoke("validate", str(path), "--as-of", "2026-12-01")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert ('  hint: hours are a typical week; dated changes go in dated_hours: under the line: '
            'write hours: "Fr,Sa 20:00-03:00" and dated_hours: [{from: 2026-12-29, to: '
            '2026-12-31, hours: "00:00-24:00", reason: "…"}], with the reason officers are '
            'shown') in result.stdout.splitlines()  # type: ignore[attr-defined]


def test_show_lists_a_lines_dated_hours(invoke: Invoke, reg: Path) -> None:
    # Unquoted in the file (`hours: off`, `hours: 00:00-24:00`): still read as text.
    out = invoke("show", "council/edt", "-r", str(reg)).stdout  # type: ignore[attr-defined]
    assert [x for x in out.splitlines() if x.startswith("  dated hours")] == [
        "  dated hours    00:00-24:00, 29 Dec – 31 Dec 2026: Christmas cover",
        "  dated hours    off, 24 Dec 2026: Team training",
        "  dated hours    10:00-14:00, 25 Dec 2026: Christmas Day rota",
        "  dated hours    unknown, 04 Jan 2027: Rota not yet agreed"]
