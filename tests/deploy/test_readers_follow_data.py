"""Readers follow the data folder across processes: an incident saved by the editor shows in every reader on its
next page load, without a restart.

First, two `streamlit run` processes (the browser tests' running_server) read one copy of the bundled data folder
(geodata/ and seeds/) through one Parquet cache, as the readers of deploy/cluster.py do, and an incident is appended
with dashboard.core.data.storage.append_incidents, the function the article page's save calls. Then the whole
deployment (deploy/cluster.py: two readers, the editor, nginx): an article is saved on the editor's page at /edit/
through the proxy, and each reader shows the new incidents. Expected counts come from geodata/incidents.csv with the
csv module (tests/browser/conftest.rows_between).
"""
from __future__ import annotations

import os
import re
import time

import pytest
from playwright.sync_api import expect

from dashboard.core.data.storage import append_incidents
from tests.browser.conftest import (ARTIFACTS, LOAD_TIMEOUT_MS, assert_no_exception, assert_offline, expect_metric,
                                    rows_between, running_server, skip_without_browser)
from tests.browser.test_import_and_article import extract_article

from .conftest import affinity_of, copy_data_folder, nginx_binary, record_figures

skip_without_browser()
pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: A new incident after the last bundled one (13 Nov 2024), so it is no duplicate and widens the data's span.
NEW_INCIDENT = {
    "incident_id": "", "date": "2024-11-20", "date_certainty": "reported", "place": "Al-Asad Air Base",
    "site_id": "IQ-ASAD", "country": "Iraq", "event_type": "drone", "actor": "", "casualties": "none reported",
    "killed": "0", "killed_max": "", "injured": "0", "injured_max": "", "confirmation": "claim-only",
    "sources": "https://example.org/deploy-test", "notes": "written by tests/deploy/test_readers_follow_data.py",
}
ALL = ("0000-01-01", "9999-12-31")
SEED = {"document_id": "deploy-test-1", "publisher": "Test wire", "published": "2024-11-21",
        "facts": [{"n": 1, "kind": "attack", "summary": "A drone attack on Al-Asad Air Base.",
                   "supports": {"incidents": ["row-1"], "official_counts": [], "sites": ["IQ-ASAD"]}}]}


def test_both_readers_show_a_saved_incident_on_their_next_page_load(tmp_path, new_context, offline):
    data = copy_data_folder(tmp_path / "data")
    settings = {"DASHBOARD_DATA": str(data), "DASHBOARD_CACHE": str(tmp_path / "cache")}
    total = rows_between(*ALL)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(ARTIFACTS / "follow-reader-1.log", settings) as (first, first_process), \
            running_server(ARTIFACTS / "follow-reader-2.log", settings) as (second, second_process):
        pages = [new_context().new_page() for _ in (first, second)]
        for page, base in zip(pages, (first, second)):
            page.goto(base + "/")
            expect_metric(page, "Incidents", total)

        result = append_incidents(data, [NEW_INCIDENT], SEED)
        assert len(result.added) == 1 and result.refused.empty
        saved_at = time.monotonic()

        shown_after = {}
        for page, base in zip(pages, (first, second)):
            page.goto(base + "/")  # a new page load: a new session of the same, still running, process
            expect_metric(page, "Incidents", total + 1)
            shown_after[f"reader-{len(shown_after) + 1}"] = round(time.monotonic() - saved_at, 2)
            assert_no_exception(page)
        assert first_process.poll() is None and second_process.poll() is None  # no restart
        record_figures({"append_shown_by_each_reader_after_s": shown_after})
    assert_offline(offline)


@pytest.mark.proxy
@pytest.mark.skipif(nginx_binary() is None, reason="nginx is missing (Debian's nginx; scripts/test.sh installs it)")
def test_an_article_saved_at_edit_shows_on_every_reader(cluster, new_context, offline):
    total = rows_between(*ALL)
    editor = new_context().new_page()
    editor.goto(cluster.url + "/edit/add-article")
    extract_article(editor)
    # the article reports two attacks on sites of the gazetteer, neither of them in the data yet
    editor.get_by_role("button", name=re.compile(r"^Save 2 incident")).click(timeout=LOAD_TIMEOUT_MS)
    expect(editor.locator('[data-testid="stAlert"]', has_text="Added 2 incident(s)")).to_be_visible(
        timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(editor)
    saved_at = time.monotonic()

    shown_after = {}
    for reader in cluster.readers:  # each reader directly, on its own port
        page = new_context().new_page()
        page.goto(f"http://{reader['address']}:{reader['port']}/")
        expect_metric(page, "Incidents", total + 2)
        shown_after[reader["name"]] = round(time.monotonic() - saved_at, 2)
        assert_no_exception(page)
    viewer = new_context().new_page()  # and a viewer through the proxy, who cannot save
    viewer.goto(cluster.url + "/")
    expect_metric(viewer, "Incidents", total + 2)
    assert {entry["served_by"] for entry in cluster.log() if entry["affinity"] == affinity_of(viewer.context)} <= \
        {f"{reader['address']}:{reader['port']}" for reader in cluster.readers}
    assert all(process_alive(reader["pid"]) for reader in cluster.readers)  # no restart
    record_figures({"editor_save_shown_by_each_reader_after_s": shown_after})
    assert_offline(offline)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
