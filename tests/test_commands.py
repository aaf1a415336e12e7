"""`now`, `list`, `agencies`, `show`, registry lookup, help and completion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from remitctl.cli import app
from remitctl.cli.completion import complete_area, complete_issue
from remitctl.registry.locate import bundled_registry

from conftest import BUNDLED, MINI

AT = "2026-11-28T23:30"  # a Saturday night


# -- which registry is read --------------------------------------------------------------

def _registry_name(invoke, *args: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    result = invoke("list", "--json", *args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return doc["registry"]["name"], result.stderr


def test_option_wins_over_environment_and_cwd(invoke, mini: Path, tmp_path: Path,
                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(BUNDLED, tmp_path / "remits.yaml")
    monkeypatch.setenv("REMITCTL_REGISTRY", str(BUNDLED))
    assert _registry_name(invoke, "-r", str(mini)) == ("Test area", "")


def test_environment_wins_over_cwd(invoke, mini: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(BUNDLED, tmp_path / "remits.yaml")
    monkeypatch.setenv("REMITCTL_REGISTRY", str(mini))
    assert _registry_name(invoke) == ("Test area", "")


def test_working_directory_registry(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "remits.yaml")
    assert _registry_name(invoke) == ("Test area", "")


def test_bundled_sample_with_a_notice(invoke) -> None:  # type: ignore[no-untyped-def]
    name, stderr = _registry_name(invoke)
    assert name == "Severn Vale Constabulary area"
    assert stderr.startswith("remitctl: no ./remits.yaml here; using the bundled sample registry")
    assert bundled_registry().is_file()


def test_missing_registry_from_environment_exits_1(invoke, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REMITCTL_REGISTRY", str(tmp_path / "nope.yaml"))
    result = invoke("now")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.yaml'}: error: no such file" in result.stderr
    assert "Traceback" not in result.output


# -- malformed registries: exit 1, located, no traceback ---------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("version: 1\nname: x\nagencies: {}\nissues: {}\nname: y\n",
     "bad.yaml:5:1: error: duplicate key 'name' (first at line 2)"),
    ("version: 1\nname: x\nagencies:\n  a:\n    name: A\n    servises: {}\nissues: {}\n",
     "bad.yaml:6:5: error: unknown key 'servises'\n  hint: did you mean 'services'?"),
    (MINI.replace('hours: "Mo-Fr 09:00-17:00"', 'hours: "Mo-Fr 9-5"'),
     "bad.yaml:22:23: error: hours 'Mo-Fr 9-5' is not valid opening_hours: at character 7"),
    (MINI.replace('hours: "Mo-Fr 09:00-17:00"', "hours: 17:30"),
     "bad.yaml:22:21: error: hours '17:30' is not valid opening_hours"),
    (MINI.replace("bank_holidays: closed", "bank_holidays: shut"),
     "bad.yaml:23:24: error: bank_holidays 'shut' is not closed, normal, unknown"),
    (MINI.replace("        bank_holidays: closed\n", ""),
     "bad.yaml:22:16: error: say what happens on bank holidays"),
    (MINI.replace("default: [council/office]\n    fallback", "default: [council/ofice]\n"
                  "    fallback"),
     "bad.yaml:41:17: error: unknown service line 'council/ofice'\n"
     "  hint: did you mean 'council/office'?"),
    (MINI.replace("aliases: [stray dog]", "aliases: [barking dog]"),
     "bad.yaml:39:15: error: alias 'barking dog' also names issue 'noise' (line 32)"),
    ("- just\n- a list\n",
     "bad.yaml:1:1: error: the registry must be a mapping of keys, not a list"),
    ("version: 1\nname: x\nagencies: !!python/object:os.system {}\nissues: {}\n",
     "bad.yaml:3:11: error: the YAML tag '!!python/object:os.system' is not allowed"),
])
def test_malformed_registry_is_located(invoke, write_registry, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(text, "bad.yaml")
    result = invoke("now", "-r", "bad.yaml")
    assert result.exit_code == 1
    assert expected in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert path.exists()


def test_every_problem_reported_at_once(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    text = MINI.replace('"Mo-Fr 09:00-17:00"', '"Mo-Fr 9-5"').replace(
        "fallback: police/control-room\n  dogs", "fallback: police/control\n  dogs")
    write_registry(text, "bad.yaml")
    result = invoke("who", "noise", "-r", "bad.yaml")
    assert result.exit_code == 1
    assert result.stderr.count(": error: ") == 2
    assert "2 problems; nothing was looked up" in result.stderr


# -- now ---------------------------------------------------------------------------------

def test_now_lists_uncovered_first(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("now", "--at", "2026-11-27T22:00", "-r", str(mini), "--json").stdout)
    assert doc["schema"] == "remitctl/now/v1"
    rows = [(c["issue"]["id"], ",".join(c["areas"]), c["status"]) for c in doc["cover"]]
    assert rows == [
        ("noise", "west", "uncovered"),
        ("dogs", "east,west", "uncovered"),
        ("noise", "east", "covered"),
    ]


def test_now_for_one_area(invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-27T22:00")
    result = invoke("now", "-r", str(mini), "--area", "east")
    assert result.exit_code == 0
    head = [
        "Cover now, Fri 27 Nov 2026 22:00 GMT in East",
        "",
        "NOBODY COVERING (1)  meanwhile ring Control room  01632 960000",
        "  Stray dogs: cover from Mon 09:00",
        "",
    ]
    assert result.stdout.splitlines() == [
        *head, "COVERED (1)  not listed: remitctl now --full lists them"]
    full = invoke("now", "-r", str(mini), "--area", "east", "--full")
    assert full.stdout.splitlines() == [
        *head, "COVERED (1)", "  Noise nuisance: Night patrol  07700 900100  until Sat 03:00"]


def test_now_names_areas_when_no_area_is_given(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    lines = invoke("now", "--at", "2026-11-27T22:00", "-r", str(mini)).stdout.splitlines()
    assert lines[0].startswith("Cover at Fri 27 Nov 2026 22:00 GMT (")
    # Exactly the areas nobody covers, named as the areas (not as where cover comes from).
    assert lines[3] == "  Noise nuisance — West: cover from Mon 09:00"
    assert lines[4] == "  Stray dogs — all areas: cover from Mon 09:00"
    full = invoke("now", "--at", "2026-11-27T22:00", "-r", str(mini), "--full").stdout
    assert full.splitlines()[7] == (
        "  Noise nuisance — East: Night patrol  07700 900100  until Sat 03:00")


def test_now_full_and_short(invoke, mini: Path, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-27T22:00")
    full = invoke("now", "-r", str(mini), "--detail").stdout
    assert "ring them until Sat 28 Nov 03:00 GMT (in 5 h): their line closes then" in full
    short = invoke("now", "-r", str(mini), "--short").stdout.splitlines()
    assert short == [
        "Cover now, Fri 27 Nov 22:00 GMT",
        "noise  west       NOBODY    ring Control room  01632 960000  cover Mon 09:00",
        "dogs   all areas  NOBODY    ring Control room  01632 960000  cover Mon 09:00",
        "noise  east       COVERED   Night patrol  07700 900100  until Sat 03:00",
    ]


def test_now_on_the_bundled_registry(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("now", "--at", AT, "-r", str(BUNDLED))
    assert result.exit_code == 0
    assert "NOBODY COVERING" in result.stdout and "COVERED (" in result.stdout


# -- list, agencies, show ---------------------------------------------------------------------

def test_list_shows_ids_titles_and_aliases(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("list", "-r", str(mini), "--json").stdout)
    assert [(i["id"], i["aliases"]) for i in doc["issues"]] == [
        ("noise", ["loud music", "barking dog"]), ("dogs", ["stray dog"])]
    text = invoke("list", "-r", str(mini)).stdout
    assert "loud music, barking dog" in text


def test_agencies(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(invoke("agencies", "-r", str(mini), "--json").stdout)
    assert [(a["id"], [s["ref"] for s in a["services"]]) for a in doc["agencies"]] == [
        ("police", ["police/control-room"]),
        ("council", ["council/office", "council/patrol"]),
    ]


def test_show_service_has_words_and_timetable(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "council/patrol", "-r", str(mini))
    assert result.exit_code == 0
    text = result.stdout
    assert "in words       Friday 20:00–03:00" in text
    assert "Friday     20:00–24:00" in text
    assert "Saturday   00:00–03:00" in text
    assert "Monday     closed" in text
    doc = json.loads(invoke("show", "council/patrol", "-r", str(mini), "--json").stdout)
    week = {d["day"]: d["spans"] for d in doc["typical_week"]}
    assert week["Friday"] == [{"from": "20:00", "to": "24:00", "state": "open"}]
    assert week["Saturday"] == [{"from": "00:00", "to": "03:00", "state": "open"}]
    assert doc["issues"] == ["noise"]


def test_show_issue_and_agency(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    issue = invoke("show", "loud music", "-r", str(mini))
    assert "Noise nuisance  (noise)" in issue.stdout
    assert "fallback" in issue.stdout and "Control room" in issue.stdout
    agency = json.loads(invoke("show", "council", "-r", str(mini), "--json").stdout)
    assert agency["kind"] == "agency"
    assert agency["agency"]["name"] == "Test Council"


def test_show_unknown_name(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "zzzz", "-r", str(mini))
    assert result.exit_code == 2
    assert "no issue type, agency, service line or area called 'zzzz'" in result.stderr


# -- help and completion -----------------------------------------------------------------

@pytest.mark.parametrize("command", [c.name or c.callback.__name__ for c in app.registered_commands
                                     if c.callback is not None])
def test_every_command_has_help_with_an_example(invoke, command: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "remitctl " in result.stdout


def test_completion_offers_issue_ids_aliases_and_areas(mini: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REMITCTL_REGISTRY", str(mini))
    assert complete_issue(None, "no") == ["noise"]  # type: ignore[arg-type]
    assert complete_issue(None, "Lou") == ["loud music"]  # type: ignore[arg-type]
    assert complete_area(None, "") == ["east", "west", "all"]  # type: ignore[arg-type]


def _complete(runner, words: str, env: dict[str, str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """What bash completion offers for the last word of `words`, through the real app."""
    from remitctl.cli import app

    result = runner.invoke(app, [], prog_name="remitctl", env={
        "_REMITCTL_COMPLETE": "complete_bash", "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        **(env or {})})
    return result.stdout.split()


def test_completion_of_show_honours_r(runner, mini: Path) -> None:  # type: ignore[no-untyped-def]
    offered = _complete(runner, f"remitctl show -r {mini} ")
    assert {"noise", "dogs", "loud", "police", "council/patrol", "east"} <= set(offered) or \
        {"noise", "dogs", "police", "council/patrol", "east"} <= set(offered), offered
    assert "kingsbridge" not in offered  # the bundled registry's, not this one's
    assert _complete(runner, f"remitctl show -r {mini} cou") == ["council", "council/office",
                                                                  "council/patrol"]
    assert _complete(runner, f"remitctl who -r {mini} -a ") == ["east", "west", "all"]


def test_version(invoke) -> None:  # type: ignore[no-untyped-def]
    from remitctl import __version__

    assert invoke("--version").stdout == f"remitctl {__version__}\n"
