"""Layout primitives for text output: text that wraps only between words and never
inside a kept piece, labelled two-column grids, and wide/narrow fits."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from remitctl.render.words import safe


class _Kept(Text):
    """Text never broken across lines: a phone number, a time."""


_ATOM = re.compile(r"\S+\s*|\s+")


class _Flow:
    """Text that wraps only between words and never inside a kept piece (a phone number),
    continuing wrapped lines `indent` cells in. Built from plain strings and styles, not by
    slicing rich Text: `now` lays out hundreds of these."""

    def __init__(self, pieces: Iterable[Text], indent: int = 0) -> None:
        self.atoms: list[list[tuple[str, str | Style]]] = []
        for piece in pieces:
            if isinstance(piece, _Kept) or not piece.plain:
                self.atoms.append(_segments(piece))
                continue
            if piece.spans:  # several styles in one piece: cut it where its words end
                cuts = [m.end() for m in _ATOM.finditer(piece.plain)][:-1]
                self.atoms.extend(_segments(part) for part in piece.divide(cuts))
                continue
            style = piece.style
            self.atoms.extend([(m.group(), style)] for m in _ATOM.finditer(piece.plain))
        self.indent = indent

    @staticmethod
    def _width(atom: list[tuple[str, str | Style]], *, trailing: bool = False) -> int:
        text = "".join(t for t, _ in atom)
        return cell_len(text if trailing else text.rstrip())

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = [self._width(a) for a in self.atoms] or [0]
        total = sum(self._width(a, trailing=True) for a in self.atoms)
        return Measurement(min(max(widths) + self.indent, options.max_width),
                           min(total, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines: list[Text] = []
        line = Text()
        used = 0
        for atom in self.atoms:
            need = self._width(atom)
            blank = need == 0
            if used and line.plain.strip() and used + need > width:
                line.rstrip()
                lines.append(line)
                line = Text(" " * self.indent)
                used = self.indent
                if blank:
                    continue
            for text, style in atom:
                line.append(text, style)
            used += self._width(atom, trailing=True)
        line.rstrip()
        lines.append(line)
        for done in lines:  # each ends its own line; one that fits is not wrapped again
            if done.cell_len <= width:
                done.no_wrap = True
            yield done


def _segments(text: Text) -> list[tuple[str, str | Style]]:
    if not text.spans:
        return [(text.plain, text.style)]
    return [(text.plain[start:end], style) for start, end, style in _runs(text)]


def _runs(text: Text) -> list[tuple[int, int, str | Style]]:
    """A Text's plain string as runs of one combined style each."""
    cuts = sorted({0, len(text.plain), *(s.start for s in text.spans),
                   *(s.end for s in text.spans)})
    runs: list[tuple[int, int, str | Style]] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        styles = [text.style, *(s.style for s in text.spans if s.start <= a and s.end >= b)]
        parts = [str(x) for x in styles if x]
        runs.append((a, b, " ".join(parts)))
    return runs


class _Pieces:
    """Builds a _Flow with Text's append API, keeping kept pieces whole."""

    def __init__(self, first: str = "", indent: int = 4) -> None:
        self.pieces: list[Text] = [Text(first)] if first else []
        self.indent = indent

    def append(self, text: str, style: str = "") -> None:
        self.pieces.append(Text(text, style=style))

    def append_text(self, text: Text) -> None:
        self.pieces.append(text)

    def keep(self, text: str, style: str = "") -> None:
        """A piece never broken across lines ('Mon 08:30')."""
        self.pieces.append(_Kept(text, style=style))

    def flow(self) -> _Flow:
        return _Flow(self.pieces, self.indent)


def _flow(*parts: str | tuple[str, str] | Text, indent: int = 0) -> _Flow:
    pieces: list[Text] = []
    for part in parts:
        if isinstance(part, Text):
            pieces.append(part)
        elif isinstance(part, tuple):
            pieces.append(Text(safe(part[0]), style=part[1]))
        else:
            pieces.append(Text(safe(part)))
    return _Flow(pieces, indent)


class _Line:
    """A labelled line; consecutive ones are laid out as a two-column grid."""

    def __init__(self, label: str, value: RenderableType) -> None:
        self.label = label
        self.value = value


class _Fit:
    """The wide layout where the terminal has room for it, else the narrow one (a table's
    columns squeezed to a few characters each cannot be read)."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int) -> None:
        self.wide = wide
        self.narrow = narrow
        self.min_width = min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.min_width else self.narrow


def _records(table: Table, spaced: bool) -> RenderableType:
    """A table's rows one under another: the first cell, then 'Header: cell' indented."""
    out: list[RenderableType] = []
    if table.title:
        out.append(Text(str(table.title), style="bold"))
    columns = [(str(c.header) if table.show_header else "", [_as_text(cell) for cell in c.cells])
               for c in table.columns]
    for n in range(table.row_count):
        first = columns[0][1][n]
        if n and spaced:
            out.append(Text(""))
        if first.plain.strip():
            out.append(first)
        for header, cells in columns[1:]:
            if cells[n].plain.strip():
                line = Text.assemble((f"{header}: ", "dim"), cells[n]) if header else cells[n]
                out.append(Padding(line, (0, 0, 0, 2)))
    return Group(*out)


def _as_text(cell: RenderableType) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))


def _fit(table: Table, min_width: int, *, spaced: bool = True) -> RenderableType:
    return _Fit(table, _records(table, spaced), min_width)


def _grid(rows: list[RenderableType | _Line]) -> RenderableType:
    out: list[RenderableType] = []
    narrow: list[RenderableType] = []
    grid: Table | None = None
    for row in rows:
        if isinstance(row, _Line):
            if grid is None:
                grid = Table.grid(padding=(0, 1))
                grid.add_column(style="dim", no_wrap=True, min_width=16)
                grid.add_column(overflow="fold")
                out.append(grid)
            grid.add_row(Text("  " + safe(row.label)), row.value)
            narrow += [Text("  " + safe(row.label), style="dim"), Padding(row.value, (0, 0, 0, 4))]
        else:
            grid = None
            out.append(row)
            narrow.append(row)
    return _Fit(Group(*out), Group(*narrow), 40)


def _line(label: str, *parts: str | tuple[str, str] | Text) -> _Line:
    return _Line(label, _flow(*parts))
