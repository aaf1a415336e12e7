"""Where incident rows come from: CSV text read in bounded pieces (a line longer than the
field limit is refused as it is read, never held whole; a FIFO that nobody writes to is
given up on after the registry's no-data wait), and `.xlsx` workbooks through openpyxl's
streaming reader (the optional `xlsx` extra)."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import stat
from collections.abc import Callable, Iterator
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any

CHUNK = 1 << 20  # characters read at a time


class SourceError(Exception):
    """The file cannot be read at all; the message is one line, without the label, and
    `hint` what to do when there is something to say."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def reader_for(path: Path, span: Span | None = None) -> Callable[[int], str]:
    """read(n) of a file's text (UTF-8, a BOM dropped, line ends kept as written). A pipe,
    FIFO or socket is polled: nothing arriving for the wait is an error, not a hang.
    `span`: only part of a regular file (see `Span`)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceError("no such file", f"check the path (read from {Path.cwd()}); give "
                          "CSV or .xlsx exports of incidents, or '-' for standard input") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise SourceError("is a directory; pass a CSV or .xlsx file")
    stream = stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
    if not stream:
        os.set_blocking(fd, True)
    if span is not None and not stream:
        os.lseek(fd, span.start, os.SEEK_SET)
    return _fd_reader(fd, stream=stream, own=True, span=span)


class Span:
    """Bytes `start` to `stop` of a file (None: its end), after `prefix`; `stop` is lifted
    (`go_on`) to read on to the end after all."""

    def __init__(self, start: int = 0, stop: int | None = None, prefix: bytes = b"") -> None:
        self.start, self.stop, self.prefix = start, stop, prefix
        self.at = start
        self.lines_before = 0  # the file's lines before the span's own (halves.py)

    def go_on(self) -> None:
        self.stop = None

    def size(self, n: int) -> int:
        return n if self.stop is None else max(0, min(n, self.stop - self.at))


def stdin_reader(fh: object) -> Callable[[int], str] | None:
    """read(n) of standard input when it is a pipe, FIFO or socket, polled as `reader_for`
    polls one (nothing arriving for the wait is an error, not a hang); None otherwise."""
    try:
        fd = fh.fileno()  # type: ignore[attr-defined]
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        return None
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return None
    return _fd_reader(fd, stream=True, own=False)


def _fd_reader(fd: int, *, stream: bool, own: bool, span: Span | None = None
               ) -> Callable[[int], str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    closed = False
    prefix = span.prefix if span is not None else b""
    at = span.start if span is not None else 0  # the file's byte the next chunk starts at

    def decode(chunk: bytes, start: int, final: bool) -> str:
        held = len(decoder.getstate()[0])  # the start of a character the last chunk cut
        try:
            return decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            raise SourceError(f"not UTF-8 text (byte {start - held + exc.start:,} of the file "
                              "cannot be read); export the file as CSV UTF-8") from None

    def read(n: int) -> str:
        nonlocal closed, prefix, at
        if closed:
            return ""
        if prefix:
            text, prefix = decode(prefix, 0, False), b""
            if text:
                return text
        while True:
            if stream:
                _wait(fd, own)
            try:
                chunk = os.read(fd, n if span is None else span.size(n))
            except BlockingIOError:
                continue
            except OSError as exc:
                raise SourceError(f"cannot read: {exc.strerror or exc}") from None
            if span is not None:
                span.at += len(chunk)
            text = decode(chunk, at, not chunk)
            at += len(chunk)
            if not chunk:
                if own:
                    os.close(fd)
                closed = True
                return text
            if text:
                return text

    return read


def _wait(fd: int, own: bool = True) -> None:
    import select

    from remitctl.registry.reading import TIMEOUT_ENV, timeout

    wait = timeout()
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    if not poller.poll(int(wait * 1000)):
        if own:
            os.close(fd)
        raise SourceError(f"nothing arrived for {wait:g} s (a pipe or FIFO that nobody writes "
                          f"to?); write the incidents into it, or pass a file ({TIMEOUT_ENV} "
                          "sets the wait in seconds)")


def bounded_lines(read: Callable[[int], str], limit: int,
                  too_long: Callable[[int], None]) -> Iterator[list[str]]:
    """The text's lines with their ends (split at "\\n" only, as the csv module wants), in
    pieces of whole lines, a line longer than `limit` replaced by an empty one after
    `too_long(its line number)`, so that no more than a piece of it is ever held."""

    def pieces() -> Iterator[list[str]]:
        carry, skipping, done = "", False, 0
        source = _lf_blocks(read, limit)
        while True:
            block = next(source)
            if not block:
                if carry and not skipping:
                    yield [carry]
                return
            parts = block.split("\n")
            if skipping:
                if len(parts) == 1:
                    continue
                skipping, carry = False, ""
                parts = parts[1:]
                done += 1
                yield ["\n"]
            else:
                parts[0] = carry + parts[0]
            carry = parts.pop()
            if parts:
                lines = list(map(add, parts, repeat("\n")))
                if max(map(len, parts)) > limit:
                    for k, line in enumerate(lines):
                        if len(line) > limit:
                            too_long(done + k + 1)
                            lines[k] = "\n"
                done += len(lines)
                yield lines
            if len(carry) > limit:
                too_long(done + 1)
                skipping, carry = True, ""

    return pieces()


def _lf_blocks(read: Callable[[int], str], limit: int) -> Iterator[str]:
    """The text in blocks, its line ends as the csv module reads them: an old Mac export's
    lone CR ends (the first line end is a CR not followed by LF) become LF; LF and CRLF
    are left alone. Yields "" at the end."""
    cr_only: bool | None = None
    held = ""
    while True:
        block = read(CHUNK)
        if cr_only is None:
            text = held + block
            lf, cr = text.find("\n"), text.find("\r")
            if lf >= 0 and (cr < 0 or cr >= lf - 1):
                cr_only = False
            elif 0 <= cr < len(text) - 1:
                cr_only = True
            elif block and len(text) <= limit:  # no line end yet, or a CR last: read on
                held = text
                continue
            else:
                cr_only = False
            held, block = "", text
        if cr_only:
            block = block.replace("\r", "\n")
        yield block
        if not block:
            return


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}" if not value.is_integer() else str(int(value))
    return str(value)


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows as text (dates as ISO 8601), streamed."""
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise SourceError("reading .xlsx needs openpyxl: pip install 'remitctl[xlsx]', or "
                          "save the sheet as CSV UTF-8") from None
    import zipfile

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise SourceError(f"not an .xlsx workbook ({type(exc).__name__}); save it from the "
                          "spreadsheet as .xlsx or CSV UTF-8") from None
    except Exception as exc:  # openpyxl's own errors (InvalidFileException and the like)
        raise SourceError(f"not a readable .xlsx workbook: {str(exc)[:120]}") from None

    def rows() -> Iterator[list[str]]:
        try:
            sheet = book.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield [_cell(v) for v in values]
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
            raise SourceError(f"a damaged .xlsx workbook ({type(exc).__name__})") from None
        finally:
            book.close()

    return rows()
