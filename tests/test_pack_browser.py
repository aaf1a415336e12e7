"""The meeting pack in a real browser: headless Chromium (Debian's `chromium` package).

It must load with the network blocked (and ask for nothing), and at 1280 px nothing may
overflow its box or the page. CI installs chromium (.ci/run) and sets
REMITCTL_REQUIRE_BROWSER=1, so there a missing browser fails rather than skips.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUNDLED, ROOT

Invoke = Callable[..., object]
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
if BROWSER is None and not os.environ.get("REMITCTL_REQUIRE_BROWSER"):
    pytest.skip("no chromium here (apt-get install chromium); CI requires it",
                allow_module_level=True)

# Appended to a copy of the page (the page itself runs no script): every element with
# text must fit its box, and nothing may reach past the 1280 px viewport.
MEASURE = """
<script>
const out = {overflow: [], outside: [], svgs: 0, width: document.documentElement.scrollWidth};
for (const el of document.querySelectorAll('h1, h2, p, th, td, li')) {
  const what = el.tagName + ': ' + el.textContent.slice(0, 60);
  if (el.scrollWidth > el.clientWidth + 1) out.overflow.push(what);
  if (el.getBoundingClientRect().right > window.innerWidth) out.outside.push(what);
}
for (const svg of document.querySelectorAll('svg')) {
  out.svgs += 1;
  if (svg.getBoundingClientRect().right > window.innerWidth) out.outside.push('svg');
}
const pre = document.createElement('pre'); pre.id = 'measured';
pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
</script>
"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={tmp_path / 'profile'}",
         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--hide-scrollbars", "--window-size=1280,1000", *args],
        capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def incidents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    spec = importlib.util.spec_from_file_location("remitctl_benchmarks_incidents_b",
                                                  ROOT / "benchmarks" / "incidents.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen
    spec.loader.exec_module(gen)
    path = tmp_path_factory.mktemp("pack") / "incidents.csv"
    path.write_text(gen.generate(4000, BUNDLED, 2026), encoding="utf-8")
    return path, list(gen.COLUMNS)


@pytest.fixture(params=["evidence", "gaps"])
def pack(request: pytest.FixtureRequest, invoke: Invoke, tmp_path: Path,
         incidents: tuple[Path, list[str]]) -> Path:
    out = tmp_path / "pack.html"
    if request.param == "evidence":
        path, columns = incidents
        result = invoke("evidence", str(path), *columns, "-r", str(BUNDLED), "-o", str(out))
    else:
        result = invoke("gaps", "--from", "2026-12-21", "--days", "14", "-r", str(BUNDLED),
                        "-o", str(out))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return out


def _page_requests(tmp_path: Path, page: Path) -> tuple[str, set[str]]:
    """The DOM Chromium built, and every URL the page (not the browser itself, which
    phones home for updates) asked for, from Chromium's own network log."""
    log = tmp_path / "net.json"
    result = _chromium(tmp_path, f"--log-net-log={log}", "--dump-dom", page.as_uri())
    text = log.read_text(errors="replace").rstrip().rstrip(",")
    doc = json.loads(text if text.endswith("}") and text.count("{") == text.count("}")
                     else text + "]}")
    start_job = doc["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    asked = {e["params"]["url"] for e in doc["events"]
             if e["type"] == start_job and "url" in e.get("params", {})
             and e["params"].get("initiator") != "not an origin"}
    return result.stdout, asked


def test_the_pack_loads_offline_and_asks_for_nothing(pack: Path, tmp_path: Path) -> None:
    page = pack.read_text(encoding="utf-8")
    links = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)|url\(\s*["']?([^"')]*)""", page)
    assert {a or b for a, b in links if not (a or b).startswith(("#", "data:"))} == set()
    assert "@import" not in page and "<script" not in page and "<link" not in page
    dom, asked = _page_requests(tmp_path, pack)
    assert "<h1>" in dom and "<svg" in dom
    assert asked == set()
    # The same check sees a page that does fetch something.
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><title>x</title><img src="http://example.invalid/a.png">',
                     encoding="utf-8")
    assert _page_requests(tmp_path / "control", leaky)[1] == {"http://example.invalid/a.png"}


def test_nothing_is_clipped_at_1280_pixels(pack: Path, tmp_path: Path) -> None:
    page = pack.read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("default-src 'none'", "default-src 'none'; script-src "
                                  "'unsafe-inline'").replace("</body>", MEASURE + "</body>"),
                     encoding="utf-8")
    result = _chromium(tmp_path, "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    measured = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<")
                          .replace("&gt;", ">").replace("&quot;", '"'))
    assert measured["svgs"] >= 1
    assert measured["overflow"] == [] and measured["outside"] == []
    assert measured["width"] <= 1280
    shot = tmp_path / "pack.png"
    _chromium(tmp_path, f"--screenshot={shot}", pack.as_uri())
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one
