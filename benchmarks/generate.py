"""Synthetic registries of a given size, shaped like real ones, for benchmarks.

A regional or national registry is many council areas times many issue types. The
shape follows the UK: English two-tier areas (a district council under a county
council) beside unitary councils; Welsh, Scottish and Northern Irish areas are
unitary and Scottish and Northern Irish areas take their own bank holidays. Councils
share a handful of office-hours patterns; out-of-hours lines (noise patrols, stray
kennels, highways and social-care duty teams) run overnight and on bank holidays;
some councils shut over Christmas; regional NHS trusts, fire services and water
companies, and national lines, cover issue types across many areas.

Every (area, issue type) pair gets 2-4 service lines. The output is deterministic
for a given size and seed, and it loads without errors (tests/test_generator.py).

    python benchmarks/generate.py --areas 400 --issues 60 -o national.yaml
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

NATIONAL = (400, 60)  # areas, issue types: every council area × every issue type

OFFICE_HOURS = (
    "Mo-Fr 09:00-17:00",
    "Mo-Fr 08:30-17:00",
    "Mo-Th 08:45-17:00; Fr 08:45-16:30",
    "Mo-Fr 08:00-18:00",
    "Mo-Fr 08:30-16:30",
    "Mo-Fr 08:00-16:00",
)
# Out-of-hours duty teams: weekday nights and all weekend, written so that Monday's
# early hours are covered (see the bundled remits.yaml).
DUTY_HOURS = (
    "Mo-Fr 00:00-09:00,17:00-24:00; Sa,Su 00:00-24:00",
    "Mo-Fr 00:00-08:30,17:00-24:00; Sa,Su 00:00-24:00",
    "Mo-Fr 00:00-08:00,18:00-24:00; Sa,Su 00:00-24:00",
)
PATROL_HOURS = (
    "Fr,Sa 20:00-03:00",
    "Th-Sa 21:00-03:00, Su,Mo 19:00-24:00",
    "Fr,Sa 22:00-04:00",
)
KENNEL_HOURS = ("Mo-Fr 16:00-22:00; Sa,Su 08:00-20:00", "Mo-Fr 18:00-22:00; Sa,Su 08:00-22:00")
CCTV_HOURS = (
    "24/7",
    'Mo-Su 18:00-02:00, Mo-Su 02:00-18:00 unknown "recorded only, not monitored"',
)

# Council functions: (id, name, tier, out-of-hours partner). "district" functions belong to
# the district council in a two-tier area, "county" ones to the county council; a unitary
# council does both.
FUNCTIONS = (
    ("env-health", "Environmental Health", "district", "noise-patrol"),
    ("dog-warden", "Dog Warden", "district", "stray-kennels"),
    ("streetscene", "Street Scene", "district", None),
    ("housing", "Housing Options", "district", "housing-ooh"),
    ("licensing", "Licensing", "district", None),
    ("community-safety", "Community Safety (ASB)", "district", "cctv"),
    ("pest-control", "Pest Control", "district", None),
    ("highways", "Highways Customer Contact", "county", "highways-ooh"),
    ("flooding", "Flood Risk Management", "county", "highways-ooh"),
    ("childrens-front-door", "Children's Services Front Door", "county", "edt"),
    ("adult-social-care", "Adult Social Care", "county", "edt"),
    ("trading-standards", "Trading Standards", "county", None),
    ("rights-of-way", "Public Rights of Way", "county", "highways-ooh"),
)
OOH_LINES = {
    "noise-patrol": ("Out-of-hours Noise Patrol", PATROL_HOURS, "normal"),
    "stray-kennels": ("Stray Dog Kennels (contracted)", KENNEL_HOURS, "08:00-20:00"),
    "housing-ooh": ("Emergency Homelessness Line", DUTY_HOURS, "00:00-24:00"),
    "cctv": ("CCTV Control Room", CCTV_HOURS, "normal"),
    "highways-ooh": ("Highways Emergency Out of Hours", DUTY_HOURS, "00:00-24:00"),
    "edt": ("Emergency Duty Team", DUTY_HOURS, "00:00-24:00"),
}
# Regional bodies, one per group of areas: (agency kind, lines as id, name, hours, bank holidays)
REGIONAL = {
    "nhs-mh": ("NHS mental health trust", (
        ("crisis-team", "Crisis Resolution Team", "24/7", None),
        ("street-triage", "Street Triage Car", "Mo-Su 16:00-02:00", "normal"))),
    "nhs-urgent": ("NHS urgent care provider", (
        ("gp-ooh", "GP Out of Hours", DUTY_HOURS[2], "00:00-24:00"),
        ("nhs-111", "NHS 111 professionals' line", "24/7", None))),
    "fire": ("fire and rescue service", (
        ("control", "Fire Control", "24/7", None),
        ("fire-safety", "Fire Safety Team", "Mo-Fr 09:00-17:00", "closed"))),
    "water": ("water and sewerage company", (
        ("operations", "Operations Control", "24/7", None),
        ("customer", "Customer Services", "Mo-Fr 08:00-20:00; Sa 08:00-14:00", "closed"))),
    "coroner": ("coroner's service", (
        ("officers", "Coroner's Officers", "Mo-Fr 09:00-16:00", "closed"),
        ("duty-coroner", "Duty Coroner", "Sa,Su 10:00-12:00", "10:00-12:00"))),
}
NATIONAL_LINES = (
    ("gas-emergency", "Gas Emergency Service", "emergency-line", "24/7"),
    ("environment-agency", "Environment Agency", "incident-hotline", "24/7"),
    ("animal-welfare", "Animal welfare charity", "cruelty-line", "Mo-Su 08:00-20:00"),
    ("national-highways", "Strategic road operator", "control-centre", "24/7"),
    ("rail-police", "Railway police", "control", "24/7"),
    ("cps-direct", "CPS Direct", "charging-advice", "24/7"),
)

# Issue types: (title, who covers it, aliases). "council:<function>" is the council
# function and its out-of-hours partner; "regional:<body>" a regional body;
# "national:<agency>" a national line.
ISSUES = (
    ("Noise nuisance", "council:env-health", ["loud music", "barking dog", "party noise"]),
    ("Smoke and bonfire nuisance", "council:env-health", ["bonfire", "garden fire smoke"]),
    ("Odour nuisance", "council:env-health", ["bad smell", "odour"]),
    ("Food poisoning outbreak", "council:env-health", ["food poisoning", "food hygiene"]),
    ("Stray dogs", "council:dog-warden", ["stray dog", "loose dog", "lost dog"]),
    ("Dog fouling", "council:dog-warden", ["dog mess", "dog fouling"]),
    ("Fly-tipping", "council:streetscene", ["fly tipping", "dumped rubbish"]),
    ("Abandoned vehicles", "council:streetscene", ["abandoned car", "burnt out car"]),
    ("Graffiti", "council:streetscene", ["graffiti", "vandalised wall"]),
    ("Needles and sharps found", "council:streetscene", ["needle found", "sharps"]),
    ("Homelessness tonight", "council:housing", ["homeless", "rough sleeper"]),
    ("Illegal eviction", "council:housing", ["illegal eviction", "landlord lockout"]),
    ("Unlicensed premises", "council:licensing", ["licensing", "late bar"]),
    ("Taxi licensing complaint", "council:licensing", ["taxi driver", "private hire"]),
    ("Street trading", "council:licensing", ["street trader", "pedlar"]),
    ("Antisocial behaviour", "council:community-safety", ["asb", "youths gathering"]),
    ("Public space CCTV", "council:community-safety", ["cctv footage", "town cameras"]),
    ("Rats and pests", "council:pest-control", ["rats", "wasp nest"]),
    ("Highway defects", "council:highways", ["pothole", "broken paving"]),
    ("Fallen tree on road", "council:highways", ["fallen tree", "tree down"]),
    ("Traffic signals failure", "council:highways", ["traffic lights out", "signals down"]),
    ("Street lighting", "council:highways", ["street light out", "lamp post"]),
    ("Road spillage", "council:highways", ["diesel spill", "oil on road"]),
    ("Surface water flooding", "council:flooding", ["flooded road", "surface water"]),
    ("Blocked culvert", "council:flooding", ["culvert", "blocked drain"]),
    ("Child protection referral", "council:childrens-front-door", ["child concern", "mash"]),
    ("Child at risk tonight", "council:childrens-front-door", ["police protection", "s46"]),
    ("Missing child from care", "council:childrens-front-door", ["missing from care"]),
    ("Adult safeguarding", "council:adult-social-care", ["adult at risk", "elder abuse"]),
    ("Care home concern", "council:adult-social-care", ["care home", "carer absent"]),
    ("Mental Health Act assessment", "council:adult-social-care", ["amhp", "section 2"]),
    ("Rogue traders", "council:trading-standards", ["doorstep crime", "rogue trader"]),
    ("Underage sales", "council:trading-standards", ["underage sale", "vape sales"]),
    ("Counterfeit goods", "council:trading-standards", ["fake goods", "counterfeit"]),
    ("Footpath obstruction", "council:rights-of-way", ["footpath blocked", "stile"]),
    ("Bridleway damage", "council:rights-of-way", ["bridleway", "byway"]),
    ("Mental health crisis", "regional:nhs-mh", ["section 136", "s136", "crisis team"]),
    ("Street triage request", "regional:nhs-mh", ["triage car", "street triage"]),
    ("Out-of-hours doctor", "regional:nhs-urgent", ["gp out of hours", "ooh gp"]),
    ("Prisoner medication", "regional:nhs-urgent", ["custody meds", "medication"]),
    ("Fire safety concern", "regional:fire", ["fire risk", "blocked fire exit"]),
    ("Hoarding fire risk", "regional:fire", ["hoarder", "hoarding"]),
    ("Burst water main", "regional:water", ["burst main", "no water"]),
    ("Sewer flooding", "regional:water", ["sewage leak", "sewer"]),
    ("Sudden death", "regional:coroner", ["coroner", "unexpected death"]),
    ("Death in custody", "regional:coroner", ["custody death"]),
    ("Gas leak", "national:gas-emergency", ["smell of gas", "gas escape"]),
    ("Carbon monoxide", "national:gas-emergency", ["co alarm", "carbon monoxide alarm"]),
    ("River pollution", "national:environment-agency", ["fish kill", "river pollution"]),
    ("Main river flooding", "national:environment-agency", ["river flooding", "flood warning"]),
    ("Animal cruelty", "national:animal-welfare", ["animal neglect", "injured animal"]),
    ("Trapped wildlife", "national:animal-welfare", ["trapped animal", "injured deer"]),
    ("Motorway incident", "national:national-highways", ["motorway", "trunk road"]),
    ("Animals on motorway", "national:national-highways", ["horse on motorway"]),
    ("Railway trespass", "national:rail-police", ["trespass on line", "railway"]),
    ("Level crossing fault", "national:rail-police", ["level crossing", "barrier stuck"]),
    ("Charging advice", "national:cps-direct", ["cps", "charging decision"]),
    ("Pre-charge bail advice", "national:cps-direct", ["bail advice", "pre-charge"]),
    ("Damp and mould in rented home", "council:housing", ["damp", "mould"]),
    ("Houses in multiple occupation", "council:housing", ["hmo", "overcrowding"]),
)

PLACE_HEADS = (
    "Ash", "Brack", "Cold", "Dun", "Elm", "Fern", "Glen", "Hol", "Ivy", "Kings", "Lang",
    "Marsh", "Nor", "Oak", "Pen", "Quar", "Red", "Stan", "Thorn", "Up", "Wal", "Whit",
    "Yar", "Bram", "Carr", "Dal", "Fair", "Hart", "Lind", "Moss", "Rook", "Sand",
)
PLACE_TAILS = (
    "ford", "moor", "bridge", "ley", "ton", "wick", "field", "bury", "dale", "holme",
    "stead", "worth", "combe", "haven", "mouth", "gate", "wood", "by", "ham", "well",
)


@dataclass
class Council:
    id: str
    name: str
    kind: str
    tier: str  # "district", "county" or "unitary"
    office: str
    services: dict[str, dict[str, object]] = field(default_factory=dict)
    closures: list[dict[str, str]] = field(default_factory=list)


def _phone(n: int, mobile: bool = False) -> str:
    return f"07700 900{n % 1000:03d}" if mobile else f"01632 960{n % 1000:03d}"


def _places(count: int, rng: random.Random) -> list[str]:
    names = [h + t for h in PLACE_HEADS for t in PLACE_TAILS]
    rng.shuffle(names)
    out = []
    for n in range(count):  # past 640 names, number them
        base = names[n % len(names)]
        out.append(base if n < len(names) else f"{base} {n // len(names) + 1}")
    return out


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


class _Builder:
    def __init__(self, areas: int, issues: int, seed: int, year: int) -> None:
        self.rng = random.Random(seed)
        self.n_areas = areas
        self.n_issues = issues
        self.year = year
        self.phone = 0
        self.agencies: dict[str, dict[str, object]] = {}
        self.areas: dict[str, dict[str, object]] = {}
        self.area_councils: dict[str, dict[str, Council]] = {}  # area → tier → council
        self.area_region: dict[str, int] = {}
        self.area_nation: dict[str, str] = {}

    def next_phone(self, mobile: bool = False) -> str:
        self.phone += 1
        return _phone(self.phone, mobile)

    def line(self, name: str, hours: str, bank_holidays: str | None, *,
             fallback: str | None = None, mobile: bool = False) -> dict[str, object]:
        svc: dict[str, object] = {"name": name, "contact": {"phone": self.next_phone(mobile)},
                                  "hours": hours}
        if bank_holidays is not None:
            svc["bank_holidays"] = bank_holidays
        if fallback:
            svc["fallback"] = fallback
        # mostly checked this autumn; one in twenty not since the spring
        month = self.rng.randint(9, 11) if self.rng.random() < 0.95 else self.rng.randint(1, 4)
        svc["verified"] = f"{self.year}-{month:02d}-{self.rng.randint(1, 20):02d}"
        return svc

    def council(self, cid: str, name: str, kind: str, tier: str) -> Council:
        rng = self.rng
        office = rng.choice(OFFICE_HOURS[:3]) if rng.random() < 0.7 else rng.choice(OFFICE_HOURS)
        council = Council(cid, name, kind, tier, office)
        if rng.random() < 0.3:  # a Christmas shutdown for every line of the council
            council.closures.append({"from": f"{self.year}-12-24", "to": f"{self.year + 1}-01-01",
                                     "reason": "Christmas and New Year shutdown"})
        wanted = [f for f in FUNCTIONS if tier == "unitary" or f[2] == tier]
        for fid, fname, _, ooh in wanted:
            has_ooh = ooh is not None and (ooh in ("edt", "highways-ooh") or rng.random() < 0.6)
            if has_ooh and ooh is not None and ooh not in council.services:
                oname, patterns, bank = OOH_LINES[ooh]
                ooh_hours = rng.choice(patterns)
                council.services[ooh] = self.line(oname, ooh_hours,
                                                  None if ooh_hours == "24/7" else bank,
                                                  mobile=ooh == "noise-patrol")
            hours = council.office if rng.random() < 0.85 else rng.choice(OFFICE_HOURS)
            bank = "closed" if rng.random() < 0.9 else rng.choice(("unknown", "10:00-14:00"))
            fallback = f"{cid}/{ooh}" if has_ooh and rng.random() < 0.5 else None
            council.services[fid] = self.line(fname, hours, bank, fallback=fallback)
            if rng.random() < 0.03:  # an office move: a few days shut
                council.services[fid]["closures"] = [{
                    "from": f"{self.year + 1}-03-0{rng.randint(2, 5)}",
                    "to": f"{self.year + 1}-03-0{rng.randint(6, 9)}", "reason": "Office move"}]
        doc: dict[str, object] = {"name": name, "kind": kind}
        if council.closures:
            doc["closures"] = council.closures
        doc["services"] = council.services
        self.agencies[cid] = doc
        return council

    def build_areas(self) -> None:
        rng = self.rng
        names = _places(self.n_areas + self.n_areas // 4 + 1, rng)
        counties = iter(names[self.n_areas:])
        n_scot = max(1, round(self.n_areas * 0.08)) if self.n_areas >= 4 else 0
        n_ni = max(1, round(self.n_areas * 0.03)) if self.n_areas >= 4 else 0
        n_wales = round(self.n_areas * 0.05)
        i = 0
        county: Council | None = None
        left_in_county = 0
        while i < self.n_areas:
            place = names[i]
            aid = _slug(place)
            nation = ("scotland" if i < n_scot else "northern-ireland" if i < n_scot + n_ni
                      else "england-and-wales")
            wales = n_scot + n_ni <= i < n_scot + n_ni + n_wales
            two_tier = nation == "england-and-wales" and not wales and rng.random() < 0.55
            area: dict[str, object] = {}
            if two_tier:
                if left_in_county <= 0 or county is None:
                    cname = next(counties) + "shire"
                    county = self.council(f"{_slug(cname)}-cc", f"{cname} County Council",
                                          "county council", "county")
                    county.name = cname
                    left_in_county = rng.randint(3, 8)
                left_in_county -= 1
                district = self.council(f"{aid}-dc", f"{place} District Council",
                                        "district council", "district")
                area["name"] = f"{place} District ({county.name})"
                area["description"] = (f"Two-tier: {district.name} and {county.name} "
                                       "County Council.")
                self.area_councils[aid] = {"district": district, "county": county}
            else:
                kind = "unitary council" if nation == "england-and-wales" else "council"
                unitary = self.council(f"{aid}-uc", f"{place} Council", kind, "unitary")
                area["name"] = f"{place} (unitary)"
                self.area_councils[aid] = {"district": unitary, "county": unitary}
            if nation != "england-and-wales":
                area["bank_holidays"] = nation
            self.areas[aid] = area
            self.area_region[aid] = i // 20
            self.area_nation[aid] = nation
            i += 1

    def build_regional(self) -> None:
        for region in sorted(set(self.area_region.values())):
            for body, (kind, lines) in REGIONAL.items():
                services = {}
                for sid, name, hours, bank in lines:
                    services[sid] = self.line(name, hours, bank)
                self.agencies[f"{body}-r{region + 1:02d}"] = {
                    "name": f"Region {region + 1} {kind}", "kind": kind, "services": services}
        for agency, name, sid, hours in NATIONAL_LINES:
            bank = None if hours == "24/7" else "09:00-17:00"
            services = {sid: self.line(name + " line", hours, bank),
                        "backup": self.line(name + " backup line", "24/7", None)}
            for nation in ("scotland", "northern-ireland"):
                services[f"{sid}-{nation}"] = self.line(f"{name} ({nation})", hours, bank)
            self.agencies[agency] = {"name": name, "kind": "national body", "services": services}
        self.agencies["police"] = {"name": "Police control", "kind": "police force", "services": {
            "control-room": self.line("Force Control Room", "24/7", None)}}

    def cover(self, area: str, how: str, rng: random.Random) -> list[str]:
        kind, _, what = how.partition(":")
        if kind == "council":
            function = next(f for f in FUNCTIONS if f[0] == what)
            council = self.area_councils[area][function[2]]
            refs = [f"{council.id}/{what}"]
            if function[3] and function[3] in council.services:
                refs.append(f"{council.id}/{function[3]}")
            region = self.area_region[area]
            extra = [f"fire-r{region + 1:02d}/control", "police/control-room",
                     f"nhs-urgent-r{region + 1:02d}/nhs-111"]
            while len(refs) < 2 or (len(refs) < 4 and rng.random() < 0.3):
                ref = rng.choice(extra)
                if ref not in refs:
                    refs.append(ref)
            return refs
        region_id = f"{what}-r{self.area_region[area] + 1:02d}"
        lines = [k for k in self.agencies[region_id]["services"]]  # type: ignore[attr-defined]
        refs = [f"{region_id}/{s}" for s in lines]
        if rng.random() < 0.3:
            refs.append("police/control-room")
        return refs

    def build_issues(self) -> dict[str, object]:
        rng = self.rng
        issues: dict[str, object] = {}
        for n in range(self.n_issues):
            # Fewer issue types than the list: take them spread out, so that a small
            # registry still has council, regional and national ones.
            pick = n * len(ISSUES) // self.n_issues if self.n_issues < len(ISSUES) else n
            title, how, aliases = ISSUES[pick % len(ISSUES)]
            if n >= len(ISSUES):
                round_ = n // len(ISSUES) + 1
                title = f"{title} ({round_})"
                aliases = [f"{a} {round_}" for a in aliases]
            issue: dict[str, object] = {"title": title, "aliases": aliases,
                                        "remit": f"Who deals with {title.lower()}."}
            kind, _, what = how.partition(":")
            if kind == "national":
                sid = next(s for a, _, s, _ in NATIONAL_LINES if a == what)
                cover: dict[str, list[str]] = {"default": [f"{what}/{sid}", f"{what}/backup"]}
                for area, nation in self.area_nation.items():
                    if nation != "england-and-wales":
                        cover[area] = [f"{what}/{sid}-{nation}", f"{what}/backup"]
            else:
                cover = {area: self.cover(area, how, rng) for area in self.areas}
            issue["cover"] = cover
            issue["fallback"] = "police/control-room"
            if rng.random() < 0.3:
                policy: dict[str, object] = {"max_gap_hours": rng.choice((0, 12, 48, 72))}
                picked = rng.sample(sorted(self.areas), k=min(3, len(self.areas)))
                policy["areas"] = {a: {"max_gap_hours": 24} for a in picked}
                issue["policy"] = policy
            issues[_slug(title)] = issue
        return issues

    def document(self) -> dict[str, object]:
        self.build_areas()
        self.build_regional()
        issues = self.build_issues()
        return {"version": 1, "name": f"Synthetic registry: {self.n_areas} areas × "
                f"{self.n_issues} issue types", "timezone": "Europe/London",
                "bank_holidays": "england-and-wales", "areas": self.areas,
                "agencies": self.agencies, "issues": issues}


def _emit(value: object, indent: int, out: list[str]) -> None:
    """Block YAML with every string JSON-quoted (valid YAML, no 1.1 surprises); short
    lists of strings in flow style, as people write cover lists."""
    pad = "  " * indent
    assert isinstance(value, dict)
    for key, item in value.items():
        if isinstance(item, dict):
            out.append(f"{pad}{key}:")
            _emit(item, indent + 1, out)
        elif isinstance(item, list) and all(isinstance(x, str) for x in item):
            out.append(f"{pad}{key}: [{', '.join(json.dumps(x) for x in item)}]")
        elif isinstance(item, list):
            out.append(f"{pad}{key}:")
            for entry in item:
                assert isinstance(entry, dict)
                lines: list[str] = []
                _emit(entry, indent + 2, lines)
                first = lines[0].lstrip()
                out.append(f"{pad}  - {first}")
                out.extend(lines[1:])
        elif isinstance(item, str):
            out.append(f"{pad}{key}: {json.dumps(item, ensure_ascii=False)}")
        else:
            out.append(f"{pad}{key}: {item}")


def generate(areas: int = NATIONAL[0], issues: int = NATIONAL[1], *, seed: int = 1,
             year: int = 2026) -> str:
    """A registry's YAML text with `areas` areas and `issues` issue types."""
    if areas < 1 or issues < 1:
        raise ValueError("a registry needs at least one area and one issue type")
    doc = _Builder(areas, issues, seed, year).document()
    out: list[str] = [f"# Generated by benchmarks/generate.py --areas {areas} --issues {issues} "
                      f"--seed {seed}"]
    _emit(doc, 0, out)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=NATIONAL[0])
    parser.add_argument("--issues", type=int, default=NATIONAL[1])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026, help="year of dated closures")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    text = generate(args.areas, args.issues, seed=args.seed, year=args.year)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
