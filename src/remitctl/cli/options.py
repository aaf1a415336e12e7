"""Options shared by every command, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from remitctl.cli.completion import complete_area, complete_issue

RegistryOpt = Annotated[
    Path | None,
    typer.Option("--registry", "-r", help="Registry file. Default: $REMITCTL_REGISTRY, "
                 "./remits.yaml, else the bundled sample.", show_default=False,
                 dir_okay=True, resolve_path=False),
]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", help="When: now, 21:00, 'fri 21:00', 'tomorrow 08:00', 2026-12-25T14:00.",
                 show_default=False),
]
AreaOpt = Annotated[
    str | None,
    typer.Option("--area", "-a", help="Area id (default: $REMITCTL_AREA; else every area).",
                 envvar="REMITCTL_AREA", autocompletion=complete_area, show_default=False),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (documented, versioned) instead of text."),
]
IssueArg = Annotated[
    str, typer.Argument(help="Issue type: id, title or alias ('barking dog').",
                        autocompletion=complete_issue, show_default=False),
]
