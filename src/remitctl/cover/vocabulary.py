"""Reading a question with the vocabulary: the bundled UK terms (cover/vocabulary_uk.py)
and the registry's own (`vocabulary:` in remits.yaml, on `Registry.vocabulary`).

A term found in the question (longest first, on stemmed words with fillers such as "his"
and "the" left out on both sides) stands for its ideas; an idea that is itself a term
brings that term's ideas too (one step: `op bluebell: county lines`); a registry's term
replaces a bundled one of the same spelling. Compiled once per process and registry.
"""

from __future__ import annotations

import re
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


_WORD = re.compile(r"[a-z0-9]+")


def _first(spelling: str) -> str:
    """The stem a term's key starts with, found cheaply (no normalising): a term is compiled
    only when a question has that stem (tests/test_words.py checks the two agree)."""
    for w in _WORD.findall(spelling.lower()):
        if w not in FILLER:
            return stem(w)
    return ""


class Compiled:
    """The terms by the stem they start with, each compiled the first time a question has
    that stem: a lookup pays for the few terms its words could start, not for all."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self._entries = entries
        self._spellings: dict[str, list[str]] = {}
        for spelling in entries:
            self._spellings.setdefault(_first(spelling), []).append(spelling)
        self._plain: dict[str, dict[tuple[str, ...], Term]] = {}
        self._done: dict[str, list[tuple[tuple[str, ...], Term]]] = {}

    def _bucket(self, first: str) -> dict[tuple[str, ...], Term]:
        known = self._plain.get(first)
        if known is None:
            known = self._plain[first] = {}
            for spelling in self._spellings.get(first, ()):
                key, ideas = _key(spelling), self._entries[spelling]
                if key:
                    known[key] = Term(spelling, tuple(i for i in ideas if prose(i) != DANGER_IDEA),
                                      any(prose(i) == DANGER_IDEA for i in ideas))
        return known

    def _term(self, key: tuple[str, ...]) -> Term | None:
        return self._bucket(key[0]).get(key) if key else None

    def get(self, first: str, default: object = ()) -> list[tuple[tuple[str, ...], Term]]:
        """The terms whose key starts with `first`, longest first; an idea that is itself a
        term brings that term's ideas too."""
        known = self._done.get(first)
        if known is None:
            known = []
            for key, term in self._bucket(first).items():
                more = [m for i in term.ideas for m in [self._term(_key(i))]
                        if m is not None and m is not term]
                if more:
                    ideas = term.ideas + tuple(i for m in more for i in m.ideas
                                               if i not in term.ideas)
                    term = Term(term.spelling, ideas, term.danger or any(m.danger for m in more))
                known.append((key, term))
            known.sort(key=lambda t: -len(t[0]))
            self._done[first] = known
        return known

    def spellings(self) -> list[str]:
        return list(self._entries)


@lru_cache(maxsize=1)
def bundled() -> dict[str, tuple[str, ...]]:
    from remitctl.cover.vocabulary_uk import TERMS

    return TERMS


def compiled_for(own: dict[str, tuple[str, ...]]) -> Compiled:
    """The bundled terms with the registry's own over them (same spelling: the registry's)."""
    return Compiled({**bundled(), **own} if own else bundled())


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
