"""What reading the incidents found besides incidents: why rows were rejected (by kind),
the commonest values no name matched (to write a `--map` once), and incidents opened as
one issue type and closed as another. Text lines for stderr and the JSON fields."""

from __future__ import annotations

from typing import Any

from remitctl.evidence.incidents import Incidents
from remitctl.registry.model import Registry
from remitctl.render.words import counted, safe

TOP = 20  # unmatched values and recategorisations listed


def title(reg: Registry, value: str) -> str:
    issue = reg.issues.get(value)
    return issue.title if issue is not None else value


def all_rejected(inc: Incidents) -> str:
    """The one line for a run in which no row could be read."""
    common = inc.commonest_reason()
    assert common is not None
    kind, count, first = common
    rows = ("the only row was" if inc.rejected_count == 1
            else f"all {counted(inc.rejected_count, 'row')} were")
    return (f"remitctl: error: {rows} rejected, nothing to judge; "
            f"commonest reason: {kind} ({counted(count, 'row')}, first at "
            f"{safe(first.file)}:{first.line})")


def text_lines(reg: Registry, inc: Incidents) -> list[str]:
    lines: list[str] = []
    if inc.unmatched:
        lines.append(f"remitctl: commonest values no name matched (map them with --map "
                     f"FILE.yaml, CODE: issue-id a line); top {min(TOP, len(inc.unmatched))} "
                     f"of {len(inc.unmatched):,}:")
        lines += [f"  {count:>9,}  {column}: {safe(value)!r}"
                  for (column, value), count in inc.unmatched.most_common(TOP)]
    if inc.recategorised:
        lines.append("remitctl: opened as one issue type, closed (and judged) as another:")
        lines += [f"  {count:>9,}  opened as {safe(title(reg, opened))}, closed as "
                  f"{safe(title(reg, closed))}"
                  for (opened, closed), count in inc.recategorised.most_common(TOP)]
    return lines


def json_fields(inc: Incidents) -> dict[str, Any]:
    return {
        "blank_rows": inc.blank,
        "rejected_reasons": [{"reason": kind, "rows": count,
                              "first": {"file": r.file, "line": r.line, "reason": r.reason}}
                             for kind, count in inc.kinds.most_common()
                             for r in (inc.first_of_kind[kind],)],
        "unmatched": [{"column": column, "value": value, "rows": count}
                      for (column, value), count in inc.unmatched.most_common(TOP)],
        "unmatched_distinct": len(inc.unmatched) + (1 if inc.unmatched_other else 0),
        "recategorised": [{"opened": opened, "closed": closed, "rows": count}
                          for (opened, closed), count in inc.recategorised.most_common(TOP)],
    }
