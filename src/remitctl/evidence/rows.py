"""Incidents as read, and the row reader: a row's raw values read exactly or rejected.

A force's command-and-control or crime system exports a row per incident. Values are
matched exactly, ignoring case and surrounding spaces: batch data is never guessed at, and
a row that cannot be read is a `Rejected` with its file, line and what to do, never
dropped. A million rows are kept as arrays of numbers, not a million objects (`Incidents`).
`RowReader.add` reads one row; columns.py reads the usual row a block at a time, and
incidents.py reads files.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from remitctl.evidence.times import (
    SHOWN,
    LocalClock,
    Order,
    parse_clock,
    parse_date,
    parse_time,
    parse_with,
    wall,
)
from remitctl.evidence.times import shown as _shown
from remitctl.evidence.values import Names, key, parse_minutes
from remitctl.registry.model import Registry

if TYPE_CHECKING:
    from remitctl.evidence.covers import Covers
    from remitctl.evidence.halves import Pending

LEARNING_ROWS, LEARNT_ROWS = 256, 4096  # rows judged column by column at a time: at first, later
GIVEN, TENTHS = 1 << 24, (1 << 24) - 1  # officer minutes as stored: a flag and tenths
DISTINCT = 10_000  # distinct unmatched values (or reasons) counted one by one; more: "other"
SUGGESTED = 200  # distinct unknown issue values given the nearest issue (a search each)
NUMPY_ROWS = 100_000  # from this many incidents numpy adds them up, when it is installed
FORMATTED = 200_000  # distinct --time-format values remembered (a year of minutes: 525,600)
_FIXED = re.compile(r"(?:\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2})?\Z")
_WORD = re.compile(r" ['\"(]")


class EvidenceFileError(Exception):
    """A whole file cannot be read as incidents (not CSV, no time or issue column)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Rejected:
    file: str
    line: int
    reason: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Incidents:
    """Rows that were read, as columns. `group` indexes `groups`: (issue id, area id as given
    or None, area whose cover decides it). Rejected rows are counted by kind and value and
    sampled (`rejected`), never kept whole."""

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
    blank: int = 0  # rows with every field empty (a spreadsheet's trailing ",,,,"): skipped
    seen_refs: set[str] = field(default_factory=set)
    # Why rows were rejected: kind ("unknown issue") → count, and the first of each kind.
    kinds: Counter[str] = field(default_factory=Counter)
    first_of_kind: dict[str, Rejected] = field(default_factory=dict)
    # Values no name matched: (column, value) → rows; `other` past DISTINCT values.
    unmatched: Counter[tuple[str, str]] = field(default_factory=Counter)
    unmatched_other: int = 0
    # Opened as one issue type, judged (closed) as another: (opened, issue id) → rows.
    recategorised: Counter[tuple[str, str]] = field(default_factory=Counter)
    covers: Covers | Pending | None = None  # the groups' cover, worked out ahead (halves.py)
    _span: tuple[int, int, int] | None = field(default=None, repr=False)  # lo, hi, of rows

    def __len__(self) -> int:
        return len(self.when)

    def span(self) -> tuple[int, int]:
        """The first and last incident's instants (numpy's min and max at volume)."""
        n = len(self.when)
        if self._span is None or self._span[2] != n:
            lo = hi = None
            if n >= NUMPY_ROWS:
                try:
                    import numpy as np
                except ImportError:
                    pass
                else:
                    instants = np.frombuffer(self.when, dtype=np.int64)
                    lo, hi = int(instants.min()), int(instants.max())
            if lo is None or hi is None:
                lo, hi = min(self.when), max(self.when)
            self._span = (lo, hi, n)
        return self._span[0], self._span[1]

    def minutes_at(self, k: int) -> float | None:
        bits = self.minutes[k]
        return (bits & TENTHS) / 10 if bits & GIVEN else None

    def commonest_reason(self) -> tuple[str, int, Rejected] | None:
        if not self.kinds:
            return None
        kind, count = self.kinds.most_common(1)[0]
        return kind, count, self.first_of_kind[kind]


def kind_of(reason: str) -> str:
    """A reason without the value it quotes: "unknown issue 'x'; nearest…" → "unknown issue"."""
    return _WORD.split(reason, maxsplit=1)[0].split(";")[0].split(":")[0]

class RowReader:
    """Reads rows and store records into one `Incidents`, deduplicating refs across all."""

    def __init__(self, registry: Registry, *, area: str | None = None,
                 columns: dict[str, str] | None = None, keep_rejected: int | None = None,
                 mapping: dict[str, str] | None = None, time_format: str | None = None
                 ) -> None:
        self.registry = registry
        self.names = Names(registry, mapping)
        self.columns = columns or {}
        self.time_format = time_format
        self.default_area = area
        if area is None and len(registry.areas) == 1:
            self.default_area = next(iter(registry.areas))
        self.keep_rejected = keep_rejected
        self.out = Incidents(LocalClock(ZoneInfo(registry.timezone)))
        self._group_index: dict[tuple[str, str | None], int] = {}
        # Raw values seen before, and what they were read as: exports repeat them. A year
        # has 365 dates and 1,440 minutes, a million rows: `_block` reads a row from these
        # alone, in C, and leaves a row with any value not among them to `add`.
        self._days: dict[str, int] = {}  # a date column's value → its midnight's wall seconds
        self._clocks: dict[str, int] = {}  # a time column's value → seconds since midnight
        self._dates: dict[str, int] = {}  # date → UTC of its midnight (one offset all day)
        self._prefix: dict[str, int] = {}  # "25/12/2026 " of a one-column time → as _dates
        self._suffix: dict[str, int] = {}  # "14:05" of a one-column time → seconds
        self._formatted: dict[str, int] = {}  # a --time-format value → UTC seconds
        self._minutes: dict[str, int] = {"": 0}  # as written → as stored (this file's)
        # (issue, area) as written, of a row accepted → its group
        self._pair: dict[tuple[str, str], int] = {}
        self._changing: dict[str, int] = {}  # a date (or prefix) with a clock change → midnight
        self._issue_raw: dict[str, str | None] = {}
        self._area_raw: dict[str, str | None] = {}
        self._reasons: dict[tuple[str, str], str] = {}
        self._order = Order()
        self._decimal_comma = False
        self.on_block: Callable[[int], None] | None = None  # rows read so far, per block
        self.recategorised_rows: list[tuple[int, tuple[str, str]]] | None = None  # halves.py
        self.split_bytes: int | None = None  # a file this large is read in two halves at
        # once (None: halves.SPLIT_BYTES)
        self._learning = LEARNING_ROWS

    # -- one row ---------------------------------------------------------------------
    def reject(self, source: str, line: int, reason: str) -> None:
        out = self.out
        out.rejected_count += 1
        kind = kind_of(reason)
        if kind not in out.kinds and len(out.kinds) >= DISTINCT:
            kind = "other reasons"
        out.kinds[kind] += 1
        if kind not in out.first_of_kind:
            out.first_of_kind[kind] = Rejected(source, line, reason)
        if self.keep_rejected is None or len(out.rejected) < self.keep_rejected:
            out.rejected.append(Rejected(source, line, reason))

    def _unmatched(self, column: str, value: str) -> None:
        k = (column, " ".join(value.split()))
        counts = self.out.unmatched
        if k in counts or len(counts) < DISTINCT:
            counts[k] += 1
        else:
            self.out.unmatched_other += 1

    def _reason(self, kind: str, value: str) -> str:
        reason = self._reasons.get((kind, value))
        if reason is not None:
            return reason
        out = self.out
        if len(self._reasons) >= DISTINCT or (  # past that, the search is not worth its time
                kind == "issue" and value.strip() and "unknown issue" in out.first_of_kind
                and self.keep_rejected is not None
                and len(out.rejected) >= self.keep_rejected):
            return f"unknown {kind} {_shown(value)}"  # never shown: counted by its kind
        if kind == "issue":
            reason = self.names.issue_reason(value, search=len(self._reasons) < SUGGESTED)
        elif self.registry.areas:
            reason = self.names.area_reason(value)
        else:
            reason = f"area {_shown(value)} given, but the registry has no areas"
        self._reasons[(kind, value)] = reason
        return reason

    def _issue(self, raw: str) -> str | None:
        issue_id = self._issue_raw.get(raw, "")
        if issue_id == "":
            issue_id = self.names.issues.get(key(raw))
            if len(self._issue_raw) < DISTINCT * 10:
                self._issue_raw[raw] = issue_id
        return issue_id

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

    def _time(self, raw: str, line: int) -> int | str:
        """As `parse_time` (or `parse_with`); a time read successfully teaches `_block`:
        a fixed-width local time (DD/MM/YYYY HH:MM[:SS], YYYY-MM-DD HH:MM[:SS]) its date
        and its clock time, a --time-format one the whole value."""
        if self.time_format is not None:
            known = self._formatted.get(raw)
            if known is not None:
                return known
            t = parse_with(raw, self.time_format, self.out.clock)
            if isinstance(t, int) and len(self._formatted) < FORMATTED:
                self._formatted[raw] = t
            return t
        day, clock = self._prefix.get(raw[:11]), self._suffix.get(raw[11:])
        if day is not None and clock is not None:  # read before: as `_block` reads it
            return day + clock
        t = parse_time(raw, self.out.clock, self._order, line)
        if isinstance(t, int) and _FIXED.match(raw):
            if raw[2] == "/":
                y, m, d = int(raw[6:10]), int(raw[3:5]), int(raw[:2])
            else:
                y, m, d = int(raw[:4]), int(raw[5:7]), int(raw[8:10])
            self._learn_day(self._prefix, raw[:11], wall(y, m, d, 0, 0, 0))
            self._suffix[raw[11:]] = int(raw[11:13]) * 3600 + int(raw[14:16]) * 60 + \
                (int(raw[17:19]) if len(raw) > 16 else 0)
        return t

    def _learn_day(self, into: dict[str, int], day: str, midnight: int) -> None:
        first, last = self.out.clock.utc(midnight), self.out.clock.utc(midnight + 86399)
        # A day with a clock change is left to LocalClock, quarter hour by quarter hour.
        if len(into) < DISTINCT:
            if last - first == 86399:
                into[day] = first
            else:
                self._changing[day] = midnight

    def _time2(self, date: str, clock: str, line: int) -> int | str:
        """A date column and a time column; each value learnt for the fast path."""
        if self.time_format is not None:
            return parse_with(f"{date} {clock}", self.time_format, self.out.clock)
        midnight = self._days.get(date)
        if midnight is None:
            got_day = parse_date(date, self._order, line)
            if isinstance(got_day, str):
                return got_day
            midnight = got_day
            if len(self._days) < DISTINCT:
                self._days[date] = midnight
                self._learn_day(self._dates, date, midnight)
        secs = self._clocks.get(clock)
        if secs is None:
            got = parse_clock(clock)
            if isinstance(got, str):
                return got
            secs = got
            if len(self._clocks) < DISTINCT * 10:
                self._clocks[clock] = got
        return self.out.clock.utc(midnight + secs)

    def add(self, source: int, line: int, time: str, issue: str, area: str | None,
            minutes: str | None, ref: str | None, date: str | None = None,
            opened: str | None = None) -> None:
        """One incident as its raw values; rejected with a reason when any cannot be read.
        `_read` does the same for the usual row inline, and calls this for the rest."""
        out = self.out
        t = self._time(time, line) if date is None else self._time2(date, time, line)
        if isinstance(t, str):
            self.reject(out.sources[source], line, t)
            return
        issue_id = self._issue(issue)
        if issue_id is None:
            if issue.strip():
                self._unmatched("issue", issue)
            self.reject(out.sources[source], line, self._reason("issue", issue))
            return
        area_id = self.default_area
        if area:
            area_id = self._area_raw.get(area, "")
            if area_id == "":
                area_id = self.names.area(area) if area.strip() else self.default_area
                if len(self._area_raw) < DISTINCT:
                    self._area_raw[area] = area_id
            if area_id is None and area.strip():
                self._unmatched("area", area)
                self.reject(out.sources[source], line, self._reason("area", area))
                return
        stored = 0
        if minutes:
            read = parse_minutes(minutes, self._decimal_comma)
            if isinstance(read, str):
                self.reject(out.sources[source], line, read)
                return
            stored = 0 if read is None else GIVEN | round(read * 10)
            if len(self._minutes) < DISTINCT:
                self._minutes[minutes] = stored
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
        if opened is not None and opened.strip():
            first = self._issue(opened)
            if first != issue_id:
                label = first or " ".join(opened.split())[:SHOWN]
                if (label, issue_id) in out.recategorised or \
                        len(out.recategorised) < DISTINCT:
                    out.recategorised[(label, issue_id)] += 1
                    if self.recategorised_rows is not None:
                        self.recategorised_rows.append((len(out.when), (label, issue_id)))
        out.when.append(t)
        out.group.append(group)
        out.minutes.append(stored)
        if len(self._pair) < DISTINCT * 10:
            self._pair[(issue, area or "")] = group
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
        self._decimal_comma = False
        self._minutes = {"": 0}
        for record_id, at, issue, area, minutes, ref in rows:
            self.add(source, record_id, at, issue, area,
                     None if minutes is None else f"{minutes:g}", ref)

    # -- a row of a file ---------------------------------------------------------------
    def _row(self, row: list[str], line: int, source: int, cols: tuple[int | None, ...],
             need: int, fields: int) -> None:
        """A row as the csv module split it: blank, too short, or its values to `add`."""
        ti, ii, ai, mi, ri, di, oi = cols
        assert ti is not None and ii is not None
        n = len(row)
        if not any(c.strip() for c in row):
            self.out.blank += 1
            return
        if n <= need:
            self.reject(self.out.sources[source], line,
                        f"{n} field{'s' if n != 1 else ''}, but the header has {fields}")
            return

        def cell(i: int | None) -> str | None:
            return row[i] if i is not None and i < n and row[i] else None

        self.add(source, line, row[ti], row[ii], cell(ai), cell(mi), cell(ri),
                 None if di is None else row[di], row[oi] if oi is not None and oi < n else None)
