"""`@record`: `@dataclass(frozen=True)` at half the cost of making the class.

A dataclass writes each method it adds as source text and compiles it when its module
is imported: about 0.1 ms a method, six methods a frozen class, and a lookup imports
some thirty of them (a sixth of its start-up). `record` lets dataclasses write only
`__init__` and the frozen `__setattr__`/`__delattr__`, and gives `__eq__`, `__hash__`
and `__repr__` as closures over the field names, made from code compiled once with
this module: the same results as the dataclass's own (equal when the class and every
compared field are equal; the hash of the fields' tuple; `Name(field=value, ...)`).
Everything else is the dataclass's: fields(), replace(), asdict(), match arguments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True)
def record(cls: Any = None, /, *, order: bool = False) -> Any:
    """A frozen dataclass (`order`: with <, <=, > and >= as dataclass makes them)."""
    if cls is None:
        return lambda c: _make(c, order)
    return _make(cls, order)


def _make(cls: type[T], order: bool) -> type[T]:
    made = dataclasses.dataclass(frozen=True, eq=False, repr=False, order=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    shown = tuple(f.name for f in fields if f.repr)
    own = vars(made)
    if "__eq__" not in own:
        made.__eq__ = _eq(compared)  # type: ignore[method-assign]
    if "__hash__" not in own or own["__hash__"] is None:
        made.__hash__ = _hash(hashed)  # type: ignore[assignment,method-assign]
    if "__repr__" not in own:
        made.__repr__ = _repr(shown)  # type: ignore[method-assign]
    if order:
        for name, test in (("__lt__", tuple.__lt__), ("__le__", tuple.__le__),
                           ("__gt__", tuple.__gt__), ("__ge__", tuple.__ge__)):
            setattr(made, name, _compare(compared, test))
    return made


def _values(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    def values(obj: object) -> tuple[Any, ...]:
        return tuple([getattr(obj, n) for n in names])

    return values


def _eq(names: tuple[str, ...]) -> Callable[[object, object], bool]:
    values = _values(names)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(names: tuple[str, ...]) -> Callable[[object], int]:
    values = _values(names)

    def __hash__(self: object) -> int:
        return hash(values(self))

    return __hash__


def _repr(names: tuple[str, ...]) -> Callable[[object], str]:
    import reprlib

    @reprlib.recursive_repr()
    def __repr__(self: object) -> str:
        inner = ", ".join([f"{n}={getattr(self, n)!r}" for n in names])
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _compare(names: tuple[str, ...], test: Callable[[Any, Any], bool]
             ) -> Callable[[object, object], Any]:
    values = _values(names)

    def compare(self: object, other: object) -> Any:  # a bool, or NotImplemented
        if other.__class__ is self.__class__:
            return test(values(self), values(other))
        return NotImplemented

    return compare
