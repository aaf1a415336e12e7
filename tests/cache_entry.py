"""Taking a compiled cache entry apart and putting a changed one together, for tests that
damage or forge entries (registry/cache.py describes the layout): the header, a line
naming the core block, then the blocks, each named by [offset, length, checksum]."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from remitctl.registry import cache
from remitctl.registry.lazy import bucket

try:
    from _blake2 import blake2b
except ImportError:
    from hashlib import blake2b


class Entry:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.key = path.stem
        data = path.read_bytes()
        head = len(cache._header(self.key))
        end = data.index(b"\n", head)
        start, size, _ = data[head:end].split(b" ")
        self.payload = bytearray(data[end + 1:])
        self.core: Any = self.block([int(start), int(size), ""])

    def block(self, ref: list[Any]) -> Any:
        return json.loads(bytes(self.payload[ref[0]:ref[0] + ref[1]]))

    def append(self, doc: Any, raw: bytes | None = None) -> list[Any]:
        """A new block (JSON of `doc`, or `raw` bytes as they are) at the end; its ref."""
        data = raw if raw is not None else json.dumps(doc).encode()
        ref = [len(self.payload), len(data), blake2b(data, digest_size=cache._SUM).hexdigest()]
        self.payload += data
        return ref

    def tables(self) -> dict[str, Any]:
        return self.core["registry"]["tables"]  # type: ignore[no-any-return]

    def cell(self, table: str, field: str, row: int = 0) -> Any:
        t = self.tables()[table]
        return t["columns"][t["fields"].index(field)][row]

    def set_cell(self, table: str, field: str, value: Any, row: int = 0) -> None:
        t = self.tables()[table]
        t["columns"][t["fields"].index(field)][row] = value

    def rows_ref(self, field: str, key: str) -> tuple[list[Any], int]:
        """The refs of the Registry's deferred map `field`, and which one holds `key`."""
        count, refs, _ = self.cell("Registry", field)
        assert count > 0
        return refs, bucket(key, len(refs))

    def write(self, core_raw: bytes | None = None) -> None:
        ref = self.append(self.core, core_raw)
        self.path.write_bytes(cache._header(self.key) + f"{ref[0]} {ref[1]} {ref[2]}\n".encode()
                              + bytes(self.payload))
