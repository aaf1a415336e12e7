"""`remitctl schema`: the committed JSON Schema is current, documented, and agrees with the
registry when checked by an independent validator."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from remitctl.registry.yaml_source import read_yaml

from conftest import BUNDLED, ROOT

COMMITTED = ROOT / "remits.schema.json"


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _bundled_data() -> dict[str, Any]:
    # Read as the YAML language server reads it (YAML 1.2: dates and 17:30 stay text).
    doc, problems = read_yaml(BUNDLED.read_text(encoding="utf-8"), "remits.yaml")
    assert problems == []
    data: dict[str, Any] = doc.data
    return data


@pytest.fixture(scope="module")
def emitted() -> dict[str, Any]:
    from typer.testing import CliRunner

    from remitctl.cli import app

    result = CliRunner().invoke(app, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_committed_schema_is_the_emitted_one(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("schema")
    assert result.exit_code == 0
    assert result.stdout == COMMITTED.read_text(encoding="utf-8"), (
        "remits.schema.json is stale: run `remitctl schema > remits.schema.json`")


def test_bundled_registry_points_editors_at_the_schema() -> None:
    first = BUNDLED.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./remits.schema.json"


def test_bundled_registry_validates_against_the_schema(emitted: dict[str, Any]) -> None:
    errors = [e.message for e in _validator(emitted).iter_errors(_bundled_data())]
    assert errors == []


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = [("registry", name, prop) for name, prop in schema["properties"].items()]
    for model, definition in schema["$defs"].items():
        out += [(model, name, prop) for name, prop in definition.get("properties", {}).items()]
    return out


def test_every_key_has_a_description_and_examples(emitted: dict[str, Any]) -> None:
    props = _properties(emitted)
    assert len(props) > 30
    lacking = [f"{model}.{name}" for model, name, prop in props
               if not prop.get("description") or not prop.get("examples")]
    assert lacking == []


def test_examples_are_valid_for_their_own_key(emitted: dict[str, Any]) -> None:
    validator = _validator(emitted)
    for model, name, prop in _properties(emitted):
        sub = {**prop, "$defs": emitted["$defs"]}
        for example in prop["examples"]:
            errors = [e.message for e in validator.evolve(schema=sub).iter_errors(example)]
            assert errors == [], f"{model}.{name}: example {example!r}"


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["agencies"]["police"]["services"]["control-room"].update(hour="24/7"),
     "Additional properties are not allowed ('hour' was unexpected)"),
    (lambda d: d["issues"]["gas-leak"].update(fallback="police control room"),
     "'police control room' does not match"),
    (lambda d: d["areas"].update({"North Moor": {"name": "x"}}),
     "'North Moor' does not match"),
    (lambda d: d.update(version=2), "1 was expected"),
    (lambda d: d["agencies"]["police"]["services"]["custody"].pop("contact"),
     "'contact' is a required property"),
    (lambda d: d["agencies"]["north-moor-dc"]["closures"][0].update({"to": "2026-13-01"}),
     "'2026-13-01' is not a 'date'"),
])
def test_schema_catches_mistakes_as_they_are_typed(emitted: dict[str, Any], change: Any,
                                                   expected: str) -> None:
    data = copy.deepcopy(_bundled_data())
    change(data)
    messages = [e.message for e in _validator(emitted).iter_errors(data)]
    assert any(expected in m for m in messages), messages
