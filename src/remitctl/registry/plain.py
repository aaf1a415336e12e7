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

For the cache, the fields in DEFERRED (the registry's service lines and agencies, each
issue type's cover) can be stored in blocks apart (`to_plain(..., put)`) and read back
as dicts that fill themselves only as far as they are used (registry/lazy.py).

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
from collections.abc import Callable
from itertools import chain, repeat
from typing import Any

from remitctl.record import record
from remitctl.registry import model
from remitctl.registry.lazy import Rows, Whole, bucket, is_waiting
from remitctl.registry.lazy import Unfit as Unfit  # raised here; the cache catches it

FORMAT = "remitctl/registry-columns/v1"
BLOCKS = "remitctl/registry-blocks/v1"  # FORMAT with the DEFERRED fields in blocks apart
# Fields a lookup needs only a little of, read from the cache only as far as it asks
# (registry/lazy.py): a national registry's 6,000 service lines and each issue type's
# lines in 400 areas. Every other field, and every field added later, is read whole.
DEFERRED = frozenset({("Registry", "services"), ("Registry", "agencies"), ("Issue", "cover")})
CHUNK = 32  # rows in a block of a deferred map of records
Put = Callable[[Any], Any]  # keeps a JSON document as a block; returns a reference to it
Fetch = Callable[[Any], Any]  # the JSON document a reference names, or Unfit

# How a field is stored: a kind, plus the dataclass or scalar types involved.
SCALAR, DATE, RECORD, RECORDS, WORDS, RECORD_MAP, WORDS_MAP, JSON = range(8)
_SCALARS = {str: (str,), int: (int,), bool: (bool,), float: (int, float), type(None): ()}


@record
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


def to_plain(registry: model.Registry, put: Put | None = None) -> dict[str, Any]:
    """`registry` as JSON-ready data; Unfit (or TypeError) if some value cannot be stored.

    With `put`, each field in DEFERRED is stored apart: `put(doc)` keeps a JSON document
    as a block of its own and returns a reference to it (see registry/cache.py), and the
    field holds the references: a record map in blocks of about CHUNK rows by
    `lazy.bucket(key)`, a map of words in one block."""
    writer = _Writer(put)
    root = writer.record_row(registry, model.Registry, [])
    return writer.doc(root)


class _Writer:
    def __init__(self, put: Put | None) -> None:
        self.put = put
        self.tables: dict[str, dict[str, Any]] = {}
        self.rows: dict[int, int] = {}  # id(record) → its row, so a shared record is stored once
        self.words: dict[tuple[str, ...], int] = {}
        self.keep: list[object] = []  # keeps every record alive, so no id is reused meanwhile

    def doc(self, root: Any) -> dict[str, Any]:
        return {"format": BLOCKS if self.put else FORMAT, "root": root,
                "words": [list(w) for w in self.words], "tables": self.tables}

    def word_row(self, value: Any) -> int:
        if type(value) is not tuple or not all(type(w) is str for w in value):
            raise Unfit(f"not a tuple of text: {value!r}")
        return self.words.setdefault(value, len(self.words))

    def record_row(self, value: Any, cls: type, path: list[Any]) -> int:
        if type(value) is not cls:
            raise Unfit(f"expected {cls.__name__}, found {type(value).__name__}")
        found = self.rows.get(id(value))
        if found is not None:
            return found
        layout = _layout(cls)
        table = self.tables.setdefault(cls.__name__, {"fields": [f.name for f in layout],
                                                      "columns": [[] for _ in layout]})
        cells = [self.cell(getattr(value, f.name), f, cls, [*path, f.name]) for f in layout]
        row = len(table["columns"][0]) if layout else 0
        for column, item in zip(table["columns"], cells, strict=True):
            column.append(item)
        self.rows[id(value)] = row
        self.keep.append(value)
        return row

    def cell(self, value: Any, f: _Field, cls: type, path: list[Any]) -> Any:
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
            return self.record_row(value, f.record, path)  # type: ignore[arg-type]
        if f.kind == RECORDS:
            if type(value) is not tuple:
                raise Unfit(f"{f.name}: not a tuple")
            return [self.record_row(v, f.record, [*path, n])  # type: ignore[arg-type]
                    for n, v in enumerate(value)]
        if f.kind == WORDS:
            return self.word_row(value)
        if not isinstance(value, dict) or not all(type(k) is str for k in value):
            raise Unfit(f"{f.name}: not a mapping of text keys")
        if self.put is not None and (cls.__name__, f.name) in DEFERRED:
            return self.deferred(value, f, path)
        if f.kind == RECORD_MAP:
            return [list(value), [self.record_row(v, f.record, [*path, k])  # type: ignore[arg-type]
                                  for k, v in value.items()]]
        if f.kind == WORDS_MAP:
            return [list(value), [self.word_row(v) for v in value.values()]]
        if type(value) is not dict:
            raise Unfit(f"{f.name}: not a dict")
        return value  # JSON: the cache checks that it comes back equal

    def deferred(self, value: dict[str, Any], f: _Field, path: list[Any]) -> Any:
        """A deferred field's cell: [count, [block refs], path] for a map of records,
        [block ref, path] for a map of words; the path leads from the registry to the
        field, to find it again in a registry parsed afresh."""
        assert self.put is not None
        if f.kind == RECORD_MAP:
            keys = list(value)
            buckets = max(1, -(-len(keys) // CHUNK))
            groups: list[list[int]] = [[] for _ in range(buckets)]
            for at, key in enumerate(keys):
                groups[bucket(key, buckets)].append(at)
            refs = []
            for group in groups:
                inner = _Writer(None)
                root = [inner.record_row(value[keys[at]], f.record, [])  # type: ignore[arg-type]
                        for at in group]
                refs.append(self.put({**inner.doc(root), "keys": [keys[at] for at in group],
                                      "at": group}))
            return [len(keys), refs, path]
        if f.kind == WORDS_MAP:
            inner = _Writer(None)
            rows = [inner.word_row(v) for v in value.values()]
            return [self.put({"keys": list(value), "rows": rows,
                              "words": [list(w) for w in inner.words]}), path]
        raise TypeError(f"the cache cannot defer {f.name}")


# -- reading ---------------------------------------------------------------------------------


def registry_from_plain(data: Any, fetch: Fetch | None = None,
                        fresh: Callable[[], model.Registry] | None = None) -> model.Registry:
    """The Registry that `to_plain` made `data` from; Unfit if `data` is anything else.

    Data with deferred fields (to_plain with `put`) needs `fetch`, which reads a block
    (or raises Unfit), and `fresh`, the registry parsed afresh from its file: the
    deferred fields are read as they are used (registry/lazy.py), and should a block
    prove unreadable then, that field is taken from `fresh()` instead."""
    try:
        form = data.get("format") if type(data) is dict else None
        blocks = (fetch, fresh) if fetch is not None and fresh is not None else None
        if form != FORMAT and (form != BLOCKS or blocks is None):
            raise Unfit("not a registry of this format")
        reader = _Reader(data, blocks if form == BLOCKS else None)
        registries = reader.table(model.Registry)
        root = data.get("root")
        if type(root) is not int or not 0 <= root < len(registries):
            raise Unfit("no registry")
        result = registries[root]
        for waiting, path in reader.waiting:
            # The path must lead here, so that it finds the same field in `fresh()`.
            if _walk(result, path) is not waiting:
                raise Unfit("a deferred field's path leads elsewhere")
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise Unfit(str(exc)) from None
    assert isinstance(result, model.Registry)
    return result


def _walk(value: Any, path: list[Any]) -> Any:
    """The value at `path` (field names, keys, positions) from `value`; Unfit if there is
    none, or the way passes through a deferred field not yet read."""
    for step in path:
        if isinstance(value, dict):
            if is_waiting(value):
                raise Unfit("a path through a deferred field")
            value = value[step]
        elif type(value) is tuple and type(step) is int and step >= 0:
            value = value[step]
        elif type(step) is str and _is_record(type(value)) and \
                any(f.name == step for f in _layout(type(value))):
            value = getattr(value, step)
        else:
            raise Unfit("no such path")
    return value


def _path(data: Any) -> list[Any]:
    if type(data) is not list or not data or \
            any(type(step) not in (str, int) for step in data):
        raise Unfit("not a path")
    return data


def _records_block(doc: Any, cls: type) -> list[tuple[int, str, Any]]:
    """A block of a deferred map of records: (position, key, record) for each."""
    if type(doc) is not dict or doc.keys() != {"format", "root", "words", "tables", "keys",
                                               "at"} or doc["format"] != FORMAT:
        raise Unfit("not a block of records")
    keys, at, root = doc["keys"], doc["at"], doc["root"]
    if type(keys) is not list or type(at) is not list or type(root) is not list or \
            not len(keys) == len(at) == len(root) or _types_in(keys) - {str} or \
            _types_in(at) - {int} or _types_in(root) - {int}:
        raise Unfit("not a block of records")
    table = _Reader(doc).table(cls)
    return list(zip(at, keys, map(table.__getitem__, _rows(root)), strict=True))


def _words_block(doc: Any) -> list[tuple[str, tuple[str, ...]]]:
    """The block of a deferred map of words: (key, words) for each."""
    if type(doc) is not dict or doc.keys() != {"keys", "rows", "words"}:
        raise Unfit("not a block of words")
    keys, rows, words = doc["keys"], doc["rows"], doc["words"]
    if type(keys) is not list or type(rows) is not list or type(words) is not list or \
            len(keys) != len(rows) or len(set(keys)) != len(keys) or \
            _types_in(keys) - {str} or _types_in(rows) - {int} or _types_in(words) - {list} \
            or _types_in(list(chain.from_iterable(words))) - {str}:
        raise Unfit("not a block of words")
    made = list(map(tuple, words))
    return list(zip(keys, map(made.__getitem__, _rows(rows)), strict=True))


def _types_in(column: list[Any]) -> set[type]:
    return set(map(type, column))


class _Reader:
    def __init__(self, data: dict[str, Any],
                 blocks: tuple[Fetch, Callable[[], model.Registry]] | None = None) -> None:
        self.blocks = blocks
        self.waiting: list[tuple[dict[str, Any], list[Any]]] = []  # deferred fields made
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
        values = [self.deferred(column, f) if self.blocks and (cls.__name__, f.name) in DEFERRED
                  else self.column(column, f) for column, f in zip(columns, layout, strict=True)]
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

    def deferred(self, column: list[Any], f: _Field) -> list[Any]:
        """A deferred field's cells (see _Writer.deferred) as dicts that read their blocks
        when first used."""
        assert self.blocks is not None
        fetch, fresh = self.blocks
        out: list[Any] = []
        for cell in column:
            if cell is None and f.optional:
                out.append(None)
                continue
            if type(cell) is not list:
                raise Unfit(f"{f.name}: not a deferred field")
            if f.kind == RECORD_MAP and len(cell) == 3 and type(cell[0]) is int and \
                    cell[0] >= 0 and type(cell[1]) is list and \
                    len(cell[1]) == max(1, -(-cell[0] // CHUNK)):
                path = _path(cell[2])
                made: dict[str, Any] = Rows.waiting(
                    cell[0], cell[1], _reading(fetch, _records_block, f.record),
                    _finding(fresh, path))
            elif f.kind == WORDS_MAP and len(cell) == 2:
                path = _path(cell[1])
                made = Whole.waiting(cell[0], _reading(fetch, _words_block),
                                     _finding(fresh, path))
            else:
                raise Unfit(f"{f.name}: not a deferred field")
            self.waiting.append((made, path))
            out.append(made)
        return out

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


def _reading(fetch: Fetch, read: Callable[..., Any], *args: Any) -> Callable[[Any], Any]:
    return lambda ref: read(fetch(ref), *args)


def _finding(fresh: Callable[[], model.Registry], path: list[Any]) -> Callable[[], Any]:
    def found() -> dict[Any, Any]:
        value = _walk(fresh(), path)
        if not isinstance(value, dict):
            raise Unfit("the registry parsed afresh has no such field")
        return dict(value)

    return found


def _rows(column: list[Any]) -> list[Any]:
    """`column` of row numbers (or None), refused if any is negative (it would index from
    the end); one past the end raises IndexError, which the caller turns into Unfit."""
    if min((v for v in column if v is not None), default=0) < 0:
        raise Unfit("negative row")
    return column
