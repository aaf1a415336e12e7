"""`who --short` and `now --short`: one line per entry, for a dispatcher, at any width.

Each entry is issue id (`now`), area, status, whom to ring (or that nobody can be rung),
their contact, and until when. Where the terminal is too narrow for the whole line, the
entry still takes one line: first the name is shortened with an ellipsis (to 12 cells at
least) or a contact in words is; a name beside a number is shortened further (to 6
cells), or left out, to keep the number, which is what a dispatcher dials (the issue and
area say whose it is); then a contact in words is left out
(`who` without --short gives it: a number is never cut), the name shortened further and
the issue-id column
narrowed; the status, a fallback's state ("closed now, opens 09:00") and the time are
never cut. Piped output has no width
limit, so scripts always get every part.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from remitctl.cover.lookup import CoverAnswer
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.record import record
from remitctl.registry.model import Registry, Service
from remitctl.render.parts import (
    STATUS_STYLE,
    _short_name,
    _short_time,
    area_names,
    fallback_state,
)
from remitctl.render.words import local, moment, safe
from remitctl.when import When

PHONE = re.compile(r"^[\d +()-]+$")  # a number: shown whole or not at all
NAME_MIN = 12  # a name is not shortened below this before the issue-id column is
ID_MIN = 12  # nor the issue-id column below this
NAME_LEAST = 6  # a name kept beside a number is shortened to this before the number goes


def _ring(a: CoverAnswer, registry: Registry) -> tuple[Service | None, str]:
    """Whom to ring at the moment, and in what capacity."""
    if a.status == COVERED and a.covering is not None:
        return a.covering, ""
    if a.status == UNCERTAIN and a.current.primary:
        return registry.services[a.current.primary], "maybe"
    fb = a.fallback[0].service if a.fallback else None
    return fb, "fallback"


def _status_cell(a: CoverAnswer) -> str:
    return {COVERED: "COVERED", UNCERTAIN: "UNCERTAIN", UNCOVERED: "NOBODY"}[a.status]


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, an ellipsis marking a cut."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out.rstrip() + "…" if width > 0 else ""


@record
class _Entry:
    issue: str  # "" without the issue column
    area: str
    status: str
    status_style: str
    role: str  # "ring ", "maybe " or ""
    name: str  # "" when nobody can be rung
    nobody: str  # said instead of a name
    mark: str  # a fallback's state, when it is not open
    contact: str
    until: str
    until_style: str


class _Entries:
    """The entries, each fitted to one line of the console's width when it is drawn."""

    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries

    def _line(self, e: _Entry, id_w: int, area_w: int, name_w: int | None,
              contact: bool | int) -> Text:
        """The entry's line: the name cut to `name_w`, the contact whole (True), left out
        (False) or, when it is words rather than a number, cut to that many cells."""
        line = Text()
        if id_w:
            line.append(_cut(e.issue, id_w).ljust(id_w) + "  ", style="bold")
        if area_w:
            line.append(e.area.ljust(area_w) + "  ")
        line.append(f"{e.status:<9} ", style=e.status_style)
        if e.name:
            line.append(e.role)
            bare = name_w == 0 and contact is True and bool(e.contact)  # the number alone
            if not bare:
                line.append(e.name if name_w is None else _cut(e.name, name_w), style="bold")
            if contact is not False and e.contact:
                line.append("" if bare else "  ")
                line.append(e.contact if contact is True else _cut(e.contact, contact),
                            style="cyan")
            if e.mark:
                line.append(" ")
                line.append(e.mark, style="red")
        else:
            line.append(e.nobody, style="bold red")
        line.append("  ")
        line.append(e.until, style=e.until_style)
        return line

    def _room(self, e: _Entry, id_w: int, area_w: int, width: int) -> int:
        """Cells left for the name in a line without the contact."""
        return width - self._line(e, id_w, area_w, 0, False).cell_len

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        id_w = max((cell_len(e.issue) for e in self.entries), default=0)
        area_w = max((cell_len(e.area) for e in self.entries), default=0)
        # The issue-id column gives up what the tightest name needs (not below ID_MIN).
        short = [e for e in self.entries
                 if self._line(e, id_w, area_w, None, True).cell_len > width and e.name]
        need = max((NAME_MIN - self._room(e, id_w, area_w, width) for e in short
                    if self._room(e, id_w, area_w, width) < min(NAME_MIN, cell_len(e.name))),
                   default=0)
        if id_w and need > 0:
            id_w = max(min(id_w, ID_MIN), id_w - need)
        for e in self.entries:
            line = self._line(e, id_w, area_w, None, True)
            over = line.cell_len - width
            if over > 0 and e.name:  # the name shortened, the contact kept
                keep = cell_len(e.name) - over
                if keep >= NAME_MIN:
                    line = self._line(e, id_w, area_w, keep, True)
                elif not PHONE.match(e.contact) and cell_len(e.contact) - over >= NAME_MIN:
                    line = self._line(e, id_w, area_w, None, cell_len(e.contact) - over)
                elif PHONE.match(e.contact):
                    # The number is what a dispatcher dials: the name gives way first,
                    # to NAME_LEAST cells, then wholly (issue and area say whose it is).
                    line = self._line(e, id_w, area_w, keep if keep >= NAME_LEAST else 0,
                                      True)
            if line.cell_len > width:  # a number is never cut: whole, or left out
                line = self._line(e, id_w, area_w, None, False)
            if line.cell_len > width and e.name:
                line = self._line(e, id_w, area_w,
                                  max(1, self._room(e, id_w, area_w, width)), False)
            line.truncate(width, overflow="ellipsis")
            line.end = "\n"
            yield line


def short(answers: list[CoverAnswer], registry: Registry, when: When, *,
          titles: bool = False) -> RenderableType:
    """One line per answer, for a dispatcher: area, status, whom to ring, number, until."""
    tz = ZoneInfo(registry.timezone)
    now = when.asked_at or when.instant
    lines: list[RenderableType] = []
    said = moment(answers[0].at if answers else when.instant, now, tz)
    if said == "now":
        said = f"now, {local(when.instant, tz)}"
    if not titles and answers:
        lines.append(Text.assemble((safe(answers[0].issue.title), "bold"), f" {said}"))
    else:
        lines.append(Text(f"Cover {said}", style="bold"))
    # A clock-change reading of --at matters to a dispatcher as much as to anyone.
    lines.extend(Text(f"note: {n}", style="yellow") for n in when.notes)

    def where(a: CoverAnswer) -> str:
        if not a.stands_for:
            return ""
        return ("all areas" if area_names(registry, a.stands_for) == "all areas"
                else ",".join(a.stands_for))

    entries = []
    for a in answers:
        svc, role = _ring(a, registry)
        mark = ""
        if svc is not None and role == "fallback" and a.fallback:
            mark = fallback_state(a.fallback[0], a.at, tz, when.is_now).strip()
        if a.status == COVERED:
            until, style = (f"until {_short_time(a.ring_until, a.at, tz)}" if a.ring_until
                            else "no change in 5 weeks"), ""
        elif a.next_cover is not None:
            until, style = f"cover {_short_time(a.next_cover.start, a.at, tz)}", ""
        else:
            until, style = "no cover within 5 weeks", "red"
        entries.append(_Entry(
            issue=safe(a.issue.id) if titles else "", area=where(a), status=_status_cell(a),
            status_style=STATUS_STYLE[a.status],
            role={"fallback": "ring ", "maybe": "maybe "}.get(role, ""),
            name=_short_name(svc) if svc is not None else "",
            nobody="nobody to ring: no fallback named", mark=mark,
            contact=safe(svc.contact.primary()) if svc is not None else "",
            until=until, until_style=style))
    lines.append(_Entries(entries))
    return Group(*lines)
