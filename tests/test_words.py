"""The officer's words, round two (issue 20): word forms, the vocabulary, threat to life
first, asking when unsure, and the held-out accuracy."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heldout_phrasings import HELDOUT
from remitctl.cover import search
from remitctl.cover.search import normalise
from remitctl.cover.vocabulary import _key, bundled, read
from remitctl.cover.vocabulary_uk import TERMS
from remitctl.cover.words import prose, words
from remitctl.registry.cache import load_with_status
from remitctl.registry.loader import load_registry

from conftest import BUNDLED, MINI

AT = "2026-11-28T23:30"
URGENT = {"mental-health-crisis", "child-protection-urgent"}


def who_json(invoke, *words: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = invoke("who", *words, "-r", str(BUNDLED), "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# The misses issue 20 lists, through the command, with the exact answer.
@pytest.mark.parametrize(("question", "expected"), [
    ("man says he's going to kill himself", "mental-health-crisis"),
    ("cuckooing", "adult-safeguarding"),
    ("police surgeon", "out-of-hours-doctor"),
    ("MG3", "cps-charging-advice"),
    ("can the cameras follow him down the high street", "urban-cctv"),
    ("fire hydrant leaking", "water-and-sewers"),
    ("dead deer in the carriageway", "highways"),
    ("worried about the kids' home conditions, not urgent", "child-social-care-referral"),
])
def test_the_issues_misses(invoke, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    doc = who_json(invoke, *question.split())
    assert doc["issue"]["id"] == expected
    assert doc["threat_to_life"] is (expected in URGENT)


def test_a_threat_to_life_in_text_says_so(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "man", "says", "he's", "going", "to", "kill", "himself",
                    "-r", str(BUNDLED), "--at", AT, "-a", "kingsbridge")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Mental health crisis  (mental-health-crisis)"
    assert lines[2] == "threat to life: answered with the urgent issue type"
    assert "flooding" not in result.stdout.lower()


# Threat to life: however it is put, the urgent issue type answers, never a refusal.
SUICIDE = ["kill {self}", "going to kill {self}", "wants to end {poss} life",
           "threatening to take {poss} own life", "says {pron} wants to die", "cut {self} again",
           "is self harming", "tried to hang {self}", "has taken an overdose",
           "took a load of tablets", "suicide note found", "{pron}'s suicidal"]
CHILD = ["child at risk of significant harm", "baby home alone", "toddler in danger",
         "kids being beaten by dad", "13 year old at immediate risk", "child in danger tonight"]
WHO = [("himself", "his", "he"), ("herself", "her", "she"), ("themselves", "their", "they")]


@pytest.mark.parametrize("template", SUICIDE)
@pytest.mark.parametrize(("self_", "poss", "pron"), WHO)
def test_suicide_and_self_harm_answer_the_crisis_issue(template: str, self_: str, poss: str,
                                                      pron: str) -> None:
    registry = load_registry(BUNDLED)
    question = template.format(self=self_, poss=poss, pron=pron)
    match = search.find_issue(registry, question)
    assert match.issue is not None and match.issue.id == "mental-health-crisis", question
    assert match.danger and not match.ask


@pytest.mark.parametrize("question", CHILD)
def test_a_child_at_risk_now_answers_child_protection(question: str) -> None:
    match = search.find_issue(load_registry(BUNDLED), question)
    assert match.issue is not None and match.issue.id == "child-protection-urgent", question
    assert match.danger


@settings(max_examples=60, deadline=None)
@given(before=st.sampled_from(["", "male ", "caller says ", "neighbour reports ", "ex "]),
       phrase=st.sampled_from(["threatening suicide", "wants to kill himself", "in crisis and "
                               "wants to die", "self harm", "overdosed"]),
       after=st.sampled_from(["", " on the bridge", " by the river", " near the flood",
                              " outside the gas works", " with a dog", " at the cctv office"]))
def test_a_threat_to_life_is_never_refused_nor_answered_by_anything_else(
        before: str, phrase: str, after: str) -> None:
    match = search.find_issue(load_registry(BUNDLED), before + phrase + after)
    assert match.issue is not None and match.issue.id in URGENT
    assert match.issue.id == "mental-health-crisis"


@pytest.mark.parametrize(("query", "danger"), [("suicidal", True), ("Mental health crisis", False),
                                             ("mental-health-crisis", False)])
def test_an_urgent_issue_named_exactly_says_whether_the_words_are_a_threat_to_life(
        invoke, query: str, danger: bool) -> None:  # type: ignore[no-untyped-def]
    match = search.find_issue(load_registry(BUNDLED), query)
    assert match.exact and match.issue is not None
    assert match.issue.id == "mental-health-crisis" and match.danger is danger
    result = invoke("who", query, "-r", str(BUNDLED), "--json")
    assert json.loads(result.stdout)["threat_to_life"] is danger


def test_a_registry_with_no_urgent_issue_searches_as_before(write_registry) -> None:  # type: ignore[no-untyped-def]
    registry = load_registry(write_registry(MINI, "mini.yaml"))
    match = search.find_issue(registry, "suicidal")
    assert match.issue is None and not match.danger


def test_nothing_matching_lists_what_officers_most_need_urgent_first(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("who", "xqzv", "plonk", "-r", str(BUNDLED))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "remitctl: error: no issue type matches 'xqzv plonk'",
        "  hint: see `remitctl list` for every issue type, or ask with other words",
        "  the issue types officers most often need (urgent first):",
        "    remitctl who child-protection-urgent      Child protection, urgent and out of hours",
        "    remitctl who mental-health-crisis         Mental health crisis",
        "    remitctl who cps-charging-advice          CPS charging advice",
        "    remitctl who noise-nuisance               Noise nuisance",
        "    remitctl who child-social-care-referral   Children's social care referral "
        "(non-urgent)",
    ]


# Found by a user trying the tool: each read wrongly or not at all.
@pytest.mark.parametrize(("question", "expected", "danger"), [
    ("found hanging", "mental-health-crisis", True),
    ("concern for welfare", "adult-safeguarding", False),
    ("sec136", "mental-health-crisis", False),
    ("sect. 135 warrant", "mental-health-crisis", False),
    ("\uff4e\uff4f\uff49\uff53\uff45", "noise-nuisance", False),  # full-width letters
])
def test_words_a_user_tried(invoke, question: str, expected: str, danger: bool) -> None:  # type: ignore[no-untyped-def]
    doc = who_json(invoke, *question.split())
    assert (doc["issue"]["id"], doc["threat_to_life"]) == (expected, danger)


@pytest.mark.parametrize("question", ["sharps found in the park", "wallet found on a bench",
                                      "syringe spotted behind the shops"])
def test_how_it_came_to_notice_is_not_what_it_is(invoke, question: str) -> None:  # type: ignore[no-untyped-def]
    # "found" once made a confident "sudden death" (from the keyword "found dead").
    result = invoke("who", *question.split(), "-r", str(BUNDLED), "--at", AT)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"remitctl: error: no issue type matches {question!r}")


def test_found_dead_is_still_a_death(invoke) -> None:  # type: ignore[no-untyped-def]
    assert who_json(invoke, "found", "dead", "at", "home")["issue"]["id"] == "sudden-death"


CLOSE_TWO = """\
version: 1
name: Two close
agencies:
  police:
    name: Police
    services:
      control-room: {name: Control room, contact: {phone: "01632 960001"}, hours: "24/7"}
issues:
  street-lights:
    title: Street lights out
    keywords: [lamp]
    cover: {default: [police/control-room]}
  traffic-lights:
    title: Traffic lights out
    keywords: [signal]
    cover: {default: [police/control-room]}
"""


def test_two_close_issue_types_are_a_choice_with_the_commands(invoke, write_registry,
                                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "300")
    path = write_registry(CLOSE_TWO, "close.yaml")
    result = invoke("who", "lights", "out", "-r", str(path), "-a", "all", "--at", "sat 2am")
    assert result.exit_code == 2
    reg = str(path)
    assert result.stdout.splitlines() == [
        "Did you mean Street lights out or Traffic lights out?  (the words fit both about "
        "equally: 'lights out')",
        f"  remitctl who street-lights --at 'sat 2am' --area all --registry {reg}    "
        "Street lights out",
        f"  remitctl who traffic-lights --at 'sat 2am' --area all --registry {reg}   "
        "Traffic lights out",
    ]
    doc = json.loads(invoke("who", "lights", "out", "-r", reg, "--json").stdout)
    assert doc["schema"] == "remitctl/who-choice/v1"
    assert [(c["id"], c["command"]) for c in doc["choice"]] == [
        ("street-lights", f"remitctl who street-lights --registry {reg}"),
        ("traffic-lights", f"remitctl who traffic-lights --registry {reg}")]
    assert doc["choice"][0]["score"] == doc["choice"][1]["score"] > 0
    # Other commands that take an issue refuse the ambiguity instead of picking one.
    gaps = invoke("show", "lights out", "-r", reg)
    assert gaps.exit_code == 2


def test_a_clear_winner_is_answered_not_asked(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(CLOSE_TWO, "close.yaml")
    result = invoke("who", "lamp", "out", "-r", str(path), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["issue"]["id"] == "street-lights"


VOCAB = CLOSE_TWO.replace("issues:\n", """\
vocabulary:
  op nightjar: [lamp]
  went over the top: [threat to life]
issues:
""")


def test_a_registrys_own_vocabulary_is_searched_and_cached(tmp_path, monkeypatch,
                                                           write_registry) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    path = write_registry(VOCAB, "vocab.yaml")
    fresh, _ = load_with_status(path)
    cached, status = load_with_status(path)
    assert status == "hit"
    assert cached.vocabulary == fresh.vocabulary == {"op nightjar": ("lamp",),
                                                     "went over the top": ("threat to life",)}
    for registry in (fresh, cached):
        match = search.find_issue(registry, "op nightjar on the high road")
        assert match.issue is not None and match.issue.id == "street-lights"


def test_vocabulary_errors_name_file_line_and_column(invoke, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(VOCAB.replace("  op nightjar: [lamp]\n",
                                        "  op nightjar: \"\"\n  '!!': lamp\n"), "bad.yaml")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "bad.yaml:9:16: error: vocabulary term 'op nightjar' idea is blank" in result.stdout
    assert "bad.yaml:10:3: error: vocabulary term '!!' has no word in it" in result.stdout


@pytest.mark.parametrize(("text", "expected"), [
    ("he's cutting himself", "he cutting self"),
    ("kids' home", "kids home"),
    ("won't open, can't get in", "will not open can not get in"),
    ("o/s the shop w/ mates", "outside the shop with mates"),
    ("a&e", "ae"),
    ("NOT urgent", "nonurgent"),
    ("non-urgent referral", "nonurgent referral"),
    ("15 year old", "child"),
    ("aged 80", "elderly"),
    ("crash on the A38", "crash on the road"),
    ("she\u2019s fine", "she fine"),
])
def test_word_forms(text: str, expected: str) -> None:
    assert prose(text) == expected


def test_stems_meet_across_forms() -> None:
    assert words("cutting tipped dumped children bitten") == words("cut tip dump child bite")


def test_every_bundled_phrase_keeps_two_words_after_fillers() -> None:
    """A phrase that shrank to one word would match far more than it says."""
    shrunk = [t for t in TERMS if len(prose(t).split()) > 1 and len(_key(t)) < 2]
    assert shrunk == []


def test_every_bundled_term_is_found_by_its_cheap_first_stem() -> None:
    """Terms are compiled only when a question has the stem they start with."""
    from remitctl.cover.vocabulary import _first

    assert [t for t in TERMS if _key(t) and _first(t) != _key(t)[0]] == []


def test_the_vocabulary_reads_longest_phrase_first() -> None:
    from remitctl.cover.vocabulary import compiled_for

    parts = read("dead fox on the dual carriageway", compiled_for({}))
    assert [p.term.spelling for p in parts if p.term] == ["dead fox", "dual carriageway"]


# Held-out accuracy: 162 phrasings written before the search changed (82.1% before).
REQUIRED = 0.95


def test_held_out_top_1_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    registry = load_registry(BUNDLED)
    misses, asked = [], 0
    for query, expected in HELDOUT:
        match = search.find_issue(registry, query)
        got = match.issue.id if match.issue else None
        asked += match.ask
        if got != expected:
            misses.append(f"  {query!r}: expected {expected}, got {got}")
        if expected in URGENT and match.danger:
            assert got in URGENT, query  # a threat to life is never answered by another
    accuracy = 1 - len(misses) / len(HELDOUT)
    report = (f"held-out: {len(HELDOUT)}, top-1 {accuracy:.1%} (required {REQUIRED:.0%}), "
              f"asked {asked}; misses:\n" + ("\n".join(misses) or "  none"))
    with capsys.disabled():
        print("\n" + report)
    assert len(HELDOUT) >= 150
    assert accuracy >= REQUIRED, report


# Words issue 20 itself names as misses or vocabulary (the cases it asks tests for), and
# a keyword the registry had in v0.2.0, before the held-out set was written.
NAMED_BY_THE_ISSUE = {"cuckooing", "mg3", "police surgeon"}
BEFORE = {"river burst its banks"}


def test_no_held_out_phrase_is_in_the_registry_or_vocabulary() -> None:
    """Verbatim, in any case and punctuation: the set measures understanding."""
    registry = load_registry(BUNDLED)
    texts = {normalise(t) for i in registry.issues.values()
             for t in (i.id, i.title, *i.aliases, *i.keywords)}
    vocabulary = {**bundled(), **registry.vocabulary}
    texts |= {normalise(t) for t in vocabulary}
    texts |= {normalise(i) for v in vocabulary.values() for i in v}
    copied = [q for q, _ in HELDOUT
              if normalise(q) not in NAMED_BY_THE_ISSUE | BEFORE
              and any(re.search(rf"\b{re.escape(normalise(q))}\b", t) for t in texts)]
    assert copied == []


def test_a_pasted_page_is_refused_not_searched(invoke) -> None:  # type: ignore[no-untyped-def]
    # A user pasted 48,000 characters: 16 s of searching, then the page echoed back.
    question = "misper high risk " * 3000
    result = invoke("who", *question.split(), "-r", str(BUNDLED), "--at", AT)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "remitctl: error: the question is 50,999 characters long: "
        "'misper high risk misper high risk misper high risk misper hi'…",
        "  hint: ask in a few words (at most 300 characters), e.g. remitctl who noise"]
    # 300 characters are still a question.
    words = ("noise " * 50).split()
    assert len(" ".join(words)) <= 300
    assert invoke("who", *words, "-r", str(BUNDLED), "--at", AT).exit_code == 0
    assert invoke("log", *question.split(), "-r", str(BUNDLED)).exit_code == 2


@pytest.mark.parametrize(("question", "first", "also"), [
    ("gas leak and kid home alone", "child-protection-urgent", "gas-leak"),
    ("smell of gas man threatening to jump", "mental-health-crisis", "gas-leak"),
])
def test_a_second_emergency_in_the_words_is_named(invoke, question: str, first: str,
                                                  also: str) -> None:  # type: ignore[no-untyped-def]
    # The urgent issue answers; the gas leak the same words report was dropped.
    doc = who_json(invoke, *question.split())
    assert doc["issue"]["id"] == first and doc["threat_to_life"] is True
    assert also in [a["id"] for a in doc["also"]]


@pytest.mark.parametrize("question", ["suicidle male", "sucide note found", "overdoze"])
def test_a_misspelt_threat_to_life_is_still_one(invoke, question: str) -> None:  # type: ignore[no-untyped-def]
    # "suicidle male" found mental health, but not as a threat to life.
    doc = who_json(invoke, *question.split())
    assert (doc["issue"]["id"], doc["threat_to_life"]) == ("mental-health-crisis", True)


@pytest.mark.parametrize(("question", "expected"), [
    ("neighbours banging music", "noise-nuisance"),  # one letter from "hanging"
    ("suspicous car abandoned", "abandoned-vehicles"),
])
def test_a_near_word_is_not_read_as_a_threat_to_life(invoke, question: str,
                                                     expected: str) -> None:  # type: ignore[no-untyped-def]
    doc = who_json(invoke, *question.split())
    assert (doc["issue"]["id"], doc["threat_to_life"]) == (expected, False)
