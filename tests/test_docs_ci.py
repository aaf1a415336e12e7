"""docs/ci.md: the pre-commit configuration it shows uses hooks this repository ships, pins
them to a release tag, and every hook argument it suggests is one remitctl accepts."""

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


def test_the_example_config_pins_a_tag_and_uses_shipped_hooks() -> None:
    configs = [yaml.safe_load(b) for b in BLOCKS if b.startswith("repos:")]
    assert configs
    for config in configs:
        for repo in config["repos"]:
            assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), repo["rev"]
            assert {h["id"] for h in repo["hooks"]} <= HOOKS.keys()


def test_every_version_in_the_docs_is_the_same_tag() -> None:
    tags = set(re.findall(r"(?:rev: |@)(v\d+\.\d+\.\d+)", CI))
    assert tags == {"v0.2.0"}


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
