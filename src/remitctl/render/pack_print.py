"""How the meeting packs (evidence and gaps HTML) print: A4 landscape, as the charts are
drawn, headings kept with what follows them, table header rows repeated on each page,
charts and short tables never split, no screen-only chrome.

Sizes are chosen so that no page is left nearly blank by a block that has to move whole:
a chart is at most 130 mm high (title block, heading and the first chart fit on page one),
and only short tables (the hour-of-week table) refuse to split. tests/test_pack_print.py
prints both packs in headless Chromium and checks the pages with poppler.
"""

from __future__ import annotations

PRINT = """
@page { size: A4 landscape; margin: 12mm 12mm 13mm; }
@media print {
  html { font-size: 9.5pt; }
  body { margin: 0; max-width: none; line-height: 1.3; }
  nav, button, input, select, .screen-only { display: none !important; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  h2 { margin: 1.1em 0 .4em; }
  p.headline, p.meta, li { break-inside: avoid; }
  table { font-size: .92em; }
  table:has(th:nth-child(5)) { width: 100%; }  /* wide tables only; short ones stay narrow */
  table.heat { width: auto; font-size: .85em; break-inside: avoid; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  th, td { padding: 2px 5px; }
  th.n, td.n { width: 5.5em; }
  figure { margin: .3em 0 .6em; break-inside: avoid; page-break-inside: avoid; }
  figure svg { display: block; max-width: 100%; max-height: 130mm; width: auto; height: auto; }
  p.headline, th, td, .heat td { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""
