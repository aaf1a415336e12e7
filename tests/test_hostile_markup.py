"""Registry text in every Markdown and GitHub output is shown, never obeyed (issue 18).

`diff --format markdown` is posted as a pull-request comment and may be printed in a CI
log; `gaps` and `evidence` Markdown go into meeting reports; `validate --format github`
is read by the Actions runner. Registry text (names, titles, notes, reasons) holding
newlines, workflow commands, HTML and Markdown must not start a line of its own, become
a tag, a link, an image or a heading, or be read as a workflow command.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from corpus import yaml_str

# Each payload tries every trick at once; the label keeps names distinct (titles are names).
PAYLOAD = ("{label}\n::error file=remits.yaml,line=1::forged\nFAKE-VERDICT: This change opens "
           "no new gaps in cover.\n# FAKE-HEADING\n- FAKE-ITEM\n<script>alert(1)</script> "
           "<svg onload=alert(2)> <img src=x onerror=alert(3)> [FAKE-LINK](https://evil.example)"
           " ![FAKE-IMAGE](https://evil.example/x.png) | FAKE | cell | **bold** `code` ```fence"
           "\r\n%0A::warning::percent\u2028::notice::separator")
TAGS = re.compile(r"<\s*/?\s*(script|svg|img)\b", re.IGNORECASE)


def hostile(label: str) -> str:
    return yaml_str(PAYLOAD.format(label=label))


def registry(notes: str = "Notes") -> str:
    return f"""\
version: 1
name: {hostile("Registry")}
timezone: Europe/London
bank_holidays: england-and-wales
areas:
  east: {{name: {hostile("East")}}}
  west: {{name: {hostile("West")}}}
agencies:
  police:
    name: {hostile("Police")}
    services:
      control-room:
        name: {hostile("Control")}
        contact: {{phone: "01632 960000"}}
        hours: "24/7"
        notes: {hostile(notes)}
  council:
    name: {hostile("Council")}
    closures:
      - {{from: 2026-12-01, to: 2026-12-02, reason: {hostile("Reason")}}}
    services:
      office:
        name: {hostile("Office")}
        contact: {{phone: "01632 960100"}}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
        notes: {hostile(notes)}
issues:
  noise:
    title: {hostile("Noise")}
    aliases: [loud music]
    cover:
      default: [council/office]
    fallback: police/control-room
    policy: {{max_gap_hours: 1}}
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {"old": tmp_path / "old.yaml", "new": tmp_path / "new.yaml",
           "incidents": tmp_path / "incidents.csv"}
    out["old"].write_text(registry(), encoding="utf-8")
    out["new"].write_text(registry("Changed").replace('"Mo-Fr 09:00-17:00"', '"Mo-Fr 09:00-16:00"'),
                          encoding="utf-8")
    out["incidents"].write_text(
        "time,issue,area\n2026-11-30T20:00,noise,east\n2026-11-30T21:00,noise,west\n"
        '2026-11-30T22:00,"<script>alert(4)</script>\n::error::row",east\n', encoding="utf-8")
    return out


MARKDOWN = {
    "diff": ["diff", "--format", "markdown", "--as-of", "2026-11-26", "{old}", "{new}"],
    "diff reversed": ["diff", "--format", "markdown", "--as-of", "2026-11-26", "{new}", "{old}"],
    "gaps": ["gaps", "--format", "markdown", "--from", "2026-11-30", "--days", "3",
             "-r", "{new}"],
    "gaps week": ["gaps", "--format", "markdown", "--week", "-r", "{new}"],
    "evidence": ["evidence", "{incidents}", "--format", "markdown", "-r", "{new}"],
}


def _run(invoke, argv: list[str], files: dict[str, Path]):  # type: ignore[no-untyped-def]
    result = invoke(*[a.format(**{k: str(v) for k, v in files.items()}) for a in argv])
    assert result.exit_code in (0, 1), result.output
    return result


def _tokens(text: str) -> list:  # type: ignore[type-arg]
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    out = []
    for token in md.parse(text):
        out.append(token)
        out += token.children or []
    return out


@pytest.mark.parametrize("name", MARKDOWN)
def test_markdown_shows_registry_text_and_obeys_none_of_it(
        invoke, files: dict[str, Path], name: str) -> None:  # type: ignore[no-untyped-def]
    out = _run(invoke, MARKDOWN[name], files).stdout
    assert "Noise" in out  # the registry's text is there
    for line in out.splitlines():
        assert not line.lstrip().startswith(("::", "FAKE", "%0A")), line
    assert TAGS.search(out) is None
    tokens = _tokens(out)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "image", "link_open"}, kinds
    # The only HTML is remitctl's own <code> around a value.
    assert {t.content for t in tokens if t.type == "html_inline"} <= {"<code>", "</code>"}
    for n, t in enumerate(tokens):
        if t.type == "heading_open":
            assert not tokens[n + 1].content.startswith("FAKE")
        if t.type == "list_item_open":
            assert not tokens[n + 2].content.startswith("FAKE")
    # Shown as the reader should see it: the tags and brackets as text, not markup.
    shown = " ".join(t.content for t in tokens if t.type in ("text", "code_inline", "fence"))
    assert "<script>alert(1)</script>" in shown or name.startswith("gaps")
    assert "[FAKE-LINK](https://evil.example)" in shown or name.startswith("gaps")


def test_a_table_row_keeps_its_columns(invoke, files: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    out = _run(invoke, MARKDOWN["diff"], files).stdout
    rows = [ln for ln in out.splitlines() if ln.startswith("| Noise")]
    assert rows
    header = next(ln for ln in out.splitlines() if ln.startswith("| issue type"))
    unescaped = lambda line: len(re.findall(r"(?<!\\)\|", line))  # noqa: E731
    assert all(unescaped(r) == unescaped(header) for r in rows)


COMMAND = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def test_github_annotations_carry_registry_text_as_one_command_each(
        invoke, files: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """Many warnings (every line unverified, the policy breached): ten become annotations
    and the rest are listed; no line of either kind can be read as another command."""
    result = _run(invoke, ["validate", "--format", "github", "--as-of", "2027-01-05",
                           str(files["new"])], files)
    lines = result.stdout.splitlines()
    commands = [ln for ln in lines if ln.lstrip().startswith("::")]
    assert commands
    for line in commands:
        match = COMMAND.fullmatch(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match.group(2).split(","))
        assert set(props) <= {"file", "line", "col", "title"}
        assert "\n" not in match.group(3) and "\r" not in match.group(3)
    for line in lines:
        assert not line.lstrip().startswith(("FAKE", "#")), line
    decoded = " ".join(c.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":")
                       .replace("%2C", ",").replace("%25", "%") for c in commands)
    assert "closure 'Reason\\n::error file=remits.yaml" in decoded  # the past closure


def test_github_lines_that_are_not_commands_never_start_one(
        invoke, files: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    from remitctl.registry.checks import FileReport
    from remitctl.registry.problems import Problem
    from remitctl.render.problems import github

    text = PAYLOAD.format(label="Message")
    problems = tuple(Problem("a::b.yaml", n + 1, 1, "warning", text, text, "x")
                     for n in range(15))
    out = github([FileReport("a::b.yaml", problems)], limit=4)
    for line in out.splitlines():
        if line.startswith("::"):
            assert COMMAND.fullmatch(line), line
        else:
            assert "::" not in line, line
            assert not line.lstrip().startswith(("FAKE", "#")), line
