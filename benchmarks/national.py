"""A synthetic national registry for speed checks: N areas × M issue types.

Each area has its own district council with four lines; a county council serves every
ten areas; issue types give per-area cover, a fallback and (one in six) a policy.
Phone numbers are Ofcom drama numbers; every name is invented.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

LINES = {
    "env-health": ("Mo-Fr 09:00-17:00", "closed"),
    "noise-patrol": ("Fr,Sa 20:00-03:00", "normal"),
    "dog-warden": ("Mo-Fr 08:00-18:00", "closed"),
    "streetscene": ("Mo-Fr 08:30-16:30", "closed"),
}
COUNTY_LINES = {
    "highways": ("Mo-Fr 08:00-18:00", "closed"),
    "highways-ooh": ("Mo-Fr 00:00-08:00,18:00-24:00; Sa,Su 00:00-24:00", "00:00-24:00"),
    "edt": ("Mo-Fr 00:00-09:00,17:00-24:00; Sa,Su 00:00-24:00", "00:00-24:00"),
}


def _agency(agency: str, name: str, lines: dict[str, tuple[str, str]],
            drama_range: str) -> list[str]:
    out = [f"  {agency}:", f"    name: {name}", "    services:"]
    for n, (line, (hours, bank)) in enumerate(lines.items()):
        number = f"{drama_range}{(zlib.crc32(agency.encode()) + n) % 1000:03d}"
        out += [f"      {line}:", f"        name: {line.replace('-', ' ').title()}",
                f"        contact: {{phone: \"{number}\"}}",
                f"        hours: \"{hours}\"", f"        bank_holidays: \"{bank}\"",
                "        verified: 2026-10-01"]
    return out


def national(areas: int = 400, issues: int = 60) -> str:
    out = ["version: 1",
           "name: Synthetic national registry", "timezone: Europe/London",
           "bank_holidays: england-and-wales", "areas:"]
    for a in range(areas):
        out += [f"  area-{a}:", f"    name: Area {a}"]
    out += ["agencies:", "  police:", "    name: Police", "    services:",
            "      control-room:", "        name: Control room",
            "        contact: {phone: \"01632 960001\"}", "        hours: \"24/7\"",
            "        verified: 2026-10-01"]
    for a in range(areas):
        out += _agency(f"district-{a}", f"District {a} Council", LINES, "01632 960")
    for c in range((areas + 9) // 10):
        out += _agency(f"county-{c}", f"County {c} Council", COUNTY_LINES, "07700 900")
    out.append("issues:")
    kinds = list(LINES)
    for i in range(issues):
        out += [f"  issue-{i}:", f"    title: Issue number {i}", f"    aliases: [alias {i}]",
                "    cover:"]
        for a in range(areas):
            if i % 3 == 0:
                refs = f"county-{a // 10}/highways, county-{a // 10}/highways-ooh"
            else:
                line = kinds[i % len(kinds)]
                refs = f"district-{a}/{line}" + (f", district-{a}/noise-patrol"
                                                 if i % 2 else "")
            out.append(f"      area-{a}: [{refs}]")
        out.append("    fallback: police/control-room")
        if i % 6 == 0:
            out += ["    policy:", "      max_gap_hours: 72"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "national.yaml")
    target.write_text(national(), encoding="utf-8")
    print(f"wrote {target}")
