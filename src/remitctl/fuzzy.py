"""Nearest-name suggestions that understand the typos people make (swapped letters too)."""

from __future__ import annotations


def distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps.
    With `limit`, any distance past it is given as limit + 1, found as soon as a whole row
    of the table is past it (no later row can come back under: a row's least value is at
    most one more than the row before's, and a swap reaches back only two rows)."""
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if limit is not None and min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1] if limit is None else min(prev[-1], limit + 1)


def nearest(word: str, options: list[str], *, limit: int = 1) -> list[str]:
    """The closest options to `word`, near enough to be a plausible typo (best first)."""
    low = word.lower()
    scored = []
    for option in options:
        most = max(1, min(len(low), len(option)) // 3)
        if abs(len(low) - len(option)) > most:
            continue  # the distance is at least the difference in length
        d = distance(low, option.lower(), most)
        if d <= most:
            scored.append((d, option))
    return [option for _, option in sorted(scored)[:limit]]
