"""A progress line on stderr for a long `evidence` run: on a terminal only, once the run
has taken a second (REMITCTL_PROGRESS_AFTER seconds), saying what it is doing (reading
rows, judging, drawing charts, writing), rewritten in place and cleared before anything
else is written to stderr. Never on a pipe or file: logs and scripts see only the usual
lines."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

AFTER_ENV = "REMITCTL_PROGRESS_AFTER"
EVERY = 0.2  # seconds between rewrites of a count


def _after() -> float:
    try:
        return max(0.0, float(os.environ.get(AFTER_ENV, "") or 1.0))
    except ValueError:
        return 1.0


class Progress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        try:
            self.on = self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            self.on = False
        self.start = time.monotonic()
        self.after = _after()
        self.shown = False
        self.last = 0.0

    def say(self, what: str, *, often: bool = False) -> None:
        """Show `what` as the line (`often`: a count that changes; shown every EVERY s)."""
        if not self.on:
            return
        now = time.monotonic()
        if now - self.start < self.after or (often and now - self.last < EVERY):
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\x1b[Kremitctl: {what}…")
        self.stream.flush()

    def clear(self) -> None:
        """Take the line away (before other stderr output, and at the end)."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
