"""Find the issue type an officer means from what they typed: ids, titles and aliases."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from remitctl.registry.model import Issue, Registry

SUGGEST = 0.4  # the least similarity for a name to be suggested


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


@dataclass(frozen=True)
class Match:
    """The outcome of a query: exactly one issue, several candidates, or suggestions."""

    query: str
    issue: Issue | None
    candidates: tuple[Issue, ...] = ()  # ambiguous: the query fits all of these
    suggestions: tuple[Issue, ...] = ()  # unknown: the nearest names


def _names(issue: Issue) -> list[str]:
    return [normalise(n) for n in (issue.id, issue.title, *issue.aliases)]


def _similarity(query: str, name: str) -> float:
    matcher = difflib.SequenceMatcher(None, query, name)
    # Lengths alone bound the ratio: a name that cannot reach a suggestion is not compared
    # (comparing a pasted paragraph with every name took seconds).
    if matcher.real_quick_ratio() < SUGGEST:
        return 0.0
    return matcher.ratio()


def find_issue(registry: Registry, query: str) -> Match:
    q = normalise(query)
    issues = list(registry.issues.values())
    if not q:
        return Match(query, None)
    exact = [i for i in issues if q in _names(i)]
    if len(exact) == 1:
        return Match(query, exact[0])
    if len(exact) > 1:
        return Match(query, None, candidates=tuple(exact))
    words = q.split()
    partial = [i for i in issues
               if any(all(w in name.split() or w in name for w in words) for name in _names(i))]
    if len(partial) == 1:
        return Match(query, partial[0])
    if len(partial) > 1:
        return Match(query, None, candidates=tuple(partial))
    scored = sorted(
        ((max(_similarity(q, n) for n in _names(i)), i.id, i) for i in issues),
        key=lambda t: (-t[0], t[1]),
    )
    if scored and scored[0][0] >= 0.8:
        best = [i for score, _, i in scored if score >= scored[0][0] - 0.02]
        if len(best) == 1:
            return Match(query, best[0])
        return Match(query, None, candidates=tuple(best))
    return Match(query, None,
                 suggestions=tuple(i for score, _, i in scored[:3] if score >= SUGGEST))
