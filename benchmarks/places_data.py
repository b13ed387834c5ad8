"""Synthetic data folders with many distinct places, as an imported ACLED or GDELT file has, for the benchmarks.

The "sites" folders of :mod:`tests.generated` put every incident at one of the bundled gazetteer's
33 sites. Imported files name thousands to tens of thousands of distinct places, and a map, a
site list or a popup that copes with 33 sites may not cope with 20,000. :func:`places_folder`
writes a data folder in the bundled layout whose gazetteer is ``places`` invented places (20,000
by default) spread over Iraq, Syria and Jordan, and ``n`` incidents over them:

- every place is marked as synthetic in its ``source`` and ``notes`` (its id starts with ``SYN-``,
  its name is "Synthetic place N"); 1% have no coordinates (so some incidents are unmapped), the
  others a random point inside a box drawn within their country, with a valid ``coord_precision``;
- incidents pick their place with a skewed (Zipf-like) popularity: the busiest place has a few
  percent of them, most places a handful; 90% name one place, 7% two, 3% none;
- dates are spread evenly over 2023-10-17..2025-12-31, the span of :mod:`tests.generated`, so the
  two shapes are filtered by the same date ranges; types, statuses and figures as there.

Deterministic: the same ``n``, ``places`` and ``seed`` give the same bytes. Written in chunks of
1,000,000 rows, so 10,000,000 incidents need about 2 GB of memory. Never mixed into real data:
incident ids start with ``SYN-`` and sources point to example.org.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "geodata"
FIRST, LAST = pd.Timestamp("2023-10-17"), pd.Timestamp("2025-12-31")
#: Boxes (south, north, west, east) inside each country, far enough from the borders that a point
#: drawn in one is in that country; with the share of places each gets.
COUNTRY_BOXES = {
    "Iraq": ((30.5, 36.5, 41.5, 47.0), 0.55),
    "Syria": ((33.2, 36.8, 36.3, 40.8), 0.35),
    "Jordan": ((29.8, 32.2, 35.9, 38.5), 0.10),
}
CHUNK = 1_000_000
SOURCE = "synthetic benchmark gazetteer (benchmarks/places_data.py): an invented place, not a real location"
NOTES = "Synthetic: invented for the browser benchmark; the coordinates are random points, not a real place."


def places_folder(target: Path, n: int, places: int = 20_000, seed: int = 23) -> Path:
    """Write a data folder at ``target``: ``places`` synthetic places, ``n`` incidents over them, the bundled counts."""
    if n < 0 or places < 10:
        raise ValueError(f"`n` was {n} and `places` was {places}; expected n >= 0 and places >= 10")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BUNDLED / "official_counts.csv", target / "official_counts.csv")
    (target / "seeds").mkdir(exist_ok=True)
    sites = synthetic_sites(places, seed)
    sites.to_csv(target / "sites.csv", index=False, lineterminator="\n")
    scratch = target / "incidents.csv.partial"
    with open(scratch, "w", encoding="utf-8", newline="") as handle:
        for number, first in enumerate(range(0, max(n, 1), CHUNK)):
            rows = synthetic_incidents(first, min(CHUNK, n - first), sites, seed + 1 + number)
            rows.to_csv(handle, index=False, header=number == 0, lineterminator="\n")
    scratch.replace(target / "incidents.csv")
    return target


def synthetic_sites(places: int, seed: int = 23) -> pd.DataFrame:
    """The synthetic gazetteer: ``places`` rows in the columns of ``sites.csv``."""
    rng = np.random.default_rng(seed)
    names = list(COUNTRY_BOXES)
    country = rng.choice(names, size=places, p=[COUNTRY_BOXES[c][1] for c in names])
    lat, lon = np.empty(places), np.empty(places)
    for name in names:
        (south, north, west, east), _share = COUNTRY_BOXES[name]
        here = country == name
        lat[here] = rng.uniform(south, north, here.sum())
        lon[here] = rng.uniform(west, east, here.sum())
    unplaced = rng.random(places) < 0.01
    precision = rng.choice(["exact", "approximate", "town"], size=places, p=[0.3, 0.3, 0.4])
    uncertainty = np.where(rng.random(places) < 0.1, rng.integers(1, 30, places).astype(str), "")
    codes = {"Iraq": "IQ", "Syria": "SY", "Jordan": "JO"}
    return pd.DataFrame({
        "site_id": [f"SYN-{codes[c]}-{i:05d}" for i, c in enumerate(country)],
        "name": [f"Synthetic place {i:05d}" for i in range(places)],
        "aliases": "",
        "country": country,
        "admin1": "synthetic",
        "site_type": "synthetic place",
        "lat": np.where(unplaced, "", np.char.mod("%.5f", lat)),
        "lon": np.where(unplaced, "", np.char.mod("%.5f", lon)),
        "coord_precision": np.where(unplaced, "", precision),
        "coord_uncertainty_km": np.where(unplaced, "", uncertainty),
        "source": SOURCE,
        "notes": NOTES,
    })


def popularity(places: int) -> np.ndarray:
    """Zipf-like weights (rank + 5) ** -1.1: a few busy places and a long tail, summing to 1."""
    weights = (np.arange(places) + 5.0) ** -1.1
    return weights / weights.sum()


def synthetic_incidents(first: int, n: int, sites: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Incident rows ``first`` .. ``first + n - 1`` (as strings, in the column order of ``incidents.csv``)."""
    from dashboard.core.data.columns import CONFIRMATIONS, EVENT_TYPES, INCIDENT_COLUMNS

    rng = np.random.default_rng(seed)
    ids, countries = sites["site_id"].to_numpy(), sites["country"].to_numpy()
    weights = popularity(len(ids))
    order = rng.permutation(len(ids))  # which place is the busiest is random, not the first in the file
    one, two = order[rng.choice(len(ids), n, p=weights)], order[rng.choice(len(ids), n, p=weights)]
    k = rng.choice([0, 1, 2], size=n, p=[0.03, 0.9, 0.07])
    two = np.where(two == one, (one + 1) % len(ids), two)
    spare = rng.choice(list(COUNTRY_BOXES), n)
    site_cell = np.where(k == 0, "", np.where(k == 1, ids[one], _joined(ids[one], ids[two])))
    same = countries[one] == countries[two]
    country_cell = np.where(k == 0, spare, np.where((k == 1) | same, countries[one],
                                                     _joined(countries[one], countries[two])))
    names = sites["name"].to_numpy()
    place = np.where(k == 0, _joined(np.full(n, "somewhere in"), spare, " "), names[one])
    days = rng.integers(0, (LAST - FIRST).days + 1, n)
    killed = rng.choice([-1, 0, 1, 2, 5], size=n, p=[0.5, 0.3, 0.1, 0.07, 0.03])
    injured = rng.choice([-1, 0, 1, 3, 8], size=n, p=[0.4, 0.3, 0.15, 0.1, 0.05])
    numbers = np.arange(first, first + n)
    frame = pd.DataFrame({
        "incident_id": np.char.add("SYN-", np.char.zfill(numbers.astype(str), 8)),
        "date": (FIRST + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
        "date_certainty": rng.choice(["reported", "inferred", "approximate"], size=n, p=[0.85, 0.1, 0.05]),
        "place": place,
        "site_id": site_cell,
        "country": country_cell,
        "event_type": rng.choice(list(EVENT_TYPES), n),
        "actor": rng.choice(["", "Synthetic group A", "Synthetic group B"], n),
        "casualties": rng.choice(["", "none reported", "several injured"], n),
        "killed": _figure(killed),
        "killed_max": "",
        "injured": _figure(injured),
        "injured_max": "",
        "confirmation": rng.choice(list(CONFIRMATIONS), n),
        "sources": np.char.add("https://example.org/synthetic/", numbers.astype(str)),
        "notes": "synthetic row (benchmarks/places_data.py)",
    })
    return frame[[c.name for c in INCIDENT_COLUMNS]]


def _joined(left: np.ndarray, right: np.ndarray, separator: str = ";") -> np.ndarray:
    return np.char.add(np.char.add(left.astype(str), separator), right.astype(str))


def _figure(values: np.ndarray) -> np.ndarray:
    return np.where(values < 0, "", values.astype(str))
