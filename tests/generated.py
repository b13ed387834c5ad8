"""Generated data folders of any size, in the bundled layout, for equivalence tests and benchmarks.

The sites and official counts are the bundled ones (real, with their sources);
only incidents are generated: dates spread over 2023-10-17..2025-12-31 (month
and year boundaries included), zero to three sites drawn from the gazetteer
(some without coordinates), the sites' countries, every type and status,
figures sometimes missing. Vectorised, so 10,000,000 rows take about a minute.
Never mixed into real data: ids start with ``GEN-`` and sources point to
example.org.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core.data.columns import CONFIRMATIONS, EVENT_TYPES, INCIDENT_COLUMNS
from dashboard.core.data.dataset import BUNDLED_DATA

FIRST, LAST = pd.Timestamp("2023-10-17"), pd.Timestamp("2025-12-31")


def generated_incidents(n: int, sites: pd.DataFrame, seed: int = 7, first=FIRST, last=LAST) -> pd.DataFrame:
    """``n`` incident rows as strings, in the column order of ``incidents.csv``."""
    rng = np.random.default_rng(seed)
    ids = sites["site_id"].to_numpy()
    countries = sites["country"].to_numpy()
    names = sites["name"].to_numpy()
    k = rng.choice([0, 1, 2, 3], size=n, p=[0.08, 0.8, 0.09, 0.03])
    first_site = rng.integers(0, len(ids), n)
    step1 = rng.integers(1, len(ids) // 2, n)
    step2 = rng.integers(1, len(ids) // 2, n)
    picks = np.stack([first_site, (first_site + step1) % len(ids), (first_site + step1 + step2) % len(ids)], axis=1)
    site_cells, country_cells, places = [], [], []
    spare_country = rng.choice(["Iraq", "Syria", "Jordan"], n)
    for row in range(n):
        chosen = picks[row, :k[row]]
        site_cells.append(";".join(ids[chosen]))
        named = list(dict.fromkeys(countries[chosen])) or [spare_country[row]]
        country_cells.append(";".join(named))
        places.append(names[chosen[0]] if len(chosen) else f"a village in {named[0]}")
    days = rng.integers(0, (last - first).days + 1, n)
    dates = (first + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    killed = rng.choice([-1, 0, 1, 2, 5], size=n, p=[0.5, 0.3, 0.1, 0.07, 0.03])
    injured = rng.choice([-1, 0, 1, 3, 8], size=n, p=[0.4, 0.3, 0.15, 0.1, 0.05])
    spread = rng.integers(0, 4, n)
    frame = pd.DataFrame({
        "incident_id": [f"GEN-{i:08d}" for i in range(n)],
        "date": dates,
        "date_certainty": rng.choice(["reported", "inferred", "approximate"], size=n, p=[0.85, 0.1, 0.05]),
        "place": places,
        "site_id": site_cells,
        "country": country_cells,
        "event_type": rng.choice(list(EVENT_TYPES), n),
        "actor": rng.choice(["", "Islamic Resistance in Iraq", "unknown group", "Kata'ib Hezbollah"], n),
        "casualties": rng.choice(["", "none reported", "several injured <b>minor</b>"], n),
        "killed": _figure(killed),
        "killed_max": _figure(np.where((killed >= 0) & (spread > 2), killed + spread, -1)),
        "injured": _figure(injured),
        "injured_max": _figure(np.where((injured >= 0) & (spread > 1), injured + spread, -1)),
        "confirmation": rng.choice(list(CONFIRMATIONS), n),
        "sources": [f"https://example.org/generated/{i}" for i in range(n)],
        "notes": rng.choice(["", "generated row", "quotes \" and <script>x</script>"], n),
    })
    return frame[[c.name for c in INCIDENT_COLUMNS]]


def _figure(values: np.ndarray) -> np.ndarray:
    return np.where(values < 0, "", values.astype(str))


def generated_folder(target: Path, n: int, seed: int = 7) -> Path:
    """A data folder at ``target`` with the bundled sites and official counts and ``n`` generated incidents."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("sites.csv", "official_counts.csv"):
        shutil.copyfile(BUNDLED_DATA / name, target / name)
    sites = pd.read_csv(target / "sites.csv", dtype=str, keep_default_na=False)
    generated_incidents(n, sites, seed).to_csv(target / "incidents.csv", index=False, lineterminator="\n")
    (target / "seeds").mkdir(exist_ok=True)
    return target


def generated_events(n: int, sites: pd.DataFrame, seed: int = 11) -> pd.DataFrame:
    """``n`` imported events in the importers' layout: a few thousand distinct places, some linked to a site."""
    from dashboard.core.importers.event_columns import EVENT_COLUMNS

    rng = np.random.default_rng(seed)
    located = sites[sites["lat"].notna()]
    near = rng.random(n) < 0.3
    anchor = rng.integers(0, len(located), n)
    lat = np.where(near, located["lat"].to_numpy(float)[anchor] + rng.normal(0, 0.02, n), rng.uniform(29.5, 37.0, n))
    lon = np.where(near, located["lon"].to_numpy(float)[anchor] + rng.normal(0, 0.02, n), rng.uniform(36.0, 48.0, n))
    missing = rng.random(n) < 0.03
    lat, lon = np.where(missing, np.nan, lat.round(4)), np.where(missing, np.nan, lon.round(4))
    days = rng.integers(0, (LAST - FIRST).days + 1, n)
    frame = pd.DataFrame({column: pd.Series([None] * n, dtype=object) for column in EVENT_COLUMNS})
    frame["incident_id"] = [f"EV{i % (n - 3) if n > 3 else i}" for i in range(n)]  # a few repeated ids, as in real files
    frame["date"] = (FIRST + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    frame["date_precision"] = rng.choice(["day", "week", "month"], size=n, p=[0.9, 0.07, 0.03])
    frame["lat"], frame["lon"] = lat, lon
    frame["location_precision"] = rng.choice(["exact", "town", "approximate", "region"], n)
    frame["country"] = rng.choice(["Iraq", "Syria", "Jordan", ""], size=n, p=[0.5, 0.4, 0.08, 0.02])
    frame["place"] = [f"Place {int(a * 10)}-{int(b * 10)}" if a == a else "unknown place" for a, b in zip(lat, lon)]
    frame["event_type"] = rng.choice(list(EVENT_TYPES), n)
    frame["actor1"] = rng.choice(["Militia A", "Unidentified armed group", ""], n)
    frame["killed"] = pd.array(np.where(rng.random(n) < 0.3, pd.NA, rng.integers(0, 6, n)), dtype="Int64")
    frame["killed_high"] = pd.array(frame["killed"], dtype="Int64") + 1
    frame["source_dataset"] = "ACLED"
    frame["sources"] = "Generated test event"
    frame["notes"] = ""
    frame["site_id"] = np.where(near & ~missing, located["site_id"].to_numpy()[anchor], None)
    frame["source_line"] = np.arange(2, n + 2)
    return frame
