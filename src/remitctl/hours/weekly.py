"""A line's own weekly hours: the opening_hours grammar remitctl accepts, read into rules.

remitctl evaluates hours itself, rule by rule, because opening-hours-py's reading of `;`
differs from the documented semantics (`Mo-Fr 09:00-17:00; Su 22:00-02:00` loses the
Sunday night's early Monday hours) and its Python API exposes no rules to combine.
What each rule means on its own is checked against opening-hours-py (`check_rules`), so
the library stays the authority on the grammar and we own only how rules combine.

The grammar is weekly: weekday selectors, time spans, a state and a comment, in rules
joined by `;` (a later rule replaces the days it names) or `,` (an additional rule that
adds to them). Year, month, week and date selectors, `PH`/`SH`, `easter`, sun events,
open ends (`+`), repeating spans and `||` are refused with what to write instead: dated
hours belong in `dated_hours:`, bank holidays in `bank_holidays:`.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from remitctl.record import record

DAY_MINUTES = 24 * 60
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"
_STATES = {"open": OPEN, "closed": CLOSED, "off": CLOSED, "unknown": UNKNOWN}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SUN = ("sunrise", "sunset", "dawn", "dusk")

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>"[^"]*")
  | (?P<always>24/7)
  | (?P<time>\d{1,2}:\d{2})
  | (?P<number>\d+)
  | (?P<word>[A-Za-z_]+)
  | (?P<fallback>\|\|)
  | (?P<punct>[;,\-+/\[\]():.])
  | (?P<other>.)
""", re.VERBOSE)


class HoursError(ValueError):
    """Hours remitctl does not evaluate; `column` is 1-based in the expression."""

    def __init__(self, message: str, hint: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.column = column


@record
class Rule:
    """One rule: on the days it names, these spans in this state.

    `spans` are minutes from the named day's midnight; an end past 1440 runs into the next
    morning. A rule with no spans of its own covers its days whole (`Sa,Su`, `Tu off`).
    """

    days: frozenset[int]  # 0 = Monday
    spans: tuple[tuple[int, int], ...]
    state: str
    comment: str
    additional: bool  # joined to the rule before by "," rather than ";"
    text: str  # the rule as written
    column: int  # 1-based, where the rule starts in the expression


@record
class Layer:
    """Part of a weekday, with the rule it came from (later rules paint over earlier)."""

    order: int
    start: int
    end: int
    state: str
    comment: str


@record
class WeekProgram:
    """The rules combined into each weekday: what the day's own rules give it (`own`) and
    what the night before carries into its early hours and survives (`carried`)."""

    own: tuple[tuple[Layer, ...], ...]  # by weekday
    carried: tuple[tuple[Layer, ...], ...]  # by weekday: from the day before


@record
class Token:
    kind: str
    text: str
    column: int


def _tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "space":
            out.append(Token(kind, m.group(), m.start() + 1))
    return out


def _minutes(token: Token, *, end: bool) -> int:
    hours, minutes = (int(p) for p in token.text.split(":"))
    limit = 48 if end else 24
    if minutes > 59 or hours > limit or (hours == limit and minutes) or (
            not end and hours == 24):
        raise HoursError(f"{token.text!r} is not a time of day",
                         "times are HH:MM from 00:00 to 24:00 (an end may run past midnight, "
                         "as in 22:00-02:00)", token.column)
    return hours * 60 + minutes


def _refuse(token: Token) -> HoursError:
    word = token.text
    if token.kind == "fallback":
        return HoursError("'||' fallback rules are not supported",
                          "drop '|| closed' (closed is the default) or write the hours as "
                          "rules joined by ';'", token.column)
    if word in ("PH", "SH"):
        return HoursError(f"uses {word}, which remitctl does not evaluate",
                          "remove PH/SH and say what happens with the line's bank_holidays "
                          "key", token.column)
    if token.kind == "number" and len(word) < 3:
        return HoursError(f"{word!r} is not a time",
                          "times are HH:MM, e.g. 'Mo-Fr 09:00-17:00'", token.column)
    if word in _MONTHS or word == "week" or token.kind == "number":
        return HoursError(f"{word!r} selects months, weeks, years or dates, which remitctl "
                          "does not evaluate",
                          "hours are a typical week: drop the selector ('Jan-Dec Fr,Sa "
                          "20:00-03:00' is 'Fr,Sa 20:00-03:00'); put dated hours in "
                          "dated_hours: (closed days in closures:)", token.column)
    if word == "easter":
        return HoursError("'easter' is not evaluated by remitctl",
                          "bank holidays come from bank_holidays:; other dated hours go "
                          "in dated_hours:", token.column)
    if word in _SUN:
        return HoursError(f"{word!r} is not evaluated by remitctl",
                          "write clock times, e.g. 16:00-08:00", token.column)
    if word == "+":
        return HoursError("open-ended times ('+') are not evaluated by remitctl",
                          "write the end, e.g. 22:00-02:00", token.column)
    return HoursError(f"unexpected {word!r} in hours",
                      "write e.g. 'Mo-Fr 09:00-17:00', 'Sa,Su 00:00-24:00' or '24/7'",
                      token.column)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def is_weekday(self, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.kind == "word" and token.text in WEEKDAYS

    def is_punct(self, text: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.kind == "punct" and token.text == text

    def rules(self) -> list[Rule]:
        rules: list[Rule] = []
        additional = False
        while True:
            if self.peek() is None and (rules or not self.tokens):
                break
            rules.append(self.rule(additional))
            token = self.peek()
            if token is None:
                break
            if token.kind == "punct" and token.text in ";,":
                self.take()
                additional = token.text == ","
                if self.peek() is None:
                    if additional:
                        raise HoursError("the hours end with ','",
                                         "remove the trailing ','", token.column)
                    break  # a trailing ';' is harmless
                continue
            raise _refuse(token)
        return rules

    def rule(self, additional: bool) -> Rule:
        first = self.peek()
        column = first.column if first else len(self.text) + 1
        days: set[int] = set()
        spans: list[tuple[int, int]] = []
        named = False
        token = self.peek()
        if token is not None and not (token.kind in ("always", "time", "comment") or (
                token.kind == "word" and (token.text in WEEKDAYS or token.text in _STATES))):
            raise _refuse(token)
        if token is not None and token.kind == "always":
            self.take()
        elif self.is_weekday():
            named = True
            days.update(self.weekdays())
        if self.peek() is not None and self.peek().kind == "time":  # type: ignore[union-attr]
            spans = self.times()
        state, comment = OPEN, ""
        token = self.peek()
        if token is not None and token.kind == "word" and token.text in _STATES:
            state = _STATES[self.take().text]
        token = self.peek()
        if token is not None and token.kind == "comment":
            comment = self.take().text[1:-1]
        end = self.peek()
        stop = end.column - 1 if end else len(self.text)
        text = self.text[column - 1:stop].strip()
        if not text:
            bad = end or Token("other", "", column)
            raise HoursError("a rule is empty", "remove the extra ';' or ','", bad.column)
        if end is not None and not (end.kind == "punct" and end.text in ";,"):
            raise _refuse(end)
        return Rule(frozenset(days) if named else frozenset(range(7)), tuple(spans), state,
                    comment, additional, text, column)

    def weekdays(self) -> set[int]:
        days: set[int] = set()
        while True:
            start = WEEKDAYS.index(self.take().text)
            if self.is_punct("[", 0):
                raise HoursError("weekday numbers such as Mo[1] are not evaluated by remitctl",
                                 "hours are a typical week; put dated hours in dated_hours:",
                                 self.take().column)
            end = start
            if self.is_punct("-") and self.is_weekday(1):
                self.take()
                end = WEEKDAYS.index(self.take().text)
            day = start
            days.add(day)
            while day != end:
                day = (day + 1) % 7
                days.add(day)
            comma, following = self.peek(), self.peek(1)
            # As opening_hours reads it: "Mo,Tu" is a list, "Mo, Tu" starts another rule.
            if self.is_punct(",") and self.is_weekday(1) and comma and following and (
                    following.column == comma.column + 1):
                self.take()
                continue
            return days

    def times(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        while True:
            start_token = self.take()
            start = _minutes(start_token, end=False)
            if not self.is_punct("-"):
                token = self.peek() or start_token
                if self.is_punct("+"):
                    raise _refuse(token)
                raise HoursError(f"{start_token.text!r} is not a span",
                                 "write a span such as 09:00-17:00", start_token.column)
            self.take()
            end_token = self.peek()
            if end_token is None or end_token.kind != "time":
                raise _refuse(end_token or start_token)
            self.take()
            end = _minutes(end_token, end=True)
            if self.is_punct("+") or self.is_punct("/"):
                raise _refuse(self.take())
            if end <= start:  # past midnight; the same minute is a whole day from `start`
                end = end + DAY_MINUTES if end < DAY_MINUTES else end
                if end <= start:
                    end = start + DAY_MINUTES
            spans.append((start, end))
            following = self.peek(1)
            if self.is_punct(",") and following is not None and following.kind == "time":
                self.take()
                continue
            return spans


@lru_cache(maxsize=1024)
def parse_hours(text: str) -> tuple[Rule, ...]:
    """The rules of `text`, or HoursError saying what to write instead."""
    if not text.strip():
        raise HoursError("hours are empty", "write e.g. 'Mo-Fr 09:00-17:00' or '24/7'", 1)
    return tuple(_Reader(text).rules())


def _pieces(rule: Rule) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The rule's spans on its own day, and what runs on into the next morning."""
    if not rule.spans:
        return [(0, DAY_MINUTES)], []
    own, night = [], []
    for start, end in rule.spans:
        own.append((start, min(end, DAY_MINUTES)))
        if end > DAY_MINUTES:
            night.append((0, min(end - DAY_MINUTES, DAY_MINUTES)))
    return own, night


def replacing(rules: tuple[Rule, ...]) -> list[int]:
    """Per weekday, the index of the last rule that replaces it (-1: none).

    A `;` rule that opens or is unknown replaces the days it names; a closed rule
    (`Tu off`, `12:00-13:00 off`) paints its times closed over what earlier rules gave and
    replaces nothing else, as opening_hours.js reads it: `Mo-Fr 09:00-17:00; 12:00-13:00
    off` is a lunch break, not a week of closed days.
    """
    last = [-1] * 7
    for n, rule in enumerate(rules):
        if not rule.additional and rule.state != CLOSED:
            for day in rule.days:
                last[day] = n
    return last


@lru_cache(maxsize=1024)
def week_program(text: str) -> WeekProgram:
    """Each weekday's layers after combining the rules of `text`.

    A rule replaces, for the days it names, what earlier `;` rules gave those days,
    including the early hours they carried over from the night before. A rule's night runs
    into the next morning unless a later `;` rule names that next day, even when a later
    rule replaced the evening it starts on (`Mo-Su 18:00-02:00; Tu off` is open at 01:00 on
    Wednesday). Additional (`,`) rules add to the days they name and replace nothing.
    """
    rules = parse_hours(text)
    last = replacing(rules)
    own: list[list[Layer]] = [[] for _ in range(7)]
    carried: list[list[Layer]] = [[] for _ in range(7)]
    for n, rule in enumerate(rules):
        day_spans, night = _pieces(rule)
        for day in rule.days:
            if n >= last[day]:  # not replaced on that day by a later rule
                for a, b in day_spans:
                    own[day].append(Layer(2 * n + 1, a, b, rule.state, rule.comment))
            after = (day + 1) % 7
            if night and n >= last[after]:
                for a, b in night:
                    carried[after].append(Layer(2 * n, a, b, rule.state, rule.comment))
    return WeekProgram(tuple(tuple(x) for x in own), tuple(tuple(x) for x in carried))


def paint(layers: list[Layer] | tuple[Layer, ...]) -> list[tuple[int, int, str, str]]:
    """A day from layers, later orders over earlier, closed where nothing is said:
    (start, end, state, comment) covering 0..1440 exactly, equal neighbours joined."""
    cuts = {0, DAY_MINUTES}
    for layer in layers:
        cuts.add(layer.start)
        cuts.add(layer.end)
    points = sorted(cuts)
    ordered = sorted(layers, key=lambda x: x.order)
    out: list[tuple[int, int, str, str]] = []
    for a, b in itertools.pairwise(points):
        state, comment = CLOSED, ""
        for layer in ordered:
            if layer.start <= a and b <= layer.end:
                state, comment = layer.state, layer.comment
        if out and out[-1][2] == state and out[-1][3] == comment and out[-1][1] == a:
            out[-1] = (out[-1][0], b, state, comment)
        else:
            out.append((a, b, state, comment))
    return out


def rule_week(rule: Rule) -> list[list[tuple[int, int, str]]]:
    """What one rule alone gives each weekday, as open or unknown spans (for `check_rules`)."""
    alone = week_program(rule.text)  # an additional rule alone reads as a rule of its own
    return [[(a, b, s) for a, b, s, _ in paint([*alone.carried[d], *alone.own[d]])
             if s != CLOSED] for d in range(7)]


@lru_cache(maxsize=1024)
def check_rules(text: str) -> str | None:
    """None when opening-hours-py reads every rule of `text` alone as remitctl does;
    otherwise the first rule on which the two readings differ."""
    import datetime as dt

    from opening_hours import OpeningHours

    monday = dt.datetime(2024, 1, 1)  # a Monday, far from any clock change (naive time)
    for rule in parse_hours(text):
        ours = rule_week(rule)
        theirs: list[list[tuple[int, int, str]]] = [[] for _ in range(7)]
        oh = OpeningHours(rule.text)
        for start, end, state, _ in oh.intervals(monday, monday + dt.timedelta(days=7)):
            name = str(state).rpartition(".")[2].lower()
            if name == CLOSED or end <= start:
                continue
            at = start
            while at < end:
                day = (at.date() - monday.date()).days
                midnight = dt.datetime.combine(at.date(), dt.time())
                upto = min(end, midnight + dt.timedelta(days=1))
                a = int((at - midnight).total_seconds() // 60)
                b = int((upto - midnight).total_seconds() // 60)
                spans = theirs[day]
                if spans and spans[-1][1] == a and spans[-1][2] == name:
                    spans[-1] = (spans[-1][0], b, name)
                else:
                    spans.append((a, b, name))
                at = upto
        if ours != theirs:
            return rule.text
    return None


@record
class Trap:
    """Early hours a `;` combination leaves uncovered that the admin probably meant."""

    weekday: int
    start: int
    end: int
    rule: str  # the overnight rule whose morning is missing
    by: str | None  # the later rule that replaced it (None: nothing ran on into the day)

    @property
    def fix(self) -> str:
        return f", {WEEKDAYS[self.weekday]} {_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def traps(text: str) -> list[Trap]:
    """Where an overnight rule's early hours are lost to a later `;` rule, or missing after
    a day covered all day (`Mo-Fr 17:00-09:00; Sa,Su 00:00-24:00` leaves Monday
    00:00-09:00 uncovered).

    Each trap is uncovered hours that the overnight rule itself gives that morning (the
    first kind), or that follow a whole day of cover and are what the rule gives its other
    mornings (the second): hours a rule ending at midnight gives on purpose, as Thursday's
    in `Mo-Su 08:00-24:00; Fr,Sa 08:00-04:00`, are not traps.
    """
    rules = parse_hours(text)
    program = week_program(text)
    painted = [paint([*program.carried[d], *program.own[d]]) for d in range(7)]
    last = replacing(rules)
    found: list[Trap] = []
    for n, rule in enumerate(rules):
        _, night = _pieces(rule)
        if not night or rule.state == CLOSED:
            continue
        for day in sorted(rule.days):
            if n < last[day] or painted[day][-1][2] == CLOSED:
                continue  # the evening this night would follow is gone too
            after = (day + 1) % 7
            by = _closer(rules, n, after, last)
            if by is not None:  # a later rule replaced or shut the morning this night runs into
                for a, b in night:
                    lost = [(x, y) for x, y, state, _ in painted[after]
                            if state == CLOSED and x < b and a < y]
                    for x, y in lost:
                        found.append(Trap(after, max(a, x), min(b, y), rule.text, by.text))
            before = (day - 1) % 7
            ran_on = before in rule.days and n >= last[before]
            morning = max(b for _, b in night)
            whole_day = len(painted[before]) == 1 and painted[before][0][2] == OPEN
            if not ran_on and whole_day and painted[day][0][2] == CLOSED:
                end = min(painted[day][0][1], morning)
                found.append(Trap(day, 0, end, rule.text, None))
    unique = {(t.weekday, t.start, t.end): t for t in found}
    return [unique[k] for k in sorted(unique)]


def _closer(rules: tuple[Rule, ...], n: int, day: int, last: list[int]) -> Rule | None:
    """The last rule after rule `n` that replaces `day` or shuts part of it, if any."""
    if n < last[day]:
        return rules[last[day]]
    shut = [r for r in rules[n + 1:] if r.state == CLOSED and day in r.days]
    return shut[-1] if shut else None


@record
class KeptNight:
    """Early hours a rule still carries into the days after days a later rule switched off:
    `Mo-Su 18:00-02:00; Tu off` keeps Wednesday 00:00-02:00."""

    rule: Rule  # the overnight rule
    by: str  # the later rule that switched the days off
    days: tuple[int, ...]  # the switched-off days whose night is kept
    spans: tuple[tuple[int, int, int], ...]  # (weekday, start, end) of the kept hours
    rewritten: str  # the rule without those days ("" when none is left)
    without: str  # the whole hours with the rule rewritten: those hours gone
    meant: str  # the whole hours rewritten to say the kept hours outright


def weekdays_text(days: frozenset[int] | set[int]) -> str:
    """`Mo,We-Su` for Monday and Wednesday to Sunday."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(WEEKDAYS[r[0]] if len(r) == 1 else
                    f"{WEEKDAYS[r[0]]},{WEEKDAYS[r[1]]}" if len(r) == 2 else
                    f"{WEEKDAYS[r[0]]}-{WEEKDAYS[r[-1]]}" for r in runs)


def _with_days(rule: Rule, days: set[int]) -> str:
    """`rule` as written, naming `days` instead of its own ("" when `days` is empty)."""
    if not days:
        return ""
    rest = rule.text
    for token in _tokens(rule.text):
        if not (token.kind == "word" and token.text in WEEKDAYS) and not (
                token.kind == "punct" and token.text in "-,"):
            rest = rule.text[token.column - 1:]
            break
    return f"{weekdays_text(days)} {rest}"


def _replace_rule(text: str, rule: Rule, new: str) -> str:
    start = rule.column - 1
    end = start + len(rule.text)
    if new:
        return text[:start] + new + text[end:]
    # Nothing left of the rule: drop it with the separator that joins it to the others.
    head, tail = text[:start].rstrip(), text[end:].lstrip()
    if tail[:1] in (";", ","):
        return (head + " " + tail[1:].lstrip()).strip()
    return head.rstrip(";,").rstrip()


def _clocks(a: int, b: int) -> str:
    return f"{_clock(a)}-{_clock(b)}"


def kept_nights(text: str) -> list[KeptNight]:
    """Overnight rules whose night still runs into the morning after a day that a later
    rule switched off (replaced, or shut all day), where that morning shows it."""
    rules = parse_hours(text)
    program = week_program(text)
    last = replacing(rules)
    found: list[KeptNight] = []
    for n, rule in enumerate(rules):
        own, night = _pieces(rule)
        if not night or rule.state == CLOSED:
            continue
        days: list[int] = []
        spans: list[tuple[int, int, int]] = []
        by = ""
        for day in sorted(rule.days):
            after = (day + 1) % 7
            if n < last[day]:
                switcher = rules[last[day]]
            else:
                shut = [r for r in rules[n + 1:] if r.state == CLOSED and day in r.days and all(
                    any(x <= a and b <= y for x, y in _pieces(r)[0]) for a, b in own)]
                if not shut:
                    continue
                switcher = shut[-1]
            if n < last[after]:
                continue  # the night is replaced too
            with_it = paint([*program.carried[after], *program.own[after]])
            without = paint([*(x for x in program.carried[after] if x.order != 2 * n),
                             *program.own[after]])
            kept = _differences(with_it, without)
            if kept:
                days.append(day)
                spans.extend((after, a, b) for a, b in kept)
                by = by or switcher.text
        if not days:
            continue
        rewritten = _with_days(rule, set(rule.days) - set(days))
        without_text = _replace_rule(text, rule, rewritten)
        extra = "".join(
            f", {WEEKDAYS[d]} {_clocks(a, b)}" + (" unknown" if rule.state == UNKNOWN else "")
            + (f' "{rule.comment}"' if rule.comment else "") for d, a, b in spans)
        found.append(KeptNight(rule, by, tuple(days), tuple(spans), rewritten, without_text,
                               (without_text + extra) if without_text else extra[2:]))
    return found


def _differences(a: list[tuple[int, int, str, str]],
                 b: list[tuple[int, int, str, str]]) -> list[tuple[int, int]]:
    """Where two painted days differ, as joined (start, end) minutes."""
    cuts = sorted({x for piece in (*a, *b) for x in piece[:2]})
    out: list[tuple[int, int]] = []

    def at(day: list[tuple[int, int, str, str]], minute: int) -> tuple[str, str]:
        return next((s, c) for x, y, s, c in day if x <= minute < y)

    for x, y in itertools.pairwise(cuts):
        if at(a, x) != at(b, x):
            if out and out[-1][1] == x:
                out[-1] = (out[-1][0], y)
            else:
                out.append((x, y))
    return out
