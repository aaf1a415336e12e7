"""`@record` makes the same frozen dataclass as `@dataclass(frozen=True)`, cheaper."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from remitctl.record import record
from remitctl.registry.model import Contact, Issue
from remitctl.registry.problems import Problem


@dataclasses.dataclass(frozen=True, order=True)
class Plain:
    a: int
    b: tuple[str, ...] = ()
    c: str | None = dataclasses.field(default=None, compare=False)
    d: list[int] = dataclasses.field(default_factory=list, repr=False, hash=False)


@record(order=True)
class Made:
    a: int
    b: tuple[str, ...] = ()
    c: str | None = dataclasses.field(default=None, compare=False)
    d: list[int] = dataclasses.field(default_factory=list, repr=False, hash=False)


VALUES = [(1, ("x",), "c"), (1, ("x",), "other"), (2, (), None), (1, ("y",), None)]


def _both(a: int, b: tuple[str, ...], c: str | None) -> tuple[Plain, Made]:
    return Plain(a, b, c), Made(a, b, c)


def test_equality_hash_order_and_repr_are_the_dataclasss() -> None:
    pairs = [_both(*v) for v in VALUES]
    for p1, m1 in pairs:
        assert repr(m1) == repr(p1).replace("Plain(", "Made(")
        assert hash(m1) == hash(p1)
        for p2, m2 in pairs:
            assert (m1 == m2, m1 != m2) == (p1 == p2, p1 != p2)
            assert (m1 < m2, m1 <= m2, m1 > m2, m1 >= m2) == (p1 < p2, p1 <= p2, p1 > p2,
                                                            p1 >= p2)
    assert Made(1) != Plain(1) and Made(1) != (1, ())
    with pytest.raises(TypeError):
        _ = Made(1) < Plain(1)  # type: ignore[operator]


def test_frozen_fields_replace_copy_and_pickle() -> None:
    made = Made(1, ("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.a = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.a  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(made)] == ["a", "b", "c", "d"]
    assert dataclasses.replace(made, a=3) == Made(3, ("x",))
    assert dataclasses.asdict(made) == {"a": 1, "b": ("x",), "c": None, "d": []}
    assert copy.deepcopy(made) == made and pickle.loads(pickle.dumps(made)) == made
    assert Made.__match_args__ == ("a", "b", "c", "d")


def test_the_models_records_compare_by_value() -> None:
    issue = Issue("noise", "Noise", ("loud music",), None, None, {"default": ("a/b",)}, None)
    assert issue == dataclasses.replace(issue)
    assert issue != dataclasses.replace(issue, title="Loud")
    assert hash(Contact(phone="01632 960000")) == hash(Contact(phone="01632 960000"))
    assert repr(Contact()) == "Contact(phone=None, email=None, web=None, other=None)"
    first = Problem("a.yaml", 1, 1, "error", "x")
    assert sorted([Problem("a.yaml", 2, 1, "error", "x"), first])[0] == first
