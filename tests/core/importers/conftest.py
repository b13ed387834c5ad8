"""Shared helpers for the importer tests: fixture paths, a small gazetteer, and an ACLED row builder."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "importers"

#: Current ACLED layout (31 columns), as ``acled_2022_current_31col.csv``.
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")


def acled_row(number: int, **values) -> dict:
    """An invented, valid ACLED row; ``values`` override fields."""
    row = dict.fromkeys(ACLED_HEADER, "")
    row.update({
        "event_id_cnty": f"TST{number}", "event_date": "2023-10-18", "year": "2023", "time_precision": "1",
        "disorder_type": "Political violence", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike", "actor1": "Invented Group", "inter1": "3", "inter2": "0",
        "interaction": "30", "iso": "368", "region": "Middle East", "country": "Iraq", "admin1": "Testshire",
        "location": "Exampletown", "latitude": "33.5", "longitude": "43.5", "geo_precision": "1",
        "source": "Invented Wire", "source_scale": "National", "notes": "Invented note.", "fatalities": "0",
        "timestamp": "1700000000",
    })
    row.update(values)
    return row


def acled_text(rows: list[dict], header=ACLED_HEADER, newline: str = "\n") -> str:
    """CSV text of ``rows`` under ``header``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


SITES = pd.DataFrame({
    "site_id": ["IQ-ALPHA", "SY-BRAVO", "IQ-EDGE", "IQ-NOPOS"],
    "name": ["Alpha Air Base", "Bravo Garrison", "Edge Outpost", "Nowhere Camp"],
    "aliases": ["Ain Alpha; Alpha airfield", "Tall Bravo", "", "Camp Nowhere"],
    "country": ["Iraq", "Syria", "Iraq", "Iraq"],
    "lat": [33.8, 36.5, 34.0, float("nan")],
    "lon": [42.433333, 40.75, 41.995, float("nan")],
    "coord_precision": ["approximate", "town", "exact", ""],
})


@pytest.fixture
def sites() -> pd.DataFrame:
    """A small gazetteer: three sites with coordinates (one by a UTM zone edge, 42 E) and one without."""
    return SITES.copy()
