"""`gaps --check` results: one `FILE:LINE:COL: error:` line per issue type, group of areas and
policy, pointing at the policy that was breached, with its worst gap and how often it is
breached; then a one-line verdict. JSON lists every breach."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from remitctl.cover.gaps import Window
from remitctl.cover.policy_check import Breach, PolicyCheck
from remitctl.registry.model import Registry
from remitctl.registry.problems import Problem
from remitctl.render.gaps.as_json import instant, length, window
from remitctl.render.gaps.words import area_label, cause_words, hours, stamp
from remitctl.render.json_out import registry_info

SCHEMA = "remitctl/gaps-check/v1"


def _span(b: Breach, tz: ZoneInfo) -> str:
    run = b.run
    if b.window.typical:
        begin = f"{run.start.astimezone(tz):%a %H:%M}" if run.start else "over a week"
        end = f"{run.end.astimezone(tz):%a %H:%M}" if run.end else "beyond"
        return f"every week, {begin} – {end}"
    begin = stamp(run.start, tz, year=True) if run.start else "before the window"
    end = stamp(run.end, tz, year=True) if run.end else "after the window"
    return f"{begin} – {end}"


def message(b: Breach, registry: Registry) -> str:
    tz = ZoneInfo(registry.timezone)
    where = f" in {area_label(registry, b.areas)}" if b.areas else ""
    length_text = ("over " if b.run.at_least else "") + hours(b.run.length)
    rule = ("24/7 cover is required" if b.policy.max_gap_hours == 0 else
            f"the policy allows {b.policy.max_gap_hours:g} h")
    text = f"{b.issue.id}{where}: no cover for {length_text} ({_span(b, tz)}); {rule}"
    if b.run.uncertain:
        text += f" ({hours(b.run.uncertain)} of it uncertain cover, which does not count)"
    if b.run.causes:
        text += f"; because of {cause_words(b.run.causes, registry)}"
    if b.recurs:
        text += f"; and {b.recurs} more time{'s' if b.recurs != 1 else ''} in the dated window"
    return text


def _never_covered(b: Breach) -> bool:
    return b.window.typical and b.run.start is None and b.run.end is None


def _week_pattern(breaches: list[Breach]) -> str:
    """The typical week's gaps in week order, the same hours on several days said once."""
    from remitctl.cover.typical import WeekSpan, describe

    spans = []
    for b in breaches:
        if b.run.start is None:
            continue
        first = round((b.run.start - b.window.start).total_seconds() / 60)
        spans.append(WeekSpan(first, first + round(b.run.length.total_seconds() / 60)))
    return describe(spans)


def grouped_message(breaches: list[Breach], registry: Registry) -> str:
    """One issue type's breaches of one policy in one group of areas, in a sentence: the
    worst gap, the typical week's pattern and how many breaches there are in all."""
    tz = ZoneInfo(registry.timezone)
    first = breaches[0]
    where = f" in {area_label(registry, first.areas)}" if first.areas else ""
    rule = ("24/7 cover is required" if first.policy.max_gap_hours == 0 else
            f"the policy allows {first.policy.max_gap_hours:g} h")
    if any(_never_covered(b) for b in breaches):
        return f"{first.issue.id}{where}: never covered: nobody covers it at any time; {rule}"
    typical = [b for b in breaches if b.window.typical]
    dated = [b for b in breaches if not b.window.typical]
    worst = max(breaches, key=lambda b: (b.run.length, b.window.typical))
    lead = max(typical, key=lambda b: b.run.length) if typical else worst
    when = (f"every week: {_week_pattern(typical)}" if lead.window.typical and len(typical) > 1
            else _span(lead, tz))
    up_to = "up to " if lead.window.typical and len(typical) > 1 else ""
    text = f"{first.issue.id}{where}: no cover for {up_to}{_length(lead)} ({when})"
    text += _because(lead, registry) + f"; {rule}"
    if worst is not lead:
        text += (f"; at worst {_length(worst)} ({_span(worst, tz)})"
                 + _because(worst, registry))
    in_window = sum(b.recurs for b in typical) + len(dated)
    counts = []
    if typical and (len(breaches) > 1 or in_window):
        counts.append(f"{len(typical)} gap{'s' if len(typical) != 1 else ''} too long every "
                      "week")
    if in_window and (len(breaches) > 1 or typical):
        caused = sum(1 for b in dated if b.run.causes)
        which = ("all" if caused == in_window else f"{caused} of them") + (
            " because of bank holidays or closures")
        counts.append(f"{in_window} breach{'es' if in_window != 1 else ''} in the dated window"
                      + (f", {which}" if caused else ""))
    if counts:
        text += "; " + ", ".join(counts)
    return text


def _length(b: Breach) -> str:
    return ("over " if b.run.at_least else "") + hours(b.run.length)


def _because(b: Breach, registry: Registry) -> str:
    text = ""
    if b.run.uncertain:
        text += f" ({hours(b.run.uncertain)} of it uncertain cover, which does not count)"
    if b.run.causes:
        text += f" because of {cause_words(b.run.causes, registry)}"
    return text


def groups(result: PolicyCheck) -> list[list[Breach]]:
    """Breaches by issue type, group of areas and policy, in the order they were found."""
    found: dict[tuple[str, tuple[str, ...], int, int], list[Breach]] = {}
    for b in result.breaches:
        found.setdefault((b.issue.id, b.areas, b.policy.line, b.policy.column), []).append(b)
    return list(found.values())


def _windows(windows: tuple[Window, ...], tz: ZoneInfo) -> str:
    parts = []
    for w in windows:
        if w.typical:
            parts.append("a typical week")
        else:
            parts.append(f"{w.start.astimezone(tz):%d %b %Y %H:%M} – "
                         f"{w.end.astimezone(tz):%d %b %Y %H:%M}")
    return " and ".join(parts)


def text(result: PolicyCheck, registry: Registry, notes: tuple[str, ...] = ()) -> str:
    tz = ZoneInfo(registry.timezone)
    lines = [f"note: {n}" for n in notes]
    for group in groups(result):
        policy = group[0].policy
        lines.append(Problem(registry.source, policy.line, policy.column, "error",
                             grouped_message(group, registry)).format())
    count = len(result.checked)
    over = _windows(result.windows, tz)
    if not count:
        lines.append(f"remitctl: no cover policies to check (add `policy:` to an issue type); "
                     f"looked at {over}")
    elif result.ok:
        lines.append(f"remitctl: all {count} checks (an issue type's policy in a group of "
                     f"areas) pass over {over}")
    else:
        failing = len({(b.issue.id, b.areas) for b in result.breaches})
        # The lines above count each check's breaches; here, the checks that fail.
        lines.append(f"remitctl: {failing} of {count} checks (an issue type's policy in a "
                     f"group of areas) fail over {over}")
        lines.append("  hint: add cover for those hours, or change max_gap_hours at the line "
                     "shown, if the partnership has agreed to the gap")
    return "\n".join(lines) + "\n"


def document(result: PolicyCheck, registry: Registry, path: str,
             notes: tuple[str, ...] = ()) -> dict[str, Any]:
    tz = ZoneInfo(registry.timezone)
    return {
        "schema": SCHEMA,
        "registry": registry_info(registry, path),
        "ok": result.ok,
        "notes": list(notes),
        "windows": [window(w, tz) for w in result.windows],
        "policies": [{"issue": i.id, "areas": list(areas), "max_gap_hours": p.max_gap_hours,
                      "source": f"{registry.source}:{p.line}:{p.column}"}
                     for i, areas, p in result.checked],
        "breaches": [{
            "issue": b.issue.id, "areas": list(b.areas),
            "max_gap_hours": b.policy.max_gap_hours,
            "source": f"{registry.source}:{b.policy.line}:{b.policy.column}",
            "line": b.policy.line, "column": b.policy.column,
            "typical_week": b.window.typical,
            "start": instant(b.run.start, tz), "end": instant(b.run.end, tz),
            "length": {**length(b.run.length), "at_least": b.run.at_least},
            "uncertain": length(b.run.uncertain),
            "because_of": cause_words(b.run.causes, registry) or None,
            "recurs": b.recurs,
            "message": message(b, registry),
        } for b in result.breaches],
    }
