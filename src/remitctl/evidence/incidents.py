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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

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
from remitctl.registry.model import Registry

__all__ = ["FIRST_YEAR", "LAST_YEAR", "SHOWN", "LocalClock", "parse_time"]

COLUMNS = ("time", "issue", "area", "minutes", "ref", "date", "opened")
REQUIRED = ("time", "issue")
DELIMITERS = (",", ";", "\t", "|")
GIVEN, TENTHS = 1 << 24, (1 << 24) - 1  # officer minutes as stored: a flag and tenths
DISTINCT = 10_000  # distinct unmatched values (or reasons) counted one by one; more: "other"
_FIXED = re.compile(r"(?:\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}\Z")
_WORD = re.compile(r" ['\"(]")


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


_wall = wall
_DECIMAL_COMMA = re.compile(r"\d+(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+")
_POINT = re.compile(r"\d*\.?\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def parse_minutes(text: str, decimal_comma: bool = False) -> float | str | None:
    """Officer minutes (None: not given), or the reason they cannot be read. In a
    `;`-separated file the comma is the decimal mark (`60,5`, `1.234,5`); elsewhere it
    may only group thousands (`1,234`): a comma that can be neither is refused, never
    dropped."""
    raw = text.strip()
    if not raw:
        return None
    value = float("nan")
    if decimal_comma and _DECIMAL_COMMA.fullmatch(raw):
        value = float(raw.replace(".", "").replace(",", "."))
    elif decimal_comma and re.fullmatch(r"\d+\.\d+", raw) and not \
            re.fullmatch(r"\d{1,3}\.\d{3}", raw):
        value = float(raw)
    elif decimal_comma and re.fullmatch(r"\d{1,3}\.\d{3}", raw):
        return (f"bad minutes {_shown(raw)}: in a ';' file this could be thousands or a "
                "decimal point; write 1234 or 1,234")
    elif not decimal_comma and _POINT.fullmatch(raw):
        value = float(raw.replace(",", ""))
    elif not decimal_comma and re.fullmatch(r"\d+,\d+", raw):
        return (f"bad minutes {_shown(raw)}: a decimal comma in a file not separated by ';'; "
                f"write {raw.replace(',', '.')}")
    if value != value or value < 0 or value == float("inf"):
        return f"bad minutes {_shown(raw)}: write a number of minutes, e.g. 45"
    if value > 525_600:
        return f"bad minutes {_shown(raw)}: more than a year of officer time on one incident"
    return value


class Names:
    """Names of issue types (id, title, alias, code, and a `--map` file's codes, which come
    first) and areas, for batch data: exact, in any case. Areas as `-a` takes them (id,
    name, unique prefix, spacing and case normalised), but never a guess at a typo."""

    def __init__(self, registry: Registry, mapping: dict[str, str] | None = None) -> None:
        self.registry = registry
        self.issues: dict[str, str] = {}
        for issue in registry.issues.values():
            for name in (issue.id, issue.title, *issue.aliases, *issue.codes):
                self.issues.setdefault(key(name), issue.id)
        self.mapped = bool(mapping)
        self.issues.update(mapping or {})
        self.areas: dict[str, str] = {}
        for area in registry.areas.values():
            self.areas.setdefault(key(area.id), area.id)
            self.areas.setdefault(key(area.name), area.id)

    def area(self, value: str) -> str | None:
        """The area `value` names without guessing, else None."""
        found = self.areas.get(key(value))
        if found is not None or not self.registry.areas:
            return found
        from remitctl.cover.search import find_area, normalise

        match = find_area(self.registry, value)
        if match.area is None:
            return None
        q = normalise(value)
        chosen = self.registry.areas[match.area]
        exact = any(normalise(n).startswith(q) for n in (chosen.id, chosen.name))
        return match.area if q and exact else None

    def issue_reason(self, value: str) -> str:
        if not value.strip():
            return "no issue"
        from remitctl.cover.search import find_issue

        near = find_issue(self.registry, value).issue  # as `who` would read it, else a typo
        if near is None:
            from remitctl.fuzzy import nearest

            typo = nearest(key(value), sorted(self.issues))
            near = self.registry.issues[self.issues[typo[0]]] if typo else None
        hint = f"; nearest: {near.id!r}" if near is not None else ""
        also = ", a --map file's codes" if self.mapped else ""
        return (f"unknown issue {_shown(value)}{hint} (ids, titles, aliases, the registry's "
                f"`codes:`{also} match exactly, in any case; map others with --map)")

    def area_reason(self, value: str) -> str:
        from remitctl.cover.search import find_area

        match = find_area(self.registry, value)
        names = self.registry.areas
        if match.area is not None:
            return f"unknown area {_shown(value)}; nearest: {names[match.area].name!r}"
        if match.candidates:
            return (f"area {_shown(value)} could mean "
                    + " or ".join(repr(names[a].name) for a in match.candidates))
        from remitctl.fuzzy import nearest

        near = nearest(key(value), sorted(self.areas))
        return f"unknown area {_shown(value)}" + (f"; nearest: {near[0]!r}" if near else "")


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
        # Raw values seen before, and what they were read as: exports repeat them.
        self._days: dict[str, tuple[int, int | None]] = {}  # date → (wall seconds, offset)
        self._clocks: dict[str, int] = {}
        self._issue_raw: dict[str, str | None] = {}
        self._area_raw: dict[str, str | None] = {}
        self._reasons: dict[tuple[str, str], str] = {}
        self._order = Order()
        self._decimal_comma = False

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
        if len(self._reasons) >= DISTINCT:  # past that, the search is not worth its time
            return f"unknown {kind} {_shown(value)}"
        if kind == "issue":
            reason = self.names.issue_reason(value)
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
        """As `parse_time`; a fixed-width local time read successfully (DD/MM/YYYY HH:MM,
        YYYY-MM-DD HH:MM) also teaches the fast path in `_read` its date and its clock time:
        a year of incidents has 365 dates and 1,440 minutes, and a million rows."""
        if self.time_format is not None:
            return parse_with(raw, self.time_format, self.out.clock)
        t = parse_time(raw, self.out.clock, self._order, line)
        if isinstance(t, int) and _FIXED.match(raw):
            day = raw[:10]
            if raw[2] == "/":
                y, m, d = int(raw[6:10]), int(raw[3:5]), int(raw[:2])
            else:
                y, m, d = int(raw[:4]), int(raw[5:7]), int(raw[8:10])
            self._learn_day(day, wall(y, m, d, 0, 0, 0))
            self._clocks[raw[11:]] = int(raw[11:13]) * 3600 + int(raw[14:16]) * 60
        return t

    def _learn_day(self, day: str, midnight: int) -> None:
        first, last = self.out.clock.utc(midnight), self.out.clock.utc(midnight + 86399)
        # A day with a clock change is left to LocalClock, quarter hour by quarter hour.
        self._days[day] = (midnight, midnight - first) if midnight - first == \
            midnight + 86399 - last else (midnight, None)

    def _time2(self, date: str, clock: str, line: int) -> int | str:
        """A date column and a time column; each value learnt for the fast path."""
        if self.time_format is not None:
            return parse_with(f"{date} {clock}", self.time_format, self.out.clock)
        day = self._days.get(date)
        if day is None:
            midnight = parse_date(date, self._order, line)
            if isinstance(midnight, str):
                return midnight
            self._learn_day(date, midnight)
            day = self._days[date]
        secs = self._clocks.get(clock)
        if secs is None:
            got = parse_clock(clock)
            if isinstance(got, str):
                return got
            secs = self._clocks[clock] = got
        return self.out.clock.utc(day[0] + secs)

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
        mins: float | None = None
        if minutes:
            read = parse_minutes(minutes, self._decimal_comma)
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
        if opened is not None and opened.strip():
            first = self._issue(opened)
            if first != issue_id:
                label = first or " ".join(opened.split())[:SHOWN]
                if (label, issue_id) in out.recategorised or \
                        len(out.recategorised) < DISTINCT:
                    out.recategorised[(label, issue_id)] += 1
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
        self._decimal_comma = False
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
            else:
                self._read_text(reader_for(path), label)
        except SourceError as exc:
            raise EvidenceFileError(f"{label}: {exc}") from None

    def _read_xlsx(self, rows: Iterator[list[str]], label: str) -> None:
        from remitctl.evidence.sources import Counted

        counted = Counted(rows)
        it = iter(counted)
        for header in it:
            if any(h.strip() for h in header):
                break
        else:
            raise EvidenceFileError(f"{label}: an empty sheet: expected a header row naming "
                                    "at least the columns time and issue")
        self._decimal_comma = False
        self._rows(header, it, counted, label)

    def read_stream(self, fh: Iterable[str], label: str) -> None:
        """Incidents from an open text stream (stdin)."""
        if hasattr(fh, "reconfigure"):  # stdin: read as the files are, BOM and all
            fh.reconfigure(encoding="utf-8-sig", newline="")
        read = getattr(fh, "read", None)
        if read is None:
            lines = iter(fh)

            def read(n: int) -> str:
                return next(lines, "")
        self._read_text(read, label)

    def _read_text(self, read: object, label: str) -> None:
        from remitctl.evidence.sources import SourceError, bounded_lines

        limit = csv.field_size_limit()

        def too_long(line: int) -> None:
            self.reject(label, line, f"a line of more than {limit:,} characters; refused as "
                        "it was read (is this an incident export?)")

        try:
            self._read(bounded_lines(read, limit, too_long), label)  # type: ignore[arg-type]
        except UnicodeDecodeError as exc:
            raise EvidenceFileError(
                f"{label}: not UTF-8 text (byte {exc.start} of a block cannot be read); "
                "export the file as CSV UTF-8") from None
        except SourceError as exc:
            raise EvidenceFileError(f"{label}: {exc}") from None
        except OSError as exc:
            raise EvidenceFileError(f"{label}: cannot read: {exc.strerror or exc}") from None

    def _read(self, fh: Iterable[str], label: str) -> None:
        lines = iter(fh)
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

        def chained() -> Iterator[str]:
            yield first
            yield from lines

        reader = csv.reader(chained(), delimiter=delimiter)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise EvidenceFileError(f"{label}: not CSV: {exc}") from None
        self._rows(header, reader, reader, label, skipped)

    def _rows(self, header: list[str], rows: Iterator[list[str]], counter: object,
              label: str, skipped: int = 0) -> None:
        where = self._columns(header, label)
        source = len(self.out.sources)
        self.out.sources.append(label)
        ti, ii, ai, mi, ri, di, oi = (where.get(c) for c in COLUMNS)
        assert ti is not None and ii is not None
        need = max(c for c in (ti, ii, di) if c is not None)
        add = self.add
        last = counter.line_num + skipped  # type: ignore[attr-defined]
        out = self.out
        days, clocks, issues, areas = self._days, self._clocks, self._issue_raw, self._area_raw
        groups, seen = self._group_index, out.seen_refs
        default_area = self.default_area
        utc = out.clock.utc
        when, group_of, minutes_of = out.when.append, out.group.append, out.minutes.append
        source_of, line_of, ref_of = out.source.append, out.line.append, out.refs.append
        width = max(c for c in (ti, ii, ai, mi, ri, di, oi) if c is not None) + 1
        slow = oi is not None or self.time_format is not None
        try:
            for row in rows:
                line = last + 1
                last = counter.line_num + skipped  # type: ignore[attr-defined]
                n = len(row)
                if n <= need:
                    if not any(c.strip() for c in row):
                        out.blank += 1
                        continue
                    self.reject(label, line, f"{n} field{'s' if n != 1 else ''}, "
                                f"but the header has {len(header)}")
                    continue
                # The usual row, read with what earlier rows taught; anything else by `add`.
                raw = row[ti]
                if di is None:
                    day = days.get(raw[:10]) if len(raw) == 16 and raw[13] == ":" and \
                        raw[10] in " T" else None
                    clock = clocks.get(raw[11:]) if day is not None else None
                else:
                    day = days.get(row[di])
                    clock = clocks.get(raw) if day is not None else None
                issue_id = issues.get(row[ii])
                area = row[ai] if ai is not None and ai < n else ""
                area_id = areas.get(area) if area else default_area
                mins = row[mi] if mi is not None and mi < n else ""
                ref = row[ri].strip() if ri is not None and ri < n else ""
                group = groups.get((issue_id, area_id)) if issue_id is not None else None
                if (clock is None or group is None or (area and area_id is None) or n < width
                        or slow
                        or (mins and not (len(mins) < 6 and mins.isascii() and mins.isdigit()))):
                    if not any(c.strip() for c in row):
                        out.blank += 1
                        continue
                    add(source, line, raw, row[ii], area or None, mins or None, ref or None,
                        None if di is None else row[di],
                        row[oi] if oi is not None and oi < n else None)
                    continue
                if ref:
                    if ref in seen:
                        out.duplicates += 1
                        continue
                    seen.add(ref)
                assert day is not None
                moment = day[0] + clock
                when(moment - day[1] if day[1] is not None else utc(moment))
                group_of(group)
                minutes_of(GIVEN | int(mins) * 10 if mins else 0)
                source_of(source)
                line_of(line)
                ref_of(ref or None)
        except csv.Error as exc:
            raise EvidenceFileError(f"{label}:{counter.line_num}: not CSV: {exc}") from None  # type: ignore[attr-defined]
        refusal = self._order.refusal(label)
        if refusal is not None:
            column = self.columns.get("date" if di is not None else "time",
                                      "date" if di is not None else "time")
            raise EvidenceFileError(
                f"{refusal}; say how column {column!r} is written with --time-format, e.g. "
                "'%m/%d/%Y %I:%M:%S %p' for 01/13/2026 11:42:05 PM")
        self._order = Order()

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
        if "date" in where and "time" in self.columns and where["date"] == where["time"]:
            raise EvidenceFileError(f"{label}:1: --column date and --column time name the "
                                    "same column")
        return where


def _found(header: list[str]) -> str:
    shown = [_shown(h) for h in header[:12]]
    more = f" and {len(header) - 12} more" if len(header) > 12 else ""
    return (", ".join(shown) + more) if shown else "nothing"
