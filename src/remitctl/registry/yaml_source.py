"""Read YAML safely into plain Python values, remembering where every value stood.

PyYAML's own constructors follow YAML 1.1 (`17:30` is 1050, `off` is False) and
merge duplicate keys silently. Registry files are written by hand, so we compose
the node tree with the safe (C where available) parser and build values ourselves:
scalars are YAML 1.2-like, duplicate keys and foreign tags are problems, and alias
expansion is bounded so a "billion laughs" file cannot exhaust memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from remitctl.registry.problems import Problem

Path_ = tuple[str | int, ...]

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000  # values reached again through aliases
MAX_ALIAS_TEXT = 1_000_000  # characters of text reached again through aliases
MAX_TEXT = 10_000  # characters in one value: a name, hours, a contact or a short note
MAX_VALUES = 400_000  # values in the file (bundled sample: under 1,000; national: 180,000)

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Located:
    """A YAML document as plain values, with the 1-based line and column of each."""

    path: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at `loc`, else of its nearest ancestor."""
        table = self.keys if key else self.values
        probe = tuple(loc)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(
        self, loc: Path_, message: str, hint: str | None = None, *, key: bool = False,
        severity: str = "error", code: str = "invalid",
    ) -> Problem:
        line, column = self.where(loc, key=key)
        return Problem(self.path, line, column, severity, message, hint, code)  # type: ignore[arg-type]


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.out = Located(path, None)
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.expanded = 0
        self.expanded_text = 0
        self.stack: list[int] = []

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, "error", message, hint, "yaml")
        )

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        if id(node) in self.stack:
            self.fail(node, "an alias refers to the node that contains it",
                      "remove the recursive alias")
            return None
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise _TooBig(node, "aliases expand to too many values (a 'billion laughs' file?)")
            if isinstance(node, yaml.ScalarNode):
                # One long text repeated through thousands of aliases is a bomb too.
                self.expanded_text += len(node.value)
                if self.expanded_text > MAX_ALIAS_TEXT:
                    raise _TooBig(node, "aliases repeat too much text "
                                  f"(over {MAX_ALIAS_TEXT:,} characters)")
        self.seen.add(id(node))
        if len(loc) > MAX_DEPTH:
            raise _TooBig(node, f"the document is nested more than {MAX_DEPTH} levels deep")
        self.out.values.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        tag = node.tag or ""
        if tag not in _ALLOWED_TAGS:
            shown = tag.replace(_STD, "!!")
            self.fail(node, f"the YAML tag {shown!r} is not allowed",
                      "remove the tag; registry values are plain text, numbers, lists and mappings")
            return None
        if self.too_long(node):
            return None
        self.stack.append(id(node))
        try:
            if isinstance(node, yaml.ScalarNode):
                return _scalar(node)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, loc)
        finally:
            self.stack.pop()
        self.fail(node, "unexpected YAML node")
        return None

    def too_long(self, node: yaml.Node) -> bool:
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_TEXT:
            self.fail(node, f"this value is {len(node.value):,} characters long; values over "
                      f"{MAX_TEXT:,} characters are refused",
                      "a registry value is a name, hours, a contact or a short note")
            return True
        return False

    def mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _STD + "merge":
                merged.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be plain text, not a list or mapping")
                continue
            if self.too_long(key_node):
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self.fail(key_node, f"duplicate key {key!r} (first at line {first_seen[key]})",
                          "YAML would silently keep only the last one; "
                          "remove or rename one of them")
                continue
            first_seen[key] = line
            self.out.keys[(*loc, key)] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*loc, key))
        for source in merged:
            sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
            for item in sources:
                value = self.build(item, loc)
                if not isinstance(value, dict):
                    self.fail(item, "'<<' must merge a mapping")
                    continue
                for key, inner in value.items():
                    result.setdefault(key, inner)
        return result


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        self.node = node
        super().__init__(message)


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.style:  # quoted or a block: text. Plain style is None (Python) or "" (libyaml)
        return value
    if node.tag == _STD + "str":
        # YAML 1.2, as editors read it: 07700900101 is a number (1.1 made it text).
        return int(value) if _INT.match(value) else value
    if node.tag == _STD + "null" and value in _NULLS:
        return None
    if node.tag == _STD + "bool" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if node.tag == _STD + "int" and _INT.match(value):
        return int(value)
    if node.tag == _STD + "float" and _FLOAT.match(value):
        return float(value)
    return value


def _value_past_limit(text: str) -> Any:
    """The first value past MAX_VALUES, found by a cheap pass over the parser's events, so
    a file of millions of tiny values is refused before a node is built for each."""
    count = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            count += 1
            if count > MAX_VALUES:
                return event
    return None


_KEY_LINE = re.compile(r"( *)(- +)?([^\s#:'\"][^:#]*?):( |$)")


def _key(line: str) -> tuple[int, str] | None:
    """(column, key) of a 'key: value' line, 1-based; None for anything else."""
    found = _KEY_LINE.match(line)
    if not found:
        return None
    return len(found.group(1)) + len(found.group(2) or "") + 1, found.group(3)


def _sibling(lines: list[str], line: int, column: int) -> tuple[int, str] | None:
    """The key above line `line` (1-based) that a key at `column` most likely belongs with."""
    best: tuple[int, int, str] | None = None
    for n in range(line - 2, -1, -1):
        found = _key(lines[n])
        if found is None:
            continue
        distance = abs(found[0] - column)
        if best is None or distance < best[0]:
            best = (distance, found[0], found[1])
        if found[0] < column - 2:
            break
    return (best[1], best[2]) if best and best[0] else None


def syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str, str | None]:
    """Line, column, message and a hint in plain words for a YAML syntax error, at the
    line the admin has to change (not always where the parser gave up)."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
    lines = text.splitlines()

    def at(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    bad = at(line)
    if "\t" in bad[: max(column, 1)]:
        return line, column, message, "indent with spaces, not tabs"
    problem = exc.problem or ""
    context = exc.context or ""
    start = exc.context_mark
    if "could not find expected ':'" in problem and start is not None:
        here = at(start.line + 1)
        glued = re.match(r"\s*(-\s+)?([\w-]+):(\S.*)", here)
        if glued:
            key, word = glued.group(2), glued.group(3).split()[0]
            more = "…" if glued.group(3).strip() != word else ""
            return (start.line + 1, start.column + 1,
                    f"'{key}:{word}{more}' needs a space after the colon",
                    f"write '{key}: {word}{more}': without the space YAML reads the whole "
                    "line as text, not as a key and its value")
        return (start.line + 1, start.column + 1, message,
                "each line is 'key: value' with a space after the colon; text that runs on "
                "to the next line must be indented more than its key, or put in quotes")
    if "mapping values are not allowed" in problem:
        found = _key(bad)
        if found is not None and column > found[0] + len(found[1]):
            key = found[1]
            value = bad[found[0] + len(key) + 1:].strip()
            return (line, column, f"the text of {key!r} contains ': ', which YAML reads as "
                    "another key",
                    f"text containing ': ' must be in quotes: {key}: \"{value[:30]}"
                    f"{'…' if len(value) > 30 else ''}\"")
        if found is not None:
            sibling = _sibling(lines, line, found[0])
            if sibling is not None:
                return (line, found[0], f"{found[1]!r} is indented differently from the keys "
                        "around it", _line_up(found[1], sibling))
    if "mapping values are not allowed" in problem:
        return (line, column, message, "check the indentation of this line and the lines "
                "above it: the keys of one thing start in the same column, and a value that "
                "contains ': ' must be in quotes")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        found = _key(bad)
        if found is not None:
            sibling = _sibling(lines, line, found[0])
            if sibling is not None:
                return (line, found[0], f"{found[1]!r} is indented differently from the keys "
                        "around it", _line_up(found[1], sibling))
    if "quoted scalar" in context and start is not None:
        return (line, column, message, f"the quote opened at line {start.line + 1} is not "
                "closed: end the text with the same quote mark")
    if "flow" in context and start is not None:
        return (line, column, message, f"the bracket opened at line {start.line + 1} is not "
                "closed, or an item is missing a comma")
    return line, column, message, None


def _line_up(key: str, sibling: tuple[int, str]) -> str:
    column, other = sibling
    where = f"{column - 1} spaces in" if column > 1 else "at the start of the line"
    return (f"line up '{key}:' with '{other}:' above it ({where}); keys of the same thing "
            "start in the same column")


def read_yaml(text: str, path: str) -> tuple[Located, list[Problem]]:
    """Parse `text`; return the located document and any problems (empty when it is sound)."""
    builder = _Builder(path)

    def one(line: int, column: int, message: str, hint: str | None = None) -> list[Problem]:
        return [Problem(path, line, column, "error", message, hint, "yaml")]

    try:
        extra = _value_past_limit(text)
        if extra is not None:
            mark = extra.start_mark
            return builder.out, one(mark.line + 1, mark.column + 1,
                                    f"the file holds more than {MAX_VALUES:,} values",
                                    "a registry is far smaller; is this the right file?")
        root = yaml.compose(text, Loader=_SAFE_LOADER)
    except RecursionError:  # the pure-Python parser recurses per level; libyaml stops at 1000
        return builder.out, one(0, 0, "the document is nested too deeply")
    except yaml.MarkedYAMLError as exc:
        line, column, message, hint = syntax_problem(text, exc)
        return builder.out, one(line, column, f"YAML syntax: {message}", hint)
    except yaml.reader.ReaderError as exc:
        at = exc.position
        if exc.encoding != "unicode":  # libyaml counts bytes of the UTF-8 text
            at = len(text.encode()[:at].decode(errors="ignore"))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        return builder.out, one(line, column, f"the character U+{code:04X} is not allowed in YAML",
                                "remove it; write special characters as escapes inside "
                                'double quotes, e.g. "\\t"')
    except yaml.YAMLError as exc:
        return builder.out, one(0, 0, f"YAML error: {exc}")
    if root is None:
        return builder.out, one(1, 1, "the registry is empty",
                                "start from the bundled remits.yaml")
    try:
        builder.out.data = builder.build(root, ())
    except _TooBig as exc:
        mark = exc.node.start_mark
        return builder.out, one(mark.line + 1, mark.column + 1, str(exc))
    except RecursionError:
        return builder.out, one(0, 0, "the document is nested too deeply")
    return builder.out, builder.problems
