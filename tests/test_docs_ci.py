"""docs/ci.md: the pre-commit configuration it shows uses hooks this repository ships, pins
them to a full commit hash that exists in this repository, and every hook argument it
suggests is one remitctl accepts."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from conftest import BUNDLED, ROOT

CI = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
HOOKS = {h["id"]: h for h in yaml.safe_load(
    (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
BLOCKS = re.findall(r"```yaml\n(.*?)```", CI, re.DOTALL)


def test_the_example_config_pins_a_full_hash_and_uses_shipped_hooks() -> None:
    configs = [yaml.safe_load(b) for b in BLOCKS if b.startswith("repos:")]
    assert configs
    for config in configs:
        for repo in config["repos"]:
            assert re.fullmatch(r"[0-9a-f]{40}", str(repo["rev"])), repo["rev"]
            assert {h["id"] for h in repo["hooks"]} <= HOOKS.keys()


# Every version the docs tell an admin to use: `rev:` for pre-commit, `...@REV` for pip
# (a placeholder in capitals, such as HASH in the prose, is not one).
_REVS = r"(?:\brev: |pip install [^\n]*@)([0-9a-z][0-9A-Za-z._/-]*)"


def test_every_documented_version_is_the_same_full_hash() -> None:
    revs = set(re.findall(_REVS, CI))
    assert len(revs) == 1, revs
    assert re.fullmatch(r"[0-9a-f]{40}", revs.pop())


def _documented_revs() -> list[tuple[str, str]]:
    found = []
    for doc in sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")]):
        text = doc.read_text(encoding="utf-8")
        found += [(doc.name, rev) for rev in sorted(set(re.findall(_REVS, text)))]
    return found


@pytest.mark.parametrize(("doc", "rev"), _documented_revs(), ids=lambda v: str(v)[:12])
def test_each_documented_rev_is_a_commit_of_this_repository(doc: str, rev: str) -> None:
    """`pre-commit run` and `pip install ...@REV` fail on a revision that does not exist."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        pytest.skip("not a git checkout (e.g. an unpacked sdist): no commits to look in")
    if subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT,
                      capture_output=True, text=True, check=False).stdout.strip() == "true":
        pytest.skip("a shallow clone may not hold the documented commit")
    found = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT,
                           capture_output=True, check=False)
    assert found.returncode == 0, f"{doc}: {rev!r} is not a commit in this repository"


def _suggested_gaps_args() -> list[list[str]]:
    found = []
    for line in CI.splitlines():
        match = re.match(r"\s*#?\s*args: \[(.*)\]", line)
        if match and "remitctl-gaps" in CI[:CI.index(line)].rsplit("- id:", 1)[-1]:
            found.append([a.strip() for a in match.group(1).split(",")])
    return found


@pytest.mark.parametrize("args", _suggested_gaps_args(), ids=" ".join)
def test_each_suggested_gaps_hook_argument_works(invoke, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    if "--registry" in args:  # the docs' example path: use the bundled registry instead
        args = []
    entry = shlex.split(HOOKS["remitctl-gaps"]["entry"])[1:]
    result = invoke(*entry, *args, "--registry", str(BUNDLED))
    assert result.exit_code in (0, 1), result.output  # a verdict, not a usage error
    assert "remitctl: " in result.stdout
