"""Helpers for the hardening tests: the commands that read a registry, and YAML quoting.

READERS maps each command that reads a registry to the arguments that run it against
one. Entries whose command is not registered on the app are skipped, so commands
built on other branches (gaps, validate, diff) join the corpus run once merged.
"""

from __future__ import annotations

from pathlib import Path

import typer

from remitctl.cli import app

READERS: dict[str, list[str]] = {
    "who": ["who", "noise", "--registry", "{registry}"],
    "now": ["now", "--registry", "{registry}"],
    "show": ["show", "noise", "--registry", "{registry}"],
    "list": ["list", "--registry", "{registry}"],
    "agencies": ["agencies", "--registry", "{registry}"],
    "gaps": ["gaps", "--registry", "{registry}"],
    "validate": ["validate", "--registry", "{registry}"],
    "diff": ["diff", "{good}", "{registry}"],
}

# diff's arguments are files or git revisions, so a path that is not a regular file is a
# usage error there (exit 2, naming it) rather than a registry that cannot be read.
NOT_A_FILE_IS_USAGE = {"diff"}


def registered() -> set[str]:
    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def readers() -> list[str]:
    """Every command that reads a registry; each must exist, so none is silently skipped."""
    missing = set(READERS) - registered()
    assert not missing, f"commands in READERS that the app does not register: {missing}"
    return list(READERS)


def argv(name: str, registry: Path, good: Path | None = None) -> list[str]:
    return [part.format(registry=registry, good=good or registry) for part in READERS[name]]


def yaml_str(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back exactly, whatever it holds."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'
