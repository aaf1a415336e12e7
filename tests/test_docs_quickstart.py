"""The README's Quick start can be followed as written: each example command uses the
environment that the `make` target before it creates (read from the Makefile)."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _make_var(name: str) -> str:
    match = re.search(rf"^{name} := (\S+)$", MAKEFILE, re.MULTILINE)
    assert match, name
    return match.group(1)


def _venv_of(target: str) -> str:
    """The environment a make target's recipe runs remitctl from."""
    recipe = re.search(rf"^{target}: .*\n((?:\t.*\n)+)", MAKEFILE, re.MULTILINE)
    assert recipe, target
    used = set(re.findall(r"\$\((\w+)\)", recipe.group(1)))
    for venv, bin_ in (("RUN_VENV", "RUN_VENV"), ("VENV", "BIN")):
        if venv in used or bin_ in used:
            return _make_var(venv)
    raise AssertionError(f"make {target} runs no environment")


def _quick_start() -> str:
    return README[README.index("## Quick start"):README.index("<!-- section: commands -->")]


def test_make_run_names_the_environment_it_creates() -> None:
    line = next(ln for ln in _quick_start().splitlines() if ln.startswith("make run"))
    assert f"creates {_venv_of('run')}," in line


def test_quick_start_examples_use_the_environment_make_run_created() -> None:
    text = _quick_start()
    examples = re.findall(r"^(\S+)/bin/remitctl ", text, re.MULTILINE)
    assert examples
    assert set(examples) == {_venv_of("run")}


def test_every_venv_command_in_the_docs_names_an_environment_make_creates() -> None:
    made = {_make_var("VENV"), _make_var("RUN_VENV")}
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        used = set(re.findall(r"(\.venv[\w-]*)/bin/", doc.read_text(encoding="utf-8")))
        assert used <= made, (doc.name, used - made)
