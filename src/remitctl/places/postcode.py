"""What a postcode looks like, one rule for the loader and the lookup."""

from __future__ import annotations

import re

# Outward code: area letters, district digit(s), optional letter; inward: digit, 2 letters.
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def normal(text: str) -> str | None:
    """'sw1a1aa', ' SW1A  1AA ' -> 'SW1A 1AA'; None when it is not a full postcode."""
    squeezed = re.sub(r"\s+", "", text).upper()
    m = _FULL.fullmatch(squeezed)
    return f"{m.group(1)} {m.group(2)}" if m else None


def outward(text: str) -> str | None:
    """'ln2' -> 'LN2' when the text is an outward code (postcode district) alone."""
    squeezed = re.sub(r"\s+", "", text).upper()
    return squeezed if _OUTWARD.fullmatch(squeezed) else None
