"""Find the issue type an officer means from the words they type.

An exact id, title or alias wins at once. Anything else is a ranked search over all the
registry says about each issue: id, title, aliases, keywords, remit, legal basis and the
names of the services and agencies that cover it, plus common abbreviations. Words match in
any order, singular or plural, with small typos; words found in many issues count for less.
The best match is answered, and a close runner-up is named.
"""

from __future__ import annotations

import math
import re
from dataclasses import field
from functools import lru_cache
from typing import TYPE_CHECKING

from remitctl.record import record
from remitctl.registry.model import Issue, Registry

if TYPE_CHECKING:
    from remitctl.cover.vocabulary import Compiled

# Where a word was found, and how much that says about the issue.
WEIGHTS = {"name": 4.0, "keyword": 3.0, "service": 1.2, "remit": 1.0, "notes": 0.8, "law": 0.6}
CLOSE = 0.7  # a runner-up scoring at least this share of the best is named
ENOUGH = 2.2  # the least score for an answer (one name word, or two weaker words)
NAMES = ("name", "keyword")
PART = 0.85  # a name or keyword word inside a longer phrase
REPEAT = 0.2  # a word an issue's names or keywords repeat counts this much more each time


def normalise(text: str) -> str:
    """Lower-case words of letters and digits: how names (ids, titles, aliases, areas) are
    compared exactly. The search reads the question with cover/words.py instead."""
    if not text.isascii():
        import unicodedata

        text = unicodedata.normalize("NFKC", text)
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("'s ", " ")).split())


_NOT_WORD = re.compile(r"[^a-z0-9]+")


@record
class Match:
    """The outcome of a query: the issue meant (with any close runner-up), a choice to ask
    about, or nothing (with the issues officers most often need)."""

    query: str
    issue: Issue | None  # the answer; when `ask`, the first of the choice
    candidates: tuple[Issue, ...] = ()  # kept for callers that list several
    suggestions: tuple[Issue, ...] = ()  # nothing matched: the issues most often needed
    runners_up: tuple[Issue, ...] = ()  # close behind the answer: named, not chosen
    because: dict[str, str] = field(default_factory=dict)  # issue id → the phrase matched
    exact: bool = False
    unmatched: tuple[str, ...] = ()  # query words no issue type mentions
    ask: bool = False  # too close to call: `issue` or runners_up[0]? (docs/vocabulary.md)
    danger: bool = False  # the words speak of a threat to life: an urgent issue comes first
    scores: dict[str, float] = field(default_factory=dict)  # issue id → score, best first

    @property
    def choice(self) -> tuple[Issue, ...]:
        """The issues to choose between when the search asks (the best two)."""
        if not self.ask or self.issue is None:
            return ()
        return (self.issue, *self.runners_up[:1])


@record
class Index:
    """Per issue, each stemmed word of its own text with the weight of the best field it
    appears in. The words of the service lines and agencies that cover an issue (their
    names, and what their notes say the line does) are indexed only when a query needs
    them: a national registry has thousands of lines, and most queries are answered by the
    issues' own words."""

    registry: Registry
    issues: tuple[Issue, ...]
    weights: tuple[dict[str, float], ...]
    phrases: tuple[tuple[tuple[tuple[str, ...], str], ...], ...]  # (stems, as written)
    holders: dict[str, set[int]]  # word → issues whose own text has it
    terms: Compiled
    urgent: tuple[int, ...]  # issues a threat to life is answered by (urgent_issues)
    _services: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    _service_refs: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    _own: list[str] = field(default_factory=list)
    _idf: dict[tuple[str, bool], float] = field(default_factory=dict)

    def via_services(self, word: str, kind: str = "service") -> frozenset[int]:
        """The issues covered by a line whose name (or agency's name), or whose notes for
        kind "notes", have `word`."""
        known = self._services.get((kind, word))
        if known is None:
            refs = self._service_vocabulary(kind).get(word, set())
            known = self._services[(kind, word)] = _issues_covered_by(self.issues, refs)
        return known

    def _service_vocabulary(self, kind: str) -> dict[str, set[str]]:
        if not self._service_refs:
            self._service_refs.update(_service_words(self.registry))
        return self._service_refs[kind]

    def vocabulary(self) -> list[str]:
        """The issues' own words (typos are forgiven against these)."""
        if not self._own:
            self._own.extend(sorted(self.holders))
        return self._own

    def service_vocabulary(self) -> list[str]:
        return list(self._service_vocabulary("service"))

    def knows(self, word: str, services: bool) -> bool:
        return word in self.holders or (services and any(
            word in self._service_vocabulary(kind) for kind in SERVICE_KINDS))

    def idf(self, word: str, services: bool) -> float:
        """1 for a word only one issue has, falling towards 0 for a word every issue has."""
        known = self._idf.get((word, services))
        if known is None:
            n = max(1, len(self.issues))
            having = set(self.holders.get(word, set()))
            if services:
                for kind in SERVICE_KINDS:
                    having |= self.via_services(word, kind)
            count = max(1, len(having))
            known = self._idf[(word, services)] = math.log(1 + n / count) / math.log(1 + n)
        return known

    def weight(self, n: int, word: str, services: bool) -> float:
        own = self.weights[n].get(word, 0.0)
        if own >= WEIGHTS["service"] or not services:
            return own
        for kind in SERVICE_KINDS:
            if n in self.via_services(word, kind):
                return max(own, WEIGHTS[kind])
        return own


SERVICE_KINDS = ("service", "notes")


def _service_words(registry: Registry) -> dict[str, dict[str, set[str]]]:
    """Each word of a service line's or its agency's name, and of the line's notes → lines."""
    from remitctl.cover.words import words

    names: dict[str, set[str]] = {}
    notes: dict[str, set[str]] = {}
    for ref, service in registry.services.items():
        for token in set(words(service.name)) | set(words(service.agency_name)):
            names.setdefault(token, set()).add(ref)
        for token in set(words(service.notes or "")):
            notes.setdefault(token, set()).add(ref)
    return {"service": names, "notes": notes}


def _issues_covered_by(issues: tuple[Issue, ...], refs: set[str]) -> frozenset[int]:
    if not refs:
        return frozenset()
    return frozenset(n for n, issue in enumerate(issues)
                     if any(ref in refs for lines in issue.cover.values() for ref in lines))


def urgent_issues(registry: Registry) -> tuple[Issue, ...]:
    """The issue types a threat to life is answered by, in registry order: those whose cover
    policy allows no gap at all (`max_gap_hours: 0`, in any area), and those whose aliases
    or keywords say "threat to life"."""
    return tuple(i for i in registry.issues.values()
                 if any(p.max_gap_hours == 0 for p in i.policies)
                 or any(normalise(k) == "threat to life" for k in (*i.aliases, *i.keywords)))


COMMON = 5  # issues listed when nothing matches


def common_issues(registry: Registry) -> tuple[Issue, ...]:
    """What is listed when nothing matches: the urgent issues first, then the others in the
    order the registry lists them (admins put the ones officers most often need first), five
    in all (or every urgent one, if more)."""
    urgent = urgent_issues(registry)
    rest = [i for i in registry.issues.values() if i not in urgent]
    return (*urgent, *rest[:max(0, COMMON - len(urgent))])


def build_index(registry: Registry) -> Index:
    """Derived from the registry in memory (from the cache or not): no I/O, and only for
    a query that is not an exact name (measured in the README's performance notes)."""
    from remitctl.cover.vocabulary import compiled_for
    from remitctl.cover.words import words

    issues = tuple(registry.issues.values())
    weights = []
    phrases = []
    holders: dict[str, set[int]] = {}
    for n, issue in enumerate(issues):
        found: dict[str, float] = {}
        seen: dict[str, int] = {}

        def add(text: str | None, kind: str, found: dict[str, float] = found,
                seen: dict[str, int] = seen) -> None:
            if not text:
                return
            tokens = set(words(text))
            # A word standing alone names the issue more surely than one inside a phrase.
            w = WEIGHTS[kind] * (1.0 if len(tokens) == 1 or kind not in NAMES else PART)
            for token in tokens:
                found[token] = max(found.get(token, 0.0), w)
                if kind in NAMES:
                    seen[token] = seen.get(token, 0) + 1

        for name in (issue.id, issue.title, *issue.aliases):
            add(name, "name")
        for keyword in issue.keywords:
            add(keyword, "keyword")
        add(issue.remit, "remit")
        add(issue.legal_basis, "law")
        for token, count in seen.items():  # said again and again: a little surer
            found[token] += REPEAT * min(count - 1, 4)
        weights.append(found)
        phrases.append(tuple((words(p), p) for p in (issue.title, *issue.aliases,
                                                     *issue.keywords) if words(p)))
        for token in found:
            holders.setdefault(token, set()).add(n)
    urgent = urgent_issues(registry)
    return Index(registry, issues, tuple(weights), tuple(phrases), holders,
                 compiled_for(registry.vocabulary),
                 tuple(n for n, i in enumerate(issues) if i in urgent))


_INDEX: dict[int, tuple[Registry, Index]] = {}


def index_for(registry: Registry) -> Index:
    known = _INDEX.get(id(registry))
    if known is None or known[0] is not registry:
        _INDEX.clear()  # one registry per run; tests load many
        known = _INDEX[id(registry)] = (registry, build_index(registry))
    return known[1]


def _typo_allowance(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def _near(token: str, index: Index, services: bool) -> list[tuple[str, float]]:
    """Index words a query word may stand for, with how sure: exact, prefix, typo."""
    from remitctl.fuzzy import distance

    if index.knows(token, services):
        return [(token, 1.0)]
    out: list[tuple[str, float]] = []
    allowed = _typo_allowance(token)
    for word in index.vocabulary():
        if len(token) >= 4 and word.startswith(token):
            out.append((word, 0.7))
        elif len(word) >= 4 and token.startswith(word) and len(token) - len(word) <= 3:
            out.append((word, 0.6))
        elif (allowed and abs(len(word) - len(token)) <= allowed
              and (word[0] == token[0] or word[:2] == token[1::-1])
              and distance(token, word, allowed) <= allowed
              # four letters: only two swapped ("nosie"), or "scar(ed)" would be "scam"
              and (len(token) > 4 or sorted(token) == sorted(word))):
            out.append((word, 0.75))
    if services and len(token) >= 4:  # names of places and lines: whole words or beginnings
        out += [(word, 0.7) for word in index.service_vocabulary() if word.startswith(token)]
    return out


MAX_WORDS, MAX_WORD = 24, 40  # an officer's question, not a pasted paragraph
BUNDLE = 0.35  # a term's second idea counts this share (its first counts in full)
IDEA_PHRASE = 1.5  # a registry phrase an idea says, per word (one the question says: 2)


@record
class _Group:
    """One word of the question, or one term of the vocabulary: what it may stand for."""

    said: str  # as the officer wrote it (for unmatched words)
    options: list[tuple[str, float]]  # index words the word itself stands for, how sure
    ideas: list[str]  # index words the term's ideas say


@record
class Reading:
    groups: list[_Group]
    words: tuple[str, ...]  # the question's stemmed words, for registry phrases
    idea_words: tuple[tuple[str, ...], ...]  # each idea's stemmed words, likewise
    danger: bool


def _reading(index: Index, query: str, services: bool) -> Reading:
    from remitctl.cover.vocabulary import read
    from remitctl.cover.words import prose, words

    short = " ".join(_danger_spelling(w, index) for w in prose(query).split()[:MAX_WORDS]
                     if len(w) <= MAX_WORD)
    groups, ideas_said, danger = [], [], False
    for part in read(short, index.terms):
        options = _near(part.word, index, services) if part.word else []
        ideas: list[str] = []
        if part.term is not None:
            danger = danger or part.term.danger
            for idea in part.term.ideas:
                ideas_said.append(words(idea))
                ideas += [w for w in words(idea)
                          if w not in ideas and index.knows(w, services)]
        groups.append(_Group(part.said, options, ideas))
    return Reading(groups, words(short), tuple(ideas_said), danger)


def _speaks_of_danger(registry: Registry, query: str) -> bool:
    from remitctl.cover.vocabulary import compiled_for, read

    return any(part.term is not None and part.term.danger
               for part in read(query, compiled_for(registry.vocabulary)))


@lru_cache(maxsize=1)
def _danger_words() -> tuple[str, ...]:
    """The bundled vocabulary's one-word terms for a threat to life (suicidal, overdose)."""
    from remitctl.cover.vocabulary import DANGER_IDEA, bundled

    return tuple(t for t, ideas in bundled().items()
                 if " " not in t and t.isalpha() and len(t) >= 6 and DANGER_IDEA in ideas)


def _danger_spelling(word: str, index: Index) -> str:
    """A misspelt threat-to-life word ("suicidle") read as the word it nearly is: one the
    registry does not know, six letters or more, with the same first two letters and one
    slip (two from eight letters) away. Erring here can only put the urgent issue first."""
    if len(word) < 6 or not word.isalpha() or word in _danger_words():
        return word
    from remitctl.cover.words import stem
    from remitctl.fuzzy import distance

    if index.knows(stem(word), False):  # the registry's own word (the index holds stems)
        return word

    allowed = 2 if len(word) >= 8 else 1
    near = sorted((d, t) for t in _danger_words()
                  if t[:2] == word[:2] and abs(len(t) - len(word)) <= allowed
                  for d in [distance(word, t, allowed)] if d <= allowed)
    return near[0][1] if near else word  # each is a threat to life: the nearest will do


Ranked = list[tuple[float, Issue, str, float]]


def rank(registry: Registry, query: str) -> Ranked:
    """Every issue with a score above zero, best first: (score, issue, the phrase that
    matched best, the score from single words alone).
    The issues' own words first; the words of the lines covering them too when that
    leaves a query word unmatched or no issue scoring enough."""
    return _ranked(index_for(registry), query)[0]


def _ranked(index: Index, query: str) -> tuple[Ranked, Reading]:
    reading = _reading(index, query, False)
    scored = _rank(index, reading, False)
    unmatched = any(not g.options and not g.ideas for g in reading.groups)
    if unmatched or not scored or scored[0][0] < ENOUGH:
        reading = _reading(index, query, True)
        scored = _rank(index, reading, True)
    return scored, reading


def unmatched_words(registry: Registry, query: str) -> tuple[str, ...]:
    """The words of `query` that no issue type mentions (after the vocabulary and typos)."""
    reading = _reading(index_for(registry), query, True)
    return tuple(g.said for g in reading.groups if not g.options and not g.ideas)


def _inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    k = len(part)
    return 0 < k <= len(whole) and any(whole[i:i + k] == part
                                       for i in range(len(whole) - k + 1))


def _rank(index: Index, reading: Reading, services: bool) -> Ranked:
    groups = reading.groups
    if not groups:
        return []
    candidates: set[int] = set()
    for g in groups:
        for word in [w for w, _ in g.options] + g.ideas:
            candidates |= index.holders.get(word, set())
            if services:
                for kind in SERVICE_KINDS:
                    candidates |= index.via_services(word, kind)

    q = reading.words
    scored = []
    for n in sorted(candidates):
        issue, phrases = index.issues[n], index.phrases[n]

        def value(word: str, sure: float, n: int = n) -> float:
            w = index.weight(n, word, services)
            return w * sure * (0.4 + 0.6 * index.idf(word, services)) if w else 0.0

        score = word_score = 0.0  # in all; from the question's own words alone
        for g in groups:
            said = max((value(w, sure) for w, sure in g.options), default=0.0)
            meant = sorted((value(w, 1.0) for w in g.ideas), reverse=True)
            word_score += said
            if meant and meant[0] > said:
                score += meant[0] + BUNDLE * max(said, meant[1] if len(meant) > 1 else 0.0)
            else:
                score += said + (BUNDLE * meant[0] if meant else 0.0)
        if score <= 0:
            continue
        # A whole phrase of the registry's inside the question (or the question inside
        # one), or inside what a term of the vocabulary means, counts.
        because, bonus = "", 0.0
        for stems_, written in phrases:
            if len(stems_) == 1 and stems_ != q:
                continue  # a single word is scored as a word already
            if _inside(stems_, q):
                found = 2.0 * len(stems_)
            elif len(" ".join(q)) >= 4 and _inside(q, stems_):  # the question inside one
                found = 2.0 * len(q) - 0.5
            elif len(stems_) > 1 and any(_inside(stems_, idea) for idea in reading.idea_words):
                found = IDEA_PHRASE * len(stems_)
            else:
                continue
            if found > bonus:
                because, bonus = written, found
        score += bonus
        if not because:  # to show why: the first name or keyword with one of the words
            matched = {w for g in groups for w, _ in g.options} | {w for g in groups
                                                                  for w in g.ideas}
            because = next((written for stems_, written in phrases if matched & set(stems_)),
                           "")
        scored.append((score, issue, because, word_score))
    scored.sort(key=lambda t: (-t[0], t[1].id))
    return scored


def _exact(registry: Registry, q: str) -> list[Issue]:
    return [i for i in registry.issues.values()
            if q in (normalise(i.id), normalise(i.title), *(normalise(a) for a in i.aliases))]


ASK = 0.9  # a runner-up scoring at least this share of the best: ask which is meant


def find_issue(registry: Registry, query: str) -> Match:
    q = normalise(query)
    if not q:
        return Match(query, None)
    exact = _exact(registry, q)
    if len(exact) == 1:
        # An urgent issue named exactly ("suicidal", an alias) still says whether the words
        # speak of a threat to life (the vocabulary is read only then: ~25 ms).
        danger = exact[0] in urgent_issues(registry) and _speaks_of_danger(registry, query)
        return Match(query, exact[0], exact=True, danger=danger)
    index = index_for(registry)
    scored, reading = _ranked(index, query)
    if exact:  # a name shared by several (a registry that skipped validation): best of them
        scored = [t for t in scored if t[1] in exact] or [(1.0, i, "", 1.0) for i in exact]
    scores = {t[1].id: round(t[0], 2) for t in scored[:5]}
    because = {t[1].id: t[2] for t in scored[:5] if t[2]}
    unmatched = tuple(g.said for g in reading.groups if not g.options and not g.ideas)
    if reading.danger and index.urgent:
        return _urgent_first(index, query, scored, scores, because, unmatched)
    if not scored or scored[0][0] < ENOUGH:
        return Match(query, None, suggestions=common_issues(registry), scores=scores,
                     unmatched=unmatched)
    top, top_words = scored[0][0], scored[0][3]
    # Close: near the best overall, or on the words alone (a phrase of the best's that
    # equals the query should not hide another issue the same word names).
    runners = tuple(i for s, i, _, w in scored[1:3] if s >= top * CLOSE or w >= top_words * 0.8)
    ask = len(scored) > 1 and scored[1][0] >= top * ASK and scored[1][0] >= ENOUGH
    return Match(query, scored[0][1], runners_up=runners, because=because,
                 unmatched=unmatched, ask=ask, scores=scores)


def _urgent_first(index: Index, query: str, scored: Ranked, scores: dict[str, float],
                  because: dict[str, str], unmatched: tuple[str, ...]) -> Match:
    """A threat to life: the best urgent issue is the answer, never a refusal; the best
    other match (when it is not that one) and a close urgent one are named after it."""
    urgent = [index.issues[n] for n in index.urgent]
    ranked_urgent = [t for t in scored if t[1] in urgent]
    first = ranked_urgent[0][1] if ranked_urgent else urgent[0]
    best = ranked_urgent[0][0] if ranked_urgent else 0.0
    runners: list[Issue] = []
    if scored and scored[0][1] is not first:
        runners.append(scored[0][1])
    # A second emergency in the same words ("smell of gas, man threatening to jump"): the
    # best match that is not urgent, when it would be an answer on its own.
    other = next((t for t in scored if t[1] is not first and t[1] not in urgent), None)
    if other is not None and other[0] >= ENOUGH and other[1] not in runners:
        runners.append(other[1])
    for s, issue, _, _ in scored:
        if issue is not first and issue not in runners and issue in urgent and s >= best * CLOSE:
            runners.append(issue)
    if not ranked_urgent:  # nothing said which: every urgent issue is named
        runners += [i for i in urgent if i is not first and i not in runners]
    return Match(query, first, runners_up=tuple(runners[:2]), because=because,
                 unmatched=unmatched, danger=True, scores=scores)


@record
class AreaMatch:
    """An area the text names, or the areas it could mean (none: nothing close)."""

    area: str | None
    candidates: tuple[str, ...] = ()


def find_area(registry: Registry, text: str, *, typos: bool = True) -> AreaMatch:
    """An area from its id or name in any case, a unique prefix of either, or (`typos`) a
    small typo: `Brackenford`, `north moor`, `Kingsbridge City`, `brack`, `nort-moor`."""
    q = normalise(text)
    if not q:
        return AreaMatch(None)
    names = {a.id: (normalise(a.id), normalise(a.name)) for a in registry.areas.values()}
    exact = [a for a, ns in names.items() if q in ns]
    if exact:
        return AreaMatch(exact[0]) if len(exact) == 1 else AreaMatch(None, tuple(exact))
    prefix = [a for a, ns in names.items() if any(n.startswith(q) for n in ns)]
    if len(prefix) == 1:
        return AreaMatch(prefix[0])
    if prefix:
        return AreaMatch(None, tuple(prefix))
    if not typos:
        return AreaMatch(None)
    from remitctl.fuzzy import distance

    # A small typo in the id, the name or the name's leading words as long as the text.
    best: dict[str, int] = {}
    allowed = max(1, len(q) // 4)
    for a, (ident, name) in names.items():
        words = name.split()
        lead = " ".join(words[: len(q.split())])
        options = {ident, name, lead}
        best[a] = min(distance(q, n, allowed) for n in options)
    close = sorted((d, a) for a, d in best.items() if d <= allowed)
    if not close:
        return AreaMatch(None)
    top = [a for d, a in close if d == close[0][0]]
    return AreaMatch(top[0]) if len(top) == 1 else AreaMatch(None, tuple(top))
