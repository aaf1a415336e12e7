"""`schema`: the registry's JSON Schema, for editors with the YAML language server."""

from __future__ import annotations

import typer

from remitctl.cli.session import print_json


def schema() -> None:
    """Print the JSON Schema of remits.yaml, generated from the models that validate it,
    with a description and examples for every key. Point an editor at it with a first
    line `# yaml-language-server: $schema=./remits.schema.json` to get completion and
    checks as you type.

    Example: remitctl schema > remits.schema.json
    """
    from remitctl.registry.schema import json_schema

    print_json(json_schema())


def register(app: typer.Typer) -> None:
    app.command()(schema)
