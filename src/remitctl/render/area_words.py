"""The one line (and the JSON) saying which words of the question were read as the area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from remitctl.render.words import safe

if TYPE_CHECKING:
    from remitctl.cover.area_words import AreaWords
    from remitctl.registry.model import Registry


def line(found: AreaWords, registry: Registry) -> str:
    said = safe(" ".join(found.words))
    if found.used:
        assert found.area is not None
        return f'area: {safe(registry.areas[found.area].name)}, from your words "{said}"'
    given = found.reason.startswith(("--area", "REMITCTL_AREA", "a postcode"))
    hint = "" if given else "; use -a AREA"
    return f'"{said}" not used as the area: {found.reason}{hint}'


def as_json(found: AreaWords | None) -> dict[str, object] | None:
    if found is None:
        return None
    return {"words": list(found.words), "areas": list(found.areas), "used": found.used,
            "reason": found.reason or None}
