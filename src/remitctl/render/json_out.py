"""Results as JSON-ready dicts. Every document names its shape and version in "schema"."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from remitctl.cover.lookup import CoverAnswer
from remitctl.cover.timeline import Stretch
from remitctl.registry.model import Issue, Registry, Service
from remitctl.when import Other


def iso(t: dt.datetime | None) -> str | None:
    return None if t is None else t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


# JSON escapes only C0 controls; these too reach a terminal that shows the JSON. They can
# occur only inside strings, so writing them as \u escapes keeps the document the same.
_RAW = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def dumps(doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    return _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def registry_info(registry: Registry, path: str) -> dict[str, Any]:
    return {"name": registry.name, "path": path, "timezone": registry.timezone,
            "bank_holidays": registry.nation}


def lookup_header(schema: str, registry: Registry, path: str, at: dt.datetime,
                  at_local: dt.datetime, notes: tuple[str, ...],
                  other: Other | None = None) -> dict[str, Any]:
    """The head of every document that answers for a moment (`who`, `now`); `other`: the
    moment the officer probably meant, when far from the one read (when.Other)."""
    return {"schema": schema, "registry": registry_info(registry, path), "at": iso(at),
            "at_local": at_local.isoformat(), "notes": list(notes),
            "other_reading": None if other is None else {
                "at": iso(other.instant), "at_local": other.local.isoformat(),
                "spelling": other.spelling}}


def service(s: Service | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "ref": s.ref, "agency": s.agency_name, "name": s.name,
        "contact": dict(s.contact.channels()), "notes": s.notes,
    }


def service_full(s: Service) -> dict[str, Any]:
    return {
        **(service(s) or {}),
        "agency_id": s.agency_id, "id": s.id, "hours": s.hours, "bank_holidays": s.bank_holidays,
        "closures": [{"from": c.start.isoformat(), "to": c.end.isoformat(), "reason": c.reason,
                      "scope": c.scope} for c in s.closures],
        "agency_closures": "apply" if s.agency_closures else "ignore",
        "dated_hours": [{"from": d.start.isoformat(), "to": d.end.isoformat(), "hours": d.words,
                         "reason": d.reason} for d in s.dated_hours],
        "fallback": s.fallback, "verified": s.verified.isoformat() if s.verified else None,
    }


def issue_brief(i: Issue) -> dict[str, Any]:
    return {"id": i.id, "title": i.title}


def issue_full(i: Issue) -> dict[str, Any]:
    return {
        "id": i.id, "title": i.title, "aliases": list(i.aliases),
        "keywords": list(i.keywords), "remit": i.remit,
        "legal_basis": i.legal_basis, "cover": {k: list(v) for k, v in i.cover.items()},
        "fallback": i.fallback,
        "policy": [{"area": p.area, "max_gap_hours": p.max_gap_hours} for p in i.policies],
    }


def stretch(s: Stretch, registry: Registry, window_end: dt.datetime) -> dict[str, Any]:
    return {
        "start": iso(s.start), "end": iso(s.end) if s.end < window_end else None,
        "status": s.status,
        "service": service(registry.services[s.primary]) if s.primary else None,
    }


def answer(a: CoverAnswer, registry: Registry) -> dict[str, Any]:
    area = registry.areas.get(a.area) if a.area else None
    return {
        "area": {"id": area.id, "name": area.name} if area else None,
        "areas": list(a.stands_for),
        "status": a.status,
        "since": iso(a.run_start),
        "until": iso(a.run_end),
        "covering": service(a.covering),
        "ring_until": iso(a.ring_until),
        "lines": [{"service": service(ls.service), "state": ls.state,
                   "comment": ls.comment or None, "until": iso(ls.until)} for ls in a.lines],
        "next_cover": stretch(a.next_cover, registry, a.window_end) if a.next_cover else None,
        "then": [stretch(s, registry, a.window_end) for s in a.upcoming],
        "fallback": [{"service": service(f.service), "state": f.state, "opens": iso(f.opens)}
                     for f in a.fallback],
        "bank_holiday": a.bank_holiday,
        "closures": [{"service": s.ref, "reason": c.reason, "from": c.start.isoformat(),
                      "to": c.end.isoformat()} for s, c in a.closures],
        "dated_hours": [{"service": s.ref, "reason": d.reason, "hours": d.words,
                         "from": d.start.isoformat(), "to": d.end.isoformat()}
                        for s, d in a.dated],
    }
