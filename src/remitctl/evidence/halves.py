"""A large export read in two halves at once, on two processors.

A year of a large force is a million rows, and reading them is most of `evidence`'s time,
all of it on one processor. From `SPLIT_BYTES` on, a regular file whose first line is its
header is cut at the first line end past its middle: a forked child reads the header and
the second half, the parent the first half, and the parent then takes in the child's
result as if it had read on itself. The child's lines are renumbered, its refs checked
against the first half's (the later one is the duplicate), its issue and area groups
renumbered, and its rejections, counts and unmatched values added after the parent's.

The cut is a row boundary only if no quoted field runs over a line end before it. The
parent knows: if its half goes over to the csv module for the rest of the text (blocks.py),
it reads on past the cut to the end, alone, and the child is stopped. If the child fails
in any way, the parent reads the second half itself. Either way the result is the one a
single reading gives (tests/test_evidence_halves.py).

The child sends its result down a pipe with `marshal` (numbers, strings, lists: data it
made, never code); it is forked, so it shares the registry already loaded, and it exits
with os._exit, running nothing of the parent's on the way out.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remitctl.evidence.blocks import Cursor, where

if TYPE_CHECKING:
    from remitctl.evidence.incidents import Reader, Source

SPLIT_BYTES = 16 << 20  # smaller files are read in one go (a fork and a merge cost ~0.1 s)
HEAD_BYTES = 1 << 16  # the header line must end within this


def cut(path: Path, split_bytes: int | None = None) -> tuple[int, bytes] | None:
    """(the byte after the first line end past the middle, the header line's bytes) when
    `path` is worth reading in halves, else None."""
    if not hasattr(os, "fork") or _processors() < 2:
        return None
    try:
        if not path.is_file() or path.stat().st_size < (split_bytes or SPLIT_BYTES):
            return None
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(HEAD_BYTES)
            end = head.find(b"\n")
            header = head[:end + 1]
            if end < 0 or b'"' in header or not header.strip():
                return None  # a quoted (perhaps multi-line) or blank first line: one go
            fh.seek(size // 2)
            tail = fh.read(HEAD_BYTES)
            at = tail.find(b"\n")
            if at < 0 or size // 2 + at + 1 >= size:
                return None
            return size // 2 + at + 1, header
    except OSError:
        return None


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_in_halves(reader: Reader, path: Path, label: str, at: int, header: bytes,
                   pieces: Callable[[Path, Any], Any]) -> None:
    """`path` read into `reader` as `reader._read` would read it whole; `pieces(path, span)`
    gives a span's text as pieces of lines."""
    from remitctl.evidence.sources import Span

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the second half, after the header
        os.close(rfd)
        code = 1
        try:
            _child(reader, pieces(path, Span(at, None, header)), label, wfd,
                   1 + _lines_before(path, at))
            code = 0
        except BaseException:  # any failure: the parent reads the second half itself
            pass
        finally:
            os._exit(code)
    os.close(wfd)
    alive = True
    try:
        span = Span(0, at)
        cursor = Cursor(on_csv=span.go_on)  # a quoted line break: read on, alone
        src = reader._read(pieces(path, span), label, cursor, close=False)
        if not cursor.in_csv:  # else read to the end here (finally: the child is stopped)
            _ready_to_judge()  # while the child finishes
            payload = _receive(rfd)
            _, status = os.waitpid(pid, 0)
            alive = False
            got = _loaded(payload) if os.waitstatus_to_exitcode(status) == 0 else None
            if got is not None and got["first_line"] == cursor.line:
                _merge(reader, src, got)
            else:  # the child failed: the second half here, as one reading would go on
                reader.take(src, pieces(path, Span(at)), cursor)
        reader.close(src)
    finally:
        os.close(rfd)
        if alive:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _lines_before(path: Path, at: int) -> int:
    """Line ends in the file's first `at` bytes: the line the second half starts at, less
    one (each a line of the first half, unless a quoted field holds one: then the parent
    reads on alone and never asks)."""
    count = 0
    with path.open("rb") as fh:
        while at > 0:
            chunk = fh.read(min(at, 1 << 22))
            if not chunk:
                break
            count += chunk.count(b"\n")
            at -= len(chunk)
    return count


def _ready_to_judge() -> None:
    """numpy counts a large file's incidents (counting.py): imported while waiting."""
    with contextlib.suppress(ImportError):
        import numpy  # noqa: F401


def _receive(fd: int) -> bytes | None:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 1 << 20)
        except OSError:
            return None
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks) or None


def _loaded(payload: bytes | None) -> dict[str, Any] | None:
    try:
        got = marshal.loads(payload) if payload else None
    except (EOFError, ValueError, TypeError):
        return None
    return got if isinstance(got, dict) else None


def _child(reader: Reader, pieces: Any, label: str, fd: int, first_line: int) -> None:
    from remitctl.evidence.incidents import Incidents
    from remitctl.evidence.times import Order

    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent says so, once
    reader.on_block = None
    seen = reader.out.seen_refs  # refs of the files before this one: still duplicates
    reader.out = Incidents(reader.out.clock, seen_refs=seen)
    reader._order = Order()
    reader._group_index, reader._pair = {}, {}  # numbered afresh: the parent renumbers
    reader.recategorised_rows = []  # a row the parent finds a duplicate is not counted
    reader._read(pieces, label, Cursor(first_line), close=False)
    out, order = reader.out, reader._order
    data = marshal.dumps({
        "first_line": first_line, "when": out.when.tobytes(), "group": out.group.tobytes(),
        "minutes": out.minutes.tobytes(), "line": out.line.tobytes(), "refs": out.refs,
        "groups": out.groups, "rejected": [(r.line, r.reason) for r in out.rejected],
        "rejected_count": out.rejected_count, "duplicates": out.duplicates,
        "blank": out.blank, "kinds": list(out.kinds.items()),
        "first_of_kind": [(k, r.line, r.reason) for k, r in out.first_of_kind.items()],
        "unmatched": list(out.unmatched.items()), "unmatched_other": out.unmatched_other,
        "recategorised": list(out.recategorised.items()),
        "order": (order.day_first, order.month_first, order.month_first_value,
                  sorted(order.either), order.first_either),
        "recategorised_rows": reader.recategorised_rows or [],
    })
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)


def _merge(reader: Reader, src: Source, got: dict[str, Any]) -> None:
    """The child's result after the parent's (its lines are the file's)."""
    from remitctl.evidence.incidents import DISTINCT, Rejected

    out = reader.out
    remap = []
    for issue_id, area, decide in got["groups"]:
        index = reader._group_index.get((issue_id, area))
        if index is None:
            index = reader._group_index[(issue_id, area)] = len(out.groups)
            out.groups.append((issue_id, area, decide))
        remap.append(index)
    refs: list[str | None] = got["refs"]
    # A ref the first half holds is a repeat: those rows are dropped, and the rest taken
    # in runs between them (array slices, copied in C).
    repeats = where(list(map(out.seen_refs.__contains__, refs)), True)
    runs = list(zip([0, *[k + 1 for k in repeats]], [*repeats, len(refs)], strict=True))
    renumber = None if remap == list(range(len(remap))) else remap
    for into, name in ((out.when, "when"), (out.group, "group"), (out.minutes, "minutes"),
                       (out.line, "line")):
        values = array(into.typecode)
        values.frombytes(got[name])
        if name == "group" and renumber is not None:
            values = array(into.typecode, map(renumber.__getitem__, values))
        for start, stop in runs:
            into.extend(values[start:stop])
    kept = len(refs) - len(repeats)
    out.source.extend(array(out.source.typecode, [src.source]) * kept)
    for start, stop in runs:
        out.refs.extend(refs[start:stop])
    out.seen_refs.update(refs)  # type: ignore[arg-type]
    out.seen_refs.discard(None)
    out.duplicates += got["duplicates"] + len(repeats)
    later = set(repeats)
    out.rejected_count += got["rejected_count"]
    out.blank += got["blank"]
    room = len(got["rejected"]) if reader.keep_rejected is None else max(
        0, reader.keep_rejected - len(out.rejected))
    out.rejected.extend(Rejected(src.label, line, reason)
                        for line, reason in got["rejected"][:room])
    for kind, count in got["kinds"]:
        if kind not in out.kinds and len(out.kinds) >= DISTINCT:
            kind = "other reasons"
        out.kinds[kind] += count
    for kind, line, reason in got["first_of_kind"]:
        if kind not in out.first_of_kind:
            out.first_of_kind[kind] = Rejected(src.label, line, reason)
    recategorised = dict(got["recategorised"])
    for k, key in got["recategorised_rows"]:
        if k in later:  # a repeat of a first-half ref: never counted, as one reading goes
            recategorised[key] -= 1
    for pairs, counter, over in (
            (got["unmatched"], out.unmatched, True),
            ([(key, n) for key, n in recategorised.items() if n > 0], out.recategorised, False)):
        for k, count in pairs:
            if k in counter or len(counter) < DISTINCT:
                counter[k] += count
            elif over:
                out.unmatched_other += count
    out.unmatched_other += got["unmatched_other"]
    day_first, month_first, value, either, first_either = got["order"]
    order = reader._order
    if order.day_first is None and day_first is not None:
        order.day_first = day_first
    if order.month_first is None and month_first is not None:
        order.month_first, order.month_first_value = month_first, value
    order.either.update(either)
    if order.first_either is None and first_either is not None:
        order.first_either = first_either
