"""Warnings from `remitctl validate`: stale details, doubtful phone numbers, past closures,
unused lines and cover policies breached in a typical week. Warnings leave the exit code
at 0 (unless --strict) and never stop other commands loading the registry."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from remitctl.registry.checks import uk_number_problem

from conftest import BUNDLED, MINI

AS_OF = "2026-11-26"
STALE_HINT = ("  hint: check the contact and hours with the agency, then set verified: to "
              "today's date")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth - 1]


def col_of(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


def verified(text: str) -> str:
    """MINI with every line verified recently, so only the warning under test shows."""
    return text.replace('        hours: "24/7"\n',
                        '        hours: "24/7"\n        verified: 2026-11-01\n').replace(
        "        bank_holidays: closed\n",
        "        bank_holidays: closed\n        verified: 2026-11-01\n").replace(
        "        bank_holidays: normal\n",
        "        bank_holidays: normal\n        verified: 2026-11-01\n")


def test_bundled_registry_warnings_exactly(invoke) -> None:  # type: ignore[no-untyped-def]
    text = BUNDLED.read_text(encoding="utf-8")
    result = invoke("validate", str(BUNDLED), "--as-of", AS_OF)
    assert result.exit_code == 0
    first = line_of(text, "verified: 2026-03-02", 1)
    second = line_of(text, "verified: 2026-04-14")
    third = line_of(text, "verified: 2026-03-02", 2)
    closure = line_of(text, "- from: 2026-12-24", 2)  # North Moor's, after a line's own
    policy = line_of(text, "max_gap_hours: 48")
    path = str(BUNDLED)
    assert result.stdout == "\n".join([
        f"{path}:{first}:19: warning: kingsbridge-cc/flooding: details last verified "
        "2026-03-02, 269 days ago (more than 180)", STALE_HINT,
        f"{path}:{second}:19: warning: wyvernshire-cc/flooding: details last verified "
        "2026-04-14, 226 days ago (more than 180)", STALE_HINT,
        # the sample's Christmas shutdown: North Moor's issues go to the control room
        f"{path}:{closure}:9: warning: closure 'Christmas and New Year shutdown' (24 Dec 2026 "
        "to 1 Jan 2027) leaves nobody covering noise-nuisance, fly-tipping and "
        "abandoned-vehicles in north-moor while it lasts; stray-dogs in north-moor on Thu 24 "
        "Dec 16:00–17:00 (and 3 more times): officers get only the fallback",
        "  hint: if a line keeps running during the closure, add 'agency_closures: ignore' "
        "under it; if this is meant, add 'agency_closures: apply' under each of the agency's "
        "lines in that cover to say so",
        f"{path}:{third}:19: warning: north-moor-dc/dog-warden: details last verified "
        "2026-03-02, 269 days ago (more than 180)", STALE_HINT,
        # the sample's deliberate breach: no weekend noise service in Brackenford
        f"{path}:{policy}:22: warning: noise-nuisance: cover policy breached: nobody covers "
        "it Fri 16:30–Mon 08:45 (64 h 15 min every week) in brackenford; the policy allows "
        "gaps of up to 48 h",
        "  hint: add or extend a line in its cover for those hours, or change the policy; "
        "`remitctl gaps --check` also tests bank holidays and closures",
        f"{path}: valid: 0 errors, 5 warnings",
    ]) + "\n"


@pytest.mark.parametrize(("max_age", "stale"), [("180", 3), ("250", 2), ("300", 0)])
def test_max_age_sets_how_old_is_stale(invoke, max_age: str, stale: int) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", str(BUNDLED), "--as-of", AS_OF, "--max-age", max_age)
    assert result.exit_code == 0
    assert result.stdout.count("details last verified") == stale


def test_max_age_zero_warns_about_every_line_not_checked_today(invoke) -> None:  # type: ignore[no-untyped-def]
    from remitctl.registry.loader import load_registry

    lines = load_registry(BUNDLED).services.values()
    result = invoke("validate", str(BUNDLED), "--as-of", "2026-11-20", "--max-age", "0",
                    "--format", "json")
    problems = json.loads(result.stdout)["files"][0]["problems"]
    # the CCTV room was verified on 2026-11-20 itself
    assert sum("details last verified" in p["message"] for p in problems) == len(lines) - 1
    # and in text, the repeats are one group naming every place
    text = invoke("validate", str(BUNDLED), "--as-of", "2026-11-20", "--max-age", "0").stdout
    assert f": warning: {len(lines) - 1} lines verified too long ago:" in text


def test_missing_and_future_verified_dates(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = verified(MINI).replace("verified: 2026-11-01", "verified: 2062-11-01", 1)
    text = text.replace("        bank_holidays: normal\n        verified: 2026-11-01\n",
                        "        bank_holidays: normal\n")
    path = write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    assert result.exit_code == 0
    future = line_of(text, "2062-11-01")
    patrol = line_of(text, "      patrol:")
    assert result.stdout == (
        f"remits.yaml:{future}:19: warning: police/control-room: verified date 2062-11-01 "
        "is in the future\n  hint: write the date the details were checked, as YYYY-MM-DD\n"
        f"remits.yaml:{patrol}:7: warning: council/patrol: details have no verified date\n"
        f"{STALE_HINT}\n"
        "remits.yaml: valid: 0 errors, 2 warnings\n")
    assert path.name == "remits.yaml"


@pytest.mark.parametrize("number", [
    "01632 960001", "07700 900101", "0808 157 0300", "0117 496 0201", "020 7946 0440",
    "0113 496 0123", "+44 1632 960001", "+44 (0)1632 960001", "0044 1632 960001",
    "(01632) 960001", "01632-960001", "101", "111", "999", "116 123", "0800 1111",
    "01524 12345", "016977 2345", "0800 123456", "01632 960001 ext. 12",
])
def test_valid_uk_numbers_including_ofcom_drama_ranges(number: str) -> None:
    assert uk_number_problem(number) is None


@pytest.mark.parametrize(("number", "why"), [
    ("01632 96000", "it has 10 digits; UK numbers starting 0163 have 11"),
    ("07700 9001011", "it has 12 digits; UK numbers starting 0770 have 11"),
    ("1632 960001", "a UK number starts with 0 (or +44), or is a short code such as 101"),
    ("+353 1 234 5678", "it has a country code other than +44"),
    ("0600 123 4567", "no UK numbers start with 06"),
    ("ring control", "it has characters other than digits, spaces and +44"),
    ("01632 96OOO1", "it has characters other than digits, spaces and +44"),
])
def test_invalid_uk_numbers_say_why(number: str, why: str) -> None:
    assert uk_number_problem(number) == why


def test_phone_warning_points_at_the_number(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = verified(MINI).replace('{phone: "01632 960100"}', '{phone: "01632 96010"}')
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    line = line_of(text, '01632 96010"')
    column = col_of(text, line, '"01632')
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"remits.yaml:{line}:{column}: warning: phone '01632 96010' is "
        "not a valid UK number: it has 10 digits; UK numbers starting 0163 have 11")


def test_closures_in_the_past(invoke) -> None:  # type: ignore[no-untyped-def]
    text = BUNDLED.read_text(encoding="utf-8")
    result = invoke("validate", str(BUNDLED), "--as-of", "2027-02-01", "--max-age", "9999")
    assert result.exit_code == 0
    closures = [n for n, line in enumerate(text.splitlines(), 1)
                if line.strip() == "- from: 2026-12-24"]
    assert len(closures) == 3
    found = [line for line in result.stdout.splitlines() if ": warning: closure" in line]
    assert found == [
        f"{BUNDLED}:{n}:{col_of(text, n, 'from')}: warning: closure 'Christmas and New Year "
        "shutdown' ended on 2027-01-01" for n in closures]
    assert "  hint: remove past closures: they no longer change any answer and hide the " \
        "ones that do" in result.stdout


def test_dated_hours_that_are_over_are_warned_like_closures(invoke) -> None:  # type: ignore[no-untyped-def]
    text = BUNDLED.read_text(encoding="utf-8")
    half_day = line_of(text, "reason: Christmas Eve half day")
    edt = line_of(text, "- from: 2026-12-29")
    result = invoke("validate", str(BUNDLED), "--as-of", "2027-02-01", "--max-age", "9999")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (f"{BUNDLED}:{half_day}:{col_of(text, half_day, '{')}: warning: dated hours "
            "'Christmas Eve half day' ended on 2026-12-24") in lines
    assert (f"{BUNDLED}:{edt}:{col_of(text, edt, 'from')}: warning: dated hours 'Emergency "
            "Duty Team on all day between Christmas and New Year' ended on 2026-12-31") in lines
    assert "  hint: remove past dated hours: they no longer change any answer and hide the " \
        "ones that do" in lines
    # Long over while next year's days are still to come: most likely last year's dates.
    later = invoke("validate", str(BUNDLED), "--as-of", "2027-06-01", "--max-age", "9999")
    assert (f"{BUNDLED}:{half_day}:{col_of(text, half_day, '{')}: warning: dated hours on "
            "2026-12-24 ('Christmas Eve half day') are in the past: did you mean 2027?"
            ) in later.stdout.splitlines()
    # Before they end, nothing is said.
    now = invoke("validate", str(BUNDLED), "--as-of", "2026-12-24", "--max-age", "9999")
    assert "dated hours" not in now.stdout


def test_a_closure_still_running_is_not_past(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", str(BUNDLED), "--as-of", "2027-01-01", "--max-age", "9999")
    ended = [line.split(": warning: ")[1] for line in result.stdout.splitlines()
             if "ended on" in line]
    # The closures run to 1 January; only the December dated hours are over.
    assert ended == ["dated hours 'Christmas Eve half day' ended on 2026-12-24",
                     "dated hours \"New Year's Eve extra patrol\" ended on 2026-12-31",
                     "dated hours 'Emergency Duty Team on all day between Christmas and New "
                     "Year' ended on 2026-12-31"]


def test_unused_lines_are_those_no_issue_reaches(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    extra = '''\
      reached:
        name: Reached through the office's fallback
        contact: {phone: "01632 960102"}
        hours: "24/7"
        verified: 2026-11-01
      spare:
        name: Spare line
        contact: {phone: "01632 960103"}
        hours: "24/7"
        fallback: council/spare-fallback
        verified: 2026-11-01
      spare-fallback:
        name: Only the spare line's fallback
        contact: {phone: "01632 960104"}
        hours: "24/7"
        verified: 2026-11-01
issues:
'''
    text = verified(MINI).replace("issues:\n", extra).replace(
        "        bank_holidays: closed\n", "        bank_holidays: closed\n"
        "        fallback: council/reached\n", 1)
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    assert result.exit_code == 0
    spare, spare_fb = line_of(text, "      spare:"), line_of(text, "      spare-fallback:")
    assert result.stdout == (
        f"remits.yaml:{spare}:7: warning: service line 'council/spare' is not used by any "
        "issue type\n  hint: add it to an issue's cover or fallback, or remove it\n"
        f"remits.yaml:{spare_fb}:7: warning: service line 'council/spare-fallback' is not "
        "used by any issue type\n  hint: add it to an issue's cover or fallback, or remove it\n"
        "remits.yaml: valid: 0 errors, 2 warnings\n")


POLICY = "    fallback: police/control-room\n  dogs:"


def test_policy_breach_in_a_typical_week(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = verified(MINI).replace(POLICY, "    fallback: police/control-room\n    policy:\n"
                                  "      max_gap_hours: 24\n  dogs:")
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    assert result.exit_code == 0
    line = line_of(text, "max_gap_hours: 24")
    # east: the office, plus the Friday-night patrol to Saturday 03:00; west: the office.
    # one warning for the policy, each area's gaps named
    assert [ln for ln in result.stdout.splitlines() if ": warning: " in ln] == [
        f"remits.yaml:{line}:22: warning: noise: cover policy breached: nobody covers it "
        "Sat 03:00–Mon 09:00 (54 h every week) in east; Fri 17:00–Mon 09:00 (64 h every "
        "week) in west; the policy allows gaps of up to 24 h",
    ]


def test_area_policy_overrides_the_general_one(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = verified(MINI).replace(POLICY, "    fallback: police/control-room\n    policy:\n"
                                  "      max_gap_hours: 64\n      areas:\n"
                                  "        east: {max_gap_hours: 48}\n  dogs:")
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    line = line_of(text, "east: {max_gap_hours: 48}")
    column = col_of(text, line, "48")
    assert [ln for ln in result.stdout.splitlines() if ": warning: " in ln] == [
        f"remits.yaml:{line}:{column}: warning: noise: cover policy breached: nobody covers "
        "it Sat 03:00–Mon 09:00 (54 h every week) in east; the policy allows gaps of up to "
        "48 h"]


def test_uncertain_cover_is_no_cover_for_a_policy_as_in_gaps_check(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = verified(MINI).replace('hours: "Fr 20:00-03:00"', 'hours: "Mo-Su 00:00-24:00 '
                                  'unknown \\"rota\\""').replace(
        POLICY, "    fallback: police/control-room\n    policy:\n      max_gap_hours: 0\n"
        "      areas:\n        west: {max_gap_hours: 100}\n  dogs:")
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    line = line_of(text, "max_gap_hours: 0")
    warnings = [ln for ln in result.stdout.splitlines() if ": warning: " in ln]
    # east: the office by day, only the unknown rota at night and at weekends.
    # one warning: the four weeknights and the weekend, in week order
    assert warnings == [
        f"remits.yaml:{line}:22: warning: noise: cover policy breached: there is no certain "
        "cover Mon–Thu 17:00–09:00, Fri 17:00–Mon 09:00 (128 h a week) in east; the policy "
        "requires cover at all times"]
    check = invoke("gaps", "--check")
    assert check.exit_code == 1  # the gate agrees: uncertain cover is not cover


def test_strict_turns_warnings_into_errors(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", str(BUNDLED), "--as-of", AS_OF, "--strict")
    assert result.exit_code == 1
    assert ": warning: " not in result.stdout
    assert result.stdout.count(": error: ") == 5
    assert result.stdout.endswith(f"{BUNDLED}: invalid: 5 errors, 0 warnings\n")


def test_warnings_do_not_stop_other_commands(invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    text = MINI.replace('{phone: "01632 960100"}', '{phone: "12"}').replace(
        POLICY, "    fallback: police/control-room\n    policy:\n      max_gap_hours: 1\n  dogs:")
    write_registry(text)
    assert invoke("validate", "--as-of", AS_OF).exit_code == 0
    result = invoke("who", "noise", "--at", "2026-11-30T10:00", "--area", "west")
    assert result.exit_code == 0
    assert "COVERED" in result.stdout
    assert "warning" not in result.stdout + result.stderr


def test_reference_checks_wait_for_the_errors_to_be_fixed(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = verified(MINI).replace("      default: [council/office]\n    fallback",
                                  "      default: [council/ofice]\n    fallback")
    assert "ofice" in text
    write_registry(text)
    result = invoke("validate", "--as-of", AS_OF)
    assert result.exit_code == 1
    dogs = text.splitlines().index("  dogs:") + 1
    assert result.stdout.splitlines()[-2:] == [
        f"remits.yaml: note: cover policies and dangers of issue type 'dogs' (line {dogs}) are "
        "checked once the errors are fixed",
        "remits.yaml: invalid: 1 error, 0 warnings",
    ]
