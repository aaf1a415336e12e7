"""A report read from a log store says whether the store's hash chain held: JSON always
(`log_store`), the table, markdown and the meeting pack in a first line when it broke."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator


def warning(chain: dict[str, object]) -> str:
    problems = chain.get("problems") or []
    first = problems[0] if isinstance(problems, list) and problems else "see log --verify"
    return (f"WARNING: the log store {chain['source']} has been changed behind remitctl's "
            f"back: {first}. Its records are counted below, but they are not proof.")


def marked(parts: Iterable[str], fmt: str, chain: dict[str, object]) -> Iterator[str]:
    if fmt == "json":
        from remitctl.render.json_out import dumps

        doc = json.loads("".join(parts))
        doc["log_store"] = chain
        yield dumps(doc) + "\n"
        return
    if chain.get("intact") or fmt == "csv":  # csv: rows only; stderr says it
        yield from parts
        return
    text = warning(chain)
    if fmt == "markdown":
        escaped = re.sub(r"([\\`*_{}\[\]<>()#+!|~-])", r"\\\1", text)
        yield f"> **{escaped}**\n\n"
        yield from parts
    elif fmt == "html":
        page = "".join(parts)
        banner = f'<p class="warning" role="alert"><strong>{html.escape(text)}</strong></p>'
        at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
        yield page[:at] + banner + page[at:]
    else:
        yield text + "\n\n"
        yield from parts
