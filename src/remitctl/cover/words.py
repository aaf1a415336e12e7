"""Words as officers type them, made comparable with the words of the registry.

The same steps run on the question and on the registry's text, so that `he's`, `kids'`,
`won't`, `o/s` and `non-urgent` mean the same on both sides:

- contractions and possessives: `he's` → `he`, `kids'` → `kids`, `won't` → `will not`,
  `can't` → `can not`, `od'd` → `od`; typographic apostrophes too;
- shorthand with a slash or ampersand: `o/s` → outside, `w/` → with, `w/o` → without,
  `a&e` → `ae`, other `&` → and;
- a negated urgency is one word, `nonurgent` ("not urgent", "non-urgent", "no rush",
  "not an emergency", "non emergency"), so that it never counts as `urgent`;
- a reflexive pronoun is `self` ("himself", "themselves"), so "kill self" is one phrase;
- an age says who: "13 year old", "13yo", "aged 13" → child (under 18), 65 and over → elderly;
- road numbers (A38, M5, B1234) → road;
- stems: plurals (irregular ones too: children, women), -ing, -ed (with a doubled final
  consonant undone: cutting → cut, tipped → tip), -er, a final -e.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    "concerned", "possible", "possibly", "query", "do", "does", "did", "can", "could",
    "will", "would", "should", "shall", "may", "might", "must", "not", "no", "so", "if",
    "but", "all", "again", "also", "too", "still", "says", "said", "saying", "think",
    "thinks", "believe", "believes", "apparently", "like", "right", "going", "gone",
    "go", "goes", "now", "here", "ring", "number", "phone", "contact", "tel", "mate",
    "lass", "fella", "chap", "sir", "madam",
    "male's", "one", "two", "three", "few", "lot", "lots", "ok", "okay", "yes",
    "please", "thanks", "cheers", "asap", "tonight", "today", "tomorrow", "yesterday",
    # Finding or seeing says how it came to notice, not what it is ("sharps found in the
    # park" is not a death because of "found dead"): phrases still read them.
    "found", "finds", "seen", "saw", "spotted", "noticed",
])
# Words the vocabulary may still match as part of a phrase ("kill himself", "want to die"):
# stop words are dropped only after the vocabulary has read the question.

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
_SHORTHAND = [
    (re.compile(r"\bw/o\b"), " without "),
    (re.compile(r"\bo/s\b"), " outside "),
    (re.compile(r"\bw/(?=\s|[a-z])"), " with "),
    (re.compile(r"\b([a-z])\s*[&+]\s*([a-z])\b"), r" \1\2 "),  # a&e, a+e
    (re.compile(r"&"), " and "),
]
_SECTION = re.compile(r"\bsec(?:t|tion)?\.?\s*(\d{1,3})\b")  # sec136, sect. 135 → section 136
_CONTRACTIONS = [
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'(?:s|re|ve|ll|d|m)\b"), ""),
    (re.compile(r"(?<=s)'(?=\s|$)"), ""),  # kids' → kids
]
_NOT_URGENT = re.compile(
    r"\b(?:not|non|isn't|no|never)[\s-]+(?:an?\s+|very\s+|that\s+|too\s+)?"
    r"(?:urgent|emergency|rush|hurry)\b|\bnon-?(?:urgent|emergency)\b|\bin\s+hours\s+only\b")
_REFLEXIVE = re.compile(r"\b(?:him|her|them|my|your|our|it|one)-?(?:self|selves)\b")
_AGE = re.compile(r"\b(?:aged\s+)?(\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|y/?o)(?:\s*-?\s*old)?\b"
                  r"|\baged\s+(\d{1,3})\b")
_ROAD = re.compile(r"\b[amb]\d{1,4}(?:\([mt]\))?\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _age(m: re.Match[str]) -> str:
    years = int(m.group(1) or m.group(2))
    return " child " if years < 18 else " elderly " if years >= 65 else " adult "


@lru_cache(maxsize=8192)
def prose(text: str) -> str:
    """Lower-case words separated by single spaces, after the rules above (no stems)."""
    if not text.isascii():  # full-width or styled letters (ｎｏｉｓｅ, ﬁre) read as plain ones
        import unicodedata

        text = unicodedata.normalize("NFKC", text)
    t = text.lower().translate(_APOSTROPHES)
    # Each rule only where its sign is (most of a registry's text has none of them).
    if "sec" in t:
        t = _SECTION.sub(r" section \1 ", t)
    if "/" in t or "&" in t or "+" in t:
        for pattern, replacement in _SHORTHAND:
            t = pattern.sub(replacement, t)
    if "'" in t:
        for pattern, replacement in _CONTRACTIONS:
            t = pattern.sub(replacement, t)
    if "urgent" in t or "emergency" in t or "rush" in t or "hurry" in t or "hours" in t:
        t = _NOT_URGENT.sub(" nonurgent ", t)
    if "sel" in t:
        t = _REFLEXIVE.sub(" self ", t)
    if any(c.isdigit() for c in t):
        t = _ROAD.sub(" road ", _AGE.sub(_age, t))
    return " ".join(_NOT_WORD.sub(" ", t).split())


IRREGULAR = {
    "children": "child", "childrens": "child", "kiddies": "kid", "men": "man",
    "women": "woman", "people": "person", "mice": "mouse", "geese": "goose", "feet": "foot",
    "teeth": "tooth", "wolves": "wolf", "knives": "knife", "lives": "life", "wives": "wife",
    "thieves": "thief", "leaves": "leaf", "calves": "calf", "shelves": "shelf",
    "died": "die", "dying": "die", "dies": "die", "lying": "lie", "lied": "lie",
    "bitten": "bite", "bit": "bite", "hung": "hang", "hanged": "hang", "took": "take",
    "taken": "take", "fell": "fall", "fallen": "fall", "burnt": "burn", "burned": "burn",
    "cuts": "cut", "cutting": "cut", "stole": "steal", "stolen": "steal",
    "threw": "throw", "thrown": "throw", "left": "leave", "seen": "see", "saw": "see",
    "beaten": "beat", "hit": "hit", "shed": "shed", "flooded": "flood", "flooding": "flood",
    "needed": "need", "seized": "seize",
}
_VOWELS = set("aeiouy")
_UNDOUBLE = set("bdgmnprt")  # cutting, tipped, dumped (not: falling, kissed, buzzing)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude English stem, the same for the question and the registry."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for ending in ("ing", "ed", "er"):
        least = 4 if ending == "er" else 3
        if w.endswith(ending) and len(w) - len(ending) >= least:
            base = w[: -len(ending)]
            if not _VOWELS & set(base):
                break
            if len(base) >= 3 and base[-1] == base[-2] and base[-1] in _UNDOUBLE:
                base = base[:-1]
            w = base
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=8192)
def stems(text: str) -> tuple[str, ...]:
    """Every word of `text`, stemmed, stop words kept (for phrases of the vocabulary)."""
    return tuple(stem(w) for w in prose(text).split())


STOP_STEMS = frozenset(stem(w) for w in STOP)


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of `text` that say something: stemmed, stop words left out."""
    return tuple(stem(w) for w in prose(text).split() if w not in STOP)
