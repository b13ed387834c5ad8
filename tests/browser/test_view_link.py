"""The link is the whole view: the map's position, its layers and basemap, the mode, the open site and the time
step come back from a link; panning writes the position into it; Back and Forward move between views; the
player steps through time with the map following. Expected counts come from geodata/incidents.csv read with the
csv module (conftest.rows_between), not from the app's code.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import (LOAD_TIMEOUT_MS, MAP_FRAME, assert_no_exception, assert_offline, expect_metric, metric,
                       open_page_from_nav,
                       rows_between, skip_without_browser, wait_for_map, wait_until_idle, widget)

skip_without_browser()
pytestmark = pytest.mark.browser

MAP_STATE = """() => {
    const c = window.map.getCenter();
    const stamp = document.getElementById('map_div') ? document.querySelector('#map_div').dataset : {};
    return {zoom: window.map.getZoom(), lat: c.lat, lon: c.lng, heat: !!document.querySelector('canvas.leaflet-heatmap-layer'),
            kind: window.map.getContainer().dataset.drawnKind, shown: window.map.getContainer().dataset.drawnShown};
}"""


def map_frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def map_state(page) -> dict:
    return map_frame(page).evaluate(MAP_STATE)


def wait_for_map_state(page, condition: str) -> None:
    """Wait until ``condition`` (a JS expression over ``m``, the map) holds in the map's frame."""
    map_frame(page).wait_for_function(f"() => {{ const m = window.map; return !!m && ({condition}); }}",
                                      timeout=LOAD_TIMEOUT_MS)


def test_a_link_reopens_position_layers_mode_site_and_time_step(page, offline, app_url):
    page.goto(app_url + "/?view=incidents&map=9/33.8000/42.4000&layers=heat&step=month&at=2023-12-01"
                        "&focus=IQ-ASAD")
    wait_for_map(page)
    wait_until_idle(page)
    wait_for_map_state(page, "m.getZoom() === 9")
    state = map_state(page)
    assert state["zoom"] == 9
    assert abs(state["lat"] - 33.8) < 0.01 and abs(state["lon"] - 42.4) < 0.01
    assert state["heat"], "the heat layer is not drawn"
    assert state["kind"] == "incidents"
    expected = rows_between("2023-12-01", "2023-12-31")
    assert int(state["shown"]) <= expected  # incidents drawn in December 2023 (unmapped ones are not drawn)
    expect(page.get_by_text("December 2023").first).to_be_visible()
    expect(page.locator('[data-testid="stMain"] h3', has_text="Al Asad")).to_be_visible()
    assert "layers=heat" in page.url and "step=month" in page.url and "at=2023-12-01" in page.url
    assert "map=9%2F33.8000%2F42.4000" in page.url or "map=9/33.8000/42.4000" in page.url
    assert_no_exception(page)
    assert_offline(offline)


def test_moving_the_map_writes_its_position_into_the_link(page, offline, app_url, new_context):
    page.goto(app_url + "/?country=Syria")
    wait_for_map(page)
    wait_until_idle(page)
    map_frame(page).evaluate("() => window.map.setView([35.0, 40.0], 8)")
    page.wait_for_url(re.compile(r"map=8(%2F|/)"), timeout=LOAD_TIMEOUT_MS)
    lat, lon = (float(v) for v in re.search(r"map=8(?:%2F|/)([-\d.]+)(?:%2F|/)([-\d.]+)", page.url).groups())
    assert abs(lat - 35.0) < 0.01 and abs(lon - 40.0) < 0.01, page.url  # Leaflet snaps the centre to a pixel
    other = new_context().new_page()
    other.goto(page.url)
    wait_for_map(other)
    wait_until_idle(other)
    wait_for_map_state(other, "m.getZoom() === 8")
    state = map_state(other)
    assert abs(state["lat"] - 35.0) < 0.01 and abs(state["lon"] - 40.0) < 0.01
    assert_no_exception(other)
    assert_offline(offline)


def choose(page, label: str, option: str) -> None:
    box = widget(page, "stMultiSelect", label)
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_back_and_forward_move_between_views(page, offline, app_url):
    page.goto(app_url + "/?start=2023-10-17&end=2024-02-10")
    wait_for_map(page)
    wait_until_idle(page)
    everything = rows_between("2023-10-17", "2024-02-10")
    syria = rows_between("2023-10-17", "2024-02-10", country="Syria")
    assert metric(page, "Incidents") == str(everything)

    choose(page, "Country", "Syria")
    page.wait_for_url(re.compile(r"country=Syria"), timeout=LOAD_TIMEOUT_MS)
    expect_metric(page, "Incidents", syria)

    with_view = page.url

    page.go_back()
    page.wait_for_url(lambda url: "country=" not in url, timeout=LOAD_TIMEOUT_MS)
    expect_metric(page, "Incidents", everything)
    wait_until_idle(page)
    tags = widget(page, "stMultiSelect", "Country").locator("[data-tag]")
    expect(tags).to_have_count(0)

    page.go_forward()
    page.wait_for_url(re.compile(r"country=Syria"), timeout=LOAD_TIMEOUT_MS)
    expect_metric(page, "Incidents", syria)
    wait_until_idle(page)
    expect(widget(page, "stMultiSelect", "Country").locator("[data-tag]")).to_have_count(1)
    assert page.url == with_view
    assert_no_exception(page)
    assert_offline(offline)


def test_the_player_steps_week_by_week_with_the_map_following(page, offline, app_url):
    page.goto(app_url + "/?start=2023-10-17&end=2023-11-19")
    wait_for_map(page)
    page.wait_for_url(re.compile(r"map="), timeout=LOAD_TIMEOUT_MS)  # the map has reported where it looks
    wait_until_idle(page)
    page.get_by_role("button", name=re.compile("Play")).click()
    # the position moves on by itself: two different weeks are shown one after the other
    label = page.locator('[data-testid="stSliderTickBarMin"], [data-testid="stSliderThumbValue"]')
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stSliderThumbValue\"]')]"
                           ".some(e => e.textContent.startsWith('Week of 23 Oct'))", timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("button", name=re.compile("Pause")).click()
    wait_until_idle(page)
    page.wait_for_url(re.compile(r"at=2023-1[01]-\d\d"), timeout=LOAD_TIMEOUT_MS)
    at = dt.date.fromisoformat(re.search(r"at=(\d{4}-\d\d-\d\d)", page.url).group(1))
    assert at.weekday() == 0, at
    start, end = max(at, dt.date(2023, 10, 17)), min(at + dt.timedelta(days=6), dt.date(2023, 11, 19))
    expected = rows_between(start.isoformat(), end.isoformat())
    wait_until_idle(page)
    frame = page.frame_locator(MAP_FRAME)
    legend = frame.locator(".dashboard-legend").inner_text()
    shown = re.search(r"(\d+) incidents? on the map; (\d+) incidents? not mapped", legend)
    assert shown and int(shown.group(1)) + int(shown.group(2)) == expected, (legend, expected, at)
    assert label.count() >= 1
    assert_no_exception(page)
    assert_offline(offline)


def test_the_fit_button_brings_every_marker_into_view(page, offline, app_url):
    page.goto(app_url + "/?map=7/10.0000/10.0000")  # a link that looks far away from the data
    wait_for_map(page)
    wait_until_idle(page)
    wait_for_map_state(page, "m.getZoom() === 7")
    page.frame_locator(MAP_FRAME).get_by_role("button", name="Fit the map to the data shown").click()
    wait_for_map_state(page, """(() => {
        const b = m.getBounds();
        return window.dashboardMapData.features.every(f => b.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    })()""")
    page.wait_for_url(lambda url: "map=7%2F10.0000" not in url, timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)
    assert_offline(offline)


def test_opening_another_page_keeps_the_view(page, offline, app_url):
    """Streamlit drops the query string when another page is opened from the navigation; that is not a Back move:
    the view goes on, and the address holds it again."""
    syria = rows_between("0000-01-01", "9999-12-31", country="Syria")
    page.goto(app_url + "/?country=Syria")
    wait_for_map(page)
    wait_until_idle(page)
    assert metric(page, "Incidents") == str(syria)
    open_page_from_nav(page, "Charts")
    page.wait_for_url(re.compile(r"/charts\?.*country=Syria"), timeout=LOAD_TIMEOUT_MS)
    expect_metric(page, "Incidents", syria)
    open_page_from_nav(page, "Map")
    page.wait_for_url(re.compile(r"/\?.*country=Syria"), timeout=LOAD_TIMEOUT_MS)
    expect_metric(page, "Incidents", syria)
    assert_no_exception(page)
    assert_offline(offline)
