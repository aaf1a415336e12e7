"""What the search says when it does not answer: a choice between two close issue types
("Did you mean A or B?", with the commands to run), and the issues officers most often need
when nothing matched. Registry text is shown, never obeyed (rich Text, not markup)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from remitctl.cover.search import Match
from remitctl.registry.model import Issue
from remitctl.render.words import safe


def command(issue: Issue, options: Sequence[str]) -> str:
    """The exact command that asks again for this issue type, with the same options."""
    return " ".join(shlex.quote(a) for a in ("remitctl", "who", issue.id, *options))


def choice(match: Match, options: Sequence[str]) -> RenderableType:
    """'Did you mean A or B?' and a command for each, the better-scoring one first."""
    picks = match.choice
    head = Text("Did you mean ", style="bold")
    for n, issue in enumerate(picks):
        if n:
            head.append(" or ")
        head.append(safe(issue.title), style="bold")
    head.append("?  ", style="bold")
    head.append(f"(the words fit both about equally: {safe(repr(match.query))})", style="dim")
    rows: list[RenderableType] = [head]
    width = max(len(command(i, options)) for i in picks)
    for issue in picks:
        line = Text("  " + command(issue, options).ljust(width))
        why = match.because.get(issue.id)
        why = None if why == issue.title else why
        line.append(f"   {safe(issue.title)}" + (f" — {safe(why)}" if why else ""), style="dim")
        rows.append(line)
    return Group(*rows)


def common_lines(issues: Sequence[Issue]) -> list[str]:
    """One line per issue type: its id padded, then its title (for stderr)."""
    width = max((len(i.id) for i in issues), default=0)
    return [f"    remitctl who {safe(i.id).ljust(width)}   {safe(i.title)}" for i in issues]
