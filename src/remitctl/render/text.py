"""Results as rich renderables for people. Registry text is never read as markup."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from remitctl.cover.lookup import CoverAnswer, FallbackStep
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED, Stretch
from remitctl.registry.model import (
    NATION_NAMES,
    Agency,
    Area,
    DatedHours,
    Issue,
    Registry,
    Service,
)
from remitctl.render.words import (
    bank_holiday_words,
    hours_in_words,
    local,
    moment,
    relative,
    safe,
)
from remitctl.when import When

STATUS_STYLE = {COVERED: "bold green", UNCERTAIN: "bold yellow", UNCOVERED: "bold red"}
STATUS_WORD = {COVERED: "COVERED", UNCERTAIN: "UNCERTAIN", UNCOVERED: "NOBODY COVERS THIS NOW"}
STATE_STYLE = {"open": "green", "closed": "red", "unknown": "yellow"}


class _Kept(Text):
    """Text never broken across lines: a phone number, a time."""


_ATOM = re.compile(r"\S+\s*|\s+")


class _Flow:
    """Text that wraps only between words and never inside a kept piece (a phone number),
    continuing wrapped lines `indent` cells in. Built from plain strings and styles, not by
    slicing rich Text: `now` lays out hundreds of these."""

    def __init__(self, pieces: Iterable[Text], indent: int = 0) -> None:
        self.atoms: list[list[tuple[str, str | Style]]] = []
        for piece in pieces:
            if isinstance(piece, _Kept) or not piece.plain:
                self.atoms.append(_segments(piece))
                continue
            if piece.spans:  # several styles in one piece: cut it where its words end
                cuts = [m.end() for m in _ATOM.finditer(piece.plain)][:-1]
                self.atoms.extend(_segments(part) for part in piece.divide(cuts))
                continue
            style = piece.style
            self.atoms.extend([(m.group(), style)] for m in _ATOM.finditer(piece.plain))
        self.indent = indent

    @staticmethod
    def _width(atom: list[tuple[str, str | Style]], *, trailing: bool = False) -> int:
        text = "".join(t for t, _ in atom)
        return cell_len(text if trailing else text.rstrip())

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = [self._width(a) for a in self.atoms] or [0]
        total = sum(self._width(a, trailing=True) for a in self.atoms)
        return Measurement(min(max(widths) + self.indent, options.max_width),
                           min(total, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines: list[Text] = []
        line = Text()
        used = 0
        for atom in self.atoms:
            need = self._width(atom)
            blank = need == 0
            if used and line.plain.strip() and used + need > width:
                line.rstrip()
                lines.append(line)
                line = Text(" " * self.indent)
                used = self.indent
                if blank:
                    continue
            for text, style in atom:
                line.append(text, style)
            used += self._width(atom, trailing=True)
        line.rstrip()
        lines.append(line)
        for done in lines:  # each ends its own line; one that fits is not wrapped again
            if done.cell_len <= width:
                done.no_wrap = True
            yield done


def _segments(text: Text) -> list[tuple[str, str | Style]]:
    if not text.spans:
        return [(text.plain, text.style)]
    return [(text.plain[start:end], style) for start, end, style in _runs(text)]


def _runs(text: Text) -> list[tuple[int, int, str | Style]]:
    """A Text's plain string as runs of one combined style each."""
    cuts = sorted({0, len(text.plain), *(s.start for s in text.spans),
                   *(s.end for s in text.spans)})
    runs: list[tuple[int, int, str | Style]] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        styles = [text.style, *(s.style for s in text.spans if s.start <= a and s.end >= b)]
        parts = [str(x) for x in styles if x]
        runs.append((a, b, " ".join(parts)))
    return runs


class _Pieces:
    """Builds a _Flow with Text's append API, keeping kept pieces whole."""

    def __init__(self, first: str = "", indent: int = 4) -> None:
        self.pieces: list[Text] = [Text(first)] if first else []
        self.indent = indent

    def append(self, text: str, style: str = "") -> None:
        self.pieces.append(Text(text, style=style))

    def append_text(self, text: Text) -> None:
        self.pieces.append(text)

    def keep(self, text: str, style: str = "") -> None:
        """A piece never broken across lines ('Mon 08:30')."""
        self.pieces.append(_Kept(text, style=style))

    def flow(self) -> _Flow:
        return _Flow(self.pieces, self.indent)


def _flow(*parts: str | tuple[str, str] | Text, indent: int = 0) -> _Flow:
    pieces: list[Text] = []
    for part in parts:
        if isinstance(part, Text):
            pieces.append(part)
        elif isinstance(part, tuple):
            pieces.append(Text(safe(part[0]), style=part[1]))
        else:
            pieces.append(Text(safe(part)))
    return _Flow(pieces, indent)


class _Line:
    """A labelled line; consecutive ones are laid out as a two-column grid."""

    def __init__(self, label: str, value: RenderableType) -> None:
        self.label = label
        self.value = value


class _Fit:
    """The wide layout where the terminal has room for it, else the narrow one (a table's
    columns squeezed to a few characters each cannot be read)."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int) -> None:
        self.wide = wide
        self.narrow = narrow
        self.min_width = min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.min_width else self.narrow


def _records(table: Table, spaced: bool) -> RenderableType:
    """A table's rows one under another: the first cell, then 'Header: cell' indented."""
    out: list[RenderableType] = []
    if table.title:
        out.append(Text(str(table.title), style="bold"))
    columns = [(str(c.header) if table.show_header else "", [_as_text(cell) for cell in c.cells])
               for c in table.columns]
    for n in range(table.row_count):
        first = columns[0][1][n]
        if n and spaced:
            out.append(Text(""))
        if first.plain.strip():
            out.append(first)
        for header, cells in columns[1:]:
            if cells[n].plain.strip():
                line = Text.assemble((f"{header}: ", "dim"), cells[n]) if header else cells[n]
                out.append(Padding(line, (0, 0, 0, 2)))
    return Group(*out)


def _as_text(cell: RenderableType) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))


def _fit(table: Table, min_width: int, *, spaced: bool = True) -> RenderableType:
    return _Fit(table, _records(table, spaced), min_width)


def _grid(rows: list[RenderableType | _Line]) -> RenderableType:
    out: list[RenderableType] = []
    narrow: list[RenderableType] = []
    grid: Table | None = None
    for row in rows:
        if isinstance(row, _Line):
            if grid is None:
                grid = Table.grid(padding=(0, 1))
                grid.add_column(style="dim", no_wrap=True, min_width=16)
                grid.add_column(overflow="fold")
                out.append(grid)
            grid.add_row(Text("  " + safe(row.label)), row.value)
            narrow += [Text("  " + safe(row.label), style="dim"), Padding(row.value, (0, 0, 0, 4))]
        else:
            grid = None
            out.append(row)
            narrow.append(row)
    return _Fit(Group(*out), Group(*narrow), 40)


def _line(label: str, *parts: str | tuple[str, str] | Text) -> _Line:
    return _Line(label, _flow(*parts))


def _service(s: Service) -> Text:
    text = Text()
    text.append(safe(s.agency_name), style="bold")
    text.append(" · ")
    text.append(safe(s.name), style="bold")
    return text


def _short_name(s: Service) -> str:
    """A service line's name without its '(…)' note, for one-line listings."""
    name = safe(s.name)
    short = re.sub(r"\s*\([^()]*\)$", "", name).strip()
    return short or name


def _contact(s: Service) -> Text:
    return _Kept(safe(s.contact.primary()), style="cyan")


def area_names(registry: Registry, ids: Iterable[str]) -> str:
    ids = list(ids)
    if registry.areas and len(ids) == len(registry.areas) and len(ids) > 1:
        return "all areas"
    return safe(", ".join(registry.areas[i].name for i in ids if i in registry.areas))


def _span_end(t: dt.datetime, start: dt.datetime, tz: ZoneInfo) -> str:
    """An end time, with its day only when it is not the start's day."""
    a, b = start.astimezone(tz), t.astimezone(tz)
    return f"{b:%H:%M}" if a.date() == b.date() else f"{b:%a %H:%M}"


def _who_rings(s: Stretch, registry: Registry) -> Text:
    if s.status == COVERED and s.primary:
        return Text(_short_name(registry.services[s.primary]))
    if s.status == UNCERTAIN and s.primary:
        return Text.assemble(("maybe ", "yellow"), _short_name(registry.services[s.primary]))
    return Text("nobody", style="bold red")


def _timeline(a: CoverAnswer, registry: Registry, tz: ZoneInfo, is_now: bool) -> list[_Line]:
    """'now–17:00  A', '17:00–Sat 03:00  B', 'Sat 03:00–Mon 09:00  nobody'."""
    rows = []
    for n, s in enumerate(a.next_hours()):
        start = ("now" if is_now else f"{a.at.astimezone(tz):%H:%M}") if n == 0 else (
            _span_end(s.start, a.at, tz))
        end = _span_end(s.end, s.start if n else a.at, tz) if s.end < a.window_end else "…"
        text = Text(f"{start}–{end}".ljust(19) + " ")
        text.append_text(_who_rings(s, registry))
        rows.append(_Line("next hours" if n == 0 else "", text))
    return rows


def status_words(status: str, when_words: str) -> str:
    """'COVERED NOW', 'NOBODY COVERS THIS at Fri 04 Dec 21:30 GMT (in 6 h)'."""
    word = STATUS_WORD[status].removesuffix(" NOW")
    return f"{word} NOW" if when_words == "now" else f"{word} {when_words}"


def who(answers: list[CoverAnswer], registry: Registry, when: When,
        also: Iterable[Issue] = (), because: dict[str, str] | None = None,
        unmatched: Iterable[str] = ()) -> RenderableType:
    tz = ZoneInfo(registry.timezone)
    first = answers[0]
    now = when.asked_at or when.instant
    blocks: list[RenderableType] = []
    head = Text()
    head.append(safe(first.issue.title), style="bold")
    head.append(f"  ({first.issue.id})", style="dim")
    head.append(f"\nat {local(first.at, tz, year=True)}")
    if not when.is_now:
        head.append(f" ({relative(first.at, now)})", style="bold")
    blocks.append(head)
    ignored = list(unmatched)
    if ignored:
        words = ", ".join(repr(w) for w in ignored)
        blocks.append(Text(f"note: no issue type mentions {words}; this is the closest match",
                           style="yellow"))
    for other in also:
        line = Text("also: ", style="bold yellow")
        line.append(safe(other.title))
        why = (because or {}).get(other.id)
        if why:
            line.append(f" — {safe(why)}")
        line.append(f"  (remitctl who {safe(other.id)})", style="dim")
        blocks.append(line)
    for note in when.notes:
        blocks.append(Text(f"note: {note}", style="yellow"))
    for a in answers:
        blocks.append(Text(""))
        blocks.append(answer(a, registry, tz, when))
    return Group(*blocks)


def answer(a: CoverAnswer, registry: Registry, tz: ZoneInfo, when: When) -> RenderableType:
    """Two separate things: whom to ring at the moment and until when that stays so; then
    whether the issue stays covered, and the next hours as a timeline."""
    is_now = when.is_now
    now = when.asked_at or when.instant
    moment_words = moment(a.at, now, tz)
    rows: list[RenderableType | _Line] = []
    title = Text()
    if a.stands_for:
        title.append(area_names(registry, a.stands_for), style="bold underline")
        title.append("\n")
    title.append(status_words(a.status, moment_words), style=STATUS_STYLE[a.status])
    rows.append(title)

    def rel(t: dt.datetime) -> str:
        return f"{local(t, tz)} ({relative(t, a.at, is_now=is_now)})"

    covering = a.covering
    if a.status == COVERED and covering is not None:
        rows.append(_line("ring", _service(covering)))
        rows.append(_line("contact", _contact(covering)))
        for channel, value in covering.contact.channels():
            if value != covering.contact.primary():
                rows.append(_line(channel, value))
        mine = a.line(covering.ref)
        until = a.ring_until
        if until is None:
            rows.append(_line("ring them until", "no change in the next 5 weeks"))
        else:
            nxt = a.upcoming[0] if a.upcoming else None
            if mine is not None and mine.until == until:
                why = "their line closes then"
            elif nxt is not None and nxt.status == COVERED and nxt.primary:
                why = f"then {registry.services[nxt.primary].name} answers first"
            else:
                why = "then the cover changes"
            rows.append(_line("ring them until", f"{rel(until)}: {why}"))
            if mine is not None and mine.until != until:
                rows.append(_line("their line", "open until " + rel(mine.until) if mine.until
                                  else "open for at least 5 weeks"))
        rows.append(_line("cover", _cover_words(a, tz, rel)))
        rows.extend(_timeline(a, registry, tz, is_now))
        if covering.notes:
            rows.append(_line("notes", covering.notes))
    else:
        if a.status == UNCERTAIN and a.current.primary:
            svc = registry.services[a.current.primary]
            why = a.current.comment or "the registry marks these hours as unknown"
            rows.append(_line("maybe", _service(svc), f" — {why}"))
            rows.append(_line("contact", _contact(svc)))
        since = rel(a.run_start) if a.run_start else "more than a week earlier"
        rows.append(_line("no cover since" if a.status == UNCOVERED else "uncertain since",
                          since))
        if a.next_cover is not None and a.next_cover.primary:
            nxt_svc = registry.services[a.next_cover.primary]
            rows.append(_line("next cover", f"{rel(a.next_cover.start)}: ", _service(nxt_svc),
                              "  ", _contact(nxt_svc)))
        elif not a.lines:
            rows.append(_line("next cover", ("no service line covers this at all", "bold red")))
        else:
            rows.append(_line("next cover", ("none in the next 5 weeks", "bold red")))
        rows.extend(_fallback(a, tz, is_now))
        if a.lines:
            rows.extend(_timeline(a, registry, tz, is_now))
    if a.bank_holiday:
        rows.append(_line("bank holiday", (f"{a.bank_holiday} "
                                           f"({NATION_NAMES[registry.nation_for(a.area)]})",
                                           "yellow")))
    for svc, closure in a.closures:
        rows.append(_line("closure", (f"{svc.label}: {closure.reason} "
                                      f"({closure.start:%d %b} – {closure.end:%d %b %Y})",
                                      "yellow")))
    for svc, dated in a.dated:
        rows.append(_line("dated hours", (f"{svc.label}: {dated.reason} ({dated_days(dated)})",
                                          "yellow")))
    return _grid(rows)


def dated_days(d: DatedHours) -> str:
    """'00:00-24:00, 29 Dec – 31 Dec 2026' or 'off, 24 Dec 2026'."""
    days = (f"{d.start:%d %b %Y}" if d.start == d.end
            else f"{d.start:%d %b} – {d.end:%d %b %Y}")
    return f"{d.words}, {days}"


def _cover_words(a: CoverAnswer, tz: ZoneInfo, rel: Callable[[dt.datetime], str]) -> str:
    """Whether the issue stays covered (by anyone), and what comes after."""
    if a.run_end is None:
        return "covered without a break for at least 5 weeks"
    after = next((s for s in a.upcoming if s.start >= a.run_end), None)
    if after is not None and after.status == UNCOVERED:
        back = (f" until {local(after.end, tz)}" if after.end < a.window_end
                else " for at least 5 weeks")
        return f"covered until {rel(a.run_end)}, then nobody{back}"
    if after is not None and after.status == UNCERTAIN:
        return f"covered until {rel(a.run_end)}, then uncertain until {local(after.end, tz)}"
    return f"covered until {rel(a.run_end)}"


def fallback_state(step: FallbackStep, at: dt.datetime, tz: ZoneInfo, is_now: bool = True
                   ) -> str:
    """What a dispatcher must know before ringing a fallback: '' when it is open, else
    ' (closed now, opens Mon 09:00)' (every output that names a fallback says this)."""
    if step.state == "open":
        return ""
    what = "hours not known" if step.state == "unknown" else step.state
    opens = (f"opens {_short_time(step.opens, at, tz)}" if step.opens is not None
             else "not open within 5 weeks")
    return f" ({what} {'now' if is_now else 'then'}, {opens})"


def _mark(line: _Pieces, step: FallbackStep, at: dt.datetime, tz: ZoneInfo,
          is_now: bool) -> None:
    """A fallback's state after its number, kept on one line ('(closed now, opens 09:00)')."""
    state = fallback_state(step, at, tz, is_now)
    if state:
        line.append(" ")
        line.keep(state.strip(), style="red")


def _fallback(a: CoverAnswer, tz: ZoneInfo, is_now: bool) -> list[_Line]:
    if not a.fallback:
        return [_line("meanwhile", ("no fallback is named for this issue", "bold red"))]
    rows = []
    for n, step in enumerate(a.fallback):
        label = "meanwhile" if n == 0 else "…then"
        state = fallback_state(step, a.at, tz, is_now)
        rows.append(_line(label, _service(step.service), "  ", _contact(step.service),
                          (state, STATE_STYLE.get(step.state, ""))))
    if a.fallback[-1].state != "open":
        rows.append(_line("warning", ("the fallback is not open either", "bold red")))
    return rows


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

    id_width = max((len(a.issue.id) for a in answers), default=0)
    area_width = max((len(where(a)) for a in answers), default=0)
    for a in answers:
        line = _Pieces()
        if titles:
            line.append(safe(a.issue.id).ljust(id_width) + "  ", style="bold")
        if area_width:
            line.append(where(a).ljust(area_width) + "  ")
        line.append(f"{_status_cell(a):<9} ", style=STATUS_STYLE[a.status])
        svc, role = _ring(a, registry)
        if svc is None:
            line.append("nobody to ring: no fallback named", style="bold red")
        else:  # a fallback or an uncertain line: "ring" / "maybe" says it is not cover
            line.append({"fallback": "ring ", "maybe": "maybe "}.get(role, ""))
            line.append(_short_name(svc), style="bold")
            line.append("  ")
            line.append_text(_contact(svc))
            if role == "fallback" and a.fallback:
                _mark(line, a.fallback[0], a.at, tz, when.is_now)
        if a.status == COVERED:
            until = a.ring_until
            if until:
                line.append("  until ")
                line.keep(_short_time(until, a.at, tz))
            else:
                line.append("  no change in 5 weeks")
        elif a.next_cover is not None:
            line.append("  cover ")
            line.keep(_short_time(a.next_cover.start, a.at, tz))
        else:
            line.append("  no cover within 5 weeks", style="red")
        lines.append(line.flow())
    return Group(*lines)


def now_table(answers: list[CoverAnswer], registry: Registry, when: When,
              area: str | None = None, *, full: bool = False) -> RenderableType:
    """Every issue at a glance, what needs acting on first: nobody covering, then uncertain,
    each in full; then the covered ones a line each (`full`: those in full too)."""
    tz = ZoneInfo(registry.timezone)
    now = when.asked_at or when.instant
    if when.is_now:
        title = f"Cover now, {local(when.instant, tz, year=True)}"
    else:
        title = f"Cover at {local(when.instant, tz, year=True)} ({relative(when.instant, now)})"
    if area is not None:
        title += f" in {safe(registry.areas[area].name)}"
    parts: list[RenderableType] = [Text(title, style="bold")]
    parts.extend(Text(f"note: {n}", style="yellow") for n in when.notes)
    holidays = sorted({(a.bank_holiday, registry.nation_for(a.area)) for a in answers
                       if a.bank_holiday})
    for name, nation in holidays:
        parts.append(Text(f"Bank holiday in {NATION_NAMES[nation]}: {name}", style="yellow"))
    closures = sorted({(s.label, c.reason, c.start, c.end) for a in answers
                       for s, c in a.closures})
    for label, reason, start, end in closures:
        parts.append(Text(f"Closed that day: {safe(label)} — {safe(reason)} "
                          f"({start:%d %b} – {end:%d %b %Y})", style="yellow"))
    if full:
        for a in answers:
            parts.append(Text(""))
            parts.append(Text(safe(a.issue.title), style="bold"))
            parts.append(answer(a, registry, tz, when))
        return Group(*parts)
    show_area = bool(registry.areas) and area is None
    groups = {st: [a for a in answers if a.status == st] for st in (UNCOVERED, UNCERTAIN,
                                                                     COVERED)}
    heads = {UNCOVERED: "NOBODY COVERING", UNCERTAIN: "UNCERTAIN", COVERED: "COVERED"}
    for status, group in groups.items():
        if not group:
            continue
        parts.append(Text(""))
        head = _Pieces(indent=2)
        common = _common_fallback(group) if status != COVERED else None
        # The count is of the entries listed below: issue types when grouped by issue.
        listed = (len({a.issue.id for a in group}) if status == UNCOVERED and common is not None
                  else len(group))
        head.append(f"{heads[status]} ({listed})", style=STATUS_STYLE[status])
        if common is not None:
            head.append("  meanwhile ring ")
            head.append(_short_name(common), style="bold")
            head.append("  ")
            head.append_text(_contact(common))
            _mark(head, group[0].fallback[0], group[0].at, tz, when.is_now)
        parts.append(head.flow())
        if status == UNCOVERED and common is not None:
            parts.extend(_uncovered_by_issue(group, registry, tz, show_area))
            continue
        for a in group:
            line = _Pieces("  ")
            line.append(safe(a.issue.title), style="bold")
            if show_area:
                line.append(f" — {_area_short(registry, a.stands_for)}")
            line.append(": ")
            if status == COVERED and a.covering is not None:
                line.append(_short_name(a.covering))
                line.append("  ")
                line.append_text(_contact(a.covering))
                if a.ring_until:
                    line.append("  until ")
                    line.keep(_short_time(a.ring_until, a.at, tz))
                else:
                    line.append("  no change within 5 weeks")
            else:
                if status == UNCERTAIN and a.current.primary:
                    svc = registry.services[a.current.primary]
                    line.append("maybe ", style="yellow")
                    line.append(_short_name(svc))
                    line.append("  ")
                    line.append_text(_contact(svc))
                    line.append("; ")
                if a.next_cover is not None and a.next_cover.primary:
                    line.append("cover from ")
                    line.keep(_short_time(a.next_cover.start, a.at, tz))
                    line.append(" ")
                    line.append(f"({_short_name(registry.services[a.next_cover.primary])})",
                                style="dim")
                else:
                    line.append("no cover within 5 weeks", style="bold red")
                fb = a.fallback[0].service if a.fallback else None
                if fb is None:
                    line.append("; no fallback named", style="bold red")
                elif common is None or fb.ref != common.ref:
                    line.append("; meanwhile ")
                    line.append(_short_name(fb))
                    line.append("  ")
                    line.append_text(_contact(fb))
                    _mark(line, a.fallback[0], a.at, tz, when.is_now)
            parts.append(line.flow())
    return Group(*parts)


def _uncovered_by_issue(group: list[CoverAnswer], registry: Registry, tz: ZoneInfo,
                        show_area: bool) -> list[RenderableType]:
    """One entry per issue type, its areas with when cover returns:
    'Noise nuisance: cover from 19:00 Kingsbridge City, Mon 09:00 North Moor District'."""
    by_issue: dict[str, list[CoverAnswer]] = {}
    for a in group:
        by_issue.setdefault(a.issue.id, []).append(a)
    out: list[RenderableType] = []
    for answers in by_issue.values():
        line = _Pieces("  ")
        line.append(safe(answers[0].issue.title), style="bold")
        when: dict[str, list[str]] = {}
        for a in answers:
            back = (_short_time(a.next_cover.start, a.at, tz) if a.next_cover is not None
                    else "none within 5 weeks")
            when.setdefault(back, []).extend(a.stands_for)
        line.append(": cover from ")
        for n, (back, ids) in enumerate(when.items()):
            if n:
                line.append("; ")
            line.keep(back, style="bold red" if back.startswith("none") else "")
            names = _area_short(registry, ids)
            if show_area and (len(when) > 1 or names != "all areas"):
                line.append(f" {names}")
        out.append(line.flow())
    return out


def _common_fallback(group: list[CoverAnswer]) -> Service | None:
    refs = {a.fallback[0].service.ref if a.fallback else None for a in group}
    if len(refs) == 1 and group[0].fallback:
        return group[0].fallback[0].service
    return None


def _area_short(registry: Registry, ids: Iterable[str]) -> str:
    """Area names without their '(…)' notes: 'Kingsbridge City', 'all areas'."""
    names = area_names(registry, ids)
    if names == "all areas":
        return names
    return ", ".join(safe(registry.areas[i].name).split(" (")[0] for i in ids
                     if i in registry.areas)


def _short_time(t: dt.datetime | None, at: dt.datetime, tz: ZoneInfo) -> str:
    """'17:00' the same day, 'Sat 03:00' within a week, else 'Sat 05 Dec 03:00'."""
    if t is None:
        return "later"
    a, b = at.astimezone(tz), t.astimezone(tz)
    if a.date() == b.date():
        return f"{b:%H:%M}"
    if (b.date() - a.date()).days < 7:
        return f"{b:%a %H:%M}"
    return f"{b:%a %d %b %H:%M}"


def issue_list(issues: list[Issue]) -> RenderableType:
    table = Table(title="Issue types", title_justify="left")
    table.add_column("Id", style="bold", no_wrap=True)
    table.add_column("Title")
    table.add_column("Also known as", overflow="fold")
    for i in issues:
        table.add_row(Text(safe(i.id)), Text(safe(i.title)), Text(safe(", ".join(i.aliases))))
    return _fit(table, 70)


def agency_list(registry: Registry) -> RenderableType:
    table = Table(title="Agencies and service lines", title_justify="left")

    def longest(texts: Iterable[str]) -> int:
        return max((len(w) for t in texts for w in safe(t).split()), default=0)

    services = list(registry.services.values())
    widths = [max((len(r) + 2 for r in registry.services), default=12),
              longest(s.name for s in services), longest(s.hours for s in services),
              max(longest(s.contact.primary() for s in services),
                  max((len(s.contact.phone) for s in services if s.contact.phone), default=0))]
    table.add_column("Service line", style="bold", no_wrap=True)
    table.add_column("Name", min_width=widths[1])
    # A table squeezed below its longest word cuts it ("08:30-17:0"): never that narrow.
    table.add_column("Hours", min_width=widths[2])
    table.add_column("Contact", min_width=widths[3])  # a phone number stays on one line
    for agency in registry.agencies.values():
        table.add_row(Text(safe(agency.id), style="bold underline"), Text(safe(agency.name),
                                                                           style="bold"), "", "")
        for ref in agency.services:
            s = registry.services[ref]
            table.add_row(Text("  " + safe(ref)), Text(safe(s.name)), Text(safe(s.hours)),
                          Text(safe(s.contact.primary())))
    return _fit(table, sum(widths) + 3 * len(widths) + 40)  # room for names to wrap


def timetable(week: list[tuple[dt.date, list[tuple[str, str, str]]]],
              title: str = "Typical week") -> RenderableType:
    """A weekly timetable: each day's open (and unknown) spans as HH:MM–HH:MM."""
    table = Table(title=title, title_justify="left", show_header=False, box=None)
    table.add_column("Day", style="bold", no_wrap=True)
    table.add_column("Hours", overflow="fold")
    for day, spans in week:
        text = Text()
        if not spans:
            text.append("closed", style="red")
        for n, (a, b, state) in enumerate(spans):
            if n:
                text.append(", ")
            text.append(f"{a}–{b}", style=STATE_STYLE.get(state, ""))
            if state == "unknown":
                text.append(" (unknown)", style="yellow")
        table.add_row(f"{day:%A}", text)
    return _fit(table, 24, spaced=False)


def service_detail(s: Service, registry: Registry,
                   week: list[tuple[dt.date, list[tuple[str, str, str]]]],
                   used_by: list[Issue]) -> RenderableType:
    rows: list[RenderableType | _Line] = [Text.assemble(_service(s), Text(f"  ({safe(s.ref)})",
                                                                  style="dim"))]
    for channel, value in s.contact.channels():
        rows.append(_line(channel, value))
    rows.append(_line("hours", s.hours))
    rows.append(_line("in words", hours_in_words(s.hours)))
    rows.append(_line("bank holidays", bank_holiday_words(s.bank_holidays)))
    for c in s.closures:
        rows.append(_line("closure", f"{c.start:%d %b %Y} – {c.end:%d %b %Y}: {c.reason}"))
    for d in s.dated_hours:
        rows.append(_line("dated hours", f"{dated_days(d)}: {d.reason}"))
    agency = registry.agencies.get(s.agency_id)
    if not s.agency_closures and agency is not None and agency.closures:
        rows.append(_line("closures", f"keeps running while {agency.name} is closed "
                          "(agency_closures: ignore)"))
    if s.fallback:
        fb = registry.services.get(s.fallback)
        rows.append(_line("fallback", _service(fb) if fb else s.fallback))
    if s.notes:
        rows.append(_line("notes", s.notes))
    rows.append(_line("verified", f"{s.verified:%d %b %Y}" if s.verified else "never"))
    rows.append(_line("covers", ", ".join(i.title for i in used_by) or "no issue type"))
    rows.append(timetable(week))
    return _grid(rows)


def issue_detail(i: Issue, registry: Registry,
                 weeks: list[tuple[str, list[tuple[dt.date, list[tuple[str, str, str]]]]]]
                 ) -> RenderableType:
    """An issue type: names, remit, law, and per area its lines' hours in plain words and
    the typical week of the combined cover."""
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(i.title), style="bold"),
                                                Text(f"  ({safe(i.id)})", style="dim"))]
    if i.aliases:
        rows.append(_line("aliases", ", ".join(i.aliases)))
    if i.keywords:
        rows.append(_line("keywords", ", ".join(i.keywords)))
    if i.remit:
        rows.append(_line("remit", i.remit))
    if i.legal_basis:
        rows.append(_line("legal basis", i.legal_basis))
    if i.fallback:
        rows.append(_line("fallback", _service(registry.services[i.fallback])))
    for p in i.policies:
        where = registry.areas[p.area].name if p.area else "every area"
        rule = "24/7" if p.max_gap_hours == 0 else f"no gap over {p.max_gap_hours:g} h"
        rows.append(_line("policy", f"{where}: {rule}"))
    out: list[RenderableType] = [_grid(rows)]
    for where, week in weeks:
        key = next((k for k in i.cover if k != "default" and registry.areas[k].name == where),
                   "default")
        refs = i.cover.get(key, i.cover.get("default", ()))
        area_rows: list[RenderableType | _Line] = [Text(""), Text(safe(where),
                                                              style="bold underline")]
        if not refs:
            area_rows.append(_line("cover", ("nobody", "bold red")))
        for n, ref in enumerate(refs):
            s = registry.services[ref]
            area_rows.append(_line("cover" if n == 0 else "", _service(s), "  ", _contact(s)))
            area_rows.append(_line("", f"{hours_in_words(s.hours)}; "
                                   f"{bank_holiday_words(s.bank_holidays)}"))
        area_rows.append(timetable(week, title="Typical week, any line"))
        out.append(_grid(area_rows))
    return Group(*out)


def area_detail(area: Area, registry: Registry) -> RenderableType:
    """An area: who covers each issue type there, in order of preference."""
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(area.name), style="bold"),
                                                Text(f"  ({safe(area.id)})", style="dim"))]
    if area.description:
        rows.append(_line("about", area.description))
    rows.append(_line("bank holidays", NATION_NAMES[registry.nation_for(area.id)]))
    for issue in registry.issues.values():
        refs = issue.cover_for(area.id)
        names = ", ".join(_short_name(registry.services[r]) for r in refs) or "nobody"
        rows.append(_line(issue.title[:40], names))
    return _grid(rows)


def agency_detail(agency: Agency, registry: Registry) -> RenderableType:
    rows: list[RenderableType | _Line] = [Text.assemble(Text(safe(agency.name), style="bold"),
                                                Text(f"  ({safe(agency.id)})", style="dim"))]
    if agency.kind:
        rows.append(_line("kind", agency.kind))
    for c in agency.closures:
        rows.append(_line("closure", f"{c.start:%d %b %Y} – {c.end:%d %b %Y}: {c.reason}"))
    for ref in agency.services:
        s = registry.services[ref]
        rows.append(Text.assemble("  ", _service(s), Text(f"  ({safe(ref)})", style="dim")))
        rows.append(_line("  hours", f"{hours_in_words(s.hours)}; "
                          f"{bank_holiday_words(s.bank_holidays)}"))
        rows.append(_line("  contact", s.contact.primary()))
    return _grid(rows)
