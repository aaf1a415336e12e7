"""The hash chain: each record's hash covers its content and the hash before it.

hash = SHA-256 of (previous hash, in hex) + the record's canonical content (a JSON array of
CONTENT, compact, UTF-8). The first record's previous hash is 64 zeros. Ids are consecutive
from 1 (the writer assigns them under the store's lock), so a gap is a removal. The anchor
(count, last id, last hash) is written in the same transaction as each record, so a table
emptied, or records cut off at the end, still shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

GENESIS = "0" * 64


def canonical(content: Sequence[object]) -> bytes:
    return json.dumps(list(content), ensure_ascii=False, separators=(",", ":")).encode()


def link(prev_hash: str, content: Sequence[object]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


@dataclass
class Verdict:
    count: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)  # the first break, then guards
    first_broken: int | None = None  # the first record changed, removed, inserted or moved

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(rows: Iterable[Sequence[object]], anchor: tuple[int, int, str] | None,
           missing_guards: Sequence[str] = ()) -> Verdict:
    """Walk `rows` (CONTENT + prev_hash + hash, by id) against the anchor."""
    v = Verdict()
    expected, last_id = GENESIS, 0
    for row in rows:
        *content, prev_hash, own = row
        rid = int(content[0])  # type: ignore[call-overload]
        v.count += 1
        if v.first_broken is None:
            problem = None
            if rid != last_id + 1:
                problem = (f"record #{last_id + 1} is missing (removed, or the records after "
                           f"#{last_id} renumbered)" if rid > last_id + 1 else
                           f"record #{rid} is out of order (inserted or moved)")
                v.first_broken = last_id + 1 if rid > last_id + 1 else rid
            elif own != link(str(prev_hash), content):
                problem = f"record #{rid} was changed after it was logged (it no longer " \
                          "matches its hash)"
                v.first_broken = rid
            elif prev_hash != expected:
                problem = (f"record #{last_id} was changed after it was logged (its hash is "
                           f"not the one #{rid} was chained to)" if last_id else
                           f"record #{rid} does not start the chain")
                v.first_broken = last_id or rid
            if problem:
                v.problems.append(problem)
        expected, last_id = str(own), rid
    v.head = expected
    if anchor is None:
        v.problems.append("the chain's anchor (table chain_head) is gone: records at the "
                          "end may have been removed")
    elif v.first_broken is None:
        count, anchor_id, anchor_hash = anchor
        if v.count < count:
            v.first_broken = last_id + 1
            v.problems.append(
                f"the store holds no records, but {count} were logged: all removed"
                if not v.count else
                f"records #{last_id + 1}–#{anchor_id} are missing (removed): {count} were "
                f"logged, {v.count} are left")
        elif v.count > count:
            v.first_broken = anchor_id + 1
            v.problems.append(f"record #{anchor_id + 1} was inserted behind the tool's back "
                              f"(the anchor counts {count})")
        elif anchor_hash != expected or anchor_id != last_id:
            v.first_broken = last_id
            v.problems.append(f"record #{last_id} does not match the anchor (changed)")
    v.problems += [f"the guard trigger {name} was dropped or disabled" for name in
                   missing_guards]
    return v
