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
from dataclasses import dataclass, field
from functools import lru_cache

from remitctl.registry.model import Issue, Registry

# Where a word was found, and how much that says about the issue.
WEIGHTS = {"name": 4.0, "keyword": 3.0, "service": 1.2, "remit": 1.0, "law": 0.6}
CLOSE = 0.7  # a runner-up scoring at least this share of the best is named
ENOUGH = 2.2  # the least score for an answer (one name word, or two weaker words)
NAMES = ("name", "keyword")
PART = 0.85  # a name or keyword word inside a longer phrase
REPEAT = 0.2  # a word an issue's names or keywords repeat counts this much more each time
SUGGEST = 3  # suggestions when nothing is close enough

STOP = frozenset([
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "and", "or", "is", "are",
    "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that",
    "there", "their", "them", "they", "he", "she", "his", "her", "him", "my", "our", "your",
    "i", "we", "you", "me", "us", "who", "what", "whom", "which", "where", "when", "how",
    "someone", "somebody", "some", "any", "person", "people", "man", "woman", "male",
    "female", "lady", "guy", "bloke", "report", "reported", "reporting", "call", "caller",
    "calling", "called", "need", "needs", "needed", "want", "wants", "please", "about",
    "from", "by", "as", "into", "onto", "up", "down", "out", "off", "over", "just", "got",
    "get", "getting", "very", "re", "regarding", "ref", "job", "incident", "concern",
    "concerned", "possible", "possibly", "query",
])

# Abbreviations and everyday words officers use, as words the registry is likely to say.
EXPANSIONS = {
    "edt": "emergency duty", "eds": "emergency duty", "amhp": "approved mental health",
    "fme": "forensic medical examiner custody doctor", "hcp": "healthcare custody",
    "rspca": "animal welfare cruelty", "ssap": "animal welfare", "cps": "cps charging",
    "mash": "children safeguarding", "ppn": "protection notice", "asb": "antisocial",
    "s136": "section 136 mental", "s135": "section 135 mental",
    "s46": "section 46 police protection",
    "s47": "section 47 child", "ooh": "out hours", "gp": "doctor", "co": "carbon monoxide",
    "ea": "environment agency",
    "bit": "bite", "bitten": "bite", "kid": "child", "kids": "child", "children": "child",
    "baby": "child", "toddler": "child", "infant": "child", "teen": "child",
    "teenager": "child", "juvenile": "child", "minor": "child", "youth": "child",
    "elderly": "adult", "pensioner": "adult", "oap": "adult", "old": "adult",
    "body": "death deceased", "dead": "death", "died": "death", "deceased": "death",
    "corpse": "death deceased", "doa": "death", "fatal": "death",
    "suicide": "suicidal", "overdose": "mental", "sectioned": "section mental",
    "rubbish": "waste", "litter": "rubbish", "tipped": "tipping",
    "sewage": "sewer", "poo": "sewer", "road": "highway", "roads": "highway",
    "carriageway": "road highway", "lamppost": "street light",
    "music": "noise", "loud": "noise", "noisy": "noise", "racket": "noise",
    "bird": "animal wildlife", "swan": "animal wildlife", "fox": "animal wildlife",
    "badger": "animal wildlife", "deer": "animal wildlife", "cat": "animal",
    "horse": "animal", "pony": "animal", "cow": "animal", "sheep": "animal",
    "livestock": "animal", "pet": "animal", "wildlife": "animal",
    "fumes": "gas", "monoxide": "gas",
}


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("'s ", " ")).split())


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A crude English stem, the same for query and index: plural, -ing, -ed, -er."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for ending in ("ing", "ed", "er"):
        if w.endswith(ending) and len(w) - len(ending) >= 4:
            w = w[: -len(ending)]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise(text).split() if w not in STOP)


@dataclass(frozen=True)
class Match:
    """The outcome of a query: the issue meant (with any close runner-up), or suggestions."""

    query: str
    issue: Issue | None
    candidates: tuple[Issue, ...] = ()  # kept for callers that list several
    suggestions: tuple[Issue, ...] = ()  # nothing close enough: the nearest issues
    runners_up: tuple[Issue, ...] = ()  # close behind the answer: named, not chosen
    because: dict[str, str] = field(default_factory=dict)  # issue id → the phrase matched
    exact: bool = False
    unmatched: tuple[str, ...] = ()  # query words no issue type mentions


@dataclass(frozen=True)
class Index:
    """Per issue, each stemmed word of its own text with the weight of the best field it
    appears in. The words of the names of the service lines and agencies that cover an
    issue are indexed only when a query needs them: a national registry has thousands of
    lines, and most queries are answered by the issues' own words."""

    registry: Registry
    issues: tuple[Issue, ...]
    weights: tuple[dict[str, float], ...]
    phrases: tuple[tuple[tuple[str, str], ...], ...]  # (normalised phrase, as written)
    holders: dict[str, set[int]]  # word → issues whose own text has it
    _services: dict[str, frozenset[int]] = field(default_factory=dict)
    _service_refs: dict[str, set[str]] = field(default_factory=dict)
    _own: list[str] = field(default_factory=list)
    _idf: dict[str, float] = field(default_factory=dict)
    with_services: list[bool] = field(default_factory=lambda: [False])

    def via_services(self, word: str) -> frozenset[int]:
        """The issues covered by a line whose (or whose agency's) name has `word`."""
        if not self.with_services[0]:
            return frozenset()
        known = self._services.get(word)
        if known is None:
            refs = self._service_vocabulary().get(word, set())
            known = self._services[word] = _issues_covered_by(self.issues, refs)
        return known

    def _service_vocabulary(self) -> dict[str, set[str]]:
        if not self._service_refs:
            self._service_refs.update(_service_words(self.registry))
        return self._service_refs

    def vocabulary(self) -> list[str]:
        """The issues' own words (typos are forgiven against these)."""
        if not self._own:
            self._own.extend(sorted(self.holders))
        return self._own

    def service_vocabulary(self) -> list[str]:
        return list(self._service_vocabulary()) if self.with_services[0] else []

    def knows(self, word: str) -> bool:
        return word in self.holders or (self.with_services[0]
                                        and word in self._service_vocabulary())

    def idf(self, word: str) -> float:
        """1 for a word only one issue has, falling towards 0 for a word every issue has."""
        key = f"{word} {self.with_services[0]}"
        known = self._idf.get(key)
        if known is None:
            n = max(1, len(self.issues))
            count = max(1, len(self.holders.get(word, set()) | self.via_services(word)))
            known = self._idf[key] = math.log(1 + n / count) / math.log(1 + n)
        return known

    def weight(self, n: int, word: str) -> float:
        own = self.weights[n].get(word, 0.0)
        if own >= WEIGHTS["service"]:
            return own
        return WEIGHTS["service"] if n in self.via_services(word) else own


def _service_words(registry: Registry) -> dict[str, set[str]]:
    """Each word of a service line's or its agency's name → those lines."""
    out: dict[str, set[str]] = {}
    for ref, service in registry.services.items():
        for token in set(words(service.name)) | set(words(service.agency_name)):
            out.setdefault(token, set()).add(ref)
    return out


def _issues_covered_by(issues: tuple[Issue, ...], refs: set[str]) -> frozenset[int]:
    if not refs:
        return frozenset()
    return frozenset(n for n, issue in enumerate(issues)
                     if any(ref in refs for lines in issue.cover.values() for ref in lines))


def build_index(registry: Registry) -> Index:
    """Derived from the registry in memory (from the cache or not): no I/O, and only for
    a query that is not an exact name (measured in the README's performance notes)."""
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
        phrases.append(tuple((normalise(p), p) for p in
                             (issue.title, *issue.aliases, *issue.keywords)))
        for token in found:
            holders.setdefault(token, set()).add(n)
    return Index(registry, issues, tuple(weights), tuple(phrases), holders)


_INDEX: dict[int, tuple[Registry, Index]] = {}


def index_for(registry: Registry) -> Index:
    known = _INDEX.get(id(registry))
    if known is None or known[0] is not registry:
        _INDEX.clear()  # one registry per run; tests load many
        known = _INDEX[id(registry)] = (registry, build_index(registry))
    return known[1]


def _typo_allowance(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def _near(token: str, index: Index) -> list[tuple[str, float]]:
    """Index words a query word may stand for, with how sure: exact, prefix, typo."""
    from remitctl.fuzzy import distance

    if index.knows(token):
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
              and distance(token, word) <= allowed):
            out.append((word, 0.75))
    if len(token) >= 4:  # names of places and lines: whole words or their beginnings only
        out += [(word, 0.7) for word in index.service_vocabulary() if word.startswith(token)]
    return out


MAX_WORDS, MAX_WORD = 24, 40  # an officer's question, not a pasted paragraph


def _query_tokens(q: str) -> list[list[str]]:
    """Each query word with the words it expands to (an abbreviation, an everyday word)."""
    groups = []
    for raw in q.split()[:MAX_WORDS]:
        if len(raw) > MAX_WORD:
            continue
        if raw in STOP:
            continue
        group = [stem(raw)]
        group += [stem(w) for w in EXPANSIONS.get(raw, "").split() if stem(w) not in group]
        groups.append(group)
    return groups


Ranked = list[tuple[float, Issue, str, float]]


def rank(registry: Registry, query: str) -> Ranked:
    """Every issue with a score above zero, best first: (score, issue, the phrase that
    matched best, the score from single words alone).
    The issues' own words first; the names of the lines covering them too when that
    leaves a query word unmatched or no issue scoring enough."""
    index = index_for(registry)
    scored, unmatched = _rank(index, normalise(query))
    if (unmatched or not scored or scored[0][0] < ENOUGH) and not index.with_services[0]:
        index.with_services[0] = True
        scored, _ = _rank(index, normalise(query))
    return scored


def unmatched_words(registry: Registry, query: str) -> tuple[str, ...]:
    """The words of `query` that no issue type mentions (after abbreviations and typos)."""
    index = index_for(registry)
    out = []
    for raw in normalise(query).split()[:MAX_WORDS]:
        if raw in STOP or len(raw) > MAX_WORD:
            continue
        group = _query_tokens(raw)
        if group and not any(_near(t, index) for t in group[0]):
            out.append(raw)
    return tuple(out)


def _rank(index: Index, q: str) -> tuple[Ranked, bool]:
    groups = _query_tokens(q)
    if not groups:
        return [], False
    expanded = [[(w, sure) for t in group for w, sure in _near(t, index)] for group in groups]
    unmatched = any(not options for options in expanded)
    scored = []
    candidates: set[int] = set()
    for options in expanded:
        for word, _ in options:
            candidates |= index.holders.get(word, set()) | index.via_services(word)
    for n in sorted(candidates):
        issue, phrases = index.issues[n], index.phrases[n]
        score = 0.0
        for options in expanded:
            best = 0.0
            for word, sure in options:
                w = index.weight(n, word)
                if w:
                    best = max(best, w * sure * (0.4 + 0.6 * index.idf(word)))
            score += best
        if score <= 0:
            continue
        word_score = score
        # A whole phrase of the registry's inside the query (or the query inside one) counts.
        because = ""
        for norm, written in phrases:
            if " " not in norm and norm != q:
                continue  # a single word is scored as a word already
            inside = f" {norm} " in f" {q} " or (len(q) >= 4 and f" {q} " in f" {norm} ")
            if norm and inside and len(norm) > len(normalise(because)):
                because = written
        if because:
            score += 2.0 * len(normalise(because).split())
        else:  # to show why: the first name or keyword with one of the words
            matched = {w for options in expanded for w, _ in options}
            because = next((written for norm, written in phrases
                            if matched & set(words(norm))), "")
        scored.append((score, issue, because, word_score))
    scored.sort(key=lambda t: (-t[0], t[1].id))
    return scored, unmatched


def _exact(registry: Registry, q: str) -> list[Issue]:
    return [i for i in registry.issues.values()
            if q in (normalise(i.id), normalise(i.title), *(normalise(a) for a in i.aliases))]


def find_issue(registry: Registry, query: str) -> Match:
    q = normalise(query)
    if not q:
        return Match(query, None)
    exact = _exact(registry, q)
    if len(exact) == 1:
        return Match(query, exact[0], exact=True)
    scored = rank(registry, query)
    if exact:  # a name shared by several (a registry that skipped validation): best of them
        scored = [t for t in scored if t[1] in exact] or [(1.0, i, "", 1.0) for i in exact]
    if not scored or scored[0][0] < ENOUGH:
        return Match(query, None, suggestions=tuple(t[1] for t in scored[:SUGGEST]))
    top, top_words = scored[0][0], scored[0][3]
    # Close: near the best overall, or on the words alone (a phrase of the best's that
    # equals the query should not hide another issue the same word names).
    runners = tuple(i for s, i, _, w in scored[1:3] if s >= top * CLOSE or w >= top_words * 0.8)
    because = {t[1].id: t[2] for t in scored[:3] if t[2]}
    return Match(query, scored[0][1], runners_up=runners, because=because,
                 unmatched=unmatched_words(registry, query))


@dataclass(frozen=True)
class AreaMatch:
    """An area the text names, or the areas it could mean (none: nothing close)."""

    area: str | None
    candidates: tuple[str, ...] = ()


def find_area(registry: Registry, text: str) -> AreaMatch:
    """An area from its id or name in any case, a unique prefix of either, or a small typo:
    `Brackenford`, `north moor`, `Kingsbridge City`, `brack`, `nort-moor`."""
    from remitctl.fuzzy import distance

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
    # A small typo in the id, the name or the name's leading words as long as the text.
    best: dict[str, int] = {}
    for a, (ident, name) in names.items():
        words = name.split()
        lead = " ".join(words[: len(q.split())])
        options = {ident, name, lead}
        best[a] = min(distance(q, n) for n in options)
    allowed = max(1, len(q) // 4)
    close = sorted((d, a) for a, d in best.items() if d <= allowed)
    if not close:
        return AreaMatch(None)
    top = [a for d, a in close if d == close[0][0]]
    return AreaMatch(top[0]) if len(top) == 1 else AreaMatch(None, tuple(top))
