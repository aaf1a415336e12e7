"""`now` as a rich renderable: every issue at a glance, what needs acting on first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text

from remitctl.cover.lookup import CoverAnswer
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.registry.model import NATION_NAMES, Registry, Service
from remitctl.render.layout import _Pieces
from remitctl.render.parts import (
    STATUS_STYLE,
    _area_short,
    _contact,
    _mark,
    _short_name,
    _short_time,
)
from remitctl.render.who_text import answer
from remitctl.render.words import local, relative, safe
from remitctl.when import When

NO_COVER = "no cover in the next 5 weeks"  # the look-ahead (cover.lookup.LOOK_AHEAD)


def now_table(answers: list[CoverAnswer], registry: Registry, when: When,
              area: str | None = None, *, full: bool = False,
              detail: bool = False) -> RenderableType:
    """Every issue at a glance, what needs acting on first: nobody covering, then uncertain,
    an entry each; then the covered ones in one summary line, so that the first screen
    (80x24) holds what needs acting on (`full`: the covered ones an entry each too;
    `detail`: every issue in full, as `who` answers it)."""
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
    if detail:
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
        if status == COVERED and not full:
            parts.append(Text.assemble((f"{heads[status]} ({len(group)})", STATUS_STYLE[status]),
                                       "  not listed: remitctl now --full lists them"))
            continue
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
                    line.append(NO_COVER, style="bold red")
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
    """One entry per issue type, naming exactly the areas nobody covers and when cover
    returns there: 'Noise nuisance — Kingsbridge City: cover from 19:00; North Moor
    District: from Mon 09:00'; 'Stray dogs — all areas: cover from Mon 09:00'; where it
    does not return within the look-ahead, 'Brackenford District: no cover in the next 5
    weeks'."""
    by_issue: dict[str, list[CoverAnswer]] = {}
    for a in group:
        by_issue.setdefault(a.issue.id, []).append(a)
    out: list[RenderableType] = []
    for answers in by_issue.values():
        line = _Pieces("  ")
        line.append(safe(answers[0].issue.title), style="bold")
        when: dict[str | None, list[str]] = {}  # None: no cover within the look-ahead
        for a in answers:
            back = (_short_time(a.next_cover.start, a.at, tz) if a.next_cover is not None
                    else None)
            when.setdefault(back, []).extend(a.stands_for)
        said_from = False
        for n, (back, ids) in enumerate(when.items()):
            if show_area:
                line.append(" — " if n == 0 else "; ")
                line.append(_area_short(registry, ids))
            line.append(": " if show_area or n == 0 else "; ")
            if back is None:
                line.append(NO_COVER, style="bold red")
                continue
            line.append("from " if said_from else "cover from ")
            said_from = True
            line.keep(back)
        out.append(line.flow())
    return out


def _common_fallback(group: list[CoverAnswer]) -> Service | None:
    refs = {a.fallback[0].service.ref if a.fallback else None for a in group}
    if len(refs) == 1 and group[0].fallback:
        return group[0].fallback[0].service
    return None
