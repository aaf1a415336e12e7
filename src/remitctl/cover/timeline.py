"""Cover for one issue type in one area as a timeline of stretches, exact to the minute.

Each service line gives a list of spans (open, closed, unknown). The issue is
*covered* while any line is open, *uncertain* while none is open but one is
unknown, and *uncovered* otherwise. Both `who` and the gap report read this one
timeline, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from remitctl.hours.schedule import OPEN, UNKNOWN, ScheduleBook
from remitctl.record import record

COVERED, UNCERTAIN, UNCOVERED = "covered", "uncertain", "uncovered"
REUSED = 128  # timelines kept for reuse in one ScheduleBook


@record
class Stretch:
    """[start, end) in UTC with one answer: its status and the line that answers first."""

    start: dt.datetime
    end: dt.datetime
    status: str
    primary: str | None  # the first open (or, when uncertain, unknown) line in preference order
    open: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    comment: str = ""

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


def cover_timeline(
    book: ScheduleBook, refs: tuple[str, ...], nation: str, start: dt.datetime, end: dt.datetime
) -> list[Stretch]:
    """Stretches covering exactly [start, end); adjacent stretches differ in status or lines."""
    if end <= start:
        return []
    key = (refs, nation, start, end)
    known = book.timelines.get(key)
    if known is not None:
        return list(known)
    per_line = [book.schedule(ref, nation).spans(start, end) for ref in refs]
    cuts = {start, end}
    for spans in per_line:
        cuts.update(span.start for span in spans)
        cuts.update(span.end for span in spans)
    points = sorted(c for c in cuts if start <= c <= end)
    cursors = [0] * len(refs)
    # Pieces as lists until the end: `now` sweeps thousands of points, and a frozen
    # dataclass per piece (then one per merge) was most of its time.
    pieces: list[list[object]] = []
    last_lines: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    for a, b in pairwise(points):
        opened: list[str] = []
        unknown: list[str] = []
        comment = ""
        for i, spans in enumerate(per_line):
            while cursors[i] < len(spans) and spans[cursors[i]].end <= a:
                cursors[i] += 1
            if cursors[i] < len(spans) and spans[cursors[i]].start <= a:
                span = spans[cursors[i]]
                if span.state == OPEN:
                    opened.append(refs[i])
                elif span.state == UNKNOWN:
                    unknown.append(refs[i])
                    comment = comment or span.comment
        lines = (tuple(opened), tuple(unknown))
        if lines == last_lines:  # same lines open and unknown: the same stretch goes on
            pieces[-1][1] = b
            continue
        last_lines = lines
        if opened:
            status, primary = COVERED, opened[0]
        elif unknown:
            status, primary = UNCERTAIN, unknown[0]
        else:
            status, primary = UNCOVERED, None
        pieces.append([a, b, status, primary, lines[0], lines[1], comment])
    out = [Stretch(*piece) for piece in pieces]  # type: ignore[arg-type]
    if len(book.timelines) >= REUSED:  # a year-long gap report would pile them up
        book.timelines.clear()
    book.timelines[key] = out
    return list(out)


def merge_by_status(stretches: list[Stretch]) -> list[Stretch]:
    """Join adjacent stretches with the same status (who covers may change within)."""
    out: list[Stretch] = []
    for s in stretches:
        if out and out[-1].status == s.status and out[-1].end == s.start:
            last = out[-1]
            out[-1] = Stretch(last.start, s.end, s.status, last.primary, last.open, last.unknown,
                              last.comment)
        else:
            out.append(s)
    return out
