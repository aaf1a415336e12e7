"""Repeated problems said once: a file with 200 problems reads as a dozen lines.

Problems of one kind with the same hint (37 phone numbers without quotes) become one
group: the kind, how many, each place (with the value that differs, when one does) and
the hint once. A kind is named by `KINDS`, one table of message patterns; problems no
pattern names are grouped only when their messages are the same word for word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from remitctl.registry.problems import Problem

# Fewer problems of one kind than this are listed one by one, as usual.
GROUP_AT = 5
WIDTH = 100  # places wrap onto lines of about this width

# (code, message pattern, kind in the plural): the pattern's `v` group, when it has one,
# is what differs between problems of the kind and is shown at each place.
KINDS: list[tuple[str, re.Pattern[str], str]] = [(code, re.compile(pattern), kind) for
                                                 code, pattern, kind in [
    ("type", r"contact\.phone \S+ must be in quotes$", "phone numbers without quotes"),
    ("type", r" (?P<v>\S+) must be in quotes$", "values without quotes"),
    ("type", r"web address (?P<v>'.*') does not start", "web addresses without https://"),
    ("type", r"email address (?P<v>'.*') is not an email", "email addresses without @"),
    ("type", r"phone number (?P<v>'.*') has letters", "phone numbers with letters or signs"),
    ("type", r"^(?P<v>.+) is blank$", "blank values"),
    ("type", r"^(?P<v>.+) must be a date, not", "dates not written YYYY-MM-DD"),
    ("type", r"^(?P<v>.+) must be a number, not", "values that are not numbers"),
    ("unknown-key", r"^unknown key (?P<v>'.*')$", "unknown keys"),
    ("missing-key", r"^missing required key (?P<v>'.*') in", "missing required keys"),
    ("ref", r"^unknown service line (?P<v>'.*')$", "unknown service lines"),
    ("ref", r"^unknown area (?P<v>'.*')$", "unknown areas"),
    ("hours", r"^hours (?P<v>'.*') is not valid opening_hours", "hours that do not parse"),
    ("hours", r"^hours uses (?P<v>PH|SH)\b", "hours that use PH or SH"),
    ("bank-holidays", r"^say what happens on bank holidays", "lines without bank_holidays"),
    ("alias", r"^\w+ (?P<v>'.*' also names issue '.*') \(line", "names shared by two issues"),
    ("id", r" id (?P<v>'.*') must be lower-case", "ids that are not lower-case-words"),
    ("closure", r"^a closure needs a reason$", "closures without a reason"),
    ("closure", r"^closure (?P<v>'.*') ends on .* but starts", "closures that end before "
     "they start"),
    ("stale", r"^(?P<v>\S+): details last verified", "lines verified too long ago"),
    ("unverified", r"^(?P<v>\S+): details have no verified date", "lines with no verified "
     "date"),
    ("phone", r"^phone (?P<v>'.*') is not a valid UK number", "doubtful UK phone numbers"),
    ("closure-past", r"^closure (?P<v>'.*') ended on", "past closures"),
    ("dated-past", r"^dated hours (?P<v>'.*') ended on", "past dated hours"),
    ("unused", r"^service line (?P<v>'.*') is not used", "unused service lines"),
]]


@dataclass(frozen=True)
class Group:
    """Problems of one kind with one hint, in file order."""

    severity: str
    code: str
    kind: str  # in the plural: 'phone numbers without quotes'
    hint: str | None
    problems: tuple[Problem, ...]
    details: tuple[str, ...]  # what differs at each place ('' when nothing does)

    def places(self) -> list[str]:
        out = []
        for p, detail in zip(self.problems, self.details, strict=True):
            where = f"{p.line}:{p.column}" if p.column > 0 else str(p.line)
            out.append(f"{where} {detail}" if detail else where)
        return out


def group_text(g: Group, path: str) -> str:
    """A group as text: a line with its kind and places (places wrapped onto indented
    lines, never the kind), then the hint once."""
    said = (f"{len(g.problems)} {g.kind}" if any(g.kind is k for _, _, k in KINDS)
            else f"{g.kind} ({len(g.problems)} times)")
    lines = [f"{path}: {g.severity}: {said}:"]
    places = g.places()
    for n, place in enumerate(places):
        text = place + ("," if n < len(places) - 1 else "")
        if len(lines[-1]) + 1 + len(text) > WIDTH and lines[-1].strip():
            lines.append(" ")
        lines[-1] += " " + text
    return "\n".join(lines) + (f"\n  hint: {g.hint}" if g.hint else "")


def _kind(p: Problem) -> tuple[str, str]:
    """(kind, detail) of a problem; the kind is its message when no pattern names it."""
    for code, pattern, kind in KINDS:
        if p.code == code:
            match = pattern.search(p.message)
            if match:
                return kind, (match.group("v") if "v" in pattern.groupindex else "")
    return p.message, ""


def grouped(problems: tuple[Problem, ...] | list[Problem]) -> list[Problem | Group]:
    """`problems` in order, with each kind that repeats GROUP_AT times or more (same
    severity, same hint) as one Group where its first problem stood."""
    keyed: dict[tuple[str, str, str, str | None], list[tuple[Problem, str]]] = {}
    for p in problems:
        kind, detail = _kind(p)
        keyed.setdefault((p.severity, p.code, kind, p.hint), []).append((p, detail))
    out: list[Problem | Group] = []
    done: set[tuple[str, str, str, str | None]] = set()
    for p in problems:
        kind, _ = _kind(p)
        key = (p.severity, p.code, kind, p.hint)
        members = keyed[key]
        if len(members) < GROUP_AT:
            out.append(p)
        elif key not in done:
            done.add(key)
            out.append(Group(p.severity, p.code, kind, p.hint,
                             tuple(m for m, _ in members), tuple(d for _, d in members)))
    return out


def group_docs(problems: tuple[Problem, ...]) -> list[dict[str, object]]:
    """The groups for JSON: each names its problems by their index in `problems`."""
    index = {id(p): n for n, p in enumerate(problems)}
    return [{"severity": g.severity, "code": g.code, "kind": g.kind, "count": len(g.problems),
             "hint": g.hint, "problems": [index[id(p)] for p in g.problems]}
            for g in grouped(problems) if isinstance(g, Group)]
