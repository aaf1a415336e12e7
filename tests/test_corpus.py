"""Bad and hostile registries: every command that reads one exits 1 with a message naming
the file (and the line and column where there is one), never a traceback or an answer.

tests/corpus/*.yaml each start with `# expect: LINE:COL: message | …`; the huge, binary,
deep and bomb cases are written at test time into tmp_path to keep the repository small.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from corpus import NOT_A_FILE_IS_USAGE, READERS, argv, readers, yaml_str
from remitctl.registry.loader import MAX_BYTES, load_registry
from remitctl.registry.yaml_source import MAX_VALUES

from conftest import MINI

CORPUS = Path(__file__).parent / "corpus"
ANSWERING = {"who", "now", "show", "list", "agencies", "gaps"}  # print nothing on failure
MIB = 1024 * 1024


@dataclass(frozen=True)
class Expect:
    where: str  # regex for "LINE:COL", or "" when the problem concerns the whole file
    fragment: str


def _static() -> dict[str, tuple[Callable[[Path], Path], list[Expect]]]:
    cases = {}
    for file in sorted(CORPUS.glob("*.yaml")):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# expect: "), file.name
        expects = []
        for part in first.removeprefix("# expect: ").split(" | "):
            where, _, fragment = part.partition(": ")
            expects.append(Expect(re.escape(where), fragment))
        cases[file.stem] = ((lambda _tmp, f=file: f), expects)
    return cases


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return path

    return build


def _laughs() -> str:
    lines = ['version: 1', 'lol:', '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join([*lines, "name: *a9", "agencies: {}", "issues: {}", ""])


def _text_bomb() -> str:
    """Aimed at a free-text field: one long alias text repeated thousands of times, which
    `list` would join and `who` would search (hundreds of megabytes)."""
    registry = MINI.replace(
        "    aliases: [loud music, barking dog]\n",
        f"    remit: &remit {'why ' * 2000}\n    aliases: [" + ", ".join(["*remit"] * 5000) + "]\n")
    assert registry != MINI
    return registry


def _generated() -> dict[str, tuple[Callable[[Path], Path], list[Expect]]]:
    mini_line = next(n for n, line in enumerate(MINI.splitlines(), 1) if "title: Noise" in line)
    return {
        "empty-file": (_write("empty.yaml", b""), [Expect("1:1", "the registry is empty")]),
        "binary": (_write("binary.yaml", bytes(range(256)) * 64),
                   [Expect("", "is binary, not a YAML text file")]),
        "non-utf-8": (_write("latin1.yaml", "version: 1\nname: Café\n".encode("latin-1")),
                      [Expect("2:10", "is not valid UTF-8 text")]),
        "utf-16": (_write("utf16.yaml", MINI.encode("utf-16")),
                   [Expect("", "is UTF-16 or UTF-32 text")]),
        "tens-of-megabytes": (_write("huge.yaml", "# " + "x" * (30 * MIB) + "\n"),
                              [Expect("", f"is 30 MiB; registries over {MAX_BYTES // MIB} MiB")]),
        "too-many-values": (_write("values.yaml",
                                   "version: 1\nx: [" + "a," * (MAX_VALUES + 10) + "]"),
                             [Expect(r"2:\d+", f"the file holds more than {MAX_VALUES:,} values")]),
        "very-long-string": (_write("long.yaml", MINI.replace("title: Noise nuisance",
                                                              "title: " + "N" * 1_000_000)),
                             [Expect(f"{mini_line}:12", "this value is 1,000,000 characters")]),
        "very-long-key": (_write("longkey.yaml", "version: 1\n? " + yaml_str("k" * 20_000)
                                 + "\n: 1\n"), [Expect("2:3", "this value is 20,000 characters")]),
        "nesting-50000-flow-lists": (_write("deep1.yaml", "version: 1\nname: " + "[" * 50_000
                                            + "]" * 50_000 + "\n"),
                                     [Expect(r"2:\d+", "exceeded maximum nesting depth")]),
        "nesting-50000-flow-maps": (_write("deep2.yaml", "version: 1\nname: " + "{a: " * 50_000
                                           + "1" + "}" * 50_000 + "\n"),
                                    [Expect(r"2:\d+", "exceeded maximum nesting depth")]),
        "nesting-2500-blocks": (_write("deep3.yaml", "version: 1\nname:\n" + "".join(
            " " * i + "a:\n" for i in range(1, 2500))), [Expect(r"\d+:\d+", "nesting depth")]),
        "nesting-100-within-yaml-limits": (_write("deep4.yaml", "version: 1\nname: " + "[" * 100
                                                  + "]" * 100 + "\n"),
                                           [Expect(r"2:\d+", "nested more than 64 levels deep")]),
        "billion-laughs": (_write("laughs.yaml", _laughs()),
                           [Expect(r"\d+:\d+", "aliases expand to too many values")]),
        "alias-bomb-free-text": (_write("textbomb.yaml", _text_bomb()),
                                 [Expect(r"\d+:\d+", "aliases repeat too much text")]),
        "python-object-apply": (_write("apply.yaml", "version: 1\nname: "
                                       "!!python/object/apply:os.mkdir [canary-dir]\n"),
                                [Expect("2:7", "the YAML tag '!!python/object/apply:os.mkdir'")]),
        "a-directory": (lambda tmp: _mkdir(tmp / "registry-dir"),
                        [Expect("", "is a directory, not a registry file")]),
        "missing-file": (lambda tmp: tmp / "nope.yaml", [Expect("", "no such file")]),
        "endless-device": (lambda _tmp: Path("/dev/zero"),
                           [Expect("", "is a device, not a registry file")]),
    }


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


CASES = {**_static(), **_generated()}


def test_the_corpus_is_large_and_covers_every_reader() -> None:
    assert len(CASES) >= 40
    assert {"who", "now", "show", "list", "agencies"} <= set(readers())
    assert set(READERS) >= {"who", "now", "gaps", "validate", "show", "diff"}


def refused(result, label: str, expects: list[Expect], name: str) -> None:  # type: ignore[no-untyped-def]
    output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert "Traceback" not in output and "internal error" not in output
    # Each problem with its hint: "FILE:LINE:COL: error: message\n  hint: …".
    problems = re.split(r"\n(?!  hint: )", output)
    for expect in expects:
        where = f":{expect.where}" if expect.where else ""
        pattern = re.compile(rf"{re.escape(label)}{where}: error: .*{re.escape(expect.fragment)}",
                             re.DOTALL)
        assert any(pattern.match(p) for p in problems), f"{expect} not in:\n{output}"
    if name in ANSWERING:
        assert result.stdout == "", "a registry that failed to load gave an answer"


@pytest.mark.parametrize("reader", readers())
@pytest.mark.parametrize("case", list(CASES))
def test_every_reader_refuses_every_bad_registry(invoke, tmp_path: Path, mini: Path,
                                                 case: str, reader: str) -> None:  # type: ignore[no-untyped-def]
    build, expects = CASES[case]
    if case == "endless-device" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    path = build(tmp_path)
    result = invoke(*argv(reader, path, good=mini))
    if reader in NOT_A_FILE_IS_USAGE and not path.is_file():
        assert result.exit_code == 2, result.output
        assert str(path) in result.stderr and "Traceback" not in result.output
        return
    refused(result, str(path), expects, reader)


# -- the cases that must load ----------------------------------------------------------------

def test_utf8_byte_order_mark_loads(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI.encode())
    for reader in readers():
        result = invoke(*argv(reader, path))
        assert result.exit_code == 0, (reader, result.output)
    assert load_registry(path).name == "Test area"


def test_yaml_1_1_traps_stay_text(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "traps.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        name: yes
        agencies:
          no:
            name: off
            kind: on
            services:
              desk:
                name: 17:30
                contact: {phone: 01632 960000, other: y}
                hours: "24/7"
                notes: 1_000
        issues:
          norway:
            title: no
            aliases: [off, n, 12:00:00]
            cover: {default: [no/desk]}
        """), encoding="utf-8")
    registry = load_registry(path)
    service = registry.services["no/desk"]
    assert (registry.name, registry.agencies["no"].name, registry.agencies["no"].kind) == \
        ("yes", "off", "on")
    assert (service.name, service.contact.phone, service.contact.other, service.notes) == \
        ("17:30", "01632 960000", "y", "1_000")
    assert registry.issues["norway"].title == "no"
    assert registry.issues["norway"].aliases == ("off", "n", "12:00:00")
    result = invoke("who", "off", "--at", "2026-06-01T12:00", "-r", str(path))
    assert result.exit_code == 0 and "17:30" in result.stdout


# -- code must never run ---------------------------------------------------------------------

def test_python_tags_never_run_code(invoke, tmp_path: Path, mini: Path) -> None:  # type: ignore[no-untyped-def]
    canary = tmp_path / "canary-dir"  # the tests run in tmp_path (conftest)
    payload = "version: 1\nname: !!python/object/apply:os.mkdir [canary-dir]\n"
    # The payload is live: PyYAML's unsafe loader runs it.
    yaml.unsafe_load(payload)
    assert canary.is_dir()
    canary.rmdir()
    path = tmp_path / "apply.yaml"
    for text in (payload, "version: 1\nname: x\nagencies: {}\nissues: {}\nx:\n  - "
                 "!!python/object/apply:os.mkdir [canary-dir]\n",
                 "!!python/object/apply:os.mkdir [canary-dir]\n",
                 "%TAG !p! tag:yaml.org,2002:python/\n---\n!p!object/apply:os.mkdir [canary-dir]\n",
                 "!<tag:yaml.org,2002:python/object/apply:os.mkdir> [canary-dir]\n"):
        path.write_text(text, encoding="utf-8")
        for reader in readers():
            result = invoke(*argv(reader, path, good=mini))
            assert result.exit_code == 1, result.output
            assert "is not allowed" in result.stderr + result.stdout
        assert not canary.exists(), text


# -- files that cannot be read ---------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their mode; see the simulated test")
def test_unreadable_file(invoke, tmp_path: Path, mini: Path) -> None:  # type: ignore[no-untyped-def]
    mini.chmod(0)
    try:
        for reader in readers():
            result = invoke(*argv(reader, mini))
            refused(result, str(mini), [Expect("", "cannot be read (permission denied)")], reader)
    finally:
        mini.chmod(0o644)


def test_unreadable_file_simulated(invoke, mini: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As root (CI containers) chmod 000 does not stop reads, so the open itself fails."""
    real_open = os.open

    def deny(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(path, str | Path) and os.fspath(path) == str(mini):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    for reader in readers():
        result = invoke(*argv(reader, mini))
        refused(result, str(mini), [Expect("", "cannot be read (permission denied)")], reader)


# -- bounded time and memory -----------------------------------------------------------------

HEAVY = ["tens-of-megabytes", "too-many-values", "very-long-string", "nesting-50000-flow-lists",
         "billion-laughs", "alias-bomb-free-text", "endless-device"]


@pytest.mark.skipif(sys.platform != "linux", reason="resource limits as on Linux")
@pytest.mark.parametrize("case", HEAVY)
def test_heavy_cases_stay_within_memory_and_time(tmp_path: Path, case: str) -> None:
    """In a real process limited to 512 MiB of memory and 20 s of CPU (an exceeded limit
    kills it or makes it fail with MemoryError, so exit 1 means it stayed within them)."""
    build, expects = CASES[case]
    path = build(tmp_path)
    limits = ("import resource, sys; from remitctl.cli import main; "
              "resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20)); "
              "resource.setrlimit(resource.RLIMIT_CPU, (20, 20)); sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", limits, "now", "-r", str(path)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr[-2000:]
    assert expects[0].fragment in done.stderr
    assert "Traceback" not in done.stderr
