"""Shared fixtures: a CLI runner with a fixed environment, and small registries to write."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remitctl.cli import app

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "remits.yaml"

# A small registry written for tests: one area pair, office hours, an overnight patrol.
MINI = """\
version: 1
name: Test area
timezone: Europe/London
bank_holidays: england-and-wales
areas:
  east: {name: East}
  west: {name: West}
agencies:
  police:
    name: Test Police
    services:
      control-room:
        name: Control room
        contact: {phone: "01632 960000"}
        hours: "24/7"
  council:
    name: Test Council
    services:
      office:
        name: Office
        contact: {phone: "01632 960100"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
      patrol:
        name: Night patrol
        contact: {phone: "07700 900100"}
        hours: "Fr 20:00-03:00"
        bank_holidays: normal
issues:
  noise:
    title: Noise nuisance
    aliases: [loud music, barking dog]
    cover:
      default: [council/office]
      east: [council/office, council/patrol]
    fallback: police/control-room
  dogs:
    title: Stray dogs
    aliases: [stray dog]
    cover:
      default: [council/office]
    fallback: police/control-room
"""


@pytest.fixture(autouse=True, scope="session")
def _no_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module-scoped fixtures run before _clean_env: keep them out of ~/.cache too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-cache")))
        yield


# Answers say how far the moment asked about is from now ("in 6 h"): within a test run the
# commands' clock stands still at the minute the session began, so two runs compare equal.
import datetime as _dt  # noqa: E402

SESSION_NOW = _dt.datetime.now(_dt.UTC).replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("remitctl.when.clock", lambda: SESSION_NOW)
    for name in ("REMITCTL_REGISTRY", "REMITCTL_AREA", "REMITCTL_DB", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))  # the `log` store
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., object]:
    def run(*args: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def write_registry(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(text: str, name: str = "remits.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def mini(write_registry: Callable[[str, str], Path]) -> Path:
    return write_registry(MINI, "mini.yaml")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the present moment for the commands (`clock("2026-11-28T23:30")`, London time)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    def set_to(local: str) -> None:
        moment = dt.datetime.fromisoformat(local)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo("Europe/London"))
        monkeypatch.setattr("remitctl.when.clock", lambda: moment.astimezone(dt.UTC))

    return set_to
