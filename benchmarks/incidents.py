"""Write a realistic synthetic incident export for `remitctl evidence`, for benchmarks and demos.

    python benchmarks/incidents.py -n 1000000 -o incidents.csv [-r remits.yaml] [--year 2026]

Demand follows the hour of the week as a force's demand does: noise peaks on Friday and
Saturday nights, mental health in the evening, council business (fly-tipping, highways,
abandoned vehicles) in the day, sudden deaths in the morning. The columns are named as a
command-and-control export names them (map them with --column), the times are UK
DD/MM/YYYY HH:MM, the issue is one of the registry's codes, title or id, about 1% of rows
repeat an earlier ref (overlapping exports) and about 0.1% are bad (a typo, an impossible
date), as real exports have.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("Incident Ref", "Created Date", "Incident Type", "Beat Area", "Officer Minutes")
COLUMNS = ("--column", "ref=Incident Ref", "--column", "time=Created Date",
           "--column", "issue=Incident Type", "--column", "area=Beat Area",
           "--column", "minutes=Officer Minutes")

# Relative demand by hour of day, and weekend (Fri, Sat night) lift, per kind of issue.
NIGHT = [3, 2.5, 2, 1.2, .6, .4, .4, .5, .6, .7, .8, .9, 1, 1, 1, 1.1, 1.3, 1.6, 2, 2.5, 3, 3.5,
         4, 3.8]
EVENING = [1.5, 1.2, 1, .8, .6, .5, .5, .6, .8, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.7, 2, 2.5, 3, 3.4,
           3.5, 3.2, 2.6, 2]
DAY = [.2, .15, .1, .1, .1, .2, .5, 1, 2, 2.6, 2.8, 2.8, 2.6, 2.6, 2.6, 2.5, 2.2, 1.8, 1.3, 1,
       .8, .6, .4, .3]
MORNING = [.6, .5, .5, .5, .6, .9, 1.5, 2.4, 2.8, 2.6, 2.2, 1.9, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1,
           .9, .8, .8, .7, .6]
FLAT = [1.0] * 24
PATTERNS = {"noise": (NIGHT, 2.2), "mental": (EVENING, 1.2), "sudden-death": (MORNING, 1.0),
            "tipping": (DAY, .6), "highway": (DAY, .7), "vehicle": (DAY, .7),
            "social-care": (DAY, .8), "safeguard": (DAY, .9), "dog": (DAY, 1.0),
            "cctv": (NIGHT, 1.8)}
VOLUME = {"noise": 6.0, "mental": 4.0, "social-care": 3.0, "safeguard": 2.0, "dog": 1.5,
          "sudden-death": 1.0, "highway": 1.5, "tipping": 1.5, "vehicle": 1.0, "cctv": 1.0}


def _issues(text: str) -> list[tuple[str, str, list[str]]]:
    """(id, title, codes) of each issue in the registry, read without remitctl."""
    import yaml

    doc = yaml.safe_load(text)
    return [(i, str(v.get("title", i)), [str(c) for c in v.get("codes", [])])
            for i, v in (doc.get("issues") or {}).items()]


def _areas(text: str) -> list[str]:
    import yaml

    doc = yaml.safe_load(text)
    return [str(v.get("name", a)) for a, v in (doc.get("areas") or {}).items()] or [""]


def _pattern(issue_id: str) -> tuple[list[float], float, float]:
    for word, (hours, weekend) in PATTERNS.items():
        if word in issue_id:
            return hours, weekend, VOLUME.get(word, 1.0)
    return FLAT, 1.0, 0.5


def week_weights(hours: list[float], weekend: float) -> list[float]:
    """Weights for the 168 hours of a week, Monday 00:00 first: Friday and Saturday nights
    (18:00 to 06:00 the next morning) lifted by `weekend`."""
    out = []
    for day in range(7):
        for hour in range(24):
            w = hours[hour]
            late = (day in (4, 5) and hour >= 18) or (day in (5, 6) and hour < 6)
            out.append(w * (weekend if late else 1.0))
    return out


def generate(rows: int, registry: Path, year: int, seed: int = 13) -> str:
    """The whole CSV as text (a million rows is ~60 MB)."""
    text = registry.read_text(encoding="utf-8")
    rnd = random.Random(seed)
    issues = _issues(text)
    areas = _areas(text)
    names: list[tuple[str, ...]] = []
    weights: list[float] = []
    hour_tables: list[list[float]] = []
    for issue_id, title, codes in issues:
        hours, weekend, volume = _pattern(issue_id)
        names.append(tuple(codes) or (title, issue_id))
        weights.append(volume)
        hour_tables.append(week_weights(hours, weekend))
    cumulative = [list(_accumulate(t)) for t in hour_tables]
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    # Every week touching the year, from the Monday on or before 1 January; a moment drawn
    # outside the year is drawn again, so every row falls in --year (a 52-Monday list from
    # the first Monday ran up to six days into the next January).
    first = start - dt.timedelta(days=start.weekday())
    mondays = [first + dt.timedelta(weeks=w) for w in range((end - first).days // 7 + 1)]
    chosen = rnd.choices(range(len(issues)), weights=weights, k=rows)
    out = [",".join(HEADER)]
    refs: list[str] = []
    for n, i in enumerate(chosen):
        if refs and n % 97 == 0:  # an overlapping export: this row was seen already
            out.append(out[rnd.randrange(1, len(out))])
            continue
        hour = _pick(cumulative[i], rnd.random())
        at = rnd.choice(mondays) + dt.timedelta(hours=hour, minutes=rnd.randrange(60))
        while not start <= at < end:
            at = rnd.choice(mondays) + dt.timedelta(hours=hour, minutes=rnd.randrange(60))
        issue = rnd.choice(names[i])
        area = rnd.choice(areas)
        minutes = max(5, int(math.exp(rnd.gauss(4.0, 0.7))))
        stamp = f"{at:%d/%m/%Y %H:%M}"
        if n % 1009 == 0:
            issue = issue[:-1] + "x"  # a typo
        elif n % 2003 == 0:
            stamp = f"31/02/{year} 10:00"
        ref = f"SV-{year}-{n:07d}"
        refs.append(ref)
        out.append(_row((ref, stamp, issue, area, str(minutes))))
    return "\n".join(out) + "\n"


def _accumulate(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _pick(cumulative: list[float], u: float) -> int:
    import bisect

    return min(bisect.bisect_left(cumulative, u), len(cumulative) - 1)


_PLAIN = re.compile(r"[^,\"\n\r]*\Z")


def _row(values: tuple[str, ...]) -> str:
    if all(_PLAIN.match(v) for v in values):
        return ",".join(values)
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=100_000,
                        help="incidents to write (default 100,000)")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="the CSV file to write")
    parser.add_argument("-r", "--registry", type=Path, default=ROOT / "remits.yaml",
                        help="registry whose issue types and areas the rows use "
                        "(default: the bundled remits.yaml)")
    parser.add_argument("--year", type=int, default=2026,
                        help="the calendar year the incidents fall in (default 2026)")
    parser.add_argument("--seed", type=int, default=13,
                        help="random seed: the same seed writes the same file (default 13)")
    args = parser.parse_args(argv)
    args.output.write_text(generate(args.rows, args.registry, args.year, args.seed),
                           encoding="utf-8")
    print(f"wrote {args.rows:,} rows to {args.output}; read them with:\n  remitctl evidence "
          f"{args.output} " + " ".join(f'"{c}"' if " " in c else c for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
