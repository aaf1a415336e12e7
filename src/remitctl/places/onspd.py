"""Read the ONS Postcode Directory as ONS publishes it, in one streaming pass.

A zip with CSV members under `Data/multi_csv/` (or the single CSV in `Data/`), or a CSV
taken out of it. Columns are found by pattern (columns.py); each bad row is rejected with
its file and line, counted, never fatal. Memory stays bounded: rows go to SQLite in
batches, and only a small summary per postcode district (a few thousand) is kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from remitctl.places.columns import ColumnError, Header, read_header
from remitctl.places.postcode import normal
from remitctl.places.store import PlacesError, Row, Writer
from remitctl.registry.gss import COUNTY_KINDS, DISTRICT_KINDS, NO_COUNTY

ATTRIBUTION = ("Contains OS data © Crown copyright and database right; Contains Royal Mail "
               "data © Royal Mail copyright and database right; Source: Office for National "
               "Statistics licensed under the Open Government Licence v.3.0")
LPS_NOTICE = ("Northern Ireland (BT) postcodes were loaded: they are Land and Property "
              "Services data, used under LPS's own terms (see the ONSPD user guide), not "
              "the Open Government Licence alone. Contains LPS Intellectual Property © Crown "
              "copyright and database right.")
COUNTRIES = {"E92000001": "E", "W92000004": "W", "S92000003": "S", "N92000002": "N"}
NONE_CODES = {"", NO_COUNTY, "W99999999", "S99999999", "N99999999"}
SHOWN_REJECTIONS = 10


@dataclass
class _Outward:
    east: int = 0
    north: int = 0
    located: int = 0
    country: str = ""
    councils: set[str] = field(default_factory=set)


@dataclass
class LoadReport:
    edition: str
    names: list[str] = field(default_factory=list)  # "2026 names: lad26cd, ..." per header
    loaded: int = 0
    terminated: int = 0
    skipped: int = 0  # --only-registry: outside the registry's codes
    rejected: int = 0
    rejections: list[str] = field(default_factory=list)  # the first few, FILE:LINE: why
    northern_ireland: int = 0


def edition_of(path: Path) -> str:
    m = re.search(r"ONSPD_([A-Z]{3})_(\d{4})", path.name.upper())
    return f"ONSPD {m.group(1)} {m.group(2)}" if m else f"unknown edition ({path.name})"


def _sources(path: Path) -> Iterator[tuple[str, IO[str]]]:
    """(label, text stream) for each CSV to read, in order."""
    with path.open("rb") as raw:
        head = raw.read(4)
    if head[:2] != b"PK":
        with path.open(encoding="utf-8-sig", newline="") as text:
            yield path.name, text
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PlacesError(f"{path.name}: not a readable zip ({exc})",
                          "download the ONSPD zip again") from None
    with zf:
        names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
        multi = sorted(n for n in names if "/multi_csv/" in f"/{n.lower()}")
        single = [n for n in names if re.fullmatch(r"(.*/)?data/[^/]+\.csv", n.lower())]
        members = multi or single or (names if len(names) == 1 else [])
        if not members:
            raise PlacesError(f"{path.name}: no ONSPD CSV in this zip (looked for "
                              "Data/multi_csv/*.csv and Data/*.csv)",
                              "give the ONSPD zip as ONS publishes it, or the CSV from it")
        for member in members:
            with zf.open(member) as binary:
                yield f"{path.name}:{member}", io.TextIOWrapper(binary, encoding="utf-8-sig",
                                                                newline="")


def _row(cells: list[str], h: Header) -> Row | str:
    """A row to keep, or why it is rejected."""
    last = max(h.index.values())
    if len(cells) <= last:
        return f"missing columns ({len(cells)} of at least {last + 1})"
    get = {f: cells[i].strip() for f, i in h.index.items()}
    pc = normal(get["postcode"])
    if pc is None:
        return f"{get['postcode']!r} is not a postcode"
    district = get["district"].upper()
    if district[:3] not in DISTRICT_KINDS or not re.fullmatch(r"[A-Z]\d{8}", district):
        return f"{pc}: unknown district code {district!r}"
    county: str | None = get["county"].upper()
    if county in NONE_CODES:
        county = None
    elif county is None or county[:3] not in COUNTY_KINDS or not re.fullmatch(r"E\d{8}", county):
        return f"{pc}: unknown county code {get['county']!r}"
    country = COUNTRIES.get(get["country"].upper())
    if country is None:
        return f"{pc}: unknown country code {get['country']!r}"
    ended = get["terminated"] or None
    if ended is not None and not re.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])", ended):
        return f"{pc}: doterm {ended!r} is not a year and month (YYYYMM)"
    east = north = None
    if get.get("grid", "1") != "9" and get.get("easting", "").isdigit() \
            and get.get("northing", "").isdigit():
        east, north = int(get["easting"]), int(get["northing"])
    return Row(pc, district, county, country, ended, east, north)


def load(path: Path, target: Path, keep: Callable[[Row], bool] | None = None,
         today: dt.date | None = None) -> LoadReport:
    """Read ONSPD at `path` into a new places file at `target` (replaced only on success)."""
    report = LoadReport(edition_of(path))
    outwards: dict[str, _Outward] = {}
    writer = Writer(target)
    try:
        for label, stream in _sources(path):
            _read_one(label, stream, writer, report, outwards, keep)
        if report.loaded == 0:
            raise PlacesError(f"{path.name}: no postcodes loaded ({report.rejected} rows "
                              f"rejected, {report.skipped} outside the registry)",
                              "check that this is the ONS Postcode Directory")
        info = {"edition": report.edition, "names": "; ".join(report.names),
                "loaded": (today or dt.date.today()).isoformat(), "source": path.name,
                "postcodes": str(report.loaded), "attribution": ATTRIBUTION}
        if report.northern_ireland:
            info["northern_ireland"] = LPS_NOTICE
        writer.commit(info, [(code, o.east // o.located if o.located else None,
                              o.north // o.located if o.located else None, o.country,
                              ",".join(sorted(o.councils)))
                             for code, o in sorted(outwards.items())])
    except zipfile.BadZipFile as exc:
        writer.abandon()
        raise PlacesError(f"{path.name}: the zip is damaged ({exc})",
                          "download the ONSPD zip again") from None
    except UnicodeDecodeError:
        writer.abandon()
        raise PlacesError(f"{path.name}: not a UTF-8 CSV file",
                          "give the ONSPD zip or a CSV from it") from None
    except OSError as exc:
        writer.abandon()
        raise PlacesError(f"{path.name}: {exc.strerror or exc}") from None
    except BaseException:
        writer.abandon()
        raise
    return report


def _read_one(label: str, stream: IO[str], writer: Writer, report: LoadReport,
              outwards: dict[str, _Outward], keep: Callable[[Row], bool] | None) -> None:
    reader = csv.reader(stream)
    try:
        first = next(reader, None)
        if first is None:
            return
        header = read_header(first)
    except (ColumnError, csv.Error) as exc:
        raise PlacesError(f"{label}:1: not an ONSPD header: {exc}",
                          "give the ONS Postcode Directory (its CSV has a header row)") from None
    if header.edition_names not in report.names:
        report.names.append(header.edition_names)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            _reject(report, f"{label}:{reader.line_num}: {exc}")
            continue
        if not any(c.strip() for c in cells):
            continue
        got = _row(cells, header)
        if isinstance(got, str):
            _reject(report, f"{label}:{reader.line_num}: {got}")
            continue
        if keep is not None and not keep(got):
            report.skipped += 1
            continue
        writer.add(got)
        report.loaded += 1
        report.terminated += got.terminated is not None
        report.northern_ireland += got.country == "N"
        o = outwards.setdefault(got.pc.split(" ")[0], _Outward(country=got.country))
        if got.terminated is None:
            o.councils.add(f"{got.district} {got.county or ''}".strip())
        if got.east is not None and got.north is not None:
            o.east += got.east
            o.north += got.north
            o.located += 1


def _reject(report: LoadReport, why: str) -> None:
    report.rejected += 1
    if len(report.rejections) < SHOWN_REJECTIONS:
        report.rejections.append(why)
