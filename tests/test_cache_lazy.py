"""A cache hit reads only the blocks a question needs (registry/lazy.py), and answers
exactly as a registry read whole: the same JSON and text for who, now and gaps, and
dictionaries that behave, to every caller, as the dicts they stand for."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import operator
import pickle
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from remitctl.registry import cache
from remitctl.registry.lazy import is_waiting
from remitctl.registry.loader import load_registry
from remitctl.registry.model import Registry

from conftest import BUNDLED, ROOT

SPOTS = ("2026-11-28T23:30", "2026-12-25T10:00", "2026-03-29T01:30")


def _generated(tmp_path: Path, areas: int = 24, issues: int = 12) -> Path:
    spec = importlib.util.spec_from_file_location("remitctl_benchmarks_generate_lazy",
                                                  ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    path = tmp_path / "generated.yaml"
    path.write_text(module.generate(areas, issues, seed=3), encoding="utf-8")
    return path


@pytest.fixture(params=["bundled", "generated"])
def registry_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "bundled":
        path = tmp_path / "remits.yaml"
        path.write_bytes(BUNDLED.read_bytes())
        return path
    return _generated(tmp_path)


def _questions(registry: Registry) -> list[tuple[str, ...]]:
    area = next(iter(registry.areas))
    issue = next(iter(registry.issues.values()))
    out: list[tuple[str, ...]] = []
    for at in SPOTS:
        out += [("who", issue.title, "--json", "--at", at),
                ("who", issue.title, "-a", area, "--at", at),
                ("who", "barking dog", "--json", "-a", area, "--at", at),
                ("now", "--json", "--at", at), ("now", "-a", area, "--at", at),
                ("now", "--full", "--at", at)]
    out += [("gaps", "--json", "--from", "2026-11-23", "--days", "7"),
            ("gaps", "--json", "-a", area, "--from", "2026-12-20", "--days", "14")]
    return out


def test_partly_read_answers_are_the_whole_registrys(invoke, registry_file: Path,  # type: ignore[no-untyped-def]
                                                     clock) -> None:
    clock("2026-11-29T12:00")
    questions = _questions(load_registry(registry_file))
    whole = [invoke("--no-cache", *q, "-r", str(registry_file)) for q in questions]
    assert cache.load_with_status(registry_file)[1] == "stored"
    assert cache.load_with_status(registry_file)[1] == "hit"
    for question, fresh in zip(questions, whole, strict=True):
        assert fresh.exit_code in (0, 1), fresh.output
        lazy = invoke(*question, "-r", str(registry_file))
        assert (lazy.exit_code, lazy.stdout) == (fresh.exit_code, fresh.stdout), question


def _hit(path: Path) -> Registry:
    cache.load_with_status(path)
    registry, status = cache.load_with_status(path)
    assert status == "hit"
    return registry


def test_a_lookup_reads_only_the_blocks_it_needs(tmp_path: Path) -> None:
    from remitctl.cover.lookup import answers_for

    path = _generated(tmp_path, areas=60, issues=20)
    registry = _hit(path)
    assert is_waiting(registry.services) and is_waiting(registry.agencies)
    assert len(registry.services) == len(load_registry(path).services)  # known unread
    issue = next(iter(registry.issues.values()))
    area = next(iter(registry.areas))
    at = dt.datetime(2026, 11, 28, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    answers_for(registry, issue, area, at)
    waiting = sum(p is not None for p in registry.services._parts)  # type: ignore[attr-defined]
    assert waiting >= len(registry.services._parts) // 2  # type: ignore[attr-defined]
    assert is_waiting(registry.agencies)
    assert sum(is_waiting(i.cover) for i in registry.issues.values()) == len(registry.issues) - 1


OPERATIONS = {
    "len": len,
    "in": lambda d: [k in d for k in [*WHOLE, "no such key", 3]],
    "get": lambda d: [d.get(k, "none") for k in [*WHOLE, "no such key"]],
    "getitem": lambda d: [d[k] for k in WHOLE],
    "list": list,
    "reversed": lambda d: list(reversed(d)),
    "keys": lambda d: list(d.keys()),
    "values": lambda d: list(d.values()),
    "items": lambda d: list(d.items()),
    "dict": dict,
    "unpack": lambda d: {**d},
    "copy": lambda d: d.copy(),
    "or": lambda d: d | {},
    "ror": lambda d: {} | d,
    "equal": lambda d: (d == WHOLE, operator.eq(WHOLE, d), d != WHOLE),  # and reflected
    "deepcopy": copy.deepcopy,
    "pickle": lambda d: pickle.loads(pickle.dumps(d)),
    "repr": repr,
    "json": lambda d: json.dumps(list(d)),
    "setdefault": lambda d: (d.setdefault("new", None), dict(d)),
}
WHOLE: dict[str, object] = {}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("field", ["services", "agencies", "cover"])
def test_a_partly_read_dict_is_its_dict(tmp_path: Path, operation: str, field: str) -> None:
    path = _generated(tmp_path, areas=20, issues=4)
    full = load_registry(path)
    registry = _hit(path)

    def pick(reg: Registry) -> dict[str, object]:
        if field == "cover":
            return next(iter(reg.issues.values())).cover  # type: ignore[return-value]
        return getattr(reg, field)  # type: ignore[no-any-return]

    lazy, whole = pick(registry), pick(full)
    assert is_waiting(lazy)
    WHOLE.clear()
    WHOLE.update(whole)
    expected = OPERATIONS[operation](dict(whole))
    assert OPERATIONS[operation](lazy) == expected
