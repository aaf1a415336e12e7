"""The gap report as an iCalendar file: one event per gap, so a duty inspector can subscribe
to 'hours with no mental health cover'. Events are transparent (they never make anyone look
busy) and keep the same UID when the file is made again, so calendars update in place."""

from __future__ import annotations

import datetime as dt
import hashlib

from remitctl import __version__
from remitctl.cover.gaps import AreaReport, Gap, GapReport
from remitctl.cover.timeline import UNCOVERED
from remitctl.render.gaps.words import (
    area_label,
    edge_words,
    fallback_words,
    hours,
    report_title,
    why_words,
)
from remitctl.render.words import safe


def uid(r: AreaReport, g: Gap, registry_name: str) -> str:
    key = "|".join((registry_name, r.issue.id, ",".join(r.areas), g.status,
                    g.start.isoformat(), g.end.isoformat()))
    return hashlib.sha256(key.encode()).hexdigest()[:32] + "@remitctl"


def render(report: GapReport, now: dt.datetime | None = None) -> str:
    from icalendar import Calendar, Event  # imported here: only this format needs it

    reg = report.registry
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", f"-//remitctl {__version__}//gap report//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    titles = [safe(s.issue.title) for s in report.issues]
    cal.add("x-wr-calname", f"No cover: {', '.join(titles)}" if len(titles) <= 3
            else report_title(report))
    cal.add("x-wr-timezone", reg.timezone)
    for s in report.issues:
        for r in s.reports:
            where = f" — {area_label(reg, r.areas)}" if reg.areas else ""
            title = safe(r.issue.title)
            for g in r.gaps:
                word = "No cover" if g.status == UNCOVERED else "Uncertain cover"
                event = Event()
                event.add("uid", uid(r, g, reg.name))
                event.add("dtstamp", stamp)
                event.add("dtstart", g.start)
                event.add("dtend", g.end)
                event.add("summary", f"{word}: {title}{where}")
                lines = [f"{word} for {title} in {area_label(reg, r.areas)}"
                         if reg.areas else f"{word} for {title}",
                         f"Length: {hours(g.duration)}",
                         f"Picked up by: {fallback_words(g, reg)}"]
                lines.extend(p for p in (why_words(g, reg), edge_words(g, report.tz)) if p)
                event.add("description", "\n".join(lines))
                event.add("categories", [word, r.issue.id])
                event.add("transp", "TRANSPARENT")
                cal.add_component(event)
    return bytes(cal.to_ical()).decode("utf-8")
