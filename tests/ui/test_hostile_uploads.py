"""Issue 8, item 5: an upload with nothing placeable, or nothing at all, never breaks a page."""
from __future__ import annotations

import io

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.importers import import_events
from tests.conftest import ROOT, stored_upload
from tests.core.importers.conftest import acled_row, acled_text

PAGES = ["dashboard/app_pages/map_page.py", "dashboard/app_pages/charts_page.py", "dashboard/app_pages/data_page.py",
         "dashboard/app_pages/upload_page.py"]


def stored(tmp_path, text: str) -> dict:
    result = import_events(io.BytesIO(text.encode()))
    return stored_upload(tmp_path, result.events, result.report, "hostile.csv")


UPLOADS = {
    "no coordinates": acled_text([acled_row(1, latitude="", longitude="", location="Nowhere in particular"),
                                  acled_row(2, latitude="", longitude="", location="")]),
    "one row, no coordinates": acled_text([acled_row(1, latitude="", longitude="", location="Nowhere")]),
    "no valid row": acled_text([acled_row(1, event_date="2022-02-31")]),
}


@pytest.mark.parametrize("mode", ["uploaded", "both"])
@pytest.mark.parametrize("kind", list(UPLOADS))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_when_no_uploaded_event_can_be_mapped(tmp_path, kind, mode, page):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["_upload"] = stored(tmp_path, UPLOADS[kind])
    at.run()
    at.radio(key="w_source").set_value(mode).run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    if mode == "uploaded" and page != PAGES[-1]:
        incidents = next(m.value for m in at.metric if m.label in ("Incidents", "Imported events"))
        assert incidents == {"no coordinates": "1", "one row, no coordinates": "1", "no valid row": "0"}[kind]


def test_a_file_with_no_importable_row_is_not_switched_to_and_says_why(tmp_path):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["_upload"] = stored(tmp_path, UPLOADS["no valid row"])
    at.run()
    assert at.radio(key="w_source").value == "bundled"
    at.switch_page(PAGES[-1])
    at.run()
    assert not at.exception
    assert any("No row of this file could be imported" in w.value for w in at.warning)


def test_the_app_limit_is_the_servers_limit_in_bytes():
    """Streamlit refuses an upload over ``server.maxUploadSize * 1024 * 1024`` bytes (starlette_routes.py); the
    app's own check and the unzip limit must be that very number, or a file of 150 * 10**6 to 150 * 2**20 bytes
    would be taken by the server and refused by the app."""
    import streamlit as st

    from dashboard.ui import uploads

    assert uploads.limit_mb() == st.get_option("server.maxUploadSize") == 150
    assert uploads.limit_bytes() == 150 * 1024 * 1024
