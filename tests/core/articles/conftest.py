"""A small gazetteer and helpers for the extraction tests (built in code; no bundled file is read)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.articles import extract_article, load_actors
from dashboard.core.places.gazetteer import Gazetteer

# site_id, name, aliases, country, lat, lon
SITES = [
    ("IQ-ASAD", "Al Asad Air Base", "Ain al-Asad; Ayn al-Asad; Al-Asad Airbase; ORAA", "Iraq", 33.8, 42.43),
    ("SY-TALLBAYDAR", "Tall Baydar base", "Tall Baydar; Tal Baydar; Tell Beydar", "Syria", 36.74, 40.59),
    ("SY-EUPHRATES", "Mission Support Site Euphrates", "MSS Euphrates; MSS Conoco; Conoco gas field base", "Syria", 35.34, 40.31),
    ("SY-TANF", "Al-Tanf Garrison", "at-Tanf; al-Tanf; Tanf", "Syria", 33.51, 38.62),
    ("IQ-HARIR", "Harir Air Base", "al-Harir; Harir airfield", "Iraq", 36.55, 44.35),
    ("IQ-ERBIL", "Erbil Air Base", "Erbil airbase; Erbil airport base", "Iraq", 36.24, 43.96),
    ("SY-SHADDADI", "Patrol Base Shaddadi", "al-Shaddadi; Ash Shaddadi", "Syria", 36.06, 40.73),
    ("JO-TOWER22", "Tower 22", "T-22; Tower-22", "Jordan", 33.31, 38.70),
    ("STRIKE-ABUKAMAL", "Abu Kamal", "Al-Bukamal; Albu Kamal", "Syria", 34.45, 40.94),
    ("STRIKE-QAIM", "al-Qaim", "al-Qa'im; Husaybah", "Iraq", 34.40, 40.98),
    ("SY-QASRAK", "Qasrak base", "Qasrak airfield", "Syria", None, None),
    ("SY-GREEN", "Mission Support Site Green Village", "Green Village; al-Omar oil field", "Syria", 35.15, 40.58),
    ("IQ-EMBASSY", "US Embassy Baghdad", "Green Zone", "Iraq", 33.30, 44.40),
    ("IQ-UNION3", "Union III", "Green Zone; Union 3", "Iraq", 33.30, 44.40),
]


def sites_frame() -> pd.DataFrame:
    frame = pd.DataFrame(SITES, columns=["site_id", "name", "aliases", "country", "lat", "lon"])
    frame["coord_precision"] = ["approximate" if lat is not None else "" for lat in frame["lat"]]
    return frame


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer(sites_frame())


@pytest.fixture(scope="session")
def actors() -> pd.DataFrame:
    return load_actors()


@pytest.fixture(scope="session")
def extract(gazetteer, actors):
    """``extract(text, "YYYY-MM-DD")``: the extraction of ``text`` published that day, spans checked."""
    def run(text: str, published: str = "2023-11-23", **options) -> dict:
        result = extract_article(text, dt.date.fromisoformat(published), gazetteer, actors, **options)
        assert_spans(result, text)
        return result
    return run


def assert_spans(value, article: str, path: str = "result") -> int:
    """Every dict with ``start``, ``end`` and ``text`` anywhere in ``value`` must be ``article[start:end]``."""
    checked = 0
    if isinstance(value, dict):
        if {"start", "end", "text"} <= set(value):
            assert article[value["start"]:value["end"]] == value["text"], f"{path}: {value}"
            checked += 1
        for key, item in value.items():
            checked += assert_spans(item, article, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            checked += assert_spans(item, article, f"{path}[{index}]")
    return checked
