"""remitctl's answers against a small reference evaluator written here from the rules in
docs/registry-format.md, minute by minute, on generated registries: weeks around
Christmas, Easter and both clock changes, in each nation. The reference shares no code
with remitctl's engine: it reads the generated rules as data, not the expression text.

And: whatever `validate` accepts, every command answers without an internal error.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remitctl.cover.lookup import answers_for
from remitctl.cover.timeline import COVERED, UNCERTAIN, UNCOVERED
from remitctl.registry.loader import parse_registry

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
SUBDIV = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
# Windows around Christmas, Easter and both clock changes (start, days).
WINDOWS = [(dt.date(2026, 12, 21), 16), (dt.date(2027, 3, 22), 14), (dt.date(2026, 10, 19), 10),
           (dt.date(2026, 3, 25), 8), (dt.date(2027, 12, 22), 14), (dt.date(2028, 4, 10), 10)]


@dataclass(frozen=True)
class GenRule:
    days: tuple[int, ...]  # empty: every day, no selector written
    spans: tuple[tuple[int, int], ...]  # minutes; end <= start: runs past midnight
    state: str  # open, closed, unknown
    additional: bool

    def text(self) -> str:
        parts = []
        if self.days:
            parts.append(",".join(DAYS[d] for d in self.days))
        if self.spans:
            parts.append(",".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
                                  for a, b in self.spans))
        if self.state != "open" or not parts:
            parts.append({"open": "open", "closed": "off", "unknown": "unknown"}[self.state])
        return " ".join(parts)


times = st.integers(0, 47).map(lambda n: n * 30)
spans = st.lists(st.tuples(times, times.map(lambda t: t or 1440)).filter(lambda ab: ab[0] != ab[1]),
                 min_size=0, max_size=2).map(lambda xs: tuple(sorted(set(xs))))
rules = st.builds(
    GenRule,
    days=st.lists(st.integers(0, 6), max_size=3, unique=True).map(lambda d: tuple(sorted(d))),
    spans=spans,
    state=st.sampled_from(["open", "open", "open", "closed", "unknown"]),
    additional=st.booleans())
BH = st.sampled_from(["closed", "normal", "unknown", "00:00-24:00", "10:00-14:00"])
closures = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3)), max_size=2)


def _valid(rs: list[GenRule]) -> bool:
    # ", 14:00-24:00" after a rule's times continues its list of times: an additional rule
    # needs its days written to be one.
    if any(r.additional and not r.days for r in rs[1:]):
        return False
    # Spans inside one rule must not overlap (the grammar allows it, the meaning is murky).
    for r in rs:
        pieces = []
        for a, b in r.spans:
            end = b if b > a else b + 1440
            pieces.append((a, end))
        pieces.sort()
        if any(x[1] > y[0] for x, y in itertools.pairwise(pieces)):
            return False
    return True


# -- the reference ---------------------------------------------------------------------

def gov_uk(nation: str, years: range) -> set[dt.date]:
    # gov.uk: a weekend holiday gives way to its weekday substitute.
    return {d for d in holidays.country_holidays("GB", subdiv=SUBDIV[nation], years=years)
            if d.weekday() < 5}


def own_and_night(rule: GenRule) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    if not rule.spans:
        return [(0, 1440)], []
    own, night = [], []
    for a, b in rule.spans:
        if b > a:
            own.append((a, b))
        else:
            own.append((a, 1440))
            if b:
                night.append((0, b))
    return own, night


def names(rule: GenRule, weekday: int) -> bool:
    return not rule.days or weekday in rule.days


def minute_state(rs: list[GenRule], bh: str, shut: set[dt.date], hol: set[dt.date],
                 day: dt.date, minute: int) -> str:
    """The state at `minute` past local midnight of `day`, from the rules alone."""
    def change(d: dt.date) -> str | None:
        if d in shut:
            return "closure"
        if d in hol and bh != "normal":
            return bh
        return None

    today = change(day)
    if today in ("closure", "closed"):
        return "closed"
    if today == "unknown":
        return "unknown"
    if today is not None:  # bank-holiday hours replace the whole day
        a, b = (int(x[:2]) * 60 + int(x[3:]) for x in today.split("-"))
        return "open" if a <= minute < b else "closed"
    w = day.weekday()
    # A rule that opens (or is unknown) replaces the days it names; a closed one only
    # paints its own times (opening_hours.js: `Mo-Fr 09:00-17:00; 12:00-13:00 off`).
    last = max([i for i, r in enumerate(rs)
                if not r.additional and r.state != "closed" and names(r, w)], default=-1)
    yw = (w - 1) % 7
    yesterday = change(day - dt.timedelta(days=1))
    best: tuple[int, str] | None = None
    for i, r in enumerate(rs):
        own, night = own_and_night(r)
        if i >= last and names(r, w) and any(a <= minute < b for a, b in own):
            best = max(best or (-1, ""), (2 * i + 1, r.state))
        # A night runs into the morning unless a later rule replaced that morning; a later
        # rule that replaced the evening it starts on does not stop it.
        if (i >= last and names(r, yw) and yesterday not in ("closure", "closed")
                and any(a <= minute < b for a, b in night)):
            state = "unknown" if yesterday == "unknown" and r.state == "open" else r.state
            best = max(best or (-1, ""), (2 * i, state))
    return best[1] if best else "closed"


def reference(rs: list[GenRule], bh: str, shut: set[dt.date], hol: set[dt.date],
              start: dt.date, days: int) -> list[tuple[dt.datetime, str]]:
    """(instant, state from then on), minute by minute. Wall minutes map to instants by
    their first occurrence, skipped ones onto the jump (the first instant the clocks show a
    later time)."""
    out: list[tuple[dt.datetime, str]] = []
    for n in range(-1, days + 1):
        day = start + dt.timedelta(days=n)
        for minute in range(1440):
            wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
            at = wall.replace(tzinfo=LONDON, fold=0).astimezone(UTC)
            if at.astimezone(LONDON).replace(tzinfo=None) != wall:  # skipped: the jump
                at = jump(at)
            out.append((at, minute_state(rs, bh, shut, hol, day, minute)))
    return out


def jump(after: dt.datetime) -> dt.datetime:
    """The clock change just before `after` (an instant in the hour after the jump)."""
    at = after.replace(minute=0, second=0)
    while (at - dt.timedelta(minutes=1)).astimezone(LONDON).utcoffset() == \
            after.astimezone(LONDON).utcoffset():
        at -= dt.timedelta(minutes=1)
    return at


def state_at(timeline: list[tuple[dt.datetime, str]], at: dt.datetime) -> str:
    i = bisect.bisect_right([t for t, _ in timeline], at) - 1
    return timeline[i][1] if i >= 0 else "closed"


# -- the properties ----------------------------------------------------------------------

def make_registry(rs: list[GenRule], bh: str, shut: list[tuple[dt.date, dt.date]]) -> str:
    hours = "".join(("," if r.additional and i else ";") + " " + r.text()
                    for i, r in enumerate(rs)).lstrip(";, ")
    closures_yaml = ", ".join(f"{{from: {a}, to: {b}, reason: Shut}}" for a, b in shut)
    return f"""\
version: 1
name: Generated
areas:
  eng: {{name: England, bank_holidays: england-and-wales}}
  sco: {{name: Scotland, bank_holidays: scotland}}
  ni: {{name: Northern Ireland, bank_holidays: northern-ireland}}
agencies:
  a:
    name: A
    services:
      line:
        name: Line
        contact: {{phone: "01632 960001"}}
        hours: '{hours}'
        bank_holidays: '{bh}'
        closures: [{closures_yaml}]
issues:
  thing: {{title: Thing, cover: {{default: [a/line]}}}}
"""


STATUS = {"open": COVERED, "unknown": UNCERTAIN, "closed": UNCOVERED}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rs=st.lists(rules, min_size=1, max_size=3).filter(_valid), bh=BH, shut=closures,
       window=st.sampled_from(WINDOWS), area=st.sampled_from(["eng", "sco", "ni"]),
       samples=st.lists(st.integers(0, 10**9), min_size=25, max_size=25))
def test_answers_agree_with_the_reference(rs: list[GenRule], bh: str,
                                         shut: list[tuple[int, int]],
                                         window: tuple[dt.date, int], area: str,
                                         samples: list[int]) -> None:
    start, days = window
    dated = [(start + dt.timedelta(days=a), start + dt.timedelta(days=a + b)) for a, b in shut]
    registry = parse_registry(make_registry(rs, bh, dated), "generated.yaml")
    nation = registry.nation_for(area)
    shut_days = {a + dt.timedelta(days=k) for a, b in dated for k in range((b - a).days + 1)}
    hol = gov_uk(nation, range(start.year - 1, start.year + 2))
    timeline = reference(rs, bh, shut_days, hol, start, days)
    first = timeline[1440][0]  # from the window's first midnight
    seconds = int((timeline[-1][0] - first).total_seconds())
    for sample in samples:
        at = first + dt.timedelta(seconds=sample % seconds)
        [answer] = answers_for(registry, registry.issues["thing"], area, at)
        expected = STATUS[state_at(timeline, at)]
        assert answer.status == expected, (
            registry.services["a/line"].hours, bh, dated, at.astimezone(LONDON))


# `invoke` holds no state between examples (a fresh CliRunner result each call).
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rs=st.lists(rules, min_size=1, max_size=3).filter(_valid), bh=BH, shut=closures)
def test_what_validate_accepts_every_command_answers(invoke, tmp_path_factory,  # type: ignore[no-untyped-def]
                                                     rs: list[GenRule], bh: str,
                                                     shut: list[tuple[int, int]]) -> None:
    start = dt.date(2026, 12, 20)
    dated = [(start + dt.timedelta(days=a), start + dt.timedelta(days=a + b)) for a, b in shut]
    path = tmp_path_factory.mktemp("gen") / "remits.yaml"
    path.write_text(make_registry(rs, bh, dated), encoding="utf-8")
    checked = invoke("validate", str(path))
    if checked.exit_code != 0:
        assert checked.exit_code == 1
        return
    for args in (["who", "thing", "--at", "2026-12-24T23:30"], ["now"],
                 ["gaps", "--from", "2026-12-20", "--days", "30"], ["show", "a/line"],
                 ["show", "thing"], ["diff", str(path), str(path)]):
        result = invoke(*args, "-r", str(path)) if args[0] != "diff" else invoke(*args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "internal error" not in result.output
