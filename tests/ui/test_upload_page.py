"""An imported file shown on the dashboard for one session (AppTest, with the import done in the test)."""
from __future__ import annotations

import csv

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.importers import import_events
from tests.conftest import ROOT, stored_upload

FIXTURE = ROOT / "tests" / "data" / "importers" / "ucdp_ged_hdx_iraq.csv"
PAGE = "dashboard/app_pages/upload_page.py"


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    result = import_events(FIXTURE)
    return stored_upload(tmp_path_factory.mktemp("upload"), result.events, result.report, FIXTURE.name), result


def bundled_rows() -> int:
    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def open_with(upload, page=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["_upload"] = upload
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def test_without_upload_there_is_no_source_choice():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    assert not [r for r in at.radio if r.key == "w_source"]


def test_uploaded_file_alone_then_together(upload):
    stored, result = upload
    at = open_with(stored)
    assert not at.exception
    assert at.radio(key="w_source").value == "uploaded"
    assert metric(at, "Incidents") == str(len(result.events))
    at.radio(key="w_source").set_value("both").run()
    assert metric(at, "Incidents") == str(len(result.events) + bundled_rows())
    at.radio(key="w_source").set_value("bundled").run()
    assert metric(at, "Incidents") == str(bundled_rows())


def test_upload_page_shows_the_report_and_attribution(upload):
    stored, result = upload
    at = open_with(stored, PAGE)
    assert not at.exception
    assert metric(at, "Rows read") == f"{result.report['rows_read']:,}"
    assert metric(at, "Rejected") == f"{result.report['rows_rejected']:,}"
    assert any("UCDP" in i.value for i in at.info)
    duplicates = result.report["duplicate_ids"]
    assert any(f"{duplicates['ids']} ids appear more than once ({duplicates['rows']} rows" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["dashboard/app_pages/map_page.py", "dashboard/app_pages/charts_page.py",
                                  "dashboard/app_pages/data_page.py"])
def test_every_page_runs_on_uploaded_data(upload, page):
    stored, _ = upload
    at = open_with(stored, page)
    assert not at.exception


def test_imported_events_are_not_counted_as_attacks_on_us_forces(upload):
    stored, result = upload
    at = open_with(stored)
    at.radio(key="w_source").set_value("both").run()
    bundled = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    bundled.run()
    assert metric(at, "Attacks") == metric(bundled, "Attacks")
    assert metric(at, "Imported events") == str(len(result.events))
    assert result.report["linked_to_sites"] == 0  # so no gazetteer site is added to "Sites hit"
    assert metric(at, "Sites hit") == metric(bundled, "Sites hit")
