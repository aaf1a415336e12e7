"""The bundled registry loads and the officer's question gets an answer."""

from __future__ import annotations

from remitctl.registry.loader import load_registry

from conftest import BUNDLED


def test_bundled_registry_loads() -> None:
    registry = load_registry(BUNDLED)
    assert len(registry.issues) >= 15
    assert registry.timezone == "Europe/London"


def test_who_answers_from_bundled(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "barking dog", "--at", "2026-11-28T23:30", "-r", str(BUNDLED))
    assert result.exit_code == 0
    assert "Noise nuisance" in result.stdout
