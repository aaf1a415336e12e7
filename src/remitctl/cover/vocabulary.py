"""Reading a question with the vocabulary: the bundled UK terms (cover/vocabulary_uk.py)
and the registry's own (`vocabulary:` in remits.yaml, on `Registry.vocabulary`).

A term found in the question (longest first, on stemmed words with fillers such as "his"
and "the" left out on both sides) stands for its ideas; an idea that is itself a term
brings that term's ideas too (one step: `op bluebell: county lines`); a registry's term
replaces a bundled one of the same spelling. Compiled once per process and registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from remitctl.cover.words import STOP, prose, stem

DANGER_IDEA = "threat to life"
FILLER = frozenset(["a", "an", "the", "his", "her", "their", "my", "your", "its"])


@dataclass(frozen=True)
class Term:
    spelling: str  # as written in the vocabulary
    ideas: tuple[str, ...]  # without the danger idea
    danger: bool


@dataclass(frozen=True)
class Read:
    """One stretch of the question: a term of the vocabulary, or one ordinary word."""

    word: str  # the stem of a single word ("" for a phrase the vocabulary read)
    term: Term | None = None
    said: str = ""  # the words as the question has them


def _key(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in prose(text).split() if w not in FILLER)


Compiled = dict[str, list[tuple[tuple[str, ...], Term]]]


def compile_terms(entries: dict[str, tuple[str, ...]]) -> Compiled:
    """First stem → (the term's stems, the term), longest first."""
    by_key: dict[tuple[str, ...], Term] = {}
    for spelling, ideas in entries.items():
        key = _key(spelling)
        if not key:
            continue
        danger = any(prose(i) == DANGER_IDEA for i in ideas)
        by_key[key] = Term(spelling, tuple(i for i in ideas if prose(i) != DANGER_IDEA), danger)
    for key, term in list(by_key.items()):  # an idea that is a term means its ideas too
        more = [by_key[_key(i)] for i in term.ideas if _key(i) in by_key and _key(i) != key]
        if more:
            ideas = term.ideas + tuple(i for m in more for i in m.ideas if i not in term.ideas)
            by_key[key] = Term(term.spelling, ideas, term.danger or any(m.danger for m in more))
    out: Compiled = {}
    for key, term in by_key.items():
        out.setdefault(key[0], []).append((key, term))
    for options in out.values():
        options.sort(key=lambda t: -len(t[0]))
    return out


@lru_cache(maxsize=1)
def bundled() -> dict[str, tuple[str, ...]]:
    from remitctl.cover.vocabulary_uk import TERMS

    return TERMS


def compiled_for(own: dict[str, tuple[str, ...]]) -> Compiled:
    return compile_terms({**bundled(), **own})


GAP = 2  # words a phrase of the vocabulary may skip between its own ("took a load of tablets")


def _find(kept: list[tuple[str, str]], n: int, key: tuple[str, ...],
          used: set[int]) -> list[int] | None:
    """Positions of `key`'s words from n on: the next each time, at most GAP words apart."""
    at = [n]
    for want in key[1:]:
        nxt = next((j for j in range(at[-1] + 1, min(len(kept), at[-1] + 2 + GAP))
                    if j not in used and kept[j][1] == want), None)
        if nxt is None:
            return None
        at.append(nxt)
    return at


def read(question: str, terms: Compiled) -> list[Read]:
    """The question as terms and words, stop words and fillers left out of what remains.
    A phrase of the vocabulary matches with its words together first, else with at most
    GAP other words between each two of them."""
    kept = [(w, stem(w)) for w in prose(question).split() if w not in FILLER]
    found: dict[int, Read] = {}
    used: set[int] = set()
    for n, (_, s) in enumerate(kept):
        if n in used:
            continue
        options = terms.get(s, ())
        best = next(((key, term, list(range(n, n + len(key)))) for key, term in options
                     if tuple(t for _, t in kept[n:n + len(key)]) == key), None)
        if best is None:
            best = next(((key, term, at) for key, term in options if len(key) > 1
                         for at in [_find(kept, n, key, used)] if at), None)
        if best is not None:
            key, term, at = best
            said = " ".join(kept[j][0] for j in at)
            found[n] = Read("" if len(key) > 1 else s, term, said)
            used.update(at)
    out: list[Read] = []
    for n, (word, s) in enumerate(kept):
        if n in found:
            out.append(found[n])
        elif n not in used and word not in STOP:
            out.append(Read(s, None, word))
    return out
