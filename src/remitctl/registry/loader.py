"""Load `remits.yaml` into a `Registry`, or report every problem at its line and column."""

from __future__ import annotations

import difflib
import hashlib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from remitctl.fuzzy import nearest
from remitctl.registry.model import (
    DEFAULT,
    Agency,
    Area,
    Closure,
    Contact,
    DatedHours,
    Issue,
    Policy,
    Registry,
    Service,
)
from remitctl.registry.problems import Problem, RegistryError
from remitctl.registry.reading import MAX_BYTES as MAX_BYTES  # where callers look for it
from remitctl.registry.reading import decode, label_for, read_bytes
from remitctl.registry.sound import ROUNDS, SetAside, sound_part
from remitctl.registry.yaml_source import Located, Path_, read_yaml

ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
BANK_HOLIDAY_WORDS = {"closed": "closed", "off": "closed", "no": "closed",
                      "normal": "normal", "unknown": "unknown"}
_PH = re.compile(r"\b(PH|SH)\b")
# 'Did you mean' compares a name with every option; only the first problems get one, so a
# file with thousands of bad names is still checked in moments.
MAX_SUGGESTIONS = 50


def read_text(path: Path, label: str | None = None) -> str:
    """The registry's text, or a RegistryError that says plainly why it cannot be read
    (see `reading`: pipes, FIFOs and devices are read with a cap and a deadline, or refused)."""
    label = label or label_for(path)
    return decode(read_bytes(path, label), label)


def load_registry(path: Path, label: str | None = None) -> Registry:
    """Read and validate the registry at `path`; raise RegistryError with every problem."""
    label = label or label_for(path)
    return parse_registry(read_text(path, label), label)


def parse_registry(text: str, label: str) -> Registry:
    checked = check_text(text, label)
    if checked.errors or checked.registry is None:
        raise RegistryError(checked.errors or list(checked.problems))
    return checked.registry


@dataclass(frozen=True)
class Checked:
    """What the loader found in one file: every error, the located document, and the
    registry built from the parts that are sound (None when the file's shape is too
    broken to build one). `remitctl validate` runs its warning checks on these."""

    registry: Registry | None
    doc: Located
    problems: tuple[Problem, ...]
    # Where the errors are (as paths in the document), and what was set aside for them:
    # `validate` runs its cross-file checks on what they do not touch (see checks.py).
    broken: frozenset[tuple[Path_, str]] = frozenset()
    set_aside: SetAside | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_text(text: str, label: str) -> Checked:
    """Every error in `text` at once: YAML, keys and types, then the checks across the file."""
    located, problems = read_yaml(text, label)
    if located.data is None and problems:  # nothing was read: syntax error or empty file
        return Checked(None, located, tuple(problems))
    checker = _Checker(located, text)
    registry, found = checker.run()
    # A refused tag or duplicate key also leaves its value missing or odd; say it once.
    taken = {(p.line, p.column) for p in problems}
    problems += [p for p in found if (p.line, p.column) not in taken]
    return Checked(registry, located, tuple(problems), frozenset(checker.broken),
                   checker.set_aside)


# -- pydantic errors placed on the YAML ------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else tp
    return tp


def _keys_at(loc: Path_) -> list[str]:
    """The keys allowed in the mapping at `loc`, for 'did you mean' hints."""
    from pydantic import BaseModel

    from remitctl.registry.schema import RegistryDoc

    tp: Any = RegistryDoc
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = {(f.alias or name): f for name, f in tp.model_fields.items()}
            if part not in fields:
                return []
            tp = fields[str(part)].annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [(f.alias or name) for name, f in tp.model_fields.items()]
    return []


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _nearest_key(key: str, allowed: list[str]) -> list[str]:
    return nearest(key, allowed) or difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)


def _pydantic_problems(doc: Located, errors: list[Any], text: str = "") -> list[Problem]:
    problems: list[Problem] = []
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    explained: set[Path_] = set()  # missing keys an unknown key's hint already names
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    for err in unknown[:MAX_SUGGESTIONS]:
        loc = tuple(err["loc"])
        near = _nearest_key(str(loc[-1]), _keys_at(loc[:-1]))
        if near and (*loc[:-1], near[0]) in missing:
            explained.add((*loc[:-1], near[0]))
    # A key of an issue (area, agency, line) written one level too far left reads as an
    # issue of its own: say that once, instead of the type errors it causes.
    dedented: dict[Path_, str] = {}
    for err in errors:
        found = _dedented(tuple(err["loc"]))
        if found is not None:
            dedented.setdefault(*found)
    for loc, kind in dedented.items():
        key = str(loc[-1])
        problems.append(doc.problem(
            loc, f"{key!r} is indented as if it were {kind} of its own; indent it under the "
            f"{kind.removeprefix('an ').removeprefix('a ')} above it",
            f"line '{key}:' up with '{'title' if kind == 'an issue' else 'name'}:' and the "
            f"other keys of the {kind.split(' ', 1)[1]} above it", key=True, code="indent"))
    for err in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        if any(loc[:len(d)] == d for d in dedented):
            continue
        if kind == "extra_forbidden":
            key = str(loc[-1])
            allowed = _keys_at(loc[:-1])
            near = _nearest_key(key, allowed) if len(problems) < MAX_SUGGESTIONS else []
            deeper = _belongs_deeper(loc)
            hint = deeper or (f"did you mean {near[0]!r}?" if near else (
                f"allowed here: {', '.join(allowed)}" if allowed else None))
            problems.append(doc.problem(loc, f"unknown key {key!r}", hint, key=True,
                                        code="unknown-key"))
        elif kind == "missing" and loc in explained:
            continue
        elif kind == "missing":
            where = _subject(loc[:-1]) or "the top level"
            problems.append(doc.problem(loc[:-1], f"missing required key {loc[-1]!r} in {where}",
                                        f"add '{loc[-1]}:' under it", code="missing-key"))
        else:
            message, hint = _type_words(loc, err, _raw(doc, loc, text))
            problems.append(doc.problem(loc, message, hint, code="type"))
    return problems


_INNER = {"issues": "an issue", "areas": "an area", "agencies": "an agency"}


def _dedented(loc: Path_) -> tuple[Path_, str] | None:
    """(where, 'an issue') when `loc` lies under a key of an issue (area, agency, service
    line) that stands where an issue id should."""
    from remitctl.registry import schema

    models: dict[str, Any] = {"issues": schema.IssueDoc, "areas": schema.AreaDoc,
                              "agencies": schema.AgencyDoc}
    if len(loc) >= 2 and loc[0] in models and loc[1] in models[str(loc[0])].model_fields:
        return loc[:2], _INNER[str(loc[0])]
    if (len(loc) >= 4 and loc[0] == "agencies" and loc[2] == "services"
            and _field_alias(schema.ServiceDoc, str(loc[3]))):
        return loc[:4], "a service line"
    return None


def _belongs_deeper(loc: Path_) -> str | None:
    """A hint when an unknown key is a key of a service line written at its agency's level
    (or of an agency or issue written at the top level): indented one level too little."""
    from remitctl.registry import schema

    key = str(loc[-1])
    if len(loc) == 3 and loc[0] == "agencies" and _field_alias(schema.ServiceDoc, key):
        return (f"'{key}' is a key of a service line: indent it under the line it belongs "
                "to, below services:")
    if len(loc) == 1 and _field_alias(schema.IssueDoc, key):
        return f"'{key}' is a key of an issue: indent it under the issue, below issues:"
    if len(loc) == 1 and _field_alias(schema.AgencyDoc, key):
        return f"'{key}' is a key of an agency: indent it under the agency, below agencies:"
    return None


def _field_alias(model: Any, key: str) -> bool:
    return any((f.alias or name) == key for name, f in model.model_fields.items())


def _subject(loc: Path_) -> str:
    """Where `loc` is, as an admin names it: 'council/office contact.phone',
    'issue noise policy.max_gap_hours', 'agency council closures[1].to'."""
    if len(loc) >= 4 and loc[0] == "agencies" and loc[2] == "services":
        head, rest = f"{loc[1]}/{loc[3]}", loc[4:]
    elif len(loc) >= 2 and loc[0] in ("agencies", "issues", "areas"):
        head = f"{str(loc[0]).removesuffix('s').replace('agencie', 'agency')} {loc[1]}"
        rest = loc[2:]
    elif len(loc) >= 2 and loc[0] == "vocabulary":  # one idea or a list: 'the idea'
        head, rest = f"vocabulary term {loc[1]!r}", ("idea",)
    else:
        head, rest = "", loc
    field = ""
    for part in rest:
        field += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if field else part)
    return " ".join(p for p in (head, field) if p)


def _raw(doc: Located, loc: Path_, text: str) -> str | None:
    """The value at `loc` as written, when it is a plain one-line scalar."""
    line, column = doc.where(loc)
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    rest = lines[line - 1][column - 1:]
    value = re.split(r"\s+#|[,}\]]", rest, maxsplit=1)[0].strip()
    return value or None


_TEXT_RULES = {
    "timezone": ("{v!r} is not the name of a time zone",
                 "use an IANA name such as Europe/London"),
    "phone": ("phone number {v!r} has letters or signs a phone number cannot have",
              "write only the number, e.g. '01632 960000' or '101' (digits, spaces, + and "
              "brackets, and 'ext 12' at the end); put any words in notes"),
    "email": ("email address {v!r} is not an email address (it needs an @)",
              "write the whole address, e.g. noise@council.example.gov.uk"),
    "web": ("web address {v!r} does not start with https:// or http://",
            "write the whole address, e.g. https://www.council.example.gov.uk/noise"),
}


def _type_words(loc: Path_, err: Any, raw: str | None) -> tuple[str, str | None]:
    """A pydantic error as an admin would say it, and what to do."""
    kind = err["type"]
    value = err.get("input")
    subject = _subject(loc) or "the registry"
    got = _describe(value)
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return (f"{subject} must be a date, not {got}",
                "write dates as YYYY-MM-DD, e.g. 2026-12-24")
    if kind == "string_type" and isinstance(value, bool):
        return (f"{subject} must be text, not {raw or got}",
                "YAML reads yes/no/true/false/on/off as yes-or-no; put the text in quotes")
    if kind == "string_type" and isinstance(value, int | float):
        example = '"01632 960000"' if field == "phone" else f'"{raw or value}"'
        return (f"{subject} {raw or value} must be in quotes",
                "YAML reads unquoted digits as a number, dropping a leading 0; put the text "
                f"in quotes, e.g. {field or 'name'}: {example}")
    if kind == "string_type":
        return f"{subject} must be text, not {got}", None
    if kind == "string_pattern_mismatch":
        if field in _TEXT_RULES and str(err.get("ctx", {}).get("pattern")) != "\\S":
            message, hint = _TEXT_RULES[field]
            return f"{subject}: {message.format(v=value)}", hint
        return f"{subject} is blank", f"write the {field or 'text'}, or remove the key"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (f"{subject} must be a set of 'key: value' lines indented under it, not {got}",
                None)
    if kind == "list_type":
        return (f"{subject} must be a list, not {got}",
                "write [first, second] or one '- item' per line under it")
    if kind == "too_short":
        subject = _subject(loc[:-1]) or "the registry"
        if field == "services":
            return (f"{subject}: an agency needs at least one service line",
                    "add a line under services:, or remove the agency")
        if field == "cover":
            return (f"{subject}: cover needs at least one entry",
                    "add 'default: [agency/service]' or an entry per area; an empty list "
                    "([]) means nobody covers that area")
        return f"{subject} must not be empty", None
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{subject} must be {expected}, not {got}", None
    if kind in ("greater_than_equal", "greater_than"):
        return f"{subject} must be 0 or more, not {got}", None
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{subject} must be a number, not {got}", None
    message = str(err["msg"]).replace("Input should", "should")
    return f"{subject} {message} (got {got})", None


# -- the checks that span the file -----------------------------------------------------------


class _Checker:
    def __init__(self, doc: Located, text: str) -> None:
        self.doc = doc
        self.text = text
        self.problems: list[Problem] = []
        # What was left out because its own keys or types are wrong (see sound.py):
        # references to it are not reported again as unknown.
        self.set_aside = SetAside()
        self.broken: set[tuple[Path_, str]] = set()  # (where, code) of each error

    def error(self, loc: Path_, message: str, hint: str | None = None, *, key: bool = False,
              code: str = "invalid") -> None:
        self.broken.add((tuple(loc), code))
        self.problems.append(self.doc.problem(loc, message, hint, key=key, code=code))

    def run(self) -> tuple[Registry | None, list[Problem]]:
        from pydantic import ValidationError

        from remitctl.registry.schema import RegistryDoc

        data = self.doc.data
        if not isinstance(data, dict):
            self.error((), f"the registry must be a mapping of keys, not {_describe(data)}",
                       "start from the bundled remits.yaml", code="type")
            return None, self.problems
        try:
            reg = RegistryDoc.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(_pydantic_problems(self.doc, exc.errors(), self.text))
            self.broken.update((tuple(e["loc"]), "type") for e in exc.errors())
            errors, sound = exc.errors(), data
            for _ in range(ROUNDS):  # check the rest of the file too: every problem at once
                taken = sound_part(sound, errors, self.set_aside)
                if taken is None:
                    return None, self.problems
                sound = taken
                try:
                    reg = RegistryDoc.model_validate(sound)
                    break
                except ValidationError as again:  # what taking out the errors broke
                    errors = again.errors()
            else:
                return None, self.problems
        registry = self.build(reg)
        return registry, self.problems

    def is_set_aside(self, ref: str) -> bool:
        return self.set_aside.ref(ref)

    def check_id(self, loc: Path_, kind: str) -> None:
        value = str(loc[-1])
        if not ID.match(value):
            self.error(loc, f"{kind} id {value!r} must be lower-case words joined by hyphens",
                       "e.g. noise-nuisance", key=True, code="id")

    def hours_problem(self, loc: Path_, hours: str, what: str) -> bool:
        """Report hours remitctl cannot evaluate exactly; True when they are fine."""
        from opening_hours import OpeningHours

        from remitctl.hours.weekly import HoursError, check_rules, parse_hours

        def report(col: int, message: str, hint: str) -> None:
            self.broken.add((tuple(loc), "hours"))
            line, column = self.doc.where(loc)
            if col and "\n" not in hours:
                column += col - 1 + (1 if self._quoted(line, column) else 0)
            self.problems.append(Problem(self.doc.path, line, column, "error", message, hint,
                                         "hours"))

        try:
            OpeningHours(hours)
        except Exception as exc:  # opening-hours-py raises ParserError (a SyntaxError)
            message, col = _parser_message(str(exc))
            report(col, f"{what} {hours!r} is not valid opening_hours: {message}",
                   "write e.g. 'Mo-Fr 09:00-17:00', 'Sa,Su 00:00-24:00' or '24/7'; hours are "
                   "HH:MM")
            return False
        try:
            parse_hours(hours)
        except HoursError as exc:
            from remitctl.registry.dated import replacement

            said = exc.message if exc.message.startswith("uses ") else f"{hours!r}: {exc.message}"
            moved = replacement(hours) if what == "hours" else None
            report(exc.column, f"{what} {said}", moved or exc.hint)
            return False
        differs = check_rules(hours)
        if differs is not None:
            report(hours.find(differs) + 1, f"{what}: opening_hours reads the rule {differs!r} "
                   "differently from remitctl", "write the rule as weekdays and HH:MM-HH:MM "
                   "spans, e.g. 'Fr,Sa 20:00-03:00'")
            return False
        return True

    def _quoted(self, line: int, column: int) -> bool:
        lines = self.text.splitlines()
        if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
            return lines[line - 1][column - 1] in "'\""
        return False

    def closures(self, docs: Any, loc: Path_, scope: str) -> tuple[Closure, ...]:
        from remitctl.hours.calendar import FIRST_DAY, LAST_DAY

        out = []
        for i, c in enumerate(docs):
            if c.end < c.start:
                self.error((*loc, i, "to"), f"closure {c.reason.strip()!r} ends on {c.end} but "
                           f"starts on {c.start}: it cannot end before it starts",
                           "swap from: and to:, or correct the year", code="closure")
            for key, day in (("from", c.start), ("to", c.end)):
                if not FIRST_DAY <= day <= LAST_DAY:
                    self.error((*loc, i, key), f"closure date {day} is outside the years "
                               f"remitctl answers for ({FIRST_DAY.year}–{LAST_DAY.year})",
                               "check the year", code="closure")
            if not c.reason.strip():
                self.error((*loc, i, "reason"), "a closure needs a reason",
                           "officers are shown it, e.g. 'Christmas shutdown'", code="closure")
            out.append(Closure(c.start, c.end, c.reason, scope, self.doc.where((*loc, i))[0]))
        return tuple(out)

    def dated_hours(self, docs: Any, loc: Path_) -> tuple[DatedHours, ...]:
        """A line's `dated_hours:`, each day given one set of hours (docs/registry-format.md)."""
        from remitctl.hours.calendar import FIRST_DAY, LAST_DAY

        out: list[DatedHours] = []
        for i, d in enumerate(docs):
            end = d.end or d.start
            if end < d.start:
                self.error((*loc, i, "to"), f"dated hours {d.reason.strip()!r} end on {end} but "
                           f"start on {d.start}", "swap from: and to:, or correct the year",
                           code="dated-hours")
            for key, day in (("from", d.start), ("to", end)):
                if not FIRST_DAY <= day <= LAST_DAY:
                    self.error((*loc, i, key), f"dated hours date {day} is outside the years "
                               f"remitctl answers for ({FIRST_DAY.year}–{LAST_DAY.year})",
                               "check the year", code="dated-hours")
            hours = self.dated_rule((*loc, i, "hours"), d.hours)
            for other in out:
                if d.start <= other.end and other.start <= end:
                    self.error((*loc, i, "from"), f"dated hours {d.reason.strip()!r} overlap "
                               f"{other.reason.strip()!r} (line {other.line}) on "
                               f"{max(d.start, other.start)}: a day has one set of hours",
                               "give each day to one entry", code="dated-hours")
                    break
            out.append(DatedHours(d.start, end, hours, d.reason, self.doc.where((*loc, i))[0]))
        return tuple(out)

    def dated_rule(self, loc: Path_, value: str) -> str:
        """Dated hours' `hours:`: "closed" for off/closed, "unknown", or time spans."""
        word = value.strip().lower()
        if word in ("off", "closed", "unknown"):
            return "closed" if word != "unknown" else "unknown"
        from remitctl.hours.weekly import HoursError, parse_hours

        try:
            spans = all(len(r.days) == 7 and r.spans and not r.additional
                        for r in parse_hours(value)) and value.strip()[:1].isdigit()
        except HoursError:
            spans = False
        if not spans:
            self.error(loc, f"dated hours {value!r} are not time spans, 'off' or 'unknown'",
                       "e.g. \"00:00-24:00\", \"09:00-12:00\" or \"off\"; the dates are "
                       "in from: and to:, so no days or dates here", code="dated-hours")
            return "closed"
        if not self.hours_problem(loc, value, "dated hours"):
            return "closed"
        return value.strip()

    def build(self, reg: Any) -> Registry | None:

        if not _usable_zone(reg.timezone):
            self.error(("timezone",), f"unknown time zone {reg.timezone!r}",
                       "use an IANA name such as Europe/London", code="timezone")

        areas = {}
        for area_id, a in reg.areas.items():
            self.check_id(("areas", area_id), "area")
            areas[area_id] = Area(area_id, a.name, a.description, a.bank_holidays,
                                  self.doc.where(("areas", area_id), key=True)[0],
                                  tuple(a.gss))
        from remitctl.registry.gss import check_gss

        check_gss(reg.areas, self.error)

        services: dict[str, Service] = {}
        agencies = {}
        for agency_id, ag in reg.agencies.items():
            self.check_id(("agencies", agency_id), "agency")
            agency_closures = self.closures(ag.closures, ("agencies", agency_id, "closures"),
                                            "agency")
            refs = []
            set_aside = any(r.startswith(f"{agency_id}/")
                            for r in self.set_aside.entries["services"])
            if not ag.services and not set_aside:  # a line set aside has its own error
                self.error(("agencies", agency_id, "services"), "an agency needs at least one "
                           "service line", code="empty")
            for service_id, s in ag.services.items():
                loc: Path_ = ("agencies", agency_id, "services", service_id)
                self.check_id(loc, "service")
                ref = f"{agency_id}/{service_id}"
                refs.append(ref)
                good = self.hours_problem((*loc, "hours"), s.hours, "hours")
                rule = self.bank_holiday_rule(loc, s.hours if good else "24/7", s.bank_holidays)
                if (not s.contact.model_dump(exclude_none=True)
                        and not self.set_aside.under((*loc, "contact"))):
                    self.error((*loc, "contact"), "a contact needs at least one of phone, email, "
                               "web or other", code="contact")
                inherited = agency_closures if s.agency_closures == "apply" else ()
                closures = inherited + self.closures(s.closures, (*loc, "closures"), "service")
                services[ref] = Service(
                    ref=ref, agency_id=agency_id, id=service_id, name=s.name,
                    agency_name=ag.name, contact=Contact(**s.contact.model_dump()),
                    hours=s.hours, bank_holidays=rule, closures=closures,
                    fallback=s.fallback, notes=s.notes, verified=s.verified,
                    line=self.doc.where(loc, key=True)[0],
                    agency_closures=s.agency_closures == "apply",
                    dated_hours=self.dated_hours(s.dated_hours, (*loc, "dated_hours")))
            agencies[agency_id] = Agency(agency_id, ag.name, ag.kind, tuple(refs),
                                         agency_closures,
                                         self.doc.where(("agencies", agency_id), key=True)[0])

        for svc in services.values():
            if svc.fallback is not None:
                loc = ("agencies", svc.agency_id, "services", svc.id, "fallback")
                self.check_ref(loc, svc.fallback, services)

        self.check_names(reg.issues)
        issues = {}
        for issue_id, i in reg.issues.items():
            loc = ("issues", issue_id)
            self.check_id(loc, "issue")
            for area_key, refs_ in i.cover.items():
                if (area_key != DEFAULT and area_key not in areas
                        and not self.set_aside.holds("areas", area_key)):
                    self.error((*loc, "cover", area_key), f"unknown area {area_key!r}",
                               self.suggest(area_key, [*areas, DEFAULT]), key=True,
                               code="ref")
                for n, ref in enumerate(refs_):
                    self.check_ref((*loc, "cover", area_key, n), ref, services)
            if areas and DEFAULT not in i.cover:
                missing = [a for a in areas if a not in i.cover]
                if missing:
                    self.error((*loc, "cover"), f"no cover given for area(s) {', '.join(missing)}",
                               "add them, or a 'default' entry (an empty list means nobody)",
                               key=True, code="cover")
            if not areas and DEFAULT not in i.cover:
                self.error((*loc, "cover"), "with no areas defined, cover needs a 'default' entry",
                           code="cover")
            if i.fallback is not None:
                self.check_ref((*loc, "fallback"), i.fallback, services)
            elif not any(i.cover.values()):
                self.error(loc, f"issue {issue_id!r} has no cover anywhere and no fallback",
                           "name the service that picks it up with 'fallback'", key=True,
                           code="no-cover")
            policies = []
            if i.policy is not None:
                line, col = self.doc.where((*loc, "policy", "max_gap_hours"))
                policies.append(Policy(i.policy.max_gap_hours, None, line, col))
                for area_key, p in i.policy.areas.items():
                    if area_key not in areas and not self.set_aside.holds("areas", area_key):
                        self.error((*loc, "policy", "areas", area_key),
                                   f"unknown area {area_key!r}",
                                   self.suggest(area_key, list(areas)),
                                   key=True, code="ref")
                    line, col = self.doc.where((*loc, "policy", "areas", area_key,
                                                "max_gap_hours"))
                    policies.append(Policy(p.max_gap_hours, area_key, line, col))
            issues[issue_id] = Issue(
                id=issue_id, title=i.title, aliases=tuple(i.aliases), remit=i.remit,
                legal_basis=i.legal_basis,
                cover={k: tuple(v) for k, v in i.cover.items()}, fallback=i.fallback,
                policies=tuple(policies), line=self.doc.where(loc, key=True)[0],
                codes=tuple(c.strip() for c in i.codes),
                keywords=tuple(i.keywords))

        self.check_fallback_loops(services)
        for term in reg.vocabulary:
            if not re.search(r"[^\W_]", term):
                self.error(("vocabulary", term), f"vocabulary term {term!r} has no word in it",
                           "write the word or phrase officers type", key=True, code="vocabulary")
        return Registry(
            name=reg.name, timezone=reg.timezone, nation=reg.bank_holidays, areas=areas,
            agencies=agencies, services=services, issues=issues, source=self.doc.path,
            digest=hashlib.sha256(self.text.encode()).hexdigest(),
            vocabulary={term: tuple(ideas) for term, ideas in reg.vocabulary.items()})

    def bank_holiday_rule(self, loc: Path_, hours: str, value: str | None) -> str:
        if value is None:
            if not _is_always_open(hours):
                self.error((*loc, "hours"), "say what happens on bank holidays: add "
                           "'bank_holidays: closed', 'normal', 'unknown' or other hours",
                           "out of hours and on bank holidays is when officers need to know",
                           code="bank-holidays")
            return "normal"
        word = BANK_HOLIDAY_WORDS.get(value.strip().lower())
        if word:
            return word
        if _PH.search(value):
            self.error((*loc, "bank_holidays"), "bank_holidays must not use PH/SH",
                       code="bank-holidays")
            return "normal"
        from remitctl.hours.weekly import HoursError, parse_hours

        try:
            # Time spans only: days or rules here would be about ordinary days too.
            spans = all(len(r.days) == 7 and r.spans and not r.additional
                        for r in parse_hours(value)) and value.strip()[:1].isdigit()
        except HoursError:
            spans = False
        if spans and not self.hours_problem((*loc, "bank_holidays"), value, "bank_holidays"):
            return "normal"
        if not spans:
            self.error((*loc, "bank_holidays"), f"bank_holidays {value!r} is not closed, normal, "
                       "unknown or opening_hours time spans",
                       "e.g. 'closed' or '10:00-16:00'; days or a ';' here would change "
                       "ordinary days too", code="bank-holidays")
            return "normal"
        return value.strip()

    def check_names(self, issues: dict[str, Any]) -> None:
        """Ids, titles and aliases are all names officers type: each must lead to one issue."""
        owner: dict[str, tuple[str, Path_]] = {}
        names = []
        for issue_id, i in issues.items():
            loc: Path_ = ("issues", issue_id)
            names.append((issue_id, "id", issue_id, loc))
            names.append((issue_id, "title", i.title, (*loc, "title")))
            names += [(issue_id, "alias", a, (*loc, "aliases", n))
                      for n, a in enumerate(i.aliases)]
            names += [(issue_id, "code", c, (*loc, "codes", n))
                      for n, c in enumerate(i.codes)]
        names.sort(key=lambda n: self.doc.where(n[3], key=n[1] == "id"))
        for issue_id, kind, name, loc in names:
            if kind == "code" and not _norm(name):
                self.error(loc, f"code {name!r} has no letters or digits",
                           "write the code as the force's system exports it", code="alias")
                continue
            first = owner.setdefault(_norm(name), (issue_id, loc))
            if first[0] != issue_id:
                line = self.doc.where(first[1], key=len(first[1]) == 2)[0]
                self.error(loc, f"{kind} {name!r} also names issue {first[0]!r} (line {line})",
                           "each id, title, alias and code must lead to one issue type; "
                           "remove or reword one", key=kind == "id", code="alias")

    def suggest(self, value: str, options: list[str]) -> str | None:
        if len(self.problems) >= MAX_SUGGESTIONS:
            return None
        return _suggest(value, options, listing=True)

    def check_ref(self, loc: Path_, ref: str, services: dict[str, Service]) -> None:
        if ref in services or self.is_set_aside(ref):
            return
        if len(self.problems) >= MAX_SUGGESTIONS:
            self.error(loc, f"unknown service line {ref!r}", code="ref")
            return
        agency, _, line = ref.partition("/")
        lines_of: dict[str, list[str]] = {}
        for s in services.values():
            lines_of.setdefault(s.agency_id, []).append(s.id)
        for aside, ids in self.set_aside.lines_of.items():  # agencies with errors of their own
            lines_of.setdefault(aside, []).extend(sorted(ids))
        if not line:
            near = _suggest(ref, list(services))
            hint = "refer to a service line as agency-id/service-id" + (
                f"; {near}" if near else "")
        elif agency in lines_of:
            near_line = _nearest_key(line, lines_of[agency])
            hint = (f"did you mean '{agency}/{near_line[0]}'?" if near_line else
                    f"agency {agency!r} has no line {line!r}; its lines: "
                    + ", ".join(lines_of[agency]))
        else:
            near_agency = _nearest_key(agency, list(lines_of))
            if near_agency and line in lines_of[near_agency[0]]:
                hint = f"did you mean '{near_agency[0]}/{line}'?"
            else:
                hint = f"there is no agency {agency!r}" + (
                    f"; did you mean {near_agency[0]!r}?" if near_agency else "")
        self.error(loc, f"unknown service line {ref!r}", hint, code="ref")

    def check_fallback_loops(self, services: dict[str, Service]) -> None:
        """Report each loop once, at its first member; each line is walked through once."""
        walked: set[str] = set()
        for start in services:
            path: dict[str, int] = {}  # this walk's lines, in order
            current: str | None = start
            while current is not None and current in services and current not in walked:
                if current in path:
                    loop = list(path)[path[current]:]
                    first = loop.index(min(loop))
                    loop = loop[first:] + loop[:first]
                    svc = services[loop[0]]
                    shown = [*loop, loop[0]]
                    if len(shown) > 12:
                        shown = [*shown[:5], f"… {len(loop) - 8} more …", *shown[-4:]]
                    self.error(("agencies", svc.agency_id, "services", svc.id, "fallback"),
                               f"fallback chain loops: {' → '.join(shown)}",
                               "end the chain at a 24/7 line with no fallback", code="loop")
                    break
                path[current] = len(path)
                current = services[current].fallback
            walked.update(path)


def _is_always_open(hours: str) -> bool:
    from remitctl.hours.weekly import OPEN, paint, week_program

    program = week_program(hours)
    return all([(a, b, s) for a, b, s, _ in paint([*program.carried[d], *program.own[d]])]
               == [(0, 24 * 60, OPEN)] for d in range(7))


def _usable_zone(name: str) -> bool:
    """An IANA zone that means the same on every machine: not the machine's own
    (`localtime`), not a leap-second (`right/…`), alias-tree (`posix/…`) or placeholder
    (`Factory`) zone."""
    import zoneinfo

    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", name) or \
            name.split("/")[0] in ("posix", "right", "localtime", "Factory", "posixrules"):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _parser_message(text: str) -> tuple[str, int]:
    """opening-hours-py's multi-line error as one line, and the column it points at."""
    match = re.search(r"--> 1:(\d+)", text)
    col = int(match.group(1)) if match else 0
    expected = re.search(r"= (.*)", text)
    message = expected.group(1).strip() if expected else text.strip().splitlines()[0]
    if col:
        message = f"at character {col}: {message}"
    return message, col


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _suggest(value: str, options: list[str], *, listing: bool = False) -> str | None:
    near = nearest(value, options) or difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if near:
        return f"did you mean {near[0]!r}?"
    if listing and options:
        shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
        return f"known: {shown}"
    return None
