"""Invented UCDP GED files of any size (the 49-column GED 20.1+ layout), for the map's tests at an import's scale.

Every value is made up: ids from 9,000,000, places "Testplace 001" scattered over Iraq and Syria, sides
"Invented side A/B", sources "Invented Wire". ``type_of_violence`` is drawn with fixed weights (one-sided violence
only when asked), so a test knows which imported categories the file holds and which it does not.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,"
    "low,gwnoa,gwnob"
).split(",")
#: type_of_violence -> the imported category it maps to.
CATEGORIES = {"1": "state_conflict", "2": "nonstate_conflict", "3": "civilians"}


def ucdp_file(path: Path, events: int, places: int, violence: dict[str, float] | None = None, seed: int = 11) -> Path:
    """Write ``events`` invented UCDP GED rows at ``places`` distinct points to ``path``; return it.

    ``violence`` maps ``type_of_violence`` codes to their share (default: 70 % state-based, 30 % non-state).
    """
    violence = violence or {"1": 0.7, "2": 0.3}
    rng = np.random.default_rng(seed)
    # places on a jittered grid over Iraq and Syria, at least ~20 km apart so none share a rounded point
    grid = [(lat, lon) for lat in np.arange(30.5, 37.0, 0.25) for lon in np.arange(36.5, 47.5, 0.25)]
    chosen = rng.choice(len(grid), size=places, replace=False)
    points = [(grid[i][0] + rng.uniform(-0.05, 0.05), grid[i][1] + rng.uniform(-0.05, 0.05)) for i in chosen]
    where = rng.integers(0, places, events)
    where[:places] = np.arange(places)  # every place has at least one event
    codes = rng.choice(list(violence), size=events, p=np.array(list(violence.values())) / sum(violence.values()))
    days = rng.integers(0, (2018 - 1989) * 365, events)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=UCDP_HEADER, lineterminator="\n")
        writer.writeheader()
        for n in range(events):
            lat, lon = points[where[n]]
            day = np.datetime64("1989-01-01") + int(days[n])
            year = str(day)[:4]
            deaths = int(rng.integers(0, 12))
            writer.writerow({
                "id": 9_000_000 + n, "relid": f"TST-{year}-{n}", "year": year, "active_year": 1,
                "code_status": "Clear", "type_of_violence": codes[n], "conflict_name": "Invented conflict",
                "dyad_name": "Invented side A - Invented side B", "side_a": "Invented side A",
                "side_b": "Invented side B", "number_of_sources": 1, "source_article": "Invented Wire",
                "where_prec": 1, "where_coordinates": f"Testplace {where[n]:03d}", "adm_1": "Testshire",
                "latitude": round(lat, 6), "longitude": round(lon, 6), "country": "Iraq" if lon > 41.5 else "Syria",
                "region": "Middle East", "event_clarity": 1, "date_prec": 1, "date_start": str(day),
                "date_end": str(day), "deaths_unknown": deaths, "best": deaths, "high": deaths, "low": deaths,
            })
    return path
