"""`remitctl validate` reports: text for people, GitHub workflow commands, versioned JSON.

Each formatter is pure: file reports in, text out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from remitctl.registry.checks import CheckOptions, FileReport
from remitctl.registry.problems import Problem
from remitctl.render.escape import github_data, github_log, github_property
from remitctl.render.problem_groups import Group, group_docs, group_text, grouped
from remitctl.render.words import safe
from remitctl.shown import shown_path

SCHEMA = "remitctl/validate/v1"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def summary(reports: list[FileReport], path: Callable[[str], str] = shown_path) -> str:
    """One line: how many files, errors and warnings, and whether they are valid."""
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    if len(reports) == 1:
        verdict = "valid" if not errors else "invalid"
        return f"{path(reports[0].path)}: {verdict}: {counts}"
    invalid = sum(1 for r in reports if not r.valid)
    verdict = "all valid" if not invalid else f"{invalid} invalid"
    return f"{_count(len(reports), 'file')} checked, {verdict}: {counts}"


def _notes(report: FileReport, path: Callable[[str], str] = shown_path) -> list[str]:
    out = []
    if report.review is not None:
        new = len(report.review.new)
        out.append(f"{path(report.path)}: note: since {report.review.against}, "
                   f"{_count(new, 'new problem')} (of {len(report.problems)})")
    if report.skipped:
        out.append(f"{path(report.path)}: note: {_not_checked(report.skipped)} are checked "
                   "once the errors are fixed")
    return out


def _not_checked(skipped: tuple[str, ...]) -> str:
    """What was not checked, each kind once: "cover policies and dangers of issue types
    'a' (line 3), 'b' (line 9); the rest of service line 'c/d' (line 20)"."""
    import re

    kinds: dict[str, list[str]] = {}
    for entry in skipped:
        match = re.match(r"(.*?) ('.*)\Z", entry)
        head, item = (match.group(1), match.group(2)) if match else (entry, "")
        kinds.setdefault(head, []).append(item)
    clauses = []
    for head, items in kinds.items():
        named = [i for i in items if i]
        if not named:
            clauses.append(head)
            continue
        plural = head if len(named) == 1 else re.sub(
            r"(issue type|service line|agency|area)\Z",
            lambda m: {"agency": "agencies"}.get(m.group(1), m.group(1) + "s"), head)
        clauses.append(f"{plural} {', '.join(named)}")
    if all("'" not in c for c in clauses):
        return clauses[0] if len(clauses) == 1 else f"{', '.join(clauses[:-1])} and {clauses[-1]}"
    return "; ".join(clauses)


def text(reports: list[FileReport]) -> str:
    lines = [_plain(p) if isinstance(p, Problem) else safe(group_text(p, shown_path(r.path)))
             for r in reports for p in grouped(r.problems)]
    lines += [note for r in reports for note in _notes(r)]
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


def _plain(p: Problem) -> str:
    out = f"{p.location()}: {p.severity}: {safe(p.message)}"
    if p.hint:
        out += f"\n  hint: {safe(p.hint)}"
    return out


def _github_path(path: str) -> str:
    """A path on a line of the github format that is not a workflow command: on one line,
    and with no `:` that could make the line start with `::` and be obeyed as one."""
    return github_log(shown_path(path)).replace(":", "%3A")


# GitHub shows about ten annotations of each kind per step and drops the rest: the most
# important go first, and the others are listed in the log.
ANNOTATIONS = 10


def _annotation(kind: str, p: Problem, title: str, message: str) -> str:
    props = [f"file={github_property(shown_path(p.path))}"]
    if p.line > 0:
        props.append(f"line={p.line}")
        if p.column > 0:
            props.append(f"col={p.column}")
    props.append(f"title={github_property(title)}")
    return f"::{kind} {','.join(props)}::{github_data(message)}"


def _rank(p: Problem, report: FileReport) -> tuple[int, int, int]:
    """Errors before warnings; with a review, what the change brought or touched first."""
    r = report.review
    brought = r is not None and (p in r.new or (p.line > 0 and r.touched(p.line)))
    return (0 if brought else 1, 0 if p.severity == "error" else 1, p.line)


def _change_notes(report: FileReport) -> list[str]:
    """A notice on each block of lines the change touched, naming the new problems it
    caused elsewhere (a shortened line's breached policy is reported at the policy)."""
    r = report.review
    if r is None:
        return []
    away = sorted((p for p in r.new if not (p.line > 0 and r.touched(p.line))),
                  key=lambda p: (p.severity != "error", p.line))
    if not away:
        return []
    shown = "; ".join(f"line {p.line}: {p.severity}: {safe(p.message)}" for p in away[:3])
    more = f"; and {len(away) - 3} more" if len(away) > 3 else ""
    out = []
    for first, _last in r.hunks:
        anchor = Problem(report.path, first, 0, "warning", "")
        out.append(_annotation("notice", anchor, "remitctl: this change",
                               f"Since {r.against}, this change brings {len(away)} "
                               f"problem{'s' if len(away) != 1 else ''} reported elsewhere: "
                               f"{shown}{more}"))
    return out


def github(reports: list[FileReport], limit: int = ANNOTATIONS) -> str:
    """GitHub Actions workflow commands: the most important problems become annotations on
    their lines (at most `limit`), the rest are listed in the log after them."""
    lines = []
    for report in reports:
        ranked = sorted(report.problems, key=lambda p: _rank(p, report))
        notes = _change_notes(report)
        shown = ranked[:max(limit - min(len(notes), limit // 2), 0)]
        for p in shown:
            message = safe(p.message) + (f"\nhint: {safe(p.hint)}" if p.hint else "")
            lines.append(_annotation(p.severity, p, f"remitctl {p.code}", message))
        lines += notes[:limit // 2]
        rest = ranked[len(shown):]
        if rest:
            where = _github_path(report.path)
            lines.append(f"{where}: {_count(len(rest), 'more problem')} not annotated "
                         f"(GitHub shows about {limit} per step); run `remitctl validate "
                         f"{where}` to see them with their hints:")
            # Never a line that starts (after spaces) with "::": it would be obeyed.
            for item in grouped(rest):
                if isinstance(item, Group):
                    said = group_text(item, shown_path(report.path)).split("\n  hint: ")
                    lines.append("  " + github_log(said[0]))
                    lines += ["    hint: " + github_log(h) for h in said[1:]]
                    continue
                lines.append("  " + github_log(f"{item.location()}: {item.severity}: "
                                               f"{item.message}"))
                if item.hint:
                    lines.append("    hint: " + github_log(item.hint))
        lines += _notes(report, _github_path)
    lines.append(summary(reports, _github_path))
    return "\n".join(lines) + "\n"


def problem_doc(p: Problem, report: FileReport | None = None) -> dict[str, Any]:
    doc = {"line": p.line or None, "column": p.column or None, "severity": p.severity,
           "code": p.code, "message": p.message, "hint": p.hint}
    if report is not None and report.review is not None:
        doc["new"] = p in report.review.new
    return doc


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
            "problems": [problem_doc(p, r) for p in r.problems],
            "groups": group_docs(r.problems),
            **({"against": r.review.against,
                "changed_lines": [list(h) for h in r.review.hunks]} if r.review else {}),
        } for r in reports],
    }
