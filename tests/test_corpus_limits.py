"""The reader's limits, through the core: what a hostile file may cost, and where its
problems are reported. The CLI corpus (test_corpus.py) runs the same files end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from remitctl.registry import yaml_source
from remitctl.registry.loader import MAX_BYTES, load_registry, parse_registry, read_text
from remitctl.registry.problems import RegistryError
from remitctl.registry.yaml_source import MAX_ALIAS_TEXT, MAX_TEXT, MAX_VALUES, read_yaml

from conftest import MINI


def problems(text: str) -> list[str]:
    return [p.format().split("\n")[0] for p in read_yaml(text, "r.yaml")[1]]


def test_one_long_text_repeated_through_aliases_is_refused() -> None:
    # 200 characters x 10,000 aliases = 2,000,000 characters: far under the 100,000
    # repeated-values limit, but `list` would print it all and `who` would search it.
    text = "version: 1\nnote: &n " + "w" * 200 + "\naliases: [" + ", ".join(["*n"] * 10_000) + "]\n"
    assert len(text) < 60_000
    assert problems(text) == [f"r.yaml:2:7: error: aliases repeat too much text (over "
                              f"{MAX_ALIAS_TEXT:,} characters)"]  # at the repeated text


def test_a_few_repeated_anchors_are_fine() -> None:
    text = ("version: 1\ncontact: &c {phone: '01632 960000'}\nlines:\n"
            + "".join(f"  - {{name: l{i}, contact: *c}}\n" for i in range(500)))
    located, found = read_yaml(text, "r.yaml")
    assert found == []
    assert located.data["lines"][499]["contact"] == {"phone": "01632 960000"}


def test_a_value_over_the_length_limit_is_refused_where_it_starts() -> None:
    assert problems(f"version: 1\nname: {'n' * (MAX_TEXT + 1)}\n") == [
        f"r.yaml:2:7: error: this value is {MAX_TEXT + 1:,} characters long; values over "
        f"{MAX_TEXT:,} characters are refused"]
    assert problems(f"version: 1\nname: {'n' * MAX_TEXT}\n") == []


def test_a_key_over_the_length_limit_is_refused() -> None:
    assert problems(f'version: 1\n? "{"k" * (MAX_TEXT + 5)}"\n: 1\n') == [
        f"r.yaml:2:3: error: this value is {MAX_TEXT + 5:,} characters long; values over "
        f"{MAX_TEXT:,} characters are refused"]


def test_millions_of_tiny_values_are_refused_before_they_are_built() -> None:
    text = "version: 1\nx: [" + "a," * (MAX_VALUES + 10) + "]\n"
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith("r.yaml:2:")
    assert found[0].endswith(f"the file holds more than {MAX_VALUES:,} values")


def test_the_bundled_sample_is_far_inside_every_limit() -> None:
    from conftest import BUNDLED

    text = BUNDLED.read_text(encoding="utf-8")
    assert len(text.encode()) * 50 < MAX_BYTES
    events = sum(1 for _ in yaml.parse(text, Loader=yaml.SafeLoader))
    assert events * 50 < MAX_VALUES


# -- where problems are reported -----------------------------------------------------------

@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_a_control_character_is_placed_at_its_line_and_column(loader: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(yaml_source, "_SAFE_LOADER", getattr(yaml, loader, yaml.SafeLoader))
    assert problems("version: 1\nname: Café €\x07x\n") == [
        "r.yaml:2:13: error: the character U+0007 is not allowed in YAML"]


def test_deep_nesting_without_libyaml_is_a_problem_not_a_crash(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """PyYAML's pure-Python parser (used where libyaml is missing) recurses per level."""
    monkeypatch.setattr(yaml_source, "_SAFE_LOADER", yaml.SafeLoader)
    for text in ("version: 1\nname: " + "[" * 1000 + "]" * 1000,
                 "version: 1\nname: " + "{a: " * 1000 + "1" + "}" * 1000):
        assert problems(text) == ["r.yaml: error: the document is nested too deeply"]


# -- reading the file ------------------------------------------------------------------------

def test_an_endless_device_is_refused_without_reading_it() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with pytest.raises(RegistryError) as caught:
        read_text(Path("/dev/zero"))
    assert caught.value.problems[0].message == "is a device, not a registry file"


def test_an_endless_pipe_is_read_only_up_to_the_limit() -> None:
    import subprocess

    with subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE) as endless:
        assert endless.stdout is not None
        with pytest.raises(RegistryError) as caught:
            read_text(Path(f"/dev/fd/{endless.stdout.fileno()}"))
        endless.kill()
    assert caught.value.problems[0].message == (
        f"is over {MAX_BYTES // 2**20} MiB; larger registries are refused")


def test_a_pipe_is_read_like_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "registry.fifo"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writer
        try:
            with open(fifo, "w", encoding="utf-8") as f:
                f.write(MINI)
        finally:
            os._exit(0)
    try:
        assert load_registry(fifo).name == "Test area"
    finally:
        os.waitpid(pid, 0)


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(RegistryError) as caught:
        read_text(path)
    mib = MAX_BYTES // (1024 * 1024)
    assert caught.value.problems[0].message.startswith(f"is {mib} MiB; registries over {mib} MiB")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_named_not_called_binary(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.yaml"
    data = MINI.encode(encoding)
    path.write_bytes(data if data[:2] in (b"\xff\xfe", b"\xfe\xff") else b"\xfe\xff" + data)
    with pytest.raises(RegistryError) as caught:
        read_text(path)
    assert [(p.message, p.hint) for p in caught.value.problems] == [
        ("is UTF-16 or UTF-32 text, not UTF-8", "save the file as UTF-8")]


def test_unquoted_digits_get_a_quote_them_hint() -> None:
    with pytest.raises(RegistryError) as caught:
        parse_registry(MINI.replace('{phone: "01632 960000"}', "{phone: 101}"), "r.yaml")
    [problem] = caught.value.problems
    assert problem.message == "police/control-room contact.phone 101 must be in quotes"
    assert problem.hint is not None and problem.hint.startswith(
        "YAML reads unquoted digits as a number")


def _chain(lines: int, *, loop: bool) -> str:
    services = "".join(
        f"      s{i}:\n        name: S{i}\n        contact: {{phone: '01632 960000'}}\n"
        f"        hours: '24/7'\n        fallback: a/s{(i + 1) % lines if loop else i + 1}\n"
        for i in range(lines - 1))
    last = lines - 1
    services += (f"      s{last}:\n        name: S\n        contact: {{phone: '01632 960000'}}\n"
                 f"        hours: '24/7'\n" + ("        fallback: a/s0\n" if loop else ""))
    return (f"version: 1\nname: x\nagencies:\n  a:\n    name: A\n    services:\n{services}"
            "issues:\n  x:\n    title: X\n    cover: {default: [a/s0]}\n")


def test_fallback_loops_are_found_in_one_walk(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Walking every chain from every line was cubic: 1,500 chained lines took 5 s."""
    steps = 0
    real = dict.__contains__

    class Counting(dict):  # type: ignore[type-arg]
        def __contains__(self, key: object) -> bool:
            nonlocal steps
            steps += 1
            return real(self, key)

    from remitctl.registry import loader

    real_check = loader._Checker.check_fallback_loops
    monkeypatch.setattr(loader._Checker, "check_fallback_loops",
                        lambda self, services: real_check(self, Counting(services)))
    with pytest.raises(RegistryError) as caught:
        parse_registry(_chain(1500, loop=True), "r.yaml")
    [problem] = caught.value.problems
    assert problem.message == ("fallback chain loops: a/s0 → a/s1 → a/s2 → a/s3 → a/s4 → "
                               "… 1492 more … → a/s1497 → a/s1498 → a/s1499 → a/s0")
    assert (problem.line, problem.column) == (11, 19)  # s0's fallback
    assert steps < 10 * 1500
    steps = 0
    assert len(parse_registry(_chain(1500, loop=False), "r.yaml").services) == 1500
    assert steps < 10 * 1500


def test_thousands_of_bad_names_are_all_reported_but_only_the_first_get_suggestions(
        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each suggestion compares the name with every option: 20,000 dangling references
    took almost two minutes to report."""
    from remitctl.registry import loader

    calls = 0
    real = loader.nearest

    def counting(word: str, options: list[str], **kwargs: int) -> list[str]:
        nonlocal calls
        calls += 1
        return real(word, options, **kwargs)

    monkeypatch.setattr(loader, "nearest", counting)
    refs = ", ".join(f"police/control-rom{i}" for i in range(2000))
    dangling = MINI.replace("      east: [council/office, council/patrol]\n",
                            f"      east: [{refs}]\n")
    keys = "".join(f"    nmae{i}: x\n" for i in range(2000))
    unknown = MINI.replace("  east: {name: East}\n", f"  east:\n    name: East\n{keys}")
    for registry, count in ((dangling, 2000), (unknown, 2000)):
        assert registry != MINI
        calls = 0
        with pytest.raises(RegistryError) as caught:
            parse_registry(registry, "r.yaml")
        assert len(caught.value.problems) == count
        assert calls <= 2 * loader.MAX_SUGGESTIONS  # at most twice for each of the first
        hinted = [p for p in caught.value.problems if p.hint and "did you mean" in p.hint]
        assert 0 < len(hinted) <= loader.MAX_SUGGESTIONS


def test_nearest_skips_options_whose_length_alone_rules_them_out(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from remitctl import fuzzy

    compared: list[tuple[str, str]] = []
    real = fuzzy.distance
    monkeypatch.setattr(fuzzy, "distance",
                        lambda a, b, limit=None: compared.append((a, b)) or real(a, b, limit))
    assert fuzzy.nearest("x" * 100_000, ["east", "west", "north-moor"]) == []
    assert compared == []
    assert fuzzy.nearest("nroth-moor", ["east", "west", "north-moor"]) == ["north-moor"]
    assert fuzzy.nearest("eats", ["east", "west", "north-moor"]) == ["east"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcde", max_size=9), st.text(alphabet="abcde", max_size=9),
       st.integers(0, 4))
def test_a_bounded_distance_is_the_distance_up_to_its_limit(a: str, b: str, limit: int) -> None:
    """`distance(a, b, limit)` stops early once it is past the limit: it must agree with
    the whole table wherever the answer is within the limit, and say limit + 1 past it."""
    from remitctl.fuzzy import distance

    full = distance(a, b)
    assert distance(a, b, limit) == (full if full <= limit else limit + 1)
