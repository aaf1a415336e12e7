"""The meeting pack: one self-contained HTML page (no script, font or picture fetched from
anywhere), with the headline in a sentence, the charts when matplotlib is installed, and
the tables."""

from __future__ import annotations

import html

from remitctl.evidence.judge import Judgement
from remitctl.render.evidence import tables
from remitctl.render.evidence.words import headline, period, sources
from remitctl.render.pack_print import PRINT
from remitctl.render.words import safe

STYLE = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
       color: #1a1a1a; background: #fff; margin: 24px; max-width: 1180px; line-height: 1.4; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.6em 0 .5em; }
p.headline { font-size: 1.15em; background: #fdf2f2; border-left: 4px solid #b42318;
             padding: .6em .9em; }
p.meta { color: #444; font-size: .9em; }
table { border-collapse: collapse; margin: .4em 0 1em; font-size: .88em; }
th, td { border: 1px solid #c8c8c8; padding: 4px 7px; text-align: left; vertical-align: top;
         overflow-wrap: break-word; hyphens: none; }
th { background: #f1f1f1; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; }
.heat td { text-align: center; padding: 3px 2px; min-width: 1.6em; }
""" + PRINT


def _table(t: tables.Table, cls: str = "") -> str:
    header, rows = t

    def kind(h: str) -> str:
        return ' class="n"' if h in tables.NUMERIC or h.isdigit() else ""

    out = [f'<table{f" class={cls!r}" if cls else ""}>',
           "<thead><tr>" + "".join(f"<th{kind(h)}>{html.escape(h)}</th>" for h in header)
           + "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td{kind(h)}>{html.escape(c)}</td>"
                                    for h, c in zip(header, row, strict=True)) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _heat(j: Judgement) -> str:
    header, rows = tables.week(j)
    top = max(j.heat) if j.heat else 0
    out = ['<table class="heat">', "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>"
                                                          for h in header) + "</tr></thead><tbody>"]
    for row in rows:
        cells = [f"<th>{html.escape(row[0])}</th>"]
        for c in row[1:]:
            level = int(c) / top if top else 0.0
            shade = f"rgba(180, 35, 24, {0.08 + 0.85 * level:.2f})" if int(c) else "#fff"
            ink = "#fff" if level > 0.55 else "#1a1a1a"
            cells.append(f'<td style="background:{shade};color:{ink}">{html.escape(c)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render(j: Judgement, charts: list[tuple[str, str]] | None = None) -> str:
    """The page; `charts` are (heading, inline SVG) pairs made by render.charts."""
    reg, inc = j.registry, j.incidents
    title = f"Evidence: demand in partners' gaps – {safe(reg.name)}"
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="headline">{html.escape(headline(j))}</p>',
        f'<p class="meta">{j.total.incidents:,} incidents, {html.escape(period(j))}. '
        f"Sources: {html.escape(sources(j))}. "
        f"Duplicates (same ref) counted once: {inc.duplicates:,}. "
        f"Rejected rows: {inc.rejected_count:,}. Each incident is judged with the same "
        "timelines as <code>remitctl who</code> at its reported moment.</p>",
    ]
    for heading, svg in charts or []:
        body.append(f"<h2>{html.escape(heading)}</h2>\n<figure>{svg}</figure>")
    body += [
        "<h2>By issue type and area, worst first</h2>", _table(tables.groups(j)),
        "<h2>By responsible agency</h2>", _table(tables.agencies(j)),
        "<h2>Who absorbed the uncovered incidents</h2>", _table(tables.fallbacks(j)),
        "<h2>Uncovered incidents by hour of the week (local time)</h2>", _heat(j),
        "<h2>By month</h2>", _table(tables.months(j)),
    ]
    if inc.recategorised:
        body += [f"<h2>{html.escape(tables.RECATEGORISED)}</h2>",
                 _table(tables.recategorised(j))]
    if inc.rejected:
        body.append("<h2>Rejected rows</h2><ul>" + "".join(
            f"<li>{html.escape(safe(r.format()))}</li>" for r in inc.rejected) + "</ul>")
    if charts is None:
        body.insert(3, '<p class="meta">Charts need the charts extra (matplotlib): '
                    "pip install 'remitctl[charts]'.</p>")
    return page(title, body, STYLE)


def page(title: str, body: list[str], style: str) -> str:
    """One self-contained page: nothing is fetched (the policy forbids it), no script."""
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
