"""Write a synthetic file in ACLED's current 31-column layout, with invented values, for benchmarks.

Nothing here comes from ACLED: ids, places, actors and notes are made up. The
file has what makes real exports slow or awkward to read: quoted notes with
commas and doubled quotes, a line break inside a note now and then, CRLF line
ends, and dates written ``21 March 2020`` as the export tool does.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
_COUNTRIES = [("Iraq", "IRQ", 368, 33.0, 44.0), ("Syria", "SYR", 760, 35.0, 38.5), ("Yemen", "YEM", 887, 15.5, 47.5),
              ("Jordan", "JOR", 400, 31.0, 36.5)]
_SUB_EVENTS = [("Explosions/Remote violence", "Air/drone strike"),
               ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
               ("Battles", "Armed clash"), ("Protests", "Peaceful protest"), ("Riots", "Mob violence"),
               ("Violence against civilians", "Attack")]


def write_synthetic_acled(path: str | Path, rows: int, seed: int = 7, chunk: int = 200_000) -> Path:
    """Write ``rows`` invented ACLED-layout records to ``path`` (CSV, UTF-8, CRLF) and return the path."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(COLUMNS) + "\r\n")
        for first in range(0, rows, chunk):
            n = min(chunk, rows - first)
            _frame(rng, first, n).to_csv(handle, header=False, index=False, lineterminator="\r\n")
    return path


def _frame(rng: np.random.Generator, first: int, n: int) -> pd.DataFrame:
    country = rng.integers(0, len(_COUNTRIES), n)
    name = np.array([c[0] for c in _COUNTRIES])[country]
    prefix = np.array([c[1] for c in _COUNTRIES])[country]
    day = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    sub = rng.integers(0, len(_SUB_EVENTS), n)
    lat = np.array([c[3] for c in _COUNTRIES])[country] + rng.normal(0, 1.2, n)
    lon = np.array([c[4] for c in _COUNTRIES])[country] + rng.normal(0, 1.2, n)
    ids = pd.Series(prefix).str.cat(pd.Series(np.arange(first, first + n) + 1).astype(str))
    town = pd.Series(rng.integers(0, 5000, n)).map(lambda k: f"Town {k}")
    notes = ("On " + pd.Series(day.strftime("%d %B %Y")) + ", an invented event near " + town
             + ", reported as \"example\"; figures, if any, are made up. [size=no report]")
    breaks = rng.random(n) < 0.002
    notes[breaks] = notes[breaks] + "\nSecond line of the note."
    return pd.DataFrame({
        "event_id_cnty": ids,
        "event_date": day.strftime("%d %B %Y"),
        "year": day.year,
        "time_precision": rng.integers(1, 4, n),
        "disorder_type": "Political violence",
        "event_type": np.array([s[0] for s in _SUB_EVENTS])[sub],
        "sub_event_type": np.array([s[1] for s in _SUB_EVENTS])[sub],
        "actor1": "Invented Group " + pd.Series(rng.integers(1, 40, n)).astype(str),
        "assoc_actor_1": "",
        "inter1": rng.integers(1, 9, n),
        "actor2": "Civilians (" + pd.Series(name) + ")",
        "assoc_actor_2": "",
        "inter2": 7,
        "interaction": 17,
        "civilian_targeting": "",
        "iso": np.array([c[2] for c in _COUNTRIES])[country],
        "region": "Middle East",
        "country": name,
        "admin1": "Province " + pd.Series(rng.integers(1, 20, n)).astype(str),
        "admin2": "District " + pd.Series(rng.integers(1, 90, n)).astype(str),
        "admin3": "",
        "location": town,
        "latitude": lat.round(4),
        "longitude": lon.round(4),
        "geo_precision": rng.integers(1, 4, n),
        "source": "Invented Wire; Example Daily",
        "source_scale": "National",
        "notes": notes,
        "fatalities": rng.poisson(0.7, n),
        "tags": "",
        "timestamp": 1700000000 + rng.integers(0, 10_000_000, n),
    }, columns=COLUMNS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="file to write (outside the repository)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    write_synthetic_acled(args.out, args.rows)


if __name__ == "__main__":
    main()
