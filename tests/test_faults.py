"""Faults: no command writes the registry; every command answers when the cache directory
cannot be written, when a cache holds garbage, when the registry changes without its
size or time changing, and when several run at once."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import argv, readers

from conftest import MINI

CASES = {"good": MINI, "bad": MINI.replace("hours: \"24/7\"", "hours: \"25:00-26:00\"")}


def _state(directory: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `directory`: its checksum, modification time and inode."""
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[str(path.relative_to(directory))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_ino)
    return out


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("reader", readers())
def test_no_command_writes_the_registry_or_next_to_it(invoke, tmp_path: Path, case: str,
                                                      reader: str) -> None:  # type: ignore[no-untyped-def]
    assert CASES["bad"] != MINI
    home = tmp_path / "registry"
    home.mkdir()
    path = home / "remits.yaml"
    path.write_text(CASES[case], encoding="utf-8")
    other = home / "other.yaml"
    other.write_text(MINI, encoding="utf-8")
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = _state(home)
    for _ in range(2):  # the second run may use whatever the first one stored
        result = invoke(*argv(reader, path, good=other))
        assert result.exit_code in (0, 1), result.output
        assert (result.exit_code == 0) == (case == "good"), result.output
    assert _state(home) == before


# -- the cache directory ----------------------------------------------------------------------

def _answers(invoke, registry: Path) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Each reader's exit code and output (at a fixed moment, so runs can be compared)."""
    out = {}
    for reader in readers():
        extra = ["--json", "--at", "2026-06-05T21:00"] if reader in ("who", "now") else []
        result = invoke(*argv(reader, registry), *extra)
        out[reader] = (result.exit_code, result.stdout)
    return out


def _unwritable_places(tmp_path: Path) -> dict[str, dict[str, str | None]]:
    """Cache locations that cannot be created, even by root (which ignores file modes)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    return {
        "XDG_CACHE_HOME under a file": {"XDG_CACHE_HOME": str(blocker / "cache")},
        "XDG_CACHE_HOME is a file": {"XDG_CACHE_HOME": str(blocker)},
        "HOME under a file, no XDG_CACHE_HOME": {"XDG_CACHE_HOME": None,
                                                 "HOME": str(blocker / "home")},
        "HOME missing": {"XDG_CACHE_HOME": None, "HOME": "/nonexistent/home"},
        "XDG_CACHE_HOME in /proc": {"XDG_CACHE_HOME": "/proc/self/remitctl-cache"},
        "XDG_CACHE_HOME relative": {"XDG_CACHE_HOME": "relative/cache"},
    }


def test_commands_answer_when_the_cache_cannot_be_written(invoke, mini: Path, tmp_path: Path,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    baseline = _answers(invoke, mini)
    assert all(code == 0 for code, _ in baseline.values())
    for name, env in _unwritable_places(tmp_path).items():
        with monkeypatch.context() as patch:
            for key, value in env.items():
                if value is None:
                    patch.delenv(key, raising=False)
                else:
                    patch.setenv(key, value)
            assert _answers(invoke, mini) == baseline, name


def _cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()]


def test_a_cache_full_of_garbage_changes_no_answer(invoke, mini: Path, tmp_path: Path,
                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    baseline = _answers(invoke, mini)
    stored = _cache_files(cache)
    if not stored:
        pytest.skip("this build keeps no cache")
    for damage in (lambda b: b[: len(b) // 2], lambda b: b"", lambda b: bytes(255 - x for x in b),
                   lambda b: b"\x80\x04garbage" * 100, lambda b: b[:-1] + bytes([b[-1] ^ 1])):
        for file in stored:
            file.write_bytes(damage(file.read_bytes() or b"x"))
        assert _answers(invoke, mini) == baseline
        stored = _cache_files(cache) or stored


def test_an_edit_that_keeps_size_and_time_is_seen(invoke, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "same.yaml"
    path.write_text(MINI, encoding="utf-8")
    stamp = (1_600_000_000_000_000_000, 1_600_000_000_000_000_000)
    os.utime(path, ns=stamp)
    first = invoke("show", "police/control-room", "--json", "-r", str(path))
    assert '"phone": "01632 960000"' in first.stdout
    edited = MINI.replace('{phone: "01632 960000"}', '{phone: "01632 960999"}')
    assert len(edited) == len(MINI)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=stamp)
    second = invoke("show", "police/control-room", "--json", "-r", str(path))
    assert '"phone": "01632 960999"' in second.stdout


def test_concurrent_runs_all_answer_the_same(tmp_path: Path, mini: Path) -> None:
    """Eight processes start together on an empty cache directory."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "COLUMNS": "100"}
    command = [sys.executable, "-m", "remitctl", "who", "noise", "--at", "2026-06-05T21:00",
               "--json", "-r", str(mini)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env, cwd=tmp_path) for _ in range(8)]
    results = [(*p.communicate(timeout=120), p.returncode) for p in processes]
    assert {(code, err) for _, err, code in results} == {(0, "")}
    assert len({out for out, _, _ in results}) == 1
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path,
                           timeout=60)
    assert (again.returncode, again.stdout) == (0, results[0][0])
