"""Cover policies checked against the gap report: what `gaps --check` and `validate` fail on.

A policy limits how long an issue type may go without certain cover. The standing
arrangements are checked in a typical week and the dated ones over the next 365 days; a
dated breach that is only the typical week's again is counted against it, not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from remitctl.cover.gaps import (
    DAY,
    WEEK,
    NoCover,
    Window,
    gap_report,
    midnight,
    typical_week,
)
from remitctl.registry.model import Issue, Policy, Registry


@dataclass(frozen=True)
class Breach:
    """A stretch without certain cover longer than a policy allows."""

    issue: Issue
    areas: tuple[str, ...]
    policy: Policy
    window: Window  # where it was found (typical: it happens every week)
    run: NoCover
    recurs: int = 0  # typical: how often the same breach recurs in the dated windows


@dataclass(frozen=True)
class PolicyCheck:
    windows: tuple[Window, ...]
    checked: tuple[tuple[Issue, tuple[str, ...], Policy], ...]  # every policy evaluated
    breaches: tuple[Breach, ...]

    @property
    def ok(self) -> bool:
        return not self.breaches


def check_windows(tz: ZoneInfo, today: dt.date) -> tuple[Window, Window]:
    """What `gaps --check` evaluates by default: the standing arrangements (a typical week)
    and the dated ones (bank holidays, closures, clock changes) of the next 365 days."""
    start = midnight(today, tz)
    return typical_week(tz, start), Window(start, midnight(today + 365 * DAY, tz))


def check_policies(registry: Registry, windows: Sequence[Window],
                   issues: Sequence[Issue] | None = None,
                   areas: Sequence[str] | None = None) -> PolicyCheck:
    """Every breach of a cover policy in `windows`. When a typical week is among them, a
    dated breach that is only that week's breach again (no bank holiday or closure in it)
    is counted against the typical one rather than listed."""
    chosen = [i for i in (issues if issues is not None else registry.issues.values())
              if i.policies]
    typical: dict[tuple[str, tuple[str, ...]], list[Breach]] = {}
    dated: list[Breach] = []
    checked: dict[tuple[str, tuple[str, ...]], tuple[Issue, tuple[str, ...], Policy]] = {}
    for window in windows:
        for r in gap_report(registry, chosen, window, areas).reports:
            if r.policy is None:
                continue
            key = (r.issue.id, r.areas)
            checked.setdefault(key, (r.issue, r.areas, r.policy.policy))
            limit = r.policy.limit
            runs = r.without_cover()
            starts = {run.start for run in runs}
            for run in runs:
                if window.typical and run.start is not None and run.start + WEEK in starts:
                    continue  # the week's last gap, seen again from its other end
                if run.length > limit:
                    breach = Breach(r.issue, r.areas, r.policy.policy, window, run)
                    (typical.setdefault(key, []) if window.typical else dated).append(breach)
    listed: list[Breach] = []
    recurs: dict[tuple[str, tuple[str, ...]], int] = {}
    for b in dated:
        key = (b.issue.id, b.areas)
        if key in typical and not b.run.dated:
            recurs[key] = recurs.get(key, 0) + 1
        else:
            listed.append(b)
    for key, found in typical.items():
        listed.extend(replace(b, recurs=recurs.get(key, 0) if n == 0 else 0)
                      for n, b in enumerate(found))
    order = {key: n for n, key in enumerate(checked)}
    listed.sort(key=lambda b: (order[(b.issue.id, b.areas)], not b.window.typical,
                               b.run.start or b.window.start))
    return PolicyCheck(tuple(windows), tuple(checked.values()), tuple(listed))
