"""The usual row read a block at a time, column by column, in C.

A year has 365 dates, 1,440 minutes and a few hundred issue and area values, in a million
rows: each column of a block is looked up among the values read before (map and dict.get
are C). A row with a value not met before, a bad one or a ref seen before is left to the
row reader (`RowReader.add`), in its place, so that the result is the same
(tests/test_evidence_columns.py); a row whose issue value is already known to match none
is rejected in bulk, in its place too.
"""

from __future__ import annotations

from collections import Counter
from itertools import compress, repeat
from operator import add, and_, eq, itemgetter, ne, not_, or_

from remitctl.evidence.blocks import Block, where
from remitctl.evidence.rows import DISTINCT, Rejected, RowReader, kind_of


class ColumnReader(RowReader):
    def _block(self, block: Block, source: int, cols: tuple[int | None, ...]) -> None:
        """Rows of one line each, as many values at a time as there are rows, without a
        Python statement per row: each column's values are looked up among those read
        before (map and dict.get are C). A row with a value not seen before, a bad one or
        a ref seen before is left to `_row`, in its place, so that the result is the same."""
        ti, ii, ai, mi, ri, di, oi = cols
        assert ti is not None and ii is not None
        n, first, column = block.count, block.first, block.column
        times = column(ti)
        when: list[int | None]
        slow: set[int] = set()
        if self.time_format is not None:
            when = list(map(self._formatted.get, times))
            slow.update(where(when, None))
        else:
            if di is None:
                days = list(map(itemgetter(slice(0, 11)), times))
                secs = list(map(self._suffix.get, map(itemgetter(slice(11, None)), times)))
                base = list(map(self._prefix.get, days))
            else:
                days = column(di)
                secs = list(map(self._clocks.get, times))
                base = list(map(self._dates.get, days))
            for i in where(base, None):  # a day the clocks change: LocalClock, row by row
                midnight, clock = self._changing.get(days[i]), secs[i]
                if midnight is not None and clock is not None:
                    base[i] = self.out.clock.utc(midnight + clock) - clock
            slow.update(where(base, None), where(secs, None))
            when = base  # filled in below, range by range
            secs_of = secs
        issues = column(ii)
        areas = repeat("") if ai is None else column(ai)
        groups = list(map(self._pair.get, zip(issues, areas, strict=False)))
        # A row whose time is read and whose issue is a value already found to match no
        # issue is rejected in bulk, in its place (`_refuse`); other rows without a group
        # are left to `_row`.
        refused: list[int] = []
        timed = frozenset(slow)  # rows whose time `_row` reads: not refused before that
        for k in where(groups, None):
            if k not in timed and self._issue_raw.get(issues[k], "") is None:
                refused.append(k)
            else:
                slow.add(k)
        minutes: list[int | None] | None = None
        if mi is not None:
            minutes = list(map(self._minutes.get, column(mi)))
            slow.update(where(minutes, None))
        if oi is not None:  # opened as the type it is judged as (else `_row` counts it)
            slow.update(where(list(map(eq, map(self._issue_raw.get, column(oi)),
                                           map(self._issue_raw.get, issues))), False))
        slow.difference_update(refused)  # rejected for the issue before its minutes are read
        refs = list(map(str.strip, column(ri))) if ri is not None else None
        out = self.out
        seen = out.seen_refs
        fields = len(block.row(0))
        start = 0
        refused.reverse()  # taken from the end, in line order
        for stop in [*sorted(slow), n]:
            if start < stop:
                here: list[int] = []
                while refused and refused[-1] < stop:
                    here.append(refused.pop() - start)
                if here:
                    self._refuse(out.sources[source], [first + start + k for k in here],
                                 [issues[start + k] for k in here])
                if self.time_format is None:
                    instants = list(map(add, when[start:stop], secs_of[start:stop]))
                else:
                    instants = when[start:stop]
                keep = None
                rs: list[str] | None = None
                if refs is not None:
                    rs = refs[start:stop]
                    for k in here:  # a refused row's ref is not remembered
                        rs[k] = ""
                    dup = _repeated(rs, seen)
                    if dup is not None and True in dup:
                        keep = list(map(not_, dup))
                        out.duplicates += dup.count(True)
                if here:
                    keep = keep or [True] * (stop - start)
                    for k in here:
                        keep[k] = False
                self._extend(source, range(first + start, first + stop), instants,
                             groups[start:stop], minutes[start:stop] if minutes else None,
                             rs, keep)
            if stop < n:
                self._row(block.row(stop), first + stop, source, cols, 0, fields)
            start = stop + 1

    def _refuse(self, label: str, lines: list[int], raws: list[str]) -> None:
        """Rows rejected for an issue value already found to match none: as `add` rejects
        them, the sampled ones one by one, the rest counted by value."""
        out = self.out
        room = len(lines) if self.keep_rejected is None else max(
            0, self.keep_rejected - len(out.rejected))
        for line, raw in zip(lines[:room], raws[:room], strict=False):
            if raw.strip():
                self._unmatched("issue", raw)
            self.reject(label, line, self._reason("issue", raw))
        if room >= len(lines):
            return
        rest = raws[room:]
        for raw, count in Counter(rest).items():
            if raw.strip():
                k = ("issue", " ".join(raw.split()))
                if k in out.unmatched or len(out.unmatched) < DISTINCT:
                    out.unmatched[k] += count
                else:
                    out.unmatched_other += count
            kind = kind_of(self._reason("issue", raw))
            if kind not in out.kinds and len(out.kinds) >= DISTINCT:
                kind = "other reasons"
            out.kinds[kind] += count
            out.rejected_count += count
            if kind not in out.first_of_kind:
                line = lines[room + rest.index(raw)]
                out.first_of_kind[kind] = Rejected(label, line, self._reason("issue", raw))

    def _extend(self, source: int, lines: range, instants: list[int],
                groups: list[int | None], minutes: list[int | None] | None,
                refs: list[str] | None, keep: list[bool] | None) -> None:
        out = self.out
        count = len(lines)
        if keep is not None:
            count = keep.count(True)
            instants = list(compress(instants, keep))
            groups = list(compress(groups, keep))
            minutes = list(compress(minutes, keep)) if minutes is not None else None
            refs = list(compress(refs, keep)) if refs is not None else None
            out.line.extend(compress(lines, keep))
        else:
            out.line.extend(lines)
        out.when.extend(instants)
        out.group.extend(groups)  # type: ignore[arg-type]
        out.minutes.extend(minutes if minutes is not None else repeat(0, count))  # type: ignore[arg-type]
        out.source.extend(repeat(source, count))
        out.refs.extend(map(_NO_REF.get, refs, refs) if refs is not None else
                        repeat(None, count))


_NO_REF: dict[str, str | None] = {"": None}

def _repeated(refs: list[str], seen: set[str]) -> list[bool] | None:
    """Per ref: whether it was seen before (in `seen`, or earlier in `refs`; "" never is),
    or None when none was; `seen` then holds them all. In C: a pass to look them up, one
    to add them, and only when some ref repeats within `refs`, three more."""
    before = list(map(seen.__contains__, refs))
    size = len(seen)
    seen.update(refs)
    repeats = before.count(True)
    if len(seen) - size == len(refs) - repeats and "" not in refs:
        return before if repeats else None
    seen.discard("")
    first = dict(zip(reversed(refs), range(len(refs) - 1, -1, -1), strict=True))  # → first
    later = map(ne, map(first.__getitem__, refs), range(len(refs)))
    return list(map(and_, map(bool, refs), map(or_, before, later)))
