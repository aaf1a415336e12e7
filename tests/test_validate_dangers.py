"""Registries that validate but would leave an officer with nobody, and contact details that
would give a wrong answer: each case is a small registry, checked for the exit code, the
line and column, and the words of the hint."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI

AS_OF = "2026-11-26"


def verified(text: str) -> str:
    """Every line verified recently, so only the problem under test shows."""
    return re.sub(r"(\n        contact: .*\n)", r"\1        verified: 2026-11-01\n", text)


def where(text: str, needle: str, nth: int = 1) -> str:
    """'LINE:COL' of the nth occurrence of `needle`."""
    found = [(n, line.index(needle) + 1) for n, line in enumerate(text.splitlines(), 1)
             if needle in line]
    line, col = found[nth - 1]
    return f"{line}:{col}"


def problems(output: str) -> list[tuple[str, str, str]]:
    """(LINE:COL, severity and message, hint) for each problem reported."""
    found = re.findall(r"^[^\n]*?\.yaml:(\d+:\d+): (.*)\n(?:  hint: (.*)\n)?", output, re.M)
    return [(w, m, h) for w, m, h in found]


Run = Callable[[str], tuple[int, list[tuple[str, str, str]], str]]


@pytest.fixture
def run(invoke, write_registry: Callable[..., Path]) -> Run:  # type: ignore[no-untyped-def]
    def check(text: str, *extra: str) -> tuple[int, list[tuple[str, str, str]], str]:
        write_registry(text)
        result = invoke("validate", "remits.yaml", "--as-of", AS_OF, *extra)
        return result.exit_code, problems(result.stdout), result.stdout

    return check


def test_the_mini_registry_verified_is_clean(run: Run) -> None:
    code, found, _ = run(verified(MINI))
    assert (code, found) == (0, [])


def test_a_covering_line_closed_all_week(run: Run) -> None:
    text = verified(MINI).replace('hours: "Mo-Fr 09:00-17:00"', 'hours: "off"')
    code, found, _ = run(text)
    assert code == 0
    [(at, message, hint)] = found
    assert at == where(text, '"off"')
    assert message == ("warning: council/office is closed all week (hours: 'off'), but it "
                       "covers noise, dogs: officers would never reach it")
    assert "write the hours it is open" in hint
    assert run(text, "--strict")[0] == 1


def test_a_24_7_line_shut_on_bank_holidays(run: Run) -> None:
    text = verified(MINI).replace('hours: "24/7"\n',
                                  'hours: "24/7"\n        bank_holidays: closed\n')
    code, found, _ = run(text)
    assert code == 0
    [(at, message, hint), *fallback] = found
    assert at == where(text, "closed")
    assert message.startswith("warning: police/control-room is a 24/7 line (for noise, dogs) "
                              "but shuts on bank holidays")
    # ...and on those days the office is shut too: the fallback is closed when needed
    assert [m for _, m, _ in fallback] == [
        f"warning: {issue}: nobody covers it and its fallback police/control-room is closed "
        "too, first at Fri 25 Dec 2026 00:00: officers would be told to ring a closed line"
        for issue in ("noise", "dogs")]
    assert "'bank_holidays: normal'" in hint
    code, found, _ = run(text, "--strict")
    assert code == 1 and found[0][1].startswith("error: police/control-room")


def test_a_fallback_shut_on_bank_holidays(run: Run) -> None:
    """The patrol is the dogs' fallback here: office hours, shut on bank holidays."""
    text = verified(MINI).replace(
        "      default: [council/office]\n    fallback: police/control-room\n",
        "      default: [police/control-room]\n    fallback: council/office\n")
    code, found, _ = run(text)
    assert code == 0
    [(at, message, hint)] = found
    assert at == where(text, "bank_holidays: closed").replace(":9", ":24")
    assert message.startswith("warning: council/office is a fallback (for dogs) but shuts on "
                              "bank holidays")
    assert "fallback that stays open" in hint


DUTY_TEAM = """\
      duty-team:
        name: Emergency Duty Team
        contact: {phone: "01632 960199"}
        hours: "Mo-Fr 00:00-09:00,17:00-24:00; Sa,Su 00:00-24:00"
        bank_holidays: "00:00-24:00"
        verified: 2026-11-01
"""
SHUTDOWN = """\
    closures:
      - {from: 2026-12-24, to: 2027-01-01, reason: Christmas shutdown}
"""


def _with_duty_team(extra: str = "") -> str:
    text = verified(MINI).replace("    name: Test Council\n",
                                  "    name: Test Council\n" + SHUTDOWN)
    text = text.replace("  dogs:\n", "  dogs:\n", 1)
    text = text.replace("issues:\n", DUTY_TEAM.replace("        verified", extra +
                                                       "        verified") + "issues:\n")
    return text.replace("      default: [council/office]\n      east:",
                        "      default: [council/office, council/duty-team]\n      east:")


def test_an_agency_closure_that_shuts_its_out_of_hours_line(run: Run) -> None:
    text = _with_duty_team()
    code, found, _ = run(text)
    assert code == 0
    duty = [p for p in found if "duty-team is" in p[1]]
    [(at, message, hint)] = duty
    assert at == where(text, "duty-team:")
    assert message == ("warning: council/duty-team is an out-of-hours line, but council's "
                       f"closure (line {where(text, '- {from').split(':')[0]}) shuts it too: "
                       "'Christmas shutdown' (24 Dec 2026 to 1 Jan 2027)")
    assert "add 'agency_closures: ignore' under it" in hint


def test_agency_closures_ignore_keeps_the_line_running(run: Run, invoke) -> None:  # type: ignore[no-untyped-def]
    text = _with_duty_team("        agency_closures: ignore\n")
    code, found, _ = run(text)
    assert code == 0
    assert not [p for p in found if "duty-team is" in p[1]]
    answer = invoke("who", "noise", "--area", "west", "--at", "2026-12-25T12:00",
                    "--registry", "remits.yaml")
    assert answer.exit_code == 0
    assert "Emergency Duty Team" in answer.stdout


def test_agency_closures_apply_says_the_shutdown_is_meant(run: Run) -> None:
    text = _with_duty_team("        agency_closures: apply\n")
    code, found, _ = run(text)
    assert code == 0
    assert not [p for p in found if "duty-team is" in p[1]]


def test_an_agency_closure_that_leaves_nobody(run: Run) -> None:
    text = verified(MINI).replace("    name: Test Council\n",
                                  "    name: Test Council\n" + SHUTDOWN)
    code, found, _ = run(text)
    assert code == 0
    [(at, message, hint), patrol] = found
    assert at == where(text, "{from")
    # the shutdown closes the office and the night patrol: nobody covers either issue
    assert message == ("warning: closure 'Christmas shutdown' (24 Dec 2026 to 1 Jan 2027) "
                       "leaves nobody covering noise and dogs while it lasts: officers "
                       "get only the fallback")
    assert "agency_closures: ignore" in hint
    assert patrol[1].startswith("warning: council/patrol is an out-of-hours line")
    # the patrol keeps running: only west (the office alone) loses all cover for noise;
    # east loses the office's weekday hours, which the Friday-night patrol does not cover
    text = text.replace('bank_holidays: normal\n', 'bank_holidays: normal\n'
                        '        agency_closures: ignore\n')
    code, found, _ = run(text)
    assert [m for _, m, _ in found] == [
        "warning: closure 'Christmas shutdown' (24 Dec 2026 to 1 Jan 2027) leaves nobody "
        "covering noise in west; dogs while it lasts; noise in east on Thu 24 Dec "
        "09:00–17:00 (and 3 more times): officers get only the fallback"]


def test_a_closure_that_leaves_an_issue_without_fallback_says_no_one(run: Run) -> None:
    text = verified(MINI).replace("    name: Test Council\n",
                                  "    name: Test Council\n" + SHUTDOWN)
    text = text.replace("      east: [council/office, council/patrol]\n"
                        "    fallback: police/control-room\n",
                        "      east: [council/office, council/patrol]\n")
    code, found, _ = run(text)
    assert code == 0
    closure = [p for p in found if "closure '" in p[1]]
    assert closure and closure[0][1].endswith("noise has no fallback, so officers would get "
                                              "no one")


def test_a_lines_own_closure_that_leaves_an_issue_with_no_one(run: Run) -> None:
    closure = ("        closures:\n"
               "          - {from: 2026-12-24, to: 2026-12-28, reason: Office move}\n")
    text = verified(MINI).replace('        bank_holidays: closed\n',
                                  '        bank_holidays: closed\n' + closure, 1)
    no_fallback = text.replace("    aliases: [stray dog]\n    cover:\n"
                                      "      default: [council/office]\n"
                                      "    fallback: police/control-room\n",
                                      "    aliases: [stray dog]\n    cover:\n"
                                      "      default: [council/office]\n")
    code, found, _ = run(no_fallback)
    assert code == 0
    [(at, message, hint)] = [p for p in found if "Office move" in p[1]]
    assert at == where(no_fallback, "{from")
    # Dogs (no fallback, the office alone in both areas) have nobody all the while;
    # noise keeps its fallback, so it is not named.
    assert message == ("warning: closure 'Office move' (24 Dec 2026 to 28 Dec 2026) of "
                       "council/office leaves nobody covering dogs while it lasts: dogs has "
                       "no fallback, so officers would get no one")
    assert hint.startswith("give the issue a 'fallback:'")
    # With a fallback the closure's hours are gaps (gaps reports them), not a danger.
    code, found, _ = run(text)
    assert [p for p in found if "Office move" in p[1]] == []


def test_no_cover_in_an_area_and_no_fallback(run: Run) -> None:
    text = verified(MINI).replace(
        "      default: [council/office]\n    fallback: police/control-room\n\n", "")
    text = text.replace("    cover:\n      default: [council/office]\n"
                        "    fallback: police/control-room\n",
                        "    cover:\n      default: [council/office]\n      west: []\n")
    assert text.count("west: []") == 1
    code, found, _ = run(text)
    assert code == 0
    [(at, message, hint)] = found
    assert at == where(text, "west: []")
    assert message == ("warning: dogs: nobody covers it in west (its cover is empty) and it "
                       "has no fallback: an officer would get no one")
    assert "a 'fallback:' under the issue" in hint
    assert run(text, "--strict")[0] == 1


@pytest.mark.parametrize(("contact", "needle", "message", "hint"), [
    ("{email: noise.council.example.gov.uk}", "noise.",
     "contact.email: email address 'noise.council.example.gov.uk' is not an email address "
     "(it needs an @)", "write the whole address"),
    ("{web: www.council.example.gov.uk}", "www.",
     "contact.web: web address 'www.council.example.gov.uk' does not start with https:// or "
     "http://", "https://www.council.example.gov.uk/noise"),
    ('{phone: "01632 96O100"}', '"01632 96O',
     "contact.phone: phone number '01632 96O100' has letters or signs a phone number cannot "
     "have", "write only the number"),
    ("{phone: 01632960100}", "01632960100",
     "contact.phone 01632960100 must be in quotes", "YAML reads unquoted digits as a number"),
    ("{}", "{}", "a contact needs at least one of phone, email, web or other", None),
])
def test_contact_details_that_would_be_a_wrong_answer_are_errors(
        run: Run, contact: str, needle: str, message: str, hint: str | None) -> None:
    text = verified(MINI).replace('contact: {phone: "01632 960100"}', f"contact: {contact}")
    code, found, _ = run(text)
    assert code == 1
    errors = [p for p in found if p[1].startswith("error:")]
    [(at, said, given)] = errors
    assert at == where(text, needle)
    assert said == f"error: council/office {message}" or said == f"error: {message}"
    if hint:
        assert hint in given


def test_phone_extensions_and_brackets_are_fine(run: Run) -> None:
    for phone in ("+44 (0)1632 960100", "(01632) 960100 ext 12", "01632 960100 x12", "101"):
        text = verified(MINI).replace('"01632 960100"', f'"{phone}"')
        assert run(text)[0] == 0, phone


def test_an_issue_key_indented_as_an_issue(run: Run) -> None:
    text = verified(MINI).replace("    fallback: police/control-room\n  dogs:",
                                  "  fallback: police/control-room\n  dogs:")
    code, found, _ = run(text)
    assert code == 1
    [(at, message, hint)] = found
    assert at == where(text, "  fallback:").replace(":1", ":3")
    assert message == ("error: 'fallback' is indented as if it were an issue of its own; "
                       "indent it under the issue above it")
    assert hint == ("line 'fallback:' up with 'title:' and the other keys of the issue above "
                    "it")


def test_closure_positions_count_from_one(run: Run) -> None:
    text = verified(MINI).replace(
        "    name: Test Council\n",
        "    name: Test Council\n    closures:\n"
        "      - {from: 2026-12-24, to: 2026-12-26, reason: Christmas}\n"
        "      - {from: 2027-04-01, to: 2027-04-31, reason: Easter}\n")
    code, found, _ = run(text)
    assert code == 1
    assert found[0][:2] == (where(text, "2027-04-31"), "error: agency council closures[2].to "
                            "must be a date, not '2027-04-31'")


@pytest.mark.parametrize(("change", "needle", "message", "hint"), [
    (('        hours: "Mo-Fr 09:00-17:00"', '         hours: "Mo-Fr 09:00-17:00"'), 'hours: "Mo',
     "'hours' is indented differently from the keys around it",
     "line up 'hours:' with 'verified:' above it (8 spaces in)"),
    (('        hours: "Mo-Fr 09:00-17:00"', '       hours: "Mo-Fr 09:00-17:00"'), 'hours: "Mo',
     "'hours' is indented differently from the keys around it",
     "line up 'hours:' with 'verified:' above it (8 spaces in)"),
    (("        bank_holidays: closed\n",
      "        bank_holidays: closed\n        notes: Note: officers must ring first\n"),
     ": officers", "the text of 'notes' contains ': ', which YAML reads as another key",
     "text containing ': ' must be in quotes: notes: \"Note: officers must ring first\""),
    (("        bank_holidays: closed\n",
      "        bank_holidays: closed\n        notes:Officers must ring first\n"),
     "notes:", "'notes:Officers…' needs a space after the colon",
     "write 'notes: Officers…'"),
    (('        hours: "Mo-Fr 09:00-17:00"\n',
      '        hours: "Mo-Fr 09:00-17:00"\n        notes:Officers\n'),
     "notes:", "'notes:Officers' needs a space after the colon", "write 'notes: Officers'"),
])
def test_yaml_syntax_errors_get_a_hint_at_the_line_to_change(
        run: Run, change: tuple[str, str], needle: str, message: str, hint: str) -> None:
    text = verified(MINI).replace(*change, 1)
    assert text != verified(MINI)
    code, found, _ = run(text)
    assert code == 1
    [(at, said, given)] = found
    assert at == where(text, needle)
    assert said == f"error: YAML syntax: {message}"
    assert hint in given


def test_a_line_key_indented_as_the_agencys(run: Run) -> None:
    text = verified(MINI).replace("        bank_holidays: normal\n",
                                  "    bank_holidays: normal\n")
    code, found, _ = run(text)
    assert code == 1
    unknown = [p for p in found if "unknown key" in p[1]]
    assert unknown == [(where(text, "bank_holidays: normal"), "error: unknown key "
                        "'bank_holidays'", "'bank_holidays' is a key of a service line: "
                        "indent it under the line it belongs to, below services:")]


def test_show_and_json_say_a_line_keeps_running_through_agency_closures(
        invoke, write_registry: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    write_registry(_with_duty_team("        agency_closures: ignore\n"))
    shown = invoke("show", "council/duty-team", "--registry", "remits.yaml")
    assert shown.exit_code == 0
    assert "keeps running while Test Council is closed (agency_closures: ignore)" in shown.stdout
    doc = invoke("agencies", "--json", "--registry", "remits.yaml")
    services = {s["ref"]: s for a in json.loads(doc.stdout)["agencies"] for s in a["services"]}
    assert services["council/duty-team"]["agency_closures"] == "ignore"
    assert services["council/duty-team"]["closures"] == []
    assert services["council/office"]["agency_closures"] == "apply"
    assert [c["reason"] for c in services["council/office"]["closures"]] == [
        "Christmas shutdown"]
