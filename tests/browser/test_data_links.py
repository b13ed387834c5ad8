"""The "This view as data" links, clicked in a real browser: the Data page's and the share box's.

For a shared link, the test clicks the Data page's GeoJSON link, reads what the new tab shows (Chromium shows
JSON as text) and checks that it holds the incidents the page's Incidents metric counts; the CSV link's
download is read with pandas, and both agree with a csv-module count of geodata/incidents.csv. The share box
in the sidebar carries the same links; its counts link opens the view's counts. Screenshot: docs/screenshots/data-links.png.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from .conftest import (LOAD_TIMEOUT_MS, assert_no_exception, assert_offline, metric, rows_between,
                       skip_without_browser, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

LINK = 'a[href*="/api/incidents.geojson"]'


def data_link(scope, path: str):
    return scope.locator(f'[data-testid="stMarkdownContainer"] a[href*="{path}"]')


@pytest.mark.parametrize("query, country", [("country=Syria", "Syria"), ("start=2023-10-17&end=2023-11-23", None)])
def test_the_data_pages_links_open_this_view_as_data(page, context, app_url, offline, query, country):
    page.goto(f"{app_url}/data?{query}")
    wait_until_idle(page)
    shown = int(metric(page, "Incidents").replace(",", ""))
    main = page.locator('[data-testid="stMain"]')
    link = data_link(main, "/api/incidents.geojson").first
    link.wait_for(timeout=LOAD_TIMEOUT_MS)
    href = link.get_attribute("href")
    assert parse_qs(urlsplit(href).query) == parse_qs(query)
    link.scroll_into_view_if_needed()
    with context.expect_page(timeout=LOAD_TIMEOUT_MS) as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    collection = json.loads(tab.locator("body").inner_text())
    tab.close()
    incidents = {f["properties"]["incident_id"] for f in collection["features"]} | \
        set(collection["unmapped"]["incident_ids"])
    expected = rows_between("2023-10-17", "2023-11-23") if country is None else \
        rows_between("0000-01-01", "9999-12-31", country)
    assert len(incidents) == shown == expected

    # Chromium turns the CSV link's new tab into a download and closes it before a test can listen there, so the
    # link is pressed in this tab (its target removed) and the file it downloads is read
    csv_link = data_link(main, "/api/incidents.csv").first
    csv_link.evaluate("a => a.removeAttribute('target')")
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as downloaded:
        csv_link.click()
    table = pd.read_csv(downloaded.value.path())
    assert len(table) == shown and set(table["incident_id"]) == incidents

    sidebar = page.locator('[data-testid="stSidebar"]')
    assert data_link(sidebar, "/api/incidents.geojson").first.get_attribute("href") == href
    counts_link = data_link(sidebar, "/api/counts.json")
    assert counts_link.count() == 1
    counts_link.scroll_into_view_if_needed()
    with context.expect_page(timeout=LOAD_TIMEOUT_MS) as opened:
        counts_link.click()
    tab = opened.value
    tab.wait_for_load_state()
    counted = json.loads(tab.locator("body").inner_text())
    tab.close()
    assert counted["headline"]["Incidents"] == shown and counted["view"]["period"] == "week"
    if country:
        main.get_by_text("This view as data").scroll_into_view_if_needed()
        from .conftest import SCREENSHOTS
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "data-links.png"))
    assert_no_exception(page)
    assert_offline(offline)


def test_the_links_follow_a_change_of_filter(page, app_url):
    page.goto(f"{app_url}/data?country=Iraq")
    wait_until_idle(page)
    first = data_link(page.locator('[data-testid="stMain"]'), "/api/incidents.geojson").first
    first.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert "country=Iraq" in first.get_attribute("href")
    page.goto(f"{app_url}/data?country=Jordan&type=drone")
    wait_until_idle(page)
    again = data_link(page.locator('[data-testid="stMain"]'), "/api/incidents.geojson").first
    again.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert parse_qs(urlsplit(again.get_attribute("href")).query) == {"country": ["Jordan"], "type": ["drone"]}
