"""Hours in the registry: what is refused, what is warned about, and what must simply be
evaluated right (overnight spans)."""

from __future__ import annotations

import json

import pytest

from remitctl.registry.loader import parse_registry
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
