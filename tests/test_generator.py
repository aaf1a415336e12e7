"""The benchmark generator writes registries that load, shaped like real ones."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from remitctl.registry.loader import parse_registry
from remitctl.registry.model import Registry

from conftest import ROOT


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("remitctl_benchmarks_generate",
                                                  ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


generate = _generator().generate


@pytest.fixture(scope="module")
def small() -> tuple[str, Registry]:
    text = generate(30, 24, seed=7)
    return text, parse_registry(text, "generated.yaml")


def test_a_small_generated_registry_loads_without_errors(small: tuple[str, Registry]) -> None:
    _, registry = small
    assert len(registry.areas) == 30
    assert len(registry.issues) == 24


def test_every_area_and_issue_type_has_two_to_four_lines(small: tuple[str, Registry]) -> None:
    _, registry = small
    for issue in registry.issues.values():
        for area in registry.areas:
            assert 2 <= len(issue.cover_for(area)) <= 4, (issue.id, area)


def test_shape_is_like_a_real_registry(small: tuple[str, Registry]) -> None:
    _, registry = small
    nations = Counter(registry.nation_for(a) for a in registry.areas)
    assert set(nations) == {"england-and-wales", "scotland", "northern-ireland"}
    kinds = Counter(a.kind for a in registry.agencies.values())
    assert kinds["district council"] and kinds["county council"] and kinds["unitary council"]
    # two-tier: one area's cover draws on its district council and on its county council
    two_tier = next(a for a in registry.areas.values() if "District (" in a.name)
    agencies = {ref.split("/")[0] for i in registry.issues.values()
                for ref in i.cover_for(two_tier.id)}
    assert any(a.endswith("-dc") for a in agencies) and any(a.endswith("-cc") for a in agencies)
    services = list(registry.services.values())
    office = Counter(s.hours for s in services if s.hours.startswith("Mo-"))
    assert office.most_common(1)[0][1] >= 10  # councils share office-hours patterns
    assert {"closed", "normal", "unknown", "00:00-24:00"} <= {s.bank_holidays for s in services}
    assert any(s.closures for s in services)
    assert any("-24:00" in s.hours or "03:00" in s.hours for s in services)  # out of hours
    assert any(i.policies for i in registry.issues.values())


def test_generation_is_deterministic_and_seeded() -> None:
    assert generate(6, 5, seed=3) == generate(6, 5, seed=3)
    assert generate(6, 5, seed=3) != generate(6, 5, seed=4)


def test_only_drama_numbers(small: tuple[str, Registry]) -> None:
    _, registry = small
    for service in registry.services.values():
        phone = service.contact.phone or ""
        assert phone.startswith(("01632 960", "07700 900")) and len(phone) == 12, phone


def test_more_issue_types_than_the_list_stay_unique() -> None:
    registry = parse_registry(generate(3, 70, seed=1), "many.yaml")
    assert len(registry.issues) == 70


def test_who_answers_on_a_generated_registry(invoke, tmp_path: Path,
                                             small: tuple[str, Registry]) -> None:  # type: ignore[no-untyped-def]
    text, registry = small
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    area = next(iter(registry.areas))
    result = invoke("who", "barking dog", "--area", area, "--at", "2026-11-28T23:30",
                    "-r", str(path), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["issue"]["id"] == "noise-nuisance"
    assert [a["area"]["id"] for a in doc["answers"]] == [area]


def test_a_national_registry_fits_within_the_loaders_limits() -> None:
    """The hostile-file limits must never refuse the national scale remitctl promises."""
    import yaml

    from remitctl.registry.loader import MAX_BYTES
    from remitctl.registry.yaml_source import MAX_VALUES

    text = generate()  # 400 areas × 60 issue types
    values = sum(1 for e in yaml.parse(text, Loader=yaml.CSafeLoader)
                 if isinstance(e, (yaml.ScalarEvent, yaml.CollectionStartEvent)))
    assert len(text.encode()) * 2 < MAX_BYTES
    assert values * 2 < MAX_VALUES
