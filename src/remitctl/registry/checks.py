"""`remitctl validate`: every error the loader finds, plus warnings only validate looks for.

Warnings (stale details, doubtful phone numbers, past closures, unused lines, cover
policies breached in a typical week) never stop a registry from loading: other
commands call `load_registry`, which does none of this work.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from remitctl.registry.hours_lint import (
    kept_night_warnings,
    semicolon_trap_warnings,
    zero_length_span_warnings,
)
from remitctl.registry.loader import Checked, check_text, read_text
from remitctl.registry.model import Closure, DatedHours, Registry
from remitctl.registry.problems import Problem, RegistryError
from remitctl.registry.yaml_source import Located

DEFAULT_MAX_AGE_DAYS = 180
MAX_PATTERNS = 3  # different weekly patterns of gaps named in one policy warning


@dataclass(frozen=True)
class CheckOptions:
    today: dt.date
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    strict: bool = False  # warnings count as errors


@dataclass(frozen=True)
class Review:
    """What a change did, for a pull request: the lines it touched (in the file as it is now)
    and the problems that were not there before it."""

    against: str  # the revision compared with
    hunks: tuple[tuple[int, int], ...]  # first and last line of each block the change touched
    new: frozenset[Problem]

    def touched(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self.hunks)


@dataclass(frozen=True)
class FileReport:
    """The outcome for one file: its problems in file order, and what was not checked."""

    path: str
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...] = ()  # checks that need an error-free registry
    review: Review | None = None  # with --against: what the change touched

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors


def validate_file(path: Path, label: str, options: CheckOptions) -> FileReport:
    try:
        text = read_text(path, label)
    except RegistryError as exc:
        return FileReport(label, tuple(exc.problems))
    return validate_text(text, label, options)


def validate_text(text: str, label: str, options: CheckOptions) -> FileReport:
    checked = check_text(text, label)
    problems = list(checked.problems)
    skipped: tuple[str, ...] = ()
    if checked.registry is not None:
        found, skipped = warnings(checked, options)
        problems += found
    if options.strict:
        problems = [dataclasses.replace(p, severity="error") for p in problems]
    problems.sort(key=lambda p: (p.line, p.column, p.severity, p.message))
    return FileReport(label, tuple(problems), skipped)


def changed_hunks(before: str, after: str) -> tuple[tuple[int, int], ...]:
    """The blocks of lines of `after` that differ from `before` (1-based, inclusive); a
    deletion touches the line that now stands where the deleted lines were."""
    import difflib

    old, new = before.splitlines(), after.splitlines()
    hunks = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if j2 > j1:
            hunks.append((j1 + 1, j2))
        elif new:
            at = min(j1 + 1, len(new))
            hunks.append((at, at))
    return tuple(hunks)


def _same_problem(p: Problem) -> tuple[str, str, str]:
    """A problem as it reads whatever lines moved: line numbers in its message left out."""
    return (p.severity, p.code, re.sub(r"\bline \d+", "line #", p.message))


def review(report: FileReport, text: str, before: str, against: str,
           options: CheckOptions) -> FileReport:
    """`report` on `text`, told which lines the change from `before` touched and which of its
    problems the change brought."""
    old = validate_text(before, report.path, options)
    known = {_same_problem(p) for p in old.problems}
    new = frozenset(p for p in report.problems if _same_problem(p) not in known)
    return dataclasses.replace(report, review=Review(against, changed_hunks(before, text), new))


# -- warnings --------------------------------------------------------------------------------

Check = Callable[[Registry, Located, CheckOptions], Iterator[Problem]]


def warnings(checked: Checked, options: CheckOptions) -> tuple[list[Problem], tuple[str, ...]]:
    """Warnings for a loaded registry, and what was not checked because of errors.

    The per-line checks run on whatever part of the file was sound; the checks that follow
    references (unused lines, cover policies, dangers) run on the issue types and lines
    that no error touches (see `sound_cover`), and `skipped` names the rest exactly.
    """
    registry, doc = checked.registry, checked.doc
    assert registry is not None
    checks: list[Check] = [stale_details, phone_numbers, past_closures,
                           zero_length_span_warnings, semicolon_trap_warnings,
                           kept_night_warnings]
    found = [p for check in checks for p in check(registry, doc, options)]
    if not checked.errors:
        return found + [p for check in (unused_services, policy_breaches, dangerous_cover)
                        for p in check(registry, doc, options)], ()
    from remitctl.registry.sound_cover import sound_cover

    sound, skipped = sound_cover(checked)
    if sound is not None:
        if "unused service lines" not in skipped:
            found += unused_services(registry, doc, options)
        found += [p for check in (policy_breaches, dangerous_cover)
                  for p in check(sound, doc, options)]
    return found, tuple(skipped)


def dangerous_cover(registry: Registry, doc: Located,
                    options: CheckOptions) -> Iterator[Problem]:
    """Valid but dangerous: see registry/dangers.py."""
    from remitctl.registry.dangers import dangers

    yield from dangers(registry, doc, options.today)


def _warn(doc: Located, loc: tuple[str | int, ...], message: str, hint: str, code: str,
          *, key: bool = False) -> Problem:
    return doc.problem(loc, message, hint, key=key, severity="warning", code=code)


def _service_loc(ref: str) -> tuple[str, ...]:
    agency, _, service = ref.partition("/")
    return ("agencies", agency, "services", service)


def stale_details(registry: Registry, doc: Located, options: CheckOptions) -> Iterator[Problem]:
    """Lines whose details were last verified more than `max_age_days` ago (or never)."""
    hint = "check the contact and hours with the agency, then set verified: to today's date"
    for ref, svc in registry.services.items():
        loc = _service_loc(ref)
        if svc.verified is None:
            yield _warn(doc, loc, f"{ref}: details have no verified date", hint, "unverified",
                        key=True)
            continue
        age = (options.today - svc.verified).days
        if age > options.max_age_days:
            yield _warn(doc, (*loc, "verified"),
                        f"{ref}: details last verified {svc.verified.isoformat()}, {age} days "
                        f"ago (more than {options.max_age_days})", hint, "stale")
        elif age < 0:
            yield _warn(doc, (*loc, "verified"),
                        f"{ref}: verified date {svc.verified.isoformat()} is in the future",
                        "write the date the details were checked, as YYYY-MM-DD", "stale")


def phone_numbers(registry: Registry, doc: Located, options: CheckOptions) -> Iterator[Problem]:
    for ref, svc in registry.services.items():
        if svc.contact.phone is None:
            continue
        why = uk_number_problem(svc.contact.phone)
        if why:
            yield _warn(doc, (*_service_loc(ref), "contact", "phone"),
                        f"phone {svc.contact.phone!r} is not a valid UK number: {why}",
                        "write the whole number with its area code, e.g. 01632 960001, "
                        "or a UK short code such as 101", "phone")


# A closure over for longer than this whose days next year are still to come is asked
# about as a wrong year ("did you mean 2026?"); one just over is only past.
TYPO_AFTER = dt.timedelta(days=90)


def _next_year(day: dt.date) -> dt.date:
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def past_closures(registry: Registry, doc: Located, options: CheckOptions) -> Iterator[Problem]:
    """Closures and dated hours that are over: both are typed with dates, so both are
    the same mistake when last year's dates were copied."""
    def check(closures: tuple[Closure | DatedHours, ...], loc: tuple[str, ...],
              kind: str = "closure") -> Iterator[Problem]:
        code = "closure-past" if kind == "closure" else "dated-past"
        kinds, verb = ("closures", "is") if kind == "closure" else (kind, "are")
        for n, c in enumerate(closures):
            if c.end >= options.today:
                continue
            start, end = _next_year(c.start), _next_year(c.end)
            if options.today - c.end > TYPO_AFTER and end >= options.today:
                # Long over, yet the same days next year are still to come: most likely
                # typed with last year's dates.
                when = f"on {c.start.isoformat()}" if c.start == c.end else \
                    f"{c.start.isoformat()} to {c.end.isoformat()}"
                year = start.year if start.year == end.year else f"{start.year}-{end.year}"
                yield _warn(doc, (*loc, n), f"{kind} {when} ({c.reason!r}) {verb} in the past: "
                            f"did you mean {year}?",
                            f"if it is the coming {kind}, correct the year (from: "
                            f"{start.isoformat()}, to: {end.isoformat()}); if it is over, "
                            f"remove it: past {kinds} no longer change any answer", code)
                continue
            yield _warn(doc, (*loc, n), f"{kind} {c.reason!r} ended on "
                        f"{c.end.isoformat()}", f"remove past {kinds}: they no longer "
                        "change any answer and hide the ones that do", code)

    for agency in registry.agencies.values():
        yield from check(agency.closures, ("agencies", agency.id, "closures"))
    for ref, svc in registry.services.items():
        own = tuple(c for c in svc.closures if c.scope == "service")
        yield from check(own, (*_service_loc(ref), "closures"))
        yield from check(svc.dated_hours, (*_service_loc(ref), "dated_hours"), "dated hours")


def unused_services(registry: Registry, doc: Located, options: CheckOptions) -> Iterator[Problem]:
    """Lines no issue type reaches through its cover, its fallback or a line's fallback."""
    used: set[str] = set()
    todo = [ref for issue in registry.issues.values()
            for ref in (*[r for refs in issue.cover.values() for r in refs],
                        *([issue.fallback] if issue.fallback else []))]
    while todo:
        ref = todo.pop()
        if ref in used or ref not in registry.services:
            continue
        used.add(ref)
        if registry.services[ref].fallback:
            todo.append(registry.services[ref].fallback or "")
    for ref in registry.services:
        if ref not in used:
            yield _warn(doc, _service_loc(ref), f"service line {ref!r} is not used by any "
                        "issue type", "add it to an issue's cover or fallback, or remove it",
                        "unused", key=True)


def policy_breaches(registry: Registry, doc: Located, options: CheckOptions) -> Iterator[Problem]:
    """Cover policies breached in a typical week (no bank holidays or closures): the
    check `remitctl gaps --check` makes of its typical week, so the two always agree;
    `gaps --check` also tests the next 365 days. As there, uncertain cover is no cover.

    One warning per policy: its gaps in week order, the same hours on several days said
    once ('Mon–Fri 12:00–17:00'), with the areas that have them.
    """
    from zoneinfo import ZoneInfo

    from remitctl.cover.gaps import typical_week
    from remitctl.cover.policy_check import check_policies
    from remitctl.cover.typical import WeekSpan, describe, hours_text

    if not any(issue.policies for issue in registry.issues.values()):
        return
    tz = ZoneInfo(registry.timezone)
    window = typical_week(tz, dt.datetime.combine(options.today, dt.time(12), tz))
    grouped: dict[tuple[str, int, int], list[Any]] = {}
    for b in check_policies(registry, [window]).breaches:
        grouped.setdefault((b.issue.id, b.policy.line, b.policy.column), []).append(b)
    for (issue_id, line, column), found in grouped.items():
        by_areas: dict[tuple[str, ...], list[Any]] = {}
        for b in found:
            by_areas.setdefault(b.areas, []).append(b)
        spans_of: dict[tuple[WeekSpan, ...], list[str | None]] = {}
        whole: list[str | None] = []
        uncertain = False
        longest = 0
        for areas, breaches in by_areas.items():
            spans = []
            for b in breaches:
                uncertain = uncertain or bool(b.run.uncertain)
                minutes = round(b.run.length.total_seconds() / 60)
                longest = max(longest, minutes)
                if b.run.start is None or b.run.at_least:
                    whole.extend(areas or [None])
                    continue
                first = round((b.run.start - window.start).total_seconds() / 60)
                spans.append(WeekSpan(first, first + minutes))
            if spans:
                spans_of.setdefault(tuple(sorted(spans)), []).extend(areas or [None])
        parts = []
        if whole:
            parts.append(f"at any time{_area_list(whole)} (never covered)")
        patterns = sorted(spans_of.items(), key=lambda item: -len(item[1]))  # commonest first
        for pattern, named in patterns[:MAX_PATTERNS]:
            total = hours_text(sum(s.minutes for s in pattern))
            each = (hours_text(pattern[0].minutes)
                    if len({s.minutes for s in pattern}) == 1 else "")
            size = (f"{each} every week" if len(pattern) == 1 else
                    f"{each} each, {total} a week" if each else f"{total} a week")
            parts.append(f"{describe(pattern)} ({size}){_area_list(named)}")
        if len(patterns) > MAX_PATTERNS:
            others = sum(len(named) for _, named in patterns[MAX_PATTERNS:])
            parts.append(f"other hours in {others} more area{'s' if others != 1 else ''} "
                         "(`remitctl gaps --check` lists each)")
        what = "there is no certain cover" if uncertain else "nobody covers it"
        policy = found[0].policy
        rule = ("the policy requires cover at all times" if policy.max_gap_hours == 0 else
                f"the policy allows gaps of up to {policy.max_gap_hours:g} h")
        yield Problem(doc.path, line, column, "warning",
                      f"{issue_id}: cover policy breached: {what} {'; '.join(parts)}; {rule}",
                      "add or extend a line in its cover for those hours, or change the "
                      "policy; `remitctl gaps --check` also tests bank holidays and closures",
                      "policy")


def _area_list(areas: list[str | None]) -> str:
    named = [a for a in areas if a is not None]
    if not named:
        return ""
    if len(named) <= 4:
        return " in " + ", ".join(named)
    return f" in {len(named)} areas ({', '.join(named[:3])} and {len(named) - 3} more)"


# -- UK telephone numbers --------------------------------------------------------------------

# Short codes officers are given as contacts: emergency, police and NHS non-emergency,
# power cut, NHS vaccinations; 116xxx are the harmonised European helplines.
_SHORT_CODES = {"999", "112", "101", "105", "111", "119"}
# Area codes whose local numbers may have five digits (ten digits in all), per Ofcom's
# national numbering plan; every other 01/02 number has eleven digits.
_FIVE_DIGIT_LOCAL = frozenset((
    "01204", "01208", "01254", "01276", "01297", "01298", "01363", "01364", "01384", "01386",
    "01404", "01420", "01460", "01461", "01480", "01488", "01524", "01527", "01562", "01566",
    "01606", "01629", "01635", "01647", "01659", "01695", "01726", "01744", "01750", "01768",
    "01827", "01837", "01884", "01900", "01905", "01935", "01946", "01949", "01963", "01995",
))
_LONG_SPECIALS = {"08001111", "08454647"}  # Childline and the old NHS Direct number
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x)\s*\d{1,6}\Z", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-.()/]")


def uk_number_problem(number: str) -> str | None:
    """Why `number` cannot be a UK telephone number, or None when it has a valid shape.

    A shape check against Ofcom's numbering plan, not a look-up: Ofcom's drama ranges
    (01632 960xxx, 07700 900xxx) count as valid, as they must for sample data.
    """
    text = _EXTENSION.sub("", number.strip())
    text = re.sub(r"^\+44\s*\(0\)", "+44", text)
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith(("+", "00")):
        return "it has a country code other than +44"
    if not digits.isdigit():
        return "it has characters other than digits, spaces and +44"
    if digits in _SHORT_CODES or re.fullmatch(r"11[68]\d{3}", digits):
        return None
    if not digits.startswith("0"):
        return "a UK number starts with 0 (or +44), or is a short code such as 101"
    if digits in _LONG_SPECIALS:
        return None
    prefix = digits[:2]
    if prefix in ("04", "06") or digits.startswith("00"):
        return f"no UK numbers start with {prefix}"
    short_ok = digits[:5] in _FIVE_DIGIT_LOCAL or digits.startswith(("016977", "0800"))
    allowed = {10, 11} if short_ok else {11}
    if len(digits) not in allowed:
        want = " or ".join(str(n) for n in sorted(allowed))
        return f"it has {len(digits)} digits; UK numbers starting {digits[:4]} have {want}"
    return None
