"""Repeated findings said once: validate's policy warning and `gaps --check` give one message
per policy (and group of areas), the days in week order and the hours named."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import MINI

AS_OF = "2026-11-26"
NOISE_POLICY = ("      east: [council/office, council/patrol]\n"
                "    fallback: police/control-room\n")


def _registry(policy: str, west: str = "") -> str:
    text = re.sub(r"(\n        contact: .*\n)", r"\1        verified: 2026-11-01\n", MINI)
    return text.replace(NOISE_POLICY, "      east: [council/office, council/patrol]\n" + west
                        + "    fallback: police/control-room\n" + policy)


def test_one_validate_warning_per_policy_days_in_week_order(
        invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    text = _registry("    policy: {max_gap_hours: 0}\n")
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    assert result.exit_code == 0
    warnings = [ln for ln in result.stdout.splitlines() if ": warning: " in ln]
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "max_gap_hours: 0" in ln)
    assert warnings == [
        f"remits.yaml:{line}:29: warning: noise: cover policy breached: nobody covers it "
        "Mon–Thu 17:00–09:00, Fri 17:00–20:00, Sat 03:00–Mon 09:00 (121 h a week) in east; "
        "Mon–Thu 17:00–09:00, Fri 17:00–Mon "
        "09:00 (128 h a week) in west; the policy requires cover at all times"]
    assert result.stdout.count("  hint: ") == 1


def test_gaps_check_one_line_per_issue_and_area_with_the_worst_and_a_count(
        invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    write_registry(_registry("    policy: {max_gap_hours: 0}\n"))
    result = invoke("gaps", "--check")
    assert result.exit_code == 1
    errors = [ln for ln in result.stdout.splitlines() if ": error: " in ln]
    assert len(errors) == 2  # east and west, not one per gap
    east, west = errors
    assert "noise in East: no cover for up to 54 h (every week: Mon–Thu 17:00–09:00, Fri " \
        "17:00–20:00, Sat 03:00–Mon 09:00); 24/7 cover is required; at worst " in east
    assert "noise in West: no cover for up to 64 h (every week: Mon–Thu 17:00–09:00, Fri " \
        "17:00–Mon 09:00); 24/7 cover is required; at worst " in west
    assert west.endswith(" because of bank holidays or closures")
    assert "5 gaps too long every week, " in west
    found = re.search(r"(\d+) breaches in the dated window", west)
    assert found and int(found.group(1)) > 5 * 50  # every weeknight of a year


def test_an_area_nobody_covers_is_never_covered(
        invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    write_registry(_registry("    policy: {max_gap_hours: 24}\n", west="      west: []\n"))
    check = invoke("gaps", "--check")
    assert check.exit_code == 1
    assert ("noise in West: never covered: nobody covers it at any time; the policy allows "
            "24 h\n") in check.stdout
    assert "beyond" not in check.stdout and "over a week" not in check.stdout
    result = invoke("validate", "--as-of", AS_OF)
    assert ("nobody covers it at any time in west (never covered); Sat 03:00–Mon 09:00 (54 h "
            "every week) in east") in result.stdout


def test_a_dated_window_alone_counts_only_real_holiday_breaches_as_theirs(
        invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    write_registry(_registry("    policy: {max_gap_hours: 0}\n"))
    result = invoke("gaps", "--check", "--from", "2026-11-30", "--days", "365")
    west = next(ln for ln in result.stdout.splitlines() if "noise in West" in ln)
    found = re.search(r"(\d+) breaches in the dated window, (\d+) of them because of bank "
                      r"holidays or closures$", west)
    assert found, west
    assert 0 < int(found.group(2)) < int(found.group(1))


def test_one_policy_warning_names_at_most_three_patterns(
        invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    """Five areas, each with its own office closing time: five weekly patterns of gaps."""
    closing = [13, 14, 15, 16, 17]
    areas = "".join(f"  a{n}: {{name: Area {n}}}\n" for n in range(5))
    lines = "".join(f"""\
      office-{n}:
        name: Office {n}
        contact: {{phone: "01632 96011{n}"}}
        hours: "Mo-Fr 09:00-{closing[n]}:00"
        bank_holidays: closed
        verified: 2026-11-01
""" for n in range(5))
    cover = "".join(f"      a{n}: [council/office-{n}]\n" for n in range(5))
    write_registry(f"""\
version: 1
name: Five areas
areas:
{areas}agencies:
  council:
    name: Council
    services:
{lines}issues:
  noise:
    title: Noise
    cover:
{cover}    policy: {{max_gap_hours: 0}}
""")
    result = invoke("validate", "--as-of", AS_OF)
    [warning] = [ln for ln in result.stdout.splitlines() if ": warning: " in ln]
    assert warning.count(" a week) in a") == 3
    assert "other hours in 2 more areas (`remitctl gaps --check` lists each)" in warning
