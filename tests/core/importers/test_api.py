"""The public entry point: arguments checked by name, file objects and zips, progress, format errors."""
from __future__ import annotations

import io
import pkgutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

import dashboard.core.importers as importers
from dashboard.core.importers import UnknownFormatError, detect_layout, import_events

from tests.conftest import ROOT

from .conftest import FIXTURES, acled_row, acled_text


@pytest.mark.parametrize("kwargs, message", [
    ({"format": "csv"}, "`format` was 'csv' but is expected to be one of"),
    ({"radius_km": 0}, "`radius_km` was 0 but must be a positive number"),
    ({"radius_km": "10"}, "`radius_km` was '10'"),
    ({"progress": 5}, "`progress` was 5 but must be a callable"),
    ({"sites": 3}, "`sites` was a int but must be a DataFrame"),
    ({"sites": pd.DataFrame({"site_id": []})}, "`sites` lacks column"),
    ({"chunk_records": 0}, "`chunk_records` was 0"),
])
def test_bad_arguments_are_named_and_echoed(kwargs, message):
    with pytest.raises(ValueError, match=message):
        import_events(FIXTURES / "acled_2022_current_31col.csv", **kwargs)


def test_missing_file_is_named():
    with pytest.raises(FileNotFoundError, match="`path` was '.*nothing.csv' but no such file exists"):
        import_events(FIXTURES / "nothing.csv")


@pytest.mark.parametrize("content, words", [
    (b"", "is empty"),
    (b"name,value\nx,1\n", "is in no format the importer knows"),
    ("id,date_start\n1,2020-01-01\n".encode("utf-16"), "encoded as UTF-16"),
    (b"\x00\x01\x02binary", "holds NUL bytes"),
])
def test_unknown_formats_are_refused_clearly(content, words, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(UnknownFormatError, match=words):
        import_events(path)


@pytest.mark.parametrize("name, asked, found", [
    ("acled_2022_current_31col.csv", "ucdp", "ACLED"),
    ("ucdp_ged191_native.csv", "gdelt", "UCDP GED"),
    ("gdelt2_sample.export.CSV", "acled", "GDELT 2.0"),
])
def test_format_asked_for_is_checked(name, asked, found):
    with pytest.raises(UnknownFormatError, match=f"`format` was '{asked}' but {name} looks like {found}"):
        detect_layout(FIXTURES / name, asked)
    assert detect_layout(FIXTURES / name, detect_layout(FIXTURES / name).format).source_dataset == found


def test_semicolon_separated_acled_is_read(tmp_path, sites):
    path = tmp_path / "excel.csv"
    path.write_text(acled_text([acled_row(1), acled_row(2)]).replace(",", ";"), encoding="utf-8")
    result = import_events(path, sites=sites)
    assert result.report["rows_imported"] == 2


def test_file_object_and_zip_archive(tmp_path, sites):
    data = (FIXTURES / "gdelt2_sample.export.CSV").read_bytes()
    upload = io.BytesIO(data)
    upload.name = "20191024143000.export.CSV"
    from_upload = import_events(upload, sites=sites)
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("20191024143000.export.CSV", data)
    from_zip = import_events(archive, sites=sites)
    assert from_upload.report["file"] == "20191024143000.export.CSV"
    assert from_zip.report["file"] == "20191024143000.export.CSV.zip:20191024143000.export.CSV"
    pd.testing.assert_frame_equal(from_upload.events, from_zip.events)


def test_progress_is_reported_per_chunk(tmp_path, sites):
    path = tmp_path / "a.csv"
    path.write_text(acled_text([acled_row(k) for k in range(7)]), encoding="utf-8")
    calls = []
    import_events(path, sites=sites, progress=lambda done, total: calls.append((done, total)), chunk_records=3)
    assert calls == [(0, 7), (3, 7), (6, 7), (7, 7), (7, 7)]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix.lower() == ".csv"))
def test_chunk_size_does_not_change_the_result(name, sites):
    whole = import_events(FIXTURES / name, sites=sites)
    pieces = import_events(FIXTURES / name, sites=sites, chunk_records=1)
    pd.testing.assert_frame_equal(whole.events, pieces.events)
    assert whole.report["rejections"] == pieces.report["rejections"]


def test_nothing_importable_gives_an_empty_table(tmp_path, sites):
    path = tmp_path / "a.csv"
    path.write_text(acled_text([acled_row(1, event_date="soon"), acled_row(2, latitude="x")]), encoding="utf-8")
    result = import_events(path, sites=sites)
    assert result.events.empty and list(result.events.columns) == list(importers.EVENT_COLUMNS)
    assert (result.report["rows_read"], result.report["rows_rejected"]) == (2, 2)


def test_bundled_gazetteer_is_the_default():
    report = import_events(FIXTURES / "acled_2022_current_31col.csv").report
    assert report["sites_used"] > 0


def test_importer_modules_import_neither_streamlit_nor_folium():
    modules = sorted(f"dashboard.core.importers.{m.name}" for m in pkgutil.iter_modules(importers.__path__))
    code = f"import sys, {', '.join(modules)}; print(' '.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    names = {name.split(".")[0] for name in loaded.split()}
    assert len(modules) >= 10 and not {"streamlit", "folium"} & names
