"""The evidence as CSV: one row per incident with its judgement, for audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from remitctl.evidence.judge import NOBODY, STATUSES, Judgement
from remitctl.render.words import safe

COLUMNS = (
    "file", "line", "ref", "time_utc", "time_local", "issue", "area", "decided_by_area",
    "status", "service", "agency", "absorbed_by", "absorbed_by_agency", "minutes",
    "holiday_or_closure",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 5000


def cell(text: str) -> str:
    """Text from an input file, never a formula when a spreadsheet opens the CSV."""
    text = safe(text)
    return "'" + text if text.startswith(_FORMULA) else text


def chunks(j: Judgement) -> Iterator[str]:
    reg, inc = j.registry, j.incidents
    tz = ZoneInfo(reg.timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    sources = [cell(s) for s in inc.sources]
    agency = {ref: reg.services[ref].agency_id for ref in j.lines}
    for k in range(len(inc)):
        issue, area, decide = inc.groups[inc.group[k]]
        t = dt.datetime.fromtimestamp(inc.when[k], dt.UTC)
        code, line, dated = j.incident(k)
        by = j.lines[line] if line != NOBODY else ""
        answering, absorbed = (by, "") if code != 2 else ("", by or "nobody open")
        m = inc.minutes_at(k)
        ref = inc.refs[k]
        writer.writerow((
            sources[inc.source[k]], inc.line[k], cell(ref) if ref else "",
            t.isoformat().replace("+00:00", "Z"), t.astimezone(tz).isoformat(), issue,
            area or "", decide or "", STATUSES[code], answering, agency.get(answering, ""),
            absorbed, agency.get(absorbed, ""), "" if m is None else f"{m:g}",
            j.reasons[dated] if dated != NOBODY else ""))
        if k % CHUNK == CHUNK - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
