"""The evidence report as JSON: `remitctl/evidence/v1`."""

from __future__ import annotations

from typing import Any

from remitctl.evidence.judge import HOURS_OF_WEEK, GroupResult, Judgement, Tally
from remitctl.render.evidence.reading import json_fields
from remitctl.render.evidence.words import headline, number
from remitctl.render.json_out import iso, registry_info

SCHEMA = "remitctl/evidence/v1"


def tally(t: Tally) -> dict[str, Any]:
    return {
        "incidents": t.incidents, "covered": t.covered, "uncertain": t.uncertain,
        "uncovered": t.uncovered,
        "shares": {k: round(t.share(k), 4) for k in ("covered", "uncertain", "uncovered")},
        "minutes_uncovered": number(t.minutes_uncovered),
        "minutes_uncertain": number(t.minutes_uncertain), "minutes": number(t.minutes),
        "with_minutes": t.with_minutes, "holiday_or_closure": t.holiday_or_closure,
    }


def week(counts: list[int]) -> list[list[int]]:
    """By local hour of week: seven rows (Monday first) of 24 hours."""
    return [counts[d * 24:(d + 1) * 24] for d in range(HOURS_OF_WEEK // 24)]


def group(g: GroupResult, j: Judgement) -> dict[str, Any]:
    reg = j.registry
    return {
        "issue": g.issue, "issue_title": reg.issues[g.issue].title, "area": g.area,
        "area_name": reg.areas[g.area].name if g.area else None,
        "decided_by_area": g.decided_by, "agency": g.agency, "lines": list(g.lines),
        **tally(g.tally),
        "holiday_or_closure_reasons": [
            {"reason": r, "incidents": n}
            for r, n in sorted(g.reasons.items(), key=lambda kv: -kv[1])],
        "covered_by": [{"service": ref, "incidents": n}
                       for ref, n in sorted(g.covered_by.items(), key=lambda kv: -kv[1])],
        "absorbed_by": [{"service": ref, "agency": reg.services[ref].agency_id if ref else None,
                         "incidents": n}
                        for ref, n in sorted(g.absorbed_by.items(),
                                             key=lambda kv: (kv[0] is None, -kv[1]))],
        "by_hour_of_week": {"incidents": week(g.heat_all), "uncovered": week(g.heat)},
        "by_month": [{"month": m, "incidents": a, "uncovered": u}
                     for m, (a, u) in sorted(g.months.items())],
    }


def document(j: Judgement, path: str) -> dict[str, Any]:
    reg, inc = j.registry, j.incidents
    return {
        "schema": SCHEMA,
        "registry": {**registry_info(reg, path), "sha256": reg.digest},
        "sources": list(inc.sources),
        "window": {"start": iso(j.start), "end": iso(j.end), "timezone": reg.timezone,
                   "first_incident": iso(j.first), "last_incident": iso(j.last)},
        "headline": headline(j),
        "totals": tally(j.total),
        "duplicates": inc.duplicates,
        "rejected_count": inc.rejected_count,
        "rejected": [{"file": r.file, "line": r.line, "reason": r.reason} for r in inc.rejected],
        **json_fields(inc),
        "groups": [group(g, j) for g in j.groups],
        "agencies": [{"agency": a.agency,
                      "name": reg.agencies[a.agency].name if a.agency else None,
                      "issues": list(a.issues), **tally(a.tally)} for a in j.agencies],
        "fallbacks": [{"service": f.service, "agency": f.agency, "incidents": f.incidents,
                       "minutes": number(f.minutes)} for f in j.fallbacks],
        "by_hour_of_week": {"incidents": week(j.heat_all), "uncovered": week(j.heat)},
        "by_month": [{"month": m, "incidents": a, "uncovered": u}
                     for m, (a, u) in j.months.items()],
    }
