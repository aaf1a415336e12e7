"""Problems found in a registry, each placed at a file, line and column."""

from __future__ import annotations

from typing import Literal

from remitctl.record import record

Severity = Literal["error", "warning"]


@record(order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    severity: Severity
    message: str
    hint: str | None = None
    code: str = "invalid"

    def location(self) -> str:
        from remitctl.shown import shown_path

        path = shown_path(self.path)
        if self.line <= 0:
            return path
        if self.column <= 0:
            return f"{path}:{self.line}"
        return f"{path}:{self.line}:{self.column}"

    def format(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class RegistryError(Exception):
    """The registry could not be loaded; `problems` says why, each at its place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column))
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
