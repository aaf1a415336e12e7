"""`--map FILE.yaml`: a force's own codes and categories → issue ids, validated like the
registry (through the same YAML reader: line and column, duplicate keys and unsafe tags
refused), so that an export need not be copied into the registry to be judged.

    # force code or category: issue id
    NS01: noise-nuisance
    "Concern for safety": welfare-check
"""

from __future__ import annotations

from pathlib import Path

from remitctl.registry.model import Registry

MAX_BYTES = 4 * 1024 * 1024


class MapError(Exception):
    """The map cannot be used; `lines` are FILE:LINE:COLUMN: message, one per problem."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


def _key(text: str) -> str:
    return text.strip().casefold()


def load_map(path: Path, registry: Registry) -> dict[str, str]:
    """{value as compared (case and surrounding spaces ignored): issue id}."""
    from remitctl.fuzzy import nearest
    from remitctl.registry.problems import RegistryError
    from remitctl.registry.reading import read_bytes
    from remitctl.registry.yaml_source import read_yaml

    label = str(path)
    try:
        raw = read_bytes(path, label)
    except RegistryError as exc:
        raise MapError([f"{label}: {p.message.replace('registry', 'map')}"
                        for p in exc.problems]) from None
    if len(raw) > MAX_BYTES:
        raise MapError([f"{label}: over {MAX_BYTES // (1024 * 1024)} MiB; is this the map?"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MapError([f"{label}: not UTF-8 text; save the map as UTF-8"]) from None
    if not text.strip():
        raise MapError([f"{label}:1:1: the map is empty; write CODE: issue-id, one a line"])
    located, problems = read_yaml(text, label)
    if problems:
        raise MapError([f"{p.path}:{p.line}:{p.column}: {p.message}"
                        + (f" ({p.hint})" if p.hint else "") for p in problems])
    data = located.data
    if not isinstance(data, dict):
        line, column = located.where(())
        raise MapError([f"{label}:{line}:{column}: the map is a list of CODE: issue-id lines, "
                        f"not {type(data).__name__}"])
    out: dict[str, str] = {}
    where: dict[str, str] = {}
    errors: list[str] = []
    ids = list(registry.issues)
    for code, issue in data.items():
        line, column = located.where((code,), key=True)
        at = f"{label}:{line}:{column}"
        if isinstance(code, bool) or code is None or not str(code).strip():
            errors.append(f"{at}: an empty code or category; write CODE: issue-id")
            continue
        if not isinstance(issue, str) or not issue.strip():
            vline, vcolumn = located.where((code,))
            errors.append(f"{label}:{vline}:{vcolumn}: {str(code)!r} maps to "
                          f"{issue!r}; write an issue id, e.g. {ids[0] if ids else 'noise'}")
            continue
        if issue.strip() not in registry.issues:
            vline, vcolumn = located.where((code,))
            near = nearest(issue.strip(), ids)
            errors.append(f"{label}:{vline}:{vcolumn}: unknown issue id {issue.strip()!r}"
                          + (f"; nearest: {near[0]!r}" if near else
                             "; see `remitctl list` for the ids"))
            continue
        k = _key(str(code))
        if k in out and out[k] != issue.strip():
            errors.append(f"{at}: {str(code)!r} is also {where[k]} (codes are compared "
                          "ignoring case and spaces at either end)")
            continue
        out[k], where[k] = issue.strip(), at
    if errors:
        raise MapError(errors)
    return out
