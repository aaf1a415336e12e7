"""`validate --against REV`: in a pull request, the problems a change brings and the lines it
touched are annotated first; GitHub shows about ten annotations per step, so the rest are
listed in the log after a summary."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from remitctl.registry.checks import changed_hunks

from conftest import MINI

AS_OF = "2026-11-26"
BASE = re.sub(r"(\n        contact: .*\n)", r"\1        verified: 2026-11-01\n", MINI).replace(
    "    fallback: police/control-room\n  dogs:",
    "    fallback: police/control-room\n"
    "    policy: {max_gap_hours: 100, areas: {east: {max_gap_hours: 55}}}\n  dogs:")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "remits.yaml").write_text(BASE, encoding="utf-8")
    git(tmp_path, "add", "remits.yaml")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_changed_hunks() -> None:
    before = "a\nb\nc\nd\n"
    assert changed_hunks(before, before) == ()
    assert changed_hunks(before, "a\nB\nc\nd\n") == ((2, 2),)
    assert changed_hunks(before, "a\nb\nx\ny\nc\nd\n") == ((3, 4),)
    assert changed_hunks(before, "a\nc\nd\n") == ((2, 2),)  # b deleted: c stands there


def test_a_change_is_annotated_where_it_was_made_and_where_it_breaks(
        invoke, repo: Path) -> None:  # type: ignore[no-untyped-def]
    # the east's Friday patrol ends at 23:00: its weekend gap grows from 54 h to 58 h
    text = BASE.replace('hours: "Fr 20:00-03:00"', 'hours: "Fr 20:00-23:00"')
    (repo / "remits.yaml").write_text(text, encoding="utf-8")
    changed = text.splitlines().index('        hours: "Fr 20:00-23:00"') + 1
    policy = next(n for n, ln in enumerate(text.splitlines(), 1) if "max_gap_hours: 55" in ln)
    col = text.splitlines()[policy - 1].index("55") + 1
    result = invoke("validate", "remits.yaml", "--format", "github", "--against", "HEAD",
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::warning file=remits.yaml,line={policy},col={col},title="
                               "remitctl policy::noise: cover policy breached")
    assert lines[1].startswith(f"::notice file=remits.yaml,line={changed},title=remitctl%3A "
                               "this change::Since HEAD, this change brings 1 problem "
                               f"reported elsewhere: line {policy}: warning: noise: cover "
                               "policy breached")
    assert lines[-1] == "remits.yaml: valid: 0 errors, 1 warning"
    doc = json.loads(invoke("validate", "remits.yaml", "--format", "json", "--against",
                            "HEAD", "--as-of", AS_OF).stdout)
    (file,) = doc["files"]
    assert file["against"] == "HEAD" and file["changed_lines"] == [[changed, changed]]
    assert [p["new"] for p in file["problems"]] == [True]


def test_at_most_ten_annotations_the_errors_and_new_ones_first(
        invoke, repo: Path) -> None:  # type: ignore[no-untyped-def]
    # fifteen stale lines already there; the change adds a phone number with a letter
    stale = BASE.replace("verified: 2026-11-01", "verified: 2020-01-01")
    extra = "".join(f"""\
      spare-{n}:
        name: Spare {n}
        contact: {{phone: "01632 9602{n:02d}"}}
        hours: "24/7"
        verified: 2020-01-01
""" for n in range(12))
    stale = stale.replace("issues:\n", extra + "issues:\n")
    (repo / "remits.yaml").write_text(stale, encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "stale")
    broken = stale.replace('"01632 960100"', '"01632 96O100"')
    (repo / "remits.yaml").write_text(broken, encoding="utf-8")
    result = invoke("validate", "remits.yaml", "--format", "github", "--against", "HEAD",
                    "--as-of", AS_OF)
    assert result.exit_code == 1
    annotations = [ln for ln in result.stdout.splitlines() if ln.startswith("::")]
    assert len(annotations) == 10
    assert annotations[0].startswith("::error ") and "96O100" in annotations[0]
    assert all(a.startswith("::warning ") for a in annotations[1:])
    summary = next(ln for ln in result.stdout.splitlines() if "not annotated" in ln)
    # The line with the bad phone number is still checked (its own stale date is one), and
    # a phone number changes nobody's cover, so the twelve spare lines are reported unused.
    assert summary.startswith("remits.yaml: 18 more problems not annotated (GitHub shows "
                              "about 10 per step)")
    # listed in the log, the six of a kind as one group with its places and the hint once
    log = result.stdout.split("not annotated", 1)[1]
    assert log.count("hint: check the contact and hours") <= 1


def test_without_against_errors_still_come_first(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(BASE.replace("verified: 2026-11-01", "verified: 2020-01-01")
                   .replace('"07700 900100"', '"07700 9OO100"'))
    result = invoke("validate", "remits.yaml", "--format", "github", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=remits.yaml")


def test_a_registry_the_change_adds_is_all_new(invoke, repo: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / "remits-north.yaml").write_text(BASE.replace('"01632 960100"', '"01632 96O100"'),
                                            encoding="utf-8")
    result = invoke("validate", "remits-north.yaml", "--format", "json", "--against", "HEAD",
                    "--as-of", AS_OF)
    assert result.exit_code == 1
    (file,) = json.loads(result.stdout)["files"]
    assert file["changed_lines"] == [[1, len(BASE.splitlines())]]
    assert [p["new"] for p in file["problems"]] == [True]
    missing = invoke("validate", "remits.yaml", "--against", "nosuchrev")
    assert missing.exit_code == 2
    assert "git does not know the revision 'nosuchrev'" in missing.stderr


def test_text_says_how_many_problems_are_new(invoke, repo: Path) -> None:  # type: ignore[no-untyped-def]
    text = BASE.replace('hours: "Fr 20:00-03:00"', 'hours: "Fr 20:00-23:00"')
    (repo / "remits.yaml").write_text(text, encoding="utf-8")
    result = invoke("validate", "remits.yaml", "--against", "HEAD", "--as-of", AS_OF)
    assert result.stdout.splitlines()[-2:] == [
        "remits.yaml: note: since HEAD, 1 new problem (of 1)",
        "remits.yaml: valid: 0 errors, 1 warning"]
