"""Registry text in outputs that another program reads: shown, never obeyed.

One function per output kind, used by every renderer of that kind:

- `markdown`: text in a Markdown document (a pull-request comment, a meeting report), in
  a paragraph, heading, list item or table cell. On one line (a newline in `notes:` must
  not start a line of its own: a fake "opens no new gaps" line, or `::error::` that a CI
  log obeys), no HTML (`<script>`, `<img onerror>` become text), no Markdown markup
  (emphasis, links, images, headings, tables), no control characters.
- `markdown_code`: a value shown as code (a changed field's before and after), with the
  same guarantees: `<code>` around escaped text, as a code span cannot escape anything.
- `github_data` and `github_property`: the message and the properties of a GitHub
  workflow command (`::error file=…,title=…::message`), escaped as the runner reads them.
- `github_log`: a plain line of a GitHub Actions log, which the runner must not read as a
  workflow command: on one line, and no `::` it could obey.
"""

from __future__ import annotations

import html
import re

from remitctl.render.words import safe

# Every ASCII punctuation character that Markdown could read as markup, escaped with a
# backslash (CommonMark lets any ASCII punctuation be). `<`, `>` and `&` become entities
# so that no tag or entity of the registry's own reaches the document. Full stops,
# commas, colons, quotes, slashes and brackets stay as they are: alone they are no markup.
_MARKUP = re.compile(r"([\\`*_{}\[\]#|~!])")
_LINE_START = re.compile(r"^([-+=:]|\d+[.)])")
_SPACE = re.compile(r"\s+")
_COMMAND = re.compile(r"^(\s*):(?=:)")


def one_line(text: object) -> str:
    """`text` without control characters and with every run of white space (line breaks
    included) as one space."""
    return _SPACE.sub(" ", safe(text)).strip()


def markdown(text: object) -> str:
    """Registry text as literal text anywhere in a Markdown line."""
    out = html.escape(one_line(text), quote=False)
    out = _MARKUP.sub(r"\\\1", out)
    # Where the text starts a line, '-', '+', '=' or '1.' would make a list or a heading,
    # and '::' a workflow command if the document is printed in a CI log.
    return _LINE_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], out)


def markdown_code(text: object) -> str:
    """Registry text as a code value in Markdown."""
    return f"<code>{markdown(text)}</code>"


def markdown_block(text: str, info: str = "text") -> str:
    """`text` (lines of our own, holding registry names) as a fenced code block: fenced
    with more backticks than any run inside it, and no line starting with `::`."""
    lines = [_COMMAND.sub(r"\1: ", safe(line)) for line in text.split("\n")]
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + info, *lines, fence])


def github_data(text: object) -> str:
    """The message of a workflow command: the runner decodes %25, %0D and %0A."""
    return (safe(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(text: object) -> str:
    """A property value (file=, title=) of a workflow command: also `:` and `,`."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_log(text: object) -> str:
    """A plain line of a GitHub Actions log, not a workflow command: on one line, and no
    `::` left for the runner to obey."""
    return one_line(text).replace("%", "%25").replace("::", ":%3A")
