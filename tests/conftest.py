"""Shared fixtures: a small valid dataset written in code, and paths of the bundled data."""
from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path

import pytest

from dashboard.core.data.columns import COUNT_COLUMNS, INCIDENT_COLUMNS, SITE_COLUMNS

# AppTest pages show an error's traceback (the shipped setting hides it from visitors), so that
# `at.exception` still catches every failure the page turns into a short message.
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
# Data sets converted by the tests (every small folder they load) go to a folder of their own, not the server's.
os.environ.setdefault("DASHBOARD_CACHE", tempfile.mkdtemp(prefix="dashboard-cache-tests-"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

SITES = [
    {"site_id": "IQ-A", "name": "Alpha Air Base", "aliases": "Ain Alpha; Alpha airfield", "country": "Iraq",
     "admin1": "Anbar", "site_type": "air base", "lat": "33.8", "lon": "42.4", "coord_precision": "approximate",
     "coord_uncertainty_km": "2", "source": "https://example.org/alpha", "notes": ""},
    {"site_id": "SY-B", "name": "Tall Bravo", "aliases": "Tal Bravo", "country": "Syria", "admin1": "Hasakah",
     "site_type": "base", "lat": "36.7", "lon": "40.6", "coord_precision": "town", "coord_uncertainty_km": "",
     "source": "https://example.org/bravo", "notes": ""},
    {"site_id": "SY-C", "name": "Charlie Garrison", "aliases": "", "country": "Syria", "admin1": "Homs",
     "site_type": "garrison", "lat": "33.5", "lon": "38.6", "coord_precision": "exact", "coord_uncertainty_km": "",
     "source": "https://example.org/charlie", "notes": ""},
    {"site_id": "IQ-D", "name": "Delta Camp", "aliases": "", "country": "Iraq", "admin1": "Baghdad",
     "site_type": "camp", "lat": "", "lon": "", "coord_precision": "", "coord_uncertainty_km": "",
     "source": "claim text only", "notes": "no citable coordinate"},
]


def incident(incident_id: str, date: str, site_id: str = "IQ-A", country: str = "Iraq", **extra) -> dict:
    row = {"incident_id": incident_id, "date": date, "date_certainty": "reported", "place": "somewhere",
           "site_id": site_id, "country": country, "event_type": "drone", "actor": "", "casualties": "none",
           "killed": "", "killed_max": "", "injured": "", "injured_max": "", "confirmation": "US-official",
           "sources": "https://example.org/report", "notes": ""}
    row.update(extra)
    return row


INCIDENTS = [
    incident("I-1", "2023-10-18", "IQ-A", "Iraq", injured="4"),
    incident("I-2", "2023-10-18", "SY-C", "Syria", event_type="rocket", confirmation="claim-only"),
    incident("I-3", "2023-10-25", "IQ-A;SY-B", "Iraq;Syria", event_type="mixed"),
    incident("I-4", "2023-11-02", "IQ-D", "Iraq", confirmation="local-official"),
    incident("I-5", "2023-11-03", "", "Syria", event_type="us_strike", killed="2", killed_max="7"),
    incident("I-6", "2023-11-20", "SY-B", "Syria", injured="1"),
]

COUNTS = [
    {"count_id": "OC-1", "date_reported": "2023-10-24", "date_certainty": "reported", "cumulative_total": "3",
     "iraq": "1", "syria": "2", "jordan": "", "qualifier": "at_least", "reported_by": "spokesperson",
     "sources": "https://example.org/c1", "notes": ""},
    {"count_id": "OC-2", "date_reported": "2023-11-21", "date_certainty": "reported", "cumulative_total": "10",
     "iraq": "4", "syria": "5", "jordan": "", "qualifier": "exact", "reported_by": "official",
     "sources": "https://example.org/c2", "notes": "split does not add up"},
]


def write_csv(path: Path, columns, rows: list[dict]) -> Path:
    names = [c.name if hasattr(c, "name") else c for c in columns]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A folder with a small, valid dataset (4 sites, 6 incidents, 2 counts, 1 seed)."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "sites.csv", SITE_COLUMNS, SITES)
    write_csv(folder / "incidents.csv", INCIDENT_COLUMNS, INCIDENTS)
    write_csv(folder / "official_counts.csv", COUNT_COLUMNS, COUNTS)
    seeds = folder / "seeds"
    seeds.mkdir()
    seed = {"document_id": "doc-1", "publisher": "Wire", "published": "2023-11-23",
            "facts": [{"n": 1, "kind": "attack", "summary": "an attack",
                       "supports": {"incidents": ["I-6"], "official_counts": ["OC-2"], "sites": ["SY-B"]}}]}
    (seeds / "doc-1.json").write_text(json.dumps(seed), encoding="utf-8")
    return folder


def stored_upload(folder: Path, events, report: dict, name: str = "upload.csv", sha: str = "test") -> dict:
    """A session's upload as the Import page stores it: the events' query tables in a folder of their own."""
    from dashboard.core.data.dataset import load_dataset
    from dashboard.core.query.store import write_upload_tables

    tables = write_upload_tables(events, load_dataset().sites, Path(folder) / f"{sha}-tables")
    return {"name": name, "sha": sha, "path": str(tables), "mtime": tables.stat().st_mtime_ns, "report": report}


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole test session, driven by Playwright.

    Defined here, once: Playwright's sync API allows one running instance per thread, so the browser tests,
    the Spark app test and the proxy tests must all use this one (a second ``sync_playwright()`` in the same
    session fails with "using Playwright Sync API inside the asyncio loop").
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
