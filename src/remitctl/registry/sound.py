"""The sound part of a registry whose keys or types are wrong, so that one run of
`validate` checks everything that does not depend on what is broken.

Each value with a type error goes, at the deepest level that can go: an optional key
(a bad `web:` takes only the web address with it, not its service line), a list item,
a map entry. A required key that is wrong takes the smallest entry that holds it: an
area, agency, service line or issue is then *set aside*: references to it are not
reported as unknown, and the rest of it is checked once it is fixed (`validate` says
so). Removing a value can break its container (an agency's only service line set aside
leaves the agency with none): those errors are consequences, not reported, and the
container goes in the next round.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from remitctl.registry.yaml_source import Path_

KINDS = ("areas", "agencies", "services", "issues")
ALL = "*"  # in `set_aside[kind]`: the whole collection is unusable
# Top-level values the rest of the file can be checked without: a stand-in is used.
STAND_INS: dict[str, Any] = {"version": 1}
# Required text that is blank or not text: a stand-in keeps its entry, so the rest of it
# is checked (unique, so that two blank titles do not name the same issue).
TEXT_KEYS = ("name", "title")
ROUNDS = 8


@dataclass
class SetAside:
    """What was taken out of the document, to check the rest."""

    entries: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    removed: set[Path_] = field(default_factory=set)  # every location taken out
    stand_ins: set[Path_] = field(default_factory=set)  # keys given a stand-in value
    # The line ids of each agency set aside whole, as written: a reference to a line it
    # does not have is still an unknown reference.
    lines_of: dict[str, set[str]] = field(default_factory=dict)
    original: Any = None  # the document as read

    def holds(self, kind: str, name: str) -> bool:
        return ALL in self.entries[kind] or name in self.entries[kind]

    def ref(self, ref: str) -> bool:
        """Whether service line `ref` was set aside (itself or its agency)."""
        agency, _, line = ref.partition("/")
        if self.holds("services", ref):
            return True
        if agency in self.lines_of:
            return line in self.lines_of[agency]
        return self.holds("agencies", agency)

    def under(self, loc: Path_) -> bool:
        """Whether something at or below `loc` was taken out."""
        return any(r[:len(loc)] == loc for r in self.removed)


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else tp
    return tp


def _fields(model: Any) -> dict[str, Any]:
    return {(f.alias or name): f for name, f in model.model_fields.items()}


def _type_at(loc: Path_) -> Any:
    """The declared type of the value at `loc` (None when the schema has no such place)."""
    from pydantic import BaseModel

    from remitctl.registry.schema import RegistryDoc

    tp: Any = RegistryDoc
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = _fields(tp)
            if part not in fields:
                return None
            tp = fields[str(part)].annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return None
    return _unwrap(tp)


def _entry_kind(loc: Path_) -> tuple[str, str] | None:
    """('services', 'agency/line') when `loc` is an area, agency, line or issue."""
    if len(loc) == 2 and loc[0] in ("areas", "agencies", "issues"):
        return str(loc[0]), str(loc[1])
    if len(loc) == 4 and loc[0] == "agencies" and loc[2] == "services":
        return "services", f"{loc[1]}/{loc[3]}"
    return None


def _get(data: Any, loc: Path_) -> tuple[bool, Any]:
    for part in loc:
        found = (part in data if isinstance(data, dict) else
                 isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data))
        if not found:
            return False, None
        data = data[part]
    return True, data


def _take(data: Any, loc: Path_, found: SetAside) -> bool:
    """Take out the smallest part of `data` that holds the error at `loc`; False when the
    error is in the file's skeleton and nothing sound is left to check."""
    from pydantic import BaseModel

    for depth in range(len(loc), 0, -1):
        here = loc[:depth]
        ok, parent = _get(data, here[:-1])
        if not ok:
            return True  # a container above was taken out already
        key = here[-1]
        if isinstance(parent, dict):
            owner = _type_at(here[:-1])
            fields = _fields(owner) if isinstance(owner, type) and issubclass(
                owner, BaseModel) else {}
            if depth == 1 and key in KINDS:
                parent[key] = {}  # checked as empty; references into it are not reported
                found.entries[str(key)].add(ALL)
                found.removed.add(here)
                return True
            if key in fields and fields[str(key)].is_required():
                if depth == 1 and key in STAND_INS:
                    parent[key] = STAND_INS[str(key)]
                    found.stand_ins.add(here)
                    return True
                if key in TEXT_KEYS and (key not in parent or not isinstance(
                        parent[key], dict | list)):
                    parent[key] = f"(no {key} at {'/'.join(map(str, here))})"
                    found.stand_ins.add(here)
                    return True
                continue  # wrong or missing: the entry that holds it goes instead
            if key not in parent:
                return True
            if here[:1] == ("agencies",) and len(here) == 2:
                services = _get(found.original, (*here, "services"))[1]
                found.lines_of[str(key)] = set(services) if isinstance(services, dict) else set()
            del parent[key]
        elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
            del parent[key]
        else:
            continue
        entry = _entry_kind(here)
        if entry is not None:
            found.entries[entry[0]].add(entry[1])
        found.removed.add(here)
        return True
    return False


def sound_part(data: dict[str, Any], errors: list[Any], found: SetAside) -> dict[str, Any] | None:
    """`data` without what `errors` are in (a copy), recording what went in `found`; None
    when an error is in the skeleton of the file."""
    if found.original is None:
        found.original = data
    out = copy.deepcopy(data)
    # Deepest and last first, so that taking out a list item leaves the others in place.
    locs = sorted({tuple(e["loc"]) for e in errors},
                  key=lambda loc: [(0, p) if isinstance(p, int) else (1, p) for p in loc],
                  reverse=True)
    for loc in locs:
        if not _take(out, loc, found):
            return None
    return out
