"""The officer's words: a ranked search over everything the registry says about an issue."""

from __future__ import annotations

import json

import pytest

from phrasings import PHRASINGS
from remitctl.cover import search
from remitctl.registry.cache import load_with_status
from remitctl.registry.loader import load_registry

from conftest import BUNDLED

REQUIRED = 0.90


def test_phrasings_table_top_1_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    registry = load_registry(BUNDLED)
    misses = []
    for query, expected in PHRASINGS:
        match = search.find_issue(registry, query)
        got = match.issue.id if match.issue else None
        if got != expected:
            misses.append(f"  {query!r}: expected {expected}, got {got}"
                          + (f" (also: {', '.join(i.id for i in match.runners_up)})"
                             if match.runners_up else ""))
    accuracy = 1 - len(misses) / len(PHRASINGS)
    report = (f"phrasings: {len(PHRASINGS)}, top-1 accuracy {accuracy:.1%} "
              f"(required {REQUIRED:.0%}); misses:\n" + ("\n".join(misses) or "  none"))
    with capsys.disabled():
        print("\n" + report)
    assert len(PHRASINGS) >= 120
    assert len({q for q, _ in PHRASINGS}) == len(PHRASINGS), "a phrasing is listed twice"
    assert accuracy >= REQUIRED, report


def test_phrasings_are_not_the_registrys_own_names() -> None:
    """The table measures understanding, not lookup: most phrasings are no exact name."""
    registry = load_registry(BUNDLED)
    exact = [q for q, _ in PHRASINGS if search.find_issue(registry, q).exact]
    assert len(exact) <= len(PHRASINGS) // 5, exact


@pytest.mark.parametrize(("words", "expected"), [
    (["loud", "music"], "noise-nuisance"),
    (["dead", "body"], "sudden-death"),
    (["threatening", "to", "jump"], "mental-health-crisis"),
    (["jumper"], "mental-health-crisis"),
    (["injured", "swan"], "animal-welfare"),
    (["child", "left", "alone"], "child-protection-urgent"),
    (["traffic", "lights", "knocked", "down"], "highways"),
    (["dog", "bit", "a", "child"], "stray-dogs"),
    (["doctor", "for", "prisoner"], "out-of-hours-doctor"),
    (["custody", "doctor"], "out-of-hours-doctor"),
    (["edt"], "child-protection-urgent"),
    (["amhp"], "mental-health-crisis"),
    (["fme"], "out-of-hours-doctor"),
    (["rspca"], "animal-welfare"),
    (["dog"], "stray-dogs"),
    (["music", "loud"], "noise-nuisance"),  # any order
    (["nosie"], "noise-nuisance"),  # a small typo
    (["abandoned", "cars"], "abandoned-vehicles"),  # plural
])
def test_the_issues_examples_through_the_command(invoke, words: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", *words, "-r", str(BUNDLED), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["issue"]["id"] == expected


def test_edt_names_the_other_issue_it_covers(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "edt", "-r", str(BUNDLED), "-a", "kingsbridge")
    assert "also: Adult safeguarding" in result.stdout
    assert "(remitctl who adult-safeguarding)" in result.stdout


def test_dog_answers_stray_dogs_and_names_noise(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "dog", "-r", str(BUNDLED), "-a", "kingsbridge")
    assert result.stdout.startswith("Stray and dangerous dogs  (stray-dogs)\n")
    assert "also: Noise nuisance — " in result.stdout


def test_keywords_are_searched_and_listed(write_registry) -> None:  # type: ignore[no-untyped-def]
    from conftest import MINI

    text = MINI.replace("    aliases: [stray dog]\n",
                        "    aliases: [stray dog]\n    keywords: [mutt, pooch on the loose]\n")
    registry = load_registry(write_registry(text, "kw.yaml"))
    assert registry.issues["dogs"].keywords == ("mutt", "pooch on the loose")
    assert search.find_issue(registry, "a mutt").issue is registry.issues["dogs"]
    assert search.find_issue(registry, "pooch loose").issue is registry.issues["dogs"]


def test_the_index_is_the_same_from_the_cache(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The search index is derived from the Registry, so a cached registry (whatever its
    format) searches exactly as a freshly read one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    fresh, _ = load_with_status(BUNDLED)
    cached, status = load_with_status(BUNDLED)
    assert status == "hit"
    for query, _ in PHRASINGS[:40]:
        a, b = search.find_issue(fresh, query), search.find_issue(cached, query)
        assert (a.issue and a.issue.id, [i.id for i in a.runners_up]) == \
               (b.issue and b.issue.id, [i.id for i in b.runners_up])
