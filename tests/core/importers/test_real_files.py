"""Every real sample file in ../shared/data/real/ imports: format found, >= 95 % of records kept, rows add up.

These files stay outside the repository (ACLED's terms forbid redistributing its rows); the test is
skipped where the folder is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.core.importers import import_events

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real"
FILES = sorted(p for p in REAL.iterdir() if p.suffix.lower() == ".csv") if REAL.is_dir() else []

pytestmark = [pytest.mark.real_data,
              pytest.mark.skipif(not FILES, reason=f"no real sample files in {REAL}")]

EXPECTED_FORMAT = {"acled": "acled", "ucdp": "ucdp", "gdelt": "gdelt"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_file_imports(path, sites):
    result = import_events(path, sites=sites)
    report, events = result.report, result.events
    assert report["format"] == EXPECTED_FORMAT[path.name.split("_")[0].rstrip("12")]
    assert report["rows_imported"] + report["rows_rejected"] == report["rows_read"] > 0
    assert report["rows_imported"] >= 0.95 * report["rows_read"]
    assert len(report["rejections"]) == sum(report["rejections_by_kind"].values())
    assert all(r["reason"] and r["kind"] and r["line"] >= 1 for r in report["rejections"])
    located = events.dropna(subset=["lat", "lon"])
    assert located["lat"].between(-90, 90).all() and located["lon"].between(-180, 180).all()
    assert events["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
