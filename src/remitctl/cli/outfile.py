"""Write a report to `-o PATH` without replacing anything it should not.

- A new path, or a regular file with one name: written whole or not at all (a
  temporary file in the same directory, then a rename; a new path is linked into
  place, so a file that appears meanwhile is never replaced).
- A regular file with more than one name (a hard link): rewritten in place, so every
  name still shows the same file.
- A device, FIFO or terminal (`/dev/null`, `/dev/stdout`, `/dev/full`, a named pipe):
  written through, never replaced; a FIFO nobody reads is refused at once.
- A symbolic link to anything but a device, FIFO or terminal: refused, never replaced
  and never followed. A directory or socket: refused.

Failures raise OutputError with one line that says what and why.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from remitctl.shown import shown_path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class OutputError(Exception):
    """The report could not be written; the message is one line for the user."""


def check_place(path: Path) -> None:
    """Before a long run: an OutputError now for a path that can never be written (its
    folder missing or not a folder, or the path a folder), rather than after the work."""
    name = str(path)
    try:
        if path.is_dir():
            raise OutputError(f"cannot write {name}: it is a directory")
        parent = path.parent
        if not parent.is_dir():
            raise OutputError(f"cannot write {name}: there is no folder {str(parent)!r}")
    except OSError as exc:
        raise _fail(name, exc) from None


def write_file(path: Path, parts: Iterable[str], *, encoding: str = "utf-8") -> None:
    """Write the concatenated `parts` to `path` as the module docstring says."""
    data = "".join(parts).encode(encoding)
    name = shown_path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return _new_file(path, data, name)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from None
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        try:
            target = os.stat(path)
        except OSError:
            target = None
        if target is None or not _is_stream(target.st_mode):
            real = shown_path(os.path.realpath(path))
            raise OutputError(f"{name} is a symbolic link; remitctl does not replace or follow "
                              f"it (give the file it points to: {real})")
        return _through(path, data, name)
    if stat.S_ISREG(mode):
        if st.st_nlink > 1:
            return _in_place(path, data, name, st)
        return _replace(path, data, name)
    if _is_stream(mode):
        return _through(path, data, name)
    what = "a directory" if stat.S_ISDIR(mode) else "not a file remitctl can write"
    raise OutputError(f"cannot write {name}: it is {what}")


def _is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISBLK(mode)


def _fail(name: str, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {name}: {exc.strerror or exc}")


def _temporary(path: Path, data: bytes, name: str) -> str:
    """A new file beside `path` holding `data`, with the mode a new file would get."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _fail(name, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary file would be, not mkstemp's 0600
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _fail(name, exc) from None
    return tmp


def _new_file(path: Path, data: bytes, name: str) -> None:
    tmp = _temporary(path, data, name)
    try:
        os.link(tmp, path)  # fails if anything has appeared at `path` meanwhile
    except FileExistsError:
        raise OutputError(f"cannot write {name}: it appeared while the report was being "
                          "written; run again") from None
    except OSError:
        try:  # a file system without hard links
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC,
                         0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _fail(name, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _replace(path: Path, data: bytes, name: str) -> None:
    tmp = _temporary(path, data, name)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _fail(name, exc) from None


def _in_place(path: Path, data: bytes, name: str, before: os.stat_result) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | _NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        raise _fail(name, exc) from None
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise OutputError(f"cannot write {name}: it was replaced while the report was "
                              "being written; run again")
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
    except OSError as exc:
        raise _fail(name, exc) from None
    finally:
        os.close(fd)


def _through(path: Path, data: bytes, name: str) -> None:
    try:
        # O_NONBLOCK: a FIFO nobody reads fails now (ENXIO) instead of waiting for ever.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | _CLOEXEC)
    except OSError as exc:
        import errno

        if exc.errno == errno.ENXIO:
            raise OutputError(f"cannot write {name}: nothing is reading from it") from None
        raise _fail(name, exc) from None
    try:
        os.set_blocking(fd, True)
        _write_all(fd, data)
    except OSError as exc:
        raise _fail(name, exc) from None
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
