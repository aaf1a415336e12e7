"""Read a registry file's bytes once, safely, whatever the path turns out to be.

The bytes read here are both the compiled cache's key and what the loader parses, so a
pipe (`-r <(cat remits.yaml)`, `-r /dev/stdin`, `-r -`) is read exactly once. Nothing
here blocks for ever or reads without a cap: a regular file is read up to MAX_BYTES;
a pipe, FIFO or socket is read up to MAX_BYTES with a deadline for each piece of data
(REMITCTL_READ_TIMEOUT seconds, 10 by default), so a FIFO nobody writes to ends with a
message instead of a hang; a terminal or any other device (`/dev/zero`, `/dev/null`)
is refused without being read.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from remitctl.registry.problems import Problem, RegistryError

MAX_BYTES = 16 * 1024 * 1024  # five times a national registry (400 areas × 60 issue types)
STDIN = "-"
TIMEOUT_ENV = "REMITCTL_READ_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
_CHUNK = 1 << 16
Fail = Callable[..., RegistryError]


def is_stdin(path: Path | str) -> bool:
    return str(path) == STDIN


def label_for(path: Path | str) -> str:
    """How problems name the file: standard input is `<stdin>`."""
    return "<stdin>" if is_stdin(path) else str(path)


def timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, "") or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if 0 < value < 86_400 else DEFAULT_TIMEOUT


def _problem(label: str, message: str, hint: str | None = None) -> RegistryError:
    return RegistryError([Problem(label, 0, 0, "error", message, hint, "file")])


def read_bytes(path: Path | str, label: str | None = None) -> bytes:
    """The bytes of the registry at `path` (`-`: standard input), or a RegistryError that
    says plainly why they cannot be read."""
    label = label or label_for(path)

    def fail(message: str, hint: str | None = None) -> RegistryError:
        return _problem(label, message, hint)

    own = not is_stdin(path)
    try:
        if own:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY |
                         getattr(os, "O_CLOEXEC", 0))
        else:
            fd = 0
            if sys.stdin is None:  # started with it closed (the CLI puts /dev/null there)
                raise OSError(9, "closed")
            os.fstat(fd)  # EBADF: standard input is closed
    except FileNotFoundError:
        raise fail("no such file", "check the path, or unset REMITCTL_REGISTRY"
                   if os.environ.get("REMITCTL_REGISTRY", "").strip() else
                   "check the path given with -r/--registry") from None
    except PermissionError:
        raise fail("cannot be read (permission denied)") from None
    except OSError as exc:
        if not own:
            raise fail("standard input is closed",
                       "pipe the registry in: remitctl ... -r - < remits.yaml") from None
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    try:
        return _read_fd(fd, fail)
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        if own:
            os.close(fd)


def _read_fd(fd: int, fail: Fail) -> bytes:
    st = os.fstat(fd)
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise fail("is a directory, not a registry file", "pass the path of remits.yaml")
    if stat.S_ISREG(mode):
        if st.st_size > MAX_BYTES:
            raise fail(f"is {st.st_size // (1024 * 1024)} MiB; registries over "
                       f"{MAX_BYTES // (1024 * 1024)} MiB are refused")
        return _read_regular(fd, fail)
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return _read_stream(fd, fail)
    if os.isatty(fd):
        raise fail("is a terminal, not a registry file",
                   "pipe the registry in: remitctl ... -r - < remits.yaml")
    raise fail("is a device, not a registry file", "pass the path of remits.yaml")


def _too_big(fail: Fail) -> RegistryError:
    return fail(f"is over {MAX_BYTES // (1024 * 1024)} MiB; larger registries are refused")


def _read_regular(fd: int, fail: Fail) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, MAX_BYTES + 1 - total)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:  # the file grew after its size was checked
            raise _too_big(fail)


def _read_stream(fd: int, fail: Fail) -> bytes:
    """A pipe, FIFO or socket, to its end: never more than MAX_BYTES, and never waiting
    longer than the timeout for the next piece."""
    import select

    wait = timeout()
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    parts: list[bytes] = []
    total = 0
    while True:
        if not poller.poll(int(wait * 1000)):
            raise fail(f"nothing arrived for {wait:g} s (a pipe or FIFO that nobody "
                       "writes to?)",
                       f"write the registry into it, or pass a file; {TIMEOUT_ENV} sets "
                       "the wait in seconds")
        try:
            chunk = os.read(fd, min(_CHUNK, MAX_BYTES + 1 - total))
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:
            raise _too_big(fail)


def decode(raw: bytes, label: str) -> str:
    """The registry's text from its bytes, or a RegistryError naming what is wrong."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem(label, "is UTF-16 or UTF-32 text, not UTF-8", "save the file as UTF-8")
    if b"\x00" in raw:
        raise _problem(label, "is binary, not a YAML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RegistryError([Problem(label, line, column, "error", "is not valid UTF-8 text",
                                     "save the file as UTF-8", "file")]) from None
