"""Times of incidents as exports write them, read exactly or refused with a reason.

One column (`2026-12-25T14:05`, `25/12/2026 14:05`, with seconds, an offset or AM/PM) or
a date column and a time column (`01 Jan 2026` + `00:00:37`). A slash date is read day
first (UK exports); a column in which some value only makes sense month first
(`01/13/2026`) is a US-style column, refused whole by `Order` unless `--time-format`
(strptime) says how to read it: a column is never read half one way and half the other.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from zoneinfo import ZoneInfo

FIRST_YEAR, LAST_YEAR = 1990, 2100
SHOWN = 60  # characters of a bad value quoted in a reason
BLOCK = 900  # seconds: zone offsets change only on quarter hours of the local clock
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_AMPM = r"(?:\s*([AaPp])\.?[Mm]\.?)?"
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?" + _AMPM
_SLASH = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]+" + _CLOCK + r")?\Z", re.ASCII)
_NAMED = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})(?:[ T]+" + _CLOCK + r")?\Z",
                    re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?\Z", re.ASCII)
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", re.ASCII)
_TIME_ONLY = re.compile(_CLOCK + r"\Z", re.ASCII)
MONTHS = {m: n for n, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"), 1) for m in (name, name[:3])}
MONTHS["sept"] = 9


class LocalClock:
    """Local wall-clock times of one zone to UTC seconds and back. A wall time becomes an
    instant by the calendar's one rule (`hours.calendar.wall_to_instant`: a time the
    clocks skip is the jump itself, a repeated one its first occurrence), asked once per
    quarter hour of the local clock rather than once per row."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._to_utc: dict[int, int | None] = {}  # block → offset; None: not one offset
        self._skipped: dict[int, int] = {}
        self._to_local: dict[int, int] = {}

    def _instant(self, wall: int) -> int:
        from remitctl.hours.calendar import wall_to_instant

        naive = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=wall)
        return math.floor(wall_to_instant(naive, self.tz).timestamp())

    def utc(self, wall: int) -> int:
        """UTC seconds of a local wall-clock time given as seconds since 1970-01-01 00:00."""
        block = wall // BLOCK
        try:
            offset = self._to_utc[block]
        except KeyError:
            start = block * BLOCK
            first, last = self._instant(start), self._instant(start + BLOCK - 1)
            # A block the clocks skip (part of) maps many walls to one instant: per second.
            offset = self._to_utc[block] = start - first if \
                last - first == BLOCK - 1 else None
        if offset is None:
            got = self._skipped.get(wall)
            if got is None:
                got = self._skipped[wall] = self._instant(wall)
            return got
        return wall - offset

    def wall_of(self, utc: int) -> int:
        """The local wall-clock seconds a UTC instant shows (the inverse of `utc`)."""
        return self.local(utc)

    def local(self, utc: int) -> int:
        """Local wall-clock seconds since 1970-01-01 00:00 of a UTC instant."""
        block = utc // BLOCK
        offset = self._to_local.get(block)
        if offset is None:
            at = dt.datetime.fromtimestamp(block * BLOCK, dt.UTC).astimezone(self.tz)
            offset = self._to_local[block] = int((at.utcoffset() or dt.timedelta()).total_seconds())
        return utc + offset


class Order:
    """What a slash-date column's values say about its order: the first line whose value
    only makes sense day first (13/01) and the first whose value only makes sense month
    first (01/13), and how many were neither. Read day first unless told otherwise."""

    def __init__(self) -> None:
        self.day_first: int | None = None
        self.month_first: int | None = None
        self.month_first_value = ""
        self.either: set[str] = set()  # distinct values such as 01/02 that read both ways
        self.first_either: int | None = None

    def saw(self, first: int, second: int, line: int, raw: str) -> None:
        if first > 12 and second <= 12 and self.day_first is None:
            self.day_first = line
        elif second > 12 and first <= 12 and self.month_first is None:
            self.month_first, self.month_first_value = line, raw
        elif first <= 12 and second <= 12 and first != second:
            if len(self.either) < 100_000:
                self.either.add(raw)
            if self.first_either is None:
                self.first_either = line

    def refusal(self, label: str) -> str | None:
        """Why the column cannot be read day first, or None when it can."""
        if self.month_first is None:
            return None
        mixed = (f"; yet line {self.day_first} is day first, so the column mixes both"
                 if self.day_first is not None else "")
        n = len(self.either)
        either = (f"; {n:,} value{'s' if n != 1 else ''} (first at line "
                  f"{self.first_either}) read both ways" if self.either else "")
        return (f"{label}:{self.month_first}: {shown(self.month_first_value)} only makes sense "
                f"month first: a US-style date column{mixed}{either}; none of it is read by "
                "guessing")


def wall(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
    days = dt.date(year, month, day).toordinal() - _EPOCH_DAY  # ValueError: impossible date
    return days * 86400 + hour * 3600 + minute * 60 + second


def shown(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def _hour(h: int, ampm: str | None) -> int | None:
    if ampm is None:
        return h if h <= 23 else None
    if not 1 <= h <= 12:
        return None
    return (h % 12) + (12 if ampm in "Pp" else 0)


def _clock(groups: tuple[str | None, ...], raw: str) -> int | str:
    h, mi, s, ampm = groups
    hour = _hour(int(h or 0), ampm)
    minute, second = int(mi or 0), int(s or 0)
    if hour is None or minute > 59 or second > 59:
        return f"impossible time {shown(raw)}"
    return hour * 3600 + minute * 60 + second


def _day(y: int, mo: int, d: int, raw: str, how: str = "") -> int | str:
    if not FIRST_YEAR <= y <= LAST_YEAR:
        return f"time {shown(raw)} is outside {FIRST_YEAR}-{LAST_YEAR}"
    try:
        return wall(y, mo, d, 0, 0, 0)
    except ValueError:
        return f"impossible date {shown(raw)}{how}"


def parse_date(text: str, order: Order | None = None, line: int = 0) -> int | str:
    """Wall seconds of a date's midnight (a date column), or the reason it cannot be read."""
    raw = text.strip()
    if not raw:
        return "no date"
    m = _SLASH.match(raw) or _NAMED.match(raw)
    if m and m.group(4) is None:
        d, mo_text, y = m.group(1), m.group(2), int(m.group(3))
        if mo_text.isdigit():
            if order is not None:
                order.saw(int(d), int(mo_text), line, raw)
            return _day(y, int(mo_text), int(d), raw, " (DD/MM/YYYY is read day first)")
        mo = MONTHS.get(mo_text.casefold())
        return _day(y, mo, int(d), raw) if mo else f"cannot read date {shown(raw)}"
    m = _ISO_DATE.match(raw)
    if m:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw)
    return (f"cannot read date {shown(raw)}; write 2026-12-25, 25/12/2026 or 25 Dec 2026, "
            "or say how with --time-format")


def parse_clock(text: str) -> int | str:
    """Seconds since midnight of a time column's value (`00:00:37`, `11:42 PM`)."""
    raw = text.strip()
    if not raw:
        return "no time"
    m = _TIME_ONLY.match(raw)
    if m is None:
        return f"cannot read time of day {shown(raw)}; write HH:MM or HH:MM:SS"
    return _clock(m.groups(), raw)


def parse_time(text: str, clock: LocalClock, order: Order | None = None,
               line: int = 0) -> int | str:
    """UTC seconds, or the reason the value is not a time this reader accepts."""
    raw = text.strip()
    if not raw:
        return "no time"
    m = _SLASH.match(raw) or _NAMED.match(raw)
    if m:
        if m.group(4) is None:
            return (f"time {shown(raw)} has no time of day; write 25/12/2026 14:05, or give "
                    "the time column with --column date=… --column time=…")
        day = parse_date(raw[:m.start(4)].rstrip(" T"), order, line)
        if isinstance(day, str):
            return day
        secs = _clock(m.groups()[3:], raw)
        return secs if isinstance(secs, str) else clock.utc(day + secs)
    if ":" not in raw:
        return (f"time {shown(raw)} has no time of day; write 2026-12-25T14:05, "
                "2026-12-25 14:05+00:00 or 25/12/2026 14:05")
    if not _ISO_START.match(raw):  # fromisoformat also takes week dates (2026-W52-5)
        return (f"cannot read time {shown(raw)}; write ISO 8601 (2026-12-25T14:05, optionally "
                "with +00:00), DD/MM/YYYY HH:MM[:SS], or say how with --time-format")
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        return f"impossible date or time {shown(raw)}"
    return _instant(parsed, raw, clock)


def _instant(parsed: dt.datetime, raw: str, clock: LocalClock) -> int | str:
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        return f"time {shown(raw)} is outside {FIRST_YEAR}-{LAST_YEAR}"
    if parsed.tzinfo is not None:
        return math.floor(parsed.timestamp())
    return clock.utc(wall(parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute,
                          parsed.second))


def check_format(fmt: str) -> str | None:
    """Why a --time-format cannot be used, or None."""
    if "%" not in fmt:
        return f"--time-format {fmt!r} has no % directives; e.g. '%m/%d/%Y %I:%M:%S %p'"
    if not any(d in fmt for d in ("%H", "%I")):
        return f"--time-format {fmt!r} has no hour (%H or %I with %p)"
    if not any(d in fmt for d in ("%d", "%j")) or not any(d in fmt for d in ("%Y", "%y")):
        return f"--time-format {fmt!r} needs a day (%d) and a year (%Y)"
    try:
        dt.datetime(2026, 1, 2, 3, 4, 5).strftime(fmt)
    except ValueError as exc:
        return f"--time-format {fmt!r}: {exc}"
    return None


def parse_with(text: str, fmt: str, clock: LocalClock) -> int | str:
    """A time read with an explicit strptime format (and an offset if %z reads one)."""
    raw = " ".join(text.split())
    try:
        parsed = dt.datetime.strptime(raw, fmt)
    except ValueError:
        return f"time {shown(raw)} does not match --time-format {fmt!r}"
    return _instant(parsed, raw, clock)
