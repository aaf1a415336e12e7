"""Shell completion of issues, aliases, agencies, service lines and areas, read from the
registry the command would use: -r on the command line, else $REMITCTL_REGISTRY, else
./remits.yaml, else the bundled sample."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from remitctl.registry.model import Registry


def _registry(ctx: typer.Context | None) -> Registry | None:
    try:
        from remitctl.cli.session import load_quietly

        option = None
        if ctx is not None:
            given = ctx.params.get("registry")
            option = Path(given) if given else None
        return load_quietly(option)
    except Exception:  # completion must never break the shell
        return None


def _matching(names: list[str], incomplete: str) -> list[str]:
    low = incomplete.lower()
    return list(dict.fromkeys(n for n in names if n.lower().startswith(low)))


def _issue_names(registry: Registry) -> list[str]:
    return [n for i in registry.issues.values() for n in (i.id, *i.aliases)]


def complete_issue(ctx: typer.Context, incomplete: str) -> list[str]:
    registry = _registry(ctx)
    return [] if registry is None else _matching(_issue_names(registry), incomplete)


def complete_area(ctx: typer.Context, incomplete: str) -> list[str]:
    registry = _registry(ctx)
    return [] if registry is None else _matching([*registry.areas, "all"], incomplete)


def complete_show(ctx: typer.Context, incomplete: str) -> list[str]:
    registry = _registry(ctx)
    if registry is None:
        return []
    return _matching([*_issue_names(registry), *registry.agencies, *registry.services,
                      *registry.areas], incomplete)
