"""Shell completion of issue ids and areas, read from the registry the command would use."""

from __future__ import annotations

import os
from pathlib import Path


def _registry_ids(kind: str) -> list[str]:
    try:
        from remitctl.cli.session import load_quietly

        registry = load_quietly(Path(os.environ["REMITCTL_REGISTRY"])
                                if os.environ.get("REMITCTL_REGISTRY") else None)
    except Exception:  # completion must never break the shell
        return []
    if registry is None:
        return []
    return list(registry.issues if kind == "issue" else registry.areas)


def complete_issue(incomplete: str) -> list[str]:
    return [i for i in _registry_ids("issue") if i.startswith(incomplete)]


def complete_area(incomplete: str) -> list[str]:
    return [a for a in _registry_ids("area") if a.startswith(incomplete)]
