"""Incidents from CSV exports, read exactly or rejected with a reason.

A force's command-and-control or crime system exports a row per incident. Columns are
found by header name (any case; `--column time="Created Date"` maps others). Values are
matched exactly, ignoring case and surrounding spaces: batch data is never guessed at, and
a row that cannot be read is a `Rejected` with its file, line and what to do, never
dropped. A million rows are kept as arrays of numbers, not a million objects.
"""

from __future__ import annotations

import csv
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import add, and_, eq, itemgetter, ne, not_, or_
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from remitctl.evidence.blocks import (
    Block,
    CsvError,
    Cursor,
    Lines,
    list_blocks,
    row_blocks,
    where,
)
from remitctl.evidence.times import (
    FIRST_YEAR,
    LAST_YEAR,
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
from remitctl.evidence.values import COLUMNS, Names, column_map, key, parse_minutes
from remitctl.registry.model import Registry

__all__ = ["FIRST_YEAR", "LAST_YEAR", "SHOWN", "LocalClock", "column_map", "key", "parse_time"]

if TYPE_CHECKING:
    from remitctl.evidence.covers import Covers
    from remitctl.evidence.halves import Pending

REQUIRED = ("time", "issue")
DELIMITERS = (",", ";", "\t", "|")
LEARNING_ROWS, LEARNT_ROWS = 256, 4096  # rows judged column by column at a time: at first, later
GIVEN, TENTHS = 1 << 24, (1 << 24) - 1  # officer minutes as stored: a flag and tenths
DISTINCT = 10_000  # distinct unmatched values (or reasons) counted one by one; more: "other"
SUGGESTED = 200  # distinct unknown issue values given the nearest issue (a search each)
FORMATTED = 200_000  # distinct --time-format values remembered (a year of minutes: 525,600)
_FIXED = re.compile(r"(?:\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2})?\Z")
_WORD = re.compile(r" ['\"(]")


@dataclass
class Source:
    """A file being read: where its columns are (`cols`, in COLUMNS' order)."""

    label: str
    source: int  # index into Incidents.sources
    fields: int  # the header's
    cols: tuple[int | None, ...]
    need: int  # a row needs more fields than this
    width: int  # fields the column-by-column reader takes
    fast: bool  # read column by column at all
    delimiter: str = ","


class EvidenceFileError(Exception):
    """A whole file cannot be read as incidents (not CSV, no time or issue column)."""


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

    def __len__(self) -> int:
        return len(self.when)

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


class Reader:
    """Reads files and store records into one `Incidents`, deduplicating refs across all."""

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

    # -- a file ----------------------------------------------------------------------
    def read_csv(self, path: Path, label: str | None = None) -> None:
        """A CSV file (or FIFO), or an `.xlsx` workbook's first sheet."""
        from remitctl.evidence.sources import SourceError, reader_for, xlsx_rows

        label = label or str(path)
        try:
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                self._read_xlsx(xlsx_rows(path), label)
                return
            from remitctl.evidence import halves

            halved = halves.cut(path, self.split_bytes)
            if halved is None:
                self._read_text(reader_for(path), label)
                return
            self._decoded(label, lambda: halves.read_in_halves(
                self, path, label, *halved,
                lambda p, span: self._pieces(reader_for(p, span), label)))
        except SourceError as exc:
            raise EvidenceFileError(f"{label}: {exc}") from None

    def _read_xlsx(self, rows: Iterator[list[str]], label: str) -> None:
        line = 0
        for header in rows:
            line += 1
            if any(h.strip() for h in header):
                break
        else:
            raise EvidenceFileError(f"{label}: an empty sheet: expected a header row naming "
                                    "at least the columns time and issue")
        self._decimal_comma = False
        self._minutes = {"": 0}
        src = self._open(header, label)
        self._rows(src, list_blocks(rows, line + 1))
        self.close(src)

    def read_stream(self, fh: Iterable[str], label: str) -> None:
        """Incidents from an open text stream (stdin); a pipe or FIFO is read as one given
        by name is, so that one nobody writes to is given up on rather than waited for."""
        from remitctl.evidence.sources import stdin_reader

        polled = stdin_reader(fh)
        if polled is not None:
            self._read_text(polled, label)
            return
        if hasattr(fh, "reconfigure"):  # stdin: read as the files are, BOM and all
            fh.reconfigure(encoding="utf-8-sig", newline="")
        read = getattr(fh, "read", None)
        if read is None:
            lines = iter(fh)

            def read(n: int) -> str:
                return next(lines, "")
        self._read_text(read, label)

    def _read_text(self, read: object, label: str) -> None:
        self._decoded(label, lambda: self._read(self._pieces(read, label), label))

    def _pieces(self, read: object, label: str) -> Iterator[list[str]]:
        from remitctl.evidence.sources import bounded_lines

        limit = csv.field_size_limit()

        def too_long(line: int) -> None:
            self.reject(label, line, f"a line of more than {limit:,} characters; refused as "
                        "it was read (is this an incident export?)")

        return bounded_lines(read, limit, too_long)  # type: ignore[arg-type]

    def _decoded(self, label: str, read: Callable[[], object]) -> None:
        """`read()`, its failures to read text as one line each."""
        from remitctl.evidence.sources import SourceError

        try:
            read()
        except UnicodeDecodeError:  # standard input, read as text by Python
            raise EvidenceFileError(f"{label}: not UTF-8 text; export the file as CSV "
                                    "UTF-8") from None
        except SourceError as exc:
            raise EvidenceFileError(f"{label}: {exc}") from None
        except OSError as exc:
            raise EvidenceFileError(f"{label}: cannot read: {exc.strerror or exc}") from None

    def _read(self, pieces: Iterator[list[str]], label: str, cursor: Cursor | None = None,
              *, close: bool = True) -> Source:
        """A CSV text's header and rows; `cursor` follows where the rows are (halves.py
        reads a large file in two), `close` checks the file's date order at its end."""
        lines = Lines(pieces)
        first = ""
        skipped = 0
        for first in lines:
            if first.strip():
                break
            skipped += 1
        else:
            raise EvidenceFileError(f"{label}: empty: expected a header row naming at least "
                                    "the columns time and issue")
        if "\x00" in first:
            raise EvidenceFileError(f"{label}: not CSV text (it contains NUL bytes)")
        delimiter = max(DELIMITERS, key=first.count)
        if first.count(delimiter) == 0:
            delimiter = ","
        self._decimal_comma = delimiter == ";"
        self._minutes = {"": 0}

        reader = csv.reader(chain((first,), lines), delimiter=delimiter)  # a header may
        try:  # hold a quoted line break: the csv module takes it line by line
            header = next(reader)
        except csv.Error as exc:
            raise EvidenceFileError(f"{label}:{skipped + reader.line_num}: not CSV: "
                                    f"{exc}") from None
        src = self._open(header, label, delimiter)
        if cursor is None:
            cursor = Cursor()
        if cursor.line <= 1:  # else where a part of the file starts (halves.py)
            cursor.line = skipped + reader.line_num + 1
        self.take(src, lines.rest(), cursor)
        if close:
            self.close(src)
        return src

    def take(self, src: Source, pieces: Iterator[list[str]], cursor: Cursor) -> None:
        """More of a source's text, after its header, from `cursor.line` on."""
        try:
            self._rows(src, row_blocks(pieces, src.delimiter, cursor))
        except CsvError as exc:
            raise EvidenceFileError(f"{src.label}:{exc.line}: not CSV: {exc.reason}") from None

    def _open(self, header: list[str], label: str, delimiter: str = ",") -> Source:
        where = self._columns(header, label)
        source = len(self.out.sources)
        self.out.sources.append(label)
        cols = tuple(where.get(c) for c in COLUMNS)
        ti, ii, di = cols[0], cols[1], cols[5]
        assert ti is not None and ii is not None
        self._learning = LEARNING_ROWS
        return Source(label, source, len(header), cols,
                      need=max(c for c in (ti, ii, di) if c is not None),
                      width=max(c for c in cols if c is not None) + 1,
                      fast=self.time_format is None or di is None, delimiter=delimiter)

    def close(self, src: Source) -> None:
        """A source read: refused whole if its dates only make sense month first."""
        refusal = self._order.refusal(src.label)
        self._order = Order()
        if refusal is not None:
            dated = src.cols[5] is not None
            column = self.columns.get("date" if dated else "time", "date" if dated else "time")
            raise EvidenceFileError(
                f"{refusal}; say how column {column!r} is written with --time-format, e.g. "
                "'%m/%d/%Y %I:%M:%S %p' for 01/13/2026 11:42:05 PM")

    def _rows(self, src: Source, blocks: Iterator[Block]) -> None:
        """Rows a block at a time: a block whose rows are one line each and wide enough is
        read column by column (`_block`); any other row by `_row`."""
        for block in blocks:
            if self.on_block is not None:
                out = self.out
                self.on_block(len(out) + out.rejected_count + out.duplicates + out.blank)
            if src.fast and block.one_line_each and block.narrowest() >= src.width:
                # A value first met in a block sends each of its rows there to `_row`:
                # the first blocks of a file are small, while the values are being learnt.
                for part in block.parts(self._learning):
                    self._block(part, src.source, src.cols)
                    self._learning = min(2 * self._learning, LEARNT_ROWS)
                continue
            for k in range(block.count):
                self._row(block.row(k), block.line(k), src.source, src.cols, src.need,
                          src.fields)

    def _row(self, row: list[str], line: int, source: int, cols: tuple[int | None, ...],
             need: int, fields: int) -> None:
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

    def _block(self, block: Block, source: int, cols: tuple[int | None, ...]) -> None:
        """Rows of one line each, as many values at a time as there are rows, without a
        Python statement per row: each column's values are looked up among those read
        before (map and dict.get are C). A row with a value not seen before, a bad one or
        a ref seen before is left to `_row`, in its place, so that the result is the same."""
        ti, ii, ai, mi, ri, di, oi = cols
        assert ti is not None and ii is not None
        n, first, column = block.count, block.first, block.column
        times = column(ti)
        when: list[int | None]
        slow: set[int] = set()
        if self.time_format is not None:
            when = list(map(self._formatted.get, times))
            slow.update(where(when, None))
        else:
            if di is None:
                days = list(map(itemgetter(slice(0, 11)), times))
                secs = list(map(self._suffix.get, map(itemgetter(slice(11, None)), times)))
                base = list(map(self._prefix.get, days))
            else:
                days = column(di)
                secs = list(map(self._clocks.get, times))
                base = list(map(self._dates.get, days))
            for i in where(base, None):  # a day the clocks change: LocalClock, row by row
                midnight, clock = self._changing.get(days[i]), secs[i]
                if midnight is not None and clock is not None:
                    base[i] = self.out.clock.utc(midnight + clock) - clock
            slow.update(where(base, None), where(secs, None))
            when = base  # filled in below, range by range
            secs_of = secs
        issues = column(ii)
        areas = repeat("") if ai is None else column(ai)
        groups = list(map(self._pair.get, zip(issues, areas, strict=False)))
        # A row whose time is read and whose issue is a value already found to match no
        # issue is rejected in bulk, in its place (`_refuse`); other rows without a group
        # are left to `_row`.
        refused: list[int] = []
        timed = frozenset(slow)  # rows whose time `_row` reads: not refused before that
        for k in where(groups, None):
            if k not in timed and self._issue_raw.get(issues[k], "") is None:
                refused.append(k)
            else:
                slow.add(k)
        minutes: list[int | None] | None = None
        if mi is not None:
            minutes = list(map(self._minutes.get, column(mi)))
            slow.update(where(minutes, None))
        if oi is not None:  # opened as the type it is judged as (else `_row` counts it)
            slow.update(where(list(map(eq, map(self._issue_raw.get, column(oi)),
                                           map(self._issue_raw.get, issues))), False))
        slow.difference_update(refused)  # rejected for the issue before its minutes are read
        refs = list(map(str.strip, column(ri))) if ri is not None else None
        out = self.out
        seen = out.seen_refs
        fields = len(block.row(0))
        start = 0
        refused.reverse()  # taken from the end, in line order
        for stop in [*sorted(slow), n]:
            if start < stop:
                here: list[int] = []
                while refused and refused[-1] < stop:
                    here.append(refused.pop() - start)
                if here:
                    self._refuse(out.sources[source], [first + start + k for k in here],
                                 [issues[start + k] for k in here])
                if self.time_format is None:
                    instants = list(map(add, when[start:stop], secs_of[start:stop]))
                else:
                    instants = when[start:stop]
                keep = None
                rs: list[str] | None = None
                if refs is not None:
                    rs = refs[start:stop]
                    for k in here:  # a refused row's ref is not remembered
                        rs[k] = ""
                    dup = _repeated(rs, seen)
                    if dup is not None and True in dup:
                        keep = list(map(not_, dup))
                        out.duplicates += dup.count(True)
                if here:
                    keep = keep or [True] * (stop - start)
                    for k in here:
                        keep[k] = False
                self._extend(source, range(first + start, first + stop), instants,
                             groups[start:stop], minutes[start:stop] if minutes else None,
                             rs, keep)
            if stop < n:
                self._row(block.row(stop), first + stop, source, cols, 0, fields)
            start = stop + 1

    def _refuse(self, label: str, lines: list[int], raws: list[str]) -> None:
        """Rows rejected for an issue value already found to match none: as `add` rejects
        them, the sampled ones one by one, the rest counted by value."""
        out = self.out
        room = len(lines) if self.keep_rejected is None else max(
            0, self.keep_rejected - len(out.rejected))
        for line, raw in zip(lines[:room], raws[:room], strict=False):
            if raw.strip():
                self._unmatched("issue", raw)
            self.reject(label, line, self._reason("issue", raw))
        if room >= len(lines):
            return
        rest = raws[room:]
        for raw, count in Counter(rest).items():
            if raw.strip():
                k = ("issue", " ".join(raw.split()))
                if k in out.unmatched or len(out.unmatched) < DISTINCT:
                    out.unmatched[k] += count
                else:
                    out.unmatched_other += count
            kind = kind_of(self._reason("issue", raw))
            if kind not in out.kinds and len(out.kinds) >= DISTINCT:
                kind = "other reasons"
            out.kinds[kind] += count
            out.rejected_count += count
            if kind not in out.first_of_kind:
                line = lines[room + rest.index(raw)]
                out.first_of_kind[kind] = Rejected(label, line, self._reason("issue", raw))

    def _extend(self, source: int, lines: range, instants: list[int],
                groups: list[int | None], minutes: list[int | None] | None,
                refs: list[str] | None, keep: list[bool] | None) -> None:
        out = self.out
        count = len(lines)
        if keep is not None:
            count = keep.count(True)
            instants = list(compress(instants, keep))
            groups = list(compress(groups, keep))
            minutes = list(compress(minutes, keep)) if minutes is not None else None
            refs = list(compress(refs, keep)) if refs is not None else None
            out.line.extend(compress(lines, keep))
        else:
            out.line.extend(lines)
        out.when.extend(instants)
        out.group.extend(groups)  # type: ignore[arg-type]
        out.minutes.extend(minutes if minutes is not None else repeat(0, count))  # type: ignore[arg-type]
        out.source.extend(repeat(source, count))
        out.refs.extend(map(_NO_REF.get, refs, refs) if refs is not None else
                        repeat(None, count))

    def _columns(self, header: list[str], label: str) -> dict[str, int]:
        found = {key(h): n for n, h in reversed(list(enumerate(header)))}
        where: dict[str, int] = {}
        mapped = {found.get(key(h)) for h in self.columns.values()}
        for column in COLUMNS:
            wanted = self.columns.get(column, column)
            if key(wanted) in found:
                if column not in self.columns and found[key(wanted)] in mapped:
                    continue  # "Opened" mapped as the time is not also the opening category
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
        if "date" in where and "time" in self.columns and where["date"] == where["time"]:
            raise EvidenceFileError(f"{label}:1: --column date and --column time name the "
                                    "same column")
        return where


_NO_REF: dict[str, str | None] = {"": None}


def _repeated(refs: list[str], seen: set[str]) -> list[bool] | None:
    """Per ref: whether it was seen before (in `seen`, or earlier in `refs`; "" never is),
    or None when none was; `seen` then holds them all. In C: a pass to look them up, one
    to add them, and only when some ref repeats within `refs`, three more."""
    before = list(map(seen.__contains__, refs))
    size = len(seen)
    seen.update(refs)
    repeats = before.count(True)
    if len(seen) - size == len(refs) - repeats and "" not in refs:
        return before if repeats else None
    seen.discard("")
    first = dict(zip(reversed(refs), range(len(refs) - 1, -1, -1), strict=True))  # → first
    later = map(ne, map(first.__getitem__, refs), range(len(refs)))
    return list(map(and_, map(bool, refs), map(or_, before, later)))


def _found(header: list[str]) -> str:
    shown = [_shown(h) for h in header[:12]]
    more = f" and {len(header) - 12} more" if len(header) > 12 else ""
    return (", ".join(shown) + more) if shown else "nothing"
