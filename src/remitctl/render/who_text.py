"""`who` and `--short` as rich renderables: whom to ring, until when, the next hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text

from remitctl.cover.lookup import CoverAnswer
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED, Stretch
from remitctl.registry.model import NATION_NAMES, Issue, Registry
from remitctl.render.layout import _grid, _Line, _line
from remitctl.render.parts import (
    STATE_STYLE,
    STATUS_STYLE,
    _contact,
    _service,
    _short_name,
    _span_end,
    area_names,
    dated_days,
    fallback_state,
    status_words,
)
from remitctl.render.words import local, moment, relative, safe
from remitctl.when import When


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

def who(answers: list[CoverAnswer], registry: Registry, when: When,
        also: Iterable[Issue] = (), because: dict[str, str] | None = None,
        unmatched: Iterable[str] = (), danger: bool = False) -> RenderableType:
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
    if danger:
        blocks.append(Text("threat to life: answered with the urgent issue type"
                           + (" first; the other close matches are named below" if also
                              else ""), style="bold red"))
    ignored = list(unmatched)
    if ignored and not danger:
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
