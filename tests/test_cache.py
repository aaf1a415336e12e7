"""The compiled registry cache saves time and can never change an answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cache_entry import Entry
from remitctl.hours import bank_holidays
from remitctl.registry import cache, loader
from remitctl.registry.problems import RegistryError

from conftest import BUNDLED, MINI, ROOT

AT = "2026-11-28T23:30"
SPOTS = ("2026-11-28T23:30", "2026-12-25T10:00", "2027-01-01T03:00", "2026-03-29T01:30",
         "2026-08-31T08:59")


def _entries() -> list[Path]:
    where = cache.directory()
    assert where is not None
    return sorted(where.glob("*.json")) if where.is_dir() else []


def _answers(invoke, registry: Path, *extra: str) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for at in SPOTS:
        for args in (("now", "--json"), ("who", "noise", "--json"), ("who", "stray dog"),
                     ("now",)):
            result = invoke(*extra, *args, "--at", at, "-r", str(registry))
            assert result.exit_code == 0, result.output
            out.append(result.stdout)
    return out


@pytest.mark.parametrize("which", ["mini", "bundled"])
def test_same_answers_with_and_without_the_cache(invoke, mini: Path, which: str, clock) -> None:  # type: ignore[no-untyped-def]
    clock("2026-11-29T12:00")  # answers say how far the moment is from now: keep now still
    registry = mini if which == "mini" else BUNDLED
    fresh = _answers(invoke, registry, "--no-cache")
    assert _entries() == []
    first = _answers(invoke, registry)  # builds the entry, then reads it
    assert len(_entries()) == 1
    assert cache.load_with_status(registry, str(registry))[1] == "hit"
    again = _answers(invoke, registry)
    assert first == fresh
    assert again == fresh


def test_a_hit_reads_no_yaml(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built, status = cache.load_with_status(mini)
    assert status == "stored"

    def refuse(*_: object) -> None:
        raise AssertionError("the loader ran on a cache hit")

    monkeypatch.setattr(loader, "load_registry", refuse)
    registry, status = cache.load_with_status(mini)
    assert status == "hit"
    assert registry == built


def test_a_hit_imports_neither_yaml_nor_pydantic_nor_holidays(mini: Path, tmp_path: Path) -> None:
    script = (
        "import sys, pathlib\n"
        "from remitctl.registry.cache import load_with_status\n"
        f"registry, status = load_with_status(pathlib.Path({str(mini)!r}))\n"
        "from remitctl.hours.bank_holidays import bank_holidays\n"
        "days = bank_holidays('scotland', range(2026, 2028))\n"
        "print(status, len(days), sorted(m for m in ('yaml', 'pydantic', 'holidays')"
        " if m in sys.modules))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache-sub")}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True, cwd=ROOT).stdout.split(maxsplit=2)
            for _ in range(2)]
    days = len(bank_holidays.bank_holidays("scotland", range(2026, 2028)))
    assert runs[0][:2] == ["stored", str(days)]
    assert runs[1] == ["hit", str(days), "[]\n"]


def test_bank_holidays_from_the_cache_are_the_holidays_package_dates() -> None:
    years = range(2020, 2031)
    stored = bank_holidays.table(years)
    import holidays

    for nation, subdiv in bank_holidays.SUBDIVISION.items():
        for year in years:
            live = holidays.country_holidays("GB", subdiv=subdiv, years=[year])
            assert dict(stored[nation, year]) == dict(bank_holidays.gov_uk(live.items()))


def test_a_stale_entry_is_not_used(invoke, mini: Path) -> None:  # type: ignore[no-untyped-def]
    before = invoke("who", "noise", "--area", "west", "--at", AT, "-r", str(mini))
    assert "01632 960100" in before.stdout
    mini.write_text(MINI.replace("01632 960100", "01632 960199"), encoding="utf-8")
    after = invoke("who", "noise", "--area", "west", "--at", AT, "-r", str(mini))
    assert "01632 960199" in after.stdout and "01632 960100" not in after.stdout
    assert len(_entries()) == 2
    assert after.stdout == invoke("--no-cache", "who", "noise", "--area", "west", "--at", AT,
                                  "-r", str(mini)).stdout


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped", "garbage", "other-key",
                                    "other-format", "not-a-registry", "core-ref", "core-outside"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(mini: Path, damage: str) -> None:
    built, _ = cache.load_with_status(mini)
    [entry] = _entries()
    data = entry.read_bytes()
    key = entry.stem
    head = len(cache._header(key))
    if damage == "empty":
        data = b""
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":  # in the core block, which is written last
        middle = len(data) - 200
        data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
    elif damage == "garbage":
        data = os.urandom(len(data))
    elif damage == "other-key":
        data = data.replace(key.encode(), ("0" * 64).encode(), 1)
    elif damage == "core-ref":  # the line naming the core block is not three numbers
        end = data.index(b"\n", head)
        data = data[:head] + b"12 x " + data[head:end] + data[end:]
    elif damage == "core-outside":
        end = data.index(b"\n", head)
        start, size, checksum = data[head:end].split(b" ")
        data = data[:head] + b"%d %s %s" % (int(start) + 10**9, size, checksum) + data[end:]
    else:  # a whole, checksummed entry that is not this format's
        forged = Entry(entry)
        if damage == "other-format":
            forged.core["format"] = cache.FORMAT + 1
        else:
            forged.core["registry"] = {"name": "not a registry"}
        forged.write()
        data = entry.read_bytes()
    entry.write_bytes(data)
    registry, status = cache.load_with_status(mini)
    assert status == "stored"
    assert registry == built
    assert cache.load_with_status(mini)[1] == "hit"


@pytest.mark.parametrize("damage", ["flipped", "truncated", "not json", "wrong shape"])
def test_a_damaged_block_is_read_from_the_file_instead(mini: Path, damage: str) -> None:
    """A block of lines is read only when a lookup needs it: damaged, the lookup's answer
    is the file's, and the entry is written anew."""
    built, _ = cache.load_with_status(mini)
    [path] = _entries()
    entry = Entry(path)
    refs, n = entry.rows_ref("services", "police/control-room")
    if damage == "flipped":
        start = refs[n][0]
        entry.payload[start + 5] ^= 0x01
    elif damage == "truncated":  # the ref points past the end of the entry
        refs[n] = [refs[n][0], refs[n][1] + len(entry.payload), refs[n][2]]
    elif damage == "not json":
        refs[n] = entry.append(None, b"{not json")
    else:
        doc = entry.block(refs[n])
        doc["at"] = [a + 1000 for a in doc["at"]]
        refs[n] = entry.append(doc)
    entry.write()
    damaged = path.read_bytes()
    registry, status = cache.load_with_status(mini)
    assert status == "hit"  # the core is sound
    assert registry.services["police/control-room"] == built.services["police/control-room"]
    assert registry == built
    assert path.read_bytes() != damaged  # written anew
    again, status = cache.load_with_status(mini)
    assert status == "hit" and again == built


def test_another_version_of_remitctl_does_not_use_the_entry(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load_with_status(mini)
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert cache.load_with_status(mini)[1] == "stored"
    assert len(_entries()) == 2


def test_the_key_names_the_installed_library_versions() -> None:
    from importlib.metadata import version

    found = dict(line.split(" ", 1) for line in cache._dependency_versions())
    names = {"holidays": "holidays", "opening_hours_py": "opening-hours-py",
             "pydantic": "pydantic", "pydantic_core": "pydantic-core", "pyyaml": "PyYAML"}
    assert found == {ours: version(dist) for ours, dist in names.items()}
    environment = cache.environment()
    assert sys.version in environment
    assert "registry/loader.py" in environment and "hours/bank_holidays.py" in environment


def test_a_change_to_the_code_is_a_new_key(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache._key(mini.read_bytes())
    stamps = cache._code_stamps()
    monkeypatch.setattr(cache, "_code_stamps", lambda: [*stamps[:-1], stamps[-1] + "1"])
    assert cache._key(mini.read_bytes()) != key


def test_no_cache_option_and_environment(invoke, mini: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert invoke("--no-cache", "who", "noise", "-r", str(mini)).exit_code == 0
    monkeypatch.setenv("REMITCTL_NO_CACHE", "1")
    assert invoke("now", "-r", str(mini)).exit_code == 0
    assert cache.load_with_status(mini)[1] == "off"
    assert _entries() == []
    monkeypatch.setenv("REMITCTL_NO_CACHE", "0")
    assert invoke("now", "-r", str(mini)).exit_code == 0
    assert len(_entries()) == 1


def test_an_unwritable_cache_is_no_problem(invoke, mini: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    expected = invoke("--no-cache", "now", "--at", AT, "-r", str(mini))
    result = invoke("now", "--at", AT, "-r", str(mini))
    assert result.exit_code == 0
    assert result.stdout == expected.stdout
    assert result.stderr == ""
    assert cache.load_with_status(mini)[1] == "not stored"


def test_a_directory_others_can_write_is_not_trusted(mini: Path) -> None:
    cache.load_with_status(mini)
    where = cache.directory()
    assert where is not None
    where.chmod(0o777)
    try:
        assert cache.load_with_status(mini)[1] == "not stored"
    finally:
        where.chmod(0o700)
    assert cache.load_with_status(mini)[1] == "hit"


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() is None  # no such home: nothing is made under it
    (tmp_path / "home").mkdir()
    assert cache.directory() == tmp_path / "home" / ".cache" / "remitctl"


def test_the_bytes_are_read_once_for_key_and_parse(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit after the file is read changes neither the key nor what is parsed: the
    entry holds what its key says."""
    from remitctl.registry import reading

    read = reading.read_bytes
    calls = []

    def read_then_edit(path: Path, label: str | None = None) -> bytes:
        raw = read(path, label)
        calls.append(path)
        path.write_text(MINI.replace("Test area", "Edited area"), encoding="utf-8")
        return raw

    monkeypatch.setattr(reading, "read_bytes", read_then_edit)
    registry, status = cache.load_with_status(mini)
    assert (registry.name, status, len(calls)) == ("Test area", "stored", 1)
    [entry] = _entries()
    assert entry.stem == cache._key(MINI.encode())


def test_each_label_is_kept(mini: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(mini.read_bytes())
    assert cache.load(mini, "first").source == "first"
    registry, status = cache.load_with_status(copy, "second")
    assert (registry.source, status) == ("second", "hit")


def test_an_invalid_registry_is_reported_every_time(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    bad = write_registry(MINI.replace('hours: "24/7"', 'hours: "25/7"'), "bad.yaml")
    for _ in range(2):
        result = invoke("now", "-r", str(bad))
        assert result.exit_code == 1
        assert "bad.yaml:" in result.stderr and "is not valid opening_hours" in result.stderr
    assert _entries() == []
    with pytest.raises(RegistryError):
        cache.load(bad)


def test_concurrent_first_runs_agree(mini: Path, tmp_path: Path) -> None:
    script = ("import pathlib, json\n"
              "from remitctl.registry.cache import load_with_status\n"
              f"r, s = load_with_status(pathlib.Path({str(mini)!r}))\n"
              "print(json.dumps([s, r.digest, sorted(r.services)]))\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "shared")}
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env,
                              cwd=ROOT, text=True) for _ in range(4)]
    results = [json.loads(p.communicate()[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len({json.dumps(r[1:]) for r in results}) == 1
    assert {r[0] for r in results} <= {"stored", "hit"}
    leftovers = [p.name for p in (tmp_path / "shared" / "remitctl").iterdir()]
    assert len(leftovers) == 1 and leftovers[0].endswith(".json")


def test_old_entries_are_pruned(write_registry) -> None:  # type: ignore[no-untyped-def]
    for n in range(cache.KEEP + 3):
        path = write_registry(MINI.replace("Test area", f"Area {n}"), f"r{n}.yaml")
        assert cache.load_with_status(path)[1] == "stored"
    assert len(_entries()) == cache.KEEP
