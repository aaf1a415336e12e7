"""The cache as an attacker on a shared machine sees it: entries are data, never code;
the directory and its entries are opened once, without following links; a forged,
planted or odd entry is refused, never used, never run."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cache_entry import Entry
from remitctl.registry import cache
from remitctl.registry.plain import CHUNK

from conftest import ROOT

AT = "2026-11-28T23:30"


class _Payload:
    """Unpickling this writes the marker file: what a planted pickle would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def _plant_pickle(directory: Path, key: str, marker: Path) -> None:
    payload = pickle.dumps(_Payload(marker))
    for suffix in (".json", ".pickle"):
        (directory / f"{key}{suffix}").write_bytes(cache._header(key) + payload)


def _forged_entry(directory: Path, key: str, registry_path: Path) -> None:
    """A well-formed, checksummed entry whose registry says FORGED."""
    registry, _ = cache.load_with_status(registry_path, use_cache=False)
    from dataclasses import replace

    from remitctl.hours.bank_holidays import table

    payload = cache._encode(replace(registry, name="FORGED"), table(range(2026, 2027)))
    assert payload is not None
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{key}.json").write_bytes(cache._header(key) + payload)


def _env(xdg: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(xdg), "NO_COLOR": "1", "COLUMNS": "100"}


def _who(mini: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "remitctl", "show", "police/control-room",
                           "--json", "-r", str(mini)], capture_output=True, text=True, env=env,
                          timeout=60, cwd=ROOT)


def test_a_planted_pickle_entry_never_runs(mini: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    xdg = tmp_path / "xdg"
    where = xdg / "remitctl"
    where.mkdir(parents=True, mode=0o700)
    key = cache._key(mini.read_bytes())
    _plant_pickle(where, key, marker)
    for _ in range(2):
        result = _who(mini, _env(xdg))
        assert result.returncode == 0, result.stderr
        assert '"phone": "01632 960000"' in result.stdout
    assert not marker.exists()
    assert not (where / f"{key}.pickle").exists()  # an earlier format's entry is removed
    assert Entry(where / f"{key}.json").core["format"] == cache.FORMAT


@pytest.mark.parametrize("damage", ["wrong type", "negative row", "row out of range",
                                    "extra field", "date", "holidays", "huge number"])
def test_a_forged_entry_with_a_matching_checksum_is_refused(mini: Path, damage: str) -> None:
    """Damage in a block of lines is found when a lookup reads it (the core is checked on
    opening): either way the registry is the file's."""
    built, status = cache.load_with_status(mini)
    assert status == "stored"
    where = cache.directory()
    assert where is not None
    [path] = where.glob("*.json")
    entry = Entry(path)
    refs, n = entry.rows_ref("services", "police/control-room")
    block = entry.block(refs[n])
    services = block["tables"]["Service"]
    column = services["fields"].index
    if damage == "wrong type":
        services["columns"][column("hours")][0] = ["24/7"]
    elif damage == "negative row":
        services["columns"][column("contact")][0] = -1
    elif damage == "row out of range":
        services["columns"][column("contact")][0] = 10_000
    elif damage == "extra field":
        services["fields"].append("run")
        services["columns"].append([0] * len(services["columns"][0]))
    elif damage == "date":
        services["columns"][column("verified")][0] = "2026-02-30"
    elif damage == "holidays":
        entry.core["bank_holidays"][0][2] = [["2026-01-01", {"__class__": "os.system"}]]
    else:
        services["columns"][column("line")][0] = 1e400
    refs[n] = entry.append(block)
    entry.write()
    forged = path.read_bytes()
    registry, status = cache.load_with_status(mini)
    assert status == ("stored" if damage == "holidays" else "hit")
    assert registry == built
    assert path.read_bytes() != forged  # written anew


@pytest.mark.parametrize("damage", ["path elsewhere", "path into a tuple", "count",
                                    "cover path"])
def test_a_forged_index_of_blocks_is_refused(mini: Path, damage: str) -> None:
    """The references to the blocks, their counts and the paths that find a field again
    in a registry parsed afresh: anything odd there refuses the whole entry."""
    built, _ = cache.load_with_status(mini)
    where = cache.directory()
    assert where is not None
    [path] = where.glob("*.json")
    entry = Entry(path)
    services = entry.cell("Registry", "services")
    if damage == "path elsewhere":
        services[2] = ["agencies"]
    elif damage == "path into a tuple":
        services[2] = ["issues", -1]
    elif damage == "count":
        services[0] += CHUNK * len(services[1])  # more rows than its blocks can hold
    else:
        entry.set_cell("Issue", "cover", [[0, 10**9, "0" * 32], ["issues", "x", "cover"]])
    entry.write()
    registry, status = cache.load_with_status(mini)
    assert (registry, status) == (built, "stored")


def test_rows_in_the_wrong_block_are_read_from_the_file(tmp_path: Path) -> None:
    from conftest import BUNDLED

    bundled = tmp_path / "remits.yaml"
    bundled.write_bytes(BUNDLED.read_bytes())
    built, _ = cache.load_with_status(bundled)
    where = cache.directory()
    assert where is not None
    [path] = where.glob("*.json")
    entry = Entry(path)
    refs = entry.cell("Registry", "services")[1]
    assert len(refs) >= 2
    refs[0], refs[1] = refs[1], refs[0]  # each block sound, but not where its keys belong
    entry.write()
    registry, status = cache.load_with_status(bundled)
    assert status == "hit"
    assert list(registry.services) == list(built.services)
    assert registry == built


def test_a_forged_cover_block_is_read_from_the_file(mini: Path) -> None:
    built, _ = cache.load_with_status(mini)
    where = cache.directory()
    assert where is not None
    [path] = where.glob("*.json")
    entry = Entry(path)
    ref, where_to = entry.cell("Issue", "cover")
    doc = entry.block(ref)
    doc["keys"] = doc["keys"] + doc["keys"][:1]  # a key twice
    doc["rows"] = doc["rows"] + doc["rows"][:1]
    entry.set_cell("Issue", "cover", [entry.append(doc), where_to])
    entry.write()
    registry, status = cache.load_with_status(mini)
    assert status == "hit"
    first = next(iter(built.issues))
    assert registry.issues[first].cover == built.issues[first].cover
    assert registry == built


def test_odd_entries_are_refused_without_blocking(mini: Path, tmp_path: Path) -> None:
    built, _ = cache.load_with_status(mini)
    where = cache.directory()
    assert where is not None
    [entry] = where.glob("*.json")
    good = entry.read_bytes()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(good)
    for make in ("symlink", "fifo", "directory", "too big"):
        if entry.is_dir() and not entry.is_symlink():
            entry.rmdir()
        entry.unlink(missing_ok=True)
        if make == "symlink":
            entry.symlink_to(elsewhere)
        elif make == "fifo":
            os.mkfifo(entry)
        elif make == "directory":
            entry.mkdir()
        else:
            with entry.open("wb") as f:
                f.write(good)
                f.truncate(cache.ENTRY_CAP + 1)
        start = time.monotonic()
        registry, status = cache.load_with_status(mini)
        assert time.monotonic() - start < 20
        assert registry == built
        assert status in ("stored", "not stored"), make
        assert elsewhere.read_bytes() == good  # a link is replaced, never written through


def test_a_symlinked_cache_directory_is_not_used(mini: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    theirs = tmp_path / "theirs"
    key = cache._key(mini.read_bytes())
    _forged_entry(theirs, key, mini)
    (xdg / "remitctl").symlink_to(theirs)
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    registry, status = cache.load_with_status(mini)
    assert (registry.name, status) == ("Test area", "not stored")
    assert (xdg / "remitctl").is_symlink()


def test_a_missing_home_gets_no_cache_directory(mini: Path, tmp_path: Path) -> None:
    env = {**_env(tmp_path), "HOME": str(tmp_path / "no-such-home")}
    del env["XDG_CACHE_HOME"]
    result = _who(mini, env)
    assert result.returncode == 0 and result.stderr == ""
    assert not (tmp_path / "no-such-home").exists()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="needs root to make files owned by another user")
def test_a_directory_or_entry_owned_by_another_user_is_not_used(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path / "xdg"
    key = cache._key(mini.read_bytes())
    _forged_entry(xdg / "remitctl", key, mini)
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    (xdg / "remitctl").chmod(0o700)
    os.chown(xdg / "remitctl", 65534, 65534)
    assert cache.load_with_status(mini)[0].name == "Test area"
    os.chown(xdg / "remitctl", 0, 0)
    os.chown(xdg / "remitctl" / f"{key}.json", 65534, 65534)
    assert cache.load_with_status(mini)[0].name == "Test area"


RACE = """\
import os, pathlib, sys, time
xdg, evil, stop = (pathlib.Path(a) for a in sys.argv[1:4])
n = 0
while not stop.exists():
    link = xdg / "remitctl"
    try:
        if link.is_dir() and not link.is_symlink():
            os.rename(link, xdg / f"moved-{n}")
        os.symlink(evil, xdg / "next")
        os.rename(xdg / "next", link)
        time.sleep(0.0005)
        os.unlink(link)
    except OSError:
        pass
    n += 1
print(n)
"""

VICTIM = """\
import pathlib, sys
from remitctl.registry.cache import load_with_status
registry_path = pathlib.Path(sys.argv[1])
names = set()
for _ in range(int(sys.argv[2])):
    registry, status = load_with_status(registry_path)
    names.add(registry.name)
print(sorted(names))
"""


def test_a_symlink_swap_race_on_a_shared_cache_directory_never_wins(mini: Path,
                                                                    tmp_path: Path) -> None:
    """Another user who can write the cache's parent (XDG_CACHE_HOME=/tmp/shared, mode
    777) swaps `remitctl` for a link to their own directory of forged and planted entries,
    again and again, while remitctl reads and writes its cache a few hundred times."""
    xdg = tmp_path / "shared"
    xdg.mkdir()
    xdg.chmod(0o777)
    evil = tmp_path / "evil"
    marker = tmp_path / "marker"
    key = cache._key(mini.read_bytes())
    _forged_entry(evil, key, mini)
    planted = tmp_path / "planted"
    planted.mkdir()
    _plant_pickle(planted, key, marker)
    stop = tmp_path / "stop"
    swapper = subprocess.Popen([sys.executable, "-c", RACE, str(xdg), str(evil), str(stop)],
                               stdout=subprocess.PIPE, text=True)
    try:
        victim = subprocess.run([sys.executable, "-c", VICTIM, str(mini), "300"],
                                capture_output=True, text=True, env=_env(xdg), timeout=300,
                                cwd=ROOT)
        answers = [_who(mini, _env(xdg)) for _ in range(5)]
        # The same race against a link to the planted pickles.
        evil_forged = evil.with_name("evil-forged")
        evil.rename(evil_forged)
        planted.rename(evil)
        victim2 = subprocess.run([sys.executable, "-c", VICTIM, str(mini), "100"],
                                 capture_output=True, text=True, env=_env(xdg), timeout=300,
                                 cwd=ROOT)
    finally:
        stop.touch()
        swaps = int(swapper.communicate(timeout=30)[0])
    assert victim.returncode == 0, victim.stderr
    assert victim.stdout.strip() == "['Test area']"
    assert victim2.returncode == 0, victim2.stderr
    assert victim2.stdout.strip() == "['Test area']"
    for result in answers:
        assert result.returncode == 0, result.stderr
        assert '"FORGED"' not in result.stdout and "Test area" in result.stdout
    assert not marker.exists()
    assert swaps > 300  # the link really was swapped in and out all along


def test_the_plain_form_reads_back_equal_or_is_not_stored(mini: Path) -> None:
    from dataclasses import replace

    from remitctl.registry.loader import load_registry
    from remitctl.registry.plain import registry_from_plain, to_plain

    from conftest import BUNDLED

    for path in (mini, BUNDLED):
        registry = load_registry(path)
        assert registry_from_plain(json.loads(json.dumps(to_plain(registry)))) == registry
    # A value JSON would change (a tuple read back as a list) is never stored.
    odd = replace(load_registry(mini), extras={"kept": ("a", "b")})
    assert cache._encode(odd, {}) is None


def test_a_planted_entry_for_a_broken_file_ends_as_bad_input(mini: Path) -> None:
    """An entry of ours, checksums and all, for bytes that do not parse: when a part of it
    proves unreadable mid-lookup the file is parsed afresh, and its problems are shown
    (exit 1) rather than an internal error."""
    cache.load_with_status(mini)
    where = cache.directory()
    assert where is not None
    [path] = where.glob("*.json")
    broken = mini.read_bytes().replace(b"timezone: Europe/London", b"timezone: Mars/Olympus")
    planted = path.with_name(cache._key(broken) + path.suffix)
    path.rename(planted)
    entry = Entry(planted)
    ref, where_to = entry.cell("Issue", "cover")
    doc = entry.block(ref)
    doc["keys"] = doc["keys"] + doc["keys"][:1]  # unreadable only when the cover is read
    doc["rows"] = doc["rows"] + doc["rows"][:1]
    entry.set_cell("Issue", "cover", [entry.append(doc), where_to])
    entry.write()
    mini.write_bytes(broken)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-m", "remitctl", "who", "noise", "--at", AT,
                           "-r", str(mini)], capture_output=True, text=True, env=env,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr
    assert "Mars/Olympus" in done.stderr
    assert done.stderr.splitlines()[-1] == ("remitctl: the registry has problems; nothing "
                                            "more was looked up (run remitctl validate)")
