"""Turn what an officer types for --at into an exact instant, explaining clock-change cases.

Accepted: `now`; ISO 8601 (`2026-12-25T14:00`, `2026-12-25 14:00`, with or without an
offset; a date alone means its midnight); `HH:MM` (today); `today|tomorrow|yesterday HH:MM`;
a weekday and time such as `fri 21:00` (the next such moment, today included).

A local time that does not exist (clocks go forward) is moved forward by the gap;
one that happens twice (clocks go back) means the first, summer-time one. Both
come with a note saying so and how to ask for the other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {name: i for i, name in enumerate(DAYS)}
_DAY_NAMES.update({full: i for i, full in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))})
_DAY_NAMES.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})
_CLOCK = re.compile(r"(\d{1,2})[:.h]?(\d{2})\Z")


class WhenError(ValueError):
    """--at could not be understood; the message says what is accepted."""


@dataclass(frozen=True)
class When:
    instant: dt.datetime  # UTC
    local: dt.datetime  # in the registry's zone
    notes: tuple[str, ...] = field(default=())


def _clock(text: str) -> dt.time:
    m = _CLOCK.match(text)
    if not m:
        raise WhenError(f"{text!r} is not a time of day; write HH:MM, e.g. 21:00")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour == 24 and minute == 0:
        raise WhenError("24:00 is not a moment; write 00:00 and the next day")
    if hour > 23 or minute > 59:
        raise WhenError(f"{text!r} is not a time of day; hours run 00-23 and minutes 00-59")
    return dt.time(hour, minute)


def localise(naive: dt.datetime, tz: ZoneInfo) -> When:
    """Attach `tz` to a wall-clock time, saying how a clock-change time was read."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    stamp = naive.strftime("%H:%M on %a %d %b %Y")
    if back != naive:  # in the gap when clocks go forward
        moved = first.astimezone(UTC)
        local = moved.astimezone(tz)
        gap = (second.utcoffset() or dt.timedelta(0)) - (first.utcoffset() or dt.timedelta(0))
        note = (f"{stamp} does not exist: clocks go forward {abs(gap).seconds // 60} minutes "
                f"that night; using {local:%H:%M %Z}, the same moment as {first:%H:%M} would "
                "have been.")
        return When(moved, local, (note,))
    if first.utcoffset() != second.utcoffset():
        note = (f"{stamp} happens twice (clocks go back): using the first, {first:%H:%M %Z} "
                f"(UTC{_offset(first)}); for the second write "
                f"{naive:%Y-%m-%dT%H:%M}{_offset(second)}.")
        return When(first.astimezone(UTC), first, (note,))
    return When(first.astimezone(UTC), first)


def _offset(t: dt.datetime) -> str:
    off = t.utcoffset() or dt.timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


FIRST_YEAR, LAST_YEAR = 1990, 2100


def parse_when(text: str | None, tz: ZoneInfo, now: dt.datetime | None = None) -> When:
    """The instant `text` means, in zone `tz`, relative to `now` (UTC; default: the clock)."""
    try:
        when = _parse(text, tz, now)
    except OverflowError:
        raise WhenError(f"{text!r} is too far from today") from None
    if not FIRST_YEAR <= when.local.year <= LAST_YEAR:
        raise WhenError(f"remitctl answers for {FIRST_YEAR}-{LAST_YEAR}; "
                        f"{when.local:%Y} is outside that")
    return when


def _parse(text: str | None, tz: ZoneInfo, now: dt.datetime | None) -> When:
    now = (now or dt.datetime.now(UTC).replace(microsecond=0)).astimezone(tz)
    raw = (text or "now").strip()
    low = raw.lower()
    if low in ("", "now"):
        return When(now.astimezone(UTC), now)
    words = low.split()
    if len(words) == 2 and words[0] in ("today", "tomorrow", "yesterday"):
        shift = {"today": 0, "tomorrow": 1, "yesterday": -1}[words[0]]
        day = now.date() + dt.timedelta(days=shift)
        return localise(dt.datetime.combine(day, _clock(words[1])), tz)
    if len(words) == 2 and words[0].rstrip(".,") in _DAY_NAMES:
        target = _DAY_NAMES[words[0].rstrip(".,")]
        clock = _clock(words[1])
        ahead = (target - now.weekday()) % 7
        day = now.date() + dt.timedelta(days=ahead)
        candidate = localise(dt.datetime.combine(day, clock), tz)
        if candidate.instant < now.astimezone(UTC):
            candidate = localise(dt.datetime.combine(day + dt.timedelta(days=7), clock), tz)
        return candidate
    if len(words) == 1 and _CLOCK.match(low) and "-" not in low:
        return localise(dt.datetime.combine(now.date(), _clock(low)), tz)
    try:
        parsed = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
    except ValueError:
        raise WhenError(
            f"cannot read --at {raw!r}; write now, 21:00, 'fri 21:00', 'tomorrow 08:00', "
            "2026-12-25 or 2026-12-25T14:00 (optionally with +00:00)") from None
    if parsed.tzinfo is not None:
        instant = parsed.astimezone(UTC)
        return When(instant, instant.astimezone(tz))
    return localise(parsed, tz)
