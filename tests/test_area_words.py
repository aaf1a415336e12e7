"""Area words inside the question (`who stray dog kingsbridge`): the area when they name
one, else one line saying why they were not used (README, Areas)."""

from __future__ import annotations

import json

import pytest

from conftest import BUNDLED

# Areas that share a prefix (north), and an area named as an issue's title begins.
HARBOUR = """\
version: 1
name: Harbour test
timezone: Europe/London
bank_holidays: england-and-wales
areas:
  harbour: {name: Harbour}
  north-moor: {name: North Moor}
  northfield: {name: Northfield}
  kingsbridge: {name: Kingsbridge City}
agencies:
  police:
    name: Test Police
    services:
      control-room:
        name: Control room
        contact: {phone: "01632 960000"}
        hours: "24/7"
        bank_holidays: normal
  council:
    name: Test Council
    services:
      office:
        name: Office
        contact: {phone: "01632 960100"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
      wardens:
        name: Harbour wardens
        contact: {phone: "01632 960200"}
        hours: "24/7"
        bank_holidays: normal
issues:
  pollution:
    title: Harbour pollution
    aliases: [oil spill]
    cover: {default: [council/wardens]}
    fallback: police/control-room
  dogs:
    title: Stray dogs
    aliases: [stray dog]
    cover:
      default: [council/office]
      harbour: [council/wardens]
    fallback: police/control-room
"""
HEAD = "Stray dogs now, Mon 07 Dec 10:00 GMT"
WARDENS = "harbour      COVERED   Harbour wardens  01632 960200  no change in 5 weeks"
EVERY_AREA = [
    WARDENS,
    "north-moor   COVERED   Office  01632 960100  until 17:00",
    "northfield   COVERED   Office  01632 960100  until 17:00",
    "kingsbridge  COVERED   Office  01632 960100  until 17:00",
]
NOT_USED = "; use -a AREA"


@pytest.fixture
def ask(invoke, write_registry, clock):  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    path = write_registry(HARBOUR, "harbour.yaml")

    def run(*args: str, env: dict[str, str] | None = None) -> list[str]:
        result = invoke("who", *args, "--short", "-r", str(path), env=env)
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()  # type: ignore[no-any-return]

    return run


@pytest.mark.parametrize(("words", "said"), [
    (["stray", "dog", "harbour"], '"harbour"'),
    (["harbour", "stray", "dog"], '"harbour"'),
    (["stray", "dogs", "in", "HARBOUR"], '"in HARBOUR"'),
    (["stray dog", "harb"], '"harb"'),  # a unique prefix, as -a takes it
])
def test_words_naming_an_area_are_the_area(ask, words: list[str], said: str) -> None:  # type: ignore[no-untyped-def]
    assert ask(*words) == [f"area: Harbour, from your words {said}", HEAD,
                           "harbour  COVERED   Harbour wardens  01632 960200  "
                           "no change in 5 weeks"]


def test_a_name_of_several_words_and_in(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("stray", "dog", "in", "north", "moor") == [
        'area: North Moor, from your words "in north moor"', HEAD,
        "north-moor  COVERED   Office  01632 960100  until 17:00"]
    assert ask("stray", "dog", "kingsbridge", "city")[0] == (
        'area: Kingsbridge City, from your words "kingsbridge city"')


def test_issue_names_win_over_an_area_of_the_same_word(ask) -> None:  # type: ignore[no-untyped-def]
    everywhere = "all areas  COVERED   Harbour wardens  01632 960200  no change in 5 weeks"
    for words in (["harbour", "pollution"], ["pollution", "harbour"]):
        assert ask(*words) == [
            '"harbour" not used as the area: read as part of the issue (Harbour pollution)'
            + NOT_USED, "Harbour pollution now, Mon 07 Dec 10:00 GMT", everywhere]
    # Another name of the issue leaves the word free to be the area.
    assert ask("oil", "spill", "harbour")[:2] == [
        'area: Harbour, from your words "harbour"',
        "Harbour pollution now, Mon 07 Dec 10:00 GMT"]
    # A question of area words alone is an issue question.
    assert ask("harbour")[0] == (
        '"harbour" not used as the area: no other words say what happened' + NOT_USED)


def test_words_that_could_mean_several_areas_are_not_used(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("stray", "dog", "north") == [
        '"north" not used as the area: they could mean north-moor or northfield' + NOT_USED,
        HEAD, *EVERY_AREA]
    assert ask("stray", "dog", "harbour", "kingsbridge")[0] == (
        '"harbour kingsbridge" not used as the area: they name several areas '
        "(harbour, kingsbridge)" + NOT_USED)
    # Fewer than 4 letters, or a typo, name nothing: no line, every area.
    assert ask("stray", "dog", "kin") == [HEAD, *EVERY_AREA]
    assert ask("stray", "dog", "harbor") == [HEAD, *EVERY_AREA]


def test_the_options_area_wins_and_is_said(ask) -> None:  # type: ignore[no-untyped-def]
    office = "northfield  COVERED   Office  01632 960100  until 17:00"
    assert ask("stray", "dog", "harbour", "-a", "northfield") == [
        '"harbour" not used as the area: --area northfield was given', HEAD, office]
    assert ask("stray", "dog", "harbour", env={"REMITCTL_AREA": "northfield"}) == [
        '"harbour" not used as the area: REMITCTL_AREA=northfield is set', HEAD, office]
    assert ask("stray", "dog", "harbour", "-a", "all")[0] == (
        '"harbour" not used as the area: --area all was given')
    # The same area both ways: the words agree, and are used.
    assert ask("stray", "dog", "harbour", "-a", "harb")[0] == (
        'area: Harbour, from your words "harbour"')


def test_json_says_which_words_were_read_as_the_area(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    doc = json.loads(invoke("who", "stray", "dog", "in", "kingsbridge", "--json",
                            "-r", str(BUNDLED)).stdout)
    assert doc["area_words"] == {"words": ["in", "kingsbridge"], "areas": ["kingsbridge"],
                                 "used": True, "reason": None}
    assert [a["area"]["id"] for a in doc["answers"]] == ["kingsbridge"]
    assert doc["issue"]["id"] == "stray-dogs" and doc["unmatched_words"] == []
    doc = json.loads(invoke("who", "stray", "dog", "kingsbridge", "-a", "brackenford",
                            "--json", "-r", str(BUNDLED)).stdout)
    assert doc["area_words"] == {"words": ["kingsbridge"], "areas": ["kingsbridge"],
                                 "used": False, "reason": "--area brackenford was given"}
    assert [a["area"]["id"] for a in doc["answers"]] == ["brackenford"]
    plain = json.loads(invoke("who", "stray", "dog", "--json", "-r", str(BUNDLED)).stdout)
    assert plain["area_words"] is None and len(plain["answers"]) == 3


def test_the_bundled_registry_issue_example(invoke, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    result = invoke("who", "stray", "dog", "kingsbridge", "--short", "-r", str(BUNDLED))
    assert result.stdout.splitlines() == [
        'area: Kingsbridge City (unitary), from your words "kingsbridge"',
        "Stray and dangerous dogs now, Mon 07 Dec 10:00 GMT",
        "kingsbridge  COVERED   Dog Warden Service  01632 960110  until 18:00"]


def test_log_reads_the_area_from_the_words(invoke, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clock("2026-12-07T10:00")
    db = str(tmp_path / "log.sqlite3")
    result = invoke("log", "stray dog in north moor", "-t", "today 09:30", "--db", db,
                    "-r", str(BUNDLED))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ('remitctl: area: North Moor District (Wyvernshire), from your '
                             'words "in north moor"\n')
    assert result.stdout == (
        "logged #1: Stray and dangerous dogs in North Moor District (Wyvernshire) at Mon 07 "
        "Dec 2026 09:30 GMT: covered by North Moor District Council · Dog Warden\n")
    result = invoke("log", "stray dog kingsbridge", "-a", "brackenford", "-t", "today 09:30",
                    "--db", db, "-r", str(BUNDLED))
    assert result.stderr == ('remitctl: "kingsbridge" not used as the area: --area '
                             "brackenford was given\n")
    assert " in Brackenford District (Wyvernshire) " in result.stdout
