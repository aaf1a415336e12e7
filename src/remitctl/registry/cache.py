"""A compiled cache of validated registries, so that a lookup starts in a tenth of a second.

Reading `remits.yaml` means PyYAML, pydantic, opening-hours-py checks and the
`holidays` package: about a quarter of a second for a force's registry and seconds
for a national one. The result is plain frozen dataclasses, so the cache stores them
as JSON data (`registry.plain`), with every nation's bank holidays for a span of
years, under a key made of the file's bytes and everything else that could change the
answer: remitctl's version and code, the versions of the libraries that validate it,
and Python's.

An entry is data, never code: reading one can build nothing but the registry's own
dataclasses, each value checked against the model, so a planted, forged or corrupt
entry can at worst be refused. The cache directory is opened once, without following
a symbolic link, and must be a directory of ours that nobody else can write to;
entries are opened through it, again without following links, and used only when
they are regular files of ours, no bigger than ENTRY_CAP, whose header, key and
checksum match. No cache directory is made under a home that does not exist.

An entry is a header (the key), a line naming its core block, then blocks of JSON, each
named by offset, length and checksum: the core (the registry but for its service lines,
agencies and cover, and the bank holidays) is checked when the entry is opened; the
other blocks when a lookup first needs them (registry/plain.py, registry/lazy.py), so a
lookup reads the same few blocks of a force's registry or a national one.

The cache can only ever save time: anything wrong with it (a stale, corrupt or foreign
entry, an unwritable or unsafe directory) means the registry is parsed from its bytes
as if there were no cache. Entries are written to a temporary file and renamed into
place, so concurrent runs see a whole entry or none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from remitctl import __version__
from remitctl.registry.model import Registry

try:  # hashlib's own BLAKE2 without hashlib, which loads OpenSSL: 2.5 ms of a 90 ms lookup
    from _blake2 import blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b

ENV_OFF = "REMITCTL_NO_CACHE"
FORMAT = 4
_SUM = 16  # bytes of each block's BLAKE2b checksum
MAGIC = b"remitctl registry cache\n"
SUFFIX = ".json"
KEEP = 16  # entries kept; older ones are removed when a new one is written
YEARS_BACK, YEARS_AHEAD = 10, 20  # bank holidays stored around the year the entry is built
ENTRY_CAP = 64 * 1024 * 1024  # a national registry's entry is ~2.5 MB
# Libraries whose version can change what a registry loads as; read from their
# installed metadata's directory name, which costs a directory listing, not an import.
DEPENDENCIES = ("holidays", "opening_hours_py", "pydantic", "pydantic_core", "pyyaml")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# remitctl's own code that shapes an entry: in a development install the version does
# not change when this code does, so its files' sizes and times are part of the key.
_CODE = ("registry", "hours/bank_holidays.py", "__init__.py")
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Without these (Windows) the directory cannot be checked once and used: no cache there.
_SUPPORTED = bool(_NOFOLLOW) and os.open in os.supports_dir_fd and hasattr(os, "getuid")


def disabled_by_environment() -> bool:
    return os.environ.get(ENV_OFF, "").strip().lower() not in ("", "0", "false", "no", "off")


def base_directory() -> Path | None:
    """Where the cache directory lives: $XDG_CACHE_HOME, else ~/.cache; None when there
    is no home, or HOME names a directory that does not exist."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):  # the XDG spec says to ignore relative paths
        return Path(base)
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    if not home.is_absolute() or not home.is_dir():
        return None
    return home / ".cache"


def directory() -> Path | None:
    """$XDG_CACHE_HOME/remitctl, else ~/.cache/remitctl (None when there is no home)."""
    base = base_directory()
    return None if base is None else base / "remitctl"


def load(path: Path, label: str | None = None, *, use_cache: bool = True) -> Registry:
    """The registry at `path`, as `loader.load_registry` would return it, from the cache
    when it holds this exact content. Raises RegistryError just as the loader does."""
    return load_with_status(path, label, use_cache=use_cache)[0]


def load_with_status(path: Path, label: str | None = None, *,
                     use_cache: bool = True) -> tuple[Registry, str]:
    """As `load`, and how: "hit", "stored", "not stored" (the cache could not be
    written) or "off"."""
    from remitctl.registry.reading import label_for, read_bytes

    label = label or label_for(path)
    return load_bytes(read_bytes(path, label), label, use_cache=use_cache)


def load_bytes(raw: bytes, label: str, *, use_cache: bool = True) -> tuple[Registry, str]:
    """The registry in `raw` (a file's bytes, read once), from the cache when it holds
    exactly these bytes; and how, as `load_with_status` says."""
    if not use_cache or disabled_by_environment() or not _SUPPORTED:
        return _parse(raw, label), "off"
    key = _key(raw)
    fd = _open_directory(create=False)
    if fd is not None:
        try:
            entry = _read_entry(fd, key, _afresh(raw, label, key))
        finally:
            os.close(fd)
        if entry is not None:
            registry, days = entry
            from remitctl.hours.bank_holidays import preload

            preload(days)
            return (registry if registry.source == label else replace(registry, source=label),
                    "hit")
    registry = _parse(raw, label)
    return registry, "stored" if _store(key, registry) else "not stored"


def _afresh(raw: bytes, label: str, key: str) -> Callable[[], Registry]:
    """The registry parsed from `raw`, once, for a part of an entry that proves unreadable
    only when a lookup reads it (see registry/lazy.py); the entry is then written anew."""
    made: list[Registry] = []

    def fresh() -> Registry:
        if not made:
            made.append(_parse(raw, label))
            _store(key, made[0])
        return made[0]

    return fresh


def _parse(raw: bytes, label: str) -> Registry:
    from remitctl.registry.loader import parse_registry
    from remitctl.registry.reading import decode

    return parse_registry(decode(raw, label), label)


def environment() -> str:
    """Everything besides the registry's bytes that an entry depends on, as text."""
    parts = [f"format {FORMAT}", f"remitctl {__version__}",
             f"python {sys.version} {sys.implementation.cache_tag}"]
    parts += _dependency_versions()
    parts += _code_stamps()
    return "\n".join(parts)


def _dependency_versions() -> list[str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        if not entry.endswith(("site-packages", "dist-packages")):
            continue
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name[: -len(".dist-info")].partition("-")
                dist = dist.lower().replace("-", "_").replace(".", "_")
                if dist in DEPENDENCIES:
                    found.setdefault(dist, version)  # the first on sys.path is the one imported
    return [f"{name} {found.get(name, '?')}" for name in DEPENDENCIES]


def _code_stamps() -> list[str]:
    out = []
    for part in _CODE:
        place = os.path.join(_PACKAGE, part)
        try:
            files = sorted(e.path for e in os.scandir(place) if e.name.endswith(".py"))
        except NotADirectoryError:
            files = [place]
        except OSError:
            continue
        for file in files:
            try:
                st = os.stat(file)
            except OSError:
                continue
            out.append(f"{os.path.relpath(file, _PACKAGE)} {st.st_size} {st.st_mtime_ns}")
    return out


def _key(raw: bytes) -> str:
    digest = blake2b(environment().encode(), digest_size=32)
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _open_directory(*, create: bool) -> int | None:
    """A descriptor of the cache directory, opened once without following a link at its
    last step, when it is ours and nobody else can write to it; else None. With
    `create`, make it (and $XDG_CACHE_HOME or ~/.cache, one level, never a home)."""
    base = base_directory()
    if base is None:
        return None
    try:
        parent = _open_or_make(str(base), None, create, follow=True)
    except OSError:
        return None
    if parent is None:
        return None
    try:
        fd = _open_or_make("remitctl", parent, create, follow=False)
    except OSError:  # a symbolic link (ELOOP), a file (ENOTDIR), no permission
        return None
    finally:
        os.close(parent)
    if fd is None:
        return None
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022:
        return fd
    os.close(fd)
    return None


def _open_or_make(name: str, dir_fd: int | None, create: bool, *, follow: bool) -> int | None:
    flags = _DIR_FLAGS | (0 if follow else _NOFOLLOW)
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        if not create:
            return None
    with contextlib.suppress(FileExistsError):  # another run made it meanwhile
        os.mkdir(name, 0o700, dir_fd=dir_fd)
    return os.open(name, flags, dir_fd=dir_fd)


def _header(key: str) -> bytes:
    return MAGIC + key.encode() + b"\n"


def _read_entry(fd: int, key: str, fresh: Callable[[], Registry]
                ) -> tuple[Registry, dict[tuple[str, int], Any]] | None:
    data = _read_file(fd, key + SUFFIX)
    if data is None:
        return None
    head = _header(key)
    if data[:len(head)] != head:
        return None  # another key, another format, truncated or corrupt
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _decode(memoryview(data)[len(head):], fresh)
    finally:
        if collecting:
            gc.enable()


def _read_file(fd: int, name: str) -> bytes | None:
    """The bytes of `name` in the directory `fd`: only a regular file of ours, opened
    without following a link, and no more than ENTRY_CAP."""
    try:
        entry = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK |
                        getattr(os, "O_CLOEXEC", 0), dir_fd=fd)
    except OSError:
        return None
    try:
        st = os.fstat(entry)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or \
                st.st_size > ENTRY_CAP:
            return None
        parts = []
        total = 0
        while total <= st.st_size:
            chunk = os.read(entry, st.st_size + 1 - total)
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
        return b"".join(parts) if total == st.st_size else None  # it changed as it was read
    except OSError:
        return None
    finally:
        os.close(entry)


def _decode(body: memoryview, fresh: Callable[[], Registry]
            ) -> tuple[Registry, dict[tuple[str, int], Any]] | None:
    """The entry's registry and bank holidays, or None for anything but exactly that.

    `body` is a line naming the core block (offset, length and checksum), then the
    blocks: the core (the registry but for its DEFERRED fields, and the bank holidays)
    is read and checked now; the blocks of the deferred fields when a lookup needs them,
    each checked against the checksum its reference gives (see registry/plain.py)."""
    from remitctl.registry.plain import Unfit, registry_from_plain

    end = bytes(body[:120]).find(b"\n")
    parts = bytes(body[:end]).split(b" ") if end > 0 else []
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    fetch = _fetcher(body[end + 1:])
    try:
        doc = fetch([int(parts[0]), int(parts[1]), parts[2].decode("ascii")])
        if type(doc) is not dict or doc.keys() != {"format", "registry", "bank_holidays"} or \
                doc["format"] != FORMAT:
            return None
        registry = registry_from_plain(doc["registry"], fetch, fresh)
        days = _days_from_plain(doc["bank_holidays"])
    except (Unfit, ValueError, TypeError):
        return None
    return registry, days


def _fetcher(payload: memoryview) -> Callable[[Any], Any]:
    """Reads a block by its reference [offset, length, checksum]: Unfit unless the block
    lies within the entry, has that checksum and is JSON."""
    import json

    from remitctl.registry.plain import Unfit

    def fetch(ref: Any) -> Any:
        if type(ref) is not list or len(ref) != 3 or type(ref[0]) is not int or \
                type(ref[1]) is not int or type(ref[2]) is not str:
            raise Unfit("not a block reference")
        start, size, checksum = ref
        if start < 0 or size <= 0 or start + size > len(payload):
            raise Unfit("a block outside the entry")
        data = payload[start:start + size]
        if blake2b(data, digest_size=_SUM).hexdigest() != checksum:
            raise Unfit("a block's checksum does not match")
        try:
            return json.loads(bytes(data))
        except (ValueError, RecursionError):  # includes a block that is not UTF-8
            raise Unfit("a block that is not JSON") from None

    return fetch


def _days_from_plain(data: Any) -> dict[tuple[str, int], Any]:
    if type(data) is not list:
        raise ValueError("not bank holidays")
    out: dict[tuple[str, int], Any] = {}
    iso = dt.date.fromisoformat
    for item in data:
        if type(item) is not list or len(item) != 3 or type(item[0]) is not str or \
                type(item[1]) is not int or type(item[2]) is not list:
            raise ValueError("not bank holidays")
        days = []
        for day in item[2]:
            if type(day) is not list or len(day) != 2 or type(day[0]) is not str or \
                    type(day[1]) is not str:
                raise ValueError("not bank holidays")
            days.append((iso(day[0]), day[1]))
        out[item[0], item[1]] = tuple(days)
    return out


def _encode(registry: Registry, days: dict[tuple[str, int], Any]) -> bytes | None:
    """The entry after its header (see _decode), or None when the registry cannot be
    stored as data that reads back equal (the cache must never change an answer)."""
    import json

    from remitctl.registry.plain import Unfit, to_plain

    blocks = bytearray()

    def put(doc: Any) -> list[Any]:
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode()
        ref = [len(blocks), len(data), blake2b(data, digest_size=_SUM).hexdigest()]
        blocks.extend(data)
        return ref

    try:
        start, size, checksum = put({
            "format": FORMAT, "registry": to_plain(registry, put),
            "bank_holidays": [[nation, year, [[d.isoformat(), name] for d, name in found]]
                              for (nation, year), found in days.items()]})
    except (Unfit, TypeError, ValueError):
        return None
    body = f"{start} {size} {checksum}\n".encode() + bytes(blocks)
    back = _decode(memoryview(body), _unreadable)
    try:  # comparing reads every block, so each is checked here once
        if back is None or back[0] != registry or back[1] != days:
            return None
    except Unfit:
        return None
    return body


def _unreadable() -> Registry:
    from remitctl.registry.plain import Unfit

    raise Unfit("a block of a new entry does not read back")


def _store(key: str, registry: Registry) -> bool:
    from remitctl.hours.bank_holidays import table

    this_year = dt.date.today().year
    try:
        days = table(range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1))
    except Exception:  # the cache must never cost an answer
        return False
    payload = _encode(registry, days)
    if payload is None:
        return False
    fd = _open_directory(create=True)
    if fd is None:
        return False
    try:
        return _write_entry(fd, key, payload)
    finally:
        os.close(fd)


def _write_entry(fd: int, key: str, payload: bytes) -> bool:
    tmp = f".{key[:16]}-{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW |
                      getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=fd)
    except OSError:
        return False
    written = False
    try:
        with os.fdopen(out, "wb") as f:
            f.write(_header(key))
            f.write(payload)
        os.replace(tmp, key + SUFFIX, src_dir_fd=fd, dst_dir_fd=fd)
        written = True
    except OSError:
        return False
    finally:
        if not written:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
    _prune(fd)
    return True


def _prune(fd: int) -> None:
    """Keep the newest KEEP entries; remove temporary files that a killed run left behind,
    and entries of earlier formats (pickles, which this version never reads)."""
    import time

    try:
        entries = []
        with os.scandir(fd) as listing:
            for item in listing:
                st = item.stat(follow_symlinks=False)
                if item.name.endswith(SUFFIX):
                    entries.append((st.st_mtime, item.name))
                elif item.name.endswith(".pickle") or (
                        item.name.endswith(".tmp") and st.st_mtime < time.time() - 3600):
                    os.unlink(item.name, dir_fd=fd)
        for _, stale in sorted(entries, reverse=True)[KEEP:]:
            os.unlink(stale, dir_fd=fd)
    except OSError:
        pass  # another run may be pruning too
