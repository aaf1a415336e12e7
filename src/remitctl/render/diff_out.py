"""`remitctl diff` for people (text), for a pull-request comment (markdown) and for
machines (JSON, schema remitctl/diff/v1). Each formatter is pure: diff in, text out."""

from __future__ import annotations

from typing import Any

from remitctl.cover.compare import CoverChange, EntryChange, PolicyChange, RegistryDiff
from remitctl.cover.typical import WeekCover, WeekSpan, describe, hours_text
from remitctl.render import escape
from remitctl.render.words import safe
from remitctl.shown import shown_path

SCHEMA = "remitctl/diff/v1"
KIND_WORDS = {"issues": "issue types", "services": "service lines", "agencies": "agencies",
              "areas": "areas"}
ENTRY_WORDS = {"registry": "registry", "area": "area", "agency": "agency",
               "service": "service line", "issue": "issue type"}


def _signed(minutes: int) -> str:
    if minutes == 0:
        return "no change"
    return ("+" if minutes > 0 else "−") + hours_text(abs(minutes))


def _spans(spans: tuple[WeekSpan, ...]) -> str:
    return describe(spans)


def _where(c: CoverChange) -> str:
    return f" in {safe(c.area_name or c.area)}" if c.area else ""


def cover_sentence(c: CoverChange) -> str:
    """The change to one issue type's cover in one area, in plain words."""
    name = f"{safe(c.title)} ({c.issue}){_where(c)}"
    if c.before is None and c.after is not None:
        return f"{name}: new; nobody covers it {_amount(c.after)}"
    if c.after is None and c.before is not None:
        return f"{name}: removed; nobody covered it {_amount(c.before)}"
    assert c.before is not None and c.after is not None
    delta = c.after.uncovered_minutes - c.before.uncovered_minutes
    if not c.before.uncovered_minutes:
        said = f"covered all week before; nobody covers it {_amount(c.after)} after"
    elif not c.after.uncovered_minutes:
        said = f"nobody covers it {_amount(c.before)} before; covered all week after"
    else:
        said = f"nobody covers it {_amount(c.before)} before, {_amount(c.after)} after"
    out = f"{name}: {said} ({_signed(delta)})"
    uncertain = c.after.uncertain_minutes - c.before.uncertain_minutes
    if uncertain:
        out += f"; uncertain cover {_signed(uncertain)}"
    return out


def _amount(cover: WeekCover) -> str:
    if cover.uncovered_minutes == 0:
        return "at no time: covered all week"
    return f"{hours_text(cover.uncovered_minutes)} a week"


def policy_sentence(p: PolicyChange, *, broken: bool) -> str:
    """A cover policy the change breaks (or mends), the areas by name."""
    where = f" in {', '.join(safe(n) for n in p.area_names)}" if p.area_names else ""
    rule = ("requires cover at all times" if p.max_gap_hours == 0 else
            f"allows gaps of up to {p.max_gap_hours:g} h")
    gaps = f"{p.longest_words} every week (up to {hours_text(p.longest_minutes)} at a time)"
    if broken:
        return (f"{safe(p.title)} ({p.issue}){where}: nobody covers it {gaps}; the policy "
                f"(line {p.line}) {rule}")
    return (f"{safe(p.title)} ({p.issue}){where}: the policy (line {p.line}) {rule}, and is "
            f"met now; nobody covered it {gaps}")


def _entry_lines(e: EntryChange) -> list[str]:
    label = ENTRY_WORDS[e.kind] + (f" {e.id}" if e.id else "")
    lines = [label]
    for ch in e.changes:
        lines.append(f"    {ch.field}: {_quoted(ch.before)} → {_quoted(ch.after)}")
    return lines


def _quoted(value: str | None) -> str:
    return "(none)" if value is None else f'"{safe(value)}"'


def verdict(d: RegistryDiff) -> str:
    if d.is_empty:
        return "No changes to cover or to any entry."
    gained = sum(1 for c in d.cover if c.closed)
    opened = sum(1 for c in d.cover if c.opened)
    broken = len(d.broken)
    breaks = (f"BREAKS {broken} COVER POLIC{'IES' if broken != 1 else 'Y'}" if broken else "")
    if opened:
        return (f"This change {breaks + ' and ' if breaks else ''}OPENS NEW GAPS in cover for "
                f"{opened} issue type and area pair{'s' if opened != 1 else ''}.")
    if breaks:
        return f"This change {breaks}."
    if gained:
        return "This change opens no new gaps and closes some."
    return "This change opens no new gaps in cover."


def text(d: RegistryDiff) -> str:
    out = [f"remitctl diff: {shown_path(d.old)} → {shown_path(d.new)}", verdict(d)]
    for title, found, broken in (("Cover policies this change breaks (a typical week):",
                                  d.broken, True),
                                 ("Cover policies this change mends:", d.mended, False)):
        if found:
            out += ["", title, *("  " + policy_sentence(p, broken=broken) for p in found)]
    if d.cover:
        out += ["", f"Cover in a typical week (week of {d.week_of:%d %b %Y}; no bank holidays "
                "or closures):"]
        for c in d.cover:
            out.append("  " + cover_sentence(c))
            if c.opened:
                out.append(f"    NEW GAPS: {_spans(c.opened)}")
            if c.closed:
                out.append(f"    gaps closed: {_spans(c.closed)}")
    if d.cover or d.unchanged_cover:
        out.append(f"  {d.unchanged_cover} other issue type and area pair"
                   f"{'s' if d.unchanged_cover != 1 else ''}: cover unchanged")
    for label, table in (("Added", d.added), ("Removed", d.removed)):
        rows = [f"  {KIND_WORDS[k]}: {', '.join(ids)}" for k, ids in table.items() if ids]
        if rows:
            out += ["", f"{label}:", *rows]
    if d.changed:
        out += ["", "Changed:"]
        for e in d.changed:
            out += ["  " + line for line in _entry_lines(e)]
    return "\n".join(out) + "\n"


def _md(value: str | None) -> str:
    return "*(none)*" if value is None else escape.markdown_code(value)


def markdown(d: RegistryDiff) -> str:
    out = [f"### remitctl diff: {escape.markdown_code(shown_path(d.old))} → "
           f"{escape.markdown_code(shown_path(d.new))}", ""]
    out.append(f"**{verdict(d)}**" if d.new_gaps or d.broken else verdict(d))
    for title, found, broken in (("#### Cover policies this change breaks (a typical week)",
                                  d.broken, True),
                                 ("#### Cover policies this change mends", d.mended, False)):
        if found:
            out += ["", title, "",
                    *("- " + escape.markdown(policy_sentence(p, broken=broken)) for p in found)]
    if d.cover:
        out += ["", f"#### Cover in a typical week (week of {d.week_of:%d %b %Y}; no bank "
                "holidays or closures)", "",
                "| issue type | area | uncovered before | after | change | gaps opened | "
                "gaps closed |", "|---|---|---|---|---|---|---|"]
        for c in d.cover:
            before = hours_text(c.before.uncovered_minutes) if c.before else "new"
            after = hours_text(c.after.uncovered_minutes) if c.after else "removed"
            change = (_signed(c.after.uncovered_minutes - c.before.uncovered_minutes)
                      if c.before and c.after else "")
            opened = f"**{_spans(c.opened)}**" if c.opened else "—"
            closed = _spans(c.closed) or "—"
            out.append(f"| {escape.markdown(c.title)} ({escape.markdown_code(c.issue)}) | "
                       f"{escape.markdown(c.area_name or c.area or 'everywhere')} | "
                       f"{before} | {after} | {change} | {opened} | {closed} |")
    if d.cover or d.unchanged_cover:
        out += ["", f"{d.unchanged_cover} other issue type and area pairs: cover unchanged."]
    for label, table in (("Added", d.added), ("Removed", d.removed)):
        rows = [f"- {KIND_WORDS[k]}: " + ", ".join(escape.markdown_code(i) for i in ids)
                for k, ids in table.items() if ids]
        if rows:
            out += ["", f"#### {label}", "", *rows]
    if d.changed:
        out += ["", "#### Changed", ""]
        for e in d.changed:
            label = ENTRY_WORDS[e.kind] + (f" {escape.markdown_code(e.id)}" if e.id else "")
            out.append(f"- {label}")
            out += [f"  - {escape.markdown(ch.field)}: {_md(ch.before)} → {_md(ch.after)}"
                    for ch in e.changes]
    return "\n".join(out) + "\n"


def _span_doc(s: WeekSpan) -> dict[str, Any]:
    return {"start_minute": s.start, "end_minute": s.end, "minutes": s.minutes,
            "words": s.words()}


def _week_doc(w: WeekCover | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"uncovered_minutes": w.uncovered_minutes, "uncertain_minutes": w.uncertain_minutes,
            "gaps": [_span_doc(s) for s in w.uncovered]}


def _policy_doc(p: PolicyChange) -> dict[str, Any]:
    return {"issue": p.issue, "areas": list(p.areas), "max_gap_hours": p.max_gap_hours,
            "longest_gap_minutes": p.longest_minutes, "longest_gap_words": p.longest_words,
            "line": p.line}


def json_doc(d: RegistryDiff) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "old": d.old,
        "new": d.new,
        "week_of": d.week_of.isoformat(),
        "new_gaps": d.new_gaps,
        "cover": [{
            "issue": c.issue, "title": c.title, "area": c.area, "area_name": c.area_name,
            "before": _week_doc(c.before), "after": _week_doc(c.after),
            "opened": [_span_doc(s) for s in c.opened],
            "closed": [_span_doc(s) for s in c.closed],
        } for c in d.cover],
        "unchanged_cover": d.unchanged_cover,
        "broken_policies": [_policy_doc(p) for p in d.broken],
        "mended_policies": [_policy_doc(p) for p in d.mended],
        "added": {k: list(v) for k, v in d.added.items()},
        "removed": {k: list(v) for k, v in d.removed.items()},
        "changed": [{"kind": e.kind, "id": e.id or None,
                     "changes": [{"field": ch.field, "before": ch.before, "after": ch.after}
                                 for ch in e.changes]} for e in d.changed],
    }
