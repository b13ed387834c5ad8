"""Each source's own classification maps onto our event types and the imported categories, as the table in
``dashboard.core.importers.event_columns`` says: the mapping functions on tables of source values, then whole
files of invented rows in each source's layout through ``import_events``."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.core.data.columns import (ALL_EVENT_COLOURS, ALL_EVENT_TYPES, ATTACK_TYPES, EVENT_COLOURS,
                                         EVENT_TYPES, IMPORTED_EVENT_COLOURS, IMPORTED_EVENT_TYPES)
from dashboard.core.importers import import_events
from dashboard.core.importers.acled import acled_event_type
from dashboard.core.importers.gdelt import gdelt_columns, gdelt_event_type
from dashboard.core.importers.ucdp import ucdp_event_type

from .conftest import acled_row, acled_text

# ACLED event type, sub-event type, notes -> our code
ACLED = [
    ("Battles", "Armed clash", "", "battle"),
    ("Battles", "Government regains territory", "", "battle"),
    ("Battles", "Non-state actor overtakes territory", "", "battle"),
    ("Battle-No change of territory", "", "", "battle"),
    ("Battle-Non-state actors overtake territory", "", "", "battle"),
    ("BATTLE-GOVERNMENT REGAINS TERRITORY", "", "", "battle"),
    ("Explosions/Remote violence", "Air/drone strike", "", "drone"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "", "rocket"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "A Ballistic Missile hit the port.", "missile"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "", "explosion"),
    ("Explosions/Remote violence", "Grenade", "", "explosion"),
    ("Explosions/Remote violence", "Suicide bomb", "", "explosion"),
    ("Explosions/Remote violence", "Chemical weapon", "", "explosion"),
    ("Remote violence", "", "", "explosion"),
    ("Violence against civilians", "Attack", "", "civilians"),
    ("Violence against civilians", "Abduction/forced disappearance", "", "civilians"),
    ("Violence against civilians", "Sexual violence", "", "civilians"),
    ("Protests", "Peaceful protest", "", "protest"),
    ("Protests", "Protest with intervention", "", "protest"),
    ("Protests", "Excessive force against protesters", "", "protest"),
    ("Riots/Protests", "", "", "protest"),
    ("Riots", "Violent demonstration", "", "riot"),
    ("Riots", "Mob violence", "", "riot"),
    ("Strategic developments", "Agreement", "", "other"),
    ("Strategic developments", "Looting/property destruction", "", "other"),
    ("Strategic development", "", "", "other"),
    ("Headquarters or base established", "", "", "other"),
    ("Non-violent transfer of territory", "", "", "other"),
    ("", "", "", "unknown"),
    ("Something new", "", "", "unknown"),
    ("", "Air/drone strike", "", "drone"),
]

# UCDP type_of_violence -> our code
UCDP = [("1", "state_conflict"), ("2", "nonstate_conflict"), ("3", "civilians"), ("1.0", "state_conflict"),
        ("3.0", "civilians"), ("4", "unknown"), ("", "unknown")]

# GDELT EventCode, EventRootCode -> our code
GDELT = [
    ("195", "19", "drone"), ("1951", "19", "drone"), ("1952", "19", "drone"), ("194", "19", "rocket"),
    ("190", "19", "battle"), ("193", "19", "battle"), ("196", "19", "battle"),
    ("145", "14", "riot"), ("1451", "14", "riot"), ("1454", "14", "riot"),
    ("140", "14", "protest"), ("1411", "14", "protest"), ("143", "14", "protest"),
    ("183", "18", "explosion"), ("1831", "18", "explosion"), ("1833", "18", "explosion"),
    ("181", "18", "civilians"), ("1823", "18", "civilians"), ("186", "18", "civilians"),
    ("202", "20", "civilians"), ("2041", "20", "civilians"),
    ("010", "01", "other"), ("042", "04", "other"), ("130", "13", "other"), ("173", "17", "other"),
    ("1951", "", "drone"), ("181", "", "civilians"), ("042", "", "other"),
    ("", "", "unknown"), ("xyz", "", "unknown"), ("999", "99", "unknown"),
]


def texts(values) -> pd.Series:
    return pd.Series(list(values), dtype="str")


@pytest.mark.parametrize("event_class, sub_event, notes, expected", ACLED)
def test_acled_types(event_class, sub_event, notes, expected):
    got = acled_event_type(texts([event_class]), texts([sub_event]), texts([notes]))
    assert list(got) == [expected]


@pytest.mark.parametrize("violence, expected", UCDP)
def test_ucdp_types(violence, expected):
    assert list(ucdp_event_type(texts([violence]))) == [expected]


@pytest.mark.parametrize("code, root, expected", GDELT)
def test_gdelt_types(code, root, expected):
    assert list(gdelt_event_type(texts([code]), texts([root]))) == [expected]


def test_every_mapped_code_is_a_type_the_app_knows():
    produced = {row[-1] for row in ACLED} | {row[-1] for row in UCDP} | {row[-1] for row in GDELT}
    assert produced <= set(ALL_EVENT_TYPES)
    assert set(IMPORTED_EVENT_TYPES) <= produced  # no category is left unused by every source
    assert not {"us_strike", "mixed"} & produced  # no source says who was attacked


def test_the_type_tables_hold_together():
    assert list(ALL_EVENT_TYPES) == [*EVENT_TYPES, *IMPORTED_EVENT_TYPES]
    assert list(ALL_EVENT_COLOURS) == list(ALL_EVENT_TYPES)
    assert set(IMPORTED_EVENT_COLOURS) == set(IMPORTED_EVENT_TYPES)
    assert not set(IMPORTED_EVENT_TYPES) & set(EVENT_TYPES)
    assert not set(IMPORTED_EVENT_TYPES) & set(ATTACK_TYPES)  # imported categories are never attacks on US forces
    assert len(set(ALL_EVENT_TYPES.values())) == len(ALL_EVENT_TYPES)  # labels tell them apart


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of ``#RRGGBB``."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_imported_colours_are_apart_from_ours_and_each_other():
    """CIE76 distance of 20 or more (clearly different side by side) between every imported colour and any other."""
    labs = {code: _lab(colour) for code, colour in ALL_EVENT_COLOURS.items()}
    for code in IMPORTED_EVENT_COLOURS:
        for other in ALL_EVENT_COLOURS:
            if other != code:
                distance = sum((a - b) ** 2 for a, b in zip(labs[code], labs[other])) ** 0.5
                assert distance >= 20, (code, other, round(distance, 1))


# --- whole files of invented rows, in each source's layout -------------------------------------------

UCDP_HEADER = ["id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b", "source_article",
               "where_prec", "where_coordinates", "adm_1", "latitude", "longitude", "country", "date_prec",
               "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best",
               "high", "low"]


def ucdp_text(types: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=UCDP_HEADER, lineterminator="\n")
    writer.writeheader()
    for number, violence in enumerate(types, start=1):
        writer.writerow({
            "id": 900000 + number, "year": 2015, "type_of_violence": violence, "conflict_name": "Invented conflict",
            "dyad_name": "Side A - Side B", "side_a": "Side A", "side_b": "Side B", "source_article": "Invented Wire",
            "where_prec": 1, "where_coordinates": f"Exampletown {number}", "adm_1": "Testshire",
            "latitude": 33.0 + number / 100, "longitude": 44.0, "country": "Iraq", "date_prec": 1,
            "date_start": "2015-05-11", "date_end": "2015-05-11", "deaths_a": 0, "deaths_b": 0,
            "deaths_civilians": 0, "deaths_unknown": 1, "best": 1, "high": 1, "low": 1})
    return buffer.getvalue()


def gdelt_text(codes: list[tuple[str, str]]) -> str:
    names = gdelt_columns(61)
    lines = []
    for number, (code, root) in enumerate(codes, start=1):
        row = dict.fromkeys(names, "")
        row.update({"globaleventid": str(880000000 + number), "sqldate": "20191024", "monthyear": "201910",
                    "year": "2019", "fractiondate": "2019.8055", "isrootevent": "1", "eventcode": code,
                    "eventbasecode": code[:3], "eventrootcode": root, "quadclass": "4", "goldsteinscale": "-10",
                    "nummentions": "2", "numsources": "1", "numarticles": "2", "avgtone": "-5",
                    "actiongeo_type": "4", "actiongeo_fullname": "Exampletown, Testshire, Iraq",
                    "actiongeo_countrycode": "IZ", "actiongeo_lat": "33.3", "actiongeo_long": "44.4",
                    "dateadded": "20191024143000", "sourceurl": "https://example.org/invented"})
        lines.append("\t".join(row[name] for name in names))
    return "\n".join(lines) + "\n"


def test_acled_file_maps_every_row(tmp_path, sites):
    rows = [acled_row(number, event_type=event_class, sub_event_type=sub_event, notes=notes or "Invented note.")
            for number, (event_class, sub_event, notes, _) in enumerate(ACLED, start=1)]
    path = tmp_path / "acled.csv"
    path.write_text(acled_text(rows), encoding="utf-8")
    events = import_events(path, sites=sites).events
    assert list(events["event_type"]) == [row[-1] for row in ACLED]


def test_ucdp_file_maps_every_row(tmp_path, sites):
    path = tmp_path / "ged.csv"
    path.write_text(ucdp_text([violence for violence, _ in UCDP]), encoding="utf-8")
    result = import_events(path, sites=sites)
    assert result.report["format"] == "ucdp"
    assert list(result.events["event_type"]) == [expected for _, expected in UCDP]
    assert result.events["source_event_type"].iloc[0] == "type_of_violence 1 (state-based conflict)"


def test_gdelt_file_maps_every_row(tmp_path, sites):
    rows = [(code, root) for code, root, _ in GDELT if code.isdigit() and len(code) >= 3]
    expected = [wanted for code, root, wanted in GDELT if code.isdigit() and len(code) >= 3]
    path = tmp_path / "20191024143000.export.CSV"
    path.write_text(gdelt_text(rows), encoding="utf-8")
    result = import_events(path, sites=sites)
    assert result.report["format"] == "gdelt" and result.report["rows_imported"] == len(rows)
    assert list(result.events["event_type"]) == expected
