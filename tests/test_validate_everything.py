"""`validate` reports every independent problem in one run (issue 18): a generated registry
with many problems of many kinds, each in its own agency or issue, gets every one
reported at its line; fixing exactly those leaves no error (no hidden second wave).
Repeats are grouped in text and github, and JSON keeps each problem as well as the groups.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

AS_OF = "2026-11-26"
MARK = "⟪"  # starts the line of an injected problem in the generated text


@dataclass(frozen=True)
class Kind:
    """One kind of mistake: how an agency's block reads with it, and fixed."""

    name: str
    broken: Callable[[int], str]
    fixed: Callable[[int], str]


def _line(n: int, *, phone: str | None = None, web: str = "", extra: str = "",
          hours: str = '"Mo-Fr 09:00-17:00"', bank: str = "        bank_holidays: closed\n",
          name: str | None = None, closure: str = "") -> str:
    phone = phone if phone is not None else f'"01632 960{n % 1000:03d}"'
    return (f"  ag{n}:\n    name: Agency {n}\n{closure}    services:\n      desk:\n"
            f"        name: {name if name is not None else f'Desk {n}'}\n"
            f"        contact:\n          phone: {phone}\n{web}"
            f"        hours: {hours}\n{bank}{extra}        verified: 2026-11-01\n")


def _closure(start: str, end: str, reason: str = "Shut") -> str:
    return (f"    closures:\n      - from: {start}\n        to: {end}\n"
            f"        reason: {reason}\n")


KINDS = [
    Kind("phone without quotes", lambda n: _line(n, phone=f"{MARK}01632960{n % 1000:03d}"),
         lambda n: _line(n)),
    Kind("web without https", lambda n: _line(n, web=f"          web: {MARK}ag{n}.example\n"),
         lambda n: _line(n, web=f"          web: https://ag{n}.example\n")),
    Kind("email without @", lambda n: _line(n, web=f"          email: {MARK}ag{n}.example\n"),
         lambda n: _line(n, web=f"          email: desk@ag{n}.example\n")),
    Kind("unknown key", lambda n: _line(n, extra=f"        {MARK}notse: call first\n"),
         lambda n: _line(n, extra="        notes: call first\n")),
    Kind("hours that do not parse", lambda n: _line(n, hours=f'{MARK}"Mo-Fr 9-17"'),
         lambda n: _line(n)),
    Kind("PH in hours", lambda n: _line(n, hours=f'{MARK}"Mo-Fr 09:00-17:00; PH off"'),
         lambda n: _line(n)),
    Kind("no bank_holidays", lambda n: _line(n, hours=f'{MARK}"Mo-Fr 09:00-17:00"', bank=""),
         lambda n: _line(n)),
    Kind("blank name", lambda n: _line(n, name=f'{MARK}""'), lambda n: _line(n)),
    Kind("hours as a number", lambda n: _line(n, hours=f"{MARK}5"), lambda n: _line(n)),
    Kind("unknown fallback", lambda n: _line(n, extra=f"        fallback: {MARK}police/desks\n"),
         lambda n: _line(n, extra="        fallback: police/desk\n")),
    Kind("closure ending before it starts",
         lambda n: _line(n, closure=_closure("2026-12-24", f"{MARK}2026-12-20")),
         lambda n: _line(n, closure=_closure("2026-12-20", "2026-12-24"))),
    Kind("bad date", lambda n: _line(n, closure=_closure("2026-12-24", f"{MARK}2026-13-01")),
         lambda n: _line(n, closure=_closure("2026-12-24", "2026-12-26"))),
    # The case issue 18 found: the agency's only line has a bad web address, and the
    # agency has a mistake of its own (a blank closure reason) that must not be hidden.
    Kind("bad web on an only line, and a closure with no reason",
         lambda n: _line(n, web=f"          web: {MARK}ag{n}.example\n",
                         closure=_closure("2026-12-24", "2026-12-26", f'{MARK}" "')),
         lambda n: _line(n, web=f"          web: https://ag{n}.example\n",
                         closure=_closure("2026-12-24", "2026-12-26"))),
]


def generate(per_kind: int, *, fixed: bool) -> str:
    """A registry with `per_kind` agencies of each kind (each with its mistake unless
    `fixed`) and issues that use them, some with mistakes of their own."""
    agencies, issues = [], []
    n = 0
    for kind in KINDS:
        for _ in range(per_kind):
            agencies.append((kind.fixed if fixed else kind.broken)(n))
            ref = f"ag{n}/desk" if fixed or n % 3 else f"{MARK}ag{n}/dsk"  # unknown line
            twice = not fixed and n % 4 == 1  # the alias of the issue before: names two
            alias = f"{MARK}alias {n - 1}" if twice else f"alias {n}"
            title = f'{MARK}""' if not fixed and n % 7 == 3 else f"Issue {n}"  # blank
            policy = (f"    policy: {{max_gap_hours: {MARK}lots}}\n" if not fixed and n % 5 == 2
                      else "")  # not a number, and the issue's other mistakes still count
            issues.append(f"  issue{n}:\n    title: {title}\n    aliases:\n      - alias {n}\n"
                          f"      - {alias}\n    cover:\n      default: [{ref}]\n"
                          f"    fallback: police/desk\n{policy}")
            n += 1
    return ("version: 1\nname: Generated\nbank_holidays: england-and-wales\nagencies:\n"
            "  police:\n    name: Police\n    services:\n      desk:\n        name: Desk\n"
            '        contact: {phone: "101"}\n        hours: "24/7"\n'
            "        verified: 2026-11-01\n" + "".join(agencies)
            + "issues:\n" + "".join(issues))


def injected(text: str) -> tuple[str, set[int]]:
    """The text without its marks, and the lines the marks were on."""
    lines = text.split("\n")
    return (text.replace(MARK, ""),
            {n + 1 for n, line in enumerate(lines) if MARK in line})


@pytest.mark.parametrize("per_kind", [1, 20])
def test_every_problem_is_reported_in_one_run(invoke, tmp_path: Path, per_kind: int) -> None:  # type: ignore[no-untyped-def]
    text, lines = injected(generate(per_kind, fixed=False))
    (tmp_path / "remits.yaml").write_text(text, encoding="utf-8")
    result = invoke("validate", str(tmp_path / "remits.yaml"), "--as-of", AS_OF,
                    "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)["files"][0]
    errors = [p for p in doc["problems"] if p["severity"] == "error"]
    assert {p["line"] for p in errors} == lines
    assert len(errors) == len(lines)  # one error for each mistake, none repeated

    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(generate(per_kind, fixed=True), encoding="utf-8")
    again = invoke("validate", str(fixed), "--as-of", AS_OF, "--format", "json")
    assert json.loads(again.stdout)["errors"] == 0, again.stdout
    assert again.exit_code == 0


def test_repeats_are_grouped_in_text_with_every_place(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text, lines = injected(generate(20, fixed=False))
    path = tmp_path / "remits.yaml"
    path.write_text(text, encoding="utf-8")
    out = invoke("validate", str(path), "--as-of", AS_OF).stdout
    headed = [ln for ln in out.splitlines() if ln.startswith(f"{path}:")]
    assert len(headed) < 80  # 500-odd problems, readable: a line per kind (and a few more)
    kinds = ("\n" + out).split(f"\n{path}")
    phones = next(ln for ln in kinds if "phone numbers without quotes" in ln)
    assert phones.startswith(": error: 20 phone numbers without quotes:")
    assert phones.count("hint: ") == 1
    # Every problem's place is there, in its group or on a line of its own.
    places = {int(m) for m in re.findall(r"(?<![\d.:])(\d+):\d+\b", out)}
    assert lines <= places


def test_json_keeps_each_problem_and_adds_the_groups(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text, _ = injected(generate(5, fixed=False))
    path = tmp_path / "remits.yaml"
    path.write_text(text, encoding="utf-8")
    doc = json.loads(invoke("validate", str(path), "--as-of", AS_OF, "--format", "json")
                     .stdout)["files"][0]
    problems, groups = doc["problems"], doc["groups"]
    assert len(problems) == doc["errors"] + doc["warnings"]
    phones = next(g for g in groups if g["kind"] == "phone numbers without quotes")
    assert phones["count"] == len(phones["problems"]) == 5
    assert {problems[i]["code"] for i in phones["problems"]} == {"type"}
    assert phones["hint"] == problems[phones["problems"][0]]["hint"]
    member = [i for g in groups for i in g["problems"]]
    assert len(member) == len(set(member))  # a problem is in one group at most


def test_github_lists_the_problems_past_ten_grouped(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text, _ = injected(generate(5, fixed=False))
    path = tmp_path / "remits.yaml"
    path.write_text(text, encoding="utf-8")
    out = invoke("validate", str(path), "--as-of", AS_OF, "--format", "github").stdout
    assert len([ln for ln in out.splitlines() if ln.startswith("::")]) == 10
    assert re.search(r"^  .*: error: 5 unknown keys: \d+:9 'notse', ", out, re.MULTILINE)
