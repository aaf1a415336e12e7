"""Options shared by every command, declared once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

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
    typer.Option("--at", "-t", help="When: now, 21:00 or 9pm (the next one), 'tonight 2am', "
                 "'sat 2am', +2h, 'in 2 hours', -2h, 'yesterday 23:00', '25/12 10:00' "
                 "(day first), '25 Dec 10:00', 2026-12-25T14:00.", show_default=False),
]
AreaOpt = Annotated[
    str | None,
    typer.Option("--area", "-a", help="Area: id or name, any case, a unique prefix will do; "
                 "comma-separate several, or 'all' (default: $REMITCTL_AREA, else every "
                 "area).",
                 envvar="REMITCTL_AREA", autocompletion=complete_area, show_default=False),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (documented, versioned) instead of text."),
]
IssueArg = Annotated[
    str, typer.Argument(help="Issue type: id, title or alias ('barking dog').",
                        autocompletion=complete_issue, show_default=False),
]
IssueWords = Annotated[
    list[str], typer.Argument(help="What happened, in your words: an issue id, title, alias "
                              "or plain words (loud music, dead body, edt); no quotes needed.",
                              autocompletion=complete_issue, show_default=False,
                              metavar="WORDS..."),
]
ShortOpt = Annotated[
    bool, typer.Option("--short", "-s", help="One line per area: status, whom to ring, "
                       "number, until when (for dispatchers)."),
]


F = TypeVar("F", bound=Enum)


def output_format(fmt: F | None, output: Path | None, json: bool, suffixes: dict[str, F],
                  default: F) -> F:
    """The format asked for: --json, else --format, else the -o file's extension, else
    `default` (each report command's Format enum has a member "json")."""
    from remitctl.cli.session import usage_error

    formats = type(default)
    if json and fmt is not None and fmt.value != "json":
        usage_error(f"--json and --format {fmt.value} disagree; give one of them")
    if json:
        return formats("json")
    if fmt is not None:
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in suffixes:
            usage_error(f"cannot tell the format of {output.name!r} from its extension",
                        "add --format " + "|".join(str(m.value) for m in formats))
        return suffixes[suffix]
    return default
