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
FIRST_SHARE = 0.5  # the parent's part of the file


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
            middle = int(size * FIRST_SHARE)
            fh.seek(middle)
            tail = fh.read(HEAD_BYTES)
            at = tail.find(b"\n")
            if at < 0 or middle + at + 1 >= size:
                return None
            return middle + at + 1, header
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
            before = _lines_before(path, at)
            rest = Span(at, None, header)
            rest.lines_before = before - 1  # its line 2 (after the header) is before + 1
            _child(reader, pieces(path, rest), label, wfd, 1 + before)
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
            got = _loaded(_frame(rfd))
            if got is not None and got["first_line"] == cursor.line:
                # The child goes on to work out the covers: a thread takes them in (and
                # reaps the child) while the parent merges and the judge sets out.
                alive = False
                reader.out.covers = Pending(rfd, pid)
                rfd = -1
                _merge(reader, src, got)
            else:  # the child failed: the second half here, as one reading would go on
                rest = Span(at)
                rest.lines_before = cursor.line - 1
                reader.take(src, pieces(path, rest), cursor)
        reader.close(src)
    finally:
        if rfd >= 0:
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


def _frame(fd: int) -> bytes | None:
    """One length-prefixed message from the child (None: it ended first)."""
    head = _exactly(fd, 8)
    return _exactly(fd, int.from_bytes(head, "big")) if head is not None else None


def _exactly(fd: int, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view):]


class Pending:
    """The covers the child works out after its rows (covers.py), read by a thread as they
    come, so that the child never waits on a full pipe and is always reaped. `covers()`
    waits for them: None when the child failed (the judge works them out itself)."""

    def __init__(self, fd: int, pid: int) -> None:
        import threading

        self._got: Any = None
        self._covers: Any = None
        self._thread = threading.Thread(target=self._take, args=(fd, pid), daemon=True)
        self._thread.start()

    def _take(self, fd: int, pid: int) -> None:
        try:
            payload = _frame(fd)
        finally:
            os.close(fd)
            _, status = os.waitpid(pid, 0)
        if payload is not None and os.waitstatus_to_exitcode(status) == 0:
            self._got = _loaded(payload)

    def over(self, key: Any, start: int, end: int) -> Any:
        """As Covers.over, once the child's covers are in (None for every key when the
        child failed: the judge works them out itself)."""
        from remitctl.evidence.covers import Covers

        if self._covers is None:
            self._thread.join()
            got = self._got
            self._covers = Covers(0, 0)  # nothing: every period falls outside
            if isinstance(got, dict) and got.get("covers") is not None:
                first, last, keys, worked = got["covers"]
                self._covers = Covers(first, last, dict(zip(keys, worked, strict=True)))
        return self._covers.over(key, start, end)


def _loaded(payload: bytes | None) -> dict[str, Any] | None:
    try:
        got = marshal.loads(payload) if payload else None
    except (EOFError, ValueError, TypeError):
        return None
    return got if isinstance(got, dict) else None


def _child(reader: Reader, pieces: Any, label: str, fd: int, first_line: int) -> None:
    from remitctl.evidence.rows import Incidents
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
    _send(fd, data)
    del data
    _send(fd, marshal.dumps({"covers": _covers(reader) if len(out) else None}))
    os.close(fd)


def _covers(reader: Reader) -> tuple[int, int, list[Any], list[Any]]:
    """The cover of the half's groups over its calendar years (covers.py), worked out
    while the parent reads on and merges: the judge takes it from there when the whole
    file falls within those years, as a year's export does."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from remitctl.cover.gaps import local_instant
    from remitctl.evidence.covers import epoch, key_of, work_out

    out, registry = reader.out, reader.registry
    tz = ZoneInfo(registry.timezone)
    years = [dt.datetime.fromtimestamp(t, tz).year for t in out.span()]
    start = local_instant(dt.date(years[0], 1, 1), 0, tz)
    end = local_instant(dt.date(years[1] + 1, 1, 1), 0, tz)
    keys = list(dict.fromkeys(key_of(registry, i, d) for i, _, d in out.groups))
    worked = work_out(registry, keys, start, end)
    return epoch(start), epoch(end), keys, [worked[k] for k in keys]


def _merge(reader: Reader, src: Source, got: dict[str, Any]) -> None:
    """The child's result after the parent's (its lines are the file's)."""
    from remitctl.evidence.rows import DISTINCT, Rejected

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
