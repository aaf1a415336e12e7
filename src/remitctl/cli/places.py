"""`remitctl places load|info`, and `--postcode` (or a postcode in `-a`) for the lookups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from remitctl.cli.options import RegistryOpt
from remitctl.cli.session import err, open_registry, print_json, usage_error, write_out

if TYPE_CHECKING:
    from rich.console import RenderableType

    from remitctl.places.resolve import Place
    from remitctl.registry.model import Issue, Registry

PlacesOpt = Annotated[
    Path | None,
    typer.Option("--places", help="Places file (default: $REMITCTL_PLACES, else "
                 "places.sqlite3 beside the log store).", show_default=False),
]
PostcodeOpt = Annotated[
    str | None,
    typer.Option("--postcode", "-p", help="A postcode (any case and spacing: 'LN2 5AB', "
                 "ln25ab) or a postcode district (LN2), instead of --area; needs "
                 "`remitctl places load` once.", show_default=False),
]

app = typer.Typer(help="Postcodes to councils: load the ONS Postcode Directory, see what "
                  "is loaded.", no_args_is_help=True)


def _path(option: Path | None) -> Path:
    from remitctl.places.store import default_path

    return option if option is not None else default_path()


@app.command()
def load(
    file: Annotated[Path, typer.Argument(help="ONSPD as ONS publishes it: the zip, or a CSV "
                                         "from it.", show_default=False)],
    only_registry: Annotated[bool, typer.Option(
        "--only-registry", help="Keep only postcodes whose district or county an area of "
        "the registry lists (gss:).")] = False,
    places: PlacesOpt = None,
    registry: RegistryOpt = None,
) -> None:
    """Load the ONS Postcode Directory (ONSPD) into the local places file, in one pass;
    the file is replaced only when the load succeeds.

    Example: remitctl places load ONSPD_AUG_2026_UK.zip --only-registry
    """
    from remitctl.places.onspd import ATTRIBUTION, LPS_NOTICE
    from remitctl.places.onspd import load as load_onspd
    from remitctl.places.store import PlacesError

    if not file.is_file():
        usage_error(f"{file}: no such file", "give the ONSPD zip or a CSV from it")
    keep = None
    if only_registry:
        reg = open_registry(registry).registry
        codes = {code for a in reg.areas.values() for code in a.gss}
        if not codes:
            usage_error("--only-registry: no area of the registry lists gss: codes",
                        "add each area's council codes under gss:, or leave out "
                        "--only-registry")
        keep = lambda row: row.district in codes or row.county in codes  # noqa: E731
    target = _path(places)
    try:
        report = load_onspd(file, target, keep)
    except PlacesError as exc:
        usage_error(str(exc), exc.hint)
    for line in report.rejections:
        err(f"{line} (rejected)")
    if report.rejected > len(report.rejections):
        err(f"… and {report.rejected - len(report.rejections)} more rejected rows")
    kept = f", {report.skipped} outside the registry left out" if only_registry else ""
    write_out(f"Loaded {report.loaded} postcodes ({report.terminated} terminated) from "
              f"{file.name}: {report.edition}, {'; '.join(report.names)}; "
              f"{report.rejected} rows rejected{kept}\ninto {target}\n{ATTRIBUTION}\n")
    if report.northern_ireland:
        err(LPS_NOTICE)


@app.command()
def info(places: PlacesOpt = None,
         json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """What is loaded: edition, when, how many postcodes, and the attribution to show.

    Example: remitctl places info
    """
    from remitctl.places.store import PlacesError, meta, open_read

    path = _path(places)
    try:
        data = meta(open_read(path))
    except PlacesError as exc:
        usage_error(str(exc), exc.hint)
    data.pop("schema", None)
    if json:
        print_json({"schema": "remitctl/places/v1", "path": str(path), **data})
        return
    lines = [f"{key}: {data[key]}" for key in ("edition", "names", "source", "loaded",
                                               "postcodes", "attribution", "northern_ireland")
             if key in data]
    write_out(f"places: {path}\n" + "\n".join(lines) + "\n")


def read_place(postcode: str | None, area: str | list[str] | None, reg: Registry,
               places: Path | None = None) -> Place | None:
    """The place asked for by --postcode, or by a full postcode given as -a (when no area
    has that id or name); None when the question is by area."""
    from remitctl.places.postcode import normal

    given = postcode is not None
    if postcode is None:
        one = area if isinstance(area, str) else (area[0] if area and len(area) == 1 else None)
        if one is None or normal(one) is None or one in reg.areas:
            return None
        postcode = one
    from remitctl.places.resolve import resolve
    from remitctl.places.store import PlacesError, open_read

    try:
        place = resolve(open_read(_path(places)), reg, postcode)
    except PlacesError as exc:
        usage_error(str(exc), exc.hint)
    named = ", ".join(area) if isinstance(area, list) else (area or "")
    if given and named.strip():  # both asked for: say which one answers
        import os

        from remitctl.cli.session import err

        source = (f"REMITCTL_AREA={named.strip()}" if os.environ.get("REMITCTL_AREA") == named
                  else f"--area {named.strip()}")
        err(f"remitctl: {source} not used: --postcode {postcode.strip()} gives the area")
    return place


def place_area(place: Place, issue: Issue, reg: Registry) -> tuple[Registry, str]:
    """The one area a record is for (`log`): a postcode district spanning two is refused."""
    areas = place.areas_for(issue)
    if len(areas) > 1:
        usage_error(f"postcode district {place.asked} could be any of: "
                    + ", ".join(areas), "give the full postcode, or --area")
    err(place_line(place, reg))
    return place.with_nation(reg), areas[0]


def place_view(place: Place | None, reg: Registry, body: RenderableType) -> RenderableType:
    """The answer, headed by the postcode and the councils it resolved to."""
    if place is None:
        return body
    from rich.console import Group
    from rich.text import Text

    return Group(Text(place_line(place, reg)), body)


def place_json(place: Place) -> dict[str, object]:
    return {
        "postcode": place.asked,
        "postcode_district_only": place.district_only,
        "terminated": place.ended,
        "country": place.country,
        "councils": [{"code": c.code, "area": c.area} for c in place.councils],
        "areas": place.all_areas(),
        "edition": place.edition,
    }


def place_line(place: Place, reg: Registry) -> str:
    """'Postcode LN2 5AB: North Moor District (Wyvernshire) [E07000990] ...' in words."""
    def council(c: object) -> str:
        from remitctl.places.resolve import Council

        assert isinstance(c, Council)
        from remitctl.registry.gss import tier

        kind = "county" if tier(c.code) else "council"
        where = reg.areas[c.area].name if c.area else "(no area of its own in the registry)"
        return f"{kind} {c.code} {where}"

    councils = "; ".join(council(c) for c in place.councils)
    if place.district_only:
        names = "; ".join(" + ".join(f"{reg.areas[a].name} [{_codes(reg, a)}]"
                                     for a in choice) for choice in place.choices)
        return f"Postcode district {place.asked} could be any of: {names}"
    ended = (f"; it ended {place.ended} (terminated), so these are its last councils"
             if place.ended else "")
    return f"Postcode {place.asked}: {councils}{ended}"


def _codes(reg: Registry, area: str) -> str:
    return ", ".join(reg.areas[area].gss)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="places")
