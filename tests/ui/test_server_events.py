"""A server started with DASHBOARD_EVENTS shows that export with the data folder's incidents, imported once."""
from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.importers import import_events
from dashboard.core.query.store import open_data, open_events
from tests.conftest import ROOT

EXPORT = ROOT / "tests" / "data" / "importers" / "acled_2022_current_31col.csv"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def open_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    return at


def test_the_events_are_shown_with_the_folders_incidents(monkeypatch, mini_data, tmp_path):
    export = tmp_path / "acled.csv"
    shutil.copyfile(EXPORT, export)
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    monkeypatch.setenv("DASHBOARD_EVENTS", str(export))
    imported = import_events(export, sites=mini_data).report["rows_imported"]
    assert imported > 0
    at = open_app()
    assert not at.exception and not at.error
    assert metric(at, "Incidents") == str(6 + imported)


def test_an_unreadable_events_file_is_a_clear_message(monkeypatch, mini_data, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    monkeypatch.setenv("DASHBOARD_EVENTS", str(bad))
    at = open_app()
    assert not at.exception
    assert "events file this server is set to show cannot be shown" in at.error[0].value
    assert "notes.csv" in at.error[0].value.replace("\\", "")


def test_the_import_is_cached_until_the_file_changes(mini_data, tmp_path):
    export = tmp_path / "acled.csv"
    shutil.copyfile(EXPORT, export)
    stored = open_data(mini_data, root=tmp_path / "cache")
    first = open_events(export, stored, root=tmp_path / "cache")
    assert open_events(export, stored, root=tmp_path / "cache") == first
    export.write_bytes(export.read_bytes() + b"\n")
    assert open_events(export, stored, root=tmp_path / "cache") != first


def test_a_missing_file_is_refused(mini_data, tmp_path):
    stored = open_data(mini_data, root=tmp_path / "cache")
    with pytest.raises(ValueError, match="DASHBOARD_EVENTS.*not a file"):
        open_events(tmp_path / "nowhere.csv", stored, root=tmp_path / "cache")
