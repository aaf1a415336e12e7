"""Dictionaries of the registry that the cache fills only as far as a question needs.

A national registry has thousands of service lines and, for every issue type, the lines
of 400 areas; one lookup needs a handful of each. `Rows` (the registry's service lines
and agencies) knows how many entries it has and reads, for a key, only the block of the
cache that holds it; `Whole` (an issue's cover) reads its one block the first time it
is touched. Anything that looks at the whole dictionary (iterating, comparing, copying,
changing it) first reads every block, so each is, to every caller, the dict it stands
for: the same keys in the same order and the same values.

Reading a block can fail (a damaged or forged entry that passed the checks made when
it was opened): then the dictionary is taken whole from the registry parsed afresh
from its file (`recover`), so the answer is the one the file gives, as if there were
no cache.
"""

from __future__ import annotations

from binascii import crc32
from collections.abc import Callable
from typing import Any

Recover = Callable[[], dict[Any, Any]]


class Unfit(ValueError):
    """Data that is not a registry of this model (or a value the cache cannot carry)."""


def bucket(key: str, buckets: int) -> int:
    """Which of `buckets` blocks holds `key`: the same in every process (unlike hash())."""
    return crc32(key.encode("utf-8", "surrogatepass")) % buckets


def is_waiting(value: object) -> bool:
    """Whether `value` is a lazy dict with blocks not yet read."""
    return isinstance(value, _Lazy) and value._parts is not None


class _Lazy(dict):  # type: ignore[type-arg]
    """What both kinds share: whole-dictionary views read everything first. A dict made
    the ordinary way (`_parts` None) is just a dict."""

    _parts: list[Any] | None = None
    _recover: Recover | None = None

    def _fill(self) -> None:
        raise NotImplementedError

    def _recovered(self) -> None:
        """A block could not be read: take the whole dict from the file instead."""
        assert self._recover is not None
        value = self._recover()
        dict.clear(self)
        dict.update(self, value)
        self._parts = None

    def _full(self) -> dict[Any, Any]:
        if self._parts is not None:
            self._fill()
        return dict(dict.items(self))

    def __iter__(self) -> Any:
        if self._parts is not None:
            self._fill()
        return dict.__iter__(self)

    def __reversed__(self) -> Any:
        if self._parts is not None:
            self._fill()
        return dict.__reversed__(self)

    def keys(self) -> Any:
        if self._parts is not None:
            self._fill()
        return dict.keys(self)

    def values(self) -> Any:
        if self._parts is not None:
            self._fill()
        return dict.values(self)

    def items(self) -> Any:
        if self._parts is not None:
            self._fill()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        if self._parts is not None:
            self._fill()
        if isinstance(other, _Lazy) and other._parts is not None:
            other._fill()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None

    def __repr__(self) -> str:
        if self._parts is not None:
            self._fill()
        return dict.__repr__(self)

    def copy(self) -> dict[Any, Any]:
        return self._full()

    def __or__(self, other: Any) -> Any:
        return self._full() | other

    def __ror__(self, other: Any) -> Any:
        return dict(other) | self._full()

    def __reduce_ex__(self, protocol: Any) -> Any:  # copy, deepcopy and pickle: a plain dict
        return (dict, (self._full(),))

    def __ior__(self, other: Any) -> Any:
        self._fill_if_waiting()
        return dict.__ior__(self, other)

    def _fill_if_waiting(self) -> None:
        if self._parts is not None:
            self._fill()

    def __setitem__(self, key: Any, value: Any) -> None:
        self._fill_if_waiting()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._fill_if_waiting()
        dict.__delitem__(self, key)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._fill_if_waiting()
        return dict.setdefault(self, key, default)

    def pop(self, *args: Any) -> Any:
        self._fill_if_waiting()
        return dict.pop(self, *args)

    def popitem(self) -> Any:
        self._fill_if_waiting()
        return dict.popitem(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._fill_if_waiting()
        dict.update(self, *args, **kwargs)

    def clear(self) -> None:
        self._parts = None
        dict.clear(self)


class Rows(_Lazy):
    """`count` entries in blocks by `bucket(key)`; `load(ref)` gives a block's entries as
    (position, key, value), raising Unfit when it cannot."""

    _load: Callable[[Any], list[tuple[int, str, Any]]]
    _keys: list[str | None]

    @classmethod
    def waiting(cls, count: int, refs: list[Any],
                load: Callable[[Any], list[tuple[int, str, Any]]], recover: Recover) -> Rows:
        made = cls()
        made._parts = list(refs)
        made._load = load
        made._recover = recover
        made._keys = [None] * count
        return made

    def _take(self, n: int) -> None:
        parts = self._parts
        assert parts is not None
        ref = parts[n]
        if ref is None:
            return
        try:
            found = self._load(ref)
            keys = self._keys
            seen = set()
            for at, key, _ in found:
                if not 0 <= at < len(keys) or keys[at] is not None or at in seen or \
                        bucket(key, len(parts)) != n or dict.__contains__(self, key):
                    raise Unfit("a block of rows does not fit its place")
                seen.add(at)
            if len({key for _, key, _ in found}) != len(found):
                raise Unfit("a key twice in a block of rows")
        except (Unfit, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self._recovered()
            return
        for at, key, value in found:
            keys[at] = key
            dict.__setitem__(self, key, value)
        parts[n] = None

    def _fill(self) -> None:
        parts = self._parts
        assert parts is not None
        for n in range(len(parts)):
            self._take(n)
            if self._parts is None:  # recovered from the file meanwhile
                return
        keys = self._keys
        if any(k is None for k in keys):
            self._recovered()
            return
        ordered = [(k, dict.__getitem__(self, k)) for k in keys]
        dict.clear(self)
        dict.update(self, ordered)
        self._parts = None

    def __missing__(self, key: Any) -> Any:
        parts = self._parts
        if parts is not None and type(key) is str:
            self._take(bucket(key, len(parts)))
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        parts = self._parts
        if parts is not None and type(key) is str and not dict.__contains__(self, key):
            self._take(bucket(key, len(parts)))
        return dict.__contains__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if self.__contains__(key) else default

    def __len__(self) -> int:
        return len(self._keys) if self._parts is not None else dict.__len__(self)


class Whole(_Lazy):
    """All its entries in one block, read the first time it is touched; `load(ref)` gives
    them as (key, value) pairs, raising Unfit when it cannot."""

    _load: Callable[[Any], list[tuple[str, Any]]]

    @classmethod
    def waiting(cls, ref: Any, load: Callable[[Any], list[tuple[str, Any]]],
                recover: Recover) -> Whole:
        made = cls()
        made._parts = [ref]
        made._load = load
        made._recover = recover
        return made

    def _fill(self) -> None:
        assert self._parts is not None
        try:
            found = self._load(self._parts[0])
        except (Unfit, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self._recovered()
            return
        dict.clear(self)
        dict.update(self, found)
        self._parts = None

    def __missing__(self, key: Any) -> Any:
        if self._parts is not None:
            self._fill()
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if self._parts is not None:
            self._fill()
        return dict.__contains__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        if self._parts is not None:
            self._fill()
        return dict.get(self, key, default)

    def __len__(self) -> int:
        if self._parts is not None:
            self._fill()
        return dict.__len__(self)
