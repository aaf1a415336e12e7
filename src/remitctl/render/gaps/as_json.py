"""The gap report as JSON (schema remitctl/gaps/v1, documented in docs/gaps.md).

Every length is given exactly in seconds and, for reading, in hours; every instant in UTC
(`Z`) and in local time with its offset.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from remitctl.cover.gaps import AreaReport, Cause, Gap, GapReport, PolicyResult, Window
from remitctl.registry.model import Registry
from remitctl.render.gaps.words import decimal_hours
from remitctl.render.json_out import dumps, iso, registry_info

SCHEMA = "remitctl/gaps/v1"
SECOND = dt.timedelta(seconds=1)
PRETTY_UP_TO = 5000  # gaps; a bigger document is written compact, by the C encoder
__all__ = ["SCHEMA", "chunks", "document", "dumps"]


def length(delta: dt.timedelta) -> dict[str, Any]:
    return {"seconds": delta // SECOND, "hours": decimal_hours(delta)}


def instant(t: dt.datetime | None, report_tz: Any) -> dict[str, Any] | None:
    if t is None:
        return None
    return {"utc": iso(t), "local": t.astimezone(report_tz).isoformat()}


def window(w: Window, tz: Any) -> dict[str, Any]:
    return {"start": instant(w.start, tz), "end": instant(w.end, tz), "typical": w.typical,
            **length(w.duration)}


def cause(c: Cause) -> dict[str, Any]:
    return {"start": iso(c.start), "end": iso(c.end), "seconds": c.duration // SECOND,
            "bank_holidays": list(c.holidays),
            "closures": [{"service": ref, "reason": why} for ref, why in c.closures],
            "dated_hours": [{"service": ref, "reason": why} for ref, why in c.dated]}


class _Gaps:
    """Gaps as JSON, each made once: areas with the same hours share Gap objects, and a year
    across hundreds of areas is hundreds of thousands of gaps."""

    def __init__(self, tz: Any) -> None:
        self.tz = tz
        self.made: dict[int, dict[str, Any]] = {}
        self.local: dict[dt.datetime, str] = {}

    def at(self, t: dt.datetime) -> str:
        if t not in self.local:
            self.local[t] = t.astimezone(self.tz).isoformat()
        return self.local[t]

    def __call__(self, g: Gap) -> dict[str, Any]:
        made = self.made.get(id(g))
        if made is None:
            made = self.made[id(g)] = {
                "status": g.status, "start": iso(g.start), "end": iso(g.end),
                "start_local": self.at(g.start), "end_local": self.at(g.end),
                **length(g.duration),
                "cut_at_start": g.cut_start, "cut_at_end": g.cut_end,
                "whole_start": iso(g.whole_start), "whole_end": iso(g.whole_end),
                "fallback": [{"service": s.ref, "seconds": s.duration // SECOND}
                             for s in g.absorbed],
                "uncertain_lines": list(g.maybe), "comment": g.comment or None,
                "because_of_dates": g.dated // SECOND,
                "only_because_of_dates": g.only_dated,
                "causes": [cause(c) for c in g.causes],
            }
        return made


def policy(p: PolicyResult | None, registry: Registry, tz: Any) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "max_gap_hours": p.policy.max_gap_hours, "area": p.policy.area,
        "source": f"{registry.source}:{p.policy.line}:{p.policy.column}",
        "line": p.policy.line, "column": p.policy.column,
        "breached": p.breached,
        "longest_without_cover": {**length(p.longest), "at_least": p.at_least,
                                  "start": instant(p.start, tz), "end": instant(p.end, tz),
                                  "uncertain": length(p.uncertain)},
    }


def area_report(r: AreaReport, registry: Registry, tz: Any, gap: _Gaps) -> dict[str, Any]:
    longest = r.longest
    return {
        "issue": {"id": r.issue.id, "title": r.issue.title},
        "areas": list(r.areas), "nation": r.nation, "lines": list(r.lines),
        "fallback": r.issue.fallback,
        "uncovered": {**length(r.uncovered), "share": round(r.share, 6)},
        "uncertain": length(r.uncertain),
        "because_of_dates": length(r.dated),
        "longest_gap": {"start": iso(longest.start), **length(longest.duration)}
        if longest else None,
        "policy": policy(r.policy, registry, tz),
        "gaps": [gap(g) for g in r.gaps],
    }


def document(report: GapReport, path: str, notes: tuple[str, ...] = ()) -> dict[str, Any]:
    tz, reg = report.tz, report.registry
    gaps = _Gaps(tz)
    return {
        "schema": SCHEMA,
        "registry": registry_info(reg, path),
        "window": window(report.window, tz),
        "notes": list(notes),
        "areas": list(report.areas),
        "bank_holidays": [{"date": day.isoformat(), "name": name, "nations": list(nations)}
                          for day, name, nations in report.bank_holidays],
        "issues": [{
            "issue": {"id": s.issue.id, "title": s.issue.title},
            "areas": sum(r.weight for r in s.reports),
            "uncovered": {**length(s.uncovered), "share": round(s.share, 6)},
            "uncertain": {**length(s.uncertain), "share": round(s.uncertain_share, 6)},
            "longest_gap": length(s.longest.duration) if s.longest else None,
            "worst_areas": list(s.worst.areas),
            "policy_breached": s.breached,
        } for s in report.issues],
        "fallbacks": [{
            "agency": f.agency,
            "name": reg.agencies[f.agency].name if f.agency in reg.agencies else None,
            "uncovered": length(f.uncovered), "uncertain": length(f.uncertain),
            "services": [{"service": ref, **length(t)} for ref, t in f.services],
            "issues": list(f.issues),
        } for f in report.fallbacks],
        "reports": [area_report(r, reg, tz, gaps) for s in report.issues for r in s.reports],
    }


def chunks(doc: dict[str, Any]) -> Iterator[str]:
    """The document as text, indented like every remitctl document when it is small; a large
    one (a year across hundreds of areas) compact and written report by report, so it stays
    quick (the C encoder) and lean."""
    reports = doc.get("reports", [])
    if sum(len(r["gaps"]) for r in reports) <= PRETTY_UP_TO:
        yield dumps(doc)
        return
    compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
    head = compact.encode({k: v for k, v in doc.items() if k != "reports"})
    yield head[:-1] + ',"reports":['
    made: dict[int, str] = {}  # areas with the same hours share gap objects: encode once
    for n, report in enumerate(reports):
        text = compact.encode({k: v for k, v in report.items() if k != "gaps"})
        gaps = []
        for g in report["gaps"]:
            if id(g) not in made:
                made[id(g)] = compact.encode(g)
            gaps.append(made[id(g)])
        yield ("," if n else "") + text[:-1] + ',"gaps":[' + ",".join(gaps) + "]}"
    yield "]}"
