"""Hours in the registry: what is refused, what is warned about, and what must simply be
evaluated right (overnight spans)."""

from __future__ import annotations

import json

import pytest

from corpus import registered
from remitctl.registry.hours_lint import zero_length_span_warnings, zero_length_spans
from remitctl.registry.loader import check_text, parse_registry
from remitctl.registry.problems import RegistryError

from conftest import MINI

MONDAY_NOON = "2026-06-08T12:00"  # an ordinary Monday (the late May bank holiday was 25 May)


def _office_bank_holidays(value: str) -> str:
    registry = MINI.replace("        bank_holidays: closed\n", f"        bank_holidays: {value}\n")
    assert registry != MINI
    return registry


@pytest.mark.parametrize("value", ['"00:00-24:00; Mo off"', '"10:00-16:00 || closed"',
                                   '"Mo 10:00-16:00"', '"10:00-16:00, Mo off"'])
def test_bank_holiday_hours_cannot_reach_ordinary_days(value: str) -> None:
    """The value is appended to a rule for the bank-holiday dates: a ';', '||' or day
    selector in it became a rule of its own and closed the office every Monday."""
    with pytest.raises(RegistryError) as caught:
        parse_registry(_office_bank_holidays(value), "r.yaml")
    [problem] = caught.value.problems
    assert problem.message.startswith(f"bank_holidays {json.loads(value)!r} is not closed")
    assert (problem.line, problem.column) == (23, 24)


@pytest.mark.parametrize("value", ['"10:00-16:00"', '"08:00-12:00, 13:00-17:00"',
                                   '"00:00-24:00"', '"22:00-26:00"', "off", "no",
                                   "normal", "unknown", '"10:00-14:00 unknown \\"rota\\""'])
def test_bank_holiday_hours_that_are_time_spans_load(value: str, invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(_office_bank_holidays(value))
    result = invoke("who", "dogs", "--at", MONDAY_NOON, "--json", "-r", str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answers"][0]["status"] == "covered"


# -- spans that parse but are probably mistakes -----------------------------------------------

@pytest.mark.parametrize(("expression", "found"), [
    ("09:00-09:00", [(0, "09:00-09:00")]),
    ("Mo-Fr 09:00-09:00", [(6, "09:00-09:00")]),
    ("Mo 10:00-10:00,12:00-13:00", [(3, "10:00-10:00")]),
    ("9:00-09:00", [(0, "9:00-09:00")]),
    ("Mo-Fr 09:00 - 09:00", [(6, "09:00 - 09:00")]),
    ("22:00-22:00; Sa 00:00-00:00", [(0, "22:00-22:00"), (16, "00:00-00:00")]),
    ("00:00-24:00", []),  # all day, as meant
    ("Mo-Fr 17:00-09:00", []),  # overnight, as meant
    ("24/7", []),
    ('Mo 10:00-12:00 "09:00-09:00 in a comment"', []),
])
def test_zero_length_spans(expression: str, found: list[tuple[int, str]]) -> None:
    assert [(s.offset, s.text) for s in zero_length_spans(expression)] == found


ZERO = MINI.replace('hours: "Mo-Fr 09:00-17:00"', 'hours: "Mo-Fr 09:00-09:00"')


def test_a_zero_length_span_is_a_warning_at_its_value() -> None:
    checked = check_text(ZERO, "r.yaml")
    assert checked.registry is not None and checked.errors == []
    [warning] = zero_length_span_warnings(checked.registry, checked.doc)
    assert warning.format() == (
        "r.yaml:22:16: warning: council/office: hours span '09:00-09:00' starts and ends at "
        "09:00, which opening_hours reads as 24 hours from 09:00, not as closed\n"
        "  hint: for all day write 00:00-24:00; for closed leave the day out or write 'off'; "
        "for an overnight span check the times")


def test_a_zero_length_span_loads_and_is_evaluated_as_opening_hours_reads_it(
        invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(ZERO)
    for at, status in (("2026-06-05T23:00", "covered"),  # Fri 09:00 → Sat 09:00
                       ("2026-06-06T08:59", "covered"), ("2026-06-06T09:00", "uncovered"),
                       ("2026-06-08T08:59", "uncovered"), ("2026-06-08T09:00", "covered")):
        result = invoke("who", "dogs", "--at", at, "--json", "-r", str(path))
        assert result.exit_code == 0 and "warning" not in result.stderr
        assert json.loads(result.stdout)["answers"][0]["status"] == status, at


@pytest.mark.skipif("validate" not in registered(), reason="validate is not on this branch")
def test_validate_warns_about_a_zero_length_span(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(ZERO)
    result = invoke("validate", str(path), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert f"{path}:22:16: warning: council/office: hours span '09:00-09:00'" in result.stdout
    strict = invoke("validate", str(path), "--as-of", "2026-06-01", "--strict")
    assert strict.exit_code == 1
