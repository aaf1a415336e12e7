"""Turn what an officer types for --at into an exact instant, explaining clock-change cases.

A time of day on its own means its NEXT occurrence (now or later): `03:00` typed at 15:18
means tonight, not this morning. A moment in the past is reached only by saying so: a
date, `yesterday 23:00`, `last fri 21:00`, `-2h` or `2 hours ago`.

Accepted:
  now
  21:00  9pm  9:30pm  2am  noon  midnight        the next such time (today or tomorrow)
  tonight 23:00  tonight 2am                     this evening, or after midnight tonight
  today|tomorrow|yesterday 08:00                 that day
  fri 21:00  sat 2am  next fri 21:00             the next such moment (today included)
  last fri 21:00                                 the one before now
  +2h  +90m  +1d  -2h  in 2 hours  2 hours ago   from now
  25/12/2026 10:00  25/12 10:00  25 Dec 10:00   day first (UK); a year left out means the
                                                 nearest such date, before or after today
  2026-12-25  2026-12-25 14:00  2026-12-25T14:00+00:00   ISO 8601 (a date alone: midnight)

Moments read far from the one probably meant are said, with the other's exact spelling
(`When.other`, and a note): a time of day or a weekday whose occurrence passed only a
little earlier (within SHIFT, or earlier today for a weekday) and so was read as the next
one, a day or a week ahead; and `today`/`tomorrow`/`yesterday`/`tonight` typed in the small
hours (before 06:00), when the shift's day is still the calendar's previous one.

`log` reads with past=True: a time of day or a weekday alone means its most recent past
occurrence, and a moment more than SKEW ahead of the clock is refused, with the spelling
that would record the past one.

A local time that does not exist (clocks go forward) is moved forward by the gap;
one that happens twice (clocks go back) means the first, summer-time one. Both
come with a note saying so and how to ask for the other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field
from zoneinfo import ZoneInfo

from remitctl.record import record

UTC = dt.UTC
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {name: i for i, name in enumerate(DAYS)}
_DAY_NAMES.update({full: i for i, full in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))})
_DAY_NAMES.update({"tues": 1, "wednes": 2, "weds": 2, "thur": 3, "thurs": 3})
_MONTHS = {name: i + 1 for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MONTHS.update({full: i + 1 for i, full in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))})
_MONTHS["sept"] = 9
_CLOCK = re.compile(r"(\d{1,2})[:.h]?(\d{2})\Z")
_MERIDIEM = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?\Z")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\Z")
_OFFSET = re.compile(r"([+-])\s*(\d{1,4})\s*([a-z]+)\Z")
_IN = re.compile(r"in\s+(\d{1,4})\s*([a-z]+)\Z")
_AGO = re.compile(r"(\d{1,4})\s*([a-z]+)\s+ago\Z")
_UNITS = {"m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
          "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
          "d": 1440, "day": 1440, "days": 1440}
_NOW_WORDS = ("", "now", "right now")
NOON_WORDS = {"noon": dt.time(12, 0), "midday": dt.time(12, 0), "midnight": dt.time(0, 0)}

ACCEPTED = ("now, 21:00, 9pm, 'tonight 23:00', 'tomorrow 08:00', 'yesterday 23:00', "
            "'sat 2am', '+2h', '-2h', 'in 2 hours', '25/12 10:00', '25/12/2026 10:00', "
            "'25 Dec 10:00', 2026-12-25T14:00")


SHIFT = dt.timedelta(hours=6)  # an occurrence this recent may well be the one meant
SKEW = dt.timedelta(minutes=5)  # `log` accepts a moment this far ahead of the clock
SMALL_HOURS = dt.time(6)  # before this, the shift's "today" is the calendar's yesterday


class WhenError(ValueError):
    """--at could not be understood; the message says what is accepted."""


class FutureMoment(WhenError):
    """A moment still to come where one that has happened is needed (`log`); the message
    gives the spelling of the last such moment."""


@record
class Other:
    """The moment the officer probably meant when it is not the one read, and how to ask
    for it exactly."""

    instant: dt.datetime  # UTC
    local: dt.datetime
    spelling: str  # what to type for it: 'today 23:00'
    why: str  # how the one read was chosen: 'the next one', 'by the calendar'


@record
class When:
    instant: dt.datetime  # UTC
    local: dt.datetime  # in the registry's zone
    notes: tuple[str, ...] = field(default=())
    asked_at: dt.datetime | None = None  # UTC: the clock when it was asked (None: unknown)
    other: Other | None = None  # the moment probably meant, when far from the one read

    @property
    def is_now(self) -> bool:
        """Whether this is the present moment (within a minute of the clock)."""
        return self.asked_at is None or abs(self.instant - self.asked_at) < dt.timedelta(
            minutes=1)


def _clock(text: str) -> dt.time:
    if text in NOON_WORDS:
        return NOON_WORDS[text]
    m = _MERIDIEM.match(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise WhenError(f"{text!r} is not a time of day; write e.g. 9pm, 9:30pm or 21:30")
        hour = hour % 12 + (12 if m.group(3) == "p" else 0)
        return dt.time(hour, minute)
    m = _CLOCK.match(text)
    if not m:
        if text.isdigit() and len(text) <= 2:
            raise WhenError(f"{text!r} is ambiguous: say {int(text) % 24:02d}:00, or "
                            f"{text}am or {text}pm")
        raise WhenError(f"{text!r} is not a time of day; write HH:MM, e.g. 21:00, or 9pm")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour == 24 and minute == 0:
        raise WhenError("24:00 is not a moment; write 00:00 and the next day")
    if hour > 23 or minute > 59:
        raise WhenError(f"{text!r} is not a time of day; hours run 00-23 and minutes 00-59")
    return dt.time(hour, minute)


def _is_clock(text: str) -> bool:
    return bool(text in NOON_WORDS or _MERIDIEM.match(text)
                or (_CLOCK.match(text) and "-" not in text))


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


def clock() -> dt.datetime:
    """The present moment, UTC, to the second (tests replace this, never the environment)."""
    return dt.datetime.now(UTC).replace(microsecond=0)


def parse_when(text: str | None, tz: ZoneInfo, now: dt.datetime | None = None, *,
               past: bool = False) -> When:
    """The instant `text` means, in zone `tz`, relative to `now` (UTC; default: the clock).
    `past`: a moment that has happened (`log`): a time or weekday alone is the last one, and
    a moment more than SKEW ahead is refused."""
    now = (now or clock()).astimezone(UTC)
    try:
        when = _parse(text, tz, now, past)
        other = _other(text, when, tz, now, past)
    except OverflowError:
        raise WhenError(f"{text!r} is too far from today") from None
    if not FIRST_YEAR <= when.local.year <= LAST_YEAR:
        raise WhenError(f"remitctl answers for {FIRST_YEAR}-{LAST_YEAR}; "
                        f"{when.local:%Y} is outside that")
    raw = " ".join((text or "now").split())
    if past and when.instant > now + SKEW:
        ahead = _distance(when.instant, now)
        fix = _past_spelling(raw, when, tz, now)
        raise FutureMoment(f"--at {raw!r} is {when.local:%a %d %b %Y %H:%M}, {ahead}: a log "
                        "records what has happened" + (f"; for the last such moment write "
                                                        f"--at {fix!r}" if fix else ""))
    notes = when.notes
    if other is not None:
        said = (f"{raw!r} read as {when.local:%a %d %b %H:%M} ({_distance(when.instant, now)}"
                f"), {other.why}; ")
        if past and other.instant > now:
            said += (f"{other.local:%a %d %b %H:%M} is still to come "
                     f"({_distance(other.instant, now)})")
        else:
            said += (f"for {other.local:%a %d %b %H:%M} ({_distance(other.instant, now)}) "
                     f"write {other.spelling!r}")
        notes += (said,)
    return When(when.instant, when.local, notes, now, other)


def _distance(t: dt.datetime, now: dt.datetime) -> str:
    """'in 6 days', '40 min ago', 'now': how far a moment is from the clock."""
    minutes = round((t - now).total_seconds() / 60)
    if abs(minutes) < 1:
        return "now"
    days, rest = divmod(abs(minutes), 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "day" if days == 1 else "days"),
                                             (hours, "h"), (mins, "min")) if n][:2]
    words = " ".join(parts)
    return f"in {words}" if minutes > 0 else f"{words} ago"


def _spell(day: dt.date, clock_text: str, now_local: dt.datetime) -> str:
    """How to type `clock_text` on `day` so that it reads exactly that day."""
    words = {0: "today", 1: "tomorrow", -1: "yesterday"}
    shift = (day - now_local.date()).days
    if shift in words:
        return f"{words[shift]} {clock_text}"
    return f"{day:%d/%m/%Y} {clock_text}"


def _reading(text: str | None) -> tuple[str, list[str]]:
    raw = " ".join((text or "now").split())
    return raw, raw.lower().replace(",", " ").split()


def _other(text: str | None, when: When, tz: ZoneInfo, now_utc: dt.datetime,
           past: bool) -> Other | None:
    """The moment the officer probably meant, when it is a day or a week from the one read:
    an occurrence passed (or, for `log`, still to come) within SHIFT that the reading
    skipped, or a day word typed in the small hours."""
    _, words = _reading(text)
    now = now_utc.astimezone(tz)
    if not words or not _is_clock(words[-1]) or len(words) > 3:
        return None
    clock_text = words[-1]
    clock = _clock(clock_text)
    first = words[0].rstrip(".")
    small_hours = now.time() < SMALL_HOURS
    if len(words) == 2 and first in ("today", "tomorrow", "yesterday", "tonight"):
        if not small_hours:
            return None
        why = "by the calendar (the shift's night began the day before)"
        if first == "tonight":  # this night, begun yesterday evening, vs the coming one
            if clock < dt.time(12):
                if when.local.date() == now.date():
                    return None
                day, why = now.date(), "the next one"  # this night's passed minutes ago
                if now_utc - localise(dt.datetime.combine(day, clock), tz).instant > SHIFT:
                    return None
            else:
                day = now.date() - dt.timedelta(days=1)
        else:
            day = when.local.date() - dt.timedelta(days=1)
        cand = localise(dt.datetime.combine(day, clock), tz)
        if past and cand.instant > now_utc + SKEW:
            return None
        return Other(cand.instant, cand.local, _spell(day, clock_text, now), why)
    weekday = len(words) == 2 and first in _DAY_NAMES
    if not (len(words) == 1 or weekday):
        return None
    step = 7 if weekday else 1
    # The occurrence on the other side of the clock from the one read.
    day = when.local.date() + dt.timedelta(days=step if past else -step)
    cand = localise(dt.datetime.combine(day, clock), tz)
    if past:
        if not now_utc + SKEW < cand.instant:
            return None
        near = cand.instant - now_utc <= SHIFT or (weekday and day == now.date())
        if not near:
            return None
        # Still to come: a log cannot record it; the note says which one was read.
        return Other(cand.instant, cand.local, _spell(day, clock_text, now),
                     "the last one (a log records what has happened)")
    if cand.instant >= now_utc - dt.timedelta(seconds=59):
        return None
    near = now_utc - cand.instant <= SHIFT or (weekday and day == now.date())
    if not near:
        return None
    return Other(cand.instant, cand.local, _spell(day, clock_text, now), "the next one")


def _past_spelling(raw: str, when: When, tz: ZoneInfo, now_utc: dt.datetime) -> str | None:
    """For a future moment given to `log`: the spelling of the last such moment."""
    low = raw.lower()
    for pattern in (_OFFSET, _IN):
        m = pattern.match(low)
        if m:
            amount, unit = m.groups()[-2:]
            return f"{amount} {unit} ago" if pattern is _IN else f"-{amount}{unit}"
    now = now_utc.astimezone(tz)
    clock = when.local.time()
    day = now.date()
    if localise(dt.datetime.combine(day, clock), tz).instant > now_utc:
        day -= dt.timedelta(days=1)
    words = low.replace(",", " ").split()
    clock_text = words[-1] if words and _is_clock(words[-1]) else f"{clock:%H:%M}"
    iso = re.match(r"\d{4}-\d{2}-\d{2}", low) is not None
    dated = _day_month(words, now.date())
    if dated is not None or iso:  # the same date in an earlier year
        year = when.local.year - 1
        while True:
            try:
                then = dt.date(year, when.local.month, when.local.day)
            except ValueError:
                year -= 1
                continue
            if localise(dt.datetime.combine(then, clock), tz).instant <= now_utc:
                return (f"{then:%Y-%m-%d}T{clock:%H:%M}" if iso
                        else f"{then:%d/%m/%Y} {clock_text}")
            year -= 1
    named = [_DAY_NAMES[w.rstrip(".")] for w in words if w.rstrip(".") in _DAY_NAMES]
    if named:  # the last such weekday, as a date: no reading of 'last fri' to guess at
        last = _last_at(now.date(), clock, tz, now_utc)
        while last.local.weekday() != named[-1]:
            last = _last_at(last.local.date() - dt.timedelta(days=1), clock, tz, now_utc)
        return f"{last.local:%d/%m/%Y} {clock_text}"
    return _spell(day, clock_text, now)


def _next_at(day: dt.date, clock: dt.time, tz: ZoneInfo, now: dt.datetime,
             step: int = 1) -> When:
    """The first `clock` on `day` or a later one (every `step` days) not before `now`."""
    candidate = localise(dt.datetime.combine(day, clock), tz)
    while candidate.instant < now - dt.timedelta(seconds=59):
        day += dt.timedelta(days=step)
        candidate = localise(dt.datetime.combine(day, clock), tz)
    return candidate


def _last_at(day: dt.date, clock: dt.time, tz: ZoneInfo, now: dt.datetime,
             step: int = 1) -> When:
    """The last `clock` on `day` or an earlier one (every `step` days) not after `now`."""
    candidate = localise(dt.datetime.combine(day, clock), tz)
    while candidate.instant > now + SKEW:
        day -= dt.timedelta(days=step)
        candidate = localise(dt.datetime.combine(day, clock), tz)
    return candidate


def _parse(text: str | None, tz: ZoneInfo, now_utc: dt.datetime, past: bool = False) -> When:
    now = now_utc.astimezone(tz)
    raw = " ".join((text or "now").split())
    low = raw.lower()
    if low in _NOW_WORDS:
        return When(now_utc, now)
    relative = _relative(low)
    if relative is not None:
        instant = now_utc + relative
        return When(instant, instant.astimezone(tz))
    words = low.replace(",", " ").split()
    if len(words) == 1 and _is_clock(low):
        if past:
            return _last_at(now.date(), _clock(low), tz, now_utc)
        return _next_at(now.date(), _clock(low), tz, now_utc)
    if len(words) == 1 and (words[0] in ("today", "tomorrow", "yesterday", "tonight")
                            or words[0].rstrip(".") in _DAY_NAMES):
        # A day, not a moment: which hour of it would be a guess an officer acts on.
        example = "23:00" if words[0] == "tonight" else f"{now:%H:%M}"
        raise WhenError(f"--at {raw!r} names a day, not a moment: add the time of day, "
                        f"e.g. '{raw} {example}'")
    if len(words) == 2 and words[0] in ("today", "tomorrow", "yesterday"):
        shift = {"today": 0, "tomorrow": 1, "yesterday": -1}[words[0]]
        day = now.date() + dt.timedelta(days=shift)
        return localise(dt.datetime.combine(day, _clock(words[1])), tz)
    if len(words) == 2 and words[0] == "tonight":
        clock = _clock(words[1])
        # Tonight runs from the evening into the small hours: 02:00 tonight is tomorrow's.
        day = now.date() + dt.timedelta(days=1 if clock < dt.time(12) else 0)
        if clock < dt.time(12) and now.time() < dt.time(6) and clock > now.time():
            day = now.date()  # already in the small hours: tonight is this night
        return localise(dt.datetime.combine(day, clock), tz)
    if words and words[0] in ("next", "last", "this") and len(words) == 3:
        direction, words = words[0], words[1:]
    else:
        direction = "last" if past else "next"
    if len(words) == 2 and words[0].rstrip(".") in _DAY_NAMES:
        target = _DAY_NAMES[words[0].rstrip(".")]
        clock = _clock(words[1])
        if direction == "last":
            back = (now.weekday() - target) % 7
            day = now.date() - dt.timedelta(days=back)
            candidate = localise(dt.datetime.combine(day, clock), tz)
            if candidate.instant > now_utc + SKEW if past else candidate.instant >= now_utc:
                candidate = localise(dt.datetime.combine(day - dt.timedelta(days=7), clock), tz)
            return candidate
        ahead = (target - now.weekday()) % 7
        return _next_at(now.date() + dt.timedelta(days=ahead), clock, tz, now_utc, step=7)
    dated = _day_month(words, now.date())
    if dated is not None:
        day, clock_text = dated
        clock = _clock(clock_text) if clock_text else dt.time(0)
        return localise(dt.datetime.combine(day, clock), tz)
    if re.fullmatch(r"\d{1,2}", low):
        _clock(low)  # raises: which of the two times?
    try:
        parsed = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
    except ValueError:
        iso = re.match(r"(\d{4})-(\d{2})-(\d{2})(?![\d-])", raw)
        if iso:  # a date in the right shape that the calendar does not have
            y, mo, d = map(int, iso.groups())
            try:
                dt.date(y, mo, d)
            except ValueError:
                if y < 1:
                    raise WhenError(f"there is no year {y} in {iso.group(0)} "
                                    "(year-month-day)") from None
                if not 1 <= mo <= 12:
                    raise WhenError(f"there is no month {mo} in {iso.group(0)} "
                                    "(year-month-day)") from None
                import calendar

                days = calendar.monthrange(y, mo)[1]
                raise WhenError(f"there is no day {iso.group(0)}: "
                                f"{calendar.month_name[mo]} {y} has {days} days"
                                ) from None
        raise WhenError(f"cannot read --at {raw!r}") from None
    if parsed.tzinfo is not None:
        instant = parsed.astimezone(UTC)
        return When(instant, instant.astimezone(tz))
    return localise(parsed, tz)


def _relative(low: str) -> dt.timedelta | None:
    """`+2h`, `-90m`, `in 2 hours`, `2 hours ago`: a distance from now, or None."""
    for pattern, sign in ((_OFFSET, 0), (_IN, 1), (_AGO, -1)):
        m = pattern.match(low)
        if not m:
            continue
        if sign == 0:
            sign_char, amount, unit = m.groups()
            sign = 1 if sign_char == "+" else -1
        else:
            amount, unit = m.groups()
        if unit not in _UNITS:
            raise WhenError(f"{low!r}: unknown unit {unit!r}; use m, h or d "
                            "(e.g. +90m, +2h, -1d, 'in 2 hours')")
        return dt.timedelta(minutes=sign * int(amount) * _UNITS[unit])
    return None


def _day_month(words: list[str], today: dt.date) -> tuple[dt.date, str | None] | None:
    """`25/12[/2026] [10:00]` or `25 Dec [2026] [10:00]` (day first), else None."""
    day = month = year = None
    rest: list[str] = []
    m = _SLASH_DATE.match(words[0]) if words else None
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        rest = words[1:]
    elif len(words) >= 2 and words[0].isdigit() and words[1].rstrip(".") in _MONTHS:
        day, month = int(words[0]), _MONTHS[words[1].rstrip(".")]
        rest = words[2:]
    elif len(words) >= 2 and words[0].rstrip(".") in _MONTHS and words[1].isdigit():
        day, month = int(words[1]), _MONTHS[words[0].rstrip(".")]
        rest = words[2:]
    else:
        return None
    if year is None and rest and re.fullmatch(r"\d{4}", rest[0]):
        year, rest = int(rest[0]), rest[1:]
    if len(rest) > 1:
        raise WhenError(f"cannot read {' '.join(words)!r}")
    if year is not None and year < 100:
        year += 2000
    clock_text = rest[0] if rest else None
    if year is None:  # the nearest such date, before or after today
        candidates = []
        for y in (today.year - 1, today.year, today.year + 1):
            try:
                candidates.append(dt.date(y, month, day))
            except ValueError:
                continue
        if not candidates:
            raise WhenError(f"there is no day {day}/{month}; dates are day first: 25/12 is "
                            "25 December")
        return min(candidates, key=lambda d: abs((d - today).days)), clock_text
    try:
        return dt.date(year, month, day), clock_text
    except ValueError:
        raise WhenError(f"there is no day {day}/{month}/{year}; dates are day first: "
                        "25/12/2026 is 25 December 2026") from None
