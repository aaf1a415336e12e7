"""The officer's question before the issue is looked for: area words in it (`who stray dog
kingsbridge`) are the area unless --area, REMITCTL_AREA or --postcode says otherwise."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from remitctl.cover.area_words import AreaWords
    from remitctl.places.resolve import Place
    from remitctl.registry.model import Registry


LONGEST = 300  # characters of a question: a few words, not a pasted statement


def check_length(question: str) -> None:
    """A usage error for a question longer than LONGEST characters: an officer asks in a
    few words, and a pasted page would be searched (and echoed back) whole."""
    if len(question) > LONGEST:
        from remitctl.cli.session import usage_error

        usage_error(f"the question is {len(question):,} characters long: {question[:60]!r}…",
                    f"ask in a few words (at most {LONGEST} characters), e.g. "
                    "remitctl who noise")


def area_words(question: str, registry: Registry, area: str | None, place: Place | None,
               given: list[str] | None) -> AreaWords | None:
    """What the question's words say about the area, settled against the area the options
    give: `given` is --area (or REMITCTL_AREA) read as areas, `place` a --postcode's."""
    from remitctl.cover.area_words import read

    check_length(question)

    found = read(registry, question)
    if found is None or not found.used:
        return found
    if place is not None:
        return found.declined(f"a postcode ({place.asked}) was given", question)
    if area is not None and area.strip() and given != [found.area]:
        return found.declined(f"REMITCTL_AREA={area.strip()} is set"
                              if os.environ.get("REMITCTL_AREA") == area
                              else f"--area {area.strip()} was given", question)
    return found


def log_question(question: str, registry: Registry, area: str | None,
                 place: Place | None) -> tuple[str, str | None]:
    """For `log`: the words to find the issue with, and the area the words name (None:
    the options decide); what the words did is said on stderr."""
    from remitctl.cli.session import err, read_areas
    from remitctl.render.area_words import line

    found = area_words(question, registry, area, place,
                       None if place else read_areas(area, registry))
    if found is None:
        return question, None
    err(f"remitctl: {line(found, registry)}")
    return found.rest, found.area
