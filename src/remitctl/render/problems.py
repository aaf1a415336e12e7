"""`remitctl validate` reports: text for people, GitHub workflow commands, versioned JSON.

Each formatter is pure: file reports in, text out.
"""

from __future__ import annotations

from typing import Any

from remitctl.registry.checks import CheckOptions, FileReport
from remitctl.registry.problems import Problem
from remitctl.render.words import safe

SCHEMA = "remitctl/validate/v1"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def summary(reports: list[FileReport]) -> str:
    """One line: how many files, errors and warnings, and whether they are valid."""
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    if len(reports) == 1:
        verdict = "valid" if not errors else "invalid"
        return f"{reports[0].path}: {verdict}: {counts}"
    invalid = sum(1 for r in reports if not r.valid)
    verdict = "all valid" if not invalid else f"{invalid} invalid"
    return f"{_count(len(reports), 'file')} checked, {verdict}: {counts}"


def _notes(report: FileReport) -> list[str]:
    if not report.skipped:
        return []
    names = list(report.skipped)
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return [f"{report.path}: note: {listed} are checked once the errors are fixed"]


def text(reports: list[FileReport]) -> str:
    lines = [_plain(p) for r in reports for p in r.problems]
    lines += [note for r in reports for note in _notes(r)]
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


def _plain(p: Problem) -> str:
    out = f"{p.location()}: {p.severity}: {safe(p.message)}"
    if p.hint:
        out += f"\n  hint: {safe(p.hint)}"
    return out


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(reports: list[FileReport]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line."""
    lines = []
    for report in reports:
        for p in report.problems:
            props = [f"file={_escape_property(p.path)}"]
            if p.line > 0:
                props.append(f"line={p.line}")
                if p.column > 0:
                    props.append(f"col={p.column}")
            props.append(f"title={_escape_property(f'remitctl {p.code}')}")
            message = safe(p.message) + (f"\nhint: {safe(p.hint)}" if p.hint else "")
            lines.append(f"::{p.severity} {','.join(props)}::{_escape_data(message)}")
        lines += _notes(report)
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


def problem_doc(p: Problem) -> dict[str, Any]:
    return {"line": p.line or None, "column": p.column or None, "severity": p.severity,
            "code": p.code, "message": p.message, "hint": p.hint}


def json_doc(reports: list[FileReport], options: CheckOptions) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "valid": all(r.valid for r in reports),
        "strict": options.strict,
        "as_of": options.today.isoformat(),
        "max_age_days": options.max_age_days,
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
        "files": [{
            "path": r.path,
            "valid": r.valid,
            "errors": len(r.errors),
            "warnings": len(r.warnings),
            "skipped": list(r.skipped),
            "problems": [problem_doc(p) for p in r.problems],
        } for r in reports],
    }
