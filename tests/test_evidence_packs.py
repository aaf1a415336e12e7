"""The meeting packs (`evidence -o pack.md`, `-o pack.html`): the opening and closing
category report, escaped as every value from a file is."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import BUNDLED

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
CNC = ["-c", "time=Opened", "-c", "issue=Closing Category", "-c", "opened=Opening Category",
       "-c", "area=Beat Area", "-c", "ref=Incident URN", "-c", "minutes=Officer Minutes",
       "--map", str(FIXTURES / "cnc-map.yaml")]
Invoke = Callable[..., Any]
HEADING = "Opened as one issue type, closed (and judged) as another"


def _pack(invoke: Invoke, tmp_path: Path, name: str, source: Path) -> str:
    out = tmp_path / name
    result = invoke("evidence", str(source), *CNC, "-r", str(BUNDLED), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_markdown_pack_reports_opened_as_closed_as(invoke: Invoke, tmp_path: Path) -> None:
    text = _pack(invoke, tmp_path, "pack.md", FIXTURES / "cnc-incidents.csv")
    section = text.split(f"## {HEADING}\n\n", 1)[1].split("\n\n", 1)[0].rstrip("\n")
    assert section == (
        "| Opened as | Closed and judged as | Incidents |\n"
        "|---|---|---:|\n"
        "| Noise nuisance | Mental health crisis | 3 |\n"
        "| Suspicious Circumstances | Animal welfare and cruelty | 3 |")


def test_html_pack_reports_opened_as_closed_as(invoke: Invoke, tmp_path: Path) -> None:
    text = _pack(invoke, tmp_path, "pack.html", FIXTURES / "cnc-incidents.csv")
    section = text.split(f"<h2>{HEADING}</h2>\n", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<t[dh](?:\s[^>]*)?>(.*?)</t[dh]>", section)
    assert cells == ["Opened as", "Closed and judged as", "Incidents",
                     "Noise nuisance", "Mental health crisis", "3",
                     "Suspicious Circumstances", "Animal welfare and cruelty", "3"]


def test_a_hostile_opening_category_is_shown_not_obeyed(invoke: Invoke,
                                                        tmp_path: Path) -> None:
    text = (FIXTURES / "cnc-incidents.csv").read_text(encoding="utf-8")
    hostile = '"<img src=x onerror=alert(1)> **[x](http://e)** | # h"'
    source = tmp_path / "cnc.csv"
    source.write_text(text.replace("Suspicious Circumstances", hostile.strip('"')),
                      encoding="utf-8")
    md = _pack(invoke, tmp_path, "pack.md", source)
    row = [line for line in md.splitlines() if "onerror" in line]
    assert row == ["| &lt;img src=x onerror=alert(1)&gt; \\*\\*\\[x\\](http://e)\\*\\* "
                   "\\| \\# h | Animal welfare and cruelty | 3 |"]
    page = _pack(invoke, tmp_path, "pack.html", source)
    assert "<img" not in page
    assert ("<td>&lt;img src=x onerror=alert(1)&gt; **[x](http://e)** | # h</td>"
            in page)


def test_no_section_without_an_opening_column(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "pack.md"
    at = CNC.index("opened=Opening Category")
    args = CNC[:at - 1] + CNC[at + 1:]
    result = invoke("evidence", str(FIXTURES / "cnc-incidents.csv"), *args, "-r",
                    str(BUNDLED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert HEADING not in out.read_text(encoding="utf-8")


def _on_a_terminal(*args: str, after: str) -> tuple[int, str]:
    """Run evidence with stderr on a pseudo-terminal; (exit code, what the terminal got)."""
    import os
    import pty
    import subprocess
    import sys

    src = str(Path(__file__).resolve().parent.parent / "src")
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": src, "NO_COLOR": "1",
           "REMITCTL_PROGRESS_AFTER": after}
    proc = subprocess.run([sys.executable, "-m", "remitctl", "evidence", *args], env=env,
                          stdout=subprocess.DEVNULL, stderr=slave, timeout=120, check=False)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed and drained
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return proc.returncode, seen.decode().replace("\r\n", "\n")


def test_a_long_pack_run_says_what_it_is_doing_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    args = [str(FIXTURES / "cnc-incidents.csv"), *CNC, "-r", str(BUNDLED), "-o", str(out)]
    code, seen = _on_a_terminal(*args, after="0")
    assert code == 0
    steps = [s.split("…")[0] for s in seen.split("\r\x1b[Kremitctl: ")[1:] if "…" in s]
    assert steps[0] == "reading rows: 0"
    assert steps[-2:] == ["drawing charts", f"writing {out}"]
    assert "judging 15 incidents" in steps
    # Each is cleared before the usual lines, which end the output as without a terminal:
    assert seen.endswith(f"\r\x1b[Kremitctl: wrote {out} (html)\n")
    code, seen = _on_a_terminal(*args[:-1], str(tmp_path / "pack.md"), after="0")
    assert code == 0
    assert seen.split("…")[-2].endswith(f"writing {tmp_path / 'pack.md'}")
    code, quick = _on_a_terminal(*args, after="600")  # a run under the threshold: none
    assert code == 0
    assert "\x1b[K" not in quick
    assert quick.endswith(f"remitctl: wrote {out} (html)\n")
