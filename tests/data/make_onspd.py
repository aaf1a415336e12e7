"""Write the small synthetic ONSPD files in tests/data/, in the layouts ONS publishes.

Every postcode and code is fictional, in the real format (council codes numbered 99x,
which ONS has not issued); they match the bundled remits.yaml's `gss:` codes. Run it
again after changing it: `python tests/data/make_onspd.py`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NORTH_MOOR, BRACKENFORD, KINGSBRIDGE = "E07000990", "E07000991", "E06000990"
WYVERNSHIRE = "E10000990"
ENGLAND, WALES, SCOTLAND, NI = "E92000001", "W92000004", "S92000003", "N92000002"

# postcode, terminated (YYYYMM), county, district, country, easting, northing, grid
PLACES = [
    ("LN2 5AB", "", WYVERNSHIRE, NORTH_MOOR, ENGLAND, 498000, 372000, "1"),
    ("LN2 5AD", "", WYVERNSHIRE, NORTH_MOOR, ENGLAND, 498100, 372100, "1"),
    ("LN2 6XY", "201906", WYVERNSHIRE, NORTH_MOOR, ENGLAND, 498200, 372200, "1"),
    ("LN2 7QQ", "", WYVERNSHIRE, BRACKENFORD, ENGLAND, 499000, 371000, "1"),
    ("LN3 1AA", "", WYVERNSHIRE, BRACKENFORD, ENGLAND, 505000, 371000, "1"),
    ("KB1 1AA", "", "E99999999", KINGSBRIDGE, ENGLAND, 480000, 360000, "1"),
    ("KB1 2BB", "", "E99999999", KINGSBRIDGE, ENGLAND, 480500, 360500, "1"),
    ("CF10 1AA", "", "W99999999", "W06000990", WALES, 318000, 176000, "1"),
    ("EH1 1AA", "", "S99999999", "S12000990", SCOTLAND, 325000, 673000, "1"),
    ("BT1 1AA", "", "N99999999", "N09000990", NI, 146000, 530000, "1"),
    ("SW1A 1AA", "", "E99999999", "E09000033", ENGLAND, 529000, 179000, "1"),
    ("ZE9 9ZZ", "", "S99999999", "S12000990", SCOTLAND, "", "", "9"),
]
OLD = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "ced", "oslaua", "osward",
       "parish", "usertype", "oseast1m", "osnrth1m", "osgrdind", "oshlthau", "nhser",
       "ctry", "rgn", "pcon", "lat", "long"]
NEW = ["pcd7", "pcd8", "pcds", "dointr", "doterm", "usrtypind", "east1m", "north1m",
       "gridind", "oa21cd", "cty26cd", "ced26cd", "lad26cd", "wd26cd", "nhser24cd",
       "ctry26cd", "rgn25cd", "pcon24cd", "lat", "long"]


def _row(names: list[str], p: tuple[object, ...]) -> list[str]:
    pc, ended, county, district, country, east, north, grid = p
    compact = str(pc).replace(" ", "")
    seven, eight = f"{compact[:-3]:<4}{compact[-3:]}", f"{compact[:-3]:<5}{compact[-3:]}"
    values = {"pcd": seven, "pcd7": seven, "pcd2": eight, "pcd8": eight,
              "pcds": pc, "dointr": "198001", "doterm": ended, "oscty": county,
              "cty26cd": county, "oslaua": district, "lad26cd": district, "ctry": country,
              "ctry26cd": country, "oseast1m": east, "east1m": east, "osnrth1m": north,
              "north1m": north, "osgrdind": grid, "gridind": grid, "usertype": "0",
              "usrtypind": "0", "lat": "53.2", "long": "-0.5"}
    return [str(values.get(n, "")) for n in names]


def _csv(names: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(names)
    w.writerows(rows)
    return out.getvalue().encode()


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2024, 2, 1, 0, 0, 0)), data,
                        zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("Documents/README.txt", (2024, 2, 1, 0, 0, 0)),
                    b"Synthetic ONSPD for remitctl's tests.\n")


def main() -> None:
    # Old names, split by postcode area as ONS does, with bad rows among them.
    by_area: dict[str, list[list[str]]] = {}
    for p in PLACES:
        area = "".join(ch for ch in str(p[0]).split(" ")[0] if ch.isalpha())
        by_area.setdefault(area, []).append(_row(OLD, p))
    by_area["LN"].append(_row(OLD, PLACES[0])[:6])  # missing columns
    by_area["LN"].append(_row(OLD, ("LN4 1AA", "", WYVERNSHIRE, "X12345678", ENGLAND,
                                    1, 1, "1")))  # unknown district code
    _zip(HERE / "ONSPD_FEB_2024_UK.zip",
         {f"Data/multi_csv/ONSPD_FEB_2024_UK_{a}.csv": _csv(OLD, rows)
          for a, rows in sorted(by_area.items())})
    new = _csv(NEW, [_row(NEW, p) for p in PLACES])
    (HERE / "ONSPD_AUG_2026_UK.csv").write_bytes(new)
    _zip(HERE / "ONSPD_AUG_2026_UK.zip", {"Data/ONSPD_AUG_2026_UK.csv": new})
    whole = (HERE / "ONSPD_AUG_2026_UK.zip").read_bytes()
    (HERE / "ONSPD_broken.zip").write_bytes(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
