"""An admin breaks the bundled registry in each way issue 4 lists; `remitctl validate`
reports each problem at the line and column where the broken text stands.

Each case edits the bundled file; `‸` in the replacement marks where the problem must
be reported, so expectations come from the text itself, not from the loader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUNDLED

MARK = "‸"
AS_OF = "2026-11-26"


def break_bundled(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, list[str]]:
    """Apply (old, new) edits to the bundled registry; return the file and, for each `‸`
    in the new text, the location `remits.yaml:LINE:COL` it marks."""
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"edit target not unique: {old!r}"
        text = text.replace(old, new)
    places = []
    while MARK in text:
        index = text.index(MARK)
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        places.append(f"remits.yaml:{line}:{column}")
        text = text[:index] + text[index + 1:]
    path = tmp_path / "remits.yaml"
    path.write_text(text, encoding="utf-8")
    return path, places


def line_of(text: str) -> int:
    """The line of the bundled registry that `text` starts (its first occurrence)."""
    bundled = BUNDLED.read_text(encoding="utf-8")
    return bundled.count("\n", 0, bundled.index(text)) + 1


NOISE_LINE = line_of("  noise-nuisance:\n")


def _noise_cover_line() -> int:
    bundled = BUNDLED.read_text(encoding="utf-8")
    at = bundled.index("    cover:\n", bundled.index("  noise-nuisance:\n"))
    return bundled.count("\n", 0, at) + 1


def errors_of(invoke, path: Path) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    result = invoke("validate", path.name, "--as-of", AS_OF)
    lines = [ln for ln in result.stdout.splitlines() if ": error: " in ln]
    return result.exit_code, lines


CASES = {
    "malformed YAML (a tab)": (
        ('        hours: "24/7"                # 24/7 lines need no bank_holidays',
         '        hours: "24/7"\n' + MARK + '\tnotes: tabbed'),
        "YAML syntax: while scanning for the next token found character that cannot "
        "start any token"),
    "duplicate key": (
        ("    kind: police force\n", "    kind: police force\n    " + MARK + "kind: force\n"),
        f"duplicate key 'kind' (first at line {line_of('    kind: police force')})"),
    "duplicate issue id": (
        ("  gas-leak:\n", "  " + MARK + "noise-nuisance:\n    title: Noise again\n    cover: "
         "{default: []}\n    fallback: police/control-room\n  gas-leak:\n"),
        f"duplicate key 'noise-nuisance' (first at line {NOISE_LINE})"),
    "unknown key (a typo)": (
        ('        fallback: kingsbridge-cc/stray-dogs-ooh',
         '        ' + MARK + 'falback: kingsbridge-cc/stray-dogs-ooh'),
        "unknown key 'falback'"),
    "misspelt required key is one problem": (
        ('        hours: "Th-Sa 21:00-03:00, Su,Mo 19:00-24:00"',
         '        ' + MARK + 'hour: "Th-Sa 21:00-03:00, Su,Mo 19:00-24:00"'),
        "unknown key 'hour'"),
    "wrong type": (
        ("      max_gap_hours: 48", "      max_gap_hours: " + MARK + "lots"),
        "issue noise-nuisance policy.max_gap_hours must be a number, not 'lots'"),
    "unknown agency": (
        ("      kingsbridge: [kingsbridge-cc/env-health, kingsbridge-cc/noise-patrol]",
         "      kingsbridge: [" + MARK + "kingsbrige-cc/env-health, kingsbridge-cc/noise-patrol]"),
        "unknown service line 'kingsbrige-cc/env-health'"),
    "unknown service line": (
        ("      north-moor: [north-moor-dc/env-health, north-moor-dc/noise-patrol]",
         "      north-moor: [north-moor-dc/env-health, " + MARK + "north-moor-dc/noise-patorl]"),
        "unknown service line 'north-moor-dc/noise-patorl'"),
    "unknown area": (
        ("      north-moor: [north-moor-dc/env-health, north-moor-dc/noise-patrol]",
         "      " + MARK + "north-mor: [north-moor-dc/env-health, north-moor-dc/noise-patrol]"),
        "unknown area 'north-mor'"),
    "hours that do not parse": (
        ('        hours: "Mo-Fr 08:30-17:00"\n        bank_holidays: closed\n        notes: '
         'Callers', '        hours: "Mo-Fr 08:30-17:' + MARK + '0"\n        bank_holidays: '
         'closed\n        notes: Callers'),
        "hours 'Mo-Fr 08:30-17:0' is not valid opening_hours: at character 16: expected minute"),
    "PH in hours": (
        ('        hours: "Mo-Fr 08:30-17:00"\n        bank_holidays: closed\n        notes: '
         'Callers', '        hours: "Mo-Fr 08:30-17:00; ' + MARK + 'PH off"\n        '
         'bank_holidays: closed\n        notes: Callers'),
        "hours uses PH, which remitctl does not evaluate"),
    "no bank-holiday rule": (
        ('        hours: "Mo-Fr 08:30-17:00"\n        bank_holidays: closed\n        notes: '
         'Callers', '        hours: ' + MARK + '"Mo-Fr 08:30-17:00"\n        notes: Callers'),
        "say what happens on bank holidays"),
    "the same alias on two issue types": (
        ("    aliases: [stray dog, dog bite,", "    aliases: [stray dog, " + MARK
         + "barking dog, dog bite,"),
        f"alias 'barking dog' also names issue 'noise-nuisance' (line {NOISE_LINE + 2})"),
    "an issue id that is another's alias": (
        ("    aliases: [noise, loud music,", "    aliases: [noise, gas-leak, loud music,"),
        None),
    "no cover anywhere and no fallback": (
        ("      default: [gas-emergency/emergency-line]\n    fallback: police/control-room\n",
         "      default: []\n"),
        "issue 'gas-leak' has no cover anywhere and no fallback"),
    "fallback loop": (
        ('        bank_holidays: "08:00-22:00" # bank holidays run like a weekend',
         '        bank_holidays: "08:00-22:00"\n        fallback: kingsbridge-cc/dog-warden'),
        "fallback chain loops: kingsbridge-cc/dog-warden → kingsbridge-cc/stray-dogs-ooh → "
        "kingsbridge-cc/dog-warden"),
}


# Breakages that rightly cause a second error as well.
ALSO = {"unknown area": f"remits.yaml:{_noise_cover_line()}:5: error: no cover given for "
                        "area(s) north-moor"}


@pytest.mark.parametrize("name", [n for n, (_, msg) in CASES.items() if msg is not None])
def test_each_error_is_reported_at_its_place(invoke, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    edit, message = CASES[name]
    path, places = break_bundled(tmp_path, edit)
    code, errors = errors_of(invoke, path)
    assert code == 1
    assert message is not None
    matching = [e for e in errors if message in e]
    assert len(matching) == 1, errors
    if places:
        assert matching[0].startswith(places[0] + ": error: ")
    assert [e for e in errors if e not in matching] == ([ALSO[name]] if name in ALSO else [])


def test_unknown_key_suggests_the_nearest_valid_key(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, (place,) = break_bundled(tmp_path, CASES["unknown key (a typo)"][0])
    result = invoke("validate", path.name, "--as-of", AS_OF)
    assert f"{place}: error: unknown key 'falback'\n  hint: did you mean 'fallback'?\n" \
        in result.stdout


@pytest.mark.parametrize(("ref", "hint"), [
    ("north-moor-dc/noise-patorl", "did you mean 'north-moor-dc/noise-patrol'?"),
    ("north-moor-dc/night-bus", "agency 'north-moor-dc' has no line 'night-bus'; its lines: "
     "env-health, noise-patrol, dog-warden, streetscene"),
    ("kingsbrige-cc/night-bus", "there is no agency 'kingsbrige-cc'; did you mean "
     "'kingsbridge-cc'?"),
    ("borough-council/noise", "there is no agency 'borough-council'"),
    ("police-control-room", "refer to a service line as agency-id/service-id; did you mean "
     "'police/control-room'?"),
])
def test_unknown_line_hint_says_what_is_missing(invoke, tmp_path: Path, ref: str,  # type: ignore[no-untyped-def]
                                                hint: str) -> None:
    old = "      north-moor: [north-moor-dc/env-health, north-moor-dc/noise-patrol]"
    path, (place,) = break_bundled(
        tmp_path, (old, f"      north-moor: [north-moor-dc/env-health, {MARK}{ref}]"))
    result = invoke("validate", path.name, "--as-of", AS_OF)
    assert f"{place}: error: unknown service line {ref!r}\n  hint: {hint}\n" in result.stdout


def test_an_issue_id_equal_to_an_earlier_alias_is_an_error(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _ = break_bundled(tmp_path, CASES["an issue id that is another's alias"][0])
    code, errors = errors_of(invoke, path)
    assert code == 1
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("  gas-leak:") + 1
    assert errors == [
        f"remits.yaml:{line}:3: error: id 'gas-leak' also names issue 'noise-nuisance' "
        f"(line {NOISE_LINE + 2})",
        # its alias 'gas leak' is the same name to an officer typing it
        f"remits.yaml:{line + 2}:15: error: alias 'gas leak' also names issue "
        f"'noise-nuisance' (line {NOISE_LINE + 2})",
    ]


def test_every_problem_is_reported_at_once(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = ["misspelt required key is one problem", "wrong type", "unknown agency",
             "unknown service line", "PH in hours", "fallback loop", "duplicate key"]
    path, places = break_bundled(tmp_path, *(CASES[n][0] for n in names))
    code, errors = errors_of(invoke, path)
    assert code == 1
    assert len(errors) == len(names)
    reported = {e.split(": error: ")[0] for e in errors}
    assert set(places) <= reported
    result = invoke("validate", path.name, "--as-of", AS_OF)
    assert result.stdout.splitlines()[-1] == f"remits.yaml: invalid: {len(names)} errors, " \
        "3 warnings"
