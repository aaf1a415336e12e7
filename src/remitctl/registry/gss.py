"""GSS codes on areas (`gss:`): the councils an area stands for, as ONS names them.

One rule, here: which code shapes an area may list (a council's, of the kinds ONSPD
gives a postcode), no code twice, no code in two areas. The loader calls `check_gss`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# Council codes a postcode resolves to in ONSPD: district tier first, then county.
DISTRICT_KINDS = {
    "E06": "unitary authority", "E07": "non-metropolitan district",
    "E08": "metropolitan district", "E09": "London borough",
    "W06": "Welsh principal area", "S12": "Scottish council area",
    "N09": "Northern Irish district",
}
COUNTY_KINDS = {"E10": "county"}
GSS_PATTERN = r"^(E0[6-9]|E10|W06|S12|N09)[0-9]{6}$"
NO_COUNTY = "E99999999"  # ONSPD's "not in a two-tier county"
_SHAPE = re.compile(r"^[A-Z][0-9]{8}$")
_OTHER_KINDS = {"E05": "an electoral ward", "E11": "a metropolitan county",
                "E12": "a region", "E14": "a Westminster constituency",
                "E92": "a country", "W92": "a country", "S92": "a country",
                "N92": "a country"}
_TAKES = "E06, E07, E08, E09 (districts and unitaries), E10 (counties), W06, S12 or N09"


def tier(code: str) -> int:
    """0 for the district or unitary tier, 1 for a county."""
    return 1 if code[:3] in COUNTY_KINDS else 0


def shape_problem(code: str) -> tuple[str, str] | None:
    """What is wrong with one code's shape, and what to do; None when it is a council's."""
    if re.fullmatch(GSS_PATTERN, code):
        return None
    if _SHAPE.fullmatch(code.strip().upper()) and code != code.strip().upper():
        return (f"GSS code {code!r} must be written in capitals with no spaces",
                f"write {code.strip().upper()}")
    if code == NO_COUNTY:
        return (f"{code} is ONSPD's code for 'no county', not a council",
                "list the district's or unitary's code instead")
    if _SHAPE.fullmatch(code):
        what = _OTHER_KINDS.get(code[:3], f"not a council (prefix {code[:3]})")
        return f"GSS code {code} is {what}, not a council", f"gss: takes {_TAKES} codes"
    return (f"{code!r} is not a GSS code (a capital letter and 8 digits, e.g. E07000136)",
            f"gss: takes {_TAKES} codes, as ONS publishes them")


Error = Callable[..., None]


def check_gss(areas: Mapping[str, Any], error: Error) -> None:
    """Report bad shapes, repeats and codes claimed by two areas, each at its own item."""
    owner: dict[str, str] = {}
    for area_id, area in areas.items():
        seen: set[str] = set()
        for i, code in enumerate(area.gss):
            loc = ("areas", area_id, "gss", i)
            problem = shape_problem(code)
            if problem is not None:
                error(loc, f"area {area_id} gss[{i + 1}]: {problem[0]}", problem[1], code="gss")
                continue
            if code in seen:
                error(loc, f"area {area_id} lists GSS code {code} twice",
                      "remove the repeat", code="gss")
                continue
            seen.add(code)
            if code in owner:
                error(loc, f"GSS code {code} is listed by two areas: {owner[code]} and "
                      f"{area_id}", "a council's code belongs to one area; remove it from "
                      "one of them", code="gss")
                continue
            owner[code] = area_id
