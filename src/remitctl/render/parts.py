"""Shared pieces of text output: status styles, a service line's name and contact,
area names, short times. Registry text is never read as markup."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from rich.text import Text

from remitctl.cover.lookup import FallbackStep
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.registry.model import DatedHours, Registry, Service
from remitctl.render.layout import _Kept, _Pieces
from remitctl.render.words import safe

STATUS_STYLE = {COVERED: "bold green", UNCERTAIN: "bold yellow", UNCOVERED: "bold red"}
STATUS_WORD = {COVERED: "COVERED", UNCERTAIN: "UNCERTAIN", UNCOVERED: "NOBODY COVERS THIS NOW"}
STATE_STYLE = {"open": "green", "closed": "red", "unknown": "yellow"}
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

def status_words(status: str, when_words: str) -> str:
    """'COVERED NOW', 'NOBODY COVERS THIS at Fri 04 Dec 21:30 GMT (in 6 h)'."""
    word = STATUS_WORD[status].removesuffix(" NOW")
    return f"{word} NOW" if when_words == "now" else f"{word} {when_words}"

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


def dated_days(d: DatedHours) -> str:
    """'00:00-24:00, 29 Dec – 31 Dec 2026' or 'off, 24 Dec 2026'."""
    days = (f"{d.start:%d %b %Y}" if d.start == d.end
            else f"{d.start:%d %b} – {d.end:%d %b %Y}")
    return f"{d.words}, {days}"


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
