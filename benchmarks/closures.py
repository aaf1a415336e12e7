"""A national registry with one agency closure from 1900-01-01 to 2199-12-31 (the widest the
format allows): `make bench` times `validate` on it against the plain registry, since a
closure's length must not change what a check costs (issue 18)."""

from __future__ import annotations

import re

LONG_CLOSURE = ('    closures:\n      - {from: 1900-01-01, to: 2199-12-31, '
                'reason: "Every day the format allows"}\n')


def with_long_closure(text: str) -> str:
    """`text` with the long closure on its first agency (before its `services:`)."""
    first = re.search(r"^agencies:\n  [a-z0-9-]+:\n(?:    (?!services:).*\n)*", text, re.M)
    if first is None:
        raise ValueError("no agency found")
    if "    closures:\n" in first.group():
        raise ValueError("the first agency already has closures")
    return text[:first.end()] + LONG_CLOSURE + text[first.end():]
