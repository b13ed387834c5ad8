"""Events and reports are written atomically: a failed write leaves the old file whole and no debris."""
from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from dashboard.core.importers import import_events, write_events, write_report
from dashboard.core.data.atomic import atomic_path

from .conftest import FIXTURES


@pytest.fixture
def events(sites):
    return import_events(FIXTURES / "acled_2022_current_31col.csv", sites=sites).events


def test_csv_round_trip(events, tmp_path):
    path = write_events(events, tmp_path / "out.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == list(events.columns)
    assert back["incident_id"].tolist() == events["incident_id"].tolist()
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("suffix", [".parquet", ".geoparquet"])
def test_geoparquet_has_points_in_wgs84(events, tmp_path, suffix):
    frame = events.copy()
    frame.loc[1, ["lat", "lon"]] = float("nan")
    back = gpd.read_parquet(write_events(frame, tmp_path / f"out{suffix}"))
    assert back.crs.to_epsg() == 4326
    assert (back.geometry.iloc[0].x, back.geometry.iloc[0].y) == (frame["lon"].iloc[0], frame["lat"].iloc[0])
    assert back.geometry.iloc[1] is None
    assert back["incident_id"].tolist() == frame["incident_id"].tolist()


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(events, tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old content\n")

    def half_write(self, target, *args, **kwargs):
        with open(target, "w") as handle:
            handle.write("incident_id,da")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_write)
    with pytest.raises(OSError, match="disk full"):
        write_events(events, path)
    assert path.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_path_replaces_only_on_success(tmp_path):
    path = tmp_path / "r.json"
    with atomic_path(path) as temporary:
        assert temporary.parent == tmp_path and temporary != path and not path.exists()
        temporary.write_text("new")
    assert path.read_text() == "new"


def test_report_is_json(sites, tmp_path):
    report = import_events(FIXTURES / "ucdp_ged_hdx_iraq.csv", sites=sites).report
    back = json.loads(write_report(report, tmp_path / "report.json").read_text(encoding="utf-8"))
    assert back["rows_read"] == 4 and back["layout"] == report["layout"]


@pytest.mark.parametrize("name", ["out.xlsx", "out", "out.json"])
def test_unknown_suffix_is_refused(events, tmp_path, name):
    with pytest.raises(ValueError, match="`path` was .* but must end in one of"):
        write_events(events, tmp_path / name)


def test_missing_folder_is_named(events, tmp_path):
    with pytest.raises(FileNotFoundError, match="its folder does not exist"):
        write_events(events, tmp_path / "nope" / "out.csv")
