"""CSV text as blocks of rows, so that a million rows can be read column by column.

The text comes as pieces of whole lines (`sources.bounded_lines`). A piece with no quote
character and no lone CR, whose lines all hold the same number of delimiters, is cut into
fields by `str.split`, in C, exactly as the csv module would read it: without quotes a
field can hold neither a delimiter nor a line break. Any other piece is read by the csv
module; from the first quote character on, the rest of the text is (a quoted field may run
over a line end, so pieces no longer end rows).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import itemgetter

CSV_ROWS = 4096  # rows taken from the csv module at a time


class CsvError(Exception):
    """The text is not CSV from `line` on (the csv module's reason)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(slots=True)
class Block:
    """Consecutive rows. Either `flat` holds them, `fields` values a row (every row is one
    line), or `rows` does, with `lines` giving each row's line when a row spans several."""

    first: int  # the line of the first row
    count: int
    fields: int = 0
    flat: list[str] | None = None
    rows: list[list[str]] | None = None
    lines: list[int] | None = None

    @property
    def one_line_each(self) -> bool:
        return self.lines is None

    def narrowest(self) -> int:
        """The fewest fields in any row."""
        if self.flat is not None:
            return self.fields
        assert self.rows is not None
        return min(map(len, self.rows)) if self.rows else 0

    def column(self, i: int) -> list[str]:
        """Field i of every row (every row has it: see `narrowest`)."""
        if self.flat is not None:
            return self.flat[i::self.fields]
        assert self.rows is not None
        return list(map(itemgetter(i), self.rows))

    def row(self, k: int) -> list[str]:
        if self.flat is not None:
            return self.flat[k * self.fields:(k + 1) * self.fields]
        assert self.rows is not None
        return self.rows[k]

    def parts(self, first_size: int) -> Iterator[Block]:
        """The block as consecutive blocks, the first of `first_size` rows, each next one
        twice as large as the one before (up to 4096 rows)."""
        size, at = first_size, 0
        while at < self.count:
            n = min(size, self.count - at)
            if at == 0 and n == self.count:
                yield self
            elif self.flat is not None:
                yield Block(self.first + at, n, fields=self.fields,
                            flat=self.flat[at * self.fields:(at + n) * self.fields])
            else:
                assert self.rows is not None and self.lines is None
                yield Block(self.first + at, n, rows=self.rows[at:at + n])
            at += n
            size = min(2 * size, 4096)

    def line(self, k: int) -> int:
        return self.first + k if self.lines is None else self.lines[k]


class Lines:
    """The lines of `pieces` one at a time (for the header), then the rest as pieces."""

    def __init__(self, pieces: Iterator[list[str]]) -> None:
        self._pieces = pieces
        self._piece: list[str] = []
        self._at = 0

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        while self._at >= len(self._piece):
            self._piece, self._at = next(self._pieces), 0
        self._at += 1
        return self._piece[self._at - 1]

    def rest(self) -> Iterator[list[str]]:
        if self._at < len(self._piece):
            yield self._piece[self._at:]
        self._piece, self._at = [], 0
        yield from self._pieces


@dataclass(slots=True)
class Cursor:
    """Where `row_blocks` is: the line its next piece starts at, and whether it has gone
    over to the csv module for the rest of the text (`on_csv` is told when it does)."""

    line: int = 1
    in_csv: bool = False
    on_csv: Callable[[], None] | None = None


def row_blocks(pieces: Iterator[list[str]], delimiter: str, start: int | Cursor
               ) -> Iterator[Block]:
    """The rows of `pieces` (lines with their ends) in blocks; `start` is the first's line
    (or a Cursor holding it). Raises CsvError where the csv module refuses the text."""
    cursor = start if isinstance(start, Cursor) else Cursor(start)
    for piece in pieces:
        block = _split(piece, delimiter, cursor.line)
        if block is None:
            if any(map(str.__contains__, piece, repeat('"'))):
                # A quoted field may run on into the next piece: the csv module from here.
                cursor.in_csv = True
                if cursor.on_csv is not None:
                    cursor.on_csv()
                yield from _csv_blocks(chain(piece, chain.from_iterable(pieces)), delimiter,
                                       cursor.line)
                return
            block = _csv_piece(piece, delimiter, cursor.line)  # lines of different widths,
        yield block  # a blank line, a lone CR: one row a line all the same
        cursor.line += len(piece)


def _split(piece: list[str], delimiter: str, line: int) -> Block | None:
    """The piece's rows split in C, when every row is one line and all are as wide. Lines
    with a quote character (a title with a comma, quoted) are read by the csv module, an
    empty row of the same width stands in for each while the rest are cut at once, and
    their fields are put in its place."""
    quoted = where(list(map(str.__contains__, piece, repeat('"'))), True)
    rows: list[list[str]] = []
    widths = list(map(str.count, piece, repeat(delimiter)))
    if quoted:
        reader = csv.reader([piece[k] for k in quoted], delimiter=delimiter)
        try:
            rows = list(reader)
        except csv.Error:
            return None
        if len(rows) != len(quoted) or any("\n" in f or "\r" in f for row in rows for f in row):
            return None  # a quoted field runs over a line end
        for k, row in zip(quoted, rows, strict=True):
            widths[k] = len(row) - 1
    width = set(widths)
    if len(width) != 1:
        return None
    fields = width.pop() + 1
    if quoted:
        piece = list(piece)
        empty = delimiter * (fields - 1) + "\n"
        for k in quoted:
            piece[k] = empty
    text = "".join(piece)
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None  # a lone CR: the csv module says what it thinks of it
        text = text.replace("\r\n", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    flat = text.replace("\n", delimiter).split(delimiter)
    if (fields == 1 and "" in flat) or len(flat) != fields * len(piece):
        return None  # a blank line (the csv module's [] row), or a line end inside a line
    for k, row in zip(quoted, rows, strict=True):
        flat[k * fields:(k + 1) * fields] = row
    return Block(line, len(piece), fields=fields, flat=flat)


def _csv_piece(piece: list[str], delimiter: str, line: int) -> Block:
    """A piece without quotes, through the csv module: one row a line."""
    reader = csv.reader(piece, delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CsvError(line + reader.line_num - 1, str(exc)) from None
    return Block(line, len(rows), rows=rows)


def _csv_blocks(lines: Iterator[str], delimiter: str, line: int) -> Iterator[Block]:
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        before = reader.line_num
        try:
            rows = list(islice(reader, CSV_ROWS))
        except csv.Error as exc:
            raise CsvError(line + reader.line_num - 1, str(exc)) from None
        if not rows:
            return
        first = line + before
        if reader.line_num - before == len(rows):
            yield Block(first, len(rows), rows=rows)
            continue
        at, starts = first, []
        for row in rows:
            starts.append(at)
            at += 1 + sum(f.count("\n") for f in row)  # a quoted line break
        yield Block(first, len(rows), rows=rows, lines=starts)


def list_blocks(rows: Iterator[list[str]], line: int) -> Iterator[Block]:
    """Rows already split (a workbook's), one line each, in blocks."""
    while True:
        taken = list(islice(rows, CSV_ROWS))
        if not taken:
            return
        yield Block(line, len(taken), rows=taken)
        line += len(taken)


def where(values: Sequence[object], value: object) -> list[int]:
    """The indexes at which `values` holds `value` (list.index is C: one call each)."""
    found: list[int] = []
    at = -1
    try:
        while True:
            at = values.index(value, at + 1)
            found.append(at)
    except ValueError:
        return found
