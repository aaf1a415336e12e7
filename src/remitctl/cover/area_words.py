"""Area words inside the officer's question: `who stray dog kingsbridge`, `... in north moor`.

Read before the issue is looked for, with the rule the README's `who` section states:
- words name an area as `-a` reads them (id or name, any case and spacing, or a unique
  prefix of at least 4 letters), but never as a guess at a typo; one to four words in a
  row, with an "in", "at" or "near" before them taken along;
- issue names win: when the question holds every word of an issue's id, title, alias or
  keyword (in any order: `harbour pollution`, `pollution harbour`), those words belong to
  the issue, not to an area called Harbour;
- the rest of the question must still find the same issue type the whole question finds
  (so words the match needs are never swallowed, and a question of area words alone is
  not read as one);
- words naming two areas, or a prefix several areas share, are not used.
An area given by --area, REMITCTL_AREA or --postcode is settled by the command (cli), which
uses the words only when they agree with it.
"""

from __future__ import annotations

from remitctl.record import record
from remitctl.registry.model import Registry

LONGEST = 4  # words in an area's name read at once
PREFIX = 4  # the shortest prefix of an id or name that counts
BEFORE = frozenset(["in", "at", "near"])


@record
class AreaWords:
    """Words of the question that name an area, and whether they were read as the area."""

    words: tuple[str, ...]  # as typed, an "in"/"at"/"near" before them included
    areas: tuple[str, ...]  # the area they name, or every area they could mean
    used: bool
    reason: str  # why not, when not used ("" when used)
    rest: str  # the question to look the issue up with

    @property
    def area(self) -> str | None:
        return self.areas[0] if self.used else None

    def declined(self, reason: str, question: str) -> AreaWords:
        return AreaWords(self.words, self.areas, False, reason, question)


def _named(registry: Registry, text: str) -> tuple[str, ...]:
    """The areas `text` names as `-a` reads it, without guessing at typos."""
    from remitctl.cover.search import find_area, normalise

    q = normalise(text)
    if not q or not registry.areas:
        return ()
    match = find_area(registry, q, typos=False)  # words are never guessed at
    found = (match.area,) if match.area else match.candidates

    def exact(a: str) -> bool:
        names = [normalise(n) for n in (a, registry.areas[a].name)]
        return q in names or (len(q.replace(" ", "")) >= PREFIX
                              and any(n.startswith(q) for n in names))

    return tuple(a for a in found if exact(a))


def _spans(registry: Registry, tokens: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Non-overlapping runs of words (start, end, areas they name), longest first."""
    out = []
    i = 0
    while i < len(tokens):
        for n in range(min(LONGEST, len(tokens) - i), 0, -1):
            areas = _named(registry, " ".join(tokens[i:i + n]))
            if areas:
                out.append((i, i + n, areas))
                i += n
                break
        else:
            i += 1
    return out


def _issue_words(registry: Registry, tokens: list[str]) -> dict[int, str]:
    """Word positions that belong to an issue's name: every word of an id, title, alias or
    keyword is in the question, in any order (compared as the search compares words: any
    case, plural or singular), → that issue's title."""
    from remitctl.cover.search import normalise
    from remitctl.cover.words import STOP, stem

    def key(word: str) -> str:
        w = normalise(word)
        return "" if not w or w in STOP else stem(w)

    keys = [key(t) for t in tokens]
    out: dict[int, str] = {}
    for issue in registry.issues.values():
        for name in (issue.id, issue.title, *issue.aliases, *issue.keywords):
            want = {stem(w) for w in normalise(name).split() if w not in STOP}
            if want and want <= set(keys):
                for n, k in enumerate(keys):
                    if k in want:
                        out.setdefault(n, issue.title)
    return out


def read(registry: Registry, question: str) -> AreaWords | None:
    """The area the question's words name, if any (see the module's rule)."""
    tokens = question.split()
    spans = _spans(registry, tokens)
    if not spans:
        return None
    issue_words = _issue_words(registry, tokens)
    kept = [(a, b, areas) for a, b, areas in spans
            if not any(n in issue_words for n in range(a, b))]
    if not kept:
        start, end, areas = spans[0]
        title = next(issue_words[n] for n in range(start, end) if n in issue_words)
        return AreaWords(tuple(tokens[start:end]), areas, False,
                         f"read as part of the issue ({title})", question)
    start, end, areas = kept[0]
    if start > 0 and tokens[start - 1].lower() in BEFORE:
        start -= 1
    words = tuple(tokens[start:end])
    rest = " ".join(tokens[:start] + tokens[end:])
    found = AreaWords(words, areas, True, "", rest)
    if len(kept) > 1 and len({s for _, _, s in kept}) > 1:
        every = tuple(w for a, b, _ in kept for w in tokens[a:b])
        named = tuple(dict.fromkeys(a for _, _, s in kept for a in s))
        return AreaWords(every, named, False, "they name several areas ("
                         + ", ".join(named) + ")", question)
    if len(areas) > 1:
        return found.declined("they could mean " + " or ".join(areas), question)
    if not rest.strip():
        return found.declined("no other words say what happened", question)
    from remitctl.cover.search import find_issue

    whole, left = find_issue(registry, question).issue, find_issue(registry, rest).issue
    if left is None or (whole is not None and left.id != whole.id):
        return found.declined("the issue match needs them", question)
    return found
