"""File paths as remitctl prints them: shown, never obeyed.

A path can hold any byte but `/` and NUL: newlines that start a line of their own (a
forged `::error` workflow command in a CI log), ANSI escapes that a terminal would act
on, bidi overrides that reorder what is read. Every path printed in any format goes
through `shown_path`, which writes such characters as visible escapes (`\\n`,
`\\x1b`, `\\u202e`) and a backslash as `\\\\`, so the printed text is the path,
unambiguously, on one line.
"""

from __future__ import annotations

import os
import re

# C0 and C1 controls, DEL, zero-width and bidi controls, line and paragraph separators,
# lone surrogates (undecodable bytes), and the backslash that starts an escape.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff\\\\]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_path(path: os.PathLike[str] | str) -> str:
    """`path` as one line of text that shows every character and obeys none."""
    # Bytes that are not UTF-8 arrive as lone surrogates, shown as \udcNN escapes.
    return _UNSAFE.sub(_escape, os.fsdecode(path))
