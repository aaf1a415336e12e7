"""Standard streams that cannot end a command with an internal error.

Before a command runs, `prepare()`:
- gives a closed stdin, stdout or stderr (`>&-`) a stand-in on /dev/null, so no file
  remitctl opens later lands on descriptor 1 and receives the report; writing to a
  closed stdout then fails as any failed write does (one line, exit 74);
- lets an output encoding that cannot show every character (`PYTHONIOENCODING=ascii`,
  a C locale without UTF-8) show plain ASCII instead: dashes, arrows and shading
  become `-`, `->` and `#`, accented letters lose their accents, and only what has
  no readable stand-in becomes `?`;
- reads a COLUMNS or LINES too large to mean anything (`COLUMNS=99999999999`) as
  MAX_COLUMNS or MAX_LINES, so no line is ever padded to billions of spaces.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from typing import Any

HANDLER = "remitctl-ascii"
MAX_COLUMNS = 1000
MAX_LINES = 10_000

_STANDINS = {
    "–": "-", "—": "--", "−": "-", "‐": "-", "‑": "-", "→": "->", "←": "<-", "↔": "<->",
    "·": "-", "•": "*", "×": "x", "…": "...", "‘": "'", "’": "'", "“": '"', "”": '"',
    "≤": "<=", "≥": ">=", "≠": "!=", "±": "+/-", "█": "#", "▓": "%", "▒": "+", "░": ".",
    "▌": "|", "▐": "|", "▏": "|", "✓": "v", "✔": "v", "✗": "x", "✘": "x", "▲": "^",
    "▼": "v", "\u00a0": " ", "\u202f": " ", "£": "GBP ", "€": "EUR ",
}


def _standin(char: str) -> str:
    known = _STANDINS.get(char)
    if known is not None:
        return known
    import unicodedata

    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        return "+"
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return plain or "?"


def _ascii_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start:exc.end]
    return "".join(_standin(c) for c in text), exc.end


class _Closed(io.TextIOBase):
    """Standard output when remitctl was started with it closed."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        if text:
            raise OutputFailed(errno.EBADF, "standard output is closed")
        return 0

    def isatty(self) -> bool:
        return False


class OutputFailed(OSError):
    """Writing standard output failed (not a closed pipe: that is BrokenPipeError)."""


class _Guarded:
    """Standard output, with any failure to write it marked as OutputFailed, so that
    wherever it happens (rich, click's help, a flush) it is told apart from a bug."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._pending = False  # /dev/full fails even an empty flush: flush only after writes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _call(self, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputFailed(exc.errno, exc.strerror or str(exc)) from None

    def write(self, text: str) -> int:
        self._pending = self._pending or bool(text)
        return int(self._call(self._stream.write, text))

    def writelines(self, lines: Any) -> None:
        self._pending = True
        self._call(self._stream.writelines, lines)

    def flush(self) -> None:
        if self._pending:
            self._call(self._stream.flush)
            self._pending = False


def output_failed(exc: OSError) -> bool:
    """Whether `exc`, escaping a command, came from writing standard output."""
    return isinstance(exc, OutputFailed)


def _closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def _stand_in(fd: int) -> None:
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def prepare() -> None:
    """Make the standard streams safe to use; see the module docstring."""
    closed_out = False
    for fd in (0, 1, 2):
        if _closed(fd):
            _stand_in(fd)
            if fd == 1:
                closed_out = True
            elif fd == 2:
                sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    codecs.register_error(HANDLER, _ascii_fallback)
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        if codecs.lookup(encoding).name != "utf-8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=HANDLER)
    sys.stdout = _Closed() if closed_out else _Guarded(sys.stdout)
    _cap("COLUMNS", MAX_COLUMNS)
    _cap("LINES", MAX_LINES)


def _cap(name: str, most: int) -> None:
    value = os.environ.get(name, "").strip()
    if value.isascii() and value.isdigit() and int(value) > most:
        os.environ[name] = str(most)
