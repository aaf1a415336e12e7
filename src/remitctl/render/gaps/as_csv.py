"""The gap report as CSV: one row per gap (uncovered or uncertain), for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from remitctl.cover.gaps import GapReport
from remitctl.render.gaps.words import cause_words, decimal_hours
from remitctl.render.json_out import iso
from remitctl.render.words import safe

COLUMNS = (
    "issue", "issue_title", "areas", "status", "start_utc", "end_utc", "start_local",
    "end_local", "seconds", "hours", "cut_at_start", "cut_at_end", "fallback",
    "fallback_agency", "uncertain_lines", "because_of_dates_hours", "only_because_of_dates",
    "bank_holidays_and_closures",
)


def _line(values: tuple[object, ...]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def render(report: GapReport) -> str:
    return "".join(chunks(report))


def chunks(report: GapReport) -> Iterator[str]:
    """The CSV text, report by report. Each report's first columns and each gap's last ones
    are formatted once and joined: areas with the same hours share gaps, and a national
    registry over a year is millions of rows."""
    tz, reg = report.tz, report.registry
    yield _line(COLUMNS) + "\n"
    stamps: dict[dt.datetime, tuple[str | None, str]] = {}
    tails: dict[int, str] = {}

    def stamp(t: dt.datetime) -> tuple[str | None, str]:
        if t not in stamps:
            stamps[t] = (iso(t), t.astimezone(tz).isoformat())
        return stamps[t]

    for s in report.issues:
        for r in s.reports:
            head = _line((r.issue.id, safe(r.issue.title), ";".join(r.areas))) + ","
            rows = []
            for g in r.gaps:
                tail = tails.get(id(g))
                if tail is None:
                    (start_utc, start_local), (end_utc, end_local) = stamp(g.start), stamp(g.end)
                    first = g.absorbed[0].ref if g.absorbed else None
                    tail = tails[id(g)] = _line((
                        g.status, start_utc, end_utc, start_local, end_local,
                        g.duration // dt.timedelta(seconds=1), decimal_hours(g.duration),
                        _flag(g.cut_start), _flag(g.cut_end),
                        first or "", reg.services[first].agency_id if first else "",
                        ";".join(g.maybe), decimal_hours(g.dated) if g.causes else "",
                        _flag(g.only_dated), cause_words(g.causes, reg)))
                rows.append(head + tail + "\n")
            yield "".join(rows)


def _flag(value: bool) -> str:
    return "yes" if value else "no"
