"""Incidents from CSV exports, read exactly or rejected with a reason.

A force's command-and-control or crime system exports a row per incident. Columns are
found by header name (any case; `--column time="Created Date"` maps others). Values are
matched exactly, ignoring case and surrounding spaces: batch data is never guessed at, and
a row that cannot be read is a `Rejected` with its file, line and what to do, never
dropped. A million rows are kept as arrays of numbers, not a million objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from remitctl.registry.model import Registry

COLUMNS = ("time", "issue", "area", "minutes", "ref")
REQUIRED = ("time", "issue")
FIRST_YEAR, LAST_YEAR = 1990, 2100
DELIMITERS = (",", ";", "\t", "|")
SHOWN = 60  # characters of a bad value quoted in a reason
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\Z")
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
GIVEN, TENTHS = 1 << 24, (1 << 24) - 1  # officer minutes as stored: a flag and tenths
BLOCK = 900  # seconds: zone offsets change only on quarter hours of the local clock


class EvidenceFileError(Exception):
    """A whole file cannot be read as incidents (not CSV, no time or issue column)."""


@dataclass(frozen=True)
class Rejected:
    file: str
    line: int
    reason: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def key(text: str) -> str:
    """How batch values are compared: case and surrounding spaces ignored, nothing else."""
    return text.strip().casefold()


def column_map(pairs: Iterable[str]) -> dict[str, str]:
    """`--column time="Created Date"` values as {column: header}; ValueError explains a bad one."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        name = name.strip().lower()
        if not sep or not header.strip():
            raise ValueError(f"--column {pair!r}: write NAME=HEADER, e.g. time=\"Created Date\"")
        if name not in COLUMNS:
            raise ValueError(f"--column {pair!r}: {name!r} is not one of {', '.join(COLUMNS)}")
        out[name] = header.strip()
    return out


class LocalClock:
    """Local wall-clock times of one zone to UTC seconds and back, as `who --at` reads them
    (a time the clocks skip is moved forward by the gap, a repeated one is its first
    occurrence), with the offset worked out once per quarter hour rather than per row."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._to_utc: dict[int, int] = {}
        self._to_local: dict[int, int] = {}

    def utc(self, wall: int) -> int:
        """UTC seconds of a local wall-clock time given as seconds since 1970-01-01 00:00."""
        block = wall // BLOCK
        offset = self._to_utc.get(block)
        if offset is None:
            naive = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=block * BLOCK)
            off = naive.replace(tzinfo=self.tz, fold=0).utcoffset() or dt.timedelta()
            offset = self._to_utc[block] = int(off.total_seconds())
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


def _wall(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
    days = dt.date(year, month, day).toordinal() - _EPOCH_DAY  # ValueError: impossible date
    return days * 86400 + hour * 3600 + minute * 60 + second


def _shown(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def parse_time(text: str, clock: LocalClock) -> int | str:
    """UTC seconds, or the reason the value is not a time this reader accepts."""
    raw = text.strip()
    if not raw:
        return "no time"
    m = _UK.match(raw)
    if m:
        d, mo, y, h, mi, s = (int(g) if g else 0 for g in m.groups())
        if not FIRST_YEAR <= y <= LAST_YEAR:
            return f"time {_shown(raw)} is outside {FIRST_YEAR}-{LAST_YEAR}"
        if h > 23 or mi > 59 or s > 59:
            return f"impossible time {_shown(raw)}"
        try:
            return clock.utc(_wall(y, mo, d, h, mi, s))
        except ValueError:
            return f"impossible date {_shown(raw)} (DD/MM/YYYY is read day first)"
    if ":" not in raw:
        return (f"time {_shown(raw)} has no time of day; write 2026-12-25T14:05, "
                "2026-12-25 14:05+00:00 or 25/12/2026 14:05")
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        if re.match(r"\d{4}-\d{2}-\d{2}", raw):
            return f"impossible date or time {_shown(raw)}"
        return (f"cannot read time {_shown(raw)}; write ISO 8601 (2026-12-25T14:05, optionally "
                "with +00:00) or DD/MM/YYYY HH:MM[:SS]")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        return f"time {_shown(raw)} is outside {FIRST_YEAR}-{LAST_YEAR}"
    if parsed.tzinfo is not None:
        return math.floor(parsed.timestamp())
    return clock.utc(_wall(parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute,
                           parsed.second))


def parse_minutes(text: str) -> float | str | None:
    """Officer minutes (None: not given), or the reason they cannot be read."""
    raw = text.strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "")) if re.fullmatch(r"[0-9.,]+", raw) else float("nan")
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        return f"bad minutes {_shown(raw)}: write a number of minutes, e.g. 45"
    if value > 525_600:
        return f"bad minutes {_shown(raw)}: more than a year of officer time on one incident"
    return value


class Names:
    """Exact names of issue types (id, title, alias, code) and areas, for batch data."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.issues: dict[str, str] = {}
        for issue in registry.issues.values():
            for name in (issue.id, issue.title, *issue.aliases, *issue.codes):
                self.issues.setdefault(key(name), issue.id)
        self.areas: dict[str, str] = {}
        for area in registry.areas.values():
            self.areas.setdefault(key(area.id), area.id)
            self.areas.setdefault(key(area.name), area.id)

    def suggest(self, value: str, names: Iterable[str]) -> str:
        import difflib

        from remitctl.fuzzy import nearest

        low = key(value)
        options = sorted(set(names))
        near = nearest(low, options) or difflib.get_close_matches(low, options, n=1, cutoff=0.6)
        return f"; nearest: {near[0]!r}" if near else ""

    def issue_reason(self, value: str) -> str:
        if not value.strip():
            return "no issue"
        return (f"unknown issue {_shown(value)}{self.suggest(value, self.issues)} (ids, titles, "
                "aliases and the registry's `codes:` match exactly, in any case)")

    def area_reason(self, value: str) -> str:
        return f"unknown area {_shown(value)}{self.suggest(value, self.areas)}"


@dataclass
class Incidents:
    """Rows that were read, as columns. `group` indexes `groups`: (issue id, area id as given
    or None, area whose cover decides it)."""

    clock: LocalClock
    when: array[int] = field(default_factory=lambda: array("q"))
    group: array[int] = field(default_factory=lambda: array("i"))
    # Officer minutes as GIVEN | tenths of a minute (0: not given), so that the judge can
    # sort and sum them packed with their instants, in C.
    minutes: array[int] = field(default_factory=lambda: array("q"))
    source: array[int] = field(default_factory=lambda: array("i"))  # index into `sources`
    line: array[int] = field(default_factory=lambda: array("i"))
    refs: list[str | None] = field(default_factory=list)
    groups: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    rejected_count: int = 0
    duplicates: int = 0
    seen_refs: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.when)

    def minutes_at(self, k: int) -> float | None:
        bits = self.minutes[k]
        return (bits & TENTHS) / 10 if bits & GIVEN else None


class Reader:
    """Reads files and store records into one `Incidents`, deduplicating refs across all."""

    def __init__(self, registry: Registry, *, area: str | None = None,
                 columns: dict[str, str] | None = None, keep_rejected: int | None = None) -> None:
        self.registry = registry
        self.names = Names(registry)
        self.columns = columns or {}
        self.default_area = area
        if area is None and len(registry.areas) == 1:
            self.default_area = next(iter(registry.areas))
        self.keep_rejected = keep_rejected
        self.out = Incidents(LocalClock(ZoneInfo(registry.timezone)))
        self._group_index: dict[tuple[str, str | None], int] = {}
        # Raw values seen before, and what they were read as: exports repeat them.
        self._days: dict[str, tuple[int, int | None]] = {}  # date → (wall seconds, offset)
        self._clocks: dict[str, int] = {}
        self._issue_raw: dict[str, str | None] = {}
        self._area_raw: dict[str, str | None] = {}
        self._reasons: dict[tuple[str, str], str] = {}

    # -- one row ---------------------------------------------------------------------
    def reject(self, source: str, line: int, reason: str) -> None:
        self.out.rejected_count += 1
        if self.keep_rejected is None or len(self.out.rejected) < self.keep_rejected:
            self.out.rejected.append(Rejected(source, line, reason))

    def _group(self, issue_id: str, area: str | None) -> int | str:
        k = (issue_id, area)
        index = self._group_index.get(k)
        if index is not None:
            return index
        decide: str | None = area
        if area is None and self.registry.areas:
            issue = self.registry.issues[issue_id]
            groups = self.registry.cover_groups(issue)
            if len(groups) > 1:
                return (f"no area for {issue_id!r}, whose cover differs by area; add an area "
                        "column or --area")
            decide = groups[0][0]
        index = self._group_index[k] = len(self.out.groups)
        self.out.groups.append((issue_id, area, decide))
        return index

    def _time(self, raw: str) -> int | str:
        """As `parse_time`; a fixed-width local time read successfully (DD/MM/YYYY HH:MM,
        YYYY-MM-DD HH:MM) also teaches the fast path in `_read` its date and its clock time:
        a year of incidents has 365 dates and 1,440 minutes, and a million rows."""
        t = parse_time(raw, self.out.clock)
        if isinstance(t, int) and len(raw) == 16 and raw[10] in " T" and raw[13] == ":":
            day, clock = raw[:10], raw[11:]
            if raw[2] == "/":
                y, m, d = int(raw[6:10]), int(raw[3:5]), int(raw[:2])
            else:
                y, m, d = int(raw[:4]), int(raw[5:7]), int(raw[8:10])
            wall = _wall(y, m, d, 0, 0, 0)
            first, last = self.out.clock.utc(wall), self.out.clock.utc(wall + 86399)
            # A day with a clock change is left to LocalClock, quarter hour by quarter hour.
            self._days[day] = (wall, wall - first) if wall - first == wall + 86399 - last \
                else (wall, None)
            self._clocks[clock] = int(raw[11:13]) * 3600 + int(raw[14:16]) * 60
        return t

    def add(self, source: int, line: int, time: str, issue: str, area: str | None,
            minutes: str | None, ref: str | None) -> None:
        """One incident as its raw values; rejected with a reason when any cannot be read.
        `_read` does the same for the usual row inline, and calls this for the rest."""
        out = self.out
        t = self._time(time)
        if isinstance(t, str):
            self.reject(out.sources[source], line, t)
            return
        issue_id = self._issue_raw.get(issue, "")
        if issue_id == "":
            issue_id = self._issue_raw[issue] = self.names.issues.get(key(issue))
        if issue_id is None:
            reason = self._reasons.get(("issue", issue))
            if reason is None:
                reason = self._reasons[("issue", issue)] = self.names.issue_reason(issue)
            self.reject(out.sources[source], line, reason)
            return
        area_id = self.default_area
        if area:
            area_id = self._area_raw.get(area, "")
            if area_id == "":
                area_id = self._area_raw[area] = (
                    self.names.areas.get(key(area)) if area.strip() else self.default_area)
            if area_id is None and area.strip():
                reason = self._reasons.get(("area", area))
                if reason is None:
                    reason = self._reasons[("area", area)] = (
                        self.names.area_reason(area) if self.registry.areas
                        else f"area {_shown(area)} given, but the registry has no areas")
                self.reject(out.sources[source], line, reason)
                return
        mins: float | None = None
        if minutes:
            read = parse_minutes(minutes)
            if isinstance(read, str):
                self.reject(out.sources[source], line, read)
                return
            mins = read
        group = self._group_index.get((issue_id, area_id))
        if group is None:
            found = self._group(issue_id, area_id)
            if isinstance(found, str):
                self.reject(out.sources[source], line, found)
                return
            group = found
        r = ref.strip() if ref else ""
        if r:
            if r in out.seen_refs:
                out.duplicates += 1
                return
            out.seen_refs.add(r)
        out.when.append(t)
        out.group.append(group)
        out.minutes.append(0 if mins is None else GIVEN | round(mins * 10))
        out.source.append(source)
        out.line.append(line)
        out.refs.append(r or None)

    # -- the log store ----------------------------------------------------------------
    def read_records(self, rows: Iterable[tuple[int, str, str, str | None, float | None,
                                                str | None]], label: str) -> None:
        """Records of the log store as (id, UTC time, issue id, area id, minutes, ref); a
        record that no longer matches the registry (an issue renamed since) is rejected
        as LABEL:ID like a bad row."""
        source = len(self.out.sources)
        self.out.sources.append(label)
        for record_id, at, issue, area, minutes, ref in rows:
            self.add(source, record_id, at, issue, area,
                     None if minutes is None else f"{minutes:g}", ref)

    # -- a CSV file ------------------------------------------------------------------
    def read_csv(self, path: Path, label: str | None = None) -> None:
        label = label or str(path)
        try:
            fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise EvidenceFileError(f"{label}: cannot read: {exc.strerror or exc}") from None
        with fh:
            self.read_stream(fh, label)

    def read_stream(self, fh: Iterable[str], label: str) -> None:
        """Incidents from an open text stream (a file, or stdin)."""
        if hasattr(fh, "reconfigure"):  # stdin: read as the files are, BOM and all
            fh.reconfigure(encoding="utf-8-sig", newline="")
        try:
            self._read(fh, label)
        except UnicodeDecodeError as exc:
            raise EvidenceFileError(
                f"{label}: not UTF-8 text (byte {exc.start} of a block cannot be read); "
                "export the file as CSV UTF-8") from None
        except OSError as exc:
            raise EvidenceFileError(f"{label}: cannot read: {exc.strerror or exc}") from None

    def _read(self, fh: Iterable[str], label: str) -> None:
        lines = iter(fh)
        first = ""
        for first in lines:
            if first.strip():
                break
        else:
            raise EvidenceFileError(f"{label}: empty: expected a header row naming at least "
                                    "the columns time and issue")
        if "\x00" in first:
            raise EvidenceFileError(f"{label}: not CSV text (it contains NUL bytes)")
        delimiter = max(DELIMITERS, key=first.count)
        if first.count(delimiter) == 0:
            delimiter = ","

        def chained() -> Iterator[str]:
            yield first
            yield from lines

        reader = csv.reader(chained(), delimiter=delimiter)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise EvidenceFileError(f"{label}: not CSV: {exc}") from None
        where = self._columns(header, label)
        source = len(self.out.sources)
        self.out.sources.append(label)
        ti, ii, ai, mi, ri = (where.get(c) for c in COLUMNS)
        assert ti is not None and ii is not None
        need = max(ti, ii)
        add = self.add
        last = reader.line_num
        out = self.out
        days, clocks, issues, areas = self._days, self._clocks, self._issue_raw, self._area_raw
        groups, seen = self._group_index, out.seen_refs
        default_area = self.default_area
        utc = out.clock.utc
        when, group_of, minutes_of = out.when.append, out.group.append, out.minutes.append
        source_of, line_of, ref_of = out.source.append, out.line.append, out.refs.append
        width = max(c for c in (ti, ii, ai, mi, ri) if c is not None) + 1
        try:
            for row in reader:
                line = last + 1
                last = reader.line_num
                n = len(row)
                if n <= need:
                    if not row or (n == 1 and not row[0].strip()):
                        continue
                    self.reject(label, line, f"{n} field{'s' if n != 1 else ''}, "
                                f"but the header has {len(header)}")
                    continue
                # The usual row, read with what earlier rows taught; anything else by `add`.
                raw = row[ti]
                day = days.get(raw[:10]) if len(raw) == 16 and raw[13] == ":" and \
                    raw[10] in " T" else None
                clock = clocks.get(raw[11:]) if day is not None else None
                issue_id = issues.get(row[ii])
                area = row[ai] if ai is not None and ai < n else ""
                area_id = areas.get(area) if area else default_area
                mins = row[mi] if mi is not None and mi < n else ""
                ref = row[ri].strip() if ri is not None and ri < n else ""
                group = groups.get((issue_id, area_id)) if issue_id is not None else None
                if (clock is None or group is None or (area and area_id is None) or n < width
                        or (mins and not (len(mins) < 6 and mins.isascii() and mins.isdigit()))):
                    add(source, line, raw, row[ii], area or None, mins or None, ref or None)
                    continue
                if ref:
                    if ref in seen:
                        out.duplicates += 1
                        continue
                    seen.add(ref)
                assert day is not None
                wall = day[0] + clock
                when(wall - day[1] if day[1] is not None else utc(wall))
                group_of(group)
                minutes_of(GIVEN | int(mins) * 10 if mins else 0)
                source_of(source)
                line_of(line)
                ref_of(ref or None)
        except csv.Error as exc:
            raise EvidenceFileError(f"{label}:{reader.line_num}: not CSV: {exc}") from None

    def _columns(self, header: list[str], label: str) -> dict[str, int]:
        found = {key(h): n for n, h in reversed(list(enumerate(header)))}
        where: dict[str, int] = {}
        for column in COLUMNS:
            wanted = self.columns.get(column, column)
            if key(wanted) in found:
                where[column] = found[key(wanted)]
            elif column in self.columns:
                raise EvidenceFileError(
                    f"{label}:1: no column {wanted!r} (--column {column}=…); found: "
                    f"{_found(header)}")
        missing = [c for c in REQUIRED if c not in where]
        if missing:
            raise EvidenceFileError(
                f"{label}:1: no {' or '.join(repr(c) for c in missing)} column; found: "
                f"{_found(header)}; map yours with --column "
                f"{missing[0]}=\"Your header\"")
        return where


def _found(header: list[str]) -> str:
    shown = [_shown(h) for h in header[:12]]
    more = f" and {len(header) - 12} more" if len(header) > 12 else ""
    return (", ".join(shown) + more) if shown else "nothing"
