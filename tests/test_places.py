"""Ask by place: `places load` reads ONSPD (tests/data/, made by make_onspd.py), and a
postcode in who/now/gaps/log resolves to the registry areas that list its councils."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from remitctl.places.columns import ColumnError, read_header

DATA = Path(__file__).resolve().parent / "data"
BUNDLED = DATA.parent.parent / "remits.yaml"
OLD_ZIP, NEW_CSV = DATA / "ONSPD_FEB_2024_UK.zip", DATA / "ONSPD_AUG_2026_UK.csv"
NEW_ZIP, BROKEN = DATA / "ONSPD_AUG_2026_UK.zip", DATA / "ONSPD_broken.zip"
ATTRIBUTION = ("Contains OS data © Crown copyright and database right; Contains Royal Mail "
               "data © Royal Mail copyright and database right; Source: Office for National "
               "Statistics licensed under the Open Government Licence v.3.0\n")
LN2_5AB = ("Postcode LN2 5AB: council E07000990 North Moor District (Wyvernshire); county "
           "E10000990 (no area of its own in the registry)\n")
Invoke = Callable[..., object]

# A two-tier registry with the county as an area of its own, and areas in every nation.
TIERS = """\
version: 1
name: Tiers
timezone: Europe/London
bank_holidays: england-and-wales
areas:
  wyvern: {name: Wyvernshire County, gss: [E10000990]}
  moor: {name: North Moor, gss: [E07000990]}
  brack: {name: Brackenford, gss: [E07000991]}
  wales: {name: Cardiff, gss: [W06000990]}
  scot: {name: Edinburgh, gss: [S12000990]}
  ni: {name: Belfast, gss: [N09000990]}
agencies:
  police:
    name: Police
    services:
      control: {name: Control room, contact: {phone: "01632 960000"}, hours: "24/7"}
  county:
    name: County Council
    services:
      highways: {name: Highways, contact: {phone: "01632 960200"}, hours: "24/7"}
  district:
    name: District Council
    services:
      warden:
        name: Dog Warden
        contact: {phone: "01632 960300"}
        hours: "Mo-Fr 09:00-17:00"
        bank_holidays: closed
issues:
  pothole:
    title: Pothole
    cover: {wyvern: [county/highways], default: []}
    fallback: police/control
  dogs:
    title: Stray dog
    aliases: [stray dog]
    cover: {moor: [district/warden], brack: [district/warden], wales: [district/warden],
            scot: [district/warden], ni: [district/warden], default: []}
    fallback: police/control
"""


@pytest.fixture(autouse=True)
def _places_env(monkeypatch: pytest.MonkeyPatch, clock: Callable[[str], None],
                tmp_path: Path) -> None:
    monkeypatch.delenv("REMITCTL_PLACES", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # the place line whole
    shutil.copy(BUNDLED, tmp_path / "remits.yaml")  # ./remits.yaml: no notice on stderr
    clock("2026-12-07T08:00")


def _places(tmp_path: Path) -> Path:
    return tmp_path / "data-home" / "remitctl" / "places.sqlite3"


@pytest.fixture
def loaded(invoke: Invoke, tmp_path: Path) -> Path:
    result = invoke("places", "load", str(NEW_CSV))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return _places(tmp_path)


@pytest.fixture
def tiers(write_registry: Callable[[str, str], Path]) -> Path:
    return write_registry(TIERS, "tiers.yaml")


def test_load_the_zip_as_ons_publishes_it_with_old_names(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("places", "load", str(OLD_ZIP))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout == (  # type: ignore[attr-defined]
        "Loaded 12 postcodes (1 terminated) from ONSPD_FEB_2024_UK.zip: ONSPD FEB 2024, "
        "pre-2025 names: oslaua, oscty, ctry; 2 rows rejected\n"
        f"into {_places(tmp_path)}\n" + ATTRIBUTION)
    member = "ONSPD_FEB_2024_UK.zip:Data/multi_csv/ONSPD_FEB_2024_UK_LN.csv"
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"{member}:7: missing columns (6 of at least 17) (rejected)",
        f"{member}:8: LN4 1AA: unknown district code 'X12345678' (rejected)",
        "Northern Ireland (BT) postcodes were loaded: they are Land and Property Services "
        "data, used under LPS's own terms (see the ONSPD user guide), not the Open "
        "Government Licence alone. Contains LPS Intellectual Property © Crown copyright and "
        "database right."]
    assert stat.S_IMODE(os.stat(_places(tmp_path)).st_mode) == 0o600


@pytest.mark.parametrize("source", [NEW_CSV, NEW_ZIP])
def test_load_2026_names_from_the_csv_or_its_zip(invoke: Invoke, source: Path) -> None:
    result = invoke("places", "load", str(source))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.splitlines()[0] == (  # type: ignore[attr-defined]
        f"Loaded 12 postcodes (1 terminated) from {source.name}: ONSPD AUG 2026, "
        "2026 names: lad26cd, cty26cd, ctry26cd; 0 rows rejected")
    info = invoke("places", "info", "--json")
    doc = json.loads(info.stdout)  # type: ignore[attr-defined]
    assert (doc["edition"], doc["postcodes"], doc["loaded"]) == ("ONSPD AUG 2026", "12",
                                                                 doc["loaded"])
    assert doc["attribution"] + "\n" == ATTRIBUTION
    assert "Land and Property Services" in doc["northern_ireland"]


def test_only_registry_keeps_the_registrys_councils(invoke: Invoke) -> None:
    result = invoke("places", "load", str(NEW_CSV), "--only-registry")
    assert result.stdout.splitlines()[0].endswith(  # type: ignore[attr-defined]
        "0 rows rejected, 5 outside the registry left out")
    assert "7 postcodes" in result.stdout  # type: ignore[attr-defined]
    assert "Northern Ireland" not in result.stderr  # type: ignore[attr-defined]  # no BT kept


def test_newest_column_names_win_and_missing_ones_are_named() -> None:
    header = read_header(["pcds", "doterm", "lad25cd", "lad26cd", "cty26cd", "ctry26cd"])
    assert header.index["district"] == 3
    assert header.edition_names == "2026 names: lad26cd, cty26cd, ctry26cd"
    with pytest.raises(ColumnError, match=r"no district column \(ladNNcd or oslaua\)"):
        read_header(["pcds", "doterm", "cty26cd", "ctry26cd"])


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(BROKEN.read_bytes()),
     "remitctl: error: bad.zip: not a readable zip (File is not a zip file)"),
    (lambda p: p.write_text("name,phone\nx,1\n"),
     "remitctl: error: bad.zip:1: not an ONSPD header: no postcode column (pcds)"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00bad"),
     "remitctl: error: bad.zip: not a UTF-8 CSV file"),
])
def test_a_wrong_file_is_one_line_and_leaves_the_old_data(
        invoke: Invoke, loaded: Path, tmp_path: Path, make: Callable[[Path], object],
        message: str) -> None:
    bad = tmp_path / "bad.zip"
    make(bad)
    before = loaded.read_bytes()
    result = invoke("places", "load", str(bad))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.splitlines()[0] == message  # type: ignore[attr-defined]
    assert loaded.read_bytes() == before
    assert sorted(p.name for p in loaded.parent.iterdir()) == ["places.sqlite3"]


def test_the_places_file_is_never_written_through_a_link(invoke: Invoke, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("keep")
    link = tmp_path / "places.sqlite3"
    link.symlink_to(elsewhere)
    result = invoke("places", "load", str(NEW_CSV), "--places", str(link))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "is a symbolic link; refusing to replace it" in result.stderr  # type: ignore[attr-defined]
    assert elsewhere.read_text() == "keep"


def test_two_tier_postcode_names_district_warden(invoke: Invoke, loaded: Path) -> None:
    result = invoke("who", "stray", "dog", "--postcode", "LN2 5AB", "-s", "-t", "10:00")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout == LN2_5AB + (  # type: ignore[attr-defined]
        "Stray and dangerous dogs at Mon 07 Dec 10:00 GMT (in 2 h)\n"
        "north-moor  COVERED   Dog Warden  01632 960310  until 17:00\n")
    full = invoke("who", "pothole", "--postcode", "LN2 5AB", "-t", "10:00")
    assert "ring            Wyvernshire County Council · Highways Customer Contact" in (
        full.stdout)  # type: ignore[attr-defined]


def test_a_postcode_and_an_area_say_which_answers(invoke: Invoke, loaded: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke("who", "noise", "--postcode", "LN2 5AB", "-a", "kingsbridge", "-s",
                    "-t", "10:00")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.splitlines()[0] + "\n" == LN2_5AB  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        "remitctl: --area kingsbridge not used: --postcode LN2 5AB gives the area"]
    monkeypatch.setenv("REMITCTL_AREA", "kingsbridge")
    result = invoke("now", "--postcode", "LN2 5AB", "-t", "10:00")
    assert "remitctl: REMITCTL_AREA=kingsbridge not used: --postcode LN2 5AB gives the " \
        "area" in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("args", [["-p", "ln25ab"], ["--postcode", " LN2  5ab "],
                                  ["-a", "LN25AB"], ["-a", "ln2 5ab"]])
def test_any_case_and_spacing_and_a_postcode_in_area(invoke: Invoke, loaded: Path,
                                                     args: list[str]) -> None:
    result = invoke("who", "noise", *args, "-s", "-t", "10:00")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.splitlines()[0] + "\n" == LN2_5AB  # type: ignore[attr-defined]


def test_county_and_district_areas_each_answer_their_issues(invoke: Invoke, loaded: Path,
                                                            tiers: Path) -> None:
    head = ("Postcode LN2 5AB: council E07000990 North Moor; county E10000990 Wyvernshire "
            "County\n")
    dogs = invoke("who", "stray", "dog", "-r", str(tiers), "-p", "LN2 5AB", "-s", "-t", "10:00")
    assert dogs.stdout == head + (  # type: ignore[attr-defined]
        "Stray dog at Mon 07 Dec 10:00 GMT (in 2 h)\n"
        "moor  COVERED   Dog Warden  01632 960300  until 17:00\n")
    holes = invoke("who", "pothole", "-r", str(tiers), "-p", "LN2 5AB", "-s", "-t", "10:00")
    assert holes.stdout == head + (  # type: ignore[attr-defined]
        "Pothole at Mon 07 Dec 10:00 GMT (in 2 h)\n"
        "wyvern  COVERED   Highways  01632 960200  no change in 5 weeks\n")
    doc = json.loads(invoke("who", "pothole", "-r", str(tiers), "-p", "LN2 5AB",
                            "--json").stdout)  # type: ignore[attr-defined]
    assert doc["place"] == {
        "postcode": "LN2 5AB", "postcode_district_only": False, "terminated": None,
        "country": "E", "areas": ["moor", "wyvern"], "edition": "ONSPD AUG 2026",
        "councils": [{"code": "E07000990", "area": "moor"},
                     {"code": "E10000990", "area": "wyvern"}]}
    assert [a["area"]["id"] for a in doc["answers"]] == ["wyvern"]


def test_a_postcode_district_could_be_any_of(invoke: Invoke, loaded: Path) -> None:
    result = invoke("who", "noise", "-p", "ln2", "-s", "-t", "10:00")
    assert result.stdout.splitlines()[:2] == [  # type: ignore[attr-defined]
        "Postcode district LN2 could be any of: North Moor District (Wyvernshire) "
        "[E07000990]; Brackenford District (Wyvernshire) [E07000991]",
        "Noise nuisance at Mon 07 Dec 10:00 GMT (in 2 h)"]
    assert [line.split()[0] for line in result.stdout.splitlines()[2:]] == [  # type: ignore[attr-defined]
        "north-moor", "brackenford"]


def test_a_terminated_postcode_answers_with_its_last_councils(invoke: Invoke,
                                                             loaded: Path) -> None:
    result = invoke("who", "noise", "-p", "LN2 6XY", "-s", "-t", "10:00")
    assert result.stdout.splitlines()[0] == (  # type: ignore[attr-defined]
        "Postcode LN2 6XY: council E07000990 North Moor District (Wyvernshire); county "
        "E10000990 (no area of its own in the registry); it ended 2019-06 (terminated), so "
        "these are its last councils")
    doc = json.loads(invoke("who", "noise", "-p", "LN2 6XY", "--json").stdout)  # type: ignore[attr-defined]
    assert doc["place"]["terminated"] == "2019-06"


@pytest.mark.parametrize(("postcode", "lines"), [
    ("LN2 9ZZ", ["remitctl: error: postcode LN2 9ZZ is not in the places data (ONSPD AUG 2026)",
                 "  hint: nearest known postcode district: LN2; check the postcode"]),
    ("LN9 9ZZ", ["remitctl: error: postcode LN9 9ZZ is not in the places data (ONSPD AUG 2026)",
                 "  hint: nearest known postcode district: LN3; check the postcode"]),
    ("SW1A 1AA", ["remitctl: error: postcode SW1A 1AA lies in E09000033, which no area of "
                  "remits.yaml lists",
                  "  hint: nearest postcode district in the registry: KB1; if the council is "
                  "yours, add its code to the area's gss: list"]),
    ("12345", ["remitctl: error: '12345' is not a postcode",
               "  hint: write a full postcode (LN2 5AB, any case and spacing) or a postcode "
               "district (LN2)"]),
])
def test_unknown_or_outside_is_a_clear_error(invoke: Invoke, loaded: Path, postcode: str,
                                             lines: list[str]) -> None:
    result = invoke("who", "noise", "--postcode", postcode)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == lines  # type: ignore[attr-defined]


def test_no_places_data_says_how_to_load_it(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("now", "--postcode", "LN2 5AB")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"remitctl: error: no places data loaded ({_places(tmp_path)})",
        "  hint: load the ONS Postcode Directory once: remitctl places load "
        "ONSPD_AUG_2026_UK.zip (from the ONS Open Geography Portal)"]


def test_the_postcodes_nation_decides_the_bank_holidays(invoke: Invoke, loaded: Path,
                                                       tiers: Path) -> None:
    # Monday 30 November 2026 is St Andrew's Day: a bank holiday in Scotland only.
    args = ("now", "-r", str(tiers), "-t", "2026-11-30T10:00", "--no-pager", "--full")
    scot = invoke(*args, "-p", "EH1 1AA")
    assert scot.stdout.splitlines()[2] == (  # type: ignore[attr-defined]
        "Bank holiday in Scotland: Saint Andrew's Day")
    assert "Stray dog: cover from Tue 09:00" in scot.stdout  # type: ignore[attr-defined]
    wales = invoke(*args, "-p", "CF10 1AA")
    assert "Bank holiday" not in wales.stdout  # type: ignore[attr-defined]
    assert "Stray dog: Dog Warden  01632 960300  until 17:00" in wales.stdout  # type: ignore[attr-defined]


def test_gaps_and_log_take_a_postcode(invoke: Invoke, loaded: Path, tiers: Path,
                                     tmp_path: Path) -> None:
    gaps = invoke("gaps", "-r", str(tiers), "-p", "LN2 5AB", "--week", "--json")
    doc = json.loads(gaps.stdout)  # type: ignore[attr-defined]
    assert sorted((r["issue"]["id"], *r["areas"]) for r in doc["reports"]) == [
        ("dogs", "moor"), ("pothole", "wyvern")]
    log = invoke("log", "pothole", "-r", str(tiers), "-p", "ln25ab", "-t", "2026-12-01T10:00",
                 "--db", str(tmp_path / "log.db"))
    assert log.exit_code == 0  # type: ignore[attr-defined]
    assert log.stdout == (  # type: ignore[attr-defined]
        "logged #1: Pothole in Wyvernshire County at Tue 01 Dec 2026 10:00 GMT: covered by "
        "County Council · Highways\n")
    spans = invoke("log", "stray dog", "-p", "LN2", "--db", str(tmp_path / "log.db"))
    assert spans.exit_code == 2  # type: ignore[attr-defined]
    assert spans.stderr.splitlines()[0] == (  # type: ignore[attr-defined]
        "remitctl: error: postcode district LN2 could be any of: north-moor, brackenford")


@pytest.mark.parametrize(("gss", "line"), [
    ("[E0700099]", "{p}:7:34: error: area moor gss[1]: 'E0700099' is not a GSS code (a "
                   "capital letter and 8 digits, e.g. E07000136)"),
    ("[e07000990]", "{p}:7:34: error: area moor gss[1]: GSS code 'e07000990' must be "
                    "written in capitals with no spaces"),
    ("[E14000639]", "{p}:7:34: error: area moor gss[1]: GSS code E14000639 is a "
                    "Westminster constituency, not a council"),
    ("[E99999999]", "{p}:7:34: error: area moor gss[1]: E99999999 is ONSPD's code for "
                    "'no county', not a council"),
    ("[E07000990, E07000990]", "{p}:7:45: error: area moor lists GSS code E07000990 twice"),
    ("[E10000990]", "{p}:7:34: error: GSS code E10000990 is listed by two areas: wyvern "
                    "and moor"),
])
def test_gss_codes_are_checked_at_their_line_and_column(invoke: Invoke, write_registry:
                                                        Callable[[str, str], Path],
                                                        gss: str, line: str) -> None:
    text = TIERS.replace("moor: {name: North Moor, gss: [E07000990]}",
                         f"moor: {{name: North Moor, gss: {gss}}}")
    path = write_registry(text, "t.yaml")
    result = invoke("validate", str(path))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert line.format(p=path) in result.stdout.splitlines()  # type: ignore[attr-defined]


def test_the_schema_knows_gss(invoke: Invoke) -> None:
    doc = json.loads(invoke("schema").stdout)  # type: ignore[attr-defined]
    area = doc["$defs"]["AreaDoc"]["properties"]["gss"]
    assert area["items"]["pattern"] == r"^(E0[6-9]|E10|W06|S12|N09)[0-9]{6}$"
