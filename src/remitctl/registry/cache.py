"""A compiled cache of validated registries, so that a lookup starts in a tenth of a second.

Reading `remits.yaml` means PyYAML, pydantic, opening-hours-py checks and the
`holidays` package: about a quarter of a second for a force's registry and seconds
for a national one. The result is plain frozen dataclasses, so the cache stores it
pickled, with every nation's bank holidays for a span of years, under a key made of
the file's bytes and everything else that could change the answer: remitctl's
version and code, the versions of the libraries that validate it, and Python's.

The cache can only ever save time. An entry is used when its header, key and
checksum match; anything else (a stale, corrupt, truncated or foreign file, an
unwritable or unsafe directory) means the registry is loaded from the file as if
there were no cache. Entries are written to a temporary file and renamed into
place, so concurrent runs see a whole entry or none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
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
FORMAT = 2
MAGIC = b"remitctl registry cache\n"
KEEP = 16  # entries kept; older ones are removed when a new one is written
YEARS_BACK, YEARS_AHEAD = 10, 20  # bank holidays stored around the year the entry is built
# Bigger than any registry the loader accepts, so such a file is always read whole; a
# larger one is left to the loader, which refuses it without reading it.
READ_CAP = 64 * 1024 * 1024
# Libraries whose version can change what a registry loads as; read from their
# installed metadata's directory name, which costs a directory listing, not an import.
DEPENDENCIES = ("holidays", "opening_hours_py", "pydantic", "pydantic_core", "pyyaml")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# remitctl's own code that shapes an entry: in a development install the version does
# not change when this code does, so its files' sizes and times are part of the key.
_CODE = ("registry", "hours/bank_holidays.py", "__init__.py")


def disabled_by_environment() -> bool:
    return os.environ.get(ENV_OFF, "").strip().lower() not in ("", "0", "false", "no", "off")


def directory() -> Path | None:
    """$XDG_CACHE_HOME/remitctl, else ~/.cache/remitctl (None when there is no home)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec says to ignore relative paths
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "remitctl"


def load(path: Path, label: str | None = None, *, use_cache: bool = True) -> Registry:
    """The registry at `path`, as `loader.load_registry` would return it, from the cache
    when it holds this exact content. Raises RegistryError just as the loader does."""
    return load_with_status(path, label, use_cache=use_cache)[0]


def load_with_status(path: Path, label: str | None = None, *,
                     use_cache: bool = True) -> tuple[Registry, str]:
    """As `load`, and how: "hit", "stored", "not stored" (the cache could not be
    written) or "off"."""
    label = label or str(path)
    raw = _read_registry(path) if use_cache and not disabled_by_environment() else None
    if raw is None:
        return _parse(path, label), "off"
    key = _key(raw)
    where = directory()
    if where is None or not _safe(where):
        return _parse(path, label), "not stored"
    entry = _read_entry(where / f"{key}.pickle", key)
    if entry is not None:
        registry, days = entry
        from remitctl.hours.bank_holidays import preload

        preload(days)
        return (registry if registry.source == label else replace(registry, source=label),
                "hit")
    registry = _parse(path, label)
    if not _same_content(registry, raw):
        return registry, "not stored"  # the file changed while it was read
    return registry, "stored" if _write_entry(where, key, registry) else "not stored"


def _parse(path: Path, label: str) -> Registry:
    from remitctl.registry.loader import load_registry

    return load_registry(path, label)


def _read_registry(path: Path) -> bytes | None:
    """The file's bytes, or None to leave the file to the loader (which says what is wrong)."""
    try:
        with open(path, "rb") as f:
            raw = f.read(READ_CAP + 1)
    except (OSError, ValueError):
        return None
    return raw if len(raw) <= READ_CAP else None


def _same_content(registry: Registry, raw: bytes) -> bool:
    """Whether the loader read the very bytes the key was made from (Registry.digest is
    the SHA-256 of the decoded text)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest() == registry.digest


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


def _safe(where: Path) -> bool:
    """Entries are pickles, which run code when loaded: use only a directory that is
    ours and that nobody else can write to (or one that does not exist yet)."""
    try:
        st = os.stat(where)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _header(key: str, payload: bytes) -> bytes:
    checksum = blake2b(payload, digest_size=32).hexdigest()
    return MAGIC + key.encode() + b"\n" + checksum.encode() + b"\n"


def _read_entry(file: Path, key: str) -> tuple[Registry, dict[Any, Any]] | None:
    try:
        data = file.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 2 * (64 + 1)
    payload = data[head:]
    if data[:head] != _header(key, payload):
        return None  # another key, another format, truncated or corrupt
    import gc
    import pickle

    collecting = gc.isenabled()
    gc.disable()  # a national registry is ~100,000 objects: collecting midway costs a third
    try:
        entry = pickle.loads(payload)
    except Exception:  # a checksum match makes this near impossible; never fail for it
        return None
    finally:
        if collecting:
            gc.enable()
    if (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == FORMAT
            and isinstance(entry[1], Registry) and isinstance(entry[2], dict)):
        return entry[1], entry[2]
    return None


def _write_entry(where: Path, key: str, registry: Registry) -> bool:
    import pickle
    import tempfile

    from remitctl.hours.bank_holidays import table

    this_year = dt.date.today().year
    try:
        days = table(range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1))
        payload = pickle.dumps((FORMAT, registry, days), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # the cache must never cost an answer
        return False
    tmp = None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe(where):
            return False
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}-", suffix=".tmp", dir=where)
        with os.fdopen(fd, "wb") as f:
            f.write(_header(key, payload))
            f.write(payload)
        os.replace(tmp, where / f"{key}.pickle")
        tmp = None
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _prune(where)
    return True


def _prune(where: Path) -> None:
    """Keep the newest KEEP entries; remove temporary files that a killed run left behind."""
    import time

    try:
        entries = []
        for item in os.scandir(where):
            if item.name.endswith(".pickle"):
                entries.append((item.stat().st_mtime, item.path))
            elif item.name.endswith(".tmp") and item.stat().st_mtime < time.time() - 3600:
                os.unlink(item.path)
        for _, stale in sorted(entries, reverse=True)[KEEP:]:
            os.unlink(stale)
    except OSError:
        pass  # another run may be pruning too
