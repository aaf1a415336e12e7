"""evidence/blocks.py splits most CSV text in C, without the csv module: it must read
exactly the rows the csv module reads, each at its line, however the text is cut into
pieces, and refuse what the csv module refuses at the line it names."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remitctl.evidence.blocks import Block, CsvError, Lines, row_blocks

FIELD = st.one_of(
    st.text(alphabet="ab ,;|\t", max_size=4),  # plain, or holding a delimiter unquoted
    st.text(alphabet="ab ,\n", max_size=4).map(lambda s: '"' + s + '"'),  # quoted, a comma
    st.sampled_from(['"a""b"', 'x"y', '"', '5" tv', "", " ", "\x1f", "é", "\x00"]),
)
ROW = st.lists(FIELD, min_size=1, max_size=4)
END = st.sampled_from(["\n", "\r\n", "\r\n", "\n", "\r"])


def _lines(text: str) -> list[str]:
    """Lines with their ends, split at LF only (as sources.bounded_lines does)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _pieces(lines: list[str], cuts: list[int]) -> list[list[str]]:
    at, out = 0, []
    for cut in sorted(set(cuts)):
        if at < cut < len(lines):
            out.append(lines[at:cut])
            at = cut
    out.append(lines[at:])
    return [p for p in out if p]


def _read(pieces: list[list[str]], delimiter: str) -> list[tuple[int, list[str]]] | CsvError:
    try:
        return [(b.line(k), b.row(k)) for b in row_blocks(iter(pieces), delimiter, 1)
                for k in range(b.count)]
    except CsvError as exc:
        return exc


def _csv(lines: list[str], delimiter: str) -> list[tuple[int, list[str]]] | tuple[int, str]:
    reader = csv.reader(lines, delimiter=delimiter)
    rows, line = [], 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        return reader.line_num, str(exc)
    return rows


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(st.tuples(ROW, END), max_size=12), last_end=st.booleans(),
       cuts=st.lists(st.integers(0, 12), max_size=4),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_blocks_read_what_the_csv_module_reads(rows, last_end, cuts, delimiter) -> None:  # type: ignore[no-untyped-def]
    text = "".join(delimiter.join(fields) + end for fields, end in rows)
    if rows and not last_end:
        text = text.rstrip("\r\n")
    lines = _lines(text)
    expected = _csv(lines, delimiter)
    got = _read(_pieces(lines, cuts), delimiter)
    if isinstance(expected, tuple):
        assert isinstance(got, CsvError), (text, got)
        assert (got.line, got.reason) == expected
        return
    assert not isinstance(got, CsvError), (text, got)
    # Line numbers: a row's first line (the csv module counts a quoted line break too).
    assert [r for _, r in got] == [r for _, r in expected], text
    assert [n for n, _ in got] == [n for n, _ in expected], text


def test_a_plain_piece_is_split_without_the_csv_module() -> None:
    blocks = list(row_blocks(iter([["a,b\r\n", 'c,"d,e"\n', "f,\n"]]), ",", 7))
    assert len(blocks) == 1 and blocks[0].flat is not None  # the C path, quotes and all
    assert [blocks[0].row(k) for k in range(3)] == [["a", "b"], ["c", "d,e"], ["f", ""]]
    assert blocks[0].column(1) == ["b", "d,e", ""]
    assert [blocks[0].line(k) for k in range(3)] == [7, 8, 9]


def test_a_quoted_line_break_sends_the_rest_to_the_csv_module() -> None:
    pieces = [["a,b\n", 'c,"d\n'], ['e",f\n', "g,h\n"]]
    blocks = list(row_blocks(iter(pieces), ",", 2))
    rows = [(b.line(k), b.row(k)) for b in blocks for k in range(b.count)]
    assert rows == [(2, ["a", "b"]), (3, ["c", "d\ne", "f"]), (5, ["g", "h"])]


@pytest.mark.parametrize("first", [1, 3, 256])
def test_parts_keep_every_row_in_order(first: int) -> None:
    flat = [str(n) for n in range(2 * 1000)]
    block = Block(10, 1000, fields=2, flat=flat)
    parts = list(block.parts(first))
    assert sum(p.count for p in parts) == 1000
    assert [p.row(k) for p in parts for k in range(p.count)] == \
        [block.row(k) for k in range(1000)]
    assert [p.line(k) for p in parts for k in range(p.count)] == list(range(10, 1010))
    assert parts[0].count == min(first, 1000)


def test_lines_gives_the_header_then_the_rest_as_pieces() -> None:
    lines = Lines(iter([["h\n", "a\n"], ["b\n"]]))
    assert next(lines) == "h\n"
    assert list(lines.rest()) == [["a\n"], ["b\n"]]
