"""The evidence report as Markdown, for a wiki page or a briefing note."""

from __future__ import annotations

from remitctl.evidence.judge import Judgement
from remitctl.render.evidence import tables
from remitctl.render.evidence.words import headline, period, sources
from remitctl.render.gaps.as_markdown import cell


def table(t: tables.Table) -> str:
    header, rows = t
    align = ["---:" if h in tables.NUMERIC or h.isdigit() else "---" for h in header]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render(j: Judgement) -> str:
    reg, inc = j.registry, j.incidents
    parts = [
        f"# Evidence: demand in partners' gaps ({cell(reg.name)})",
        "",
        f"{cell(headline(j))}",
        "",
        f"- Incidents judged: {j.total.incidents:,} ({period(j)})",
        f"- Sources: {cell(sources(j))}",
        f"- Duplicates (same ref): {inc.duplicates:,}; rejected rows: {inc.rejected_count:,}",
        "",
        "## By issue type and area (worst first)",
        "",
        table(tables.groups(j)),
        "",
        "## By responsible agency",
        "",
        table(tables.agencies(j)),
        "",
        "## Who absorbed the uncovered incidents",
        "",
        table(tables.fallbacks(j)),
        "",
        "## Uncovered incidents by hour of the week (local time)",
        "",
        table(tables.week(j)),
        "",
        "## By month",
        "",
        table(tables.months(j)),
    ]
    if inc.recategorised:
        parts += ["", f"## {tables.RECATEGORISED}", "", table(tables.recategorised(j))]
    if inc.rejected:
        parts += ["", "## Rejected rows", ""]
        parts += [f"- {cell(r.format())}" for r in inc.rejected]
        if inc.rejected_count > len(inc.rejected):
            parts.append(f"- … and {inc.rejected_count - len(inc.rejected):,} more")
    return "\n".join(parts) + "\n"
