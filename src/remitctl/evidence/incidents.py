"""Incidents from CSV exports (and .xlsx workbooks, and the log store), read exactly or
rejected with a reason.

Columns are found by header name (any case; `--column time="Created Date"` maps others).
A file is read in blocks of lines (blocks.py, sources.py), a large one in two halves at
once (halves.py); each block column by column (columns.py), any other row by the row
reader (rows.py), which holds what was read (`Incidents`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from remitctl.evidence.blocks import Block, CsvError, Cursor, Lines, list_blocks, row_blocks
from remitctl.evidence.columns import ColumnReader
from remitctl.evidence.rows import (
    DISTINCT,
    GIVEN,
    LEARNING_ROWS,
    LEARNT_ROWS,
    TENTHS,
    EvidenceFileError,
    Incidents,
    Rejected,
    kind_of,
)
from remitctl.evidence.times import FIRST_YEAR, LAST_YEAR, SHOWN, LocalClock, Order, parse_time
from remitctl.evidence.times import shown as _shown
from remitctl.evidence.values import COLUMNS, column_map, key

__all__ = ["DISTINCT", "FIRST_YEAR", "GIVEN", "LAST_YEAR", "SHOWN", "TENTHS", "EvidenceFileError",
           "Incidents", "LocalClock", "Reader", "Rejected", "Source", "column_map", "key",
           "kind_of", "parse_time"]

REQUIRED = ("time", "issue")
DELIMITERS = (",", ";", "\t", "|")


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


class Reader(ColumnReader):
    """Reads files and store records into one `Incidents`, deduplicating refs across all."""

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
                lambda p, span: self._pieces(reader_for(p, span), label, span.lines_before)))
        except SourceError as exc:
            raise EvidenceFileError(f"{label}: {exc}", exc.hint) from None

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

    def _pieces(self, read: object, label: str, lines_before: int = 0) -> Iterator[list[str]]:
        from remitctl.evidence.sources import bounded_lines

        limit = csv.field_size_limit()

        def too_long(line: int) -> None:
            self.reject(label, line + lines_before, f"a line of more than {limit:,} characters; "
                        "refused as it was read (is this an incident export?)")

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
            raise EvidenceFileError(f"{label}: {exc}", exc.hint) from None
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


def _found(header: list[str]) -> str:
    shown = [_shown(h) for h in header[:12]]
    more = f" and {len(header) - 12} more" if len(header) > 12 else ""
    return (", ".join(shown) + more) if shown else "nothing"
