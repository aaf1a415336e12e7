"""The meeting packs on paper: both packs printed to PDF by headless Chromium on A4 and the
pages read back with Debian's poppler-utils (pdfinfo, pdftoppm, pdftotext).

What the print stylesheet (render/pack_print.py) must give, measured on the PDF:
- no page but the last is nearly blank: at 20 dpi in grey, a page is *nearly blank* when
  fewer than 15% of its pixel rows hold a pixel darker than 224/255 (text, rules, charts);
- a heading is never the last thing on its page: below every h2, on the same page, there
  are at least 10 mm of pixel rows with ink (its chart, or its table's header and a row);
- every page begins with a heading, a table's header row (header rows repeat) or the start
  of a list item: a table never continues headless, a paragraph never continues at all;
- the page count stays within a bound computed from the content (see `_page_bound`).

Before the stylesheet these packs printed to 16 and 7 pages, with three headings alone on
nearly blank pages. CI (.ci/run) installs chromium and poppler-utils and sets
REMITCTL_REQUIRE_BROWSER=1, so there a missing tool fails rather than skips.
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from test_pack_browser import _chromium, incidents, pack  # noqa: F401 (fixtures used here)

POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdftoppm", "pdftotext"))
if not POPPLER and not os.environ.get("REMITCTL_REQUIRE_BROWSER"):
    pytest.skip("no poppler here (apt-get install poppler-utils); CI requires it",
                allow_module_level=True)

DPI = 20
INK = 224  # a grey level darker than this is ink
BLANK = 0.15  # fewer ink rows than this share of the page: nearly blank
AFTER_HEADING_MM = 10.0
A4_LANDSCAPE_PT = (841.9, 595.0)


@dataclass
class Page:
    ink: list[bool]  # per pixel row: any ink in it
    words: list[tuple[float, float, float, str]]  # xMin, yMin, yMax (pt), text
    height_pt: float

    def ink_share(self) -> float:
        return sum(self.ink) / len(self.ink)

    def ink_mm_below(self, y_pt: float) -> float:
        first = math.ceil(y_pt / self.height_pt * len(self.ink))
        return sum(self.ink[first:]) / DPI * 25.4

    def lines(self) -> list[tuple[float, float, str]]:
        """Words of one height on the page, left to right: (yMin, yMax, text), top first."""
        rows: dict[int, list[tuple[float, float, float, str]]] = {}
        for w in self.words:
            rows.setdefault(round(w[1]), []).append(w)
        return [(ws[0][1], max(w[2] for w in ws),
                 " ".join(w[3] for w in sorted(ws)))
                for _, ws in sorted(rows.items())]


def _grey_rows(path: Path) -> list[bool]:
    data = path.read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    w, h = int(width), int(height)
    return [min(pixels[r * w:(r + 1) * w]) < INK for r in range(h)]


def _print(page: Path, tmp_path: Path) -> list[Page]:
    assert POPPLER, "poppler-utils (pdfinfo, pdftoppm, pdftotext) is needed to read the PDF"
    pdf = tmp_path / (page.stem + ".pdf")
    result = _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                       page.as_uri())
    assert pdf.exists(), result.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info.stdout, re.M)
    assert size, info.stdout
    assert (float(size.group(1)), float(size.group(2))) == pytest.approx(A4_LANDSCAPE_PT, abs=1)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(tmp_path / "p")],
                   check=True)
    grey = sorted(tmp_path.glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for n, (chunk, image) in enumerate(zip(bbox.split("<page ")[1:], grey, strict=True)):
        words = [(float(x), float(y0), float(y1), html.unescape(t)) for x, y0, y1, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" '
                            r'yMax="([\d.]+)">(.*?)</word>', chunk)]
        height = float(re.search(r'height="([\d.]+)"', chunk).group(1))  # type: ignore[union-attr]
        pages.append(Page(_grey_rows(image), words, height))
        assert n < count
    assert len(pages) == count
    return pages


def _texts(page: str, tag: str) -> list[str]:
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", t)).split())
            for t in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.S)]


def _page_bound(page: str) -> int:
    """The most pages the content may need on A4 landscape (185 mm of height a page):
    a page for the title block and the first chart, a page for each other chart (a chart
    is drawn at most 130 mm high, so the rest of its page may be lost), and for the rows
    of every table and the items of every list 12 to a page (a row of three wrapped lines
    and its rules are 13 mm; most rows are one or two lines), plus one page for the
    remainders of partly filled pages. The packs as they printed before the stylesheet
    (16 and 7 pages) are over this bound."""
    charts = page.count("<figure>")
    rows = page.count("<tr>") - page.count("<thead>")
    items = page.count("<li>")
    return max(charts, 1) + math.ceil((rows + items) / 12) + 1


def test_the_packs_print_on_few_full_pages(pack: Path,  # noqa: F811 (the fixture)
                                            tmp_path: Path) -> None:
    page = pack.read_text(encoding="utf-8")
    assert page.count("<table") == page.count("<thead>") >= 3  # header rows to repeat
    pages = _print(pack, tmp_path)
    assert len(pages) <= _page_bound(page)
    shares = [round(p.ink_share(), 2) for p in pages]
    assert [n for n, s in enumerate(shares[:-1], 1) if s < BLANK] == [], shares

    headings = _texts(page, "h2")
    titles = _texts(page, "h1")
    found = {}
    for n, p in enumerate(pages, 1):
        for _, bottom, text in p.lines():
            if text in headings:
                found[text] = n
                assert p.ink_mm_below(bottom) >= AFTER_HEADING_MM, (text, n)
    assert set(found) == set(headings)

    header_rows = [[h.split()[0] for h in _texts(t, "th")]
                   for t in re.findall(r"<thead>(.*?)</thead>", page, re.S)]
    items = _texts(page, "li")
    for n, p in enumerate(pages[1:], 2):
        top = p.lines()[0][2]
        words = top.split()
        assert (top in headings or top in titles
                or any(all(w in words for w in first) for first in header_rows)
                or any(i.startswith(top) for i in items)), (n, top)


def test_the_measures_see_a_badly_printed_page(tmp_path: Path) -> None:
    """The same checks catch a heading alone at the foot of a page, a nearly blank page
    and a table that continues without its header row."""
    rows = "".join(f"<tr><td>row {n}</td><td>{n}</td></tr>" for n in range(60))
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><style>@page { size: A4 landscape; margin: 12mm; }"
        "</style></head><body><p>One short line.</p>"
        "<div style='height: 158mm'></div><h2>Alone at the foot</h2>"
        f"<table><tr><th>Name</th><th>N</th></tr>{rows}</table></body></html>",
        encoding="utf-8")
    pages = _print(bad, tmp_path)
    assert len(pages) >= 3
    assert pages[0].ink_share() < BLANK  # one line and a heading: nearly blank
    bottom = next(b for _, b, t in pages[0].lines() if t == "Alone at the foot")
    assert pages[0].ink_mm_below(bottom) < AFTER_HEADING_MM
    assert pages[1].lines()[0][2] == "Name N"
    assert pages[2].lines()[0][2].startswith("row ")  # no repeated header row
