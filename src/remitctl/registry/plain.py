"""The registry as plain JSON data and back, for the compiled cache.

The cache stores this, never a pickle: reading it can only ever build the registry's
own dataclasses, each value checked against the type the model declares. Anything
else (a missing table, a wrong type, an index out of range, a bad date) raises
`Unfit`, and the cache treats the entry as absent.

The data is by columns: one table per dataclass (Service, Contact, Issue, ...), each a
list of columns in field order; a record refers to another by its row number, and the
tuples of ids the model repeats (cover lists, aliases) are kept once each. A national
registry (400 areas, 6,000 service lines) is then about a megabyte of JSON that
`json.loads` reads in C, and each column is checked and converted in one pass rather
than value by value.

The shape follows the model's type hints, so a field that another change adds to
`registry/model.py` is carried without touching this file; a type it cannot carry
makes `to_plain` raise, and such a registry is simply not cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections import deque
from itertools import chain, repeat
from typing import Any

from remitctl.registry import model

FORMAT = "remitctl/registry-columns/v1"

# How a field is stored: a kind, plus the dataclass or scalar types involved.
SCALAR, DATE, RECORD, RECORDS, WORDS, RECORD_MAP, WORDS_MAP, JSON = range(8)
_SCALARS = {str: (str,), int: (int,), bool: (bool,), float: (int, float), type(None): ()}


class Unfit(ValueError):
    """Data that is not a registry of this model (or a value the cache cannot carry)."""


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    kind: int
    optional: bool
    types: tuple[type, ...] = ()  # SCALAR: the Python types allowed
    record: type | None = None  # RECORD, RECORDS, RECORD_MAP: the dataclass


def _fields_of(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls, vars(model))
    return tuple(_field(f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _field(name: str, tp: Any) -> _Field:
    optional = False
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        rest = tuple(a for a in args if a is not type(None))
        optional = len(rest) < len(args)
        if len(rest) == 1:
            tp = rest[0]
            origin, args = typing.get_origin(tp), typing.get_args(tp)
        elif all(a in _SCALARS for a in rest):
            return _Field(name, SCALAR, optional, tuple(t for a in rest for t in _SCALARS[a]))
        else:
            raise TypeError(f"the cache cannot carry {name}: {tp}")
    if tp in _SCALARS:
        return _Field(name, SCALAR, optional or tp is type(None), _SCALARS[tp])
    if tp is dt.date:
        return _Field(name, DATE, optional)
    if tp is object or tp is Any:
        return _Field(name, JSON, optional)
    if _is_record(tp):
        return _Field(name, RECORD, optional, record=tp)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if _is_record(args[0]):
            return _Field(name, RECORDS, optional, record=args[0])
        if args[0] is str:
            return _Field(name, WORDS, optional)
    if origin is dict and args and args[0] is str:
        value = args[1]
        if _is_record(value):
            return _Field(name, RECORD_MAP, optional, record=value)
        if typing.get_origin(value) is tuple and typing.get_args(value) == (str, Ellipsis):
            return _Field(name, WORDS_MAP, optional)
        if value is object or value is Any:
            return _Field(name, JSON, optional)
    raise TypeError(f"the cache cannot carry {name}: {tp}")


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


_layouts: dict[type, tuple[_Field, ...]] = {}


def _layout(cls: type) -> tuple[_Field, ...]:
    found = _layouts.get(cls)
    if found is None:
        found = _layouts[cls] = _fields_of(cls)
    return found


# -- writing ---------------------------------------------------------------------------------


def to_plain(registry: model.Registry) -> dict[str, Any]:
    """`registry` as JSON-ready data; Unfit (or TypeError) if some value cannot be stored."""
    tables: dict[str, dict[str, Any]] = {}
    rows: dict[int, int] = {}  # id(record) → its row, so a shared record is stored once
    words: dict[tuple[str, ...], int] = {}
    keep: list[object] = []  # keeps every record alive, so no id is reused meanwhile

    def word_row(value: Any) -> int:
        if type(value) is not tuple or not all(type(w) is str for w in value):
            raise Unfit(f"not a tuple of text: {value!r}")
        return words.setdefault(value, len(words))

    def record_row(value: Any, cls: type) -> int:
        if type(value) is not cls:
            raise Unfit(f"expected {cls.__name__}, found {type(value).__name__}")
        found = rows.get(id(value))
        if found is not None:
            return found
        layout = _layout(cls)
        table = tables.setdefault(cls.__name__, {"fields": [f.name for f in layout],
                                                 "columns": [[] for _ in layout]})
        cells = [cell(getattr(value, f.name), f) for f in layout]
        row = len(table["columns"][0]) if layout else 0
        for column, item in zip(table["columns"], cells, strict=True):
            column.append(item)
        rows[id(value)] = row
        keep.append(value)
        return row

    def cell(value: Any, f: _Field) -> Any:
        if value is None and f.optional:
            return None
        if f.kind == SCALAR:
            if type(value) not in f.types:
                raise Unfit(f"{f.name}: {type(value).__name__} cannot be stored")
            return value
        if f.kind == DATE:
            if type(value) is not dt.date:
                raise Unfit(f"{f.name}: not a date")
            return value.isoformat()
        assert f.record is not None or f.kind in (WORDS, WORDS_MAP, JSON)
        if f.kind == RECORD:
            return record_row(value, f.record)  # type: ignore[arg-type]
        if f.kind == RECORDS:
            if type(value) is not tuple:
                raise Unfit(f"{f.name}: not a tuple")
            return [record_row(v, f.record) for v in value]  # type: ignore[arg-type]
        if f.kind == WORDS:
            return word_row(value)
        if type(value) is not dict or not all(type(k) is str for k in value):
            raise Unfit(f"{f.name}: not a mapping of text keys")
        if f.kind == RECORD_MAP:
            return [list(value), [record_row(v, f.record) for v in value.values()]]  # type: ignore[arg-type]
        if f.kind == WORDS_MAP:
            return [list(value), [word_row(v) for v in value.values()]]
        return value  # JSON: the cache checks that it comes back equal

    root = record_row(registry, model.Registry)
    return {"format": FORMAT, "root": root, "words": [list(w) for w in words],
            "tables": tables}


# -- reading ---------------------------------------------------------------------------------


def registry_from_plain(data: Any) -> model.Registry:
    """The Registry that `to_plain` made `data` from; Unfit if `data` is anything else."""
    try:
        if type(data) is not dict or data.get("format") != FORMAT:
            raise Unfit("not a registry of this format")
        reader = _Reader(data)
        registries = reader.table(model.Registry)
        root = data.get("root")
        if type(root) is not int or not 0 <= root < len(registries):
            raise Unfit("no registry")
        result = registries[root]
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise Unfit(str(exc)) from None
    assert isinstance(result, model.Registry)
    return result


def _types_in(column: list[Any]) -> set[type]:
    return set(map(type, column))


class _Reader:
    def __init__(self, data: dict[str, Any]) -> None:
        tables, words = data.get("tables"), data.get("words")
        if type(tables) is not dict or type(words) is not list:
            raise Unfit("no tables")
        self.tables = tables
        if _types_in(words) - {list} or _types_in(list(chain.from_iterable(words))) - {str}:
            raise Unfit("words are not lists of text")
        self.words = list(map(tuple, words))
        self.done: dict[type, list[Any]] = {}

    def table(self, cls: type) -> list[Any]:
        found = self.done.get(cls)
        if found is not None:
            return found
        layout = _layout(cls)
        table = self.tables.get(cls.__name__)
        if table is None:  # no record of this kind: any reference to one is out of range
            self.done[cls] = []
            return []
        if type(table) is not dict or table.get("fields") != [f.name for f in layout]:
            raise Unfit(f"no table of {cls.__name__} with this model's fields")
        columns = table.get("columns")
        if type(columns) is not list or len(columns) != len(layout) or \
                _types_in(columns) - {list} or len({len(c) for c in columns}) > 1:
            raise Unfit(f"{cls.__name__}: columns do not line up")
        values = [self.column(column, f) for column, f in zip(columns, layout, strict=True)]
        names = [f.name for f in layout]
        count = len(columns[0]) if columns else 0
        states = map(dict, map(zip, repeat(names), zip(*values, strict=True)))
        if not hasattr(cls, "__post_init__") and "__slots__" not in vars(cls):
            # A frozen dataclass without __post_init__: filling the instance's dict is
            # all its __init__ does; done here in C, a national registry's 15,000
            # records take a few milliseconds.
            records: list[Any] = list(map(object.__new__, repeat(cls, count)))
            deque(map(object.__setattr__, records, repeat("__dict__"), states), maxlen=0)
        else:
            records = [cls(**state) for state in states]
        self.done[cls] = records
        return records

    def column(self, column: list[Any], f: _Field) -> list[Any]:
        present = _types_in(column)
        nulls = type(None) in present
        if f.optional:
            present.discard(type(None))
        if f.kind == SCALAR:
            if present - set(f.types):
                raise Unfit(f"{f.name}: wrong type")
            if float in f.types and int in present:
                return [float(v) if type(v) is int else v for v in column]
            return column
        if f.kind == JSON:
            return column  # json.loads makes nothing but JSON values
        if f.kind == DATE:
            if present - {str}:
                raise Unfit(f"{f.name}: not a date")
            iso = dt.date.fromisoformat
            return [None if v is None else iso(v) for v in column]
        if f.kind in (RECORD, WORDS):
            if present - {int}:
                raise Unfit(f"{f.name}: not a row")
            target = self.words if f.kind == WORDS else self.table(f.record)  # type: ignore[arg-type]
            rows = _rows(column)
            if nulls:
                return [None if v is None else target[v] for v in rows]
            return list(map(target.__getitem__, rows))
        if f.kind == RECORDS:
            if present - {list}:
                raise Unfit(f"{f.name}: not a list of rows")
            lists = [v for v in column if v is not None] if nulls else column
            flat = list(chain.from_iterable(lists))
            if _types_in(flat) - {int}:
                raise Unfit(f"{f.name}: not a list of rows")
            _rows(flat)
            get = self.table(f.record).__getitem__  # type: ignore[arg-type]
            made = map(tuple, map(map, repeat(get), lists))
            if nulls:
                it = iter(made)
                return [None if v is None else next(it) for v in column]
            return list(made)
        # RECORD_MAP, WORDS_MAP: [keys, rows] pairs
        if present - {list}:
            raise Unfit(f"{f.name}: not a mapping")
        for v in column:
            if v is None:
                continue
            if len(v) != 2 or type(v[0]) is not list or type(v[1]) is not list or \
                    len(v[0]) != len(v[1]) or _types_in(v[0]) - {str} or \
                    _types_in(v[1]) - {int}:
                raise Unfit(f"{f.name}: not a mapping of rows")
            _rows(v[1])
        target = self.words if f.kind == WORDS_MAP else self.table(f.record)  # type: ignore[arg-type]
        get = target.__getitem__
        return [None if v is None else dict(zip(v[0], map(get, v[1]), strict=True))
                for v in column]


def _rows(column: list[Any]) -> list[Any]:
    """`column` of row numbers (or None), refused if any is negative (it would index from
    the end); one past the end raises IndexError, which the caller turns into Unfit."""
    if min((v for v in column if v is not None), default=0) < 0:
        raise Unfit("negative row")
    return column
