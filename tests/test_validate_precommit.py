"""The pre-commit hooks this repository ships: their file patterns and their entry."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from conftest import MINI, ROOT

HOOKS: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BY_ID = {hook["id"]: hook for hook in HOOKS}

REGISTRIES = ["remits.yaml", "remits.yml", "registry/remits.yaml", "a/b/remits.yaml",
              "remits-north.yaml", "forces/remits.severn-vale.yaml"]
OTHERS = ["remits.schema.json", "remits.yaml.orig", "notremits.yaml", "myremits.yaml",
          ".pre-commit-hooks.yaml", "docs/registry-format.md", "remits.yaml/notes.txt",
          "remits.json", "other.yaml", "remits/config.yaml", ".github/workflows/ci.yaml"]


def test_hooks_are_the_expected_ones() -> None:
    assert list(BY_ID) == ["remitctl-validate", "remitctl-gaps"]
    for hook in HOOKS:
        assert {"id", "name", "entry", "language", "files"} <= hook.keys()
        assert hook["language"] == "python"
        assert shlex.split(hook["entry"])[0] == "remitctl"


@pytest.mark.parametrize("hook_id", list(BY_ID))
@pytest.mark.parametrize("path", REGISTRIES)
def test_files_pattern_matches_registries(hook_id: str, path: str) -> None:
    # pre-commit matches `files` with re.search against the path from the repository root
    assert re.search(BY_ID[hook_id]["files"], path)


@pytest.mark.parametrize("hook_id", list(BY_ID))
@pytest.mark.parametrize("path", OTHERS)
def test_files_pattern_matches_nothing_else(hook_id: str, path: str) -> None:
    assert not re.search(BY_ID[hook_id]["files"], path)


def test_validate_hook_runs_on_the_files_pre_commit_passes(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    write_registry(MINI, "remits.yaml")
    write_registry(MINI.replace("hours: \"24/7\"", "hours: \"24/8\""), "remits-north.yaml")
    args = shlex.split(BY_ID["remitctl-validate"]["entry"])[1:]
    result = invoke(*args, "remits.yaml", "remits-north.yaml")
    assert result.exit_code == 1
    assert "remits-north.yaml:15:17: error: hours '24/8'" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("2 files checked, 1 invalid: 1 error")
