"""Hours that parse but are probably mistakes: `remitctl validate` warns about them, lookups
never look.

opening_hours reads a span that ends when it starts as running past midnight to the same
time next day: `09:00-09:00` means 24 hours from 09:00, not nothing and not 'all day'.
Overnight spans such as `17:00-09:00` are meant, and are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from remitctl.registry.model import Registry
from remitctl.registry.problems import Problem
from remitctl.registry.yaml_source import Located

T = TypeVar("T")
_SPAN = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?![\d:])")
_COMMENT = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class ZeroLengthSpan:
    offset: int  # where the span starts in the expression, 0-based
    text: str  # as written, e.g. "09:00-09:00"


def zero_length_spans(expression: str) -> list[ZeroLengthSpan]:
    """Spans in `expression` that end at the minute they start (comments are skipped)."""
    masked = _COMMENT.sub(lambda m: " " * len(m.group()), expression)
    found = []
    for m in _SPAN.finditer(masked):
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if (h1, m1) == (h2, m2):
            found.append(ZeroLengthSpan(m.start(), expression[m.start():m.end()]))
    return found


def zero_length_span_warnings(registry: Registry, doc: Located,
                              options: object = None) -> Iterator[Problem]:
    """One warning per zero-length span in a line's hours or bank_holidays, at the value.
    Has the shape of a check in registry/checks.py (`options` is not used)."""
    for ref, svc in registry.services.items():
        agency, _, service = ref.partition("/")
        for key, value in (("hours", svc.hours), ("bank_holidays", svc.bank_holidays)):
            for span in zero_length_spans(value):
                start = span.text.partition("-")[0].strip()
                yield doc.problem(
                    ("agencies", agency, "services", service, key),
                    f"{ref}: {key} span {span.text!r} starts and ends at {start}, which "
                    f"opening_hours reads as 24 hours from {start}, not as closed",
                    "for all day write 00:00-24:00; for closed leave the day out or write "
                    "'off'; for an overnight span check the times",
                    severity="warning", code="zero-length-span")


def semicolon_trap_warnings(registry: Registry, doc: Located,
                            options: object = None) -> Iterator[Problem]:
    """One warning per stretch of early hours that a `;` combination leaves uncovered where
    an overnight rule seems meant to cover it (see `weekly.traps`), at the line's hours."""
    from remitctl.hours.weekly import WEEKDAYS, traps

    names = _day_names()
    for ref, agency, service, found in _each_line(registry, traps):
        for trap in found:
            day = names[WEEKDAYS[trap.weekday]]
            before = names[WEEKDAYS[(trap.weekday - 1) % 7]]
            span = f"{day} {trap.start // 60:02d}:{trap.start % 60:02d}–" \
                   f"{trap.end // 60:02d}:{trap.end % 60:02d}"
            if trap.by is not None:
                why = (f"the later rule {trap.by!r} replaces {day}, including the early hours "
                       f"{trap.rule!r} carries over from {before} night")
            else:
                why = (f"{before}'s hours run to midnight, and {trap.rule!r} gives {day} "
                       f"only the night that starts that evening: the one that would end "
                       f"{day} morning starts on {before}, which that rule does not name")
            yield doc.problem(
                ("agencies", agency, "services", service, "hours"),
                f"{ref}: hours leave {span} uncovered: {why}",
                f"if the line should cover them, add '{trap.fix.lstrip(', ')}' as an extra rule: "
                f"end the hours with '{trap.fix}' (a rule after ',' adds hours and replaces "
                "nothing)", severity="warning", code="semicolon-trap")


def kept_night_warnings(registry: Registry, doc: Located,
                        options: object = None) -> Iterator[Problem]:
    """One warning per overnight rule whose night still covers the morning after a day a
    later rule switched off (see `weekly.kept_nights`), at the line's hours, with the
    rewrite that removes those hours and the one that says they are meant."""
    from remitctl.hours.weekly import WEEKDAYS, kept_nights

    names = _day_names()
    for ref, agency, service, found in _each_line(registry, kept_nights):
        for kept in found:
            spans = " and ".join(
                f"{names[WEEKDAYS[d]]} {a // 60:02d}:{a % 60:02d}–{b // 60:02d}:{b % 60:02d}"
                for d, a, b in kept.spans)
            off = " and ".join(names[WEEKDAYS[d]] for d in kept.days)
            nights = " and ".join(f"{names[WEEKDAYS[d]]} night" for d in kept.days)
            into = " and ".join(names[WEEKDAYS[(d + 1) % 7]] for d in kept.days)
            if kept.rewritten:
                rewrite = (f"write '{kept.rewritten}' for '{kept.rule.text}' (the hours become "
                           f"'{kept.without}')")
            else:
                rewrite = (f"remove '{kept.rule.text}' (the hours become '{kept.without}')")
            yield doc.problem(
                ("agencies", agency, "services", service, "hours"),
                f"{ref}: hours {registry.services[ref].hours!r} leave {spans} covered: "
                f"{kept.by!r} replaces "
                f"{off}'s own hours but not the night {kept.rule.text!r} runs from {off} "
                f"into {into}", f"if {nights} has nobody, {rewrite}; if the cover is meant, "
                f"say so: '{kept.meant}'", severity="warning", code="kept-night")


def _day_names() -> dict[str, str]:
    from remitctl.hours.weekly import WEEKDAYS

    return dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                               "Saturday", "Sunday"), strict=True))


def _each_line(registry: Registry, finder: Callable[[str], list[T]]
               ) -> Iterator[tuple[str, str, str, list[T]]]:
    """Each service line's ref, agency, service key and what `finder` found in its hours;
    hours that do not parse are skipped (they are reported as errors already)."""
    from remitctl.hours.weekly import HoursError

    for ref, svc in registry.services.items():
        agency, _, service = ref.partition("/")
        try:
            found = finder(svc.hours)
        except HoursError:
            continue
        yield ref, agency, service, found
