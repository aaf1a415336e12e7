"""What `validate` can still check across a registry with errors, and what it cannot.

Cover policies, dangers and unused lines follow references, so an error can change
their answer: they run on the issue types and service lines that no error touches
(directly or through a line they rely on), and everything else is named, exactly, as
checked once the errors are fixed. Errors that change nobody's cover (a name, an alias,
a contact detail, a verified date) do not hold anything back.
"""

from __future__ import annotations

import dataclasses

from remitctl.registry.loader import Checked
from remitctl.registry.model import DEFAULT, Registry
from remitctl.registry.sound import ALL, SetAside
from remitctl.registry.yaml_source import Path_

# Keys whose errors change nobody's cover.
WORDS = {"name", "title", "aliases", "codes", "keywords", "remit", "legal_basis", "notes",
         "verified", "kind", "description", "contact"}
HARMLESS = {"alias", "id", "contact"}  # error codes that change nobody's cover
# The checks that need the whole registry sound, named as the note names them.
WHOLE = ["unused service lines", "cover policies", "lines that leave officers with nobody"]
_WORD = {"areas": "area", "agencies": "agency", "services": "service line",
         "issues": "issue type"}


def _entity(loc: Path_) -> tuple[str, str, str | None]:
    """(kind, name, field) of the entry `loc` lies in: ('services', 'a/b', 'hours')."""
    def at(n: int) -> str | None:
        return str(loc[n]) if len(loc) > n else None

    if loc[:1] == ("agencies",) and len(loc) >= 4 and loc[2] == "services":
        return "services", f"{loc[1]}/{loc[3]}", at(4)
    if loc[:1] in (("agencies",), ("issues",), ("areas",)) and len(loc) >= 2:
        return str(loc[0]), str(loc[1]), at(2)
    return "registry", "", at(0)


def _loc(kind: str, name: str) -> Path_:
    if kind == "services":
        agency, _, line = name.partition("/")
        return ("agencies", agency, "services", line)
    return (kind, name)


def sound_cover(checked: Checked) -> tuple[Registry | None, list[str]]:
    """The registry cut to what no error touches (None when an error touches all of it),
    and what was not checked, each as 'what (line N)', in file order."""
    registry, doc = checked.registry, checked.doc
    assert registry is not None
    aside = checked.set_aside or SetAside()
    def line(kind: str, name: str) -> int:
        return doc.where(_loc(kind, name), key=True)[0]

    rest = sorted((line(kind, name), f"the rest of {_WORD[kind]} {name!r} (line "
                   f"{line(kind, name)})") for kind, names in aside.entries.items()
                  for name in names if name != ALL)
    skipped = [text for _, text in rest]

    bad: dict[str, set[str]] = {"services": set(), "agencies": set(), "issues": set()}
    # A duplicate key or a refused tag: which value counts is not known.
    whole = any(p.code == "yaml" for p in checked.errors) or any(
        ALL in names for names in aside.entries.values()) or bool(aside.entries["areas"])
    for loc, code in checked.broken:
        kind, name, field = _entity(loc)
        if code in HARMLESS or field in WORDS:
            continue
        if kind == "registry":
            whole = whole or field not in ("name", "version")
        elif kind == "areas":
            whole = True
        else:
            bad[kind].add(name)
    if whole:
        return None, WHOLE + skipped

    ok: dict[str, bool] = {}

    def sound(ref: str) -> bool:
        if ref in ok:
            return ok[ref]
        ok[ref] = False  # while walking: a loop is not sound
        svc = registry.services.get(ref)
        ok[ref] = (svc is not None and ref not in bad["services"]
                   and svc.agency_id not in bad["agencies"]
                   and (svc.fallback is None or sound(svc.fallback)))
        return ok[ref]

    services = {ref: svc for ref, svc in registry.services.items() if sound(ref)}
    issues = {}
    for issue_id, issue in registry.issues.items():
        refs = [r for refs in issue.cover.values() for r in refs]
        if issue.fallback:
            refs.append(issue.fallback)
        if (issue_id not in bad["issues"] and all(r in services for r in refs)
                and all(a == DEFAULT or a in registry.areas for a in issue.cover)):
            issues[issue_id] = issue
        else:
            skipped.append(f"cover policies and dangers of issue type {issue_id!r} "
                           f"(line {issue.line})")
    skipped += [f"dangers of service line {ref!r} (line {svc.line})"
                for ref, svc in registry.services.items() if ref not in services]
    if aside.entries["issues"]:
        skipped.insert(0, "unused service lines")  # an issue set aside may use any line
    agencies = {a: dataclasses.replace(ag, services=tuple(r for r in ag.services
                                                          if r in services))
                for a, ag in registry.agencies.items()}
    return dataclasses.replace(registry, services=services, issues=issues,
                               agencies=agencies), skipped
