"""The values of an incident row as names and numbers: columns by header, issue types
and areas by their names exactly (any case), officer minutes with the file's decimal mark."""

from __future__ import annotations

import re
from collections.abc import Iterable

from remitctl.evidence.times import shown as _shown
from remitctl.registry.model import Registry

COLUMNS = ("time", "issue", "area", "minutes", "ref", "date", "opened")


def key(text: str) -> str:
    """How batch values are compared: case and surrounding spaces ignored, nothing else."""
    return text.strip().casefold()


def column_map(pairs: Iterable[str]) -> dict[str, str]:
    """`--column time="Created Date"` values as {column: header}; ValueError explains a bad one."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        name = name.strip().lower()
        if not sep or not header.strip():
            raise ValueError(f"--column {pair!r}: write NAME=HEADER, e.g. time=\"Created Date\"")
        if name not in COLUMNS:
            raise ValueError(f"--column {pair!r}: {name!r} is not one of {', '.join(COLUMNS)}")
        out[name] = header.strip()
    return out


_DECIMAL_COMMA = re.compile(r"\d+(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+")
_POINT = re.compile(r"\d*\.?\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def parse_minutes(text: str, decimal_comma: bool = False) -> float | str | None:
    """Officer minutes (None: not given), or the reason they cannot be read. In a
    `;`-separated file the comma is the decimal mark (`60,5`, `1.234,5`); elsewhere it
    may only group thousands (`1,234`): a comma that can be neither is refused, never
    dropped."""
    raw = text.strip()
    if not raw:
        return None
    value = float("nan")
    if decimal_comma and _DECIMAL_COMMA.fullmatch(raw):
        value = float(raw.replace(".", "").replace(",", "."))
    elif decimal_comma and re.fullmatch(r"\d+\.\d+", raw) and not \
            re.fullmatch(r"\d{1,3}\.\d{3}", raw):
        value = float(raw)
    elif decimal_comma and re.fullmatch(r"\d{1,3}\.\d{3}", raw):
        return (f"bad minutes {_shown(raw)}: in a ';' file this could be thousands or a "
                "decimal point; write 1234 or 1,234")
    elif not decimal_comma and _POINT.fullmatch(raw):
        value = float(raw.replace(",", ""))
    elif not decimal_comma and re.fullmatch(r"\d+,\d+", raw):
        return (f"bad minutes {_shown(raw)}: a decimal comma in a file not separated by ';'; "
                f"write {raw.replace(',', '.')}")
    if value != value or value < 0 or value == float("inf"):
        return f"bad minutes {_shown(raw)}: write a number of minutes, e.g. 45"
    if value > 525_600:
        return f"bad minutes {_shown(raw)}: more than a year of officer time on one incident"
    return value


class Names:
    """Names of issue types (id, title, alias, code, and a `--map` file's codes, which come
    first) and areas, for batch data: exact, in any case. Areas as `-a` takes them (id,
    name, unique prefix, spacing and case normalised), but never a guess at a typo."""

    def __init__(self, registry: Registry, mapping: dict[str, str] | None = None) -> None:
        self.registry = registry
        self.issues: dict[str, str] = {}
        for issue in registry.issues.values():
            for name in (issue.id, issue.title, *issue.aliases, *issue.codes):
                self.issues.setdefault(key(name), issue.id)
        self.mapped = bool(mapping)
        self.issues.update(mapping or {})
        self.areas: dict[str, str] = {}
        for area in registry.areas.values():
            self.areas.setdefault(key(area.id), area.id)
            self.areas.setdefault(key(area.name), area.id)

    def area(self, value: str) -> str | None:
        """The area `value` names without guessing, else None."""
        found = self.areas.get(key(value))
        if found is not None or not self.registry.areas:
            return found
        from remitctl.cover.search import find_area, normalise

        match = find_area(self.registry, value)
        if match.area is None:
            return None
        q = normalise(value)
        chosen = self.registry.areas[match.area]
        exact = any(normalise(n).startswith(q) for n in (chosen.id, chosen.name))
        return match.area if q and exact else None

    def issue_reason(self, value: str, *, search: bool = True) -> str:
        """Why `value` names no issue, with the nearest one (`search`: a few milliseconds)."""
        if not value.strip():
            return "no issue"
        near = None
        if search:
            from remitctl.cover.search import find_issue

            near = find_issue(self.registry, value).issue  # as `who` reads it, else a typo
            if near is None:
                from remitctl.fuzzy import nearest

                typo = nearest(key(value), sorted(self.issues))
                near = self.registry.issues[self.issues[typo[0]]] if typo else None
        hint = f"; nearest: {near.id!r}" if near is not None else ""
        also = ", a --map file's codes" if self.mapped else ""
        return (f"unknown issue {_shown(value)}{hint} (ids, titles, aliases, the registry's "
                f"`codes:`{also} match exactly, in any case; map others with --map)")

    def area_reason(self, value: str) -> str:
        from remitctl.cover.search import find_area

        match = find_area(self.registry, value)
        names = self.registry.areas
        if match.area is not None:
            return f"unknown area {_shown(value)}; nearest: {names[match.area].name!r}"
        if match.candidates:
            return (f"area {_shown(value)} could mean "
                    + " or ".join(repr(names[a].name) for a in match.candidates))
        from remitctl.fuzzy import nearest

        near = nearest(key(value), sorted(self.areas))
        return f"unknown area {_shown(value)}" + (f"; nearest: {near[0]!r}" if near else "")
