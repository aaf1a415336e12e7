"""`remitctl validate` as CI and pre-commit use it: which file, output formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remitctl.cli.validate import Format

from conftest import MINI

AS_OF = "2026-11-26"
# MINI with its lines verified and one problem of each severity.
BROKEN = MINI.replace('hours: "24/7"\n', 'hours: "24/7"\n        verified: 2026-11-01\n').replace(
    "        bank_holidays: closed\n", "        bank_holidays: closed\n        verified: "
    "2026-11-01\n").replace('        hours: "Fr 20:00-03:00"\n        bank_holidays: normal\n',
                            '        hours: "Fr 20:00-03:00"\n        verified: 2026-11-01\n'
                            '        bank_holidays: normal\n').replace(
    "      default: [council/office]\n    fallback", "      default: [council/ofice]\n"
    "    fallback").replace('{phone: "07700 900100"}', '{phone: "07700 90010"}')
ERROR_LINE = next(n for n, line in enumerate(BROKEN.splitlines(), 1) if "ofice" in line)
PHONE_LINE = next(n for n, line in enumerate(BROKEN.splitlines(), 1) if "90010\"" in line)
PHONE_COL = BROKEN.splitlines()[PHONE_LINE - 1].index('"07700') + 1
ERROR = f"remits.yaml:{ERROR_LINE}:17: error: unknown service line 'council/ofice'"
WARNING = (f"remits.yaml:{PHONE_LINE}:{PHONE_COL}: warning: phone '07700 90010' is not a valid UK "
           "number: it has 10 digits; UK numbers starting 0770 have 11")
PHONE_HINT = ("write the whole number with its area code, e.g. 01632 960001, or a UK short "
              "code such as 101")
# Only what relies on the broken reference waits for the fix; the rest is checked now.
DOGS_LINE = BROKEN.splitlines().index("  dogs:") + 1
NOTE = (f"remits.yaml: note: cover policies and dangers of issue type 'dogs' (line {DOGS_LINE}) "
        "are checked once the errors are fixed")


def test_text_report(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN)
    result = invoke("validate", "remits.yaml", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == "\n".join([
        WARNING, f"  hint: {PHONE_HINT}",
        ERROR, "  hint: did you mean 'council/office'?",
        NOTE, "remits.yaml: invalid: 1 error, 1 warning"]) + "\n"


def test_github_workflow_commands(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN)
    result = invoke("validate", "remits.yaml", "--as-of", AS_OF, "--format", "github")
    assert result.exit_code == 1
    # errors first: GitHub shows only about ten annotations per step
    assert result.stdout.splitlines() == [
        f"::error file=remits.yaml,line={ERROR_LINE},col=17,title=remitctl ref::unknown service "
        "line 'council/ofice'%0Ahint: did you mean 'council/office'?",
        f"::warning file=remits.yaml,line={PHONE_LINE},col={PHONE_COL},title=remitctl phone::phone "
        "'07700 90010' is not a valid UK number: it has 10 digits; UK numbers starting 0770 "
        f"have 11%0Ahint: {PHONE_HINT}",
        NOTE, "remits.yaml: invalid: 1 error, 1 warning"]


def test_github_escapes_properties_and_data(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "a,b:c%.yaml"
    odd.write_text("version: 1\nname: x\nagencies: {}\nissues: {}\nfoo: 1\n", encoding="utf-8")
    result = invoke("validate", odd.name, "--format", "github")
    assert result.stdout.splitlines()[0] == (
        "::error file=a%2Cb%3Ac%25.yaml,line=5,col=1,title=remitctl unknown-key::unknown key "
        "'foo'%0Ahint: allowed here: version, name, timezone, bank_holidays, areas, agencies, "
        "vocabulary, issues")


def test_json_report(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN)
    result = invoke("validate", "remits.yaml", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "schema": "remitctl/validate/v1",
        "valid": False, "strict": False, "as_of": AS_OF, "max_age_days": 180,
        "errors": 1, "warnings": 1,
        "files": [{
            "path": "remits.yaml", "valid": False, "errors": 1, "warnings": 1,
            "skipped": [f"cover policies and dangers of issue type 'dogs' (line {DOGS_LINE})"],
            "problems": [
                {"line": PHONE_LINE, "column": PHONE_COL, "severity": "warning", "code": "phone",
                 "message": WARNING.split(": warning: ")[1], "hint": PHONE_HINT},
                {"line": ERROR_LINE, "column": 17, "severity": "error", "code": "ref",
                 "message": ERROR.split(": error: ")[1],
                 "hint": "did you mean 'council/office'?"},
            ],
            "groups": [],
        }],
    }


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_reports_and_sets_the_exit_code(invoke, write_registry, fmt: Format) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN)
    bad = invoke("validate", "--format", fmt.value, "--as-of", AS_OF)
    assert bad.exit_code == 1
    assert "ofice" in bad.stdout
    write_registry(BROKEN.replace("ofice", "office").replace("90010\"", "900100\""))
    good = invoke("validate", "--format", fmt.value, "--as-of", AS_OF)
    assert good.exit_code == 0, good.stdout
    assert "ofice" not in good.stdout


def test_strict_in_json_marks_warnings_as_errors(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN.replace("ofice", "office"))
    plain = json.loads(invoke("validate", "--format", "json", "--as-of", AS_OF).stdout)
    strict = json.loads(invoke("validate", "--format", "json", "--as-of", AS_OF,
                               "--strict").stdout)
    assert (plain["valid"], plain["errors"], plain["warnings"]) == (True, 0, 1)
    assert (strict["valid"], strict["errors"], strict["warnings"]) == (False, 1, 0)
    assert strict["files"][0]["problems"][0]["severity"] == "error"


def test_default_is_the_usual_registry_lookup(invoke, write_registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write_registry(BROKEN)
    here = invoke("validate", "--as-of", AS_OF)
    assert here.stdout.endswith("remits.yaml: invalid: 1 error, 1 warning\n")
    other = write_registry(BROKEN.replace("ofice", "office"), "other.yaml")
    monkeypatch.setenv("REMITCTL_REGISTRY", str(other))
    env = invoke("validate", "--as-of", AS_OF)
    assert env.exit_code == 0
    assert env.stdout.endswith(f"{other}: valid: 0 errors, 1 warning\n")
    option = invoke("validate", "--registry", "remits.yaml", "--as-of", AS_OF)
    assert option.exit_code == 1


def test_no_registry_here_checks_the_bundled_sample(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "checking the bundled sample registry" in result.stderr


def test_several_files(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN, "a.yaml")
    write_registry(BROKEN.replace("ofice", "office"), "b.yaml")
    result = invoke("validate", "a.yaml", "b.yaml", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 files checked, 1 invalid: 1 error, 2 warnings"
    assert result.stdout.count("b.yaml:") == 1  # b's phone warning


def test_file_that_is_not_yaml_text(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bin.yaml").write_bytes(b"version: 1\x00\x01")
    result = invoke("validate", "bin.yaml")
    assert result.exit_code == 1
    assert result.stdout == ("bin.yaml: error: is binary, not a YAML text file\n"
                             "bin.yaml: invalid: 1 error, 0 warnings\n")


def test_yaml_syntax_error_is_the_only_problem(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry("version: 1\nname: [x\n")
    result = invoke("validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("remits.yaml:3:1: error: YAML syntax: ")
    assert lines[-1] == "remits.yaml: invalid: 1 error, 0 warnings"


@pytest.mark.parametrize(("args", "message"), [
    (["nosuch.yaml"], "remitctl: error: nosuch.yaml: no such file"),
    (["remits.yaml", "--registry", "remits.yaml"],
     "remitctl: error: give registry files as arguments or with --registry, not both"),
    (["--as-of", "26/11/2026"], "remitctl: error: --as-of '26/11/2026' is not a date"),
    (["--format", "xml"], "Invalid value for '--format'"),
    (["--max-age", "-1"], "Invalid value for '--max-age'"),
])
def test_usage_errors_exit_2(invoke, write_registry, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    write_registry(BROKEN)
    result = invoke("validate", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_help_has_an_example(invoke) -> None:  # type: ignore[no-untyped-def]
    for command in ("validate", "schema", "diff"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert f"Example: remitctl {command}" in result.stdout
