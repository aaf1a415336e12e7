"""A million rows are read column by column (`Reader._block`), with rows whose values were
not met before, bad rows and repeated refs handed to the row reader in their place, and
rows with an issue value already found unknown rejected in bulk. Whatever a file holds,
that must read exactly what the row reader alone reads: every incident, line, ref,
rejection (and its order), count and unmatched value."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from remitctl.evidence.incidents import Incidents, Reader
from remitctl.registry.loader import load_registry

ISSUES = ["noise", "Noise nuisance", " LOUD MUSIC", "dogs", "stray dog", "nosie", "FORCE-77",
          "FORCE-78", "", "Stray dogs"]
AREAS = ["east", "West", "", "eats", "  east "]
Invoke = Callable[..., object]
MINUTES = ["30", "", "12.5", "-5", "x", "240"]


def _export(path: Path, rows: int, seed: int, *, us: bool = False, opened: bool = False) -> Path:
    rnd = random.Random(seed)
    start = dt.datetime(2026, 1, 1)
    header = ["Ref", "Time", "Issue", "Area", "Minutes"] + (["Opened"] if opened else [])
    out = [header]
    for _ in range(rows):
        t = start + dt.timedelta(minutes=rnd.randrange(0, 365 * 1440))
        if rnd.random() < 0.02:  # the clocks change
            t = dt.datetime(2026, rnd.choice([3, 10]), rnd.choice([29, 25]), 1, rnd.randrange(60))
        when = t.strftime("%m/%d/%Y %I:%M:%S %p" if us else "%d/%m/%Y %H:%M")
        if rnd.random() < 0.01:
            when = "31/02/2026 10:00" if not us else "02/31/2026 10:00:00 AM"
        ref = f"R{rnd.randrange(rows)}" if rnd.random() < 0.9 else rnd.choice(["", " R1 "])
        row = [ref, when, rnd.choice(ISSUES), rnd.choice(AREAS), rnd.choice(MINUTES)]
        if opened:
            row.append(rnd.choice(ISSUES[:6]))
        out.append(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(out)
    return path


def _state(inc: Incidents) -> dict[str, object]:
    return {
        "incidents": [(inc.when[k], inc.groups[inc.group[k]][:2], inc.minutes[k],
                       inc.line[k], inc.refs[k]) for k in range(len(inc))],
        "rejected": [r.format() for r in inc.rejected],
        "counts": (inc.rejected_count, inc.duplicates, inc.blank, inc.unmatched_other),
        "kinds": sorted(inc.kinds.items()),
        "first_of_kind": sorted((k, r.format()) for k, r in inc.first_of_kind.items()),
        "unmatched": inc.unmatched.most_common(),
        "recategorised": sorted(inc.recategorised.items()),
    }


def _read(reg_path: Path, path: Path, *, rows_only: bool, keep: int | None,
          time_format: str | None, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    reg = load_registry(reg_path)
    reader = Reader(reg, columns={"time": "Time", "issue": "Issue"}, keep_rejected=keep,
                    mapping={"force-77": "noise"}, time_format=time_format)
    with monkeypatch.context() as patch:
        if rows_only:  # every row through the row reader, in order
            def by_rows(self, block, source, cols):  # type: ignore[no-untyped-def]
                for k in range(block.count):
                    self._row(block.row(k), block.line(k), source, cols, 0, block.fields)
            patch.setattr(Reader, "_block", by_rows)
        reader.read_csv(path)
    return _state(reader.out)


@pytest.mark.parametrize("keep", [None, 7])
@pytest.mark.parametrize(("seed", "us", "opened"), [(1, False, False), (2, False, True),
                                                    (3, True, False)])
def test_columns_read_what_rows_read(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     seed: int, us: bool, opened: bool, keep: int | None) -> None:
    path = _export(tmp_path / "x.csv", 5000, seed, us=us, opened=opened)
    fmt = "%m/%d/%Y %I:%M:%S %p" if us else None
    fast = _read(mini, path, rows_only=False, keep=keep, time_format=fmt,
                 monkeypatch=monkeypatch)
    slow = _read(mini, path, rows_only=True, keep=keep, time_format=fmt,
                 monkeypatch=monkeypatch)
    assert fast == slow
    counts = fast["counts"]
    assert isinstance(counts, tuple)
    assert len(fast["incidents"]) > 1000 and counts[0] > 1000 and counts[1] > 100  # type: ignore[arg-type]
    assert ("issue", "FORCE-78") in dict(fast["unmatched"])  # type: ignore[arg-type]


def test_a_us_time_format_over_many_rows_is_read_not_an_internal_error(
        invoke: Invoke, mini: Path, tmp_path: Path) -> None:
    """Rows past the first block with times not met before (each minute a new value) were
    put through with no time: exit 70 with --time-format on a file of 6,000 rows."""
    path = tmp_path / "nyc.csv"
    start = dt.datetime(2026, 1, 13)
    with path.open("w", newline="") as fh:
        fh.write("Created,Type,Area\n")
        for n in range(6000):
            fh.write(f"{start + dt.timedelta(minutes=n):%m/%d/%Y %I:%M:%S %p},noise,east\n")
    result = invoke("evidence", str(path), "-r", str(mini), "-c", "time=Created",
                    "-c", "issue=Type", "--time-format", "%m/%d/%Y %I:%M:%S %p", "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    import json

    doc = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert doc["totals"]["incidents"] == 6000 and doc["rejected_count"] == 0
