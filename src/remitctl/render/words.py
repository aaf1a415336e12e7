"""Plain words shared by every renderer: times, durations, hours, safe text."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_DAY_WORDS = {
    "Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday", "Th": "Thursday", "Fr": "Friday",
    "Sa": "Saturday", "Su": "Sunday",
}


def counted(n: int, noun: str) -> str:
    """`1 row`, `2 rows`, `1,000 incidents`: a count with its noun, singular for one."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def safe(text: object) -> str:
    """Registry text with control characters (ANSI escapes, bidi overrides) removed."""
    return _CONTROL.sub("", str(text)).replace("\t", " ")


def local(t: dt.datetime, tz: ZoneInfo, *, year: bool = False, day: bool = True) -> str:
    lt = t.astimezone(tz)
    if not day:
        return f"{lt:%H:%M %Z}"
    return f"{lt:%a %d %b %Y %H:%M %Z}" if year else f"{lt:%a %d %b %H:%M %Z}"


def duration(delta: dt.timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    if minutes < 0:
        minutes = -minutes
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts[:2])


def relative(t: dt.datetime, now: dt.datetime, *, is_now: bool = True) -> str:
    """'in 5 h' / '3 h ago' from the present; from another moment, '5 h later' /
    '3 h earlier', so that an answer for Friday never reads as if it were for now."""
    delta = t - now
    if abs(delta) < dt.timedelta(minutes=1):
        return "now" if is_now else "the same moment"
    if is_now:
        return f"in {duration(delta)}" if delta > dt.timedelta(0) else f"{duration(delta)} ago"
    return f"{duration(delta)} later" if delta > dt.timedelta(0) else f"{duration(delta)} earlier"


def moment(t: dt.datetime, now: dt.datetime, tz: ZoneInfo) -> str:
    """How an answer names its moment: 'now', or 'at Fri 04 Dec 21:30 GMT (in 6 h)'."""
    if abs(t - now) < dt.timedelta(minutes=1):
        return "now"
    return f"at {local(t, tz)} ({relative(t, now)})"


def hours_in_words(expression: str) -> str:
    """A readable rendering of an opening_hours expression (the expression stays the truth)."""
    text = expression.strip()
    if text == "24/7":
        return "24 hours a day, 7 days a week"
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)\b",
                  lambda m: f"{_DAY_WORDS[m.group(1)]} to {_DAY_WORDS[m.group(2)]}", text)
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b", lambda m: _DAY_WORDS[m.group(1)], text)
    text = re.sub(r"(day),(?=[A-Z])", r"\1, ", text)
    text = re.sub(r"(\d\d:\d\d)-(\d\d:\d\d)", r"\1–\2", text)
    text = re.sub(r"\boff\b|\bclosed\b", "closed", text)
    return "; ".join(part.strip() for part in text.split(";"))


def bank_holiday_words(rule: str) -> str:
    return {
        "closed": "closed on bank holidays",
        "normal": "bank holidays as any other day",
        "unknown": "bank-holiday cover not known",
    }.get(rule, f"bank holidays: {hours_in_words(rule)}")
