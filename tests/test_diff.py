"""`remitctl diff`: what a registry change does to cover, from files or git revisions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from remitctl.cover.typical import DAY, WEEK, WeekSpan, describe, subtract

from conftest import MINI

AS_OF = "2026-11-26"  # typical week: Monday 30 November 2026
SHORTER = MINI.replace('hours: "Mo-Fr 09:00-17:00"', 'hours: "Mo-Fr 09:00-16:00"')
LONGER_PATROL = MINI.replace('hours: "Fr 20:00-03:00"', 'hours: "Fr,Sa 20:00-03:00"')


def test_shorter_hours_open_gaps_in_every_pair(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(SHORTER.replace('"01632 960100"', '"01632 960199"'), "new.yaml")
    result = invoke("diff", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.exit_code == 0
    # a week is 168 h; the office is open 40 h (35 h after), the east's patrol 7 h
    assert result.stdout == """\
remitctl diff: old.yaml → new.yaml
This change OPENS NEW GAPS in cover for 4 issue type and area pairs.

Cover in a typical week (week of 30 Nov 2026; no bank holidays or closures):
  Noise nuisance (noise) in East: nobody covers it 121 h a week before, 126 h a week after (+5 h)
    NEW GAPS: Mon–Fri 16:00–17:00
  Noise nuisance (noise) in West: nobody covers it 128 h a week before, 133 h a week after (+5 h)
    NEW GAPS: Mon–Fri 16:00–17:00
  Stray dogs (dogs) in East: nobody covers it 128 h a week before, 133 h a week after (+5 h)
    NEW GAPS: Mon–Fri 16:00–17:00
  Stray dogs (dogs) in West: nobody covers it 128 h a week before, 133 h a week after (+5 h)
    NEW GAPS: Mon–Fri 16:00–17:00
  0 other issue type and area pairs: cover unchanged

Changed:
  service line council/office
      contact.phone: "01632 960100" → "01632 960199"
      hours: "Mo-Fr 09:00-17:00" → "Mo-Fr 09:00-16:00"
"""
    failing = invoke("diff", "--fail-on-new-gaps", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert failing.exit_code == 1
    assert failing.stdout == result.stdout


def test_closing_gaps_passes_fail_on_new_gaps(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(LONGER_PATROL, "new.yaml")
    result = invoke("diff", "--fail-on-new-gaps", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:6] == [
        "This change opens no new gaps and closes some.",
        "",
        "Cover in a typical week (week of 30 Nov 2026; no bank holidays or closures):",
        "  Noise nuisance (noise) in East: nobody covers it 121 h a week before, 114 h a "
        "week after (−7 h)",
        "    gaps closed: Sat 20:00–03:00",
    ]
    assert "  3 other issue type and area pairs: cover unchanged" in result.stdout


def test_no_change(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(MINI, "new.yaml")
    result = invoke("diff", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stdout == ("remitctl diff: old.yaml → new.yaml\n"
                             "No changes to cover or to any entry.\n"
                             "  4 other issue type and area pairs: cover unchanged\n")


ADDED = MINI.replace("  dogs:\n    title: Stray dogs\n    aliases: [stray dog]\n", """\
  litter:
    title: Litter
    cover:
      default: [council/patrol]
    fallback: police/control-room
  dogs:
    title: Stray dogs
    aliases: [stray dog]
""").replace("  west: {name: West}\n", "  west: {name: West}\n  north: {name: North}\n")


def test_added_and_removed_entries(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(ADDED, "old.yaml")
    write_registry(MINI, "new.yaml")
    result = invoke("diff", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "  Litter (litter) in East: removed; nobody covered it 161 h a week" in result.stdout
    assert "  Noise nuisance (noise) in North: removed; nobody covered it 128 h a week" \
        in result.stdout
    assert result.stdout.endswith("Removed:\n  issue types: litter\n  areas: north\n")
    back = invoke("diff", "new.yaml", "old.yaml", "--as-of", AS_OF, "--fail-on-new-gaps")
    # new issue types and areas report their gaps but do not count as opening them
    assert back.exit_code == 0
    assert "  Litter (litter) in North: new; nobody covers it 161 h a week" in back.stdout
    assert back.stdout.endswith("Added:\n  issue types: litter\n  areas: north\n")


def test_json(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(SHORTER, "new.yaml")
    doc = json.loads(invoke("diff", "old.yaml", "new.yaml", "--as-of", AS_OF,
                            "--format", "json").stdout)
    gap = {"start_minute": 16 * 60, "end_minute": 17 * 60, "minutes": 60,
           "words": "Mon 16:00–17:00"}
    assert doc["schema"] == "remitctl/diff/v1"
    assert (doc["old"], doc["new"], doc["week_of"], doc["new_gaps"]) == (
        "old.yaml", "new.yaml", "2026-11-30", True)
    first = doc["cover"][0]
    assert (first["issue"], first["title"], first["area"], first["area_name"]) == (
        "noise", "Noise nuisance", "east", "East")
    assert first["before"]["uncovered_minutes"] == 121 * 60
    assert first["after"]["uncovered_minutes"] == 126 * 60
    assert first["before"]["uncertain_minutes"] == 0
    assert first["opened"][0] == gap
    assert len(first["opened"]) == 5
    assert first["closed"] == []
    assert doc["unchanged_cover"] == 0
    assert doc["broken_policies"] == doc["mended_policies"] == []
    assert doc["added"] == {"issues": [], "services": [], "agencies": [], "areas": []}
    assert doc["changed"] == [{"kind": "service", "id": "council/office", "changes": [
        {"field": "hours", "before": "Mo-Fr 09:00-17:00", "after": "Mo-Fr 09:00-16:00"}]}]


def test_markdown_for_a_pull_request(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(SHORTER.replace("Noise nuisance", "Noise | nuisance"), "new.yaml")
    result = invoke("diff", "--format", "markdown", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        "### remitctl diff: <code>old.yaml</code> → <code>new.yaml</code>",
        "",
        "**This change OPENS NEW GAPS in cover for 4 issue type and area pairs.**",
        "",
        "#### Cover in a typical week (week of 30 Nov 2026; no bank holidays or closures)",
        "",
        "| issue type | area | uncovered before | after | change | gaps opened | gaps closed |",
        "|---|---|---|---|---|---|---|",
        "| Noise \\| nuisance (<code>noise</code>) | East | 121 h | 126 h | +5 h | **Mon–Fri "
        "16:00–17:00** | — |",
    ]
    assert "- issue type <code>noise</code>" in lines
    assert "  - title: <code>Noise nuisance</code> → <code>Noise \\| nuisance</code>" in lines


def test_an_invalid_side_is_reported_and_nothing_compared(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(MINI.replace("hours: \"24/7\"", "hours: \"24/8\""), "new.yaml")
    result = invoke("diff", "old.yaml", "new.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "new.yaml:15:17: error: hours '24/8' is not valid opening_hours" in result.stderr
    assert result.stderr.splitlines()[-1] == ("remitctl: new.yaml: 1 problem; nothing was "
                                              "compared (run remitctl validate)")


@pytest.mark.parametrize(("args", "message"), [
    (["old.yaml"], "remitctl: error: cannot tell what to compare"),
    ([], "remitctl: error: give two registries to compare"),
    (["a", "b", "c", "d"], "remitctl: error: give two registries to compare"),
    (["HEAD", "old.yaml", "--", "--format", "json"],
     "remitctl: error: --format came after '--'"),
    (["--against", "HEAD", "old.yaml", "new.yaml"],
     "remitctl: error: with --against REV give at most one registry file"),
])
def test_usage_errors(invoke, write_registry, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(MINI, "new.yaml")
    result = invoke("diff", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


# -- git revisions ---------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=test@example.invalid", "-c", "user.name=Test",
                    "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    root = tmp_path / "registry-repo"
    (root / "data").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "data" / "remits.yaml").write_text(MINI, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    (root / "data" / "remits.yaml").write_text(SHORTER, encoding="utf-8")
    git(root, "commit", "-q", "-a", "-m", "shorter office hours")
    (root / "data" / "remits.yaml").write_text(LONGER_PATROL, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


FIRST_LINE = {
    ("HEAD~1", "--", "data/remits.yaml"): "HEAD~1:data/remits.yaml → data/remits.yaml",
    ("HEAD~1", "HEAD", "--", "data/remits.yaml"):
        "HEAD~1:data/remits.yaml → HEAD:data/remits.yaml",
    ("--against", "HEAD~1", "data/remits.yaml"): "HEAD~1:data/remits.yaml → data/remits.yaml",
    ("HEAD~1:data/remits.yaml", "data/remits.yaml"):
        "HEAD~1:data/remits.yaml → data/remits.yaml",
}


@pytest.mark.parametrize("args", list(FIRST_LINE))
def test_git_revisions_of_a_file(invoke, repo: Path, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = invoke("diff", "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"remitctl diff: {FIRST_LINE[args]}"
    if "HEAD" in args:  # first commit to second: shorter office hours
        assert "    NEW GAPS: Mon–Fri 16:00–17:00" in result.stdout
    else:  # first commit to the working tree: the patrol's Saturday night too
        assert "    gaps closed: Sat 20:00–03:00" in result.stdout


def test_against_uses_the_usual_registry(invoke, repo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo / "data")
    result = invoke("diff", "--against", "HEAD", "--as-of", AS_OF, "--fail-on-new-gaps")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "remitctl diff: HEAD:remits.yaml → remits.yaml"
    assert "    gaps closed: Mon–Fri 16:00–17:00, Sat 20:00–03:00" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["nosuchrev", "--", "data/remits.yaml"],
     "remitctl: error: cannot read nosuchrev:data/remits.yaml: git does not know the "
     "revision 'nosuchrev'"),
    (["HEAD", "--", "data/new.yaml"],
     "remitctl: error: cannot read HEAD:data/new.yaml: the file did not exist at that "
     "revision"),
])
def test_git_errors(invoke, repo: Path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    (repo / "data" / "new.yaml").write_text(MINI, encoding="utf-8")
    result = invoke("diff", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message


def test_outside_a_repository(invoke, write_registry, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    write_registry(MINI)
    result = invoke("diff", "HEAD", "--", "remits.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "remitctl: error: cannot read HEAD:remits.yaml: . is not inside a git repository",
        "  hint: compare two files instead: remitctl diff OLD.yaml NEW.yaml"]


# -- the typical-week arithmetic -------------------------------------------------------------


def test_subtract_joins_across_the_weeks_end() -> None:
    weekend = (WeekSpan(4 * DAY + 17 * 60, WEEK + 9 * 60),)  # Fri 17:00 to Mon 09:00
    saturday = (WeekSpan(5 * DAY, 6 * DAY),)
    assert subtract(weekend, saturday) == (WeekSpan(4 * DAY + 17 * 60, 5 * DAY),
                                           WeekSpan(6 * DAY, WEEK + 9 * 60))
    assert subtract(saturday, weekend) == ()
    assert describe(subtract(weekend, saturday)) == "Fri 17:00–24:00, Sun 00:00–Mon 09:00"


def test_describe_says_repeated_hours_once() -> None:
    nights = [WeekSpan(d * DAY + 20 * 60, (d + 1) * DAY + 3 * 60) for d in (4, 5)]
    evenings = [WeekSpan(d * DAY + 16 * 60, d * DAY + 18 * 60) for d in (0, 1, 2, 3, 4)]
    assert describe(nights + evenings) == "Mon–Fri 16:00–18:00, Fri,Sat 20:00–03:00"
    assert describe([WeekSpan(0, WEEK)]) == "all week"


def test_a_change_that_breaks_a_policy_names_it_and_the_areas(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    """The control room is the dogs' only line: 24/7 before, office hours after."""
    policy = "      default: [police/control-room]\n    policy: {max_gap_hours: 0}\n"
    old = MINI.rsplit("      default: [council/office]\n", 1)
    before = old[0] + policy + old[1].replace("    fallback: police/control-room\n", "", 1)
    after = before.replace('hours: "24/7"', 'hours: "Mo-Fr 08:00-18:00"\n        '
                           "bank_holidays: normal")
    write_registry(before, "old.yaml")
    write_registry(after, "new.yaml")
    result = invoke("diff", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.exit_code == 0
    line = after.splitlines().index("    policy: {max_gap_hours: 0}") + 1
    assert result.stdout.splitlines()[1:5] == [
        "This change BREAKS 1 COVER POLICY and OPENS NEW GAPS in cover for 2 issue type and "
        "area pairs.",
        "",
        "Cover policies this change breaks (a typical week):",
        "  Stray dogs (dogs) in East, West: nobody covers it Mon–Thu 18:00–08:00, Fri 18:00–Mon "
        f"08:00 every week (up to 62 h at a time); the policy (line {line}) requires cover at "
        "all times",
    ]
    # 'never' is not an amount: the control room covered the dogs all week before
    assert ("  Stray dogs (dogs) in East: covered all week before; nobody covers it 118 h a "
            "week after (+118 h)") in result.stdout
    back = invoke("diff", "new.yaml", "old.yaml", "--as-of", AS_OF, "--format", "json")
    doc = json.loads(back.stdout)
    assert doc["broken_policies"] == []
    assert doc["mended_policies"] == [{
        "issue": "dogs", "areas": ["east", "west"], "max_gap_hours": 0,
        "longest_gap_minutes": 62 * 60, "longest_gap_words": "Mon–Thu 18:00–08:00, Fri "
        "18:00–Mon 08:00", "line": line}]


def test_ignoring_agency_closures_is_a_change(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "old.yaml")
    write_registry(MINI.replace("        bank_holidays: normal\n",
                                "        bank_holidays: normal\n        agency_closures: ignore\n"),
                   "new.yaml")
    result = invoke("diff", "old.yaml", "new.yaml", "--as-of", AS_OF)
    assert result.stdout.endswith('  service line council/patrol\n'
                                  '      agency_closures: "apply" → "ignore"\n')
